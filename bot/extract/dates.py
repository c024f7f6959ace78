"""The day a meeting happened, from the words that tell it ("on June 28", "on 11 March
2021", "yesterday", "on Monday"), resolved against the report's own date. Pure."""

from __future__ import annotations

import re
from datetime import date, timedelta

# English month names, each with its short forms: the one copy every English reading uses.
_MONTH_FORMS = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_FORMS, start=1) for name in names}
MONTH_NAMES = tuple(names[0] for names in _MONTH_FORMS)  # in full
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_MONTH2 = rf"(?P<month2>{_MONTH_NAMES})\.?"
_EXPRESSION = re.compile(
    rf"(?P<prefix>\b(?:on|dated|since|until|till|by|from|before|after|next|last|this|of)\s+"
    rf"(?:the\s+)?)?"
    rf"(?:\b{_MONTH}\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year1>\d{{4}}))?\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH2}"
    rf"(?:,?\s+(?P<year2>\d{{4}}))?\b"
    rf"|\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"|\b(?P<relative>yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening)|"
    rf"earlier\s+today)\b)",
    re.IGNORECASE,
)
_NOT_THE_DAY = frozenset({"since", "until", "till", "by", "from", "before", "after", "next"})
# "..., the ministry said Friday": the day it was said, not the day of the meeting.
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|announced|stated|reported|confirmed|told\s+(?:\w+\s+){1,2}?)\s*$",
    re.IGNORECASE,
)


def resolve_date(text: str, reference: date | None) -> date | None:
    """The first day `text` gives for an event, or None. Year-less dates and weekdays are
    read against `reference` (the dateline's or publication's date): the latest such day
    on or before it (two days of grace for time zones)."""
    for m in _EXPRESSION.finditer(text):
        prefix = (m.group("prefix") or "").split()
        if prefix and prefix[0].lower() in _NOT_THE_DAY:
            continue
        if _SAID_BEFORE.search(text, 0, m.start()):
            continue
        if m.group("relative"):
            if reference is None:
                continue
            word = m.group("relative").lower()
            return reference - timedelta(days=1) if word == "yesterday" else reference
        if m.group("weekday"):
            if reference is None or (prefix and prefix[0].lower() in ("last", "this")):
                continue
            wanted = WEEKDAYS.index(m.group("weekday").lower())
            return reference - timedelta(days=(reference.weekday() - wanted) % 7)
        month_word = (m.group("month") or m.group("month2") or "").lower().rstrip(".")
        month = MONTHS.get(month_word) or MONTHS.get(month_word[:3])
        day = int(m.group("day1") or m.group("day2"))
        year_text = m.group("year1") or m.group("year2")
        if month is None:
            continue
        found = calendar_day(year_text, month, day, reference)
        if found is not None:
            return found
    return None


def calendar_day(
    year_text: str | None, month: int, day: int, reference: date | None
) -> date | None:
    try:
        if year_text:
            return date(int(year_text), month, day)
        if reference is None:
            return None
        found = date(reference.year, month, day)
        if found > reference + timedelta(days=2):
            found = date(reference.year - 1, month, day)
        return found
    except ValueError:
        return None
