"""The meeting a report in another language tells, from the clause that tells it. Pure.

English readouts get the full reading of `meeting.py` (people, titles, their grammar).
For French, Spanish, German, Portuguese, Russian, Arabic and Chinese this reading takes
the first sentence of the lead that tells a meeting or a call (by the language's own words
for them), and as its sides what that sentence names before its topic begins ("to
discuss", "обсудили", "就"): countries, organisations and their adjectives ("russischer",
"algérienne"), leaving out a country named as the place ("en Brasil", "в Москве",
"在北京"), and the people the dated record gives a country ("Lawrow", «Лавров», 王毅,
ترامب; see `people_i18n`). Turkish and Urdu put the verb last and the topic before it:
there a country is a side only where it qualifies a title ("Katar Dışişleri Bakanı",
"اقوام متحدہ کے سیکرٹری جنرل"), beside the people named. Call or meeting comes from the
same words, a call word anywhere in the lead winning over a title's "met"; the day is the
one the sentence gives (`dates_i18n`), else the dateline's, else the report's own, never
the day it was read.
"""

from __future__ import annotations

import re

from bot.extract.dates_i18n import find_date
from bot.extract.doc import Doc
from bot.extract.gazetteer import Gazetteer, kind_of
from bot.extract.lexicon import NEVER, Language
from bot.extract.people_i18n import as_people, named_sides
from bot.extract.places import venue_after
from bot.extract.text import fold, sentences
from bot.models import EntityKind, Meeting, MeetingType, Place, Side, Span

_LEAD_SENTENCES = 3
_PEOPLE_SENTENCES = 8


# ", New York" right after the words a place cue introduced.
_CITY_AFTER_VENUE = re.compile(r",\s*(?P<name>[^\W\d_][^\s,.;:()]*(?: [^\W\d_][^\s,.;:()]*)?)")

# A dateline's city at the start: "Moscou, 13 janvier", «МОСКВА,», 新华社北京11月8日电
# ("Addis Ababa —": `_DASH_DATELINE`, tried first).
_DATELINE_CITY = re.compile(
    r"\A\W*(?:\(?[\w ]{0,20}\)?\s*[-–—|]\s*)?(?P<name>[^\W\d_][^\d,:()\n]{1,30}?)\s*[,:،]"
    r"|\A\s*[^\n]{0,20}?社(?P<han>[\u3400-\u9fff]{2,5}?)\d{1,2}月\d{1,2}日电"
)


_DASH_DATELINE = re.compile(
    r"\W*(?P<name>[^\W\d_][^\d,:()\n\u2013\u2014]{1,30}?)\s+[\u2013\u2014]\s"
)


def meeting_place(
    text: str, start: int, stop: int, spoken: Language, gazetteer: Gazetteer
) -> Place | None:
    """The city the sentence text[start:stop] puts the meeting in, or None: a city after
    the language's "in", else a venue after its "at" ("à l'Élysée", "no Palácio do
    Planalto")."""
    position = start
    while (m := spoken.place_cue.search(text, position, stop)) is not None:
        place = _city_at(text, m.start("name"), m.group("name"), gazetteer)
        if place is None and (city := _CITY_AFTER_VENUE.match(text, m.end("name"), stop)):
            # "di markas besar PBB, New York": a venue, then its city after a comma.
            place = _city_at(text, city.start("name"), city.group("name"), gazetteer)
        if place is not None:
            return place
        position = m.start("name") + 1  # a cue inside the words just tried is tried too
    for m in spoken.place_after.finditer(text, start, stop):
        place = _city_before(text, m.start("name"), m.group("name"), gazetteer, spoken.spaces)
        if place is not None:
            return place
    return venue_after(text, start, stop, spoken.venue_cue, gazetteer)


def _city_before(
    text: str, start: int, name: str, gazetteer: Gazetteer, spaces: bool
) -> Place | None:
    """The city that ends `name` (the words before a postposition: "이탈리아 로마" is Rome;
    characters without spaces: "イタリアのローマ"), the longest such name first."""
    if spaces:
        words = name.split(" ")
        tails = [" ".join(words[i:]) for i in range(len(words))]
    else:
        tails = [name[i:] for i in range(len(name) - 1)]
    for tail in tails:
        city = gazetteer.inflected_city(tail) or gazetteer.inflected_city(tail.title())
        if city is not None:
            end = start + len(name)
            return Place(city.name, city.country, Span(end - len(tail), end, tail))
    return None


def dateline_city(text: str, gazetteer: Gazetteer) -> Place | None:
    """The city a dateline in another language names: "Moscou, 13 janvier", «МОСКВА, 26
    ноября», "Moskau:", "新华社北京11月8日电"; at the start of the text or of the line after
    the title."""
    starts = [0]
    if (newline := text.find("\n", 0, 300)) >= 0:
        starts.append(newline + 1)
    for start in starts:
        # "Paris — Le Président ...": the city before the dash, not what follows it.
        dash = _DASH_DATELINE.match(text, start)
        if dash is not None:
            place = _city_at(text, dash.start("name"), dash.group("name"), gazetteer)
            if place is not None:
                return place
        m = _DATELINE_CITY.match(text[start:])
        if m is not None:
            group = "han" if m.group("han") else "name"
            place = _city_at(text, start + m.start(group), m.group(group), gazetteer)
            if place is not None:
                return place
    return None


def _city_at(text: str, start: int, name: str, gazetteer: Gazetteer) -> Place | None:
    if "\u3400" <= name[:1] <= "\u9fff":
        # No spaces in Chinese: the longest known city the characters start with.
        for size in (4, 3, 2):
            city = gazetteer.inflected_city(name[:size]) if len(name) >= size else None
            if city is not None:
                return Place(city.name, city.country, Span(start, start + size, name[:size]))
        return None
    words = name.split(" ")
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        city = gazetteer.inflected_city(candidate) or gazetteer.inflected_city(candidate.title())
        if city is not None:
            end = start + len(candidate)
            return Place(city.name, city.country, Span(start, end, text[start:end]))
    return None


def lead_meeting(doc: Doc, gazetteer: Gazetteer) -> Meeting | None:
    """The meeting the lead of a report in another language than English tells, or None
    (no such sentence, or a language without cues): its sides from the clause's words, the
    record's names and the source's home country, its day against the report's own."""
    text, language, hits, names = doc.text, doc.language, doc.hits, doc.names
    reference, home = doc.reference, doc.report.home_country
    spoken = gazetteer.lexicon.get(language)
    if spoken is None or language == "en":
        return None
    meeting_cue, call_cue, topic_cue = spoken.meeting, spoken.call, spoken.topic
    words = gazetteer.date_words(language)
    lead = _lead(text)
    # A dateline in the first words ("Moscou, 13 janvier (Hibya) –", "新华社北京11月8日电").
    dateline = find_date(text[:80], words, reference, calendar_only=True) if lead else None
    reference = dateline or reference
    taken = [(h.start, h.end) for h in hits]
    alone: Meeting | None = None  # the first meeting told with one side known
    for start, sentence in lead:
        held = _held(sentence, spoken)
        if held is None:
            continue
        told, discussed, clause_end = held
        stop = start + clause_end
        # The day the sentence gives, else the one another sentence of the lead telling a
        # meeting gives (a title has none; the first line of the body does), unless that
        # sentence names someone this one does not: it tells another meeting ("Na
        # segunda-feira (6), Lula e Donald Trump conversaram").
        here = fold(sentence)
        stated = find_date(sentence, words, reference) or next(
            (
                found
                for other_start, other in lead
                if (meeting_cue.search(other) or call_cue.search(other))
                and all(
                    name in here
                    for name in _surnames(text, names, other_start, other_start + len(other))
                )
                and (found := find_date(other, words, reference)) is not None
            ),
            dateline,
        )
        day = stated or reference
        sides: list[Side] = []
        title_after = spoken.title_after
        before_verb = _topics_before(sentence, told.start(), spoken, start)
        # Countries the sentence puts the meeting in ("di Luang Prabang, Laos").
        located = {
            h.entity_id
            for h in hits
            if start <= h.start < start + len(sentence)
            and spoken.locative.search(text[max(0, h.start - 40) : h.start])
        }
        for hit in hits:
            inside = start <= hit.start and hit.end <= stop
            if not inside or kind_of(hit.entity_id) not in (EntityKind.COUNTRY, EntityKind.ORG):
                continue
            if any(a <= hit.start < b for a, b in before_verb):
                continue  # "angesichts der Spannungen zwischen den USA und dem Iran ... mit"
            if spoken.locative.search(text[max(0, hit.start - 40) : hit.start]):
                continue  # the place of the meeting, not a side
            if spoken.venue_before.search(text[max(0, hit.start - 30) : hit.start]):
                continue  # "Palacio San Martín": a building's name, not Saint Martin
            if title_after is not None and not title_after.search(text[hit.end : hit.end + 40]):
                continue
            if kind_of(hit.entity_id) is EntityKind.ORG and title_after is None:
                continue  # an organisation is a side through its official, read below
            if all(s.id != hit.entity_id for s in sides):
                evidence = f"named in the clause that tells the meeting: {hit.text!r}"
                sides.append(Side(hit.entity_id, evidence))
        for pair in spoken.pair.finditer(text, start, stop):
            # 中韩外长, 한미 외교장관: each character a side. Inside a longer word ("今日中韩")
            # the first character may be the word's, not a name: only the last two count.
            run = pair.group("names").replace("·", "").replace("・", "")
            if pair.start() > 0 and text[pair.start() - 1].isalnum():
                run = run[-2:]
            for char in run:
                side = spoken.pair_names[char]
                if all(s.id != side for s in sides):
                    evidence = f"a pair of short names before a title: {pair.group()!r}"
                    sides.append(Side(side, evidence))
        named = named_sides(text, start, stop, gazetteer, names, taken, day)
        for person in named:
            if all(s.id != person.side for s in sides):
                sides.append(Side(person.side, f"a participant, {person.evidence}"))
        if not sides:
            continue
        # A side without its people here takes them from the next sentence of the lead that
        # tells a meeting and names them: a title says "Lavrov met Fidan" on an undated
        # page, where a surname alone names nobody; the body's first line names "Sergueï
        # Lavrov" and "Hakan Fidan". A side with its people takes nobody else's mention.
        missing = {s.id for s in sides} - {n.side for n in named if n.person}
        for other_start, other in _lead(text, _PEOPLE_SENTENCES):
            if not missing:
                break
            its = _held(other, spoken) if other_start != start else None
            if its is None or its[1] is not None:
                continue  # no meeting held told there, or only a discussion
            more = named_sides(
                text, other_start, other_start + its[2], gazetteer, names, taken, day
            )
            theirs = [n for n in more if n.side in missing and n.person]
            named += theirs
            missing -= {n.side for n in theirs}
        participants = as_people(named, text)
        # A title's "met" is often a translation's; the body's "telephone" says how.
        call = any(call_cue.search(other) for _, other in lead)
        place = None
        countries = [s.id.split(":", 1)[1] for s in sides if s.id.startswith("country:")]
        if not call:
            # The city the sentence gives, else one another sentence of the lead telling a
            # meeting gives (a title says "talks held"; the body says where).
            place = meeting_place(text, start, start + len(sentence), spoken, gazetteer)
            for other_start, other in lead:
                if place is not None:
                    break
                cue = meeting_cue.search(other) if other_start != start else None
                if cue is not None:
                    # Before its topic begins: a summit it discusses is not where it was.
                    its_topic = topic_cue.search(other, cue.end())
                    end = other_start + (its_topic.start() if its_topic else len(other))
                    place = meeting_place(text, other_start, end, spoken, gazetteer)
            desk = None if place else dateline_city(text, gazetteer)
            contradicted = (
                desk is not None and bool(located) and f"country:{desk.country}" not in located
            )
            confirmed = desk is not None and f"country:{desk.country}" in located
            if desk is not None and (confirmed or desk.country in countries) and not contradicted:
                # A desk's dateline far from both sides is not the place, nor one the clause
                # contradicts ("Kuala Lumpur: ... di Luang Prabang, Laos"); one in the country
                # the clause puts the meeting in is («ДЖАКАРТА ... в Индонезии»).
                place = desk
            # A body that always meets in one city, named before the topic: "संयुक्त
            # राष्ट्र महासभा के 78वें सत्र से इतर" (the General Assembly's) is New York; in
            # this sentence, else in another of the lead telling a meeting held.
            clauses = [(start, stop)] + [
                (other_start, other_start + its[2])
                for other_start, other in lead
                if other_start != start and (its := _held(other, spoken)) is not None
            ]
            for clause_start, clause_stop in clauses:
                if place is not None:
                    break
                place = gazetteer.seat_named(
                    text, clause_start, clause_stop, language, not_of={s.id for s in sides}
                )
        meeting = Meeting(
            participants=tuple(participants),
            place=place,
            date=day.isoformat() if day else None,
            event=None,
            type=MeetingType.CALL if call else _in_person(countries, place, home),
            topics=(),
            sides=tuple(sides),
            clause=Span(start, stop, text[start:stop]),
            date_stated=stated is not None,
        )
        if len(sides) >= 2:
            return meeting
        # One side named: the other may be in the next sentence; if none names two, the
        # first such meeting stands with the side it knows (the other side's official is
        # often unnamed or named in a script the record does not hold). Not where only a
        # discussion tells it: "Lavrov discussed with journalists" is no meeting.
        if discussed is None:
            alone = alone or meeting
    return alone


def _topics_before(
    sentence: str, verb: int, spoken: Language, offset: int
) -> list[tuple[int, int]]:
    """Topics begun before the word telling the meeting, in a language that names the
    other side after a partner word: each runs from its topic word to the next partner
    word (offsets in the text)."""
    spans: list[tuple[int, int]] = []
    if spoken.partner is NEVER:
        return spans
    for topic in spoken.topic.finditer(sentence, 0, verb):
        partner = spoken.partner.search(sentence, topic.end())
        end = partner.start() if partner else verb
        spans.append((offset + topic.start(), offset + end))
    return spans


def _in_person(countries: list[str], place: Place | None, home: str | None) -> MeetingType:
    """Who hosts, as the English reading says it: where the place is a side's country,
    the report's own side (its home country, else the side named first) hosts at home and
    visits abroad; two countries away from home meet in a third location; anything less
    certain is a meeting."""
    where = place.country if place else None
    if where is None or not countries:
        return MeetingType.MEETING
    if where in countries:
        first = home if home in countries else countries[0]
        return MeetingType.HOST if first == where else MeetingType.VISIT
    return MeetingType.THIRD_LOCATION if len(countries) == 2 else MeetingType.MEETING


def _held(
    sentence: str, spoken: Language
) -> tuple[re.Match[str], re.Match[str] | None, int] | None:
    """How `sentence` tells a meeting held: the word telling it, the word telling a
    discussion where only that tells it, and where the clause of its sides ends (at its
    topic); None for no meeting, or one to come, recalled or denied."""
    told = spoken.meeting.search(sentence) or spoken.call.search(sentence)
    discussed = None
    if told is None:
        # «Лавров и Фидан обсудили ...», "X et son homologue Y ont discuté de ...": the
        # exchange told by what was discussed; the sides are its subject, before it.
        discussed = told = spoken.discuss.search(sentence)
        if told is None:
            return None
    topic = spoken.topic.search(sentence, told.end())
    clause_end = told.start() if discussed else (topic.start() if topic else len(sentence))
    if spoken.announce.search(sentence, 0, clause_end) is not None:
        # "rencontrera", "将会见", "встретится", «переговоры продолжатся», "会談する予定":
        # a meeting yet to come, the marker before the topic begins (after the word
        # telling the meeting where a noun tells it or the verb comes last)
        return None
    if spoken.earlier.search(sentence, 0, told.start()) is not None:
        return None  # «Ранее ... провел встречу»: an earlier meeting, recalled
    if spoken.not_held.search(sentence, 0, clause_end) is not None:
        return None  # "görüşme iddiaları gerçek dışı": claims of talks, called untrue
    return told, discussed, clause_end


def _surnames(text: str, names: list[tuple[int, int]], start: int, end: int) -> set[str]:
    """The last words of the record's names written between `start` and `end`."""
    return {fold(text[s:e]).split()[-1] for s, e in names if start <= s and e <= end}


def _lead(text: str, size: int = _LEAD_SENTENCES) -> list[tuple[int, str]]:
    """The first sentences of the text (title included), with their offsets. A title made
    of the first sentence cut short ("… Bui Thanh…") gives way to the whole sentence."""
    found: list[tuple[int, str]] = []
    for span in sentences(text)[: size + 1]:
        if found and found[-1][1].endswith("\u2026") and span.text.startswith(found[-1][1][:60]):
            found.pop()
        found.append((span.start, span.text))
    return found
