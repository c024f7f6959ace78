"""`readout`: the command line. `demo` shows the whole pipeline on the seed report; `run`
is the worker; `ingest`, `chat`, `annotate`, `db upgrade`, `db reindex` and `db reread` are
the tools around it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import __version__
from bot.cli_tools import (
    SPARK_DAYS,
    annotate,
    export_meetings,
    match,
    outbox_list,
    outbox_retry,
)
from bot.config import Config, DatabaseConfig, describe, load_config
from bot.errors import ReadoutError
from bot.reports import RawDocument
from bot.sources import FolderSource, Problem
from bot.sources.folder import read_file

if TYPE_CHECKING:
    from bot.app import App
    from bot.models import SourceState
    from bot.outbox import DrainResult
    from storage.db import Progress

log = logging.getLogger("readout")

DESCRIPTION = """Readout: alerts for foreign-affairs watchers when a meeting they follow is
reported. With no configuration it runs on SQLite (readout.db here), the packaged seed
reports and a console chat. Settings: ./readout.toml or --config, then READOUT_* variables."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readout", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"readout {__version__}")
    parser.add_argument("--config", type=Path, help="TOML config file (default ./readout.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="subscribe a console chat to Pakistan, SCO and energy, ingest the seed reports "
        "and print the alerts and the /latest digest (uses a throwaway database)",
    )
    demo.add_argument("--database", help="database URL to use instead of a throwaway SQLite file")

    run = sub.add_parser("run", help="run the worker: poll sources, deliver alerts (Ctrl-C stops)")
    run.add_argument("--once", action="store_true", help="poll and deliver once, then exit")

    ingest = sub.add_parser("ingest", help="ingest report files or folders now")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    sub.add_parser(
        "chat", help="an interactive console chat on the same commands as Telegram/Slack"
    )

    config_parser = sub.add_parser("config", help="the configuration in force")
    config_sub = config_parser.add_subparsers(dest="config_command", metavar="ACTION")
    config_sub.add_parser(
        "check",
        help="read the config file and the environment, refuse what is wrong (exit 2, the "
        "variable or key named), and print every setting in force as TOML, secrets masked",
    )
    sub.add_parser(
        "health",
        help="ask the running worker's /healthz (on [http] host and port): print what it "
        "checked, exit 1 when it is unhealthy or does not answer (a container healthcheck)",
    )
    sources = sub.add_parser("sources", help="list the sources with their health and counts")
    sources_sub = sources.add_subparsers(dest="sources_command", metavar="ACTION")
    shipped = sources_sub.add_parser(
        "catalogue",
        help="the feeds shipped with Readout (agencies, ministries, the press of record), "
        "each with its tier, language, home country, where its address was published, and "
        "whether a poll of it has succeeded here; enable them with [sources] catalogue",
    )
    shipped.add_argument(
        "select",
        nargs="*",
        metavar="SELECT",
        help="only these: an outlet's name, country:PK, language:ru, tier:agency",
    )
    test = sources_sub.add_parser(
        "test", help="fetch a feed once and show how each entry would be read (stores nothing)"
    )
    test.add_argument("url", help="an RSS or Atom feed URL")
    test.add_argument("--limit", type=int, default=10, help="entries to show (default 10)")

    box = sub.add_parser("outbox", help="alerts waiting, retrying or failed, chat by chat")
    box_sub = box.add_subparsers(dest="outbox_command", metavar="ACTION")
    retry = box_sub.add_parser("retry", help="put failed alerts back in the queue")
    retry.add_argument("--chat", type=int, help="only this chat (the number `outbox` shows)")
    retry.add_argument("--since", help="only alerts queued since (ISO date or time, UTC)")

    export = sub.add_parser("export", help="write stored data out for analysis elsewhere")
    export_sub = export.add_subparsers(dest="export_command", metavar="WHAT")
    meetings = export_sub.add_parser(
        "meetings",
        help="the stored meetings (day, sides, people with their sides, level, type, host, "
        "place, forum, outcomes, outlets, link), one a row",
    )
    meetings.add_argument("--since", help="meetings on or after this day (YYYY-MM-DD)")
    meetings.add_argument("--format", choices=("csv", "json"), default="csv")
    meetings.add_argument(
        "--query",
        "-q",
        metavar="QUERY",
        help="only meetings whose report matches this subscription query",
    )

    completion = sub.add_parser(
        "completion",
        help="print the shell completion script of readout's commands and options: "
        "`readout completion bash > ~/.local/share/bash-completion/completions/readout`",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "tcsh"))

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.add_parser("upgrade", help="migrate the database to the latest schema")
    db_sub.add_parser(
        "reindex",
        help="make the search index of /latest, /search and /digest again from every "
        "stored report (after an upgrade whose notes ask for it)",
    )
    db_sub.add_parser(
        "reread",
        help="read every stored report again with this version's extraction (who met "
        "whom, where, when) and every subscription with its query language, after an "
        "upgrade that reads them better; alerts already made are not sent again",
    )

    annotate = sub.add_parser(
        "annotate",
        help="print what extraction finds, with the evidence for each meeting's sides: "
        "JSON lines {id, title?, body, home_country?, published_at?} or plain text in, one "
        "JSON line per document out",
    )
    annotate.add_argument("file", nargs="?", default="-", help="input file, or - for stdin")

    match = sub.add_parser(
        "match",
        help="print which documents match which queries (for tuning subscriptions): JSON "
        "lines or plain text in, one JSON line per document out; lines with should_match / "
        "should_not_match lists also say which of them missed or fired wrongly",
    )
    match.add_argument(
        "--query",
        "-q",
        action="append",
        default=[],
        metavar="QUERY",
        help="a subscription query; repeat for several",
    )
    match.add_argument("file", nargs="?", default="-", help="input file, or - for stdin")
    return parser


# Tools that read the packaged data and write to stdout: once their output is flushed the
# process ends without freeing the gazetteer's millions of objects one by one (0.7 s of a
# 3 s `readout annotate`), as mypy ends its runs. Nothing of theirs waits on teardown.
_QUICK_EXIT = frozenset({"annotate", "match"})


def entry() -> None:
    """The `readout` console script: `main`, then the exit."""
    argv = sys.argv[1:]
    code = main(argv)
    command = build_parser().parse_known_args(argv)[0].command
    if command in _QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:  # a reader that stopped early (`| head`)
            code = code or 1
        os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "completion":  # needs no configuration: a broken one is no matter
        import shtab

        sys.stdout.write(shtab.complete(parser, args.shell))
        return 0
    try:
        config = load_config(args.config)
        _logging(config, args.verbose)
        return _dispatch(args, config, parser)
    except ReadoutError as exc:
        print(f"readout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _logging(config: Config, verbose: bool) -> None:
    from bot.logs import configure

    level = logging.DEBUG if verbose else getattr(logging, config.log_level)
    secrets = config.secrets
    configure(
        level,
        [
            secrets.telegram_token,
            secrets.slack_bot_token,
            secrets.slack_app_token,
            secrets.slack_signing_secret,
            secrets.webhook_token,
        ],
        json=config.log_format == "json",
    )


def _dispatch(args: argparse.Namespace, config: Config, parser: argparse.ArgumentParser) -> int:
    if args.command == "demo":
        if not args.verbose:  # the demo's own output says what happens
            logging.getLogger().setLevel(logging.WARNING)
        return demo(config, args.database, sys.stdout)
    if args.command == "run":
        return run(config, once=args.once)
    if args.command == "ingest":
        return ingest(config, args.paths, sys.stdout)
    if args.command == "chat":
        return chat(config, sys.stdin, sys.stdout)
    if args.command == "health":
        return health(config, sys.stdout)
    if args.command == "config":
        if args.config_command != "check":
            parser.parse_args(["config", "--help"])
        sys.stdout.write(describe(config))
        return 0
    if args.command == "sources":
        if args.sources_command == "catalogue":
            return sources_catalogue(config, args.select, sys.stdout)
        if args.sources_command == "test":
            return asyncio.run(sources_test(config, args.url, args.limit, sys.stdout))
        return sources_list(config, sys.stdout)
    if args.command == "outbox":
        if args.outbox_command == "retry":
            return outbox_retry(config, args.chat, args.since, sys.stdout)
        return outbox_list(config, sys.stdout)
    if args.command == "export":
        if args.export_command != "meetings":
            parser.parse_args(["export", "--help"])
        return export_meetings(config, args.since, args.format, args.query, sys.stdout)
    if args.command == "db":
        if args.db_command == "reindex":
            return db_reindex(config, sys.stdout)
        if args.db_command == "reread":
            return db_reread(config, sys.stdout)
        if args.db_command != "upgrade":
            parser.parse_args(["db", "--help"])
        return db_upgrade(config, sys.stdout)
    if args.command == "annotate":
        return annotate(args.file, sys.stdout)
    if args.command == "match":
        return match(args.file, args.query, sys.stdout)
    parser.print_help()
    return 2


def health(config: Config, out: TextIO) -> int:
    """The worker's own answer at /healthz (this process cannot know when the worker last
    polled): 0 when healthy, 1 otherwise."""
    import urllib.error
    import urllib.request

    host = config.http.host
    host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # listening on every address
    url = f"http://{host}:{config.http.port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            out.write(response.read().decode("utf-8", "replace") + "\n")
            return 0
    except urllib.error.HTTPError as exc:  # 503: the body says why
        out.write(exc.read().decode("utf-8", "replace") + "\n")
        return 1
    except (urllib.error.URLError, OSError) as exc:
        out.write(f"no answer from {url}: {getattr(exc, 'reason', exc)}\n")
        return 1


def demo(config: Config, database: str | None, out: TextIO) -> int:
    from bot.app import App
    from handlers.commands import Command
    from handlers.console import ConsoleTransport, console_chat

    with tempfile.TemporaryDirectory(prefix="readout-demo-") as tmp:
        url = database or f"sqlite:///{Path(tmp) / 'demo.db'}"
        config = replace(config, database=DatabaseConfig(url=url))
        app = App.create(config, transports={"console": ConsoleTransport(out)})
        try:
            chat = console_chat("demo")
            now = _now()
            out.write("Readout demo: a console chat subscribes, then the seed reports arrive.\n\n")
            for query in ("Pakistan", "SCO", "energy"):
                out.write(f"> /subscribe {query}\n")
                reply = app.commands.handle(Command(chat, "subscribe", query), now)
                out.write(reply.text + "\n\n")
            folders = ", ".join(str(f) for f in config.sources.resolved_folders())
            out.write(f"Ingesting {folders} ...\n")
            summary = app.poll_sources(now)
            out.write(summary.line() + "\n")
            for problem in summary.problems:
                out.write(f"  skipped {problem.location}: {problem.reason}\n")
            out.write("\nAlerts, exactly as they are posted:\n")
            asyncio.run(app.drain(now))
            out.write("\u2500" * 60 + "\n\n> /latest\n")
            out.write(app.commands.handle(Command(chat, "latest"), now).text + "\n")
        finally:
            app.close()
    return 0


def run(config: Config, *, once: bool = False) -> int:
    from bot.app import App

    app = App.create(config)
    try:
        if once:
            summary = asyncio.run(app.poll_all())
            print(summary.line())
            result = asyncio.run(_drain_and_close(app))
            print(
                f"{result.sent} alert(s) sent, {result.waiting} waiting for their chat's turn, "
                f"{result.retried} to retry, {result.failed} failed"
            )
            return 0
        asyncio.run(_run_forever(app))
        return 0
    finally:
        app.close()


async def _drain_and_close(app: App) -> DrainResult:
    try:
        return await app.drain_settled()
    finally:
        if app.telegram is not None:
            await app.telegram.stop()


async def _run_forever(app: App) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        if not stop.is_set():
            log.info("%s: stopping (a poll keeps what it has read, alerts held are given back)",
                     sig.name)  # fmt: skip
        app.stopping.set()  # before anything is cancelled: threads read it between documents
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-Unix platforms
            loop.add_signal_handler(sig, on_signal, sig)
    log.info(
        "database %s; sources %s",
        _redact(app.config.database.url),
        ", ".join(s.name for s in app.sources),
    )
    await app.run(stop)


def ingest(config: Config, paths: Sequence[Path], out: TextIO) -> int:
    from bot.app import App

    app = App.create(config)
    try:
        from tqdm import tqdm

        items: list[RawDocument | Problem] = []
        for path in paths:
            items.extend(_documents(path, config.sources.max_file_bytes))
        # A progress bar on a terminal for long runs, moved by each document done (not
        # each handed in); nothing when piped.
        with tqdm(
            total=len(items), desc="ingest", unit="doc", file=sys.stderr, disable=None
        ) as bar:
            summary = app.ingestor.ingest(items, _now(), progress=bar.update)
        for item in summary.ingested:
            out.write(f"ingested #{item.report_id}: {item.title[:90]} ({item.chats} chat(s))\n")
        for item in summary.duplicates:
            out.write(f"already known: {item.source}\n")
        for problem in summary.problems:
            out.write(f"skipped {problem.location}: {problem.reason}\n")
        out.write(summary.line() + "\n")
        if any(i.chats for i in summary.ingested):
            out.write("`readout run` delivers the queued alerts.\n")
        return 1 if summary.problems and not summary.ingested and not summary.duplicates else 0
    finally:
        app.close()


def _documents(path: Path, max_bytes: int) -> Iterator[RawDocument | Problem]:
    if path.is_dir():
        yield from FolderSource(path, max_bytes=max_bytes).poll()
    elif path.is_file():
        yield from read_file(path, max_bytes=max_bytes)
    else:
        yield Problem(str(path), "no such file or folder")


def chat(config: Config, stdin: TextIO, out: TextIO) -> int:
    from bot.app import App
    from handlers.console import ConsoleTransport, console_chat, run_chat

    app = App.create(config, transports={"console": ConsoleTransport(out)})
    # One event loop for the whole session: the chat platforms' HTTP clients live in it.
    loop = asyncio.new_event_loop()
    try:

        def deliver() -> None:
            loop.run_until_complete(app.poll_all())
            loop.run_until_complete(app.drain_settled())

        run_chat(
            app.commands, console_chat(config.console.chat_id), stdin, out, after_command=deliver
        )
        return 0
    finally:
        if app.telegram is not None:
            loop.run_until_complete(app.telegram.stop())
        loop.close()
        app.close()


def sources_list(config: Config, out: TextIO) -> int:
    """Every configured source with its last poll, status, counts and last error."""
    from bot.app import App
    from bot.history import days_back, sparkline

    app = App.create(config)
    try:
        today = _now().date()
        per_source = app.store.reports_per_day(today - timedelta(days=SPARK_DAYS - 1))
        folder_prefixes = {s.name: f"{s.folder.name}/" for s in app.sources}
        states = {s.name: s for s in app.store.source_states()}
        rows: list[tuple[str, str, str]] = [
            ("folder", s.name, str(s.folder)) for s in app.sources
        ] + [("rss", f.name, f.feed.url) for f in app.feeds]
        listed = {f.name: f.listed_in for f in config.sources.feeds if f.listed_in}
        if config.secrets.webhook_token:
            rows.append(
                ("webhook", "webhook", f"POST {config.http.host}:{config.http.port}/reports")
            )
        if not rows:
            out.write("No sources configured: see [sources] in config.example.toml.\n")
        for kind, name, location in rows:
            state = states.get(name)
            out.write(f"{name} ({kind}) {location}\n")
            if name in listed and not _verified(state):
                out.write(
                    f"    from the catalogue, unverified: no poll of it has succeeded yet "
                    f"(address listed in {listed[name]})\n"
                )
            if state is None:
                out.write("    never polled\n")
                continue
            when = state.last_poll_at.strftime("%Y-%m-%d %H:%M UTC") if state.last_poll_at else "-"
            out.write(
                f"    status {state.status}, last poll {when}, {state.entries_seen} entries "
                f"seen, {state.reports_ingested} reports ingested"
                + (f", {state.failures} failure(s) in a row" if state.failures else "")
                + "\n"
            )
            if state.last_error:
                out.write(f"    last error: {state.last_error}\n")
            if state.next_poll_at and kind == "rss":
                out.write(f"    next poll {state.next_poll_at:%Y-%m-%d %H:%M UTC}\n")
            # A folder's reports are stored under their files' paths ("reports/x.txt").
            prefix = folder_prefixes.get(name)
            daily: dict[date, int] = {}
            for source, counts in per_source.items():
                if source == name or (prefix and source.startswith(prefix)):
                    for day, count in counts.items():
                        daily[day] = daily.get(day, 0) + count
            days = days_back(daily, today, SPARK_DAYS)
            out.write(
                f"    reports a day, last {SPARK_DAYS} days to {today:%d %b}: "
                f"{sparkline(days)} ({sum(days)})\n"
            )
        return 0
    finally:
        app.close()


def sources_catalogue(config: Config, select: Sequence[str], out: TextIO) -> int:
    """The shipped catalogue (or the entries `select` names), one line each, with whether
    this deployment polls it and whether a poll of it has succeeded."""
    from bot.app import App
    from bot.sources import catalogue

    entries = catalogue.select(select) if select else list(catalogue.load())
    app = App.create(config)
    try:
        states = {s.name: s for s in app.store.source_states()}
    finally:
        app.close()
    enabled = {f.name for f in config.sources.feeds}
    for entry in entries:
        state = states.get(entry.name)
        checked = "verified by a poll" if _verified(state) else "unverified"
        polled = "enabled" if entry.name in enabled else "not enabled"
        out.write(
            f"{entry.name} ({entry.tier}, {entry.language}, {entry.home_country}) {entry.url}\n"
            f"    {polled}, {checked}; listed in {entry.listed_in}\n"
        )
    countries = len({e.home_country for e in entries})
    languages = len({e.language for e in entries})
    out.write(
        f"{len(entries)} feeds, {countries} countries, {languages} languages. Enable them "
        'with [sources] catalogue = ["TASS", "country:PK", "tier:agency"] '
        "(READOUT_SOURCES_CATALOGUE).\n"
    )
    return 0


def _verified(state: SourceState | None) -> bool:
    """Whether a poll of the source has ever succeeded (it is answering, or has been)."""
    return state is not None and (state.status == "ok" or state.entries_seen > 0)


async def sources_test(config: Config, url: str, limit: int, out: TextIO) -> int:
    """Fetch a feed once, show each entry as Readout would read it; nothing is stored."""
    from bot.config import FeedConfig
    from bot.errors import SourceError
    from bot.extract import extract
    from bot.knowledge import load_gazetteer
    from bot.reports import parse_report
    from bot.sources.outbound import public_session
    from bot.sources.rss import entries_to_documents, feed_outlet, fetch, parse_feed
    from bot.summarize import card, render_plain

    limits = config.sources.fetch_limits()
    gazetteer = load_gazetteer()
    async with public_session(limits.policy) as session:
        try:
            fetched = await fetch(session, url, limits)
            title, entries = parse_feed(fetched.body, url)
        except SourceError as exc:
            out.write(f"{url}: {exc}\n")
            return 1
        feed = FeedConfig(name=url, url=url)
        outlet = feed_outlet(feed, title)
        out.write(f"{outlet}: {len(entries)} entries\n")
        documents = await entries_to_documents(session, entries[:limit], feed, limits, outlet)
    for number, raw in enumerate(documents, 1):
        report = parse_report(raw, now=_now())
        annotations = extract(report, gazetteer)
        out.write(f"\n#{number} {raw.url or ''}\n")
        out.write(render_plain(card(number, report, annotations, gazetteer)) + "\n")
    return 0


def db_upgrade(config: Config, out: TextIO) -> int:
    from storage import connect, upgrade

    engine = connect(config.database.url)
    try:
        with bars() as progress:
            before, after = upgrade(engine, progress=progress)  # read under the lock
    finally:
        engine.dispose()
    where = _redact(config.database.url)
    if before == after:
        out.write(f"{where} is up to date (revision {after}).\n")
    else:
        out.write(f"{where} migrated from {before or 'empty'} to revision {after}.\n")
    return 0


def db_reindex(config: Config, out: TextIO) -> int:
    from storage import SqlStore, connect, upgrade

    engine = connect(config.database.url)
    try:
        with bars() as progress:
            upgrade(engine, progress=progress)
            count = SqlStore(engine).reindex_search(progress)
    finally:
        engine.dispose()
    out.write(f"{_redact(config.database.url)}: {count} reports indexed for search.\n")
    return 0


def db_reread(config: Config, out: TextIO) -> int:
    from bot.errors import QueryError
    from bot.extract import extract
    from bot.knowledge import load_gazetteer
    from bot.query import from_json, read, same_shape, to_json
    from storage import SqlStore, connect, upgrade

    gazetteer = load_gazetteer()

    def compile_query(query: str, compiled: str) -> str | None:
        """The query read anew, when it reads as the same kinds of terms."""
        try:
            node = read(query, gazetteer)[0]
        except QueryError:
            return None
        return to_json(node) if same_shape(node, from_json(compiled)) else None

    engine = connect(config.database.url)
    try:
        with bars() as progress:
            upgrade(engine, progress=progress)
            store = SqlStore(engine)
            count = store.reread(lambda report: extract(report, gazetteer), progress=progress)
        changed, kept = store.recompile_subscriptions(compile_query)
    finally:
        engine.dispose()
    out.write(
        f"{_redact(config.database.url)}: {count} reports read again; {changed} subscriptions "
        f"read anew, {kept} refused now and kept as they were.\n"
    )
    return 0


@contextlib.contextmanager
def bars() -> Iterator[Progress]:
    """A progress bar on stderr for each long step (`storage.db.Progress`), when stderr is
    a terminal (nothing when piped or logged); all closed at the end."""
    from tqdm import tqdm

    opened: list[tqdm[None]] = []

    def progress(label: str, total: int) -> Callable[[int], None]:
        bar: tqdm[None] = tqdm(
            total=total, desc=label, unit="report", file=sys.stderr, disable=None
        )
        opened.append(bar)

        def advance(done: int) -> None:
            bar.update(done)

        return advance

    try:
        yield progress
    finally:
        for bar in opened:
            bar.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _redact(url: str) -> str:
    from storage.db import redact_url

    return redact_url(url)


if __name__ == "__main__":  # pragma: no cover
    entry()
