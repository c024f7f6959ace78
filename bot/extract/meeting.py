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
    r"consultations|summit|sidelines)\b",
    re.IGNORECASE,
)
_CALL = re.compile(
    r"\b((tele)?phone|video)\s+(call|conversation|conference|talks)\b|\bspoke\s+(by|over|on the)\s+"
    r"(tele)?phone\b|\bcall(ed)?\s+with\b|\bspoke\s+with\b|\bvideoconference\b|\bvirtual\s+meeting\b",
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
    participants = _participants(people, country_counts, dateline)
    countries = [p.country for p in participants if p.country]
    if not participants and len(country_counts) < 2:
        return None
    place = _meeting_place(places, meeting_sentences, dateline)
    event = _event(text, meeting_sentences)
    sides = list(dict.fromkeys(countries)) or [c for c, _ in country_counts.most_common(2)]
    meeting_type = _meeting_type(text, sides, place, dateline, event)
    return Meeting(
        participants=tuple(participants),
        place=place,
        date=report.published_at.date().isoformat() if report.date_from_text else None,
        event=event,
        type=meeting_type,
        topics=topics,
        countries=tuple(sides),
    )


def _participants(
    people: list[Person], country_counts: Counter[str], dateline: Place | None
) -> list[Person]:
    """People with a title take part; one whose country the text leaves unsaid gets the
    reporting side's country when the report names it and nobody else holds it."""
    taken = {p.country for p in people if p.country}
    result: list[Person] = []
    for person in people:
        if person.country is None:
            candidates = [c for c, _ in country_counts.most_common() if c not in taken]
            home = dateline.country if dateline else None
            if home and home not in taken and (home in candidates or not candidates):
                person = replace(person, country=home)
            elif len(candidates) == 1 and len(people) > 1:
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
    dateline: Place | None,
    event: Span | None,
) -> MeetingType:
    if _CALL.search(text):
        return MeetingType.CALL
    if len(sides) >= 3:
        return MeetingType.MULTILATERAL
    where = place.country if place else None
    home = dateline.country if dateline else None
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
