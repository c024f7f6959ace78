"""Chat commands through the platform-neutral CommandService, on both databases."""

from __future__ import annotations

import io
import logging
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import LimitsConfig
from bot.extract import Gazetteer
from bot.models import Annotations, ChatRef, NewReport
from bot.pipeline import Ingestor
from bot.sources import FolderSource
from handlers.commands import CommandService, parse_command
from handlers.console import run_chat
from storage import SqlStore
from tests.conftest import NOW, SEED, make_report

CHAT = ChatRef("console", "c1", "desk")


@pytest.fixture
def service(store: SqlStore, gazetteer: Gazetteer) -> CommandService:
    return CommandService(store, gazetteer, LimitsConfig(max_subscriptions_per_chat=3))


def say(service: CommandService, text: str, chat: ChatRef = CHAT) -> str:
    command = parse_command(chat, text)
    assert command is not None
    return service.handle(command, NOW).text


def ingest_seed(store: SqlStore, gazetteer: Gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    shutil.copy(SEED, folder)
    Ingestor(store, gazetteer).ingest(FolderSource(folder).poll(), NOW)


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/subscribe Pakistan", "subscribe", "Pakistan"),
        ("/subscribe@ReadoutBot  SCO ", "subscribe", "SCO"),
        ("/LATEST 3", "latest", "3"),
        ("/help", "help", ""),
    ],
)
def test_parse_command(text: str, name: str, args: str) -> None:
    command = parse_command(CHAT, text)
    assert command is not None and (command.name, command.args) == (name, args)


def test_plain_text_is_not_a_command() -> None:
    assert parse_command(CHAT, "hello there") is None


def test_subscribe_says_what_was_understood(service: CommandService) -> None:
    reply = say(service, "/subscribe Pakistan")
    assert reply.startswith("Subscribed: Pakistan (country; also matches Pakistani")
    assert say(service, "/subscribe pakistan").startswith("Already subscribed: Pakistan")


def test_subscribe_misspelt_suggests(service: CommandService) -> None:
    reply = say(service, "/subscribe Pakistn")
    assert reply == (
        "Could not understand 'Pakistn': unknown term 'Pakistn': did you mean Pakistan? "
        'To follow the word exactly as typed, put it in quotes: "Pakistn"'
    )
    assert say(service, "/subscriptions").startswith("This chat follows nothing yet")


def test_subscription_limits(service: CommandService) -> None:
    for query in ("Pakistan", "SCO", "energy"):
        assert say(service, f"/subscribe {query}").startswith("Subscribed")
    assert "the limit" in say(service, "/subscribe India")
    assert "limit is 200" in say(service, "/subscribe " + "word " * 50)
    assert say(service, "/subscribe").startswith("Usage: /subscribe")


def test_list_and_unsubscribe_by_number_or_query(service: CommandService) -> None:
    say(service, "/subscribe Pakistan")
    say(service, "/subscribe SCO")
    listing = say(service, "/subscriptions")
    assert "1. Pakistan: Pakistan (country" in listing
    assert "2. SCO: SCO (organisation" in listing
    assert say(service, "/unsubscribe 1") == "Unsubscribed from: Pakistan."
    assert "numbers 1 to 1" in say(service, "/unsubscribe 7")
    assert say(service, "/unsubscribe shanghai cooperation organisation") == (
        "Unsubscribed from: SCO."
    )
    assert say(service, "/unsubscribe 1") == "This chat has no subscriptions."


def test_subscriptions_belong_to_their_chat(service: CommandService) -> None:
    say(service, "/subscribe Pakistan")
    assert "nothing yet" in say(service, "/subscriptions", ChatRef("console", "other"))


def test_latest_digest_and_search(
    service: CommandService, store: SqlStore, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    assert say(service, "/latest") == "No reports have been ingested yet."
    ingest_seed(store, gazetteer, tmp_path)
    everything = say(service, "/latest")
    assert everything.startswith("Latest meetings (this chat follows nothing yet):")
    say(service, "/subscribe SCO")
    latest = say(service, "/latest 3")
    assert latest.startswith("Latest meetings for this chat's subscriptions:")
    assert "1. \U0001f1f5\U0001f1f0 Pakistan \u2013 \U0001f1f7\U0001f1fa Russia" in latest
    assert latest.endswith("[SCO (mentioned)]")  # not a side: the IPU meeting
    assert "Usage: /latest" in say(service, "/latest many")
    # the seed was published on 6 Apr 2025: not in today's digest
    assert say(service, "/digest today") == "No matching reports in the last 24 hours."
    assert "Usage: /digest" in say(service, "/digest month")
    found = say(service, '/search "Federation Council"')
    assert found.startswith("Reports matching the exact phrase \u201cFederation Council\u201d:")
    assert "No stored report matches India" in say(service, "/search India")


def test_search_and_latest_reach_reports_older_than_the_latest_thousand(
    service: CommandService, store: SqlStore, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    ingest_seed(store, gazetteer, tmp_path)
    # 1,200 later reports of nothing a query here names (once, /search read the latest 500).
    empty = Annotations((), (), (), None)
    later = [
        make_report(f"OTTAWA, May 5 - Canada raised interest rates, step {i}.") for i in range(1200)
    ]
    store.add_reports([NewReport(r, empty, (), NOW) for r in later])
    found = say(service, '/search "Federation Council"')
    assert found.startswith("Reports matching the exact phrase")
    assert "Pakistan \u2013 \U0001f1f7\U0001f1fa Russia" in found
    say(service, "/subscribe Matviyenko")
    assert "Pakistan \u2013 \U0001f1f7\U0001f1fa Russia" in say(service, "/latest 1")
    assert "No stored report matches India" in say(service, "/search India")


def test_digest_of_the_week_lists_new_reports(
    service: CommandService, store: SqlStore, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    day = (NOW - timedelta(days=2)).strftime("%B %d")
    (folder / "a.txt").write_text(
        f"MOSCOW, {day} (Reuters) - Russian Foreign Minister Sergei Lavrov met Indian "
        "Foreign Minister S. Jaishankar for talks on energy."
    )
    Ingestor(store, gazetteer).ingest(FolderSource(folder).poll(), NOW)
    say(service, "/subscribe energy")
    week = say(service, "/digest week")
    assert week.startswith("Digest of the last 7 days:")
    assert "Russia" in week and "[energy]" in week
    assert say(service, "/digest today") == "No matching reports in the last 24 hours."


def test_unknown_command_and_help(service: CommandService) -> None:
    assert say(service, "/subscrbe x") == (
        "Unknown command /subscrbe. Did you mean /subscribe? /help lists what I can do."
    )
    help_text = say(service, "/help")
    for name in service.names:
        assert f"/{name}" in help_text or name == "start"
    assert say(service, "/start").startswith("Welcome to Readout")


def test_a_failure_on_our_side_is_a_polite_reply_not_a_stack_trace(
    service: CommandService, store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    with store.engine.begin() as conn:  # the table is gone from under us
        conn.execute(text("ALTER TABLE subscriptions RENAME TO subscriptions_gone"))
    try:
        with caplog.at_level(logging.ERROR):
            reply = say(service, "/subscriptions")
    finally:
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE subscriptions_gone RENAME TO subscriptions"))
    assert reply.startswith("Sorry, something went wrong on our side while running /subscriptions")
    assert "Traceback" not in reply
    assert any("/subscriptions failed" in r.message for r in caplog.records)


def test_console_chat_loop(service: CommandService) -> None:
    out = io.StringIO()
    polls: list[int] = []
    run_chat(
        service,
        CHAT,
        ["/subscribe SCO\n", "subscriptions\n", "\n", "/quit\n", "/help\n"],
        out,
        after_command=lambda: polls.append(1),
        clock=lambda: NOW,
    )
    text = out.getvalue()
    assert "Subscribed: SCO (organisation: Shanghai Cooperation Organisation)" in text
    assert "1. SCO: SCO" in text
    assert "Readout alerts you" not in text  # nothing after /quit
    assert polls == [1, 1]


def test_a_muted_subscription_resumes_when_subscribed_again(
    service: CommandService, store: SqlStore
) -> None:
    say(service, "/subscribe Pakistan")
    chat = store.ensure_chat(CHAT, NOW)
    [sub] = store.list_subscriptions(chat.id)
    reply = service.mute_from_button(CHAT, [sub.id, 999], None, NOW)
    assert reply == "Muted Pakistan until you /resume it."
    assert "(paused)" in say(service, "/subscriptions")
    assert say(service, "/subscribe Pakistan").startswith("Resumed: Pakistan (country")
    assert "(paused)" not in say(service, "/subscriptions")


# -- input as people type it (issue 11, item 4) ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "replies", "follows"),
    [
        (
            "/subscribe Pakistan, Russia",
            ["\u2022 Subscribed: Pakistan (country", "\u2022 Subscribed: Russia (country"],
            ["Pakistan", "Russia"],
        ),
        ("/subscribe Pakistan\nSCO", ["\u2022 Subscribed: SCO (organisation"], ["Pakistan", "SCO"]),
        (
            "/subscribe \U0001f1f5\U0001f1f0",
            ["Subscribed: Pakistan (country"],
            ["\U0001f1f5\U0001f1f0"],
        ),
        ("/subscribe Taliban", ["Subscribed: the word \u201cTaliban\u201d"], ["Taliban"]),
        (
            "/subscribe \u00abFederation Council\u00bb",
            ["the exact phrase"],
            ['"Federation Council"'],
        ),
        ("/subscribe West Bank", ["West Bank (territory"], ["West Bank"]),
        (
            "/subscribe White House",
            ["followed as an exact phrase", "White AND House"],
            ["White House"],
        ),
        ("/subscribe Lavrov", ["Sergey Lavrov (person: foreign minister of Russia"], ["Lavrov"]),
        ('/subscribe "Korea, Republic of"', ["exact phrase"], ['"Korea, Republic of"']),
    ],
)
def test_subscribe_reads_input_as_people_type_it(
    service: CommandService, typed: str, replies: list[str], follows: list[str]
) -> None:
    reply = say(service, typed)
    assert "did you mean" not in reply
    for part in replies:
        assert part in reply
    listed = say(service, "/subscriptions")
    for number, query in enumerate(follows, start=1):
        assert f"{number}. {query}" in listed


def test_unsubscribe_several_at_once_and_all_with_a_confirmation(service: CommandService) -> None:
    reply = say(service, "/subscribe Pakistan, Russia, SCO, energy")  # the limit here is 3
    assert "\u2022 This chat already has 3 subscriptions" in reply
    assert say(service, "/unsubscribe 1 3") == "Unsubscribed from: Pakistan, SCO."
    say(service, "/subscribe energy, NATO")
    assert say(service, "/unsubscribe 1,2") == "Unsubscribed from: Russia, energy."
    assert "Nothing was removed" in say(service, "/unsubscribe 1 7")
    assert "/unsubscribe all confirm" in say(service, "/unsubscribe all")
    assert "1. NATO" in say(service, "/subscriptions")  # not yet
    assert say(service, "/unsubscribe all confirm") == "Unsubscribed from all 1: NATO."
    assert "follows nothing" in say(service, "/subscriptions")


def test_a_plain_message_in_the_console_gets_a_hint(service: CommandService) -> None:
    out = io.StringIO()
    run_chat(service, CHAT, ["hello there\n", "subscriptions\n"], out)
    text = out.getvalue()
    assert "I answer commands: /subscribe Pakistan" in text
    assert "Unknown command" not in text
    assert "follows nothing yet" in text  # a command typed without the slash still works


def test_a_person_named_in_stored_reports_is_a_person(
    service: CommandService, store: SqlStore, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    # Valentina Matviyenko is named in the seed report; the record lists her only as a
    # minister and senator, not by surname alone.
    ingest_seed(store, gazetteer, tmp_path)
    reply = say(service, "/subscribe Gilani")
    assert "Subscribed: Gilani (person" in reply
    assert "the word" not in reply


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/history Narnia", "'Narnia' is no country or organisation I know"),
        ("/history Pakistan Pakistan", "Pakistan is named twice"),
        ("/history Lavrov Putin", "Sergey Lavrov is a person: name the country"),
        ("/history Tashkent", "Tashkent is a place, not a country or organisation"),
        ("/history Pakistan Russia China", "at most two sides, and 3 are named"),
        ("/history Pakistan OR Russia", "without OR, NOT or brackets"),
        ("/history Pakistn", "did you mean Pakistan?"),
        ("/latest 1000", "/latest shows at most 20 meetings: /latest 20"),
        ("/subscribe at:Narnia", "'Narnia' is no organisation I know"),
    ],
)
def test_each_mistake_gets_its_own_answer_with_the_right_form(
    service: CommandService, text: str, answer: str
) -> None:
    reply = say(service, text)
    assert answer in reply
    right = "/history Pakistan" if text.startswith("/history") else "/latest 20"
    if text.startswith("/subscribe"):
        right = 'at:"Raisina Dialogue"'
    assert right in reply  # an example of what would work


def test_a_forum_named_in_full_is_taken_as_written(service: CommandService) -> None:
    assert say(service, '/subscribe at:"Raisina Dialogue"').startswith(
        "Subscribed: meetings at Raisina Dialogue."
    )


def test_the_console_help_says_how_a_file_is_imported_there(service: CommandService) -> None:
    help_ = say(service, "/help")
    assert "/import it anywhere (paste its lines after /import)" in help_
    assert "caption" not in help_
