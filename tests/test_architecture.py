"""The import rules of DESIGN.md, kept true by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_CORE = [
    "bot/reports.py",
    "bot/query.py",
    "bot/match.py",
    "bot/summarize.py",
    "bot/digest.py",
    "bot/annotate.py",
    "bot/cluster.py",
    "bot/history.py",
    "bot/watchlist.py",
    "bot/models.py",
    "bot/ports.py",
    "bot/errors.py",
    *[str(p.relative_to(ROOT)) for p in (ROOT / "bot" / "extract").glob("*.py")],
]
PLATFORM_AND_IO = (
    "telegram",
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "alembic",
    "apscheduler",
    "aiohttp",
    "httpx",
    "psycopg",
    "storage",
    "handlers",
    "requests",
    "socket",
    "urllib.request",  # urllib.parse only splits strings
    "subprocess",
    "importlib",  # reading packaged files is I/O: bot/knowledge.py does it for the core
    "anyascii",  # reads its tables from files: handed in by bot/knowledge.py
    "babel",
    "py3langid",
    "pathlib",
    "os",
)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("module", PURE_CORE)
def test_pure_core_imports_no_platform_storage_or_network(module: str) -> None:
    bad = {
        m
        for m in imports(ROOT / module)
        if any(m == banned or m.startswith(banned + ".") for banned in PLATFORM_AND_IO)
    }
    assert not bad, f"{module} imports {sorted(bad)}"


def test_only_app_and_cli_reach_storage_and_handlers() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name in ("app.py", "cli.py"):
            continue
        bad = {m for m in imports(path) if top(m) in ("storage", "handlers")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_nothing_in_bot_imports_a_chat_platform() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        bad = {m for m in imports(path) if top(m) in ("telegram", "slack_bolt", "slack_sdk")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_sql_lives_in_storage_only() -> None:
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            bad = {m for m in imports(path) if top(m) in ("sqlalchemy", "alembic", "psycopg")}
            assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_handlers_do_not_import_storage() -> None:
    for path in (ROOT / "handlers").rglob("*.py"):
        bad = {m for m in imports(path) if top(m) == "storage"}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_rules_can_fail() -> None:
    # a guard against a walker that finds nothing: these modules do import things
    assert "ahocorasick" in imports(ROOT / "bot/extract/gazetteer.py")
    assert "importlib.resources" in imports(ROOT / "bot/knowledge.py")
    assert "sqlalchemy" in imports(ROOT / "storage/repositories.py")
