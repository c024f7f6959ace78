"""How fast a worker stops when told to during a large poll, and that nothing is lost or
doubled: `readout run` on a folder of small reports, SIGTERM once the first ones are
stored, then `readout run --once` to read the rest.

    python benchmarks/stop.py [--reports 8000] [--postgres URL]

Prints the seconds from the signal to the exit and the reports stored at the signal, at
the exit and after the restart (a report is stored once: its content hash is unique), on
SQLite and, given a URL, PostgreSQL. The baseline in the same run is the same worker left
to finish its poll (the time a stop took when the signal was not heard until the poll
ended).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import postgres_schema  # noqa: E402
from storage import connect  # noqa: E402

READOUT = shutil.which("readout") or str(Path(sys.executable).parent / "readout")
COUNTRIES = ("Pakistan", "Russia", "China", "India", "Turkey", "Iran", "Brazil", "Kenya")


def write_reports(folder: Path, count: int) -> None:
    for number in range(count):
        one, other = COUNTRIES[number % 8], COUNTRIES[(number + 3) % 8]
        (folder / f"{number:05}.txt").write_text(
            f"ISLAMABAD, April 6 - The foreign ministers of {one} and {other} met on "
            f"Sunday to discuss trade, round {number}.\n"
        )


def stored(engine: Engine) -> int:
    with engine.connect() as conn:
        try:
            return int(conn.execute(text("SELECT count(*) FROM reports")).scalar_one())
        except Exception:  # the schema is not there yet
            return 0


def trial(url: str, engine: Engine, count: int, *, signal_it: bool, into: float) -> str:
    work = Path(tempfile.mkdtemp(prefix="readout-stop-"))
    try:
        folder = work / "reports"
        folder.mkdir()
        write_reports(folder, count)
        env = {k: v for k, v in os.environ.items() if not k.startswith("READOUT_")}
        env.update(
            READOUT_DATABASE_URL=url,
            READOUT_SOURCES_FOLDERS=str(folder),
            READOUT_POLL_SECONDS="3600",
        )
        log = work / "worker.log"
        with log.open("w") as err:
            worker = subprocess.Popen([READOUT, "run"], cwd=work, env=env, stderr=err)
        while "worker running" not in log.read_text():  # the first poll starts with it
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited early: {log.read_text()[-2000:]}")
            time.sleep(0.05)
        if signal_it:
            time.sleep(into)  # the scenario: the signal comes this far into the poll
        else:
            while stored(engine) < count:  # the baseline: the poll runs to its end
                time.sleep(0.05)
        before_signal = stored(engine)
        sent = time.perf_counter()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=600)
        took = time.perf_counter() - sent
        at_exit = stored(engine)
        again = subprocess.run(
            [READOUT, "run", "--once"], cwd=work, env=env, capture_output=True, text=True
        )
        if again.returncode != 0:
            raise SystemExit(again.stderr)
        total = stored(engine)
        how = "SIGTERM during the poll" if signal_it else "baseline: after the whole poll"
        return (
            f"  {how:<32} exit {took:5.2f} s after the signal; stored {before_signal} at the "
            f"signal, {at_exit} at exit, {total}/{count} after the restart"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=8000)
    parser.add_argument("--into", type=float, default=0.5, help="seconds into the poll")
    parser.add_argument("--postgres", default=os.environ.get("READOUT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    for signal_it in (True, False):
        work = Path(tempfile.mkdtemp(prefix="readout-stop-db-"))
        try:
            url = f"sqlite:///{work / 'r.db'}"
            engine = connect(url)
            print(f"SQLite, {args.reports} reports:")
            print(trial(url, engine, args.reports, signal_it=signal_it, into=args.into))
            engine.dispose()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if args.postgres:
            engine = postgres_schema(args.postgres, "readout_bench_stop")
            url = engine.url.render_as_string(hide_password=False)
            print(f"PostgreSQL, {args.reports} reports:")
            print(trial(url, engine, args.reports, signal_it=signal_it, into=args.into))
            engine.dispose()


if __name__ == "__main__":
    main()
