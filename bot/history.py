"""A relationship's history: the meetings stored between two sides, or one side's
counterparts, and the monthly figures a chart shows. Pure: storage hands in the records.

A meeting is recorded once, from the first report that told it (a cluster's later reports
add outlets, not meetings), with its day, sides, kind, level, people, place and forum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.extract.names import short_name
from bot.extract.officeholders import roles_of_title
from bot.models import Annotations, Meeting, MeetingType, Person, Report

# Highest first: what "the level" of a meeting is.
LEVELS = ("leaders", "ministers", "officials")
# A chart's series, in stacking order: visits and hosted meetings count under the side
# that hosted them ("hosted:country:PK") where the place says whose country it was, else
# under "visit" (who hosted is not said).
SERIES_AFTER_HOSTS = ("visit", "third location", "other")
_KIND_OF_TYPE = {
    MeetingType.CALL: "call",
    MeetingType.VISIT: "visit",
    MeetingType.HOST: "host",
    MeetingType.THIRD_LOCATION: "third location",
}


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting as history keeps it."""

    report_id: int
    day: date
    sides: tuple[str, ...]  # entity ids: "country:PK", "org:UN"
    type: MeetingType
    level: str  # leaders, ministers or officials
    people: tuple[str, ...]  # the participants' family names: "Dar", "Wang"
    place: str | None = None
    forum: str | None = None
    outlet: str = ""
    url: str | None = None
    host: str | None = None  # the side that hosted a visit, where the place says it

    @property
    def kind(self) -> str:
        return _KIND_OF_TYPE.get(self.type, "other")


def host_side(meeting: Meeting) -> str | None:
    """The side that hosted a visit: the one whose country the meeting took place in.
    None when no place is said, or it is no side's country: who hosted is then unknown."""
    if meeting.type not in (MeetingType.HOST, MeetingType.VISIT) or meeting.place is None:
        return None
    where = f"country:{meeting.place.country}" if meeting.place.country else None
    return next((s.id for s in meeting.sides if s.id == where), None)


def person_level(person: Person) -> str | None:
    """`leaders` for a head of state or government, `ministers` for a minister, from the
    title the text gives; None otherwise."""
    roles = roles_of_title(person.role) or frozenset()
    if roles & {"head_of_state", "head_of_government"}:
        return "leaders"
    if roles & {"foreign_minister", "defence_minister", "minister"}:
        return "ministers"
    return None


def level_of(meeting: Meeting) -> str:
    """The highest level of a meeting's participants; `officials` when no title says more."""
    found = {person_level(p) for p in meeting.participants}
    return next((level for level in LEVELS if level in found), "officials")


def records(report_id: int, report: Report, annotations: Annotations) -> list[MeetingRecord]:
    """The meetings a report tells that have sides and a day, as history keeps them."""
    found = []
    for meeting in annotations.meetings:
        if not meeting.sides or not meeting.date:
            # A meeting without a day the text or the page's date gives stays off the
            # charts and rankings: the day it arrived is not the day it took place.
            continue
        day = date.fromisoformat(meeting.date)
        found.append(
            MeetingRecord(
                report_id=report_id,
                day=day,
                sides=tuple(dict.fromkeys(s.id for s in meeting.sides)),
                type=meeting.type,
                level=level_of(meeting),
                people=tuple(surname(p.name, p.country) for p in meeting.participants),
                place=meeting.place.name if meeting.place else None,
                forum=meeting.event.text if meeting.event else None,
                outlet=report.outlet_name,
                url=report.url,
                host=host_side(meeting),
            )
        )
    return found


@dataclass(frozen=True)
class Tally:
    """How many meetings of one type and level a day had (what a chart counts)."""

    day: date
    type: MeetingType
    level: str
    count: int
    host: str | None = None  # the side that hosted, for visits where the place says it

    @property
    def kind(self) -> str:
        return _KIND_OF_TYPE.get(self.type, "other")

    @property
    def series(self) -> str:
        """The chart series it counts in: "call", "hosted:country:PK", "visit" (a visit
        whose host is not said), "third location", "other"."""
        if self.kind in ("visit", "host"):
            return f"hosted:{self.host}" if self.host else "visit"
        return self.kind


@dataclass(frozen=True)
class Month:
    """One bar of the chart: a month's meetings by kind, and the highest level met at."""

    start: date  # the first day of the month
    counts: dict[str, int]  # series (Tally.series) -> meetings
    level: str | None  # None: no meeting that month

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def month_start(day: date) -> date:
    return day.replace(day=1)


def monthly(tallies: Iterable[Tally], today: date, months: int = 24) -> list[Month]:
    """The last `months` months (this one included), oldest first: meetings per kind and
    the highest level per month."""
    starts: list[date] = []
    cursor = month_start(today)
    for _ in range(months):
        starts.append(cursor)
        cursor = month_start(cursor - timedelta(days=1))
    starts.reverse()
    counts: dict[date, Counter[str]] = {start: Counter() for start in starts}
    levels: dict[date, str] = {}
    for tally in tallies:
        start = month_start(tally.day)
        if start not in counts or not tally.count:
            continue
        counts[start][tally.series] += tally.count
        best = levels.get(start)
        if best is None or LEVELS.index(tally.level) < LEVELS.index(best):
            levels[start] = tally.level
    return [Month(start, dict(counts[start]), levels.get(start)) for start in starts]


def series_order(sides: Sequence[str]) -> tuple[str, ...]:
    """The stacking order of a pair's chart: calls, each side's hosted visits (in the
    order the watcher named them), visits whose host is not said, third locations."""
    return ("call", *(f"hosted:{side}" for side in sides), *SERIES_AFTER_HOSTS)


def surname(name: str, country: str | None = None) -> str:
    """How a list names a person briefly (`names.short_name`: "Lavrov", "Wang", "Le
    Drian", "Mohammed VI", "Mohammed bin Salman")."""
    return short_name(name, country)


def line(meeting: MeetingRecord) -> str:
    """ "6 Apr 2025 · ministers · Dar – Lavrov · Tashkent · third location · IPU Assembly ·
    APP": one meeting of a history list (its sides are the list's)."""
    people = " \u2013 ".join(meeting.people[:4])
    parts = [
        f"{meeting.day.day} {meeting.day:%b %Y}",
        meeting.level,
        people,
        meeting.place or "",
        meeting.kind if meeting.kind != "other" else meeting.type.value,
        meeting.forum or "",
        meeting.outlet,
    ]
    return " \u00b7 ".join(p for p in parts if p)


_BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"  # ▁ to █


def sparkline(counts: Sequence[int]) -> str:
    """One character a count, for a terminal: "·" for none, then ▁ to █ by the share of
    the largest ("·▁▃█"): how a source or the outbox went, day by day."""
    top = max(counts, default=0)
    if top <= 0:
        return "\u00b7" * len(counts)
    return "".join(
        "\u00b7" if n <= 0 else _BLOCKS[min(len(_BLOCKS) - 1, (n * len(_BLOCKS) - 1) // top)]
        for n in counts
    )


def days_back(per_day: dict[date, int], today: date, days: int) -> list[int]:
    """The counts of the `days` days to `today`, oldest first (0 for a day without)."""
    return [per_day.get(today - timedelta(days=back), 0) for back in range(days - 1, -1, -1)]
