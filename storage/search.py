"""The search index: the keys each stored report offers matching (`bot.match.document`:
entity ids, sides, meeting types, word forms, people), held by the database's full-text
index (SQLite FTS5, PostgreSQL `tsvector` with a GIN index), so that /latest, /search and
/digest ask it for the few reports a query can match among all stored ones, newest first,
and evaluate only those.

A key is written as one token, a hash of it: keys hold ':' '-' '|' and any script, which
the two engines' query parsers would each split their own way; `k` and 16 hex digits are
one plain word to both. Two keys sharing a hash only let a report through that the query's
evaluation then turns down.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, TableClause, select, text
from sqlalchemy.orm import Session

from bot.match import KeyFilter, document

TABLE = "report_search"


@functools.lru_cache(maxsize=1 << 16)  # a report has about a hundred keys, most of them common
def token(key: str) -> str:
    return "k" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's comparison with the models: the index (and FTS5's own tables) is made
    by its migration, not by a model."""
    return not (type_ == "table" and name is not None and name.startswith(TABLE))


def create(bind: Connection) -> None:
    if bind.dialect.name == "sqlite":
        # Contentless (the keys are not kept, only the index), no positions or sizes:
        # a report either has a key or not.
        bind.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5"
            "(keys, content='', detail='none', columnsize=0)"
        )
        return
    bind.exec_driver_sql(
        f"CREATE TABLE {TABLE} (report_id INTEGER PRIMARY KEY "
        "REFERENCES reports (id) ON DELETE CASCADE, keys TSVECTOR NOT NULL)"
    )
    bind.exec_driver_sql(f"CREATE INDEX ix_{TABLE}_keys ON {TABLE} USING GIN (keys)")


def drop(bind: Connection) -> None:
    bind.exec_driver_sql(f"DROP TABLE {TABLE}")


def fill(
    bind: Connection, reports: TableClause, advance: Callable[[int], None] = lambda done: None
) -> int:
    """Index every report of `reports` (a table with the columns `convert.stored` reads),
    a thousand at a time, each thousand counted on `advance`; how many."""
    from storage import convert  # storage's package imports this module

    last, count = 0, 0
    while True:
        rows = bind.execute(
            select(reports).where(reports.c.id > last).order_by(reports.c.id).limit(1000)
        ).all()
        if not rows:
            return count
        stored = [convert.stored(row) for row in rows]  # type: ignore[arg-type]
        write(bind, [(s.id, document(s.report, s.annotations).keys) for s in stored])
        last, count = rows[-1].id, count + len(rows)
        advance(len(rows))


def clear(bind: Connection) -> None:
    """Every report out of the index (to fill it again)."""
    if bind.dialect.name == "sqlite":  # a contentless FTS5 table is emptied by a command
        bind.exec_driver_sql(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')")
    else:
        bind.exec_driver_sql(f"DELETE FROM {TABLE}")


def write(session: Session | Connection, rows: Sequence[tuple[int, Iterable[str]]]) -> None:
    """Index each (report id, its keys)."""
    if not rows:
        return
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "sqlite":
        statement = text(f"INSERT INTO {TABLE} (rowid, keys) VALUES (:id, :keys)")
        params: list[dict[str, Any]] = [
            {"id": i, "keys": " ".join(sorted({token(k) for k in keys}))} for i, keys in rows
        ]
    else:
        statement = text(
            f"INSERT INTO {TABLE} (report_id, keys) "
            "VALUES (:id, array_to_tsvector(CAST(:keys AS TEXT[])))"
        )
        params = [{"id": i, "keys": sorted({token(k) for k in keys})} for i, keys in rows]
    session.execute(statement, params)


def expression(condition: KeyFilter, dialect: str) -> str:
    """The condition as FTS5's MATCH or PostgreSQL's tsquery syntax."""
    any_, and_ = (" OR ", " AND ") if dialect == "sqlite" else (" | ", " & ")
    if condition.op == "any":
        inner = any_.join(sorted(token(k) for k in condition.keys))
    else:
        joiner = and_ if condition.op == "and" else any_
        inner = joiner.join(expression(p, dialect) for p in condition.parts)
    return f"({inner})"


def candidates(
    session: Session,
    condition: KeyFilter | None,
    *,
    since: datetime | None,
    before: int | None,
    limit: int,
) -> list[int]:
    """The ids of up to `limit` reports that meet `condition`, published since `since`,
    stored before report `before`, latest stored first."""
    dialect = session.get_bind().dialect.name
    found: list[int] = []
    for sql, params in statements(dialect, condition, since=since, before=before, limit=limit):
        found = [int(row[0]) for row in session.execute(text(sql), params)]
        if len(found) >= limit:
            break
    return found


# PostgreSQL first reads this many of the latest reports' keys, newest first: a common key
# (most queries) finds its reports there. Else the GIN index gives every report with the
# key; that path is cheap for a rare key and dear for a common one, and the planner, left
# to choose with a LIMIT, reads every report's keys backwards for a key that no report
# has (a minute and a half at 1,000,000 reports).
RECENT = 5000


def statements(
    dialect: str,
    condition: KeyFilter | None,
    *,
    since: datetime | None,
    before: int | None,
    limit: int,
) -> list[tuple[str, dict[str, Any]]]:
    """`candidates`' SQL and its parameters: the statements to try in turn until one
    gives `limit` ids (the last one's answer stands). Benchmarks print their plans."""
    params: dict[str, Any] = {"limit": limit}
    bounds = ""
    if before is not None:
        bounds += " AND r.id < :before"
        params["before"] = before
    if since is not None:
        bounds += " AND r.published_at >= :since"
        params["since"] = since
    tail = f"{bounds} ORDER BY r.id DESC LIMIT :limit"
    if condition is None:
        return [(f"SELECT r.id FROM reports r WHERE TRUE{tail}", params)]
    params["query"] = expression(condition, dialect)
    if dialect == "sqlite":
        # FTS5 hands its matches over in rowid order, bounded by it: no sort, no scan.
        bounds = bounds.replace("r.id <", "s.rowid <")
        return [
            (
                f"SELECT r.id FROM {TABLE} s JOIN reports r ON r.id = s.rowid "
                f"WHERE {TABLE} MATCH :query{bounds} ORDER BY s.rowid DESC LIMIT :limit",
                params,
            )
        ]
    matches = "keys @@ to_tsquery('simple', :query)"
    recent = (
        f"SELECT r.id FROM (SELECT report_id, keys FROM {TABLE} "
        + ("WHERE report_id < :before " if before is not None else "")
        + "ORDER BY report_id DESC LIMIT :recent) s "
        f"JOIN reports r ON r.id = s.report_id WHERE s.{matches}{tail}"
    )
    # Every report with the key (the GIN index), newest first, each looked up in turn
    # until there are enough: a join the planner may choose walks every report instead.
    everywhere = (
        f"WITH s AS MATERIALIZED (SELECT report_id FROM {TABLE} WHERE {matches}) "
        "SELECT r.id FROM (SELECT report_id FROM s "
        + ("WHERE report_id < :before " if before is not None else "")
        + "ORDER BY report_id DESC) m CROSS JOIN LATERAL (SELECT id FROM reports "
        "WHERE id = m.report_id"
        + (" AND published_at >= :since" if since is not None else "")
        + ") r ORDER BY m.report_id DESC LIMIT :limit"
    )
    return [(recent, params | {"recent": RECENT}), (everywhere, params)]
