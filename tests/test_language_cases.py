"""Every language's rule cases (`tests/cases/<code>.tsv`): one line per construction, the
sides, kind, place and day Readout must read from it. See tests/cases/README.md."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.extract import Gazetteer, extract
from bot.knowledge import load_lexicon
from bot.models import MeetingType
from bot.reports import RawDocument, parse_report
from tests.conftest import NOW

CASES = Path(__file__).parent / "cases"
COLUMNS = ["construction", "published", "text", "sides", "kind", "place", "date"]


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows[0] == COLUMNS, f"{path.name}: the header must be {COLUMNS}"
        for number, row in enumerate(rows[1:], start=2):
            assert len(row) == len(COLUMNS), f"{path.name}:{number}: {len(row)} columns"
            case = dict(zip(COLUMNS, row, strict=True))
            found.append(pytest.param(path.stem, case, id=f"{path.stem}:{number}"))
    return found


def test_every_language_has_cases_and_every_case_file_a_language() -> None:
    languages = set(load_lexicon().codes) - {"en"}
    files = {p.stem for p in CASES.glob("*.tsv")}
    assert files <= languages, f"case files for no language: {sorted(files - languages)}"
    assert languages <= files, f"languages with no cases: {sorted(languages - files)}"


@pytest.mark.parametrize(("language", "case"), _cases())
def test_a_construction_reads_as_its_case_says(
    gazetteer: Gazetteer, language: str, case: dict[str, str]
) -> None:
    published = (
        None
        if case["published"] == "-"
        else datetime.fromisoformat(case["published"]).replace(tzinfo=UTC)
    )
    report = parse_report(RawDocument(case["text"], source="t", published_at=published), now=NOW)
    a = extract(report, gazetteer)
    assert a.language == language, case["construction"]
    meeting = a.meeting
    if case["kind"] == "none":
        assert meeting is None, f"{case['construction']}: read as a meeting {meeting}"
        return
    assert meeting is not None, f"{case['construction']}: no meeting read"
    assert (meeting.type is MeetingType.CALL) == (case["kind"] == "call"), case["construction"]
    if case["sides"] != "*":
        wanted = {s if ":" in s else f"country:{s}" for s in case["sides"].split()}
        assert set(a.sides) == wanted, case["construction"]
    if case["place"] != "*":
        place = meeting.place.name if meeting.place else "-"
        assert place == case["place"], case["construction"]
    if case["date"] != "*":
        assert (meeting.date or "-") == case["date"], case["construction"]
