"""Feeds and the report webhook against local servers; broken feeds never stop the others."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app import App
from bot.config import (
    Config,
    DatabaseConfig,
    FeedConfig,
    HttpConfig,
    OutboxConfig,
    Secrets,
    SourcesConfig,
    WebhookConfig,
)
from bot.httpserver import HttpServer
from bot.sources.webhook import PATH, ReportWebhook
from handlers.commands import Command
from handlers.console import ConsoleTransport, console_chat
from tests.conftest import NOW, SEED, eventually, running
from tests.fakes.feeds import FeedServer


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


def make_app(database_url: str, tmp_path: Path, *feeds: FeedConfig, **sources: object) -> App:
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(
            folders=(empty,),
            feeds=feeds,
            **{
                "read_timeout_seconds": 1.0,
                "connect_timeout_seconds": 1.0,
                "allow_private": ("127.0.0.1",),
                **sources,
            },
        ),  # type: ignore[arg-type]
        outbox=OutboxConfig(),
        http=HttpConfig(port=0),
    )
    return App.create(config, transports={"console": ConsoleTransport()})


async def test_rss_and_atom_entries_become_reports(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    app = make_app(
        database_url,
        tmp_path,
        FeedConfig("Foreign Office", feeds.url("/rss.xml"), home_country="PK"),
        FeedConfig("UN press", feeds.url("/atom.xml")),
    )
    try:
        summary = await app.poll_all(NOW)
        assert len(summary.ingested) == 2
        reports = {s.report.source: s for s in app.store.recent_reports(since=None, limit=10)}
        fo = reports["Foreign Office"]
        assert fo.report.title == "Dar meets Lavrov in Moscow"
        assert fo.report.url == feeds.url("/news/1")
        assert fo.report.published_at.date().isoformat() == "2025-04-06"
        assert fo.annotations.meeting is not None
        assert set(fo.annotations.meeting.countries) == {"PK", "RU"}
        un = reports["UN press"]
        assert "Guterres" in un.report.body
        assert {"UN"} <= {m.entity_id.split(":")[1] for m in un.annotations.mentions}
        again = await app.poll_all(NOW + timedelta(hours=1))
        assert again.ingested == [] and again.duplicates == []  # entries remembered
    finally:
        app.close()


async def test_the_outlet_is_what_the_report_says_else_its_host_never_a_file(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    """A feed with no name of ours is its own <title>; a JSON report names itself; a
    report with a link and no name is its host; a bare file is no outlet at all."""
    url = feeds.url("/rss.xml")
    app = make_app(database_url, tmp_path, FeedConfig(url, url))  # no name: the URL
    folder = tmp_path / "empty"
    call = "ISLAMABAD, June 10, 2025 - Ishaq Dar spoke by telephone with {} on {}."
    (folder / "r1.txt").write_text(call.format("Sergey Lavrov", "trade"))
    (folder / "dawn.json").write_text(
        json.dumps(
            [
                {"body": call.format("Wang Yi", "energy"), "url": "https://www.dawn.com/n/1"},
                {"body": call.format("Hakan Fidan", "gas"), "outlet": "Anadolu Agency"},
            ]
        )
    )
    try:
        await app.poll_all(NOW)
        stored = app.store.recent_reports(since=None, limit=10)
        outlets = {s.report.body.split(" with ")[-1]: s.report.outlet_name for s in stored}
        assert outlets.pop("Sergey Lavrov on trade.") == ""
        assert outlets.pop("Wang Yi on energy.") == "dawn.com"
        assert outlets.pop("Hakan Fidan on gas.") == "Anadolu Agency"
        assert set(outlets.values()) == {"Foreign Office press"}  # the feed's own entry
    finally:
        app.close()


async def test_a_teaser_gets_its_page_within_the_fetch_budget(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    app = make_app(
        database_url, tmp_path, FeedConfig("Wire", feeds.url("/teasers.xml")), max_page_fetches=1
    )
    try:
        summary = await app.poll_all(NOW)
        assert len(summary.ingested) == 2
        assert feeds.hits["/article/1"] == 1 and feeds.hits["/article/2"] == 0
        stored = {s.report.url: s for s in app.store.recent_reports(since=None, limit=10)}
        page = stored[feeds.url("/article/1")]
        assert "Mirziyoyev" in page.report.body
        assert "Copyright" not in page.report.body and "Home | World" not in page.report.body
        assert stored[feeds.url("/article/2")].report.body.startswith("Short teaser")
    finally:
        app.close()


@pytest.mark.timeout(60)
async def test_broken_feeds_are_reported_back_off_and_stop_nothing(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    broken = {
        "malformed": "/malformed.xml",
        "server error": "/error.xml",
        "never ends": "/slow.xml",
        "50 MB": "/huge.xml",
    }
    app = make_app(
        database_url,
        tmp_path,
        *(FeedConfig(name, feeds.url(path), interval_seconds=60) for name, path in broken.items()),
        FeedConfig("good", feeds.url("/rss.xml"), interval_seconds=60),
        max_feed_bytes=5_000_000,
    )
    try:
        summary = await app.poll_all(NOW)
        assert [i.source for i in summary.ingested] == ["good"]
        states = {s.name: s for s in app.store.source_states()}
        assert "malformed feed" in (states["malformed"].last_error or "")
        assert "HTTP 500" in (states["server error"].last_error or "")
        assert "timed out" in (states["never ends"].last_error or "")
        assert "too large" in (states["50 MB"].last_error or "")
        for name in broken:
            state = states[name]
            assert state.status == "error" and state.failures == 1
            assert state.next_poll_at is not None
            assert state.next_poll_at >= NOW + timedelta(seconds=120)  # backed off
        assert states["good"].status == "ok"
        assert states["good"].next_poll_at == NOW + timedelta(seconds=60)
        # nothing is due a minute later except the good feed
        hits = dict(feeds.hits)
        await app.poll_all(NOW + timedelta(seconds=61))
        assert feeds.hits["/error.xml"] == hits["/error.xml"]
        assert feeds.hits["/rss.xml"] == hits["/rss.xml"] + 1
    finally:
        app.close()


async def test_not_modified_and_changing_ids(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    app = make_app(
        database_url,
        tmp_path,
        FeedConfig("conditional", feeds.url("/conditional.xml"), interval_seconds=1),
        FeedConfig("changing", feeds.url("/changing.xml"), interval_seconds=1),
    )
    try:
        first = await app.poll_all(NOW)
        assert len(first.ingested) == 2
        second = await app.poll_all(NOW + timedelta(seconds=5))
        assert feeds.headers["/conditional.xml"][-1].get("If-None-Match") == '"v1"'
        assert second.ingested == []
        assert len(second.duplicates) == 1  # the changed id, same URL and text
        states = {s.name: s for s in app.store.source_states()}
        assert states["conditional"].status == "ok"
    finally:
        app.close()


async def test_a_hanging_feed_delays_no_other_feeds_reports(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    app = make_app(
        database_url,
        tmp_path,
        FeedConfig("hanging", feeds.url("/slow.xml")),
        FeedConfig("Foreign Office", feeds.url("/rss.xml")),
        read_timeout_seconds=20.0,
    )
    try:
        polling = asyncio.create_task(app.poll_all(NOW))
        deadline = asyncio.get_running_loop().time() + 10
        while not app.store.recent_reports(since=None, limit=5):
            assert asyncio.get_running_loop().time() < deadline, "the good feed never arrived"
            await asyncio.sleep(0.05)
        assert not polling.done()  # stored while the other feed still hangs
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
    finally:
        app.close()


async def test_webhook_paths(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path)
    server = HttpServer("127.0.0.1", 0)
    server.add_post(PATH, ReportWebhook("s3cret", 2000, app.ingest_one).handle)
    await server.start()
    url = f"http://127.0.0.1:{server.port}{PATH}"
    auth = {"Authorization": "Bearer s3cret"}
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json={"body": "x"}) as r:
                assert r.status == 401
            async with http.post(
                url, json={"body": "x"}, headers={"Authorization": "Bearer wrong"}
            ) as r:
                assert r.status == 401
            async with http.post(url, data="x" * 3000, headers=auth) as r:
                assert r.status == 413
            async with http.post(
                url, data="{not json", headers={**auth, "Content-Type": "application/json"}
            ) as r:
                assert r.status == 422
                assert "malformed JSON" in (await r.json())["error"]
            async with http.post(url, json={"title": "no body"}, headers=auth) as r:
                assert r.status == 422
                assert '"body" is required' in (await r.json())["error"]
            async with http.post(
                url, json={"body": "x", "published_at": "yesterday"}, headers=auth
            ) as r:
                assert r.status == 422
            async with http.post(url, json={"body": "x", "tier": "blog"}, headers=auth) as r:
                assert r.status == 422
                assert '"tier" must be one of official, agency, media' in (await r.json())["error"]
            report = {
                "title": "Dar meets Wang",
                "source": "APP",
                "outlet": "Associated Press of Pakistan",
                "tier": "agency",
                "url": "https://app/1",
                "body": "BEIJING, April 9 - Pakistani Foreign Minister Ishaq Dar met "
                "Chinese Foreign Minister Wang Yi in Beijing.",
            }
            async with http.post(url, json=report, headers=auth) as r:
                assert r.status == 202
                accepted = await r.json()
                assert accepted["status"] == "ingested" and accepted["id"] == 1
            async with http.post(url, json=report, headers=auth) as r:
                assert r.status == 202 and (await r.json())["status"] == "duplicate"
            async with http.post(
                url,
                data="TASHKENT (AP) - Leaders met.",
                headers={**auth, "Content-Type": "text/plain"},
            ) as r:
                assert r.status == 202 and (await r.json())["id"] == 2
        stored = app.store.get_report(1)
        assert stored is not None and stored.report.source == "APP"
        assert (stored.report.outlet, stored.report.tier) == (
            "Associated Press of Pakistan",
            "agency",
        )
    finally:
        await server.stop()
        app.close()


async def test_webhook_bodies_are_read_whole_or_refused_never_cut(
    database_url: str, tmp_path: Path
) -> None:
    app = make_app(database_url, tmp_path)
    server = HttpServer("127.0.0.1", 0)
    server.add_post(PATH, ReportWebhook("s3cret", 1_000_000, app.ingest_one).handle)
    await server.start()
    url = f"http://127.0.0.1:{server.port}{PATH}"
    auth = {"Authorization": "Bearer s3cret"}
    long_text = "ISLAMABAD, April 9 - Talks were held. " + "More words follow here. " * 37_000

    async def chunks(total: int) -> AsyncIterator[bytes]:
        for _ in range(total // 65536):
            yield b"x" * 65536

    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                url, data=long_text.encode(), headers={**auth, "Content-Type": "text/plain"}
            ) as r:
                assert r.status == 202, await r.text()  # 900 KB, under the limit: all of it
                stored = app.store.get_report((await r.json())["id"])
                assert stored is not None and stored.report.body.endswith("More words follow here.")
                assert len(stored.report.body) == len(long_text.strip()) - len(
                    "ISLAMABAD, April 9 - "
                )
            async with http.post(url, data=chunks(5_000_000), headers=auth) as r:
                assert r.status == 413  # chunked, no Content-Length: refused all the same
            deep = "[" * 100_000 + "]" * 100_000
            async with http.post(
                url, data=deep, headers={**auth, "Content-Type": "application/json"}
            ) as r:
                assert r.status == 422 and "nested too deeply" in (await r.json())["error"]
            async with http.post(
                url, json={"body": "x", "url": "https://a.example/" + "p" * 2000}, headers=auth
            ) as r:
                assert r.status == 422 and '"url" is longer' in (await r.json())["error"]
            nul = {"body": "Dar met\u0000 Wang Yi in Beijing.", "title": "Dar\u0000 meets Wang"}
            async with http.post(url, json=nul, headers=auth) as r:
                assert r.status == 202, await r.text()  # stored on PostgreSQL too
                stored = app.store.get_report((await r.json())["id"])
                assert stored is not None and "\x00" not in stored.report.body + stored.report.title
    finally:
        await server.stop()
        app.close()


async def test_readout_run_serves_the_webhook(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(empty,), poll_seconds=0.2),
        outbox=OutboxConfig(drain_seconds=0.2),
        http=HttpConfig(port=0),
        webhook=WebhookConfig(max_bytes=100_000),
        secrets=Secrets(webhook_token="t0ken"),
    )
    from io import StringIO

    out = StringIO()
    app = App.create(config, transports={"console": ConsoleTransport(out)})
    app.commands.handle(Command(console_chat("desk"), "subscribe", "China"), NOW)
    async with running(app, http=True):
        assert app.http is not None
        url = f"http://127.0.0.1:{app.http.port}{PATH}"
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                url,
                json={
                    "body": "BEIJING, April 9 - Chinese Foreign Minister Wang Yi met "
                    "Pakistani Foreign Minister Ishaq Dar."
                },
                headers={"Authorization": "Bearer t0ken"},
            ) as r,
        ):
            assert r.status == 202
        await eventually(lambda: "[alert" in out.getvalue())
        assert "matched: China" in out.getvalue()
        base = f"http://127.0.0.1:{app.http.port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200 and (await r.json())["status"] == "ok"
            for _ in range(50):  # the worker marks the alert sent a moment after printing it
                async with http.get(f"{base}/metrics") as r:
                    metrics = await r.text()
                if 'readout_deliveries{status="sent"} 1' in metrics:
                    break
                await asyncio.sleep(0.05)
        assert 'readout_deliveries{status="sent"} 1' in metrics
        assert "readout_reports 1" in metrics and "readout_subscriptions 1" in metrics


async def test_sources_test_shows_entries_and_stores_nothing(
    feeds: FeedServer, tmp_path: Path
) -> None:
    import os
    import shutil
    import sys

    readout = shutil.which("readout") or str(Path(sys.executable).parent / "readout")
    env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
    env["READOUT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'r.db'}"
    # The fake feed is on this machine: the operator allows it, as for an intranet feed.
    (tmp_path / "readout.toml").write_text('[sources]\nallow_private = ["127.0.0.1"]\n')
    proc = await asyncio.create_subprocess_exec(
        readout,
        "sources",
        "test",
        feeds.url("/rss.xml"),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert text.startswith("Foreign Office press: 1 entries")
    assert "\U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia \u00b7 Moscow" in text
    assert "Deputy Prime Minister Ishaq Dar (Pakistan) met" in text
    assert not (tmp_path / "r.db").exists()  # nothing stored

    broken = await asyncio.create_subprocess_exec(
        readout,
        "sources",
        "test",
        feeds.url("/error.xml"),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(broken.communicate(), timeout=60)
    assert broken.returncode == 1 and "HTTP 500" in out.decode()


async def test_one_worker_polls_at_a_time(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("MOSCOW, April 6 - Russia and China held talks on SCO.")
    config = Config(
        database=DatabaseConfig(url=database_url), sources=SourcesConfig(folders=(folder,))
    )
    first, second = App.create(config), App.create(config)  # two workers, one database
    try:
        with first.store.job_lock("poll-sources") as mine:
            assert mine
            skipped = await second.poll_all(NOW)
            if first.store.engine.dialect.name == "postgresql":
                assert skipped.ingested == []  # the other worker holds the lock
            else:
                assert len(skipped.ingested) == 1  # SQLite: one worker, no lock needed
        after = await second.poll_all(NOW)
        total = len(skipped.ingested) + len(after.ingested)
        assert total == 1
    finally:
        first.close()
        second.close()


async def test_a_hanging_feed_delays_no_folder_and_no_other_feed(
    feeds: FeedServer, database_url: str, tmp_path: Path
) -> None:
    """The worker's polls do not wait for a feed that never answers: a report dropped
    in the folder meanwhile is stored, and so is a good feed's, each on its own."""
    folder = tmp_path / "empty"
    app = make_app(
        database_url,
        tmp_path,
        FeedConfig("never ends", feeds.url("/slow.xml"), interval_seconds=60),
        FeedConfig("good", feeds.url("/rss.xml"), interval_seconds=60),
        read_timeout_seconds=30.0,
        poll_seconds=0.05,
    )
    try:
        async with running(app):
            await eventually(lambda: feeds.hits["/slow.xml"] == 1)
            shutil.copy(SEED, folder)
            await eventually(lambda: any(
                s.report.source != "good" for s in app.store.recent_reports(since=None, limit=20)
            ))  # fmt: skip
            await eventually(lambda: feeds.hits["/rss.xml"] == 1)
            assert feeds.hits["/slow.xml"] == 1  # not started again while it hangs
    finally:
        app.close()
