"""The shipped catalogue of feeds: its data checked entry by entry, each entry read from
stored samples of the feed formats it may send, enabled through the configuration, and
shown as unverified until a poll of it succeeds."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pycountry
import pytest

from bot.config import load_config
from bot.errors import ConfigError
from bot.reports import TIERS, parse_report
from bot.sources import catalogue
from bot.sources.rss import entries_to_documents, feed_outlet, parse_feed
from tests.conftest import NOW

SAMPLES = Path(__file__).parent / "fixtures" / "feeds"
ENTRIES = catalogue.load()
LISTS = (
    "plenaryapp/awesome-rss-feeds@",
    "yavuz/news-feed-list-of-countries@",
    "AJWolfe18/TTracker@",
    "ZR1389/sentinel_ai_rss@",
    "vkalinovski/RSS_Project@",
)


def test_it_spans_sixty_feeds_thirty_countries_and_eight_languages() -> None:
    assert len(ENTRIES) >= 60
    assert len({e.home_country for e in ENTRIES} - {""}) >= 30
    assert len({e.language for e in ENTRIES}) >= 8
    assert {e.tier for e in ENTRIES} == set(TIERS)
    assert len({e.name for e in ENTRIES}) == len(ENTRIES)  # one outlet, one name
    assert len({e.url for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_each_entry_says_who_publishes_it_and_where_its_address_was_published(
    entry: catalogue.CatalogueEntry,
) -> None:
    parts = urlsplit(entry.url)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert entry.tier in TIERS
    # A country's outlet has its home country; an international organisation's none.
    assert pycountry.countries.get(alpha_2=entry.home_country) is not None or (
        entry.home_country == "" and entry.tier == "official"
    )
    assert pycountry.languages.get(alpha_2=entry.language) is not None
    # A public list at a pinned commit, and the list's own name for the feed.
    assert entry.listed_in.startswith(LISTS)
    assert re.search(r"@[0-9a-f]{12}:\S+", entry.listed_in) and " as " in entry.listed_in


@pytest.mark.parametrize("sample", ["rss2.xml", "atom.xml", "rss1.xml"])
async def test_every_entry_reads_each_feed_format_as_its_own_outlet(sample: str) -> None:
    """A feed's format is known only when it answers: every entry is read through the
    real parser and pipeline from a stored sample of each format, and its reports carry
    the entry's outlet, tier and home country."""
    body = (SAMPLES / sample).read_bytes()
    title, entries = parse_feed(body, "https://example.org/feed")
    assert title and len(entries) == 1 and entries[0].published is not None
    assert not entries[0].is_teaser  # the whole text: no page is fetched
    config = load_config(None, {"READOUT_SOURCES_CATALOGUE": "all"})
    feeds = config.sources.feeds
    assert [f.name for f in feeds] == [e.name for e in ENTRIES]
    limits = config.sources.fetch_limits()
    async with aiohttp.ClientSession() as session:  # asked for nothing: no teaser here
        for feed, entry in zip(feeds, ENTRIES, strict=True):
            outlet = feed_outlet(feed, title)
            [raw] = await entries_to_documents(session, entries, feed, limits, outlet)
            report = parse_report(raw, now=NOW)
            assert (report.outlet_name, report.tier, report.home_country or "") == (
                entry.name,
                entry.tier,
                entry.home_country,
            )
            assert "Lavrov" in report.body and report.url


def test_entries_are_enabled_by_name_or_kind_and_an_unknown_one_is_named() -> None:
    config = load_config(None, {"READOUT_SOURCES_CATALOGUE": "tass (english), country:PK"})
    feeds = {f.name: f for f in config.sources.feeds}
    assert "TASS (English)" in feeds and "The Express Tribune" in feeds
    assert all(f.listed_in for f in feeds.values())
    assert {f.home_country for f in feeds.values()} == {"RU", "PK"}
    agencies = load_config(None, {"READOUT_SOURCES_CATALOGUE": "tier:agency"}).sources.feeds
    assert agencies and {f.tier for f in agencies} == {"agency"}
    with pytest.raises(ConfigError, match=r"'Dawn' selects no feed.*READOUT_SOURCES_CATALOGUE"):
        load_config(None, {"READOUT_SOURCES_CATALOGUE": "Dawn"})
    with pytest.raises(ConfigError, match="did you mean TASS"):
        load_config(None, {"READOUT_SOURCES_CATALOGUE": "TAS"})


def test_a_feed_the_operator_configured_stays_theirs(tmp_path: Path) -> None:
    path = tmp_path / "readout.toml"
    url = next(e.url for e in ENTRIES if e.name == "TASS (English)")
    path.write_text(
        f'[sources]\ncatalogue = ["country:RU"]\n[[sources.feeds]]\nname = "Mine"\nurl = "{url}"\n'
    )
    feeds = load_config(path, {}).sources.feeds
    assert [f.name for f in feeds if f.url == url] == ["Mine"]  # not enabled a second time
    assert feeds[0].listed_in == "" and all(f.listed_in for f in feeds[1:])


def test_an_entry_is_unverified_until_a_poll_of_it_succeeds(tmp_path: Path) -> None:
    import io
    from dataclasses import replace

    from bot.cli import sources_catalogue, sources_list
    from bot.models import SourceState
    from storage import SqlStore, connect, upgrade

    url = f"sqlite:///{tmp_path / 'r.db'}"
    env = {"READOUT_DATABASE_URL": url, "READOUT_SOURCES_CATALOGUE": "TASS (English), TASS"}
    config = load_config(None, env)
    engine = connect(url)
    upgrade(engine)
    tass = next(f for f in config.sources.feeds if f.name == "TASS (English)")
    SqlStore(engine).save_source_state(
        replace(SourceState(tass.name, "rss", tass.url), status="ok", last_poll_at=NOW)
    )
    engine.dispose()
    listing = io.StringIO()
    assert sources_list(config, listing) == 0
    blocks = listing.getvalue().split("\n" + "TASS (rss)")
    assert "unverified" not in blocks[0].split("TASS (English) (rss)")[1]  # polled: ok
    assert "from the catalogue, unverified: no poll of it has succeeded yet" in blocks[1]
    shown = io.StringIO()
    assert sources_catalogue(config, ["tier:agency"], shown) == 0
    lines = shown.getvalue().splitlines()
    assert lines[
        lines.index(next(x for x in lines if x.startswith("TASS (English)"))) + 1
    ].startswith("    enabled, verified by a poll")
    assert "    enabled, unverified" in shown.getvalue()  # TASS in Russian: never polled
    assert "    not enabled, unverified" in shown.getvalue()  # Xinhua and the others
