"""Engines and migrations: `connect(url)` and `upgrade(engine)` (Alembic, to head)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to `revision` (idempotent)."""
    config = alembic_config(engine)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise ConfigError(
            f"cannot open the database {redact_url(engine.url.render_as_string(False))}: "
            f"{reason}. Check READOUT_DATABASE_URL (or [database] url) and that the server runs"
        ) from None


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
