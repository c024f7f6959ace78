"""The gazetteer's cache between runs (bot.knowledge.load_or_build): read back only when
it is this data's and this user's own, rebuilt when it cannot be read, never in the way."""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from bot.extract import Gazetteer, extract
from bot.knowledge import cache_dir, load_or_build
from bot.models import Entity, EntityKind
from bot.reports import RawDocument, parse_report
from tests.conftest import NOW

MARK = Entity("country:XX", EntityKind.COUNTRY, "Cacheland")


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("gazetteer-*.pickle"))


def _planted(built: Path, folder: Path, content: bytes, mode: int) -> tuple[Path, Path]:
    """A file under the cache's own name in `folder`, holding `content`: (it, the cache)."""
    (cached,) = _cache_files(built)
    path = folder / cached.name
    path.write_bytes(content)
    path.chmod(mode)
    return path, cached


def _marked(gazetteer: Gazetteer) -> Gazetteer:
    """The gazetteer with one entity no seed file has, to tell a read cache from a build."""
    return replace(gazetteer, entities={**gazetteer.entities, MARK.id: MARK})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Gazetteer]:
    folder = tmp_path_factory.mktemp("cache")
    return folder, load_or_build(folder)


def test_the_first_load_writes_one_file_that_the_next_reads(
    built: tuple[Path, Gazetteer], tmp_path: Path
) -> None:
    folder, gazetteer = built
    (cached,) = _cache_files(folder)
    assert cached.stat().st_mode & 0o077 == 0  # the user's alone
    _planted(folder, tmp_path, pickle.dumps(_marked(gazetteer)), 0o600)
    assert load_or_build(tmp_path).entity(MARK.id) == MARK


def test_a_cached_gazetteer_reads_a_report_as_a_built_one(
    built: tuple[Path, Gazetteer], seed_text: str
) -> None:
    folder, gazetteer = built
    cached = load_or_build(folder)
    assert cached is not gazetteer
    report = parse_report(RawDocument(seed_text, source="seed"), now=NOW)
    assert extract(report, cached) == extract(report, gazetteer)


def test_a_cut_file_is_rebuilt_and_replaced(
    built: tuple[Path, Gazetteer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, _ = built
    (cached,) = _cache_files(folder)
    path, _ = _planted(folder, tmp_path, cached.read_bytes()[:1000], 0o600)
    with caplog.at_level(logging.WARNING, "bot.knowledge"):
        gazetteer = load_or_build(tmp_path)
    assert "could not read the gazetteer cache" in caplog.text
    assert gazetteer.entity("country:PK") is not None
    assert path.stat().st_size > 1000  # written anew, whole: read back without a word
    caplog.clear()
    with caplog.at_level(logging.WARNING, "bot.knowledge"):
        assert load_or_build(tmp_path).entity("country:PK") is not None
    assert not caplog.text


def test_a_file_others_may_write_is_not_read(
    built: tuple[Path, Gazetteer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, gazetteer = built
    _planted(folder, tmp_path, pickle.dumps(_marked(gazetteer)), 0o666)
    with caplog.at_level(logging.WARNING, "bot.knowledge"):
        loaded = load_or_build(tmp_path)
    assert "not this user's own file" in caplog.text
    assert loaded.entity(MARK.id) is None


def test_old_caches_go_and_an_unwritable_folder_costs_only_speed(
    built: tuple[Path, Gazetteer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, _ = built
    (cached,) = _cache_files(folder)
    old = tmp_path / "gazetteer-0123456789abcdef.pickle"
    old.write_bytes(b"of another version")
    _planted(folder, tmp_path, cached.read_bytes(), 0o600)
    load_or_build(tmp_path)  # read: nothing written, nothing removed
    assert old.exists()
    (tmp_path / cached.name).unlink()
    load_or_build(tmp_path)  # built and written: the other version's file goes
    assert _cache_files(tmp_path) == [tmp_path / cached.name]

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, "bot.knowledge"):
        gazetteer = load_or_build(blocked / "cache")
    assert "could not write the gazetteer cache" in caplog.text
    assert gazetteer.entity("country:PK") is not None
    assert not list(tmp_path.glob(".gazetteer-*.tmp"))


def test_the_cache_folder_is_the_variable_or_the_users_and_empty_means_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("READOUT_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.setenv("READOUT_CACHE_DIR", "")
    assert cache_dir() is None
    monkeypatch.delenv("READOUT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "readout"
    assert os.environ.get("READOUT_CACHE_DIR") is None
