"""The `readout annotate` record: what extraction found in one document, as plain JSON."""

from __future__ import annotations

from typing import Any

from bot.models import Annotations, EntityKind, Person, Place


def record(doc_id: Any, annotations: Annotations) -> dict[str, Any]:
    """`{"id", "countries", "orgs", "people", "places", "topics", "meeting"}`."""

    def ids(kind: EntityKind) -> list[str]:
        return [m.entity_id.split(":", 1)[1] for m in annotations.of_kind(kind)]

    meeting = annotations.meeting
    return {
        "id": doc_id,
        "countries": ids(EntityKind.COUNTRY),
        "orgs": ids(EntityKind.ORG),
        "people": [_person(p) for p in annotations.people],
        "places": [_place(p) for p in annotations.places],
        "topics": ids(EntityKind.TOPIC),
        "meeting": None
        if meeting is None
        else {
            "participants": [_person(p) for p in meeting.participants],
            "place": _place(meeting.place) if meeting.place else None,
            "date": meeting.date,
            "event": meeting.event.text if meeting.event else None,
            "type": meeting.type.value,
            "topics": list(meeting.topics),
        },
    }


def _person(p: Person) -> dict[str, Any]:
    return {"name": p.name, "role": p.role, "country": p.country}


def _place(p: Place) -> dict[str, Any]:
    return {"name": p.name, "country": p.country}
