"""Digests: the reports a chat's subscriptions (or a search query) select from the stored
ones, newest first, one line each. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from bot.extract import Gazetteer
from bot.match import document, evaluate, matched_terms
from bot.models import DeliveryMode, StoredReport
from bot.query import Node, terms
from bot.summarize import digest_line, pair_of


@dataclass(frozen=True)
class DigestItem:
    stored: StoredReport
    matched: tuple[str, ...]
    also_reported_by: tuple[str, ...] = ()


def merged(items: Sequence[DigestItem], limit: int) -> list[DigestItem]:
    """The first `limit` meetings of `items` (newest first): several outlets' reports of
    one meeting are one line that names the others."""
    by_cluster: dict[int, list[DigestItem]] = {}
    order: list[int] = []
    for item in items:
        key = item.stored.cluster_id or item.stored.id
        if key not in by_cluster:
            by_cluster[key] = []
            order.append(key)
        by_cluster[key].append(item)
    merged: list[DigestItem] = []
    for key in order[:limit]:
        first, *others = by_cluster[key]
        sources = tuple(
            dict.fromkeys(
                o.stored.report.outlet_name
                for o in others
                if o.stored.report.outlet_name
                and o.stored.report.outlet_name != first.stored.report.outlet_name
            )
        )
        labels = tuple(dict.fromkeys(x for i in by_cluster[key] for x in i.matched))
        merged.append(DigestItem(first.stored, labels, sources))
    return merged


def matching(reports: Sequence[StoredReport], queries: Sequence[Node] | None) -> list[DigestItem]:
    """The reports any of `queries` match (all when None), with what matched, in order."""
    items: list[DigestItem] = []
    for stored in reports:
        if queries is None:
            items.append(DigestItem(stored, ()))
            continue
        doc = document(stored.report, stored.annotations)
        labels: list[str] = []
        hit = False
        for node in queries:
            if evaluate(node, doc):
                hit = True
                labels.extend(x for x in matched_terms(node, doc) if x not in labels)
        if hit:
            items.append(DigestItem(stored, tuple(labels)))
    return items


def render(
    title: str,
    items: Sequence[DigestItem],
    gazetteer: Gazetteer,
    *,
    max_chars: int | None = None,
    more_hint: str = "",
    by_pair: bool = False,
    followed: Sequence[str] = (),
) -> str:
    """A digest as plain text: a title line, then one numbered line per report; within
    `max_chars` when given (one message, never split), saying how many were left out.
    `by_pair`: grouped under each meeting's sides whatever their order in the report
    ("🇵🇰 Pakistan – 🇷🇺 Russia" once, not again as "🇷🇺 Russia – 🇵🇰 Pakistan"), the sides
    the chat follows (`followed`, entity ids) first, the groups in the order of their
    newest report."""
    if by_pair:
        groups: dict[frozenset[str], list[DigestItem]] = {}
        for item in items:
            groups.setdefault(_sides(item), []).append(item)
        items = [i for group in groups.values() for i in group]
        headings = {  # one per group, from its newest report: never two for one pair
            key: pair_of(group[0].stored.annotations, gazetteer, followed)
            for key, group in groups.items()
        }
    lines = [title]
    size = len(title)
    heading = None
    for number, item in enumerate(items, start=1):
        if by_pair:
            pair = headings[_sides(item)]
            if pair != heading:
                heading = pair
                lines.append(pair)
                size += len(pair) + 1
        line = digest_line(
            item.stored.report, item.stored.annotations, gazetteer, sides=not by_pair
        )
        if item.also_reported_by:
            line += f" (also reported by: {', '.join(item.also_reported_by)})"
        if item.matched:
            line += f" [{', '.join(item.matched)}]"
        line = f"{'   ' if by_pair else ''}{number}. {line}"
        if max_chars is not None and size + len(line) + 1 > max_chars - 80:
            left = len(items) - number + 1
            lines.append(f"\u2026and {left} more{more_hint}.")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _sides(item: DigestItem) -> frozenset[str]:
    meeting = item.stored.annotations.meeting
    return frozenset(s.id for s in meeting.sides[:4]) if meeting else frozenset()


def followed_sides(queries: Sequence[Node]) -> tuple[str, ...]:
    """The countries and organisations the queries name, in their order: the side a
    digest's headings put first ("Pakistan" follows Pakistan: "🇵🇰 Pakistan – 🇷🇺 Russia")."""
    found: list[str] = []
    for node in queries:
        for term in terms(node):
            if term.kind in ("entity", "side", "pair"):
                found += [v for v in term.value.split("|") if v.startswith(("country:", "org:"))]
    return tuple(dict.fromkeys(found))


def next_digest_at(
    mode: DeliveryMode, now: datetime, *, hour: int, weekday: int, zone: tzinfo = UTC
) -> datetime:
    """When a chat in `mode` gets its next digest (in UTC): the next `hour`:00 of its time
    `zone` (daily), on `weekday` (0 is Monday) for weekly; `now` for instant chats."""
    if mode is DeliveryMode.INSTANT:
        return now
    local = now.astimezone(zone)
    days = 0 if mode is DeliveryMode.DAILY else (weekday - local.weekday()) % 7
    step = 1 if mode is DeliveryMode.DAILY else 7
    candidate = datetime.combine(local.date() + timedelta(days=days), time(hour), tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(
            candidate.date() + timedelta(days=step), time(hour), tzinfo=zone
        )
    return candidate.astimezone(UTC)


_HOUR = r"([01]?\d|2[0-3])(?:[:.h]([0-5]\d)?)?"
_QUIET = re.compile(rf"^\s*{_HOUR}\s*(?:-|\u2013|\u2014|to)\s*{_HOUR}\s*$")


def parse_quiet(text: str) -> str:
    """ "22:00-07:00", "22-7", "22h to 7h" -> "22:00-07:00"; ValueError otherwise."""
    m = _QUIET.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not a span of hours: write it as 22:00-07:00")
    start = f"{int(m.group(1)):02d}:{m.group(2) or '00'}"
    end = f"{int(m.group(3)):02d}:{m.group(4) or '00'}"
    if start == end:
        raise ValueError("quiet hours that start when they end would be all day: use /pause")
    return f"{start}-{end}"


def quiet_until(quiet: str | None, now: datetime, zone: tzinfo = UTC) -> datetime | None:
    """When the quiet hours `now` falls in end (UTC), or None when it is not quiet."""
    if not quiet:
        return None
    start_text, end_text = quiet.split("-")
    start = time.fromisoformat(start_text)
    end = time.fromisoformat(end_text)
    local = now.astimezone(zone)
    clock = local.timetz().replace(tzinfo=None)
    overnight = start > end
    inside = (start <= clock or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    day = local.date()
    if overnight and clock >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
