"""One report as every stage of extraction reads it, built once per report: its text and
sentences, its language, the gazetteer's hits and the record's full names, the dateline's
place and the day relative words ("on Tuesday", «вчера») count from. The stages
(`people.find_people`, `meeting.build_meetings`, `meeting_i18n.lead_meeting`) take it
instead of re-reading the raw report. Pure: the gazetteer is handed in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.extract.gazetteer import Gazetteer, Hit
from bot.extract.places import dateline_place, leading_place
from bot.extract.text import sentences
from bot.models import Place, Report, Span


@dataclass(frozen=True)
class Doc:
    report: Report
    text: str  # the title (unless the body repeats it) and the body
    sentences: tuple[Span, ...]
    language: str | None  # ISO 639-1 among the lexicon's languages; None if undecided
    names: list[tuple[int, int]]  # spans of the officeholders' full names, longest first
    hits: list[Hit]  # the gazetteer's entities, none inside a name ("Israel Katz")
    reference: date | None  # the dateline's day, else the page's own date, else None
    dateline: Place | None  # the dateline's place, or a known city the body opens with


def read(report: Report, gazetteer: Gazetteer) -> Doc:
    """The report, read once for every stage."""
    text = report.text
    language = gazetteer.language(text)
    names = gazetteer.officeholders.scan(text)
    hits = [
        h
        for h in gazetteer.scan(text, language)
        if not _is_a_name_here(text, h) and not any(s <= h.start and h.end <= e for s, e in names)
    ]
    # Relative days ("on Wednesday") count from the dateline's day, else the publication's.
    reference = report.dateline_date or (
        report.published_at.date() if report.date_from_text else None
    )
    dateline = dateline_place(report.dateline, gazetteer) or leading_place(report.body, gazetteer)
    return Doc(
        report=report,
        text=text,
        sentences=sentences(text),
        language=language,
        names=names,
        hits=hits,
        reference=reference,
        dateline=dateline,
    )


# Countries whose names are also people's or US states' names: decided by the words around.
_NAME_LIKE = frozenset({"Jordan", "Chad", "Niger", "Georgia", "Israel", "Kenya", "India"})
_FIRST_NAME_LIKE = frozenset({"Jordan", "Chad"})  # "Chad Smith", "Jordan Peterson"
_NOT_A_NAME = frozenset(
    "The A An In On At And Of For To From With By As Both King Queen President Prime Minister "
    "Foreign Southern Northern Eastern Western Central Neighbouring Neighboring New Government "
    "Army Navy Embassy Ministry Parliament Senate Valley River Basin Lake Delta Armed Forces "
    "National Republic State".split()
)
_GEORGIA_US = re.compile(
    r"(Atlanta|Savannah|Augusta|Athens|Macon|Columbus),?\s+$|state\s+of\s+$",
)
_GEORGIA_US_AFTER = re.compile(r"\s*(state|governor|senate|legislature)\b", re.IGNORECASE)


def _is_a_name_here(text: str, hit: Hit) -> bool:
    """ "Michael Jordan", "Chad Smith", "Atlanta, Georgia": the word is not the country."""
    if hit.text not in _NAME_LIKE:
        return False
    before = text[max(0, hit.start - 40) : hit.start]
    after = text[hit.end : hit.end + 30]
    if hit.text == "Georgia" and (_GEORGIA_US.search(before) or _GEORGIA_US_AFTER.match(after)):
        return True
    previous = re.search(r"([A-Z][a-z]+)\s+$", before)
    if previous and previous.group(1) not in _NOT_A_NAME:
        return True  # a surname after a first name: "Michael Jordan"
    following = re.match(r" ([A-Z][a-z]+)\b(?!['\u2019])", after)
    return bool(
        hit.text in _FIRST_NAME_LIKE and following and following.group(1) not in _NOT_A_NAME
    )
