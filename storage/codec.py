"""Annotations to JSON and back, for the `reports.annotations_json` column."""

from __future__ import annotations

import json
from typing import Any

from bot.models import (
    Annotations,
    EntityKind,
    Meeting,
    MeetingType,
    Mention,
    Person,
    Place,
    Span,
)


def dumps(annotations: Annotations) -> str:
    return json.dumps(_annotations(annotations), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Annotations:
    data = json.loads(text)
    meeting = data.get("meeting")
    return Annotations(
        mentions=tuple(
            Mention(
                entity_id=m["id"],
                kind=EntityKind(m["kind"]),
                name=m["name"],
                spans=tuple(_span(s) for s in m["spans"]),
            )
            for m in data["mentions"]
        ),
        people=tuple(_person(p) for p in data["people"]),
        places=tuple(_place(p) for p in data["places"]),
        meeting=None
        if meeting is None
        else Meeting(
            participants=tuple(_person(p) for p in meeting["participants"]),
            place=_place(meeting["place"]) if meeting["place"] else None,
            date=meeting["date"],
            event=_span(meeting["event"]) if meeting["event"] else None,
            type=MeetingType(meeting["type"]),
            topics=tuple(meeting["topics"]),
            countries=tuple(meeting["countries"]),
        ),
    )


def _annotations(a: Annotations) -> dict[str, Any]:
    meeting = a.meeting
    return {
        "mentions": [
            {
                "id": m.entity_id,
                "kind": m.kind.value,
                "name": m.name,
                "spans": [_span_obj(s) for s in m.spans],
            }
            for m in a.mentions
        ],
        "people": [_person_obj(p) for p in a.people],
        "places": [_place_obj(p) for p in a.places],
        "meeting": None
        if meeting is None
        else {
            "participants": [_person_obj(p) for p in meeting.participants],
            "place": _place_obj(meeting.place) if meeting.place else None,
            "date": meeting.date,
            "event": _span_obj(meeting.event) if meeting.event else None,
            "type": meeting.type.value,
            "topics": list(meeting.topics),
            "countries": list(meeting.countries),
        },
    }


def _span_obj(s: Span) -> list[Any]:
    return [s.start, s.end, s.text]


def _span(obj: list[Any]) -> Span:
    return Span(int(obj[0]), int(obj[1]), str(obj[2]))


def _person_obj(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "role": p.role,
        "country": p.country,
        "spans": [_span_obj(s) for s in p.spans],
    }


def _person(obj: dict[str, Any]) -> Person:
    return Person(
        name=obj["name"],
        role=obj["role"],
        country=obj["country"],
        spans=tuple(_span(s) for s in obj["spans"]),
    )


def _place_obj(p: Place) -> dict[str, Any]:
    return {"name": p.name, "country": p.country, "span": _span_obj(p.span)}


def _place(obj: dict[str, Any]) -> Place:
    return Place(name=obj["name"], country=obj["country"], span=_span(obj["span"]))
