"""Who reads a poll's reports: extraction, the part of ingestion that only needs the CPU,
done in the worker itself or shared by several processes.

A `ProcessReader` keeps `processes` processes, each with its own gazetteer (loaded once
when it starts, about 230 MB each), and hands each a share of a chunk's reports; what they
find comes back pickled (about 50 µs a report both ways). On a 2-core machine two of them
read 2,200 Reuters stories a second where the worker alone reads 1,200. A report whose
reading fails comes back as its error, and the others are read as usual. A process that
dies, or does not answer within `timeout` seconds (stopped, stuck), takes no report with
it: that chunk is read in the worker, the processes are killed and others started for
the next. A reading process ends when the worker that started it is gone (it checks
every second), so a killed worker leaves none behind.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from bot.extract import extract
from bot.knowledge import load_gazetteer
from bot.models import Annotations, Report

log = logging.getLogger(__name__)


class ReadError(Exception):
    """Reading one report failed in another process (its error, as text)."""


Found = list[Annotations | Exception]


class Reader(Protocol):
    def read(self, reports: Sequence[Report]) -> Found:
        """What extraction finds in each report, in order, or why it could not."""

    def submit(self, reports: Sequence[Report]) -> Callable[[], Found]:
        """Start reading `reports`; the function returned waits for `read`'s answer (the
        worker does other work meanwhile)."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class _Failed:
    """An error that crossed from a reading process (exceptions may not pickle)."""

    message: str


def read_report(report: Report) -> Annotations:
    """One report read with this process's gazetteer (loaded once per process)."""
    return extract(report, load_gazetteer())


def _read_or_fail(
    function: Callable[[Report], Annotations], report: Report
) -> Annotations | _Failed:
    try:
        return function(report)
    except Exception as exc:  # one broken report must never stop the others
        return _Failed(f"{type(exc).__name__}: {exc}")


def _read_all(
    function: Callable[[Report], Annotations], reports: Sequence[Report]
) -> list[Annotations | _Failed]:
    return [_read_or_fail(function, report) for report in reports]


def _start_process(worker: int) -> None:
    # Ctrl-C is the worker's to handle: it stops the pool itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(worker,), name="end-with-worker", daemon=True).start()
    load_gazetteer().officeholders.index_sounds()  # as the worker does at start


def _end_with(worker: int) -> None:
    """End this process once `worker`, its parent, is gone (killed, it could not say so):
    an orphan is adopted by another process, and its parent's id changes."""
    while os.getppid() == worker:
        time.sleep(1.0)
    os._exit(0)


def _as_result(found: Annotations | _Failed) -> Annotations | Exception:
    return ReadError(found.message) if isinstance(found, _Failed) else found


class ProcessReader:
    """Extraction shared by `processes` processes (started by "spawn": a worker has threads,
    which a forked process would inherit half-held). `function` reads one report there; a
    top-level function, as the processes import it by name."""

    def __init__(
        self,
        processes: int,
        function: Callable[[Report], Annotations] = read_report,
        *,
        timeout: float = 60.0,
    ) -> None:
        """`timeout`: seconds a chunk may take in the processes before it is read here
        (reading takes a few milliseconds a report; a process's first chunk waits for its
        gazetteer, a few seconds)."""
        if processes < 1:
            raise ValueError(f"a ProcessReader needs at least one process, not {processes}")
        self.processes = processes
        self.function = function
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # ingestion runs in worker threads

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_process,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def read(self, reports: Sequence[Report]) -> Found:
        return self.submit(reports)()

    def submit(self, reports: Sequence[Report]) -> Callable[[], Found]:
        if not reports:
            return list
        # One share a process, in order: fewer round trips than a report at a time.
        size = -(-len(reports) // self.processes)
        shares = [reports[i : i + size] for i in range(0, len(reports), size)]
        futures: list[Future[list[Annotations | _Failed]]] = []
        pool = self._started()
        with contextlib.suppress(BrokenProcessPool):  # found out when the answer is asked for
            futures = [pool.submit(_read_all, self.function, share) for share in shares]

        deadline = time.monotonic() + self.timeout

        def result() -> Found:
            try:
                if len(futures) < len(shares):
                    raise BrokenProcessPool("the reading processes could not take the chunk")
                found = [
                    item
                    for future in futures
                    for item in future.result(max(deadline - time.monotonic(), 0.0))
                ]
            except BrokenProcessPool as exc:
                log.error("a reading process died (%s): this chunk is read here", exc)
                self._retire(pool)  # others are started for the next chunk
                found = _read_all(self.function, reports)
            except FutureTimeout:
                log.error(
                    "a reading process did not answer within %.0f s: this chunk is read here, "
                    "and the processes are replaced",
                    self.timeout,
                )
                self._retire(pool, kill=True)
                found = _read_all(self.function, reports)
            return [_as_result(item) for item in found]

        return result

    def _retire(self, pool: ProcessPoolExecutor, *, kill: bool = False) -> None:
        """Stop a broken pool (only that one: the next chunk may be in a new one); `kill`:
        its processes first, which may be stopped or stuck and would never end."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        if kill:
            # The executor offers no way to end a stuck process: its own table of them.
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    process.kill()
        pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._retire(self._pool)
