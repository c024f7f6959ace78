"""Engines and migrations: `connect(url)` and `upgrade(engine)` (Alembic, to head)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError

from bot.errors import ConfigError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def connect(url: str, **engine_options: Any) -> Engine:
    """An engine for `url` (SQLite or PostgreSQL through psycopg 3)."""
    if url.startswith("postgres://") or url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain URLs would ask for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        engine_options.setdefault("connect_args", {})["check_same_thread"] = False
    try:
        engine = create_engine(url, **engine_options)
    except Exception as exc:  # SQLAlchemy raises ArgumentError, NoSuchModuleError, ...
        raise ConfigError(
            f"cannot use database URL {redact_url(url)!r}: {exc}. Set READOUT_DATABASE_URL to "
            "sqlite:///readout.db or postgresql+psycopg://user@host:5432/dbname"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_settings)
    return engine


def _postgres_settings(dbapi_connection: Any, _record: Any) -> None:
    # psycopg prepares a statement on the server after five runs, and PostgreSQL may then
    # keep one plan for it whatever the parameters: a plan made while the table was small
    # (a scan, for "is this report stored?") stays until an ANALYZE, so ingestion slowed
    # as the store grew (2.2x from the first thousand reports to the tenth, autovacuum
    # off). Each run is planned for its own parameters, as before the fifth.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Write-ahead logging: readers (a /latest) do not wait for the writer, and a commit
    # syncs at checkpoints rather than every transaction (NORMAL): a crash of Readout loses
    # nothing committed; a power cut may lose the last transactions, which the sources give
    # again (their entries are marked read only once stored). An in-memory database has
    # no log to keep.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser syntax
    return config


# The key of the PostgreSQL advisory lock migrations run under (any constant: it only has to
# be the same in every worker; "readout" in ASCII).
MIGRATION_LOCK = 0x72656164_6F7574
# How long a worker waits for another's migration on SQLite before giving up.
SQLITE_MIGRATION_WAIT_MS = 300_000


Progress = Callable[[str, int], Callable[[int], None]]
"""How a long step tells how far it is: called with what it does and how many items it
has, it answers the function each batch done is counted with (`readout db ...` shows a
bar on a terminal)."""


def no_progress(label: str, total: int) -> Callable[[int], None]:
    return lambda done: None


def migration_progress(label: str, total: int) -> Callable[[int], None]:
    """For a migration's backfill: the progress `upgrade` was handed, if any."""
    from alembic import context

    progress: Progress = context.config.attributes.get("progress") or no_progress
    return progress(label, total)


def upgrade(
    engine: Engine, revision: str = "head", progress: Progress = no_progress
) -> tuple[str | None, str | None]:
    """Bring the database schema to `revision` (idempotent); the revisions before and
    after, None for an empty database. Any number of processes may call it at once: the
    migration runs in one transaction under a lock (PostgreSQL's advisory lock, SQLite's
    write lock), so the others wait, then find the schema at `revision` and do nothing.
    A backfill (reports read once more to fill a new table) counts its rows on `progress`."""
    config = alembic_config(engine)
    config.attributes["progress"] = progress
    migrating = _migration_engine(engine)
    try:
        with migrating.begin() as connection:
            if migrating.dialect.name == "postgresql":
                _advisory_lock(connection)
            before = MigrationContext.configure(connection).get_current_revision()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            return before, MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        where = redact_url(engine.url.render_as_string(False))
        if engine.dialect.name == "sqlite":
            hint = _sqlite_hint(engine)
            raise ConfigError(f"cannot open the database {where}: {reason}. {hint}") from None
        raise ConfigError(
            f"cannot open the database {where}: {reason}. Check READOUT_DATABASE_URL (or "
            "[database] url) and that the server runs"
        ) from None
    finally:
        if migrating is not engine:
            migrating.dispose()


def _sqlite_hint(engine: Engine) -> str:
    """What to do about an SQLite file that cannot be opened: most often a folder this
    user may not write (a volume mounted from the host, owned by root)."""
    database = engine.url.database or ""
    folder = Path(database).expanduser().resolve().parent
    if not folder.is_dir():
        return f"The folder {folder} does not exist: create it or set READOUT_DATABASE_URL"
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"The folder {folder} is not writable by this user (uid {os.getuid()}): give it "
            "to that user (for a Docker volume, chown it to uid 10001) or set "
            "READOUT_DATABASE_URL to a file in a folder it may write"
        )
    return "Check READOUT_DATABASE_URL (or [database] url): sqlite:///path/to/readout.db"


def _advisory_lock(connection: Connection) -> None:
    """Wait for PostgreSQL's advisory lock of migrations, held until this transaction ends
    (`readout run` waits rather than failing while another worker migrates)."""
    taken = connection.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({MIGRATION_LOCK})")
    if not taken.scalar():
        log.info("another process is migrating the database: waiting for it")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def _migration_engine(engine: Engine) -> Engine:
    """The engine to migrate with: `engine` itself, except for an SQLite file, where the
    migration must be one transaction that takes the write lock at its start (BEGIN
    IMMEDIATE), which Python's sqlite3 module does not do by itself (it begins none before
    DDL): SQLAlchemy's recipe for pysqlite, on an engine of its own."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    migrating = create_engine(engine.url, connect_args={"check_same_thread": False})

    @event.listens_for(migrating, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN: ours below
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_MIGRATION_WAIT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(migrating, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for operators undoing an upgrade, and tests)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def redact_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url
