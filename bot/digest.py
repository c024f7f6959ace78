"""Digests: the reports a chat's subscriptions (or a search query) select from the stored
ones, newest first, one line each. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.extract import Gazetteer
from bot.match import document, evaluate, matched_terms
from bot.models import StoredReport
from bot.query import Node
from bot.summarize import digest_line


@dataclass(frozen=True)
class DigestItem:
    stored: StoredReport
    matched: tuple[str, ...]


def select(
    reports: Sequence[StoredReport], queries: Sequence[Node] | None, limit: int
) -> list[DigestItem]:
    """The first `limit` reports any of `queries` match (every report when None)."""
    items: list[DigestItem] = []
    for stored in reports:
        if len(items) >= limit:
            break
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


def render(title: str, items: Sequence[DigestItem], gazetteer: Gazetteer) -> str:
    """A digest as plain text: a title line, then one numbered line per report."""
    lines = [title]
    for number, item in enumerate(items, start=1):
        line = digest_line(item.stored.report, item.stored.annotations, gazetteer)
        if item.matched:
            line += f" [{', '.join(item.matched)}]"
        lines.append(f"{number}. {line}")
    return "\n".join(lines)
