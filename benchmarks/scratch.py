"""A scratch PostgreSQL schema for a benchmark: dropped and made again, and an engine whose
every connection works in it (the server's other schemas are left alone)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from storage import connect


def postgres_schema(url: str, schema: str) -> Engine:
    admin = connect(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    joiner = "&" if "?" in url else "?"
    return connect(f"{url}{joiner}options=-csearch_path%3D{schema}")
