"""Summaries: the push card of one report (headline with flags, who met whom, the event,
topics, the sentences that best carry what matched, source, what matched), its plain-text
rendering within about 600 characters, and the one-line form used by digests. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.extract.gazetteer import Gazetteer, flag
from bot.extract.text import sentences
from bot.history import surname
from bot.models import (
    MEETING_TYPE_LABELS,
    Annotations,
    Card,
    EntityKind,
    MeetingType,
    Person,
    Report,
)
from bot.reports import web_link

PUSH_LIMIT = 600
NO_MEETING = "no meeting reported"  # a statement or preview that matched: never posed as one
_MEETING_WORDS = re.compile(r"\b(met|meeting|talks|call|visit|discussed|agreed)\b", re.I)


def card(
    report_id: int,
    report: Report,
    annotations: Annotations,
    gazetteer: Gazetteer,
    matched: tuple[str, ...] = (),
    also_reported_by: tuple[str, ...] = (),
    subscription_ids: tuple[int, ...] = (),
    highlights: tuple[str, ...] = (),
    also_links: tuple[str | None, ...] = (),
) -> Card:
    """The push summary of a report for a chat, given what matched there."""
    meeting = annotations.meeting
    who = _who(meeting.participants, meeting.type, gazetteer) if meeting else None
    event = meeting.event.text if meeting and meeting.event else None
    wanted = {m.lower() for m in matched}
    ranked = sorted(
        annotations.of_kind(EntityKind.TOPIC),
        key=lambda m: (m.name.lower() not in wanted, -len(m.spans), m.spans[0].start),
    )
    topics = tuple(m.name for m in ranked)
    return Card(
        report_id=report_id,
        headline=headline(report, annotations, gazetteer),
        title=report.title,
        who=who,
        event=event,
        meeting_type=MEETING_TYPE_LABELS[meeting.type] if meeting else NO_MEETING,
        topics=topics,
        key_sentences=tuple(key_sentences(report, annotations, matched)),
        source=report.outlet_name,  # the outlet's name, never a file path
        url=web_link(report.url),  # stored before links were checked, too
        matched=matched,
        also_reported_by=also_reported_by,
        subscription_ids=subscription_ids,
        highlights=highlights,
        tier=report.tier,
        also_links=tuple(map(web_link, also_links)),
        outcomes=tuple(dict.fromkeys(o.label for o in annotations.outcomes)),
        language=_language_name(annotations.language, gazetteer),
    )


def _language_name(code: str | None, gazetteer: Gazetteer) -> str | None:
    """The report's language as its file in `seeds/languages/` names it, when not English
    (the alert says so; the quote stays in it)."""
    spoken = gazetteer.lexicon.get(code)
    return spoken.name if spoken is not None and code != "en" else None


def headline(report: Report, annotations: Annotations, gazetteer: Gazetteer) -> str:
    """ "🇵🇰 Pakistan – 🇷🇺 Russia · Tashkent · 6 Apr 2025": the sides of the meeting told
    first, where and when it took place. A report that tells no meeting has no sides: its
    headline is the dateline and the date of publication. A meeting whose day neither the
    text nor the page's date gives ends "reported 6 Apr 2025" instead."""
    meeting = annotations.meeting
    sides = (
        " \u2013 ".join(side_name(s.id, gazetteer) for s in meeting.sides[:4]) if meeting else ""
    )
    place = report.dateline if meeting is None else (meeting.place.name if meeting.place else None)
    if meeting is not None and meeting.date:
        when = short_date(datetime.fromisoformat(meeting.date))
    elif meeting is None and report.date_from_text:
        when = short_date(report.published_at)  # the page's own date: when it was published
    else:
        # Neither the text nor the page gives the meeting's day: say when it was reported
        # (for an undated page, when it arrived), never a day it took place.
        when = f"reported {short_date(report.published_at)}"
    parts = [p for p in (sides, place, when) if p]
    return " \u00b7 ".join(parts)


def side_name(entity_id: str, gazetteer: Gazetteer) -> str:
    """ "🇵🇰 Pakistan" for a country, "United Nations" for an organisation."""
    kind, _, code = entity_id.partition(":")
    if kind == "country":
        return f"{flag(code)} {gazetteer.country_name(code)}".strip()
    entity = gazetteer.entity(entity_id)
    return entity.name if entity else code


def short_date(when: datetime) -> str:
    return f"{when.day} {when:%b %Y}"


def _who(
    participants: tuple[Person, ...], meeting_type: MeetingType, gazetteer: Gazetteer
) -> str | None:
    if not participants:
        return None
    named = [_person(p, gazetteer) for p in participants[:4]]
    verb = "spoke with" if meeting_type is MeetingType.CALL else "met"
    if len(named) == 1:
        return named[0]
    if len(named) == 2:
        return f"{named[0]} {verb} {named[1]}"
    return f"{', '.join(named[:-1])} and {named[-1]} met"


def _person(person: Person, gazetteer: Gazetteer) -> str:
    where = _affiliation(person, gazetteer)
    country = f" ({where})" if where else ""
    if not person.role:
        return f"{person.name}{country}"
    if " of " in person.role or len(person.role.split()) > 3:
        return f"{person.name}, {person.role}{country}"
    return f"{person.role} {person.name}{country}"


def _affiliation(person: Person, gazetteer: Gazetteer) -> str | None:
    if person.country:
        return gazetteer.country_name(person.country)
    if person.org:
        entity = gazetteer.entity(f"org:{person.org}")
        return entity.name if entity else person.org
    return None


def key_sentences(
    report: Report, annotations: Annotations, matched: tuple[str, ...], limit: int = 2
) -> list[str]:
    """The one or two sentences that best carry what matched (and the meeting itself)."""
    text = report.text
    spans = sentences(text)
    if not spans:
        return []
    wanted = {m.lower() for m in matched}
    mention_names = {
        m.entity_id: {m.name.lower(), m.entity_id.split(":", 1)[1].lower()}
        for m in annotations.mentions
    }
    scores: list[tuple[float, int]] = []
    for index, sentence in enumerate(spans):
        score = 0.0
        for mention in annotations.mentions:
            names = mention_names[mention.entity_id]
            hits = sum(1 for s in mention.spans if sentence.start <= s.start < sentence.end)
            if hits and names & wanted:
                score += 2.0
            elif hits:
                score += 0.2
        low = sentence.text.lower()
        score += sum(
            1.5
            for w in wanted
            if w and w in low and not any(w in names for names in mention_names.values())
        )
        if _MEETING_WORDS.search(sentence.text):
            score += 1.0
        if report.title_in_body and index == 0:
            score -= 0.5  # the headline already says it
        scores.append((score, index))
    best = sorted(scores, key=lambda s: (-s[0], s[1]))[:limit]
    return [spans[i].text for _, i in sorted(best, key=lambda s: s[1])]


def render_plain(c: Card, limit: int = PUSH_LIMIT) -> str:
    """The card as plain text within `limit` characters (console, notification fallbacks)."""
    head = [c.headline]
    if c.who:
        head.append(c.who)
    if c.occasion:
        head.append(c.occasion)
    if c.topics:
        more = f" +{len(c.topics) - 6}" if len(c.topics) > 6 else ""
        head.append("Topics: " + ", ".join(c.topics[:6]) + more)
    if c.outcomes:
        head.append("Outcome: " + "; ".join(fit(o, 160) for o in c.outcomes[:3]))
    tier = f" ({c.tier})" if c.tier else ""
    language = f" \u00b7 in {c.language}" if c.language else ""
    tail = [f"Source: {c.source}{tier}{language}" + (f" \u00b7 {c.url}" if c.url else "")]
    if c.also_reported_by:
        tail.append("Also reported by: " + ", ".join(c.also_reported_by))
    if c.matched:
        tail.append("matched: " + ", ".join(c.matched))
    fixed = sum(len(x) + 1 for x in head + tail)
    budget = max(limit - fixed - 2, 80)
    quote = ""
    for sentence in c.key_sentences:
        joined = f"{quote} {sentence}".strip()
        if len(joined) <= budget:
            quote = joined
        elif not quote:
            quote = fit_around(sentence, budget, c.matched)
    lines = head + ([f"\u201c{quote}\u201d"] if quote else []) + tail
    return fit("\n".join(lines), limit + 200 if len(c.headline) > limit else limit)


def fit_around(text: str, limit: int, terms: tuple[str, ...]) -> str:
    """Cut a long sentence to `limit` keeping the part that names more of `terms`: its
    beginning, or its end when what matched comes late ("... like the SCO.")."""
    if len(text) <= limit:
        return text
    low = text.lower()

    def named(part: str) -> int:
        return sum(1 for t in terms if t and t.lower() in part.lower())

    head = fit(text, limit)
    start = len(text) - (limit - 1)
    start = low.find(" ", start) + 1 or start  # begin at a word
    tail = "\u2026" + text[start:]
    return tail if named(tail) > named(head) else head


def fit(text: str, limit: int) -> str:
    """Cut `text` at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def digest_line(
    report: Report, annotations: Annotations, gazetteer: Gazetteer, *, sides: bool = True
) -> str:
    """One line of a list of meetings: the sides with their flags (unless the list is
    grouped by them), place, date, the people by family name ("Dar \u2013 Wang"), the kind,
    and the outlet. A report that tells no meeting: its dateline, date and title."""
    meeting = annotations.meeting
    if meeting is None:
        return (
            f"{headline(report, annotations, gazetteer)} \u00b7 ({NO_MEETING}) "
            f"{fit(report.title, 140)} \u00b7 {report.outlet_name}"
        )
    head = headline(report, annotations, gazetteer)
    if not sides and meeting.sides:
        head = head.split(" \u00b7 ", 1)[1] if " \u00b7 " in head else ""
    people = " \u2013 ".join(surname(p.name, p.country) for p in meeting.participants[:4])
    parts = [head, people, MEETING_TYPE_LABELS[meeting.type], report.outlet_name]
    return " \u00b7 ".join(p for p in parts if p)


def pair_of(annotations: Annotations, gazetteer: Gazetteer) -> str:
    """The heading a digest groups a report under: its meeting's sides, flags first."""
    meeting = annotations.meeting
    if meeting is None or not meeting.sides:
        return "Other reports"
    return " \u2013 ".join(side_name(s.id, gazetteer) for s in meeting.sides[:4])


def emphasis(text: str, needles: Sequence[str]) -> list[tuple[str, bool]]:
    """`text` cut into (segment, highlighted) pieces: every whole-word occurrence of a
    needle (any case) is one highlighted piece. Renderers escape each piece on its own."""
    words = [n for n in dict.fromkeys(needles) if n.strip()]
    if not words or not text:
        return [(text, False)] if text else []
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            pieces.append((text[last : m.start()], False))
        pieces.append((m.group(0), True))
        last = m.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces
