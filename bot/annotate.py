"""The `readout annotate` record: what extraction found in one document, as plain JSON."""

from __future__ import annotations

from typing import Any

from bot.models import Annotations, EntityKind, Meeting, Person, Place


def record(doc_id: Any, annotations: Annotations) -> dict[str, Any]:
    """`{"id", "countries", "orgs", "people", "places", "topics", "meeting",
    "other_meetings", "outcomes"}`: every country or organisation named, and, per meeting, its sides
    and participants with the `evidence` (the rule or record) behind each one."""

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
        "meeting": None if meeting is None else _meeting(meeting),
        "other_meetings": [_meeting(m) for m in annotations.other_meetings],
        # What the meeting produced, each with the words that say it.
        "outcomes": [
            {"kind": o.kind, "text": o.text, "evidence": o.span.text} for o in annotations.outcomes
        ],
    }


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "sides": [{"id": s.code, "evidence": s.evidence} for s in meeting.sides],
        "participants": [_person(p, evidence=True) for p in meeting.participants],
        "place": _place(meeting.place) if meeting.place else None,
        "date": meeting.date,
        "date_stated": meeting.date_stated,  # False: the report's own date stands in
        "event": meeting.event.text if meeting.event else None,
        "type": meeting.type.value,
        "topics": list(meeting.topics),
        "clause": meeting.clause.text if meeting.clause else None,
    }


def _person(p: Person, *, evidence: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"name": p.name, "role": p.role, "country": p.country}
    if p.org:
        found["org"] = p.org
    if evidence:
        found["evidence"] = p.evidence
    return found


def _place(p: Place) -> dict[str, Any]:
    return {"name": p.name, "country": p.country}
