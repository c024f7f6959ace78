"""The Meeting: who met whom, where, when, at which event, of which kind (CAMEO 042 visit,
043 host, 044 third location; multilateral; call), on which topics."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.extract.places import STRONG_CUES, VISIT_CUES
from bot.extract.text import sentences
from bot.models import Meeting, MeetingType, Person, Place, Report, Span

_MEETING_WORDS = re.compile(
    r"\b(met|meet|meets|meeting|meetings|talks|held talks|received|receives|hosted|hosts|"
    r"call|called|spoke|conversation|visit|visits|visited|audience|discussed|discussions|"
    r"consultations|summit|sidelines|attended|attends|attending|joined|videoconference|"
    r"video conference)\b",
    re.IGNORECASE,
)
_CALL = re.compile(
    r"\b((tele)?phone|video)\s*(call|conversation|conference|talks|meeting)|\b(by|over)\s+(the\s+)?"
    r"(tele)?phone\b|\b(spoke|talked)\b(?!\s+(at|to\s+(reporters|the\s+press)|before|during))"
    r"|\bcall(ed)?\s+(with|to)\b|\bcalled\s+(?=(?-i:[A-Z]))|\bvideoconference\b"
    r"|\bvirtual(ly)?\s+(meeting|summit|call|talks)\b|\bvideo\s*link\b",
    re.IGNORECASE,
)
# Cues of meeting in person; the first cue in the text, call or in person, decides.
_IN_PERSON = re.compile(
    r"\b(met|meets|hosted|hosts|welcomed|welcomes|received|receives|visited|arrived)\b"
    r"|\bin[- ]person\b|\bbilateral meeting\b|\bmeeting\s+(with|in|at)\b",
    re.IGNORECASE,
)
_HOST = re.compile(r"\b(received|receives|hosted|hosts|welcomed|welcomes)\b", re.IGNORECASE)
_VISIT = re.compile(r"\b(visit|visits|visited|visiting|arrived|trip)\b", re.IGNORECASE)
_EVENT_CUE = re.compile(
    r"\b(?:sidelines of|margins of|at|during|attending|attend|to)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_EVENT_HEADS = frozenset(
    """Summit Assembly Conference Forum Session Meeting Dialogue Congress Ministerial
    Games Expo Convention Retreat Consultations Commission Symposium Council Talks Week""".split()
)
_CONNECTORS = frozenset({"of", "the", "on", "for", "and", "de"})
_EVENT_TOKEN = re.compile(r"\S+")


def build_meeting(
    report: Report,
    text: str,
    people: list[Person],
    country_counts: Counter[str],
    places: list[tuple[Place, str]],
    dateline: Place | None,
    topics: tuple[str, ...],
) -> Meeting | None:
    """Assemble the Meeting, or None when the report tells of no meeting at all."""
    spans = sentences(text)
    meeting_sentences = [s for s in spans if _MEETING_WORDS.search(s.text)]
    if not meeting_sentences:
        return None
    # The reporting side: the source's own country (a ministry's feed), else the dateline's.
    home = report.home_country
    if (
        home is None
        and dateline is not None
        and (dateline.country in country_counts or _HOST.search(text))
    ):
        # A dateline speaks for its country when the text names that country too, or when
        # someone there received a guest; an agency's "TASHKENT (TASS) -" over talks
        # between two visitors does not make them Uzbek.
        home = dateline.country
    # Who is named where the meeting is told; a meeting has two sides, so the report's
    # other leading figures ("Senate Chairman Gilani has stated ...") fill in up to two.
    chosen = [p for p in people if any(_inside(p, s) for s in meeting_sentences)]
    for person in people:
        if len(chosen) >= 2:
            break
        if person not in chosen:
            chosen.append(person)
    chosen.sort(key=lambda p: p.spans[0].start)
    participants = _participants(chosen, country_counts, home)
    countries = [p.country for p in participants if p.country]
    if not participants and len(country_counts) < 2:
        return None
    place = _meeting_place(places, meeting_sentences, dateline)
    event = _event(text, meeting_sentences)
    sides = list(dict.fromkeys(countries)) or [c for c, _ in country_counts.most_common(2)]
    meeting_type = _meeting_type(text, sides, place, home, event)
    return Meeting(
        participants=tuple(participants),
        place=place,
        date=report.published_at.date().isoformat() if report.date_from_text else None,
        event=event,
        type=meeting_type,
        topics=topics,
        countries=tuple(sides),
    )


def _inside(person: Person, sentence: Span) -> bool:
    return any(sentence.start <= span.start < sentence.end for span in person.spans)


def _participants(
    people: list[Person], country_counts: Counter[str], home: str | None
) -> list[Person]:
    """People with a title take part. One whose country the text leaves unsaid is, first,
    from the reporting side (the source's or dateline's country) unless someone else holds
    it; then, when the counterpart is placed, from the country the text names most."""
    taken = {p.country for p in people if p.country}
    result: list[Person] = []
    for person in people:
        if person.country is None:
            candidates = [c for c, _ in country_counts.most_common() if c not in taken]
            if home and home not in taken:
                person = replace(person, country=home)
            elif candidates and len(people) > 1 and taken:
                person = replace(person, country=candidates[0])
            if person.country:
                taken.add(person.country)
        result.append(person)
    return result


def _meeting_place(
    places: list[tuple[Place, str]], meeting_sentences: list[Span], dateline: Place | None
) -> Place | None:
    for place, cue in places:
        if cue in STRONG_CUES:
            return place
    for place, cue in places:
        if cue in VISIT_CUES:
            return place
    for place, _cue in places:
        if any(s.start <= place.span.start < s.end for s in meeting_sentences):
            return place
    return dateline


def _event(text: str, meeting_sentences: list[Span]) -> Span | None:
    """ "on the sidelines of the 150th Inter-Parliamentary Union (IPU) Assembly" -> the name."""
    for sentence in meeting_sentences:
        for cue in _EVENT_CUE.finditer(text, sentence.start, sentence.end):
            event = _event_after(text, cue.end(), sentence.end)
            if event is not None:
                return event
    return None


def _event_after(text: str, start: int, limit: int) -> Span | None:
    best_end: int | None = None
    for token in _EVENT_TOKEN.finditer(text, start, limit):
        word = token.group().rstrip(".,;:")
        clean = word.strip("()")
        is_ordinal = re.fullmatch(r"\d+(st|nd|rd|th)?", clean) is not None
        if not (clean[:1].isupper() or is_ordinal or clean in _CONNECTORS):
            break
        end = token.start() + len(word)
        if clean in _EVENT_HEADS:
            best_end = end
        if word != token.group():  # punctuation ends the name
            break
    if best_end is None:
        return None
    return Span(start, best_end, text[start:best_end])


def _meeting_type(
    text: str,
    sides: list[str],
    place: Place | None,
    home: str | None,
    event: Span | None,
) -> MeetingType:
    call = _CALL.search(text)
    in_person = _IN_PERSON.search(text)
    if call and (in_person is None or call.start() < in_person.start()):
        return MeetingType.CALL
    if len(sides) >= 3:
        return MeetingType.MULTILATERAL
    where = place.country if place else None
    if where and sides and where not in sides:
        return MeetingType.THIRD_LOCATION
    if where and where in sides:
        # Explicit words first ("received", "on a visit to"), then the dateline's side.
        if _HOST.search(text):
            return MeetingType.HOST
        if _VISIT.search(text):
            return MeetingType.VISIT
        return MeetingType.HOST if where == home else MeetingType.VISIT
    if event is not None and len(sides) < 2:
        return MeetingType.MULTILATERAL
    return MeetingType.MEETING
