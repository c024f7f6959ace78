"""Slack, with slack-bolt (async) and slack-sdk: `/readout <command>`, `@Readout <command>`
and direct messages through the platform-neutral commands; alerts as Block Kit with a
plain-text fallback, every piece of report text escaped; Slack's errors mapped to ours in
one place; Socket Mode with an app token, else HTTP at /slack/events on the worker's server."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import CommandError, ConfigError, DeliveryError, PlatformError
from bot.models import Card, Chat, ChatRef, Message
from bot.ports import Store
from bot.summarize import emphasis, fit
from handlers.commands import (
    HINT,
    MAX_WATCHLIST_BYTES,
    MUTE_CHOICES,
    Command,
    CommandService,
    Reply,
    for_platform,
    mute_span,
    parse_command,
)
from handlers.download import download
from handlers.ratelimit import SLACK, THROTTLED, CommandThrottle, Pacer, Verdict

log = logging.getLogger(__name__)

PLATFORM = "slack"
EVENTS_PATH = "/slack/events"
RETIRING_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# Slack's account_inactive means the token belongs to a deleted user or workspace: a token
# problem for the operator, not a channel to retire.
AUTH_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "not_authed", "account_inactive", "account_inactive_app"}
)
INVITE_HINT = (
    "Readout could not post its last alert here because the app is not in this channel: "
    "invite it with /invite @Readout so alerts can reach you."
)
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>\s*")


def escape(text: str) -> str:
    """Slack's three control characters: with them escaped, `<!channel>` pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_blocks(card: Card) -> list[dict[str, Any]]:
    """The alert as Block Kit: header, who and what, the key sentences, context, buttons."""
    lines = []
    if card.who:
        lines.append(escape(card.who))
    if card.occasion:
        lines.append(f"_{escape(card.occasion)}_")
    if card.topics:
        lines.append("*Topics:* " + escape(", ".join(card.topics)))
    if card.outcomes:
        lines.append("*Outcome:* " + escape("; ".join(fit(o, 160) for o in card.outcomes[:3])))
    quote = " ".join(card.key_sentences)  # one sentence, already cut (summarize.fitted)
    if quote:
        marked = "".join(
            f"*{escape(piece)}*" if bold and "*" not in piece else escape(piece)
            for piece, bold in emphasis(quote, card.highlights)
        )
        lines.append("> " + marked)
    context = [
        f"Source: {_link(card.source, card.url)}"
        + (f" ({card.tier})" if card.tier else "")
        + (f" \u00b7 in {card.language}" if card.language else "")
    ]
    if card.also_reported_by:
        context.append(
            "also reported by: "
            + ", ".join(_link(name, link) for name, link in card.also_reported())
        )
    if card.matched:
        context.append("matched: " + escape(", ".join(card.matched)))
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": fit(card.headline, 150), "emoji": True},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": fit("\n".join(lines), 3000)}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": fit(" \u00b7 ".join(context), 3000)}],
        },
    ]
    buttons: list[dict[str, Any]] = []
    if card.url:
        buttons.append(
            {
                "type": "button",
                "action_id": "full_report",
                "url": card.url,
                "text": {"type": "plain_text", "text": "Full report"},
            }
        )
    if card.subscription_ids:
        buttons.append(
            {
                "type": "button",
                "action_id": "mute",
                "value": ",".join(str(i) for i in card.subscription_ids)[:2000],
                "text": {"type": "plain_text", "text": "Mute"},
            }
        )
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def _link(text: str, url: str | None) -> str:
    """Escaped mrkdwn text, linked (`<url|text>`) when there is a link."""
    if not url:
        return escape(text)
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{escape(text).replace('|', '/')}>"


def _retry_after(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", {}) or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or 1
    if isinstance(value, list):
        value = value[0]
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0


class SlackTransport:
    """Posts alerts with chat.postMessage; Slack's errors become DeliveryErrors here only."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, *, pacer: Pacer) -> None:
        self.client = client
        self.pacer = pacer
        self.disabled: str | None = None  # set when Slack rejects our token

    async def send(self, chat: Chat, message: Message) -> None:
        if self.disabled:
            raise DeliveryError(f"slack is stopped: {self.disabled}", retry_after=3600)
        await self.pacer.turn(chat.external_id, defer=True)
        kwargs: dict[str, Any] = {"channel": chat.external_id, "text": escape(message.text)}
        if message.card is not None:
            kwargs["blocks"] = render_blocks(message.card)
            kwargs["unfurl_links"] = False
            kwargs["unfurl_media"] = False
        try:
            await self.client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            error = self._delivery_error(exc)
            if error.retry_after is not None and not self.disabled:
                await self.pacer.refused(chat.external_id, error.retry_after)
            raise error from exc
        except (TimeoutError, SlackClientError, OSError) as exc:
            raise DeliveryError(f"slack network error: {exc}") from exc

    def _delivery_error(self, exc: SlackApiError) -> DeliveryError:
        """Every Slack API error, mapped once."""
        error = str(exc.response.get("error", "unknown_error"))
        if error == "ratelimited" or exc.response.status_code == 429:
            return DeliveryError("slack rate limit", retry_after=_retry_after(exc))
        if error in RETIRING_ERRORS:
            return DeliveryError(f"slack: {error}", retire_chat=True)
        if error in AUTH_ERRORS:
            self.disabled = error
            log.critical(
                "Slack rejected READOUT_SLACK_BOT_TOKEN (%s): the Slack side is stopped; "
                "reinstall the app and set a new token. Other platforms keep working.",
                error,
            )
            return DeliveryError(f"slack: {error}", retry_after=3600)
        if exc.response.status_code >= 500 or error in (
            "internal_error",
            "fatal_error",
            "service_unavailable",
        ):
            return DeliveryError(f"slack server error: {error}")
        return DeliveryError(f"slack rejected the message: {error}", permanent=True)


class SlackBot:
    """The Bolt app: inbound commands, mentions, DMs and the Mute button, and its lifecycle."""

    def __init__(
        self,
        bot_token: str,
        service: CommandService,
        store: Store,
        *,
        api_url: str = "https://slack.com/api/",
        app_token: str | None = None,
        signing_secret: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not app_token and not signing_secret:
            raise ConfigError(
                "Slack needs READOUT_SLACK_APP_TOKEN (Socket Mode, no public URL) or "
                "READOUT_SLACK_SIGNING_SECRET (HTTP mode at /slack/events): set one of them"
            )
        self.service = service
        self.store = store
        self.clock = clock
        self.throttle = CommandThrottle()  # a channel flooding commands: one reply, then quiet
        self.app_token = app_token
        self.client = AsyncWebClient(token=bot_token, base_url=api_url)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            request_verification_enabled=not app_token,
        )
        self.pacer = Pacer(store, SLACK, clock, sleep)  # alerts and replies share the limits
        self.transport = SlackTransport(self.client, pacer=self.pacer)
        self._socket: AsyncSocketModeHandler | None = None
        self.app.command("/readout")(self.on_slash_command)
        self.app.event("app_mention")(self.on_mention)
        self.app.event("message")(self.on_message)
        self.app.action("mute")(self.on_mute)
        self.app.action(re.compile(r"^mute_for_"))(self.on_mute_for)
        self.app.action("full_report")(self.on_link)

    @property
    def mode(self) -> str:
        return "socket" if self.app_token else "http"

    async def start(self) -> None:
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack rejected READOUT_SLACK_BOT_TOKEN ({exc.response.get('error')}): copy "
                "the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page"
            ) from None
        except (SlackClientError, OSError, TimeoutError) as exc:
            raise PlatformError(
                f"cannot reach Slack at start-up ({exc}): check the network and "
                "READOUT_SLACK_API_URL"
            ) from None
        log.info(
            "slack app is up as %s in %s (%s mode)", auth.get("user"), auth.get("team"), self.mode
        )
        if self.app_token and self._socket is None:
            socket = AsyncSocketModeHandler(self.app, self.app_token)
            try:
                await socket.connect_async()  # type: ignore[no-untyped-call]
            except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
                raise PlatformError(
                    f"cannot open Slack's Socket Mode connection ({exc}): check "
                    "READOUT_SLACK_APP_TOKEN (xapp-..., with connections:write)"
                ) from None
            self._socket = socket

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None

    async def events(self, request: web.Request) -> web.Response:
        """POST /slack/events: Bolt checks the signature (401 when wrong or stale); a
        timestamp that is not a number is refused here, before Bolt reads it as one."""
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not stamp.isdigit():
            return web.json_response({"error": "invalid request timestamp"}, status=401)
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    # -- listeners -------------------------------------------------------------------------

    async def on_slash_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """`/readout subscribe SCO`: acknowledged at once, answered ephemerally."""
        await ack()
        ref = ChatRef(PLATFORM, command["channel_id"], command.get("channel_name", ""))
        user = command.get("user_id", "")
        reply = await self._run(ref, command.get("text", ""), user)
        if reply is None:
            return
        if reply.image is None and reply.file is None:
            await respond(text=escape(reply.text), response_type="ephemeral")
            return
        # The answer is the asker's alone: its chart or file goes to their direct messages
        # with the app, not to the channel (Slack has no ephemeral files).
        private = await self._direct_channel(user)
        where = "in your direct messages with Readout" if private else None
        note = (
            f"\n(The {'chart' if reply.image else 'file'} is {where}.)"
            if where
            else "\n(Readout could not send it to you privately: ask in a direct message.)"
        )
        await respond(text=escape(reply.text + note), response_type="ephemeral")
        if private is not None:
            await self._chart(ChatRef(PLATFORM, private, "direct message"), reply)

    async def on_mention(self, event: dict[str, Any], say: Any) -> None:
        """`@Readout latest` in a channel: answered in a thread under the mention."""
        ref = ChatRef(PLATFORM, event["channel"])
        reply = await self._run(ref, _MENTION.sub("", event.get("text", "")), event.get("user", ""))
        if reply is not None:
            thread = event.get("thread_ts") or event.get("ts")
            await self.pacer.turn(ref.external_id)  # a reply takes the channel's next turn
            await say(text=escape(reply.text), thread_ts=thread)
            await self._chart(ref, reply, thread)

    async def on_message(self, event: dict[str, Any], say: Any) -> None:
        """A direct message to the app: the message is the command; a file shared with
        "import" is a watchlist to import."""
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") == "file_share":
            await self._import_file(event, say)
            return
        if event.get("subtype"):
            return
        ref = ChatRef(PLATFORM, event["channel"], "direct message")
        reply = await self._run(ref, event.get("text", ""), event.get("user", ""))
        if reply is not None:
            await self.pacer.turn(ref.external_id)
            await say(text=escape(reply.text))
            await self._chart(ref, reply)

    async def _import_file(self, event: dict[str, Any], say: Any) -> None:
        ref = ChatRef(PLATFORM, event["channel"], "direct message")
        files = event.get("files") or []
        if not files or not event.get("text", "").strip().lower().lstrip("/").startswith("import"):
            return
        shared = files[0]
        url = shared.get("url_private_download") or shared.get("url_private")
        await self.pacer.turn(ref.external_id)
        if not url or int(shared.get("size") or 0) > MAX_WATCHLIST_BYTES:
            await say(text="Send a watchlist file of at most 100 KB, exported with `export`.")
            return
        try:
            text = (await self._download(url)).decode("utf-8")
        except UnicodeDecodeError:
            await say(text="That file is not UTF-8 text: export it with `export`.")
            return
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
            await say(text=escape(f"Could not read that file: {exc}"))
            return
        reply = await asyncio.to_thread(
            self.service.handle, Command(ref, "import", text), self.clock()
        )
        await say(text=escape(reply.text))

    async def _download(self, url: str) -> bytes:
        """A file shared with the app, read with the bot token (Slack's url_private). The
        token goes only to Slack: a *.slack.com host or the configured API's own host."""
        api_host = urlsplit(self.client.base_url).hostname or ""

        def on_slack(host: str) -> bool:
            return host.endswith(".slack.com") or host == api_host

        try:
            return await download(
                url,
                limit=MAX_WATCHLIST_BYTES,
                headers={"Authorization": f"Bearer {self.client.token}"},
                trusted=on_slack,
                allow=[api_host],  # the configured API may be a local proxy (or our fake)
            )
        except ValueError as exc:
            raise ValueError(str(exc).replace("the platform", "Slack")) from None

    async def _direct_channel(self, user: str) -> str | None:
        """The app's direct message channel with `user` (conversations.open, im:write)."""
        if not user:
            return None
        try:
            opened = await self.client.conversations_open(users=user)
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            log.warning("slack: no direct message with %s: %s", user, exc)
            return None
        channel = opened.get("channel") or {}
        return str(channel["id"]) if channel.get("id") else None

    async def _chart(self, ref: ChatRef, reply: Reply, thread: str | None = None) -> None:
        """A reply's chart and file, uploaded with files_upload_v2; when Slack refuses
        (no files:write, not in the channel) the text already sent stands alone."""
        if reply.image is not None:
            title = reply.image_title or "Readout chart"
            await self._upload(ref, "readout-history.png", reply.image, title, thread)
        if reply.file is not None:
            name, content = reply.file
            await self._upload(ref, name, content, "Readout watchlist", thread)

    async def _upload(
        self, ref: ChatRef, name: str, content: bytes, title: str, thread: str | None
    ) -> None:
        await self.pacer.turn(ref.external_id)
        try:
            await self.client.files_upload_v2(
                channel=ref.external_id,
                file=content,
                filename=name,
                title=title,
                alt_txt=title,
                thread_ts=thread,
            )
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            log.warning("slack: could not upload %s to %s: %s", name, ref.external_id, exc)

    async def on_mute(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """The "Mute" button: how long? (buttons only the presser sees)."""
        await ack()
        value = body["actions"][0].get("value", "")
        buttons = [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": label},
                "action_id": f"mute_for_{code}",
                "value": f"{value}:{code}",
            }
            for label, code in MUTE_CHOICES
        ]
        await respond(
            text="Mute for how long?",
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": "Mute for how long?"}},
                {"type": "actions", "elements": buttons},
            ],
            response_type="ephemeral",
            replace_original=False,
        )

    async def on_mute_for(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        ids_text, _, code = body["actions"][0].get("value", "").partition(":")
        ids = [int(x) for x in ids_text.split(",") if x.isdigit()]
        try:
            span = mute_span(code)
        except CommandError:
            text = "That button is out of date: use `/readout mute` instead."
        else:
            text = await asyncio.to_thread(
                self.service.mute_from_button, ChatRef(PLATFORM, channel), ids, span, self.clock()
            )
        await respond(text=escape(text), response_type="ephemeral", replace_original=True)

    async def on_link(self, ack: Any) -> None:
        await ack()  # the button opens its URL in the browser; Slack still wants an ack

    # -- helpers ---------------------------------------------------------------------------

    async def _run(self, ref: ChatRef, text: str, user: str) -> Reply | None:
        """The reply to a command, or None when the channel is flooding commands."""
        verdict = self.throttle.check(ref.external_id, self.clock())
        if verdict is Verdict.IGNORE:
            return None
        if verdict is Verdict.WARN:
            return Reply(THROTTLED)
        words = text.strip()
        command = parse_command(ref, "/" + (words or "help").lstrip("/"), user=user)
        if command is None:
            return Reply("Try `/readout help`.")
        if command.name not in self.service.names and not words.startswith("/"):
            return Reply(HINT.replace("/", ""))  # "hello" is a message, not a command
        chat = await asyncio.to_thread(self.store.ensure_chat, ref, self.clock())
        reply = await asyncio.to_thread(self.service.handle, command, self.clock())
        reply = replace(reply, text=for_platform(reply.text, PLATFORM))  # /readout history
        if chat.retired_reason and "not_in_channel" in chat.retired_reason:
            return replace(reply, text=f"{reply.text}\n\n{INVITE_HINT}")
        return reply
