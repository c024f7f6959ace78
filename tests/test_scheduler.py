"""The worker under the real APScheduler: it polls, delivers, and stops when told."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from bot.app import App
from bot.config import Config, DatabaseConfig, OutboxConfig, SourcesConfig
from handlers.commands import Command
from handlers.console import ConsoleTransport, console_chat
from tests.conftest import NOW, SEED, eventually, running, sent_once


async def test_run_polls_and_delivers_then_stops(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(folder,), poll_seconds=0.1),
        outbox=OutboxConfig(drain_seconds=0.1),
    )
    out = io.StringIO()
    app = App.create(config, transports={"console": ConsoleTransport(out)})
    app.commands.handle(Command(console_chat("desk"), "subscribe", "Pakistan"), NOW)
    async with running(app):
        await eventually(lambda: bool(app.store.source_states()))  # a first poll ran
        shutil.copy(SEED, folder)  # a report arrives while the worker runs
        await eventually(lambda: "[alert" in out.getvalue())
        await eventually(lambda: sent_once(app))  # settled: a sent alert is never sent again
        assert app.store.delivery_counts() == {"sent": 1}
    assert out.getvalue().count("[alert \u2192 console:desk]") == 1
    assert "matched: Pakistan" in out.getvalue()
