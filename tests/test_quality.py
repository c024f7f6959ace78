"""Extraction quality on real labelled news (../shared/data), at the targets of issue 6.

These are correctness thresholds, not timings; the full figures come from
`python benchmarks/quality.py`. Skipped, with the reason, where the data is absent."""

from __future__ import annotations

import pytest

from bot.extract import Gazetteer
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "reuters21578-train.jsonl.gz").is_file(),
    reason=f"labelled news not found at {SHARED_DATA}: quality tests skipped",
)


@pytest.mark.timeout(300)
def test_readouts_participants_and_call_vs_meeting(gazetteer: Gazetteer) -> None:
    from benchmarks.quality import readouts

    result = readouts(gazetteer, None, False)
    assert result["participants_f1"] >= 0.88
    assert result["kind_accuracy"] >= 0.97
    assert result["participants_f1"] > result["baseline_f1"]


@pytest.mark.timeout(300)
def test_conll_countries(gazetteer: Gazetteer) -> None:
    from benchmarks.quality import conll

    result = conll(gazetteer, None, False)
    assert result["countries_f1"] >= 0.95
    assert result["countries_f1"] > result["baseline_f1"]


@pytest.mark.timeout(300)
def test_reuters_places_on_the_first_3000_documents(gazetteer: Gazetteer) -> None:
    from benchmarks.quality import reuters

    result = reuters(gazetteer, 3000, False)
    assert result["places_f1"] >= 0.82
    assert result["orgs_f1"] >= 0.90  # on the stories whose organisations were labelled
    assert result["orgs_recall"] >= 0.90
