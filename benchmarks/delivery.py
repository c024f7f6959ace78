"""Delivery under several workers: real `readout run` processes on one PostgreSQL, sending
through python-telegram-bot to a fake Bot API in its own process that enforces Telegram's
limits and counts what it receives.

    READOUT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        python benchmarks/delivery.py [--alerts 10000 --chats 1000 --workers 3 --kills 8]

Three runs, each on a fresh schema (`bench_delivery`):

1. steady: `--alerts` alerts to `--chats` chats (a fifth of them groups), no faults;
2. kills: the same with `--kills` SIGKILLs of random workers, each replaced at once;
3. fairness: 2,000 alerts to one chat, one to another at the start and one more to a third
   chat ten seconds in; how long the two single alerts wait.

The fake accepts a message only within Telegram's published limits, counted on what it
accepted: 1 a second per chat (no two less than 1 s apart), 20 in any 60 s per group, 30
in any 1 s per bot; anything more gets 429 with `retry_after`. Beside each run it prints
what those limits allow (the shortest time the accepted alerts could have taken), the
reference the sending rate is measured against. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.models import Annotations, ChatRef, DeliveryStatus, MatchedChat  # noqa: E402
from bot.reports import RawDocument, parse_report  # noqa: E402
from storage import SqlStore, connect, upgrade  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
SCHEMA = "bench_delivery"
MARK = re.compile(r"R(\d{6})")
NOW = datetime(2026, 11, 28, tzinfo=UTC)

# -- the fake Bot API, in its own process ------------------------------------------------


@dataclass
class Limits:
    """What the fake enforces, on messages it accepted (Telegram's published limits)."""

    per_chat_seconds: float = 1.0
    group_per_minute: int = 20
    bot_per_second: int = 30


@dataclass
class Tally:
    accepted: list[tuple[float, int, int]] = field(default_factory=list)  # when, chat, alert
    refused: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    last: dict[int, float] = field(default_factory=dict)
    groups: dict[int, deque[float]] = field(default_factory=dict)
    bot: deque[float] = field(default_factory=deque)


def serve_fake(port_out: Any, limits: Limits) -> None:
    from aiohttp import web

    tally = Tally()
    message_id = 0

    def refuse(reason: str, retry_after: int) -> web.Response:
        tally.refused[reason] += 1
        body = {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        }
        return web.json_response(body, status=429)

    async def handle(request: web.Request) -> web.Response:
        nonlocal message_id
        method = request.match_info["method"]
        tally.calls[method] += 1
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        if method == "getMe":
            return web.json_response(
                {
                    "ok": True,
                    "result": {
                        "id": 4242,
                        "is_bot": True,
                        "first_name": "Readout",
                        "username": "ReadoutBot",
                    },
                }
            )
        if method == "getUpdates":
            await asyncio.sleep(min(float(params.get("timeout", 0) or 0), 1.0))
            return web.json_response({"ok": True, "result": []})
        if method != "sendMessage":
            return web.json_response({"ok": True, "result": True})
        now = time.time()
        chat = int(params["chat_id"])
        while tally.bot and now - tally.bot[0] >= 1.0:
            tally.bot.popleft()
        if len(tally.bot) >= limits.bot_per_second:
            return refuse("bot", 1)
        if chat < 0:
            times = tally.groups.setdefault(chat, deque())
            while times and now - times[0] >= 60.0:
                times.popleft()
            if len(times) >= limits.group_per_minute:
                return refuse("group", max(1, int(60 - (now - times[0])) + 1))
        if chat in tally.last and now - tally.last[chat] < limits.per_chat_seconds:
            return refuse("chat", 1)
        tally.bot.append(now)
        if chat < 0:
            tally.groups[chat].append(now)
        tally.last[chat] = now
        mark = MARK.search(str(params.get("text", "")))
        tally.accepted.append((now, chat, int(mark.group(1)) if mark else -1))
        message_id += 1
        chat_info = {"id": chat, "type": "private" if chat > 0 else "supergroup"}
        result = {"message_id": message_id, "date": int(now), "chat": chat_info, "text": "."}
        return web.json_response({"ok": True, "result": result})

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(
            {"accepted": tally.accepted, "refused": dict(tally.refused), "calls": tally.calls},
        )

    async def reset(_: web.Request) -> web.Response:
        nonlocal tally
        tally = Tally()
        return web.json_response({"ok": True})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/stats", stats)
        app.router.add_post("/reset", reset)
        app.router.add_route("*", "/bot{token}/{method}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


def fake_get(port: int, path: str, method: str = "GET") -> Any:
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


# -- the database and the workers -----------------------------------------------------------


def schema_url(base: str) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{SCHEMA}"


def fresh_store(base_url: str) -> SqlStore:
    admin = connect(base_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    engine = connect(schema_url(base_url))
    upgrade(engine)
    return SqlStore(engine)


def queue(store: SqlStore, chat_ids: list[int], first: int, count: int, now: datetime) -> None:
    """`count` reports numbered from `first`, each an alert to every chat in turn."""
    chats = [store.ensure_chat(ChatRef("telegram", str(c)), now).id for c in chat_ids]
    for number in range(first, first + count):
        report = parse_report(
            RawDocument(
                f"MOSCOW, 6 April 2025 - Delivery benchmark report R{number:06d}.",
                source="benchmark",
            ),
            now=now,
        )
        store.add_report(
            report,
            Annotations((), (), (), None),
            [MatchedChat(chats[number % len(chats)], (), ())],
            now,
        )


class Workers:
    def __init__(self, count: int, base_url: str, port: int, folder: str) -> None:
        self.env = {
            **os.environ,
            "READOUT_DATABASE_URL": schema_url(base_url),
            "READOUT_SOURCES_FOLDERS": folder,
            "READOUT_POLL_SECONDS": "3600",
            "READOUT_DRAIN_SECONDS": "1",
            "READOUT_TELEGRAM_TOKEN": TOKEN,
            "READOUT_TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot",
            "READOUT_LOG_LEVEL": "WARNING",
        }
        self.procs = [self._start() for _ in range(count)]

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "run"],
            env=self.env,
            cwd=str(ROOT),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_one(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.procs))
        self.procs[index].send_signal(signal.SIGKILL)
        self.procs[index].wait()
        self.procs[index] = self._start()

    def stop(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


# -- the runs --------------------------------------------------------------------------------


def allowed_seconds(accepted: list[tuple[float, int, int]], limits: Limits) -> float:
    """The shortest time Telegram's limits allow for these messages: the bot's rate, each
    chat's 1 s spacing, each group's 20 a minute, whichever is the longest."""
    per_chat = Counter(chat for _, chat, _ in accepted)
    bound = (len(accepted) - 1) / limits.bot_per_second
    for chat, n in per_chat.items():
        bound = max(bound, (n - 1) * limits.per_chat_seconds)
        if chat < 0 and n > limits.group_per_minute:
            bound = max(bound, (n - 1) // limits.group_per_minute * 60.0)
    return bound


def report(
    name: str, stats: dict[str, Any], expected: set[tuple[int, int]], limits: Limits
) -> None:
    accepted = [tuple(a) for a in stats["accepted"]]
    seen = Counter((chat, mark) for _, chat, mark in accepted)
    duplicates = sum(n - 1 for n in seen.values() if n > 1)
    lost = len(expected - set(seen))
    times = sorted(t for t, _, _ in accepted)
    took = times[-1] - times[0] if len(times) > 1 else 0.0
    ideal = allowed_seconds(accepted, limits)  # type: ignore[arg-type]
    refused = stats["refused"]
    print(
        f"{name}: {len(expected)} alerts, {len(seen)} delivered, {duplicates} duplicates, "
        f"{lost} lost, {sum(refused.values())} answered 429 {dict(refused) or ''}"
    )
    if took:
        print(
            f"    sent in {took:.1f} s; the limits allow {ideal:.1f} s: "
            f"{len(accepted) / took:.1f} msg/s, {ideal / took:.2f} of the allowed rate"
        )


def wait_delivered(
    store: SqlStore, port: int, expected: int, deadline: float, on_tick: Any = None
) -> dict[str, Any]:
    while time.monotonic() < deadline:
        stats = fake_get(port, "/stats")
        counts = store.delivery_counts()
        if counts.get(DeliveryStatus.PENDING.value, 0) == 0 and len(stats["accepted"]) >= expected:
            return stats  # type: ignore[no-any-return]
        if on_tick is not None:
            on_tick()
        time.sleep(0.5)
    print("    (deadline reached before every alert was sent)")
    return fake_get(port, "/stats")  # type: ignore[no-any-return]


def chat_ids(chats: int) -> list[int]:
    groups = chats // 5
    return [-(1_000_000 + i) for i in range(groups)] + [10_000 + i for i in range(chats - groups)]


def run_bulk(args: argparse.Namespace, port: int, folder: str, kills: int, name: str) -> None:
    store = fresh_store(args.database)
    ids = chat_ids(args.chats)
    queue(store, ids, 0, args.alerts, NOW)
    expected = {(ids[n % len(ids)], n) for n in range(args.alerts)}
    fake_get(port, "/reset", "POST")
    started = time.monotonic()
    workers = Workers(args.workers, args.database, port, folder)
    rng = random.Random(7)
    # Kills spread over the time the limits allow, at random moments.
    span = args.alerts / 30
    kill_at = sorted(started + 5 + rng.uniform(0, span * 0.8) for _ in range(kills))

    def tick() -> None:
        while kill_at and time.monotonic() >= kill_at[0]:
            kill_at.pop(0)
            workers.kill_one(rng)

    try:
        stats = wait_delivered(store, port, args.alerts, started + span * 3 + 120, tick)
    finally:
        workers.stop()
    report(name, stats, expected, Limits())
    store.engine.dispose()


def run_fairness(args: argparse.Namespace, port: int, folder: str) -> None:
    store = fresh_store(args.database)
    busy, first, later = 20_001, 20_002, 20_003
    fake_get(port, "/reset", "POST")
    workers = Workers(args.workers, args.database, port, folder)
    # Queued once every worker is up (has asked for updates), so that start-up is not
    # counted as waiting.
    while fake_get(port, "/stats")["calls"].get("getUpdates", 0) < args.workers:
        time.sleep(0.1)
    queue(store, [busy], 0, 2000, NOW)
    queued = {first: time.time()}
    queue(store, [first], 900_000, 1, NOW)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            stats = fake_get(port, "/stats")
            if later not in queued and any(c == busy for _, c, _ in stats["accepted"]):
                busy_sent = [t for t, c, _ in stats["accepted"] if c == busy]
                if busy_sent and time.time() - busy_sent[0] >= 10:
                    queued[later] = time.time()
                    queue(store, [later], 900_001, 1, NOW)
            got = {c: t for t, c, _ in stats["accepted"] if c in (first, later)}
            if len(got) == 2:
                break
            time.sleep(0.1)
    finally:
        workers.stop()
    busy_count = sum(1 for _, c, _ in stats["accepted"] if c == busy)
    print(f"fairness: 2000 alerts queued to one chat ({busy_count} sent meanwhile)")
    for chat, label in ((first, "queued with the backlog"), (later, "queued 10 s into it")):
        if chat in got and chat in queued:
            print(
                f"    an alert to another chat, {label}: "
                f"sent {got[chat] - queued[chat]:.2f} s after"
            )
        else:
            print(f"    an alert to another chat, {label}: not sent within the deadline")
    print(f"    429 answers: {sum(stats['refused'].values())}")
    store.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("READOUT_TEST_POSTGRES_URL", ""))
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--only", choices=("steady", "kills", "fairness"))
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        print("Set READOUT_TEST_POSTGRES_URL (or --database) to a PostgreSQL URL.")
        return 2
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    fake = context.Process(target=serve_fake, args=(ports, Limits()), daemon=True)
    fake.start()
    port = ports.get(timeout=30)
    print(
        f"fake Bot API on 127.0.0.1:{port} enforcing 1 msg/s per chat, 20/min per group, "
        f"30/s per bot; {args.workers} workers of `readout run` on PostgreSQL"
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            if args.only in (None, "steady"):
                run_bulk(args, port, folder, 0, "steady")
            if args.only in (None, "kills"):
                run_bulk(args, port, folder, args.kills, f"{args.kills} SIGKILLs")
            if args.only in (None, "fairness"):
                run_fairness(args, port, folder)
    finally:
        fake.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
