"""The session plumbing every repository shares: one transaction per public method."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def job_lock(self, name: str) -> Iterator[bool]:
        """Whether this worker may run the scheduled job `name` now: a PostgreSQL advisory
        lock, held until the block ends, so that among several workers of one deployment
        (one schema) one runs it. With SQLite (one worker) always yes."""
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        with self.engine.connect() as connection:
            # Advisory locks are per database: the schema is part of the key, so that two
            # deployments in two schemas of one database never wait on each other.
            schema = connection.execute(text("SELECT current_schema()")).scalar()
            key = int.from_bytes(
                hashlib.sha256(f"readout:{schema}:{name}".encode()).digest()[:8],
                "big",
                signed=True,
            )
            got = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            )
            try:
                yield got
            finally:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
