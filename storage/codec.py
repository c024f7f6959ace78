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
    Outcome,
    Person,
    Place,
    Side,
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
        meeting=None if meeting is None else _meeting(meeting),
        other_meetings=tuple(_meeting(m) for m in data.get("other_meetings", [])),
        outcomes=tuple(
            Outcome(o["kind"], o["text"], _span(o["span"])) for o in data.get("outcomes", [])
        ),
        language=data.get("language"),
    )


def _meeting(obj: dict[str, Any]) -> Meeting:
    if "sides" in obj:
        sides = tuple(Side(s[0], s[1]) for s in obj["sides"])
    else:  # stored before sides carried their evidence
        sides = tuple(Side(f"country:{c}", "stored without evidence") for c in obj["countries"])
    return Meeting(
        participants=tuple(_person(p) for p in obj["participants"]),
        place=_place(obj["place"]) if obj["place"] else None,
        date=obj["date"],
        event=_span(obj["event"]) if obj["event"] else None,
        type=MeetingType(obj["type"]),
        topics=tuple(obj["topics"]),
        sides=sides,
        clause=_span(obj["clause"]) if obj.get("clause") else None,
        date_stated=bool(obj.get("date_stated", False)),
    )


def _meeting_obj(m: Meeting) -> dict[str, Any]:
    return {
        "participants": [_person_obj(p) for p in m.participants],
        "place": _place_obj(m.place) if m.place else None,
        "date": m.date,
        "event": _span_obj(m.event) if m.event else None,
        "type": m.type.value,
        "topics": list(m.topics),
        "sides": [[s.id, s.evidence] for s in m.sides],
        "clause": _span_obj(m.clause) if m.clause else None,
        "date_stated": m.date_stated,
    }


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
        "meeting": None if meeting is None else _meeting_obj(meeting),
        "other_meetings": [_meeting_obj(m) for m in a.other_meetings],
        "outcomes": [
            {"kind": o.kind, "text": o.text, "span": _span_obj(o.span)} for o in a.outcomes
        ],
        "language": a.language,
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
        "org": p.org,
        "evidence": p.evidence,
        "spans": [_span_obj(s) for s in p.spans],
    }


def _person(obj: dict[str, Any]) -> Person:
    return Person(
        name=obj["name"],
        role=obj["role"],
        country=obj["country"],
        spans=tuple(_span(s) for s in obj["spans"]),
        org=obj.get("org"),
        evidence=obj.get("evidence"),
    )


def _place_obj(p: Place) -> dict[str, Any]:
    return {"name": p.name, "country": p.country, "span": _span_obj(p.span)}


def _place(obj: dict[str, Any]) -> Place:
    return Place(name=obj["name"], country=obj["country"], span=_span(obj["span"]))
