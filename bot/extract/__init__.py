"""Extraction: a Report in, Annotations out (countries, organisations, people, places,
topics and the Meeting), each with the spans of text that prove it. Pure: no I/O."""

from __future__ import annotations

from collections import Counter

from bot.extract.gazetteer import Gazetteer, Hit, kind_of, load_gazetteer
from bot.extract.meeting import build_meeting
from bot.extract.people import find_people
from bot.extract.places import dateline_place, find_places
from bot.models import Annotations, EntityKind, Mention, Place, Report, Span

__all__ = ["Gazetteer", "extract", "load_gazetteer"]

TOPIC_THRESHOLD = 1.0


def extract(report: Report, gazetteer: Gazetteer) -> Annotations:
    """Everything Readout finds in one report."""
    text = report.text
    hits = gazetteer.scan(text)
    mentions = _mentions(hits, gazetteer)
    people = find_people(text, hits, gazetteer)
    dateline = dateline_place(report.dateline, gazetteer)
    found_places = find_places(text, gazetteer)
    places = _unique_places(([dateline] if dateline else []) + [p for p, _ in found_places])
    country_counts = Counter(
        h.entity_id.split(":", 1)[1] for h in hits if h.entity_id.startswith("country:")
    )
    topics = tuple(m.entity_id.split(":", 1)[1] for m in mentions if m.kind is EntityKind.TOPIC)
    meeting = build_meeting(report, text, people, country_counts, found_places, dateline, topics)
    if meeting is not None:
        # The meeting may know a participant's country that the sentence alone did not say.
        by_name = {p.name: p for p in meeting.participants}
        people = [by_name.get(p.name, p) for p in people]
    return Annotations(
        mentions=tuple(mentions),
        people=tuple(people),
        places=tuple(places),
        meeting=meeting,
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
