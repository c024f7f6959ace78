"""Watchlists in and out: the file format (pure), /export then /import round-tripping a
chat's subscriptions exactly, and the files on Telegram, Slack and the console."""

from __future__ import annotations

import io
from datetime import timedelta

from bot import watchlist
from bot.config import LimitsConfig
from bot.extract import Gazetteer
from bot.models import ChatRef, DeliveryMode
from handlers.commands import Command, CommandService
from handlers.console import run_chat
from storage import SqlStore
from tests.conftest import NOW

DESK = ChatRef("telegram", "1001", "Policy desk")
OTHER = ChatRef("slack", "C9", "policy")


def state(store: SqlStore, ref: ChatRef) -> list[tuple[str, DeliveryMode | None, bool, object]]:
    chat = store.ensure_chat(ref, NOW)
    return [(s.query, s.mode, s.paused, s.muted_until) for s in store.list_subscriptions(chat.id)]


def test_export_then_import_round_trips_a_chats_subscriptions(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    service = CommandService(store, gazetteer, LimitsConfig())

    def say(ref: ChatRef, text: str) -> str:
        name, _, args = text.lstrip("/").partition(" ")
        return service.handle(Command(ref, name, args), NOW).text

    say(DESK, '/subscribe Pakistan, Pakistan-Russia, energy, "Federation Council", Lavrov')
    say(DESK, '/subscribe "India | Pakistan"')  # a phrase with the file's own separator
    say(DESK, "/mode 3 daily")
    say(DESK, "/mute 4 24h")
    say(DESK, "/mute 5")
    for form in ("", "json"):
        exported = service.handle(Command(DESK, "export", form), NOW)
        assert exported.file is not None
        name, content = exported.file
        assert name == "readout-watchlist." + ("json" if form else "txt")
        target = ChatRef("slack", f"C{len(form)}", "policy")
        reply = service.handle(Command(target, "import", content.decode()), NOW).text
        assert reply.startswith("Imported: 6 added.")
        assert state(store, target) == state(store, DESK)  # exactly
        again = service.handle(Command(target, "import", content.decode()), NOW).text
        assert again.startswith("Imported: 6 already there.")


def test_import_says_what_it_refused_and_why(store: SqlStore, gazetteer: Gazetteer) -> None:
    service = CommandService(store, gazetteer, LimitsConfig(max_subscriptions_per_chat=3))
    pasted = "Pakistan\n# a comment\nPakistn\nSCO | mode=hourly\nIndia\nChina\nNATO\n"
    reply = service.handle(Command(OTHER, "import", pasted), NOW).text
    assert reply.splitlines()[0] == "Imported: 3 added, 3 refused."
    assert "refused: Pakistn \u2013 Could not understand 'Pakistn': unknown term" in reply
    assert "refused (line 4): SCO | mode=hourly \u2013 mode=hourly is not instant" in reply
    assert "refused: NATO \u2013 the chat has 3, the limit" in reply
    assert (
        "Usage: share the file with Readout in a direct message"
        in service.handle(Command(OTHER, "import", ""), NOW).text
    )


def test_the_file_format() -> None:
    entries = watchlist.read(
        "\ufeffPakistan\nenergy | mode=daily | muted-until=2026-11-29T10:00Z\nx | paused\n"
        "y | colour=red\n"
    )
    assert entries[0] == watchlist.Entry("Pakistan")
    assert entries[1] == watchlist.Entry(
        "energy", DeliveryMode.DAILY, NOW.replace(hour=10) + timedelta(days=2)
    )
    assert entries[2] == watchlist.Entry("x", paused=True)
    assert isinstance(entries[3], watchlist.BadLine) and "colour=red" in entries[3].reason
    [bad] = watchlist.read('{"subscriptions": 3}')
    assert isinstance(bad, watchlist.BadLine) and 'no "subscriptions" list' in bad.reason


def test_the_console_saves_the_export(store: SqlStore, gazetteer: Gazetteer) -> None:
    service = CommandService(store, gazetteer, LimitsConfig())
    out = io.StringIO()
    run_chat(service, ChatRef("console", "c"), ["/subscribe SCO\n", "/export\n"], out)
    [line] = [x for x in out.getvalue().splitlines() if x.startswith("File: ")]
    from pathlib import Path

    path = Path(line.removeprefix("File: "))
    try:
        assert path.read_text().splitlines()[1] == "SCO"
    finally:
        path.unlink()


def test_a_hostile_watchlist_is_refused_line_by_line_and_stops_nothing(
    store: SqlStore, gazetteer: Gazetteer
) -> None:
    """A mute at the end of the calendar (it overflowed when read in UTC), one past 2099,
    a NUL (PostgreSQL stores none) and JSON that says "no" for paused."""
    service = CommandService(store, gazetteer, LimitsConfig())
    pasted = (
        "energy | muted-until=9999-12-31T23:59-14:00\n"
        "SCO | muted-until=2500-01-01T00:00Z\n"
        "NA\x00TO\n"
        "Pakistan | muted-until=2026-12-01T10:00+05:00\n"
    )
    reply = service.handle(Command(OTHER, "import", pasted), NOW).text
    assert reply.splitlines()[0] == "Imported: 2 added, 2 refused."
    assert "muted-until=9999-12-31T23:59-14:00 is not a time" in reply
    assert "muted-until=2500-01-01T00:00Z is too far: at most 2099" in reply
    assert [q for q, *_ in state(store, OTHER)] == ["NATO", "Pakistan"]
    sent = '{"subscriptions": [{"query": "China", "paused": "no"}, {"query": "India"}]}'
    reply = service.handle(Command(OTHER, "import", sent), NOW).text
    assert reply.splitlines()[0] == "Imported: 1 added, 1 refused."
    assert "\"paused\" is 'no': write true or false" in reply
    assert ("India", None, False, None) in state(store, OTHER)
