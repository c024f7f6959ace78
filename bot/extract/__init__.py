"""Extraction: a Report in, Annotations out (countries, organisations, people, places,
topics and the Meeting), each with the spans of text that prove it. Pure: no I/O."""

from __future__ import annotations

import re
from datetime import date

from bot.extract.gazetteer import Gazetteer, Hit, kind_of
from bot.extract.meeting import build_meetings
from bot.extract.meeting_i18n import lead_meeting
from bot.extract.outcomes import outcomes as find_outcomes
from bot.extract.people import find_people
from bot.extract.people_i18n import as_people, named_sides
from bot.extract.places import dateline_place, find_places, leading_place
from bot.models import Annotations, EntityKind, Mention, Place, Report, Span

__all__ = ["Gazetteer", "extract"]

TOPIC_THRESHOLD = 1.0


def extract(report: Report, gazetteer: Gazetteer) -> Annotations:
    """Everything Readout finds in one report."""
    text = report.text
    language = gazetteer.language(text)
    names = gazetteer.officeholders.scan(text)
    hits = [
        h
        for h in gazetteer.scan(text, language)
        if not _is_a_name_here(text, h) and not any(s <= h.start and h.end <= e for s, e in names)
    ]
    mentions = _mentions(hits, gazetteer)
    # Relative days ("on Wednesday") count from the dateline's day, else the publication's.
    reference = report.dateline_date or (
        report.published_at.date() if report.date_from_text else None
    )
    people = find_people(text, hits, gazetteer, names, reference)
    dateline = dateline_place(report.dateline, gazetteer) or leading_place(report.body, gazetteer)
    found_places = find_places(text, gazetteer)
    places = _unique_places(([dateline] if dateline else []) + [p for p, _ in found_places])
    topics = tuple(m.entity_id.split(":", 1)[1] for m in mentions if m.kind is EntityKind.TOPIC)
    meetings = build_meetings(
        report,
        text,
        people=people,
        hits=hits,
        places=found_places,
        dateline=dateline,
        topics=topics,
        gazetteer=gazetteer,
        reference=reference,
    )
    if not meetings and language not in (None, "en"):
        # The report's own day when the text or the source gives one; never the day it
        # happened to be read.
        lead = lead_meeting(text, language, hits, names, gazetteer, reference, report.home_country)
        meetings = [lead] if lead else []
        # The record's people the text names in another script or spelling, on the
        # meeting's day (else the report's): a subscription to "Lavrov" finds «Лавров».
        day = date.fromisoformat(lead.date) if lead and lead.date else reference
        spans = [(h.start, h.end) for h in hits]
        named = named_sides(text, 0, len(text), gazetteer, names, spans, day)
        known = {p.name for p in people}
        people += [p for p in as_people(named, text) if p.name not in known]
        # The city it names as the meeting's place is among the report's places ("Moskau",
        # 北京): a subscription to Moscow or Beijing finds it.
        if lead is not None and lead.place is not None:
            places = _unique_places([*places, lead.place])
    # A meeting may know a participant's country that the name alone did not say (the
    # source's own official): the people list shows what the meeting knows.
    by_name = {p.name: p for m in meetings for p in m.participants}
    people = [by_name.get(p.name, p) for p in people]
    return Annotations(
        mentions=tuple(mentions),
        people=tuple(people),
        places=tuple(places),
        meeting=meetings[0] if meetings else None,
        other_meetings=tuple(meetings[1:]),
        # A statement that tells no meeting produced nothing of one.
        outcomes=find_outcomes(text) if meetings else (),
        language=language,
    )


# Countries whose names are also people's or US states' names: decided by the words around.
_NAME_LIKE = frozenset({"Jordan", "Chad", "Niger", "Georgia", "Israel", "Kenya", "India"})
_FIRST_NAME_LIKE = frozenset({"Jordan", "Chad"})  # "Chad Smith", "Jordan Peterson"
_NOT_A_NAME = frozenset(
    "The A An In On At And Of For To From With By As Both King Queen President Prime Minister "
    "Foreign Southern Northern Eastern Western Central Neighbouring Neighboring New Government "
    "Army Navy Embassy Ministry Parliament Senate Valley River Basin Lake Delta Armed Forces "
    "National Republic State".split()
)
_GEORGIA_US = re.compile(
    r"(Atlanta|Savannah|Augusta|Athens|Macon|Columbus),?\s+$|state\s+of\s+$",
)
_GEORGIA_US_AFTER = re.compile(r"\s*(state|governor|senate|legislature)\b", re.IGNORECASE)


def _is_a_name_here(text: str, hit: Hit) -> bool:
    """ "Michael Jordan", "Chad Smith", "Atlanta, Georgia": the word is not the country."""
    if hit.text not in _NAME_LIKE:
        return False
    before = text[max(0, hit.start - 40) : hit.start]
    after = text[hit.end : hit.end + 30]
    if hit.text == "Georgia" and (_GEORGIA_US.search(before) or _GEORGIA_US_AFTER.match(after)):
        return True
    previous = re.search(r"([A-Z][a-z]+)\s+$", before)
    if previous and previous.group(1) not in _NOT_A_NAME:
        return True  # a surname after a first name: "Michael Jordan"
    following = re.match(r" ([A-Z][a-z]+)\b(?!['\u2019])", after)
    return bool(
        hit.text in _FIRST_NAME_LIKE and following and following.group(1) not in _NOT_A_NAME
    )


def _mentions(hits: list[Hit], gazetteer: Gazetteer) -> list[Mention]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.entity_id, []).append(hit)
    mentions: list[Mention] = []
    for entity_id, group in grouped.items():
        kind = kind_of(entity_id)
        if kind is EntityKind.TOPIC and sum(h.weight for h in group) < TOPIC_THRESHOLD:
            continue
        entity = gazetteer.entity(entity_id)
        mentions.append(
            Mention(
                entity_id=entity_id,
                kind=kind,
                name=entity.name if entity else entity_id,
                spans=tuple(Span(h.start, h.end, h.text) for h in group),
            )
        )
    return mentions


def _unique_places(places: list[Place]) -> list[Place]:
    seen: set[str] = set()
    unique: list[Place] = []
    for place in places:
        if place.entity_id not in seen:
            seen.add(place.entity_id)
            unique.append(place)
    return unique
