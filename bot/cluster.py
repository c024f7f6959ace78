"""One meeting, many outlets: decide whether a new report tells a meeting already reported.

Two reports are one meeting when their sides agree, they tell it on the same day (or,
without a day, close in time), as the same kind, with no side represented by other
people and no other place, and either the same people speak for a side or their words
overlap enough (Jaccard similarity of content words; the candidates are few,
so the similarity is computed exactly rather than estimated with MinHash). Pure.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.extract.officeholders import name_key
from bot.extract.text import fold
from bot.models import Annotations, MeetingType, Report, StoredReport

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
    one_side_similarity: float = 0.5


# Scripts written without spaces between words (Han, kana, Thai) and Hangul, whose words
# take their particles: a run of them is read as its pairs, as CJK search engines index it
# (Lucene's CJKAnalyzer), not as one "word" two reports never share. Han characters are
# read as their syllables (王毅與 and 王毅与 are "wang yi yu"), so that a report in
# traditional characters and one in simplified share them.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SYLLABLE = re.compile(r"[A-Z][a-z]*")


def content_words(text: str, transliterate: Callable[[str], str] | None = None) -> frozenset[str]:
    """The words two reports of one meeting share: words of three letters or more, stop
    words aside, and the pairs of characters (of syllables, for Han characters when a
    transliterator is given) of text written without spaces."""
    folded = fold(text)
    words = {w for w in _WORD.findall(folded) if w not in _STOPWORDS}
    for run in _UNSPACED.findall(folded):
        units: list[str] = list(run)
        if transliterate is not None and _HAN.search(run):
            units = [
                syllable
                for ch in run
                for syllable in (_SYLLABLE.findall(transliterate(ch)) if _HAN.match(ch) else [ch])
            ]
        words.update(f"{a} {b}" for a, b in itertools.pairwise(units))
    return frozenset(words)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def sides(annotations: Annotations) -> frozenset[str]:
    """The sides of every meeting the report tells ("country:PK", "org:UN"); none when it
    tells no meeting (a country only mentioned never makes a side)."""
    return frozenset(annotations.sides)


def sides_key(annotations: Annotations) -> str | None:
    """The sides as one string the database indexes ("country:PK|country:RU"); None
    when the report tells no meeting. Reports of one meeting have the same key."""
    found = sides(annotations)
    return "|".join(sorted(found)) if found else None


def _people_by_side(annotations: Annotations) -> dict[str, set[str]]:
    """The words of the names of who spoke for each side: "country:IT" -> {"mario",
    "draghi"} (outlets spell and shorten names differently; a shared word is enough)."""
    found: dict[str, set[str]] = {}
    for meeting in annotations.meetings:
        for person in meeting.participants:
            side = f"country:{person.country}" if person.country else None
            side = side or (f"org:{person.org}" if person.org else None)
            if side:
                words = {w for w in name_key(person.name).split() if len(w) >= 3}
                found.setdefault(side, set()).update(words)
    return found


def _place(annotations: Annotations) -> str | None:
    meeting = annotations.meeting
    return fold(meeting.place.name) if meeting and meeting.place else None


def _day(annotations: Annotations) -> date | None:
    meeting = annotations.meeting
    return date.fromisoformat(meeting.date) if meeting and meeting.date else None


def _is_call(annotations: Annotations) -> bool:
    meeting = annotations.meeting
    return meeting is not None and meeting.type is MeetingType.CALL


def find_cluster(
    report: Report,
    annotations: Annotations,
    candidates: Sequence[StoredReport],
    config: ClusterConfig,
    *,
    transliterate: Callable[[str], str] | None = None,
) -> int | None:
    """The cluster id of the stored report that tells the same meeting, if any."""
    other = same_meeting(report, annotations, candidates, config, transliterate=transliterate)
    return (other.cluster_id or other.id) if other else None


def same_meeting(
    report: Report,
    annotations: Annotations,
    candidates: Sequence[StoredReport],
    config: ClusterConfig,
    *,
    transliterate: Callable[[str], str] | None = None,
) -> StoredReport | None:
    """The stored report that tells the same meeting, if any: the same sides, the same
    kind (call or in person), the same day when both know it, no side represented by
    other people, no other place; then either the same people on the same day, or enough
    words in common (`transliterate`: Han characters to their syllables, as the gazetteer's
    transliterator gives them)."""
    mine_sides = sides(annotations)
    if not mine_sides:
        return None
    mine_words = content_words(report.text, transliterate)
    mine_people = _people_by_side(annotations)
    mine_place, mine_day, mine_call = _place(annotations), _day(annotations), _is_call(annotations)
    window = timedelta(hours=config.window_hours)
    best: tuple[float, StoredReport] | None = None
    for other in candidates:
        theirs = other.annotations
        if sides(theirs) != mine_sides or _is_call(theirs) != mine_call:
            continue
        their_day = _day(theirs)
        if mine_day and their_day:
            # A day apart is the same meeting only between outlets in other time zones
            # (a Monday-evening meeting in New York is Tuesday's news in Moscow); one
            # outlet does not tell one meeting on two days.
            same_outlet = other.report.source == report.source
            if abs((mine_day - their_day).days) > (0 if same_outlet else 1):
                continue
        elif abs(other.report.published_at - report.published_at) > window:
            continue
        their_people = _people_by_side(theirs)
        shared = [s for s in mine_people if s in their_people]
        if any(not mine_people[s] & their_people[s] for s in shared):
            continue  # the same two countries, other people: another meeting
        their_place = _place(theirs)
        if mine_place and their_place and mine_place != their_place:
            continue
        score = similarity(mine_words, content_words(other.report.text, transliterate))
        # Two sides, each spoken for by the same people, on the same day (as checked
        # above): the same meeting, in whatever words. One side alone (a president and
        # "governors") is not enough.
        same_people = len(mine_sides) >= 2 and len(shared) >= 2
        same_people = same_people and mine_day is not None and their_day is not None
        if same_people:
            score += 1.0  # the same people on the same day: the same meeting in any words
        # With one side known, only a retelling close in words is the same meeting.
        needed = config.min_similarity if len(mine_sides) >= 2 else config.one_side_similarity
        if score >= needed and (best is None or score > best[0]):
            best = (score, other)
    return best[1] if best else None
