"""Whether one chat can hold the others up: the seconds until chat B's /help is answered
while chat A floods the bot with commands, and while A's /import of a 100 KB watchlist
runs, through python-telegram-bot against the fake Bot API of the tests (long polling,
SQLite). The baseline, in the same process: B's /help with nobody else talking.

    python benchmarks/commands.py [--flood 500]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import LimitsConfig  # noqa: E402
from bot.knowledge import load_gazetteer  # noqa: E402
from handlers.commands import CommandService  # noqa: E402
from handlers.telegram import TelegramBot  # noqa: E402
from storage import SqlStore, connect, upgrade  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

TOKEN = "123456:TEST-token"
IMPORTING = 9201  # the chat whose /import runs


async def help_answered(fake: FakeTelegram, chat: int) -> float:
    """Seconds from B's /help to its answer."""
    before = len([p for p in fake.of("sendMessage") if p["chat_id"] == chat])
    started = time.perf_counter()
    fake.push_message(chat, "/help")
    while len([p for p in fake.of("sendMessage") if p["chat_id"] == chat]) == before:
        await asyncio.sleep(0.005)
    return time.perf_counter() - started


async def main(flood: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="readout-commands-"))
    engine = connect(f"sqlite:///{work / 'r.db'}")
    upgrade(engine)
    store = SqlStore(engine)
    service = CommandService(store, load_gazetteer(), LimitsConfig())
    fake = FakeTelegram(TOKEN)
    await fake.start()
    bot = TelegramBot(TOKEN, service, store, base_url=fake.base_url)
    await bot.start()
    try:
        alone = await help_answered(fake, 9101)
        print(f"baseline: /help with nobody else talking, answered in {alone:.2f} s")
        for n in range(flood):
            fake.push_message(9001, f"/subscriptions {n}")
        flooded = await help_answered(fake, 9102)
        print(f"{flood} commands from one chat, then /help from another: {flooded:.2f} s")
        lines = "".join(f"energy{n} talks | mode=daily\n" for n in range(3300)).encode()
        fake.push_document(IMPORTING, lines[:100_000], caption="/import")
        while not fake.of("download"):
            await asyncio.sleep(0.005)
        importing = await help_answered(fake, 9103)
        print(f"a 100 KB /import in one chat, then /help from another: {importing:.2f} s")

        def answers() -> list[str]:
            return [p["text"] for p in fake.of("sendMessage") if p["chat_id"] == IMPORTING]

        while not any("Imported" in text for text in answers()):
            await asyncio.sleep(0.05)
        first = answers()[0].splitlines()[0]
        print(f"the import answered in {len(answers())} message(s), beginning {first!r}")
    finally:
        await bot.stop()
        await fake.stop()
        engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=500)
    asyncio.run(main(parser.parse_args().flood))
