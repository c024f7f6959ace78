"""The `readout` command, run as a user runs it: the installed console script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.extract import Gazetteer
from storage.db import connect
from tests.conftest import POSTGRES_URL, SEED, postgres_url_for

READOUT = shutil.which("readout") or str(Path(sys.executable).parent / "readout")


def run(
    *args: str,
    cwd: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
    full_env.update(env or {})
    return subprocess.run(
        [READOUT, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    commands = ("demo", "run", "ingest", "chat", "db", "annotate", "outbox", "health", "config")
    for command in commands:
        assert command in result.stdout


def test_demo_on_a_fresh_directory_prints_the_seed_summary(tmp_path: Path) -> None:
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Subscribed: Pakistan (country; also matches Pakistani" in out
    headline = "\U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia \u00b7 Tashkent"
    assert f"{headline} \u00b7 6 Apr 2025" in out
    assert "Senate Chairman Syed Yousuf Raza Gilani (Pakistan) met Valentina Matviyenko" in out
    assert "150th Inter-Parliamentary Union (IPU) Assembly" in out
    assert "matched: Pakistan (side), SCO (mentioned), energy" in out
    assert out.count("[alert \u2192 console:demo]") == 1
    assert "> /latest\nLatest meetings for this chat's subscriptions:\n1. " in out
    assert not (tmp_path / "readout.db").exists()  # the demo leaves nothing behind
    assert "Traceback" not in result.stderr


def test_annotate_json_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "seed", "body": SEED.read_text()}),
        "not json",
        json.dumps({"id": 2, "title": "Talks", "body": "Chinese and Indian envoys met in Delhi."}),
    ]
    result = run("annotate", "-", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # one line was skipped, and said so
    assert "line 2: skipped" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["seed", 2]
    seed = records[0]
    assert {"PK", "RU"} <= set(seed["countries"]) and "UZ" not in seed["countries"]
    assert {"SCO", "IPU", "UN"} <= set(seed["orgs"])
    assert seed["meeting"]["type"] == "third-location"
    assert seed["meeting"]["date"] == "2025-04-06"
    assert seed["meeting"]["event"] == "150th Inter-Parliamentary Union (IPU) Assembly"
    gilani = seed["meeting"]["participants"][0]
    assert (gilani["name"], gilani["role"], gilani["country"]) == (
        "Syed Yousuf Raza Gilani",
        "Senate Chairman",
        "PK",
    )
    assert gilani["evidence"].startswith("officeholders")
    assert [s["id"] for s in seed["meeting"]["sides"]] == ["PK", "RU"]
    assert set(records[1]["countries"]) == {"CN", "IN"}


def test_annotate_plain_text_file(tmp_path: Path) -> None:
    result = run("annotate", str(SEED), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["meeting"]["place"] == {"name": "Tashkent", "country": "UZ"}


def test_db_upgrade_ingest_and_run_once(tmp_path: Path) -> None:
    env = {"READOUT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    first = run("db", "upgrade", cwd=tmp_path, env=env)
    assert first.returncode == 0 and "migrated from empty to revision 0014" in first.stdout
    again = run("db", "upgrade", cwd=tmp_path, env=env)
    assert "is up to date (revision 0014)" in again.stdout

    reports = tmp_path / "in"
    reports.mkdir()
    shutil.copy(SEED, reports)
    (reports / "junk.txt").write_bytes(b"\x00\x01\x02")
    ingest = run("ingest", str(reports), cwd=tmp_path, env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert "ingested #1: Senate Chairman Syed Yousuf Raza Gilani" in ingest.stdout
    reindex = run("db", "reindex", cwd=tmp_path, env=env)
    assert reindex.returncode == 0 and "1 reports indexed for search" in reindex.stdout
    reread = run("db", "reread", cwd=tmp_path, env=env)
    assert reread.returncode == 0 and "1 reports read again" in reread.stdout, reread.stderr
    assert "0 subscriptions read anew" in reread.stdout
    assert "skipped" in ingest.stdout and "binary" in ingest.stdout
    again_ingest = run("ingest", str(reports / SEED.name), cwd=tmp_path, env=env)
    assert "already known" in again_ingest.stdout

    chat = run(
        "chat",
        cwd=tmp_path,
        env={**env, "READOUT_SOURCES_FOLDERS": str(reports)},
        stdin="/subscribe SCO\n/latest\n/quit\n",
    )
    assert chat.returncode == 0, chat.stderr
    assert "Subscribed: SCO" in chat.stdout
    assert "Latest meetings for this chat's subscriptions:" in chat.stdout

    # the folder remembers what it read: only the new file is read again
    (reports / "new.txt").write_text("MOSCOW, 6 April 2025 - Russia and China held talks on SCO.")
    once = run("run", "--once", cwd=tmp_path, env={**env, "READOUT_SOURCES_FOLDERS": str(reports)})
    assert once.returncode == 0, once.stderr
    assert "1 new report(s), 0 already known, 0 skipped, 1 alert(s) queued" in once.stdout
    assert "1 alert(s) sent" in once.stdout

    listing = run("sources", cwd=tmp_path, env={**env, "READOUT_SOURCES_FOLDERS": str(reports)})
    assert f"folder:{reports} (folder)" in listing.stdout
    assert "status ok" in listing.stdout and "reports ingested" in listing.stdout
    # Its reports day by day: both came today (the seed and the new one).
    assert re.search(
        r"reports a day, last 14 days to \d\d \w+: [\u00b7\u2581-\u2588]{13}\u2588 \(2\)",
        listing.stdout,
    )


def test_bad_configuration_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "readout.toml").write_text("[database]\nuri = 'x'\n")
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("readout: unknown setting [database] uri")
    assert "Traceback" not in result.stderr


@pytest.mark.timeout(60)
def test_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
    env.update(
        {
            "READOUT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "READOUT_POLL_SECONDS": "0.2",
            "READOUT_DRAIN_SECONDS": "0.2",
            "READOUT_HTTP_PORT": str(_free_port()),
        }
    )
    proc = subprocess.Popen(
        [READOUT, "run"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _stored_reports(tmp_path / "r.db"):
            time.sleep(0.1)  # wait for the event: the seed report is stored by a poll
        # A polling worker with no inbound route still serves its health.
        healthy = run("health", cwd=tmp_path, env=env)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "worker running" in err and "worker stopped" in err
    assert "1 new report(s)" in err
    assert healthy.returncode == 0 and '"status": "ok"' in healthy.stdout, healthy.stdout
    gone = run("health", cwd=tmp_path, env=env)
    assert gone.returncode == 1 and "no answer from http://127.0.0.1:" in gone.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stored_reports(db: Path) -> int:
    """How many reports the worker has stored so far (0 while its database is not ready)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_match_prints_which_documents_match_which_queries(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "seed", "body": SEED.read_text()}),
        json.dumps({"id": "other", "body": "TOKYO, March 3 - Japan and India met on trade."}),
    ]
    result = run(
        "match",
        "-q",
        "Pakistan",
        "-q",
        "Japan OR India",
        "-q",
        "NATO",
        "-",
        cwd=tmp_path,
        stdin="\n".join(lines) + "\n",
    )
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["seed"]["matches"] == ["Pakistan"]
    assert records["other"]["matches"] == ["Japan OR India"]
    assert records["other"]["matched_terms"]["Japan OR India"] == [
        "Japan (mentioned)",
        "India (mentioned)",
    ]


def test_match_checks_a_documents_own_expectations(tmp_path: Path) -> None:
    line = {
        "id": "call",
        "body": "ISLAMABAD, May 2 - Russian Foreign Minister Sergey Lavrov held a telephone "
        "conversation with Pakistani Foreign Minister Ishaq Dar on Afghanistan.",
        "should_match": ["Pakistan", "Lavrov", "with:Russia", "Iran"],
        "should_not_match": ["with:Afghanistan", "Afghanistan", "China"],
    }
    result = run("match", "-", cwd=tmp_path, stdin=json.dumps(line) + "\n")
    assert result.returncode == 0, result.stderr
    [record] = map(json.loads, result.stdout.splitlines())
    assert record["missed"] == ["Iran"]
    assert record["fired_wrongly"] == ["Afghanistan"]  # mentioned: a plain query fires
    assert "should_match: 3 of 4 fired" in result.stderr
    assert "should_not_match: 1 of 3 fired" in result.stderr


def test_match_with_a_bad_query_says_why(tmp_path: Path) -> None:
    result = run("match", "-q", "Pakistn", str(SEED), cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean Pakistan?" in result.stderr


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    env = {"READOUT_DATABASE_URL": "postgresql+psycopg://reader:pw@127.0.0.1:1/readout"}
    result = run("run", "--once", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("readout: cannot open the database postgresql+psycopg://")
    assert "reader:***@127.0.0.1:1" in result.stderr and "pw@" not in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_with_telegram_configured_delivers_across_commands(tmp_path: Path) -> None:
    """`readout chat` drains after every command in one event loop, so the Telegram client
    keeps working from the first command to the last."""
    import asyncio
    import io
    import threading
    from collections.abc import Iterator

    from bot.cli import chat
    from bot.config import load_config
    from bot.knowledge import load_gazetteer
    from bot.models import ChatRef
    from bot.query import parse, to_json
    from storage import SqlStore, connect, upgrade
    from tests.conftest import NOW
    from tests.fakes.telegram_api import FakeTelegram

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    fake = FakeTelegram("123456:TEST-TOKEN")
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        folder = tmp_path / "reports"
        folder.mkdir()
        shutil.copy(SEED, folder / "a.txt")
        url = f"sqlite:///{tmp_path / 'r.db'}"
        engine = connect(url)
        upgrade(engine)
        store = SqlStore(engine)
        chat_row = store.ensure_chat(ChatRef("telegram", "1001"), NOW)
        gazetteer = load_gazetteer()
        store.add_subscription(chat_row.id, "Russia", to_json(parse("Russia", gazetteer)), NOW)
        engine.dispose()

        def lines() -> Iterator[str]:
            yield "/help\n"
            (folder / "b.txt").write_text(
                "MOSCOW, April 7 - Russian Foreign Minister Sergei Lavrov met Chinese Foreign "
                "Minister Wang Yi for talks on trade."
            )
            yield "/subscriptions\n"

        config = load_config(
            env={
                "READOUT_DATABASE_URL": url,
                "READOUT_SOURCES_FOLDERS": str(folder),
                "READOUT_TELEGRAM_TOKEN": "123456:TEST-TOKEN",
                "READOUT_TELEGRAM_BASE_URL": fake.base_url,
            }
        )
        out = io.StringIO()
        assert chat(config, lines(), out) == 0  # type: ignore[arg-type]
        alerts = [p for p in fake.of("sendMessage") if p.get("parse_mode") == "HTML"]
        assert len(alerts) == 2  # one after each command, through the same client
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)


def test_annotate_reads_the_publication_day_and_home_country(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "body": "Foreign Minister Jan Kowalsky held talks with Russian Foreign Minister "
                "Sergei Lavrov on Monday.",
                "home_country": "PL",
                "published_at": "2025-07-02",
            }
        ),
        json.dumps({"id": "b", "body": "x", "published_at": "yesterday"}),
    ]
    result = run("annotate", "-", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1 and "line 2: skipped" in result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    meeting = record["meeting"]
    assert meeting["date"] == "2025-06-30" and meeting["date_stated"] is True
    assert [s["id"] for s in meeting["sides"]] == ["PL", "RU"]
    assert meeting["sides"][0]["evidence"].startswith("Jan Kowalsky: home side")


def test_outbox_lists_failed_alerts_and_retry_requeues_them(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    from bot.models import ChatRef
    from bot.query import parse, to_json
    from storage import SqlStore, connect, upgrade
    from tests.conftest import NOW, ingest_text

    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = connect(url)
    upgrade(engine)
    store = SqlStore(engine)
    chat = store.ensure_chat(ChatRef("console", "desk"), NOW)
    store.add_subscription(chat.id, "Pakistan", to_json(parse("Pakistan", gazetteer)), NOW)
    ingest_text(store, gazetteer)
    [delivery] = store.deliveries_for_report(1)
    store.mark_failed(delivery.id, "gave up after 9 attempts in 24 h: HTTP 502")
    engine.dispose()
    env = {"READOUT_DATABASE_URL": url}

    listed = run("outbox", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "0 pending, 0 sent, 1 failed" in listed.stdout
    assert re.search(
        r"failed a day, last 14 days to \d\d \w+: [\u00b7\u2581-\u2588]{14} ", listed.stdout
    )
    assert f"chat {chat.id}: console desk" in listed.stdout
    assert "alert 1 for report 1: failed: gave up after 9 attempts in 24 h: HTTP 502" in (
        listed.stdout
    )
    assert run("outbox", "retry", "--since", "someday", cwd=tmp_path, env=env).returncode == 2
    assert (
        "0 failed alert(s)"
        in run("outbox", "retry", "--chat", str(chat.id + 1), cwd=tmp_path, env=env).stdout
    )
    retried = run("outbox", "retry", "--chat", str(chat.id), cwd=tmp_path, env=env)
    assert "1 failed alert(s) re-queued" in retried.stdout
    assert "1 pending, 0 sent, 0 failed" in run("outbox", cwd=tmp_path, env=env).stdout


def test_a_folder_or_missing_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    for command in (["annotate", str(tmp_path)], ["match", "-q", "x", str(tmp_path / "none")]):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith("readout: cannot read ") and "Traceback" not in (
            result.stderr
        )


def test_a_busy_http_port_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {
            "READOUT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "READOUT_WEBHOOK_TOKEN": "t0ken",  # the webhook needs the HTTP server
            "READOUT_HTTP_PORT": str(port),
        }
        result = run("run", cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"cannot serve HTTP on 127.0.0.1:{port}" in result.stderr
    assert "READOUT_HTTP_PORT" in result.stderr and "Traceback" not in result.stderr


def test_export_meetings_as_csv_and_json(tmp_path: Path) -> None:
    import csv
    import io

    env = {"READOUT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "call.txt").write_text(
        "ISLAMABAD, June 10, 2025 - Pakistani Foreign Minister Ishaq Dar held a telephone "
        "conversation with Russian Foreign Minister Sergey Lavrov."
    )
    (folder / "two.txt").write_text(
        "ISLAMABAD, May 2, 2025 - Russian Foreign Minister Sergey Lavrov held talks with "
        "Pakistani Foreign Minister Ishaq Dar in Islamabad on energy. Separately, Dar met "
        "Turkish Foreign Minister Hakan Fidan on trade."
    )
    assert run("ingest", str(folder), cwd=tmp_path, env=env).returncode == 0
    result = run("export", "meetings", "--since", "2025-01-01", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["day"], r["sides"], r["type"], r["host"]) for r in rows] == [
        ("2025-04-06", "Pakistan; Russia", "third-location", ""),
        ("2025-05-02", "Russia; Pakistan", "visit", "Pakistan"),
        ("2025-05-02", "Pakistan; Turkey", "host", "Pakistan"),
        ("2025-06-10", "Pakistan; Russia", "call", ""),
    ]
    assert "kind" not in rows[0]  # the type says it
    # Each person with their own side, in the order of the sides.
    assert (rows[1]["people"], rows[1]["people_sides"]) == ("Lavrov; Dar", "Russia; Pakistan")
    rows = rows[:1] + rows[3:]
    assert rows[1]["people"] == "Dar; Lavrov" and rows[1]["level"] == "ministers"
    assert rows[1]["roles"] == "Foreign Minister; Foreign Minister"
    # No outlet named and no link: none, never the folder's name ("reports").
    assert rows[0]["outlets"] == "" and rows[0]["outcomes"] == "invitation extended"
    assert rows[0]["outlet"] == "" and rows[0]["place"] == "Tashkent"
    as_json = run(
        "export", "meetings", "--format", "json", "-q", "type:call", cwd=tmp_path, env=env
    )
    [call] = json.loads(as_json.stdout)
    assert call["side_ids"] == "country:PK; country:RU"
    # The query asks of each meeting: the report's Pakistan-Turkey talks are not exported.
    pair = run(
        "export", "meetings", "--format", "json", "-q", "Pakistan-Russia", cwd=tmp_path, env=env
    )
    assert [m["sides"] for m in json.loads(pair.stdout)] == [
        "Pakistan; Russia",
        "Russia; Pakistan",
        "Pakistan; Russia",
    ]
    bad = run("export", "meetings", "--since", "last week", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "is not a day" in bad.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_workers_started_together_on_a_fresh_database_all_migrate(
    tmp_path: Path, backend: str
) -> None:
    """Three `readout db upgrade` at once: one migrates under the lock (PostgreSQL's
    advisory lock, SQLite's write lock), the others wait and find the schema at head."""
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'r.db'}"
    else:
        if not POSTGRES_URL:
            pytest.skip("READOUT_TEST_POSTGRES_URL is not set")
        schema = f"readout_race_{uuid.uuid4().hex[:10]}"
        admin = connect(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = postgres_url_for(schema)
    env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
    env["READOUT_DATABASE_URL"] = url
    try:
        processes = [
            subprocess.Popen(
                [READOUT, "db", "upgrade"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
        for process, (_, err) in zip(processes, outputs, strict=True):
            assert process.returncode == 0, err
        said = [out.strip().splitlines()[-1] for out, _ in outputs]
        assert sum("migrated from empty to revision" in line for line in said) == 1, said
        assert sum("is up to date" in line for line in said) == 2, said
    finally:
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "undated.txt").write_text("Talks on trade between Pakistan and Russia.")
    env = {
        "READOUT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
        "READOUT_SOURCES_FOLDERS": str(reports),
        "READOUT_LOG_FORMAT": "json",
        "READOUT_WEBHOOK_TOKEN": "a-secret-token-value",
    }
    result = run("run", "--once", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines, "nothing was logged"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert "a-secret-token-value" not in result.stderr
    bad = run("run", "--once", cwd=tmp_path, env={**env, "READOUT_LOG_FORMAT": "yaml"})
    assert bad.returncode == 2 and "log_format 'yaml'" in bad.stderr


def test_an_sqlite_file_that_cannot_be_opened_says_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "r.db"
    result = run(
        "db", "upgrade", cwd=tmp_path, env={"READOUT_DATABASE_URL": f"sqlite:///{missing}"}
    )
    assert result.returncode == 2
    assert f"The folder {missing.parent} does not exist" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_data_folder_says_so(tmp_path: Path) -> None:
    locked = tmp_path / "data"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        url = f"sqlite:///{locked / 'r.db'}"
        result = run("db", "upgrade", cwd=tmp_path, env={"READOUT_DATABASE_URL": url})
    finally:
        locked.chmod(0o700)
    assert result.returncode == 2 and "is not writable by this user" in result.stderr


def test_config_check_prints_what_is_in_force_as_toml_with_secrets_masked(
    tmp_path: Path,
) -> None:
    import tomllib

    env = {
        "READOUT_DATABASE_URL": "postgresql+psycopg://readout:s3cretpass@db:5432/readout",
        "READOUT_OUTBOX_BATCH_SIZE": "7",
        "READOUT_TELEGRAM_TOKEN": "123456:SECRET-TOKEN-VALUE",
    }
    result = run("config", "check", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    shown = tomllib.loads(result.stdout)
    assert shown["outbox"]["batch_size"] == 7
    assert shown["database"]["url"] == "postgresql+psycopg://readout:***@db:5432/readout"
    assert "SECRET-TOKEN-VALUE" not in result.stdout and "s3cretpass" not in result.stdout
    assert "# READOUT_TELEGRAM_TOKEN: set" in result.stdout
    bad = run("config", "check", cwd=tmp_path, env={"READOUT_OUTBOX_BATCH_SIZE": "lots"})
    assert bad.returncode == 2 and "READOUT_OUTBOX_BATCH_SIZE" in bad.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_from_the_printed_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`readout completion bash` prints a script bash really completes with, even when the
    configuration is broken (completion needs none)."""
    from bot.cli import main

    (tmp_path / "readout.toml").write_text("colour = 'red'\n")
    monkeypatch.chdir(tmp_path)
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "readout.bash"
    script.write_text(capsys.readouterr().out)

    def complete(line: str) -> set[str]:
        words = line.split(" ")
        current = words[-1] or "''"
        program = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            f'COMP_LINE="{line}"; COMP_POINT={len(line)}; '
            f"_shtab_readout readout {current} {words[-2]}; "
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
        return set(done.stdout.split())

    assert complete("readout db re") == {"reindex", "reread"}
    assert {"run", "ingest", "completion", "health"} <= complete("readout ")
