"""The worker under the real APScheduler: it polls, delivers, and stops when told."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

from bot.app import App
from bot.config import Config, DatabaseConfig, OutboxConfig, SourcesConfig
from handlers.commands import Command
from handlers.console import ConsoleTransport, console_chat
from tests.conftest import NOW, SEED, running


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
        await asyncio.sleep(0.3)
        shutil.copy(SEED, folder)  # a report arrives while the worker runs
        for _ in range(100):
            if "[alert" in out.getvalue():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # more rounds: nothing is posted twice
    assert out.getvalue().count("[alert \u2192 console:desk]") == 1
    assert "matched: Pakistan" in out.getvalue()
