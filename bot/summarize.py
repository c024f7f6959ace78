"""Summaries: the push card of one report (headline with flags, who met whom, the event,
topics, the sentence that best carries what matched, source, what matched), cut to about
700 visible characters for every platform (`fitted`), its plain-text rendering, and the
one-line form used by digests. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
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

ALERT_LIMIT = 700  # visible characters of an alert on any platform (links not counted)
QUOTE_LIMIT = 280  # the quote: one sentence, cut around what matched
TOPICS_SHOWN = 4  # those that matched first, then the most mentioned
MATCHED_LIMIT = 200  # the matched: line, always present and last
NO_MEETING = "no meeting reported"  # a statement or preview that matched: never posed as one
UNNAMED = "not named"  # a report that says not who published it, and has no link
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
    wanted = {m.lower() for m in bare(matched)}
    ranked = sorted(
        annotations.of_kind(EntityKind.TOPIC),
        key=lambda m: (m.name.lower() not in wanted, -len(m.spans), m.spans[0].start),
    )
    topics = tuple(m.name for m in ranked)[:TOPICS_SHOWN]
    quote = key_sentences(report, annotations, matched, limit=1)
    c = Card(
        report_id=report_id,
        headline=headline(report, annotations, gazetteer),
        title=report.title,
        who=who,
        event=event,
        meeting_type=MEETING_TYPE_LABELS[meeting.type] if meeting else NO_MEETING,
        topics=topics,
        key_sentences=tuple(fit_around(q, QUOTE_LIMIT, bare(matched)) for q in quote),
        source=report.outlet_name or UNNAMED,  # the outlet's name, never a file path
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
    return fitted(c)


_HOW_MATCHED = re.compile(r"\s*\((?:side|mentioned|(?:side )?in another meeting[^)]*)\)$")


def bare(matched: Sequence[str]) -> tuple[str, ...]:
    """The subscriptions as written, without how they matched: "SCO (mentioned)" is SCO."""
    return tuple(_HOW_MATCHED.sub("", m) for m in matched)


def visible(c: Card) -> str:
    """The card's text as a reader sees it, without its links (Telegram and Slack show
    them as the outlet's name; the console prints the link on the Source line)."""
    return "\n".join(_lines(c, link=False))


def fitted(c: Card, limit: int = ALERT_LIMIT) -> Card:
    """`c` cut until its visible text is at most `limit` characters: the other outlets
    beyond 80 characters ("+N more"), outcomes beyond one, the quote, who met whom, the
    occasion, topics, then no quote at all. The headline and the matched line stay (the
    latter cut to MATCHED_LIMIT characters, counting what it leaves out)."""
    c = replace(c, matched=_fit_list(c.matched, MATCHED_LIMIT))
    steps: list[Callable[[Card], Card]] = [
        _fewer_outlets,
        lambda c: replace(c, outcomes=c.outcomes[:1]),
        lambda c: replace(
            c, key_sentences=tuple(fit_around(q, 160, bare(c.matched)) for q in c.key_sentences)
        ),
        lambda c: replace(c, who=fit(c.who, 160) if c.who else c.who),
        lambda c: replace(c, event=fit(c.event, 100) if c.event else c.event),
        lambda c: replace(c, topics=c.topics[:2]),
        lambda c: replace(c, key_sentences=()),
        lambda c: replace(c, outcomes=(), topics=(), who=fit(c.who, 80) if c.who else c.who),
    ]
    for step in steps:
        if len(visible(c)) <= limit:
            break
        c = step(c)
    return c


def _fewer_outlets(c: Card) -> Card:
    kept = _fit_list(c.also_reported_by, 80)
    if len(kept) == len(c.also_reported_by):
        return c
    return replace(c, also_reported_by=kept, also_links=c.also_links[: len(kept) - 1])


def _fit_list(items: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """As many of `items` as fit in `limit` characters joined by ", ", then "+N more"."""
    kept: list[str] = []
    for item in items:
        if kept and sum(len(k) + 2 for k in kept) + len(item) > limit:
            return (*kept, f"+{len(items) - len(kept)} more")
        kept.append(fit(item, limit))
    return tuple(kept)


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
    wanted = {m.lower() for m in bare(matched)}
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
        if index == 0 and not report.title_in_body and _leads(report.title, report.body):
            continue  # a title the body repeats (or cut from its lead): quoted once, as body
        scores.append((score, index))
    best = sorted(scores, key=lambda s: (-s[0], s[1]))[:limit]
    return [spans[i].text for _, i in sorted(best, key=lambda s: s[1])]


def _leads(title: str, body: str) -> bool:
    """Whether the body begins with the title's words (any case, spacing, punctuation)."""
    words = re.findall(r"\w+", title.casefold())
    lead = re.findall(r"\w+", body[: len(title) * 2].casefold())
    return len(words) >= 3 and lead[: len(words)] == words


def render_plain(c: Card) -> str:
    """The card as plain text (console, notification fallbacks): the card is already
    `fitted`, so nothing is cut here and the matched line is always whole and last."""
    return "\n".join(_lines(c, link=True))


def _lines(c: Card, *, link: bool) -> list[str]:
    lines = [c.headline]
    if c.who:
        lines.append(c.who)
    if c.occasion:
        lines.append(c.occasion)
    if c.topics:
        lines.append("Topics: " + ", ".join(c.topics))
    if c.outcomes:
        lines.append("Outcome: " + "; ".join(fit(o, 160) for o in c.outcomes[:3]))
    if c.key_sentences:
        lines.append(f"\u201c{' '.join(c.key_sentences)}\u201d")
    tier = f" ({c.tier})" if c.tier else ""
    language = f" \u00b7 in {c.language}" if c.language else ""
    url = f" \u00b7 {c.url}" if c.url and link else ""
    lines.append(f"Source: {c.source}{tier}{language}{url}")
    if c.also_reported_by:
        lines.append("Also reported by: " + ", ".join(c.also_reported_by))
    if c.matched:
        lines.append("matched: " + ", ".join(c.matched))
    return lines


def fit_around(text: str, limit: int, terms: tuple[str, ...]) -> str:
    """Cut a long sentence to about `limit` characters around the first of `terms` it
    names (its beginning when it names none), at word boundaries, with an ellipsis where
    something was left out ("… like the SCO.")."""
    if len(text) <= limit:
        return text
    low = text.lower()
    found = [i for i in (low.find(t.lower()) for t in terms if t) if i >= 0]
    if not found or min(found) + 40 < limit:  # what matched is in the beginning
        return fit(text, limit)
    start = max(0, min(found) - limit // 3)
    start = min(start, len(text) - (limit - 1))
    start = low.find(" ", start) + 1 or start  # begin at a word
    return "\u2026" + fit(text[start:], limit - 1)


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
        line = f"{headline(report, annotations, gazetteer)} \u00b7 ({NO_MEETING}) "
        line += fit(report.title, 140)
        return f"{line} \u00b7 {report.outlet_name}" if report.outlet_name else line
    head = headline(report, annotations, gazetteer)
    if not sides and meeting.sides:
        head = head.split(" \u00b7 ", 1)[1] if " \u00b7 " in head else ""
    people = " \u2013 ".join(surname(p.name, p.country) for p in meeting.participants[:4])
    parts = [head, people, MEETING_TYPE_LABELS[meeting.type], report.outlet_name]
    return " \u00b7 ".join(p for p in parts if p)


def pair_of(annotations: Annotations, gazetteer: Gazetteer, followed: Sequence[str] = ()) -> str:
    """The heading a digest groups a report under: its meeting's sides with their flags,
    those in `followed` first (in its order), then the others in the report's order."""
    meeting = annotations.meeting
    if meeting is None or not meeting.sides:
        return "Other reports"
    ids = list(dict.fromkeys(s.id for s in meeting.sides[:4]))
    rank = {side: index for index, side in enumerate(followed)}
    ids.sort(key=lambda side: rank.get(side, len(rank)))  # stable: the others keep order
    return " \u2013 ".join(side_name(side, gazetteer) for side in ids)


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
