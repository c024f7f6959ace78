"""What sources remember between polls: their state and the entries they handed over."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.models import SourceState
from storage import convert
from storage.base import Repository
from storage.models import SourceEntryRow, SourceStateRow


class SourceRepository(Repository):
    def source_state(self, name: str) -> SourceState | None:
        with self._tx() as session:
            row = session.scalar(select(SourceStateRow).where(SourceStateRow.name == name))
            return convert.source_state(row) if row else None

    def save_source_state(self, state: SourceState) -> None:
        with self._tx() as session:
            row = session.scalar(select(SourceStateRow).where(SourceStateRow.name == state.name))
            if row is None:
                row = SourceStateRow(name=state.name)
                session.add(row)
            for field_name in (
                "kind",
                "location",
                "etag",
                "last_modified",
                "last_poll_at",
                "next_poll_at",
                "status",
                "failures",
                "last_error",
                "entries_seen",
                "reports_ingested",
            ):
                setattr(row, field_name, getattr(state, field_name))
            row.location = state.location[:2000]
            row.last_error = state.last_error[:2000] if state.last_error else None

    def source_states(self) -> list[SourceState]:
        with self._tx() as session:
            rows = session.scalars(select(SourceStateRow).order_by(SourceStateRow.name))
            return [convert.source_state(r) for r in rows]

    def unseen_entries(self, source: str, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        with self._tx() as session:
            seen: set[str] = set()
            for start in range(0, len(keys), 500):
                chunk = [k[:500] for k in keys[start : start + 500]]
                seen.update(
                    session.scalars(
                        select(SourceEntryRow.entry_key).where(
                            SourceEntryRow.source_name == source,
                            SourceEntryRow.entry_key.in_(chunk),
                        )
                    )
                )
            return {k for k in keys if k[:500] not in seen}

    def mark_entries_seen(self, source: str, keys: list[str], now: datetime) -> None:
        fresh = self.unseen_entries(source, keys)
        if not fresh:
            return
        try:
            with self._tx() as session:
                session.add_all(
                    SourceEntryRow(source_name=source, entry_key=k[:500], seen_at=now)
                    for k in sorted(fresh)
                )
        except IntegrityError:
            pass  # another worker marked them first: they are seen either way
