"""Reports read by other processes (`bot.readers.ProcessReader`): real processes, started
as a worker starts them, reading as the worker itself would."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.extract import Gazetteer, extract
from bot.models import Annotations, ChatRef, Report
from bot.pipeline import Ingestor
from bot.query import parse, to_json
from bot.readers import ProcessReader, ReadError, read_report
from bot.reports import RawDocument
from storage import SqlStore
from tests.conftest import NOW, ROOT, SEED, make_report

OTHERS = [
    "ISLAMABAD, April 7 - Foreign Minister Ishaq Dar met Chinese Foreign Minister Wang Yi "
    "in Beijing on Monday and discussed trade.",
    "MOSCOW, April 8 - Russian President Vladimir Putin spoke by telephone with Prime "
    "Minister Shehbaz Sharif of Pakistan.",
    "Wheat prices rose on Tuesday.",
]


def read_unless_marked(report: Report) -> Annotations:
    """Reads as a worker does, but fails on UNREADABLE, and a reading process (never the
    worker) dies on CRASH."""
    if "UNREADABLE" in report.text:
        raise ValueError("this report cannot be read")
    if "CRASH" in report.text and multiprocessing.parent_process() is not None:
        os._exit(3)
    if "STUCK" in report.text and multiprocessing.parent_process() is not None:
        os.kill(os.getpid(), signal.SIGSTOP)  # as an operator's SIGSTOP would leave it
    return read_report(report)


@pytest.fixture(scope="module")
def reader() -> Iterator[ProcessReader]:
    processes = ProcessReader(2, read_unless_marked)
    yield processes
    processes.close()


def test_other_processes_find_what_the_worker_finds(
    reader: ProcessReader, gazetteer: Gazetteer
) -> None:
    reports = [make_report(SEED.read_text(encoding="utf-8")), *map(make_report, OTHERS)]
    found = reader.read(reports)
    assert found == [extract(report, gazetteer) for report in reports]
    assert found[0].meeting is not None  # the seed's meeting, read in another process


def test_one_report_that_cannot_be_read_stops_no_other(
    reader: ProcessReader, store: SqlStore, gazetteer: Gazetteer
) -> None:
    chat = store.ensure_chat(ChatRef("console", "watcher"), NOW)
    store.add_subscription(chat.id, "Pakistan", to_json(parse("Pakistan", gazetteer)), NOW)
    documents = [
        RawDocument(SEED.read_text(encoding="utf-8"), source="seed"),
        RawDocument("Talks in Islamabad, UNREADABLE.", source="bad"),
        RawDocument(OTHERS[0], source="dar"),
        RawDocument(OTHERS[0], source="dar again"),  # the same report: read once, stored once
    ]
    summary = Ingestor(store, gazetteer, reader=reader).ingest(documents, NOW)
    assert [i.source for i in summary.ingested] == ["seed", "dar"]
    assert all(i.chats == 1 for i in summary.ingested)  # both reach the Pakistan watcher
    assert [d.source for d in summary.duplicates] == ["dar again"]
    [problem] = summary.problems
    assert problem.location == "bad" and "cannot be read" in problem.reason
    assert isinstance(reader.read([make_report("UNREADABLE")])[0], ReadError)


def test_a_reading_process_that_dies_loses_no_report(
    reader: ProcessReader, store: SqlStore, gazetteer: Gazetteer, caplog: pytest.LogCaptureFixture
) -> None:
    documents = [
        RawDocument(OTHERS[1], source="putin"),
        RawDocument("Talks in Islamabad, then a CRASH.", source="crash"),
        RawDocument(OTHERS[2], source="wheat"),
    ]
    summary = Ingestor(store, gazetteer, reader=reader).ingest(documents, NOW)
    # The chunk was read in the worker instead, where CRASH reads as any other text.
    assert sorted(i.source for i in summary.ingested) == ["crash", "putin", "wheat"]
    assert summary.problems == []
    assert "a reading process died" in caplog.text
    # The processes are started again for the next chunk.
    again = reader.read([make_report(OTHERS[0])])
    assert again == [extract(make_report(OTHERS[0]), gazetteer)]


def test_a_reader_needs_a_process() -> None:
    with pytest.raises(ValueError, match="at least one process"):
        ProcessReader(0)


def test_a_process_that_dies_while_the_next_chunk_waits_loses_nothing(
    reader: ProcessReader, store: SqlStore, gazetteer: Gazetteer
) -> None:
    """A poll longer than a chunk: the next chunk is handed to the processes before this
    one is matched, so it may wait in the pool that breaks."""
    documents = [
        RawDocument(f"Wheat prices rose on day {n}." + (" CRASH" if n == 3 else ""), source=f"{n}")
        for n in range(250)
    ]
    summary = Ingestor(store, gazetteer, reader=reader).ingest(documents, NOW)
    assert len(summary.ingested) == 250 and summary.problems == []
    assert reader.read([make_report(OTHERS[2])]) == [extract(make_report(OTHERS[2]), gazetteer)]


def test_a_reading_process_that_stops_answering_loses_no_report(
    gazetteer: Gazetteer, caplog: pytest.LogCaptureFixture
) -> None:
    """A stopped process (SIGSTOP) would hold its chunk for ever: after the timeout the
    chunk is read here, the stuck processes are killed and new ones read the next."""
    stuck = ProcessReader(1, read_unless_marked, timeout=20)
    try:
        reports = [make_report(OTHERS[0]), make_report("Talks in Islamabad, STUCK.")]
        found = stuck.read(reports)
        assert found == [extract(report, gazetteer) for report in reports]
        assert "did not answer within 20 s" in caplog.text
        assert stuck.read([make_report(OTHERS[1])]) == [extract(make_report(OTHERS[1]), gazetteer)]
    finally:
        stuck.close()


ORPHAN_SCRIPT = """
import os, sys
from bot.readers import ProcessReader
from tests.conftest import make_report
reader = ProcessReader(2)
reader.read([make_report("Wheat prices rose."), make_report("Oil prices fell.")])
print(" ".join(str(pid) for pid in reader._started()._processes), flush=True)
os.kill(os.getpid(), 9)  # the worker is killed: it cannot stop its readers
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended
        return stat.read().split(") ", 1)[1][0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_reading_processes_end_with_their_worker(tmp_path: Path) -> None:
    worker = subprocess.run(
        [sys.executable, "-c", ORPHAN_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    pids = [int(pid) for pid in worker.stdout.split()]
    assert len(pids) == 2, worker.stderr
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, "the reading processes outlived their worker"
        time.sleep(0.1)
