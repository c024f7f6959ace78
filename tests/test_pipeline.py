"""Source -> report -> extraction -> match -> outbox -> transport, on both databases."""

from __future__ import annotations

import asyncio
import io
import logging
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import OutboxConfig
from bot.errors import DeliveryError
from bot.extract import Gazetteer
from bot.models import Chat, ChatRef, DeliveryStatus, Message
from bot.outbox import Outbox
from bot.pipeline import Ingestor
from bot.query import parse, to_json
from bot.reports import RawDocument
from bot.sources import FolderSource
from bot.summarize import ALERT_LIMIT
from handlers.console import ConsoleTransport
from storage import SqlStore
from tests.conftest import NOW, SEED, ManualClock


class RecordingTransport:
    """A chat platform that records what it is sent and fails as told (a port double)."""

    platform = "console"

    def __init__(self, failures: list[DeliveryError] | None = None) -> None:
        self.failures = list(failures or [])
        self.sent: list[tuple[Chat, Message]] = []

    async def send(self, chat: Chat, message: Message) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat, message))


@pytest.fixture
def seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def subscribe(store: SqlStore, gazetteer: Gazetteer, chat: str, *queries: str) -> int:
    chat_row = store.ensure_chat(ChatRef("console", chat), NOW)
    for query in queries:
        store.add_subscription(chat_row.id, query, to_json(parse(query, gazetteer)), NOW)
    return chat_row.id


def outbox(
    store: SqlStore,
    gazetteer: Gazetteer,
    transport: RecordingTransport,
    clock: ManualClock | None = None,
) -> Outbox:
    config = OutboxConfig(give_up_after_hours=1.0, backoff_seconds=10)
    return Outbox(store, {"console": transport}, gazetteer, config, clock=clock)


async def test_one_report_three_subscriptions_one_message(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    subscribe(store, gazetteer, "watcher", "Pakistan", "SCO", "energy")
    subscribe(store, gazetteer, "other", "India")
    summary = Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    assert len(summary.ingested) == 1 and summary.ingested[0].chats == 1
    transport = RecordingTransport()
    result = await outbox(store, gazetteer, transport).drain_once(NOW)
    assert result.sent == 1
    [(chat, message)] = transport.sent
    assert chat.external_id == "watcher"
    assert "matched: Pakistan (side), SCO (mentioned), energy" in message.text
    assert message.card is not None and message.card.matched == (
        "Pakistan (side)",
        "SCO (mentioned)",
        "energy",
    )
    assert "\U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia \u00b7 Tashkent" in (
        message.text
    )
    assert len(message.text) <= ALERT_LIMIT  # the alert's size on every platform


async def test_ingesting_the_same_report_twice_posts_nothing_more(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path, tmp_path: Path
) -> None:
    subscribe(store, gazetteer, "watcher", "Pakistan")
    ingestor = Ingestor(store, gazetteer)
    ingestor.ingest(FolderSource(seed_folder).poll(), NOW)
    transport = RecordingTransport()
    box = outbox(store, gazetteer, transport)
    await box.drain_once(NOW)
    # the same text again, from another folder and with other whitespace
    again = tmp_path / "again"
    again.mkdir()
    (again / "copy.txt").write_text(SEED.read_text() + "\n\n", encoding="utf-8")
    summary = ingestor.ingest(FolderSource(again).poll(), NOW)
    assert summary.ingested == [] and len(summary.duplicates) == 1
    await box.drain_once(NOW + timedelta(minutes=5))
    assert len(transport.sent) == 1


def test_garbage_files_are_reported_and_skipped(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    (seed_folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (seed_folder / "empty.txt").write_bytes(b"")
    (seed_folder / "huge.txt").write_text("Pakistan and Russia met. " * 420_000)  # ~10 MB
    (seed_folder / "latin1.txt").write_bytes("ISLAMABAD: Caf\xe9 talks".encode("latin-1"))
    (seed_folder / "broken.json").write_text('{"body": "unterminated')
    (seed_folder / "nobody.json").write_text('{"title": "no body"}')
    (seed_folder / "ok.json").write_text(
        '{"title": "Lavrov meets Dar", "body": "MOSCOW, 6 April 2025 - Russian Foreign '
        'Minister Sergei Lavrov met Pakistan\'s Ishaq Dar.", "url": "https://example.org/1"}'
    )
    (seed_folder / "page.html").write_text(
        "<html><script>var x=1;</script><body><p>TASHKENT (AP) \u2014 Uzbek and Indian "
        "ministers met.</p></body></html>"
    )
    summary = Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    reasons = {Path(p.location).name: p.reason for p in summary.problems}
    assert set(reasons) == {
        "binary.txt",
        "empty.txt",
        "huge.txt",
        "latin1.txt",
        "broken.json",
        "nobody.json",
    }
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "malformed JSON" in reasons["broken.json"]
    assert len(summary.ingested) == 3  # the seed, the JSON report, the HTML page
    titles = {i.title for i in summary.ingested}
    assert "Lavrov meets Dar" in titles
    assert any(t.startswith("Uzbek and Indian ministers met") for t in titles)


def test_an_unchanged_folder_is_not_read_again(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    source = FolderSource(seed_folder)
    assert len(list(source.poll())) == 1
    assert list(source.poll()) == []
    (seed_folder / "new.txt").write_text("MOSCOW, 6 April 2025 - New talks.")
    assert len(list(source.poll())) == 1


async def test_retry_after_is_honoured_then_delivered_once(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    subscribe(store, gazetteer, "watcher", "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    transport = RecordingTransport([DeliveryError("429 Too Many Requests", retry_after=2)])
    clock = ManualClock(NOW)
    box = outbox(store, gazetteer, transport, clock)
    assert (await box.drain_once(clock.now)).retried == 1
    [row] = store.deliveries_for_report(1)
    assert row.next_attempt_at == NOW + timedelta(seconds=2)  # from the 429, exactly
    assert (await box.drain_once(clock.advance(1.999))).handled == 0  # not yet
    assert (await box.drain_once(clock.advance(0.001))).sent == 1
    assert (await box.drain_once(clock.advance(600))).handled == 0
    assert len(transport.sent) == 1


async def test_rows_a_stalled_worker_claimed_are_sent_once_by_another(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    for chat in ("a", "b", "c"):
        subscribe(store, gazetteer, chat, "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    stalled = store.claim_due(NOW, limit=10, lease_seconds=120, token="0" * 32)
    assert len(stalled) == 3
    transport = RecordingTransport()
    clock = ManualClock(NOW)
    box = outbox(store, gazetteer, transport, clock)
    assert (await box.drain_once(clock.advance(60))).handled == 0  # still held by the other
    assert (await box.drain_once(clock.advance(61))).sent == 3  # its lease ran out
    # The stalled worker wakes up: it holds none of them any more, so it sends nothing.
    assert store.renew_claim([d.id for d in stalled], "0" * 32, clock.advance(1)) == []
    assert sorted(chat.external_id for chat, _ in transport.sent) == ["a", "b", "c"]


async def test_one_chats_backlog_never_holds_another_chats_alert(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    busy = subscribe(store, gazetteer, "busy", "Russia")
    subscribe(store, gazetteer, "quiet", "China")
    ingestor = Ingestor(store, gazetteer)
    for number in range(40):
        ingestor.ingest(
            [RawDocument(f"MOSCOW, April 6 - Russia and Kazakhstan talks, round {number}.", "x")],
            NOW,
        )
    ingestor.ingest([RawDocument("BEIJING, April 6 - China and Laos held talks.", "x")], NOW)
    transport = RecordingTransport()
    await outbox(store, gazetteer, transport, ManualClock(NOW)).drain_once(NOW)
    order = [chat.external_id for chat, _ in transport.sent]
    assert len(order) == 41 and order.count("busy") == 40
    assert order.index("quiet") <= 1  # served in the first round, not after 40 others
    assert store.get_chat(busy) is not None


async def test_transient_errors_retry_until_the_alert_is_old_then_give_up(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    subscribe(store, gazetteer, "watcher", "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    transport = RecordingTransport([DeliveryError("timeout")] * 50)
    clock = ManualClock(NOW)
    box = outbox(store, gazetteer, transport, clock)  # gives up after 1 hour
    attempts = 0
    while clock.now - NOW < timedelta(hours=1):
        assert (await box.drain_once(clock.now)).retried == 1  # never given up early
        attempts += 1
        [row] = store.deliveries_for_report(1)
        clock.now = row.next_attempt_at
    assert attempts > 3  # an old fixed count of attempts no longer ends it
    assert (await box.drain_once(clock.now)).failed == 1
    [delivery] = store.deliveries_for_report(1)
    assert delivery.status is DeliveryStatus.FAILED
    assert "in 1 h: timeout" in (delivery.last_error or "")


async def test_a_chat_that_removed_the_bot_is_retired(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    chat_id = subscribe(store, gazetteer, "gone", "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    transport = RecordingTransport([DeliveryError("bot was kicked", retire_chat=True)])
    assert (await outbox(store, gazetteer, transport).drain_once(NOW)).failed == 1
    chat = store.get_chat(chat_id)
    assert chat is not None and not chat.active
    assert store.active_subscriptions() == []


async def test_a_transport_bug_does_not_lose_the_delivery(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    class Broken(RecordingTransport):
        async def send(self, chat: Chat, message: Message) -> None:
            raise KeyError("oops")

    subscribe(store, gazetteer, "watcher", "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    result = await outbox(store, gazetteer, Broken()).drain_once(NOW)
    assert result.retried == 1
    [delivery] = store.deliveries_for_report(1)
    assert delivery.status is DeliveryStatus.PENDING and "oops" in (delivery.last_error or "")


async def test_console_transport_prints_the_alert(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    subscribe(store, gazetteer, "watcher", "SCO")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    out = io.StringIO()
    box = Outbox(store, {"console": ConsoleTransport(out)}, gazetteer, OutboxConfig())
    await box.drain_once(NOW)
    printed = out.getvalue()
    assert "[alert \u2192 console:watcher]" in printed
    assert "matched: SCO" in printed
    assert "150th Inter-Parliamentary Union (IPU) Assembly" in printed


def test_a_report_that_failed_on_our_side_is_tried_again(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path, database_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from bot.app import App
    from bot.config import Config, DatabaseConfig, SourcesConfig

    config = Config(
        database=DatabaseConfig(url=database_url), sources=SourcesConfig(folders=(seed_folder,))
    )
    first = App.create(config)
    with store.engine.begin() as conn:  # the database fails under the worker
        conn.execute(text("ALTER TABLE meetings RENAME TO meetings_gone"))
    try:
        broken = first.poll_sources(NOW)
    finally:
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE meetings_gone RENAME TO meetings"))
        first.close()
    assert broken.ingested == [] and "could not ingest" in broken.problems[0].reason
    same = App.create(config)
    try:  # the same worker, at its next poll, and a restarted one: both read it again
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE meetings RENAME TO meetings_gone"))
        try:
            assert same.poll_sources(NOW).ingested == []
        finally:
            with store.engine.begin() as conn:
                conn.execute(text("ALTER TABLE meetings_gone RENAME TO meetings"))
        assert len(same.poll_sources(NOW).ingested) == 1  # no restart needed
    finally:
        same.close()
    again = App.create(config)  # a restart: the file was marked as read once stored
    try:
        assert again.poll_sources(NOW).ingested == []
    finally:
        again.close()


def test_a_stopping_worker_leaves_the_rest_of_a_folder_for_the_next_poll(
    database_url: str, tmp_path: Path
) -> None:
    from bot.app import App
    from bot.config import Config, DatabaseConfig, SourcesConfig

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(5):
        (folder / f"{number}.txt").write_text(f"MOSCOW, April 6 - Talks on trade, part {number}.")
    config = Config(
        database=DatabaseConfig(url=database_url), sources=SourcesConfig(folders=(folder,))
    )
    app = App.create(config)
    try:
        calls = 0

        def stop_after_two() -> bool:
            nonlocal calls
            calls += 1
            return calls > 2

        items = list(app.sources[0].poll())
        part = app.ingestor.ingest(items, NOW, stop=stop_after_two)
        assert len(part.ingested) == 2 and len(part.failed_keys) == 3
    finally:
        app.close()
    stopping = App.create(config)
    try:
        stopping.stopping.set()  # SIGTERM arrived: this poll reads nothing and loses nothing
        assert stopping.poll_sources(NOW).ingested == []
    finally:
        stopping.close()
    again = App.create(config)  # the next start reads the three the first one left
    try:
        summary = again.poll_sources(NOW)
        assert len(summary.ingested) == 3 and len(summary.duplicates) == 2
    finally:
        again.close()


def test_the_subscription_index_is_updated_only_after_a_change(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    ingestor = Ingestor(store, gazetteer)
    other_worker = SqlStore(store.engine)  # another process's store on the same database
    chat = subscribe(store, gazetteer, "desk", "Pakistan")

    def fires(text: str) -> bool:
        raw = RawDocument(text, source="feed")
        return bool(ingestor.ingest_one(raw, ingestor.index(), NOW).chats)

    assert fires("ISLAMABAD, April 6 - Pakistan and Russia held talks.")
    assert fires("ISLAMABAD, April 7 - Pakistan and Iran held talks.")
    assert (ingestor.index_builds, ingestor.index_updates) == (1, 0)  # two reports, one build
    [sub] = store.list_subscriptions(chat)
    assert other_worker.set_paused(chat, sub.id, True)  # paused elsewhere: seen here
    assert not fires("ISLAMABAD, April 8 - Pakistan and China held talks.")
    assert other_worker.set_paused(chat, sub.id, True)  # no change: nothing read again
    assert not fires("ISLAMABAD, April 9 - Pakistan and India held talks.")
    assert (ingestor.index_builds, ingestor.index_updates) == (1, 1)
    subscribe(other_worker, gazetteer, "desk", "Pakistan")  # resumed
    assert fires("ISLAMABAD, April 10 - Pakistan and Turkey held talks.")
    other_worker.retire_chat(chat, "blocked", NOW)
    assert not fires("ISLAMABAD, April 11 - Pakistan and Qatar held talks.")
    other_worker.ensure_chat(ChatRef("console", "desk"), NOW)  # it talks to us again
    assert fires("ISLAMABAD, April 12 - Pakistan and Oman held talks.")
    # Each change replaced the one chat's subscriptions; the index was built once.
    assert (ingestor.index_builds, ingestor.index_updates) == (1, 4)
    assert ingestor.index().size == 1


def test_an_index_too_far_behind_the_change_log_is_built_again(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    from sqlalchemy import text

    ingestor = Ingestor(store, gazetteer)
    chat = subscribe(store, gazetteer, "desk", "Pakistan")
    ingestor.index()
    subscribe(store, gazetteer, "desk", "Russia", "India")
    with store.engine.begin() as conn:  # the log pruned past this index's version
        conn.execute(text("DELETE FROM subscription_changes WHERE version = 2"))
    index = ingestor.index()
    assert (ingestor.index_builds, ingestor.index_updates) == (2, 0)
    assert index.size == 3 and index.distinct == 3 and chat


def test_a_worker_sets_the_collector_for_ingestion(database_url: str) -> None:
    """What is loaded at start is frozen out of the collector's walks, and the young
    generation is large enough for a poll's alerts (see `tune_collector`)."""
    import gc

    from bot.app import App
    from bot.config import Config, DatabaseConfig

    app = App.create(Config(database=DatabaseConfig(url=database_url)))
    try:
        assert gc.get_threshold()[0] == 50_000
        assert gc.get_freeze_count() > 100_000  # the gazetteer among it
        # Built at start, not inside the first report in another language that names someone.
        assert "_by_sound" in vars(app.gazetteer.officeholders)
    finally:
        app.close()


def test_a_worker_with_readers_reads_its_polls_in_other_processes(
    seed_folder: Path, database_url: str
) -> None:
    from bot.app import App
    from bot.config import Config, DatabaseConfig, SourcesConfig
    from bot.readers import ProcessReader

    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(seed_folder,), readers=2),
    )
    app = App.create(config)
    try:
        assert isinstance(app.ingestor.reader, ProcessReader)
        assert app.ingestor.reader.processes == 2
        [ingested] = app.poll_sources(NOW).ingested
        stored = app.store.get_report(ingested.report_id)  # type: ignore[arg-type]
        assert stored is not None and stored.annotations.meeting is not None
    finally:
        app.close()
    assert app.ingestor.reader._pool is None  # its processes stopped with the worker


class BlockingTransport(RecordingTransport):
    """Sends the first alert, then waits on the second until let go (a slow platform)."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = asyncio.Event()
        self.go = asyncio.Event()

    async def send(self, chat: Chat, message: Message) -> None:
        if self.sent:
            self.waiting.set()
            await self.go.wait()
        await super().send(chat, message)


async def test_a_stopping_drain_gives_back_what_it_holds_and_the_heartbeat_keeps_it(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    """Three chats' alerts claimed together: while the second is being sent, the heartbeat
    renews the claims; then the worker stops: the third is given back, due at once and
    its claim not counted as a try, for another worker to send."""
    for chat in ("a", "b", "c"):
        subscribe(store, gazetteer, chat, "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    stopping = threading.Event()
    transport = BlockingTransport()
    clock = ManualClock(NOW)
    config = OutboxConfig(lease_seconds=15)
    box = Outbox(
        store, {"console": transport}, gazetteer, config, clock=clock, stop=stopping.is_set
    )
    drain = asyncio.create_task(box.drain_once(clock.now))
    await asyncio.wait_for(transport.waiting.wait(), 10)
    later = clock.advance(10)
    assert await box.heartbeat(later) == 2  # the one being sent and the next
    held = [d for d in store.deliveries_for_report(1) if d.status is DeliveryStatus.PENDING]
    assert {d.next_attempt_at for d in held} == {later + timedelta(seconds=15)}
    stopping.set()
    transport.go.set()
    result = await asyncio.wait_for(drain, 10)
    assert result.sent == 2
    [left] = [d for d in store.deliveries_for_report(1) if d.status is DeliveryStatus.PENDING]
    assert left.next_attempt_at == clock.now and left.attempts == 0
    assert await box.heartbeat(clock.now) == 0  # the drain is over: nothing held
    other = outbox(store, gazetteer, RecordingTransport(), clock)
    assert (await other.drain_once(clock.now)).sent == 1


async def test_a_cancelled_drain_gives_back_what_it_holds(
    store: SqlStore, gazetteer: Gazetteer, seed_folder: Path
) -> None:
    for chat in ("a", "b", "c"):
        subscribe(store, gazetteer, chat, "Pakistan")
    Ingestor(store, gazetteer).ingest(FolderSource(seed_folder).poll(), NOW)
    transport = BlockingTransport()
    clock = ManualClock(NOW)
    box = outbox(store, gazetteer, transport, clock)
    drain = asyncio.create_task(box.drain_once(clock.now))
    await asyncio.wait_for(transport.waiting.wait(), 10)
    drain.cancel()
    with pytest.raises(asyncio.CancelledError):
        await drain
    pending = [d for d in store.deliveries_for_report(1) if d.status is DeliveryStatus.PENDING]
    assert len(pending) == 2 and all(d.next_attempt_at == clock.now for d in pending)


def test_a_polls_progress_counts_each_document_and_its_warnings_are_said_once(
    store: SqlStore, gazetteer: Gazetteer, caplog: pytest.LogCaptureFixture
) -> None:
    """250 reports without a dateline: progress moves one document at a time up to 250
    (never ahead of the work), and the log says the missing dateline once, counted."""
    from bot.sources import Problem

    items: list[RawDocument | Problem] = [
        RawDocument(f"Talks on trade between Pakistan and Russia, round {n}.", f"r{n}.txt")
        for n in range(250)
    ]
    items.append(Problem("broken.txt", "not UTF-8 text"))
    done: list[int] = []
    with caplog.at_level(logging.WARNING):
        summary = Ingestor(store, gazetteer).ingest(items, NOW, progress=done.append)
    assert len(summary.ingested) == 250 and len(summary.problems) == 1
    assert sum(done) == 251 and set(done) <= {0, 1}  # one at a time
    said = [r.getMessage() for r in caplog.records if "dateline" in r.getMessage()]
    assert said == ["250 report(s): no dateline or date found: using the ingestion time"]
