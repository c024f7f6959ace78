"""Extraction: a Report in, Annotations out (countries, organisations, people, places,
topics and the Meeting), each with the spans of text that prove it. Pure: no I/O."""

from __future__ import annotations

from datetime import date

from bot.extract.doc import read
from bot.extract.gazetteer import Gazetteer, Hit, kind_of
from bot.extract.meeting import build_meetings
from bot.extract.meeting_i18n import lead_meeting
from bot.extract.outcomes import outcomes as find_outcomes
from bot.extract.people import find_people
from bot.extract.people_i18n import as_people, named_sides
from bot.extract.places import find_places
from bot.models import Annotations, EntityKind, Mention, Place, Report, Span

__all__ = ["Gazetteer", "extract"]

TOPIC_THRESHOLD = 1.0


def extract(report: Report, gazetteer: Gazetteer) -> Annotations:
    """Everything Readout finds in one report."""
    doc = read(report, gazetteer)
    text, hits, names, reference = doc.text, doc.hits, doc.names, doc.reference
    mentions = _mentions(hits, gazetteer)
    people = find_people(doc, gazetteer)
    found_places = find_places(text, gazetteer)
    places = _unique_places(([doc.dateline] if doc.dateline else []) + [p for p, _ in found_places])
    topics = tuple(m.entity_id.split(":", 1)[1] for m in mentions if m.kind is EntityKind.TOPIC)
    meetings = build_meetings(
        doc, people=people, places=found_places, topics=topics, gazetteer=gazetteer
    )
    if not meetings and doc.language not in (None, "en"):
        # The report's own day when the text or the source gives one; never the day it
        # happened to be read.
        lead = lead_meeting(doc, gazetteer)
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
        language=doc.language,
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
