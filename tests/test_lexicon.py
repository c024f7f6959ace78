"""The word-list syntax of `seeds/languages/<code>.toml` (bot.extract.lexicon) and the
checks a language file gets when it is read."""

from __future__ import annotations

import pytest

from bot.errors import GazetteerError
from bot.extract import Gazetteer
from bot.extract.lexicon import alternation, language, words_pattern


@pytest.mark.parametrize(
    ("entry", "text", "found"),
    [
        ("met", "They met today", "met"),
        ("met", "a metropolis", None),  # a whole word
        ("встрет*", "Лавров встретился с", "встретился"),  # a stem
        ("*gespräch*", "ein Telefongespräch mit", "gespräch"),  # inside a compound
        ("ruled out", "a meeting was ruled\n out", "ruled\n out"),  # any white space
        ("s'est entretenu", "il s’est entretenu avec", "s’est entretenu"),  # either apostrophe
        ("=may", "they may meet", "may"),  # this case only
        ("=may", "on May 21 they met", None),
        ("um … zu", "um die Lage zu besprechen", "um die Lage zu"),
    ],
)
def test_an_entry_matches_as_its_syntax_says(entry: str, text: str, found: str | None) -> None:
    match = words_pattern([entry]).search(text)
    assert (match.group() if match else None) == found


def test_the_longest_entry_is_tried_first_and_no_entry_matches_nothing() -> None:
    assert words_pattern(["talk*", "talks with"]).search("talks with").group() == "talks with"
    assert alternation([]) == ""
    assert words_pattern([" "]).search("anything") is None


def test_named_lists_are_checked_and_a_missing_one_is_named() -> None:
    spoken = language("xx", {"lists": {"future": ["will", "shall"]}})
    assert spoken.alternation("future")
    with pytest.raises(GazetteerError, match=r"xx\.toml: \[lists\] has no 'done'"):
        spoken.alternation("done")
    with pytest.raises(GazetteerError, match="lists of strings"):
        language("xx", {"lists": {"future": "will"}})
    with pytest.raises(GazetteerError, match="unknown keys"):
        language("xx", {"futures": ["will"]})
    with pytest.raises(GazetteerError, match="family_names"):
        language("xx", {"family_names": {"정": "Chung"}})
    assert language("xx", {"family_names": {"정": ["Chung"]}}).family_names == {"정": ("chung",)}


def test_english_is_read_with_the_lists_of_its_file(gazetteer: Gazetteer) -> None:
    english = gazetteer.lexicon.get("en")
    assert english is not None
    for name in ("future", "planned", "done", "negated", "recalled", "said", "host", "visit"):
        assert english.lists[name], name
    keep = english.derived(_marker)
    assert english.derived(_marker) is keep  # made once


def _marker(words: object) -> object:
    return object()
