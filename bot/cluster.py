"""One meeting, many outlets: decide whether a new report tells a meeting already reported.

Two reports are one meeting when they are close in time, their sides (the meeting's
countries) agree, their named participants and places do not contradict each other, and
their words overlap enough (Jaccard similarity of content words; the candidates are few,
so the similarity is computed exactly rather than estimated with MinHash). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.extract.gazetteer import fold
from bot.models import Annotations, EntityKind, Report, StoredReport

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS = frozenset(
    """the and for with that this from have has had were was are its their his her they them
    said says will would also both two which who whom into over after before about during
    between under other more most such than then there these those been being our your not
    but all any can could may might must should very well just only new one first last
    made make including including while where when what how out per""".split()
)


@dataclass(frozen=True)
class ClusterConfig:
    window_hours: float = 48.0
    min_similarity: float = 0.2


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in _STOPWORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def sides(annotations: Annotations) -> frozenset[str]:
    """The meeting's countries, else the two countries the report names most."""
    if annotations.meeting and annotations.meeting.countries:
        return frozenset(annotations.meeting.countries)
    ranked = sorted(annotations.of_kind(EntityKind.COUNTRY), key=lambda m: -len(m.spans))
    return frozenset(m.entity_id.split(":", 1)[1] for m in ranked[:2])


def _surnames(annotations: Annotations) -> frozenset[str]:
    people = annotations.meeting.participants if annotations.meeting else annotations.people
    return frozenset(fold(p.name.split()[-1]) for p in people)


def _place(annotations: Annotations) -> str | None:
    meeting = annotations.meeting
    return fold(meeting.place.name) if meeting and meeting.place else None


def find_cluster(
    report: Report,
    annotations: Annotations,
    candidates: Sequence[StoredReport],
    config: ClusterConfig,
) -> int | None:
    """The cluster id of the stored report that tells the same meeting, if any."""
    mine_sides = sides(annotations)
    if not mine_sides:
        return None
    mine_words = content_words(report.text)
    mine_people = _surnames(annotations)
    mine_place = _place(annotations)
    window = timedelta(hours=config.window_hours)
    best: tuple[float, int] | None = None
    for other in candidates:
        if abs(other.report.published_at - report.published_at) > window:
            continue
        if sides(other.annotations) != mine_sides:
            continue
        their_people = _surnames(other.annotations)
        if mine_people and their_people and not mine_people & their_people:
            continue  # the same two countries, other people: another meeting
        their_place = _place(other.annotations)
        if mine_place and their_place and mine_place != their_place:
            continue
        score = similarity(mine_words, content_words(other.report.text))
        if score >= config.min_similarity and (best is None or score > best[0]):
            best = (score, other.cluster_id or other.id)
    return best[1] if best else None
