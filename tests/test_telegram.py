"""Telegram end to end: the real python-telegram-bot Application and Bot against a fake Bot
API server on 127.0.0.1; every assertion is on what that server received."""

from __future__ import annotations

import asyncio
import html.parser
import io
import logging
import re
import shutil
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import App
from bot.config import (
    Config,
    DatabaseConfig,
    HttpConfig,
    LimitsConfig,
    OutboxConfig,
    Secrets,
    SourcesConfig,
    TelegramConfig,
)
from bot.extract import Gazetteer
from bot.models import Annotations, Card, Chat, ChatRef, DeliveryStatus, MatchedChat
from bot.outbox import Outbox
from bot.pipeline import Ingestor
from bot.reports import RawDocument
from bot.summarize import ALERT_LIMIT, QUOTE_LIMIT
from handlers.commands import CommandService
from handlers.ratelimit import TELEGRAM
from handlers.telegram import MAX_TEXT, TelegramBot, render_html, split_text
from storage import SqlStore
from tests.conftest import (
    LONG_REPORT,
    NOW,
    SEED,
    ManualClock,
    eventually,
    ingest_text,
    make_report,
    outbox_for,
    running,
    sent_once,
)
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram, error_body

TOKEN = "123456:TEST-TOKEN"
USER = 1001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def telegram(
    fake: FakeTelegram, store: SqlStore, gazetteer: Gazetteer
) -> AsyncIterator[TelegramBot]:
    service = CommandService(store, gazetteer, LimitsConfig())
    clock = ManualClock(NOW)  # waiting for a turn under the rate limits moves it
    bot = TelegramBot(TOKEN, service, store, base_url=fake.base_url, clock=clock, sleep=clock.sleep)
    await bot.start()
    yield bot
    await bot.stop()


def ingest(store: SqlStore, gazetteer: Gazetteer, text: str | None = None) -> None:
    ingest_text(store, gazetteer, text)


def outbox(store: SqlStore, gazetteer: Gazetteer, bot: TelegramBot) -> Outbox:
    """An outbox on the bot's own clock."""
    return outbox_for(store, gazetteer, bot.transport, clock_of(bot))


def clock_of(bot: TelegramBot) -> ManualClock:
    assert isinstance(bot.clock, ManualClock)
    return bot.clock


def next_turn(bot: TelegramBot) -> datetime:
    """The time once the chat may be sent to again: replies to commands took its turns."""
    return clock_of(bot).advance(TELEGRAM.chat_seconds)


async def test_private_subscribe_then_one_alert(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    assert [c["command"] for c in fake.of("setMyCommands")[0]["commands"]][:2] == [
        "subscribe",
        "unsubscribe",
    ]
    assert fake.of("deleteWebhook")
    fake.push_message(USER, "/subscribe Pakistan")
    reply = await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: Pakistan")
    assert "country; also matches Pakistani" in reply["text"]
    assert "parse_mode" not in reply  # replies are plain text: nothing to escape wrongly

    ingest(store, gazetteer)
    box = outbox(store, gazetteer, telegram)
    assert (await box.drain_once(next_turn(telegram))).sent == 1
    assert (await box.drain_once(next_turn(telegram))).handled == 0
    alerts = [p for p in fake.of("sendMessage") if p.get("parse_mode") == "HTML"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["chat_id"] == USER
    assert alert["text"].startswith("<b>\U0001f1f5\U0001f1f0 Pakistan \u2013 ")
    assert "matched: Pakistan" in alert["text"]
    assert alert["link_preview_options"] == {"is_disabled": True}
    buttons = alert["reply_markup"]["inline_keyboard"][0]
    assert buttons[0] == {"text": "Full report", "url": "https://example.org/report"}
    assert buttons[1]["text"] == "Mute" and buttons[1]["callback_data"].startswith("mute:")


async def test_latest_unsubscribe_subscriptions(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    ingest(store, gazetteer)
    fake.push_message(USER, "/subscribe SCO")
    await fake.wait_for("sendMessage", text="~Subscribed: SCO")
    fake.push_message(USER, f"/latest@{BOT_USERNAME}")
    latest = await fake.wait_for("sendMessage", text="~Latest meetings for this chat")
    assert "Gilani \u2013 Matviyenko" in latest["text"]
    fake.push_message(USER, "/subscriptions")
    await fake.wait_for("sendMessage", text="~1. SCO: SCO (organisation")
    fake.push_message(USER, "/unsubscribe 1")
    await fake.wait_for("sendMessage", text="Unsubscribed from: SCO.")
    fake.push_message(USER, "/subscriptions@SomeOtherBot")  # not for us: no answer
    fake.push_message(USER, "/subscriptions")
    await fake.wait_for("sendMessage", text="~This chat follows nothing yet")
    assert not any("SomeOtherBot" in p.get("text", "") for p in fake.of("sendMessage"))


async def test_groups_only_admins_change_subscriptions(
    fake: FakeTelegram, telegram: TelegramBot
) -> None:
    group = -100200
    fake.push_message(group, "/subscribe NATO", user_id=7)
    refusal = await fake.wait_for("sendMessage", chat_id=group, text="~Only this group's")
    assert "administrators" in refusal["text"]
    assert fake.of("getChatMember")[0]["user_id"] == 7
    fake.push_message(group, "/latest", user_id=7)  # anyone may read
    await fake.wait_for("sendMessage", chat_id=group, text="~No reports")
    fake.admins.add(8)
    fake.push_message(group, "/subscribe NATO", user_id=8)
    await fake.wait_for("sendMessage", chat_id=group, text="~Subscribed: NATO")


async def test_a_forum_topic_subscription_posts_into_that_topic(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    group = -100300
    fake.admins.add(USER)
    fake.push_message(group, "/subscribe energy", thread_id=42)
    reply = await fake.wait_for("sendMessage", chat_id=group, text="~Subscribed: energy")
    assert reply["message_thread_id"] == 42
    ingest(store, gazetteer)
    await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    alert = await fake.wait_for("sendMessage", chat_id=group, parse_mode="HTML")
    assert alert["message_thread_id"] == 42


async def test_channel_posts_are_commands_too(fake: FakeTelegram, telegram: TelegramBot) -> None:
    channel = -100400
    fake.push_message(channel, "/subscribe SCO", chat_type="channel", title="News")
    await fake.wait_for("sendMessage", chat_id=channel, text="~Subscribed: SCO")


async def subscribe(fake: FakeTelegram, chat_id: int, query: str) -> None:
    fake.push_message(chat_id, f"/subscribe {query}")
    await fake.wait_for("sendMessage", chat_id=chat_id, text=f"~Subscribed: {query}")


async def test_retry_after_is_honoured_and_delivered_once(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await subscribe(fake, USER, "Pakistan")
    ingest(store, gazetteer)
    fake.fail(
        "sendMessage", 429, error_body(429, "Too Many Requests: retry after 2", retry_after=2)
    )
    clock = clock_of(telegram)
    box = outbox(store, gazetteer, telegram)
    refused_at = next_turn(telegram)
    assert (await box.drain_once(refused_at)).retried == 1
    [row] = store.deliveries_for_report(1)
    assert row.next_attempt_at == refused_at + timedelta(seconds=2)  # counted from the 429
    assert (await box.drain_once(clock.advance(1.9))).handled == 0  # too early
    assert (await box.drain_once(clock.advance(0.1))).sent == 1
    attempts = [c for c in fake.calls if c.method == "sendMessage" and c.params.get("parse_mode")]
    assert len(attempts) == 2
    await box.drain_once(clock.advance(600))
    assert len([p for p in fake.of("sendMessage") if p.get("parse_mode")]) == 2  # once more only


async def test_forbidden_retires_the_chat(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await subscribe(fake, USER, "Pakistan")
    ingest(store, gazetteer)
    fake.fail("sendMessage", 403, error_body(403, "Forbidden: bot was blocked by the user"))
    result = await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    assert result.failed == 1
    assert store.active_subscriptions() == []
    [delivery] = store.deliveries_for_report(1)
    assert "blocked" in (delivery.last_error or "")


async def test_a_migrated_group_continues_under_its_new_id(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    old, new = -300, -100500
    fake.admins.add(USER)
    await subscribe(fake, old, "Pakistan")
    ingest(store, gazetteer)
    fake.fail(
        "sendMessage",
        400,
        error_body(
            400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=new
        ),
    )
    assert (await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))).sent == 1
    alert = await fake.wait_for("sendMessage", chat_id=new, parse_mode="HTML")
    assert "matched: Pakistan" in alert["text"]
    fake.push_message(new, "/subscriptions")
    await fake.wait_for("sendMessage", chat_id=new, text="~1. Pakistan")


async def test_untrusted_report_text_becomes_valid_escaped_html(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    fake.push_message(USER, "/subscribe envoys")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: the word \u201cenvoys")
    body = (
        "ISLAMABAD, May 2 - Pakistan's <b>Foreign Minister</b> met </code> envoys & "
        "friends <a href='x'>here</a>. " + ("Pakistan and Russia discussed trade. " * 140)
    )
    assert len(body) > 5000
    ingest(store, gazetteer, body)
    await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    alert = await fake.wait_for("sendMessage", chat_id=USER, parse_mode="HTML")
    text = alert["text"]
    assert len(text) <= MAX_TEXT
    # The report's own tags escaped; the word that made it fire in Readout's bold.
    assert (
        "&lt;b&gt;Foreign Minister&lt;/b&gt; met &lt;/code&gt; <b>envoys</b> &amp; friends" in text
    )
    assert_valid_telegram_html(text)


class _TagChecker(html.parser.HTMLParser):
    ALLOWED = frozenset({"b", "i", "a", "blockquote", "code", "pre", "u", "s"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"unexpected <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()


def assert_valid_telegram_html(text: str) -> None:
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.stack == []
    stripped = text
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;"):
        stripped = stripped.replace(entity, "")
    assert "&" not in stripped  # every & is an entity


async def test_an_alert_of_a_long_report_stays_short_and_ends_with_what_matched(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    fake.push_message(USER, "/subscribe energy")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: energy")
    ingest(store, gazetteer, LONG_REPORT)
    await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    alert = await fake.wait_for("sendMessage", chat_id=USER, parse_mode="HTML")
    shown = html.unescape(re.sub(r"<[^>]+>", "", alert["text"]))  # what the reader sees
    assert len(shown) <= ALERT_LIMIT
    assert shown.splitlines()[-1] == "matched: energy"
    [quote] = re.findall(r"<blockquote>(.*?)</blockquote>", alert["text"], re.DOTALL)
    assert quote.count(". ") == 0 and len(html.unescape(quote)) <= QUOTE_LIMIT  # one sentence


async def test_help_speaks_telegram(fake: FakeTelegram, telegram: TelegramBot) -> None:
    fake.push_message(USER, "/help")
    help_ = await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
    assert "\n/subscribe <query>" in help_["text"] and "/readout" not in help_["text"]
    assert "send the file with /import as its caption" in help_["text"]


def test_render_html_escapes_every_field() -> None:
    card = Card(
        report_id=1,
        headline="A <b> & B",
        title="t",
        who="<i>x</i>",
        event="E & F",
        meeting_type="call",
        topics=("t<1>",),
        key_sentences=("Say </code> & <b>",),
        source="src<>",
        url='https://e.org/?a=1&b="2"',
        matched=("<!channel>",),
    )
    rendered = render_html(card)
    assert_valid_telegram_html(rendered)
    assert 'href="https://e.org/?a=1&amp;b=&quot;2&quot;"' in rendered
    assert "&lt;!channel&gt;" in rendered


def test_a_long_digest_is_split_cleanly() -> None:
    lines = [f"{i}. " + "x" * 90 for i in range(200)]
    chunks = split_text("\n".join(lines))
    assert all(len(c) <= MAX_TEXT for c in chunks)
    assert "\n".join(chunks) == "\n".join(lines)
    assert all(c.split("\n")[0][0].isdigit() for c in chunks)  # cut at line starts


async def test_mute_button_offers_durations_then_mutes(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await subscribe(fake, USER, "Pakistan")
    ingest(store, gazetteer)
    await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    alert = await fake.wait_for("sendMessage", chat_id=USER, parse_mode="HTML")
    data = alert["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    fake.push_callback(USER, data)
    await fake.wait_for("answerCallbackQuery", text="Mute for how long?")
    [edit] = fake.of("editMessageReplyMarkup")
    choices = edit["reply_markup"]["inline_keyboard"][-1]
    assert [b["text"] for b in choices] == ["1 hour", "1 day", "1 week", "Until /resume"]
    pressed_at = clock_of(telegram).now
    fake.push_callback(USER, choices[1]["callback_data"])
    answer = await fake.wait_for("answerCallbackQuery", text="Muted Pakistan for 1 day.")
    assert answer["callback_query_id"].startswith("cb")
    [sub] = store.list_subscriptions(store.ensure_chat(ChatRef("telegram", str(USER)), NOW).id)
    assert sub.muted_until == pressed_at + timedelta(days=1) and not sub.paused


async def test_in_a_channel_only_administrators_can_press_mute(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    channel = -100300
    fake.push_message(channel, "/subscribe Pakistan", chat_type="channel")
    await fake.wait_for("sendMessage", chat_id=channel, text="~Subscribed: Pakistan")
    ingest(store, gazetteer)
    await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))
    alert = await fake.wait_for("sendMessage", chat_id=channel, parse_mode="HTML")
    data = alert["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    fake.push_callback(channel, data, user_id=4242, chat_type="channel")  # a subscriber
    await fake.wait_for("answerCallbackQuery", text="~Only administrators")
    assert [s.query for s in store.active_subscriptions()] == ["Pakistan"]
    fake.admins.add(4343)
    fake.push_callback(channel, data + ":0", user_id=4343, chat_type="channel")
    await fake.wait_for("answerCallbackQuery", text="Muted Pakistan until you /resume it.")
    assert store.active_subscriptions() == []


async def test_a_chat_flooding_commands_gets_one_polite_reply_then_quiet(
    fake: FakeTelegram, telegram: TelegramBot
) -> None:
    flood, other = 2002, 3003
    for _ in range(30):
        fake.push_message(flood, "/help")
    await fake.wait_for("sendMessage", chat_id=flood, text="~a lot of commands")
    fake.push_message(other, "/help")
    await fake.wait_for("sendMessage", chat_id=other)  # another chat is answered at once
    replies = [str(p["text"]) for p in fake.of("sendMessage") if int(p["chat_id"]) == flood]
    per_help = len([p for p in fake.of("sendMessage") if int(p["chat_id"]) == other])
    warnings = [r for r in replies if "a lot of commands" in r]
    assert len(warnings) == 1  # one polite reply, then quiet
    assert len(replies) - 1 == 20 * per_help  # the first 20 commands answered, no more


async def test_webhook_mode_checks_the_secret(
    fake: FakeTelegram, store: SqlStore, gazetteer: Gazetteer
) -> None:
    from bot.httpserver import HttpServer
    from handlers.telegram import WEBHOOK_PATH

    service = CommandService(store, gazetteer, LimitsConfig())
    bot = TelegramBot(
        TOKEN,
        service,
        store,
        base_url=fake.base_url,
        mode="webhook",
        webhook_url="https://readout.example.org/telegram/webhook",
    )
    server = HttpServer("127.0.0.1", 0)
    server.add_post(WEBHOOK_PATH, bot.webhook)
    await bot.start()
    await server.start()
    try:
        hook = fake.of("setWebhook")[0]
        assert hook["url"] == "https://readout.example.org/telegram/webhook"
        assert hook["secret_token"] == bot.secret_token
        update = {
            "update_id": 1,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": USER, "type": "private", "first_name": "A"},
                "from": {"id": USER, "is_bot": False, "first_name": "A"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        url = f"http://127.0.0.1:{server.port}{WEBHOOK_PATH}"
        async with aiohttp.ClientSession() as session:
            async with session.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            ) as r:
                assert r.status == 403
            async with session.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": bot.secret_token}
            ) as r:
                assert r.status == 200
        await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
        assert len([p for p in fake.of("sendMessage") if p["chat_id"] == USER]) == 1
        assert not fake.of("getUpdates")  # no polling in webhook mode
    finally:
        await server.stop()
        await bot.stop()


async def test_readout_run_serves_telegram_and_delivers(
    fake: FakeTelegram, tmp_path: Path, database_url: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(folder,), poll_seconds=0.2),
        outbox=OutboxConfig(drain_seconds=0.2),
        telegram=TelegramConfig(base_url=fake.base_url),
        http=HttpConfig(port=0),
        secrets=Secrets(telegram_token=TOKEN),
    )
    async with running(App.create(config)) as app:
        fake.push_message(USER, "/subscribe SCO")
        await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: SCO")
        shutil.copy(SEED, folder)
        alert = await fake.wait_for("sendMessage", chat_id=USER, parse_mode="HTML")
        assert "matched: SCO" in alert["text"]
        await eventually(lambda: sent_once(app))  # settled: a sent alert is never sent again
        assert app.store.delivery_counts() == {"sent": 1}
        assert len([p for p in fake.of("sendMessage") if p.get("parse_mode")]) == 1


def test_transport_needs_nothing_but_the_chat(store: SqlStore) -> None:
    # The transport is addressed by our Chat; its external id carries a forum topic.
    from handlers.telegram import external_id, split_external_id

    assert split_external_id(external_id(-100, 7)) == (-100, 7)
    assert split_external_id("12345") == (12345, None)
    assert Chat(1, "telegram", "-100:7").external_id == "-100:7"


async def test_html_refused_by_telegram_falls_back_to_plain_text(
    fake: FakeTelegram,
    telegram: TelegramBot,
    store: SqlStore,
    gazetteer: Gazetteer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(fake, USER, "Pakistan")
    ingest(store, gazetteer)
    fake.fail(
        "sendMessage",
        400,
        error_body(
            400, 'Bad Request: can\'t parse entities: unsupported start tag "x" at byte offset 3'
        ),
    )
    assert (await outbox(store, gazetteer, telegram).drain_once(next_turn(telegram))).sent == 1
    alerts = [p for p in fake.of("sendMessage") if p["chat_id"] == USER and "matched" in p["text"]]
    assert [a.get("parse_mode") for a in alerts] == ["HTML", None]  # refused, then plain
    assert alerts[1]["text"].startswith("\U0001f1f5\U0001f1f0 Pakistan")
    assert any("refused the HTML of report 1" in r.message for r in caplog.records)


async def test_telegram_down_at_start_is_tried_again(
    fake: FakeTelegram, tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake.fail("getMe", 502, error_body(502, "Bad Gateway"))
    empty = tmp_path / "empty"
    empty.mkdir()
    config = Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(empty,), poll_seconds=0.2),
        outbox=OutboxConfig(drain_seconds=0.2),
        telegram=TelegramConfig(base_url=fake.base_url),
        secrets=Secrets(telegram_token=TOKEN),
    )
    app = App.create(config)
    app.platform_retry_seconds = 0.3
    async with running(app):
        fake.push_message(USER, "/help")
        await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
        assert len(fake.of("getMe")) >= 2
        assert any("Telegram is not running" in r.message for r in caplog.records)
        assert any("Telegram is running now" in r.message for r in caplog.records)


# -- platform limits, kept by every worker together ------------------------------------------


def queue_alerts(store: SqlStore, chat_id: int, count: int) -> None:
    """`count` alerts to one Telegram chat, each of its own report."""
    chat = store.ensure_chat(ChatRef("telegram", str(chat_id)), NOW)
    for number in range(count):
        report = make_report(f"MOSCOW, 6 April 2025 - Talks number {number} with chat {chat_id}.")
        store.add_report(report, Annotations((), (), (), None), [MatchedChat(chat.id, (), ())], NOW)


def alerts_to(fake: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [p for p in fake.of("sendMessage") if p["chat_id"] == chat_id and p.get("parse_mode")]


async def test_two_workers_keep_one_chats_limit_and_serve_other_chats_meanwhile(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    busy, quiet = 5001, 5002
    queue_alerts(store, busy, 3)
    queue_alerts(store, quiet, 1)
    clock = clock_of(telegram)
    # A second worker: its own Application and outbox, the same database and clock.
    other = TelegramBot(
        TOKEN,
        telegram.service,
        store,
        base_url=fake.base_url,
        clock=clock,
        sleep=clock.sleep,
    )
    workers = [outbox(store, gazetteer, telegram), outbox(store, gazetteer, other)]
    try:
        first, second = [await box.drain_once(clock.now) for box in workers]
        # Between them: the busy chat's first alert and the quiet chat's, nothing more.
        assert first.sent + second.sent == 2
        assert len(alerts_to(fake, busy)) == 1 and len(alerts_to(fake, quiet)) == 1
        assert first.waiting + second.waiting == 1  # the busy chat's next waits its turn
        turn = first.next_turn or second.next_turn
        assert turn is not None and turn > clock.now
        assert (await workers[1].drain_once(clock.now)).handled == 0  # not yet
        for _ in range(2):
            clock.now = turn
            result = await workers[0].drain_once(clock.now)
            assert result.sent == 1
            turn = result.next_turn or (clock.now + timedelta(seconds=TELEGRAM.chat_seconds))
        assert len(alerts_to(fake, busy)) == 3
        sent = [d for d, _ in store.outbox_rows([DeliveryStatus.SENT], limit=10)]
        assert len(sent) == 4 and all(d.attempts == 1 for d in sent)  # a wait is not a try
    finally:
        await other.stop()


async def test_a_reply_takes_the_chats_next_turn_before_a_waiting_alert(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    clock = clock_of(telegram)
    queue_alerts(store, USER, 2)
    box = outbox(store, gazetteer, telegram)
    assert (await box.drain_once(clock.now)).sent == 1
    started = clock.now
    fake.push_message(USER, "/help")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
    # The reply waited for the chat's turn (the clock moved), not behind the alert...
    assert clock.now - started >= timedelta(seconds=TELEGRAM.chat_seconds)
    result = await box.drain_once(clock.now)
    # ...which now waits for the turn after the reply's.
    assert result.sent == 0 and result.waiting == 1
    assert result.next_turn == clock.now + timedelta(seconds=TELEGRAM.chat_seconds)


async def test_flood_control_holds_the_chat_and_then_the_whole_bot(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    clock = clock_of(telegram)
    first, second, third = 6001, 6002, 6003
    for chat_id in (first, second, third):
        queue_alerts(store, chat_id, 1)
    refused = error_body(429, "Too Many Requests: retry after 30", retry_after=30)
    fake.fail("sendMessage", 429, refused)
    box = outbox(store, gazetteer, telegram)
    started = clock.now  # the first send, refused, goes at once
    result = await box.drain_once(clock.now)
    # The first chat refused: held 30 s from the refusal; the others go.
    assert result.retried == 1 and result.sent == 2
    held = started + timedelta(seconds=30)
    # A reply to the held chat waits for the end of the hold.
    fake.push_message(first, "/help")
    await fake.wait_for("sendMessage", chat_id=first, text="~Readout alerts you")
    assert clock.now >= held
    # Two chats refused within the wait: the bot's overall limit is hit, every chat holds.
    queue_alerts(store, 6004, 1)
    queue_alerts(store, 6005, 1)
    fake.fail("sendMessage", 429, refused)
    fake.fail("sendMessage", 429, refused)
    result = await box.drain_once(clock.now)
    assert result.retried >= 1
    refused_at = clock.now
    queue_alerts(store, 6006, 1)
    result = await box.drain_once(clock.now)
    assert not alerts_to(fake, 6006)
    assert result.waiting == 1 and result.next_turn is not None
    assert result.next_turn >= refused_at + timedelta(seconds=29)


async def test_a_plain_message_in_a_private_chat_gets_a_hint(
    fake: FakeTelegram, telegram: TelegramBot
) -> None:
    fake.push_message(USER, "hello")
    hint = await fake.wait_for("sendMessage", chat_id=USER, text="~I answer commands")
    assert "/subscribe Pakistan" in hint["text"]
    fake.push_message(-100777, "hello everyone")  # a group's chatter is left alone
    fake.push_message(USER, "/help")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
    assert not [p for p in fake.of("sendMessage") if p["chat_id"] == -100777]


async def test_history_sends_its_chart_with_send_photo(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    from PIL import Image

    from tests.test_history import stored

    stored(store, gazetteer)
    fake.push_message(USER, "/history Pakistan Russia")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Dar \u2013 Lavrov")
    photo = await fake.wait_for("sendPhoto", chat_id=USER)
    assert photo["caption"].startswith("Pakistan \u2013 Russia: meetings per month")
    assert Image.open(io.BytesIO(photo["photo"])).size == (960, 600)


async def test_history_without_a_meeting_in_24_months_sends_no_chart(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    ingest(
        store,
        gazetteer,
        "ANKARA, March 3, 2022 - Pakistani Prime Minister Imran Khan met Turkish President "
        "Recep Tayyip Erdogan in Ankara.",
    )
    fake.push_message(USER, "/history Pakistan Turkey")
    reply = await fake.wait_for("sendMessage", chat_id=USER, text="~\U0001f1f5\U0001f1f0 Pakistan")
    assert reply["text"].endswith("None of them in the last 24 months, so no chart.")
    fake.push_message(USER, "/help")  # answered after anything of the first, in order
    await fake.wait_for("sendMessage", chat_id=USER, text="~Readout alerts you")
    assert fake.of("sendPhoto") == []


async def test_quiet_off_sends_what_the_quiet_hours_held(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    clock = clock_of(telegram)
    clock.now = NOW.replace(hour=23, minute=0)
    fake.push_message(USER, "/subscribe Pakistan")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: Pakistan")
    fake.push_message(USER, "/quiet 22-7")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Quiet hours 22:00-07:00")
    raw = RawDocument(SEED.read_text(), source="feed", url="https://example.org/report")
    Ingestor(store, gazetteer).ingest([raw], clock.now)  # at 23:00: held till 07:00
    box = outbox(store, gazetteer, telegram)
    assert (await box.drain_once(next_turn(telegram))).sent == 0  # held
    fake.push_message(USER, "/quiet off")
    done = await fake.wait_for("sendMessage", chat_id=USER, text="~No more quiet hours")
    assert done["text"].endswith("The alert held goes now.")
    assert (await box.drain_once(next_turn(telegram))).sent == 1
    [held] = [p for p in fake.of("sendMessage") if p.get("parse_mode") == "HTML"]
    assert "matched: Pakistan" in held["text"]


async def test_export_sends_a_document_and_import_reads_one(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore
) -> None:
    await subscribe(fake, USER, "Pakistan")
    fake.push_message(USER, "/export")
    document = await fake.wait_for("sendDocument", chat_id=USER)
    assert document["document"].decode().splitlines()[1] == "Pakistan"
    other = 7007
    fake.push_document(other, document["document"] + b"SCO | mode=daily\n", caption="/import")
    reply = await fake.wait_for("sendMessage", chat_id=other, text="~Imported: 2 added.")
    assert "added: SCO" in reply["text"]
    assert fake.of("download")  # read through getFile and the file URL of the Bot API
    chat = store.ensure_chat(ChatRef("telegram", str(other)), NOW)
    assert [s.query for s in store.list_subscriptions(chat.id)] == ["Pakistan", "SCO"]


async def test_an_alert_never_links_anything_but_a_public_web_page(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore, gazetteer: Gazetteer
) -> None:
    fake.push_message(USER, "/subscribe Pakistan")
    await fake.wait_for("sendMessage", chat_id=USER, text="~Subscribed: Pakistan")
    raw = RawDocument(SEED.read_text(), source="webhook", url="javascript:alert(1)")
    Ingestor(store, gazetteer).ingest([raw], NOW)
    box = outbox(store, gazetteer, telegram)
    assert (await box.drain_once(next_turn(telegram))).sent == 1
    [alert] = [p for p in fake.of("sendMessage") if p.get("parse_mode") == "HTML"]
    assert "javascript" not in alert["text"]
    assert [b["text"] for b in alert["reply_markup"]["inline_keyboard"][0]] == ["Mute"]


async def test_an_import_reads_only_the_bot_apis_files_and_only_100_kb_of_them(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore
) -> None:
    """A file with no size declared anywhere is read up to the cap, not to its end; a
    getFile naming a path on the worker's disk is never read."""
    other = 7008
    fake.push_document(other, b"energy\n" * 100_000, caption="/import", declared=False)
    await fake.wait_for("sendMessage", chat_id=other, text="~too large for a watchlist")
    fake.push_document(other, b"SCO\n", caption="/import", local_path="/etc/hostname")
    await fake.wait_for("sendMessage", chat_id=other, text="~Could not read that file")
    chat = store.ensure_chat(ChatRef("telegram", str(other)), NOW)
    assert store.list_subscriptions(chat.id) == []


async def test_one_chats_slow_import_holds_no_other_chat_and_its_own_stay_in_order(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore
) -> None:
    """Chat A's /import waits on a slow file server; chat B's /help is answered meanwhile;
    A's next command is answered after its import, in the order A sent them."""
    fake.hold_downloads = asyncio.Event()
    busy, other = 7010, 7011
    fake.push_document(busy, b"SCO\nNATO\n", caption="/import")
    await fake.wait_for("download")
    fake.push_message(busy, "/subscriptions")
    fake.push_message(other, "/help")
    await fake.wait_for("sendMessage", chat_id=other, text="~/subscribe")
    assert not [p for p in fake.of("sendMessage") if p["chat_id"] == busy]  # still importing
    fake.hold_downloads.set()
    listed = await fake.wait_for("sendMessage", chat_id=busy, text="~This chat follows")
    replies = [p["text"] for p in fake.of("sendMessage") if p["chat_id"] == busy]
    assert replies[0].startswith("Imported: 2 added.") and replies[-1] == listed["text"]


async def test_an_import_of_thousands_of_lines_is_answered_in_one_message(
    fake: FakeTelegram, telegram: TelegramBot, store: SqlStore
) -> None:
    lines = "".join(f"energy{n} | mode=hourly\n" for n in range(2000)).encode()
    other = 7012
    fake.push_document(other, b"SCO\n" + lines, caption="/import")
    reply = await fake.wait_for(
        "sendMessage", chat_id=other, text="~Imported: 1 added, 2000 refused"
    )
    assert "\u2026 and 1985 more refused" in reply["text"]
    assert len([p for p in fake.of("sendMessage") if p["chat_id"] == other]) == 1
