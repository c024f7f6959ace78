"""The day a meeting happened, in the languages other than English: «26 ноября», "14 de
febrero de 2024", "13. Juli", 11月8日, «вчера», "ce mardi", "segunda-feira (6)". Pure.

The words come from CLDR (months, weekdays, "yesterday", "today" of each language, as babel
ships them), handed in by the loader as `DateWords`. Only the forms a date takes in news
text are read: day and month with or without a year, the Chinese and Japanese 年月日 forms,
a weekday (the latest such day on or before the report's own date, or the day number a
Portuguese or Chinese text puts beside it), and yesterday or today. A year-less date or a
weekday is read against the report's own date and is None without one: a date is never
guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.extract.dates import calendar_day


@dataclass(frozen=True)
class DateWords:
    """One language's words for dates, from CLDR: lower-case month names (each form:
    format and stand-alone, wide and abbreviated) to the month's number, weekday names to
    0 (Monday) .. 6, and the relative day words to their offset (-1 yesterday, 0 today)."""

    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    _patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list, compare=False)

    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        if not self._patterns:
            self._patterns.extend(_compile(self))
        return self._patterns


_CJK_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
# A bare day of the month ("8日"): the report's own month.
_CJK_DAY = re.compile(r"(?<![\d月年])(?P<day>\d{1,2})\s*日")


def _alternation(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _compile(words: DateWords) -> list[tuple[str, re.Pattern[str]]]:
    edge_before, edge_after = r"(?<![^\W\d_])", r"(?![^\W\d_])"
    found: list[tuple[str, re.Pattern[str]]] = []
    if words.months:
        months = _alternation(words.months)
        found.append(
            (
                "day month",
                re.compile(
                    rf"(?<![\d.])(?P<day>\d{{1,2}})(?:\.|er|º|-?го)?\s*(?:de\s+)?"
                    rf"(?P<month>{months}){edge_after}\.?"
                    rf"(?:,?\s*(?:de\s+|del\s+)?(?P<year>\d{{4}}))?",
                    re.IGNORECASE,
                ),
            )
        )
    if words.weekdays:
        weekdays = _alternation(words.weekdays)
        found.append(
            (
                "weekday",
                re.compile(
                    rf"{edge_before}(?P<weekday>{weekdays}){edge_after}"
                    rf"(?:\s*[(（]\s*(?P<day>\d{{1,2}})\s*日?\s*[)）])?",
                    re.IGNORECASE,
                ),
            )
        )
    if words.relative:
        relative = _alternation(words.relative)
        found.append(
            ("relative", re.compile(rf"{edge_before}(?P<relative>{relative}){edge_after}", re.I))
        )
    return found


def find_date(
    text: str, words: DateWords | None, reference: date | None, *, calendar_only: bool = False
) -> date | None:
    """The first day `text` gives, or None. Dates without a year, weekdays and relative
    words are read against `reference` (the report's own date); without one, only a date
    with its year answers. A weekday just before a date ("vendredi 10 février") is that
    date's. `calendar_only`: a day and month only, no weekday or "yesterday" (a dateline's)."""
    found: list[tuple[int, int, date | None, bool]] = []  # start, end, day, a full date
    for m in _CJK_DATE.finditer(text):
        day = calendar_day(m.group("year"), int(m.group("month")), int(m.group("day")), reference)
        found.append((m.start(), m.end(), day, True))
    if words is not None:
        for kind, pattern in words.patterns():
            for m in pattern.finditer(text):
                day = _resolve(kind, m, words, reference)
                found.append((m.start(), m.end(), day, kind == "day month"))
    found.sort(key=lambda f: f[0])
    for i, (_start, end, day, full) in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if not full and following and following[3] and following[0] - end <= 12:
            continue  # "vendredi 10 février", "hier, le 14 février": the date that follows
        if day is not None and (full or not calendar_only):
            return day
    if reference is not None and not calendar_only:
        for m in _CJK_DAY.finditer(text):
            day = calendar_day(None, reference.month, int(m.group("day")), reference)
            if day is not None and day <= reference:
                return day
    return None


def _resolve(kind: str, m: re.Match[str], words: DateWords, reference: date | None) -> date | None:
    if kind == "day month":
        month = words.months.get(m.group("month").lower().rstrip("."))
        if month is None:
            return None
        return calendar_day(m.group("year"), month, int(m.group("day")), reference)
    if reference is None:
        return None
    if kind == "relative":
        offset = words.relative.get(m.group("relative").lower(), 1)
        return reference + timedelta(days=offset) if offset <= 0 else None
    wanted = words.weekdays.get(m.group("weekday").lower())
    if wanted is None:
        return None
    if m.group("day"):
        # "segunda-feira (6)", "周一(6日)": the day number beside the weekday says which.
        day = calendar_day(None, reference.month, int(m.group("day")), reference)
        if day is None or day.weekday() != wanted:
            return None
        return day
    return reference - timedelta(days=(reference.weekday() - wanted) % 7)
