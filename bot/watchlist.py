"""Watchlists in and out: a chat's subscriptions as a file (one query a line, with its mode
and mute state; or JSON), and such a file read back, line by line. Pure.

The text form, one subscription a line:

    Pakistan
    Pakistan-Russia | mode=instant
    energy | mode=daily | muted-until=2026-11-29T10:00Z
    "Federation Council" | paused
    "India \\| Pakistan" | mode=daily

A `|` of the query itself is written `\\|`. Lines starting with `#` and blank lines are
skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.models import DeliveryMode, Subscription

VERSION = 1
# A mute no later than this: beyond it a time is a typo, and one near the end of the
# calendar overflows when shown in a time zone east of UTC.
LATEST_MUTE = datetime(2100, 1, 1, tzinfo=UTC)
_OPTIONS = re.compile(r"(?<!\\) \| ")  # " | " parts a line, "\| " does not


@dataclass(frozen=True)
class Entry:
    """One subscription of a watchlist file."""

    query: str
    mode: DeliveryMode | None = None
    muted_until: datetime | None = None
    paused: bool = False


@dataclass(frozen=True)
class BadLine:
    """A line that is not a subscription, and why."""

    number: int
    text: str
    reason: str


def to_text(subscriptions: Sequence[Subscription], title: str, now: datetime) -> str:
    lines = [
        f"# Readout watchlist of {title or 'a chat'}, {now:%Y-%m-%d %H:%M} UTC: one "
        "subscription a line. /import it in any chat.",
    ]
    for sub in subscriptions:
        parts = [sub.query.replace("\n", " ").replace("|", "\\|")]
        if sub.mode is not None:
            parts.append(f"mode={sub.mode.value}")
        if sub.paused:
            parts.append("paused")
        elif sub.muted_until is not None and sub.muted_until > now:
            parts.append(f"muted-until={sub.muted_until.astimezone(UTC):%Y-%m-%dT%H:%MZ}")
        lines.append(" | ".join(parts))
    return "\n".join(lines) + "\n"


def to_json(subscriptions: Sequence[Subscription], title: str, now: datetime) -> str:
    return json.dumps(
        {
            "readout_watchlist": VERSION,
            "chat": title,
            "exported_at": now.astimezone(UTC).isoformat(),
            "subscriptions": [
                {
                    "query": sub.query,
                    "mode": sub.mode.value if sub.mode else None,
                    "paused": sub.paused,
                    "muted_until": sub.muted_until.astimezone(UTC).isoformat()
                    if sub.muted_until and sub.muted_until > now and not sub.paused
                    else None,
                }
                for sub in subscriptions
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def read(text: str) -> list[Entry | BadLine]:
    """A watchlist, text or JSON, entry by entry; a line that cannot be read says why."""
    # NUL is in no query, and PostgreSQL cannot store it.
    stripped = text.replace("\x00", "").lstrip("\ufeff").strip()
    if stripped.startswith("{"):
        return _read_json(stripped)
    found: list[Entry | BadLine] = []
    for number, raw in enumerate(stripped.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        query, *options = (part.strip() for part in _OPTIONS.split(line))
        found.append(_entry(number, line, query.replace("\\|", "|"), options))
    return found


def _entry(number: int, line: str, query: str, options: list[str]) -> Entry | BadLine:
    if not query:
        return BadLine(number, line, "no query before the options")
    mode: DeliveryMode | None = None
    muted: datetime | None = None
    paused = False
    for option in options:
        key, _, value = option.partition("=")
        key = key.strip().lower()
        if key == "mode":
            try:
                mode = DeliveryMode(value.strip().lower())
            except ValueError:
                return BadLine(number, line, f"mode={value} is not instant, daily or weekly")
        elif key == "paused":
            paused = True
        elif key == "muted-until":
            try:
                muted = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
                if muted.tzinfo is None:
                    muted = muted.replace(tzinfo=UTC)
                muted = muted.astimezone(UTC)
            except (ValueError, OverflowError):
                return BadLine(number, line, f"muted-until={value} is not a time")
            if muted >= LATEST_MUTE:
                return BadLine(
                    number, line, f"muted-until={value} is too far: at most {LATEST_MUTE.year - 1}"
                )
        else:
            return BadLine(number, line, f"unknown option {option!r}")
    return Entry(query, mode, muted, paused)


def _read_json(text: str) -> list[Entry | BadLine]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return [BadLine(0, text[:60], f"not a watchlist: malformed JSON ({exc})")]
    items = data.get("subscriptions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [BadLine(0, text[:60], 'not a watchlist: no "subscriptions" list')]
    found: list[Entry | BadLine] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            found.append(BadLine(number, str(item)[:60], 'an entry needs a "query" string'))
            continue
        shown = item["query"]
        mode, paused, muted = item.get("mode"), item.get("paused", False), item.get("muted_until")
        if not isinstance(paused, bool):
            found.append(BadLine(number, shown, f'"paused" is {paused!r}: write true or false'))
            continue
        if not isinstance(mode, str | None) or not isinstance(muted, str | None):
            found.append(BadLine(number, shown, '"mode" and "muted_until" are text or null'))
            continue
        options = []
        if mode:
            options.append(f"mode={mode}")
        if paused:
            options.append("paused")
        elif muted:
            options.append(f"muted-until={muted}")
        found.append(_entry(number, shown, shown.strip(), options))
    return found
