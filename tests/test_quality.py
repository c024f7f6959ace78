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
@pytest.mark.parametrize("with_home", [False, True], ids=["without-home", "with-home"])
def test_meeting_facts_on_the_world_readouts(gazetteer: Gazetteer, with_home: bool) -> None:
    from benchmarks.meeting_facts import world

    mine, baseline = world(gazetteer, with_home=with_home)
    assert mine.wrong_country.value <= 0.03  # alerts naming a country that took no part
    assert mine.sides.f1 >= 0.90 and mine.sides.f1 > baseline.sides.f1
    assert mine.participant_country.value >= 0.96
    assert mine.kind.value >= 0.93 and mine.kind.value > baseline.kind.value
    assert mine.place.value > baseline.place.value
    assert mine.day.value > baseline.day.value


@pytest.mark.timeout(300)
@pytest.mark.parametrize("with_home", [False, True], ids=["without-home", "with-home"])
def test_meeting_facts_on_the_white_house_readouts(gazetteer: Gazetteer, with_home: bool) -> None:
    from benchmarks.meeting_facts import white_house

    mine, baseline = white_house(gazetteer, with_home=with_home)
    assert mine.wrong_country.value <= 0.05
    assert mine.sides.f1 >= 0.95 and mine.sides.f1 > baseline.sides.f1
    assert mine.kind.value >= 0.97


@pytest.mark.timeout(300)
def test_conll_countries(gazetteer: Gazetteer) -> None:
    from benchmarks.quality import conll

    result = conll(gazetteer, None, False)
    assert result["countries_f1"] >= 0.92
    assert result["countries_f1"] > result["baseline_f1"]


@pytest.mark.timeout(300)
def test_reuters_places_on_the_first_3000_documents(gazetteer: Gazetteer) -> None:
    from benchmarks.quality import reuters

    result = reuters(gazetteer, 3000, False)
    assert result["places_f1"] >= 0.82
    assert result["orgs_f1"] >= 0.90  # on the stories whose organisations were labelled
    assert result["orgs_recall"] >= 0.90
