"""Slack end to end: the real Bolt AsyncApp and slack-sdk AsyncWebClient against a fake
Slack Web API on 127.0.0.1; inbound requests signed and sent over HTTP to the worker's
server; every assertion is on what the fake received."""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
import time
from collections.abc import AsyncIterator
from datetime import timedelta
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
    SlackConfig,
    SourcesConfig,
    TelegramConfig,
)
from bot.extract import Gazetteer
from bot.httpserver import HttpServer
from bot.models import Card, ChatRef
from bot.outbox import Outbox
from bot.summarize import ALERT_LIMIT, QUOTE_LIMIT
from handlers.commands import CommandService
from handlers.slack import EVENTS_PATH, SlackBot, escape, render_blocks
from storage import SqlStore
from tests.conftest import (
    LONG_REPORT,
    NOW,
    SEED,
    ManualClock,
    eventually,
    ingest_text,
    outbox_for,
    running,
    sent_once,
)
from tests.fakes.slack_api import FakeSlack, block_action, event, signed, slash_command
from tests.fakes.telegram_api import FakeTelegram

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


class Running:
    def __init__(self, bot: SlackBot, server: HttpServer) -> None:
        self.bot = bot
        self.server = server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}{EVENTS_PATH}"

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> int:
        sent = {"Content-Type": content_type, **(headers or signed(SECRET, body))}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, data=body.encode(), headers=sent) as response,
        ):
            return response.status

    async def command(self, fake: FakeSlack, text: str, channel: str = "C1") -> int:
        return await self.post(
            slash_command(text, channel=channel, response_url=fake.response_url()),
            "application/x-www-form-urlencoded",
        )

    async def event(self, inner: dict[str, Any]) -> int:
        return await self.post(event(inner), "application/json")


@pytest.fixture
async def slack(fake: FakeSlack, store: SqlStore, gazetteer: Gazetteer) -> AsyncIterator[Running]:
    service = CommandService(store, gazetteer, LimitsConfig())
    clock = ManualClock(NOW)  # waiting for a turn under the rate limits moves it
    bot = SlackBot(
        TOKEN,
        service,
        store,
        api_url=fake.api_url,
        signing_secret=SECRET,
        clock=clock,
        sleep=clock.sleep,
    )
    server = HttpServer("127.0.0.1", 0)
    server.add_post(EVENTS_PATH, bot.events)
    await bot.start()
    await server.start()
    yield Running(bot, server)
    await server.stop()
    await bot.stop()


def ingest(store: SqlStore, gazetteer: Gazetteer, text: str | None = None) -> None:
    ingest_text(store, gazetteer, text)


def outbox(store: SqlStore, gazetteer: Gazetteer, bot: SlackBot) -> Outbox:
    """An outbox on the bot's own clock."""
    assert isinstance(bot.clock, ManualClock)
    return outbox_for(store, gazetteer, bot.transport, bot.clock)


async def test_slash_subscribe_then_one_block_kit_alert(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    assert fake.of("auth.test")
    assert await slack.command(fake, "subscribe SCO") == 200
    reply = await fake.wait_for("response_url", text="~Subscribed: SCO")
    assert reply["response_type"] == "ephemeral"
    assert "organisation: Shanghai Cooperation Organisation" in reply["text"]

    ingest(store, gazetteer)
    box = outbox(store, gazetteer, slack.bot)
    assert (await box.drain_once(NOW)).sent == 1
    assert (await box.drain_once(NOW)).handled == 0
    [post] = fake.of("chat.postMessage")
    assert post["channel"] == "C1"
    blocks = post["blocks"]
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("\U0001f1f5\U0001f1f0 Pakistan \u2013 ")
    assert "Valentina Matviyenko" in blocks[1]["text"]["text"]
    assert "matched: SCO" in blocks[2]["elements"][0]["text"]
    assert [e["text"]["text"] for e in blocks[3]["elements"]] == ["Full report", "Mute"]
    assert "matched: SCO" in post["text"]  # the plain-text fallback


async def test_mention_latest_and_dm_subscriptions(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    ingest(store, gazetteer)
    assert (
        await slack.event(
            {
                "type": "app_mention",
                "user": "U0001",
                "channel": "C2",
                "text": "<@UBOT> latest",
                "ts": "1700.0001",
                "event_ts": "1700.0001",
            }
        )
        == 200
    )
    reply = await fake.wait_for("chat.postMessage", channel="C2", text="~Latest meetings")
    assert reply["thread_ts"] == "1700.0001"
    assert "Gilani \u2013 Matviyenko" in reply["text"]
    assert (
        await slack.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "D1",
                "user": "U0001",
                "text": "subscriptions",
                "ts": "1700.0002",
                "event_ts": "1700.0002",
            }
        )
        == 200
    )
    await fake.wait_for("chat.postMessage", channel="D1", text="~This chat follows nothing")
    assert (
        await slack.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "D1",
                "user": "U0001",
                "text": "hello",  # a message, not a command: a hint, not "Unknown command"
                "ts": "1700.0003",
                "event_ts": "1700.0003",
            }
        )
        == 200
    )
    hint = await fake.wait_for("chat.postMessage", channel="D1", text="~I answer commands")
    assert "Unknown command" not in hint["text"]


async def test_a_wrong_signature_gets_401_and_changes_nothing(
    fake: FakeSlack, slack: Running, store: SqlStore
) -> None:
    body = slash_command("subscribe SCO", channel="C1", response_url=fake.response_url())
    status = await slack.post(
        body, "application/x-www-form-urlencoded", signed("not-the-secret", body)
    )
    assert status == 401
    stale = await slack.post(
        body,
        "application/x-www-form-urlencoded",
        signed(SECRET, body, timestamp=int(time.time()) - 3600),
    )
    assert stale == 401
    headers = {**signed(SECRET, body), "X-Slack-Request-Timestamp": "soon"}
    assert await slack.post(body, "application/x-www-form-urlencoded", headers) == 401
    # Refused before any work: nothing was started that could answer later.
    assert fake.of("response_url") == []
    assert store.active_subscriptions() == []


async def test_ratelimited_is_retried_after_retry_after_and_delivered_once(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await slack.command(fake, "subscribe Pakistan")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(store, gazetteer)
    fake.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "2"})
    clock = slack.bot.clock
    assert isinstance(clock, ManualClock)
    box = outbox(store, gazetteer, slack.bot)
    refused_at = clock.now
    assert (await box.drain_once(refused_at)).retried == 1
    [row] = store.deliveries_for_report(1)
    assert row.next_attempt_at == refused_at + timedelta(seconds=2)  # counted from the 429
    assert (await box.drain_once(clock.advance(1.9))).handled == 0  # too early
    assert (await box.drain_once(clock.advance(0.1))).sent == 1
    assert len(fake.of("chat.postMessage")) == 2
    await box.drain_once(clock.advance(600))
    assert len(fake.of("chat.postMessage")) == 2


async def test_a_channel_flooding_commands_gets_one_polite_reply_then_quiet(
    fake: FakeSlack, slack: Running
) -> None:
    for _ in range(25):
        assert await slack.command(fake, "help", channel="C9") == 200
    await fake.wait_for("response_url", text="~a lot of commands")
    assert await slack.command(fake, "help", channel="C8") == 200  # another channel
    deadline = asyncio.get_running_loop().time() + 10
    while len(fake.of("response_url")) < 22:  # wait for its answer, with a deadline
        assert asyncio.get_running_loop().time() < deadline, "the other channel got no answer"
        await asyncio.sleep(0.05)
    answers = [str(r.get("text", "")) for r in fake.of("response_url")]
    assert sum("a lot of commands" in a for a in answers) == 1
    assert len(answers) == 20 + 1 + 1  # 20 answered, one polite reply, the other channel


async def test_channel_not_found_retires_the_chat(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await slack.command(fake, "subscribe Pakistan")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(store, gazetteer)
    fake.fail("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    assert (await outbox(store, gazetteer, slack.bot).drain_once(NOW)).failed == 1
    assert store.active_subscriptions() == []


async def test_not_in_channel_asks_to_invite_the_app(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await slack.command(fake, "subscribe Pakistan")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(store, gazetteer)
    fake.fail("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    await outbox(store, gazetteer, slack.bot).drain_once(NOW)
    await slack.command(fake, "subscriptions")
    await fake.wait_for("response_url", text="~invite it with /invite @Readout")


@pytest.mark.parametrize("error", ["token_revoked", "account_inactive"])
async def test_invalid_auth_stops_slack_loudly(
    fake: FakeSlack,
    slack: Running,
    store: SqlStore,
    gazetteer: Gazetteer,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    await slack.command(fake, "subscribe Pakistan")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(store, gazetteer)
    fake.fail("chat.postMessage", 200, {"ok": False, "error": error})
    result = await outbox(store, gazetteer, slack.bot).drain_once(NOW)
    assert result.retried == 1  # kept for when the operator fixes the token
    assert slack.bot.transport.disabled == error
    assert [s.query for s in store.active_subscriptions()] == ["Pakistan"]  # channel kept
    assert any(
        r.levelname == "CRITICAL" and "READOUT_SLACK_BOT_TOKEN" in r.message for r in caplog.records
    )
    await outbox(store, gazetteer, slack.bot).drain_once(NOW.replace(year=2027))
    assert len(fake.of("chat.postMessage")) == 1  # nothing more was tried


async def test_pings_in_a_report_ping_nobody(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await slack.command(fake, "subscribe envoys")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(
        store,
        gazetteer,
        "ISLAMABAD, May 2 - <!channel> <!here> <@U123> met envoys & "
        "friends from Pakistan and Russia.",
    )
    await outbox(store, gazetteer, slack.bot).drain_once(NOW)
    [post] = fake.of("chat.postMessage")
    everything = str(post["blocks"]) + post["text"]
    for ping in ("<!channel>", "<!here>", "<@U123>"):
        assert ping not in everything
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; met envoys &amp; friends" in everything


async def test_mute_button_offers_durations_then_mutes(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    await slack.command(fake, "subscribe Pakistan")
    await fake.wait_for("response_url", text="~Subscribed")
    ingest(store, gazetteer)
    await outbox(store, gazetteer, slack.bot).drain_once(NOW)
    [post] = fake.of("chat.postMessage")
    value = post["blocks"][3]["elements"][1]["value"]
    body = block_action("mute", value, channel="C1", response_url=fake.response_url("2"))
    assert await slack.post(body, "application/x-www-form-urlencoded") == 200
    choice = await fake.wait_for("response_url", text="Mute for how long?")
    assert choice["response_type"] == "ephemeral"
    buttons = choice["blocks"][1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["1 hour", "1 day", "1 week", "Until /resume"]
    day = buttons[1]
    body = block_action(
        day["action_id"], day["value"], channel="C1", response_url=fake.response_url("3")
    )
    assert await slack.post(body, "application/x-www-form-urlencoded") == 200
    await fake.wait_for("response_url", text="Muted Pakistan for 1 day.")
    [sub] = store.list_subscriptions(store.ensure_chat(ChatRef("slack", "C1"), NOW).id)
    assert sub.muted_until == NOW + timedelta(days=1) and not sub.paused


async def test_an_alert_of_a_long_report_stays_short_and_ends_with_what_matched(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    assert await slack.command(fake, "subscribe energy") == 200
    await fake.wait_for("response_url", text="~Subscribed: energy")
    ingest(store, gazetteer, LONG_REPORT)
    assert (await outbox(store, gazetteer, slack.bot).drain_once(NOW)).sent == 1
    [post] = fake.of("chat.postMessage")
    header, section, context = (b for b in post["blocks"] if b["type"] != "actions")
    links = re.compile(r"<[^|>]+\|([^>]+)>")  # <url|outlet>: the reader sees the outlet
    shown = "\n".join(
        [
            header["text"]["text"],
            section["text"]["text"],
            links.sub(r"\1", context["elements"][0]["text"]),
        ]
    )
    assert len(shown) <= ALERT_LIMIT
    assert shown.endswith("matched: energy")
    [quote] = [line for line in section["text"]["text"].splitlines() if line.startswith("> ")]
    assert quote.count(". ") == 0 and len(quote) <= QUOTE_LIMIT + 20  # one sentence (+ bold)


def test_render_blocks_escapes_every_field() -> None:
    card = Card(
        report_id=1,
        headline="<!channel> headline",
        title="t",
        who="<@U1> met <!here>",
        event="E & F",
        meeting_type="call",
        topics=("<x>",),
        key_sentences=("a <!everyone> met Pakistan's <b>envoy</b>",),
        source="src|<x>",
        url="https://e.org/a|b>c",
        matched=("<!channel>",),
        subscription_ids=(3, 4),
        highlights=("Pakistan", "envoy"),
    )
    blocks = render_blocks(card)
    mrkdwn = blocks[1]["text"]["text"] + blocks[2]["elements"][0]["text"]
    assert "<!" not in mrkdwn and "<@" not in mrkdwn
    # The words that fired in bold; the report's own markup escaped.
    assert "*Pakistan*'s &lt;b&gt;*envoy*&lt;/b&gt;" in blocks[1]["text"]["text"]
    assert "<https://e.org/a%7Cb%3Ec|src/&lt;x&gt;>" in blocks[2]["elements"][0]["text"]
    assert blocks[0]["text"]["type"] == "plain_text"  # never parsed for mentions
    assert blocks[3]["elements"][1]["value"] == "3,4"
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"


def both_platforms(
    database_url: str, folder: Path, telegram: FakeTelegram, slack: FakeSlack
) -> Config:
    """A worker with Telegram and Slack (HTTP mode), both pointed at their fakes."""
    return Config(
        database=DatabaseConfig(url=database_url),
        sources=SourcesConfig(folders=(folder,), poll_seconds=0.2),
        outbox=OutboxConfig(drain_seconds=0.2),
        telegram=TelegramConfig(base_url=telegram.base_url),
        slack=SlackConfig(api_url=slack.api_url),
        http=HttpConfig(port=0),
        secrets=Secrets(
            telegram_token="123456:TEST-TOKEN", slack_bot_token=TOKEN, slack_signing_secret=SECRET
        ),
    )


async def test_one_run_posts_to_telegram_and_slack(
    fake: FakeSlack, tmp_path: Path, database_url: str
) -> None:
    telegram = FakeTelegram("123456:TEST-TOKEN")
    await telegram.start()
    folder = tmp_path / "reports"
    folder.mkdir()
    app = App.create(both_platforms(database_url, folder, telegram, fake))
    try:
        async with running(app, http=True):
            assert app.http is not None and app.slack is not None
            slack_http = Running(app.slack, app.http)
            assert await slack_http.command(fake, "subscribe SCO", channel="C9") == 200
            await fake.wait_for("response_url", text="~Subscribed: SCO")
            telegram.push_message(1001, "/subscribe SCO")
            await telegram.wait_for("sendMessage", chat_id=1001, text="~Subscribed: SCO")
            shutil.copy(SEED, folder)
            await fake.wait_for("chat.postMessage", channel="C9")
            await telegram.wait_for("sendMessage", chat_id=1001, parse_mode="HTML")
            await eventually(lambda: sent_once(app))  # settled: sent alerts are not sent again
            assert app.store.delivery_counts() == {"sent": 2}
            assert len(fake.of("chat.postMessage")) == 1
            assert len([p for p in telegram.of("sendMessage") if p.get("parse_mode")]) == 1
    finally:
        await telegram.stop()


async def test_socket_mode_needs_no_public_url(
    fake: FakeSlack, store: SqlStore, gazetteer: Gazetteer
) -> None:
    service = CommandService(store, gazetteer, LimitsConfig())
    bot = SlackBot(
        TOKEN, service, store, api_url=fake.api_url, app_token="xapp-1-test", clock=lambda: NOW
    )
    assert bot.mode == "socket"
    await bot.start()
    try:
        await fake.wait_for("apps.connections.open")  # the app token asked for a WebSocket
        await eventually(lambda: bool(fake.sockets))
        envelope = await fake.send_envelope(
            "slash_commands",
            {
                "command": "/readout",
                "text": "subscribe SCO",
                "channel_id": "C5",
                "channel_name": "general",
                "user_id": "U0001",
                "team_id": "T0001",
                "response_url": fake.response_url("s"),
                "trigger_id": "t",
            },
        )
        await fake.wait_for("response_url", text="~Subscribed: SCO")
        assert any(a.get("envelope_id") == envelope for a in fake.acks)
    finally:
        await bot.stop()
    [sub] = store.active_subscriptions()
    assert sub.query == "SCO"


async def test_a_revoked_slack_token_at_start_leaves_telegram_working(
    fake: FakeSlack, tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    telegram = FakeTelegram("123456:TEST-TOKEN")
    await telegram.start()
    fake.fail("auth.test", 200, {"ok": False, "error": "token_revoked"})
    folder = tmp_path / "reports"
    folder.mkdir()
    app = App.create(both_platforms(database_url, folder, telegram, fake))
    try:
        async with running(app):
            telegram.push_message(1001, "/subscribe SCO")
            await telegram.wait_for("sendMessage", chat_id=1001, text="~Subscribed: SCO")
            shutil.copy(SEED, folder)
            await telegram.wait_for("sendMessage", chat_id=1001, parse_mode="HTML")
            assert any(
                r.levelname == "CRITICAL"
                and "Slack is not running" in r.message
                and "token_revoked" in r.message
                for r in caplog.records
            )
    finally:
        await telegram.stop()


async def test_history_uploads_its_chart_with_files_upload_v2_to_the_asker_alone(
    fake: FakeSlack, slack: Running, store: SqlStore, gazetteer: Gazetteer
) -> None:
    """The slash command's answer is ephemeral: its chart goes to the asker's direct
    messages with the app, never to the channel."""
    from PIL import Image

    from tests.test_history import stored

    stored(store, gazetteer)
    await slack.command(fake, "history Pakistan Russia")
    answer = await fake.wait_for("response_url", text="~Dar \u2013 Lavrov")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].endswith("(The chart is in your direct messages with Readout.)")
    assert fake.of("conversations.open")[0]["users"] == "U0001"
    done = await fake.wait_for("files.completeUploadExternal", channel_id="DU0001")
    assert not [c for c in fake.of("files.completeUploadExternal") if c["channel_id"] == "C1"]
    [(file_id, data)] = fake.uploads.items()
    assert file_id in json.dumps(done["files"])
    assert Image.open(io.BytesIO(data)).format == "PNG"
    [asked] = fake.of("files.getUploadURLExternal")
    assert asked["filename"] == "readout-history.png" and int(asked["length"]) == len(data)


async def test_help_speaks_slack(fake: FakeSlack, slack: Running) -> None:
    """Slack's commands are `/readout <name>`, and a file is imported by sharing it in a
    direct message: nothing of Telegram's captions."""
    assert await slack.command(fake, "help") == 200
    help_ = await fake.wait_for("response_url", text="~Readout alerts you")
    assert "/readout subscribe Pakistan" in help_["text"] and "/readout history" in help_["text"]
    assert "caption" not in help_["text"] and "\n/subscribe" not in help_["text"]
    assert "direct message that says import" in help_["text"]
    assert await slack.command(fake, "history Narnia") == 200
    wrong = await fake.wait_for("response_url", text="~/readout history: 'Narnia'")
    assert "e.g. /readout history Pakistan Russia" in wrong["text"]


async def test_export_uploads_a_file_and_a_shared_file_is_imported(
    fake: FakeSlack, slack: Running, store: SqlStore
) -> None:
    def dm(text: str, **extra: Any) -> dict[str, Any]:
        return {
            "type": "message",
            "channel_type": "im",
            "channel": "D7",
            "user": "U0001",
            "text": text,
            "ts": "1700.0009",
            "event_ts": "1700.0009",
            **extra,
        }

    assert await slack.event(dm("subscribe Pakistan")) == 200
    await fake.wait_for("chat.postMessage", channel="D7", text="~Subscribed: Pakistan")
    assert await slack.event(dm("export")) == 200
    await fake.wait_for("files.completeUploadExternal", channel_id="D7")
    [content] = fake.uploads.values()
    assert content.decode().splitlines()[1] == "Pakistan"
    url = fake.share(b"NATO\nPakistan\n")
    shared = dm("import", subtype="file_share", files=[{"url_private_download": url, "size": 13}])
    assert await slack.event(shared) == 200
    reply = await fake.wait_for("chat.postMessage", channel="D7", text="~Imported: 1 added")
    assert "already there: Pakistan" in reply["text"]
    far = dm(
        "import", subtype="file_share", files=[{"url_private_download": "https://evil.example/x"}]
    )
    assert await slack.event(far) == 200
    await fake.wait_for("chat.postMessage", channel="D7", text="~not on Slack (evil.example)")


async def test_a_shared_file_is_read_to_its_end_and_its_cap_and_never_off_slack(
    fake: FakeSlack, slack: Running, store: SqlStore
) -> None:
    """A body in two pieces is read whole; a chunked 3 MB body declared as 1,000 bytes is
    refused by the bytes read; a redirect to a private address is not followed."""

    def shared(url: str, size: int) -> dict[str, Any]:
        return {
            "type": "message",
            "channel_type": "im",
            "channel": "D8",
            "user": "U0001",
            "text": "import",
            "ts": "1700.0010",
            "event_ts": "1700.0010",
            "subtype": "file_share",
            "files": [{"url_private_download": url, "size": size}],
        }

    lines = b"NATO\nPakistan\nShanghai Cooperation Organisation\nRussia\n"
    assert await slack.event(shared(fake.share(lines, in_pieces=True), len(lines))) == 200
    await fake.wait_for("chat.postMessage", channel="D8", text="~Imported: 4 added")
    chat = store.ensure_chat(ChatRef("slack", "D8"), NOW)
    assert len(store.list_subscriptions(chat.id)) == 4
    huge = b"energy\n" * 450_000
    assert await slack.event(shared(fake.share(huge, in_pieces=True), 1000)) == 200
    await fake.wait_for("chat.postMessage", channel="D8", text="~larger than 100 KB")
    inside = fake.share(b"NATO\n", redirect="http://10.0.0.1/files/S1")
    assert await slack.event(shared(inside, 5)) == 200
    await fake.wait_for("chat.postMessage", channel="D8", text="~Could not read that file")
    assert len(store.list_subscriptions(chat.id)) == 4  # nothing more imported
