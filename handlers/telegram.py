"""Telegram, with python-telegram-bot 22: commands in private chats, groups, forum topics and
channels; alerts as escaped HTML with "Full report" and "Mute" buttons; Telegram's errors
mapped to ours in one place; long polling or a webhook on the worker's HTTP server."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from telegram import (
    BotCommand,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram import Message as TelegramMessage
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

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
    mute_span,
    parse_command,
)
from handlers.download import TooLarge, download
from handlers.ratelimit import TELEGRAM, THROTTLED, CommandThrottle, Pacer, Verdict

log = logging.getLogger(__name__)

PLATFORM = "telegram"
MAX_TEXT = 4096
WEBHOOK_PATH = "/telegram/webhook"
CHANGES_SUBSCRIPTIONS = frozenset(
    {"subscribe", "unsubscribe", "mode", "timezone", "mute", "resume", "pause", "quiet", "import"}
)
COMMAND_MENU = [
    ("subscribe", "Follow a country, organisation, person, topic or word"),
    ("unsubscribe", "Stop following (by number or query)"),
    ("subscriptions", "What this chat follows"),
    ("latest", "The latest matching meeting reports"),
    ("digest", "Matching reports of today or this week"),
    ("search", "Search stored reports"),
    ("history", "Two sides' meetings, with a chart"),
    ("export", "This chat's subscriptions as a file"),
    ("import", "Subscriptions from a file or pasted lines"),
    ("mode", "Instant alerts, or a daily or weekly digest"),
    ("mute", "Silence one subscription for a while"),
    ("resume", "Resume a muted subscription, or the whole chat"),
    ("pause", "Pause all alerts of this chat"),
    ("quiet", "Quiet hours: alerts held at night"),
    ("timezone", "The time zone of digests and quiet hours"),
    ("help", "How Readout works"),
]


# -- chat ids ------------------------------------------------------------------------------


def external_id(chat_id: int, thread_id: int | None = None) -> str:
    """A forum topic is a chat of its own: `-100123:7`."""
    return f"{chat_id}:{thread_id}" if thread_id else str(chat_id)


def split_external_id(value: str) -> tuple[int, int | None]:
    chat, _, thread = value.partition(":")
    return int(chat), int(thread) if thread else None


def chat_ref(update: Update) -> ChatRef | None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return None
    thread = message.message_thread_id if message and message.is_topic_message else None
    title = chat.title or chat.full_name or chat.username or ""
    return ChatRef(PLATFORM, external_id(chat.id, thread), title)


# -- rendering -----------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def render_html(card: Card, limit: int = MAX_TEXT) -> str:
    """The alert as Telegram HTML; every piece of report text is escaped."""
    head = [f"<b>{_e(card.headline)}</b>"]
    if card.who:
        head.append(_e(card.who))
    if card.occasion:
        head.append(f"<i>{_e(card.occasion)}</i>")
    if card.topics:
        head.append("Topics: " + _e(", ".join(card.topics)))
    if card.outcomes:
        head.append("<b>Outcome:</b> " + _e("; ".join(fit(o, 160) for o in card.outcomes[:3])))
    tier = (f" \u00b7 {card.tier}" if card.tier else "") + (
        f" \u00b7 in {card.language}" if card.language else ""
    )
    tail = [f"Source: {_link(card.source, card.url)}{tier}"]
    if card.also_reported_by:
        tail.append(
            "Also reported by: "
            + ", ".join(_link(name, link) for name, link in card.also_reported())
        )
    if card.matched:
        tail.append("matched: " + _e(", ".join(card.matched)))
    budget = limit - sum(len(x) + 1 for x in head + tail) - len("<blockquote></blockquote>\n")
    quote = " ".join(card.key_sentences)  # one sentence, already cut (summarize.fitted)
    # Escaping can lengthen the text: cut the plain text until its escaped form fits.
    while len(_e(quote)) > budget and quote:
        quote = fit(quote, len(quote) - max(len(_e(quote)) - budget, 10))
    if quote:
        # The words that made it fire, bold; each piece escaped on its own.
        marked = "".join(
            f"<b>{_e(piece)}</b>" if bold else _e(piece)
            for piece, bold in emphasis(quote, card.highlights)
        )
        if len(marked) > budget:  # the tags do not fit: the quote without them
            marked = _e(quote)
        head.append(f"<blockquote>{marked}</blockquote>")
    return "\n".join([*head, *tail])


def _link(text: str, url: str | None) -> str:
    """Escaped text, linked when there is a link."""
    if not url:
        return _e(text)
    return f'<a href="{html.escape(url, quote=True)}">{_e(text)}</a>'


def keyboard(card: Card) -> InlineKeyboardMarkup | None:
    buttons = []
    if card.url:
        buttons.append(InlineKeyboardButton("Full report", url=card.url))
    if card.subscription_ids:
        data = "mute:"
        for sid in card.subscription_ids:
            # Telegram's callback_data limit is 64 bytes; ":24h" is added for the durations.
            if len(data) + len(str(sid)) + 1 > 59:
                break
            data += ("" if data.endswith(":") else ",") + str(sid)
        buttons.append(InlineKeyboardButton("Mute", callback_data=data))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split plain text into messages within `limit`, at line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            head, line = line[:limit], line[limit:]
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# -- outbound ------------------------------------------------------------------------------


class TelegramTransport:
    """Sends alerts with the Bot API; Telegram's errors become DeliveryErrors here only."""

    platform = PLATFORM

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        store: Store,
        *,
        pacer: Pacer,
        link_previews: bool = False,
    ) -> None:
        self.application = application
        self.store = store
        self.pacer = pacer
        self.link_previews = link_previews

    async def send(self, chat: Chat, message: Message) -> None:
        chat_id, thread_id = split_external_id(chat.external_id)
        try:
            await self.application.initialize()  # a no-op once done (`run --once` needs it)
            await self._send(chat_id, thread_id, message)
        except ChatMigrated as exc:
            new_id = external_id(exc.new_chat_id, thread_id)
            log.info("telegram chat %s became %s; moving its subscriptions", chat_id, new_id)
            await asyncio.to_thread(self.store.migrate_chat, chat.id, new_id)
            try:
                await self._send(exc.new_chat_id, thread_id, message, defer=False)
            except TelegramError as again:
                raise await self._delivery_error(again, exc.new_chat_id) from again
        except BadRequest as exc:
            if _chat_is_gone(exc):
                raise DeliveryError(f"telegram: {exc.message}", retire_chat=True) from exc
            if message.card is None:
                raise DeliveryError(
                    f"telegram rejected the message: {exc.message}", permanent=True
                ) from exc
            # Our own HTML was refused: never drop the alert, send it as plain text.
            log.error(
                "telegram refused the HTML of report %s (%s); sending plain text",
                message.card.report_id,
                exc.message,
            )
            try:
                await self._send(
                    chat_id,
                    thread_id,
                    Message(message.text),
                    markup=keyboard(message.card),
                    defer=False,
                )
            except TelegramError as again:
                raise await self._delivery_error(again, chat_id) from again
        except TelegramError as exc:
            raise await self._delivery_error(exc, chat_id) from exc

    async def _delivery_error(self, exc: TelegramError, chat_id: int) -> DeliveryError:
        error = _delivery_error(exc)
        if error.retry_after is not None and isinstance(exc, RetryAfter):
            await self.pacer.refused(str(chat_id), error.retry_after)
        return error

    async def _send(
        self,
        chat_id: int,
        thread_id: int | None,
        message: Message,
        markup: InlineKeyboardMarkup | None = None,
        *,
        defer: bool = True,
    ) -> None:
        """Each part in its own turn under the limits; the first may be deferred (the
        alert waits in the outbox), the rest of a message that has begun wait here."""
        if message.card is not None:
            chunks = [render_html(message.card)]
            parse_mode: str | None = ParseMode.HTML
            markup = keyboard(message.card)
        else:
            chunks = split_text(message.text)
            parse_mode = None
        for index, chunk in enumerate(chunks):
            await self.pacer.turn(str(chat_id), group=chat_id < 0, defer=defer and index == 0)
            await self.application.bot.send_message(
                chat_id=chat_id,
                text=chunk,
                parse_mode=parse_mode,
                message_thread_id=thread_id,
                link_preview_options=LinkPreviewOptions(is_disabled=not self.link_previews),
                reply_markup=markup if index == len(chunks) - 1 else None,
            )


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # int vs timedelta deprecation of PTB 22.2
        return _seconds(exc.retry_after)


def _chat_is_gone(exc: BadRequest) -> bool:
    text = exc.message.lower()
    return "chat not found" in text or "group chat was deactivated" in text


def _delivery_error(exc: TelegramError) -> DeliveryError:
    """Every Telegram error, mapped once."""
    if isinstance(exc, RetryAfter):
        wait = _retry_seconds(exc)
        return DeliveryError(f"telegram flood control: retry in {wait:g}s", retry_after=wait)
    if isinstance(exc, Forbidden):
        return DeliveryError(f"telegram: {exc.message}", retire_chat=True)
    if isinstance(exc, InvalidToken):
        log.critical("READOUT_TELEGRAM_TOKEN was rejected by Telegram: check it with @BotFather")
        return DeliveryError("telegram rejected the bot token")
    if isinstance(exc, BadRequest):
        return DeliveryError(f"telegram rejected the message: {exc.message}", permanent=True)
    if isinstance(exc, (TimedOut, NetworkError)):
        return DeliveryError(f"telegram network error: {exc.message}")
    return DeliveryError(f"telegram error: {exc}")


# -- inbound -------------------------------------------------------------------------------


# Updates handled at once across chats (each chat's in order): a chat flooding commands
# waits on its own lock, not on the others'.
MAX_CONCURRENT_UPDATES = 4096


class PerChatUpdates(BaseUpdateProcessor):
    """python-telegram-bot's update processor, concurrent across chats and in order within
    one: while one chat's /import runs, or it sends 500 commands, another chat's /help is
    answered at once; one chat's commands are answered in the order sent."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}  # chat -> (lock, updates)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, waiting = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, waiting + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, waiting = self._chats[chat.id]
            if waiting == 1:
                del self._chats[chat.id]  # no lock kept for a chat that went quiet
            else:
                self._chats[chat.id] = (lock, waiting - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class TelegramBot:
    """The Application: inbound commands and button presses, and its lifecycle."""

    def __init__(
        self,
        token: str,
        service: CommandService,
        store: Store,
        *,
        base_url: str = "https://api.telegram.org/bot",
        mode: str = "polling",
        webhook_url: str = "",
        link_previews: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.service = service
        self.store = store
        self.mode = mode
        self.webhook_url = webhook_url.rstrip("/")
        self.clock = clock
        self.throttle = CommandThrottle()  # a chat flooding commands: one reply, then quiet
        # Telegram echoes this in X-Telegram-Bot-Api-Secret-Token on every webhook call.
        self.secret_token = hashlib.sha256(f"readout-webhook:{token}".encode()).hexdigest()[:48]
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .concurrent_updates(PerChatUpdates(MAX_CONCURRENT_UPDATES))
        )
        if base_url.endswith("/bot"):  # a self-hosted Bot API serves files beside it
            builder = builder.base_file_url(base_url[: -len("/bot")] + "/file/bot")
        self.application = builder.build()
        self.application.add_handler(
            MessageHandler(
                filters.COMMAND & (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST),
                self.on_command,
            )
        )
        self.application.add_handler(
            MessageHandler(
                filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, self.on_plain_text
            )
        )
        self.application.add_handler(
            MessageHandler(
                filters.Document.ALL & filters.CaptionRegex(r"^/import(@\w+)?\s*$"),
                self.on_import_file,
            )
        )
        self.application.add_handler(CallbackQueryHandler(self.on_mute, pattern=r"^mute:"))
        self.application.add_error_handler(self.on_error)
        self.pacer = Pacer(store, TELEGRAM, clock, sleep)  # alerts and replies share the limits
        self.transport = TelegramTransport(
            self.application, store, pacer=self.pacer, link_previews=link_previews
        )

    async def start(self) -> None:
        """getMe, the command menu, then polling or the webhook; a failure says what to fix."""
        try:
            await self._start()
        except InvalidToken:  # its message contains the token: never show it
            raise ConfigError(
                "READOUT_TELEGRAM_TOKEN was rejected by Telegram: copy the token @BotFather "
                "gave you (it looks like 123456789:AA...)"
            ) from None
        except TelegramError as exc:
            raise PlatformError(
                f"cannot reach Telegram at start-up ({exc.message}): check the network and "
                "READOUT_TELEGRAM_BASE_URL"
            ) from None

    async def _start(self) -> None:
        app = self.application
        await app.initialize()  # calls getMe: a wrong token fails here, loudly
        await app.bot.set_my_commands([BotCommand(n, d) for n, d in COMMAND_MENU])
        if self.mode == "webhook":
            await app.bot.set_webhook(
                url=f"{self.webhook_url}",
                secret_token=self.secret_token,
                allowed_updates=["message", "channel_post", "callback_query"],
            )
        else:
            assert app.updater is not None  # start_polling also removes any webhook
            if not app.updater.running:
                await app.updater.start_polling(
                    allowed_updates=["message", "channel_post", "callback_query"]
                )
        if not app.running:
            await app.start()
        log.info("telegram bot @%s is up (%s)", app.bot.username, self.mode)

    async def stop(self) -> None:
        """Stop polling, let handlers finish, close the HTTP client (safe to call twice)."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()  # a no-op when it was never initialised

    async def webhook(self, request: web.Request) -> web.Response:
        """POST /telegram/webhook: only Telegram, which knows the secret, gets through."""
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != self.secret_token:
            return web.Response(status=403, text="wrong secret token")
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400, text="not a Telegram update")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any /command: run it through the platform-neutral commands and reply."""
        message, ref = update.effective_message, chat_ref(update)
        if message is None or message.text is None or ref is None:
            return
        first = message.text.split(maxsplit=1)[0]
        if "@" in first and first.split("@", 1)[1].lower() != (context.bot.username or "").lower():
            return  # addressed to another bot in this group
        user = update.effective_user
        command = parse_command(ref, message.text, user=str(user.id) if user else "")
        if command is None:
            return
        verdict = self.throttle.check(ref.external_id, self.clock())
        if verdict is Verdict.IGNORE:
            return
        if verdict is Verdict.WARN:
            await self._reply(message, THROTTLED)
            return
        reply: Reply | None = None
        if command.name in CHANGES_SUBSCRIPTIONS and not await self._may_change(update, context):
            text = (
                "Only this group's administrators can change its subscriptions, alert mode, "
                "mutes and quiet hours. "
                "Anyone may use /latest, /subscriptions and /help."
            )
        else:
            reply = await asyncio.to_thread(self.service.handle, command, self.clock())
            text = reply.text
        for chunk in split_text(text):
            await self._reply(message, chunk)
        if reply is not None and reply.image is not None:
            await self._chart(message, reply.image, reply.image_title)
        if reply is not None and reply.file is not None:
            await self._document(message, *reply.file)

    async def _document(self, message: TelegramMessage, name: str, content: bytes) -> None:
        """A reply's file (an /export) with sendDocument."""
        await self.pacer.turn(str(message.chat_id), group=message.chat_id < 0)
        try:
            await message.reply_document(document=content, filename=name, do_quote=False)
        except RetryAfter as exc:
            await self.pacer.refused(str(message.chat_id), _retry_seconds(exc))
        except TelegramError as exc:
            log.warning("telegram: could not send %s to %s: %s", name, message.chat_id, exc)
            await self._reply(message, f"Sorry, Telegram refused the file ({exc.message}).")

    async def on_import_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A watchlist file sent with /import as its caption."""
        message, ref = update.effective_message, chat_ref(update)
        if message is None or ref is None or message.document is None:
            return
        if self.throttle.check(ref.external_id, self.clock()) is not Verdict.ANSWER:
            return
        if not await self._may_change(update, context):
            await self._reply(message, "Only this group's administrators can import subscriptions.")
            return
        document = message.document
        if (document.file_size or 0) > MAX_WATCHLIST_BYTES:
            await self._reply(message, "That file is too large for a watchlist (100 KB at most).")
            return
        try:
            text = (await self._download(document)).decode("utf-8")
        except UnicodeDecodeError:
            await self._reply(message, "That file is not UTF-8 text: export it with /export.")
            return
        except TooLarge:
            await self._reply(message, "That file is too large for a watchlist (100 KB at most).")
            return
        except (TelegramError, aiohttp.ClientError, OSError, ValueError) as exc:
            log.warning("telegram: could not read a watchlist file: %s", exc)
            await self._reply(message, "Could not read that file from Telegram: send it again.")
            return
        reply = await asyncio.to_thread(
            self.service.handle, Command(ref, "import", text), self.clock()
        )
        for chunk in split_text(reply.text):
            await self._reply(message, chunk)

    async def _download(self, document: Document) -> bytes:
        """A document's bytes, from the Bot API's file URL only (getFile may name a path
        on this machine, which PTB would read from disk), read to at most the watchlist
        cap whatever size was declared."""
        bot = self.application.bot
        found = await document.get_file()
        if (found.file_size or 0) > MAX_WATCHLIST_BYTES:
            raise TooLarge("larger than 100 KB")
        base = bot.base_file_url
        if not found.file_path or not found.file_path.startswith(base + "/"):
            raise ValueError("the Bot API named no file on its file server")
        files_host = urlsplit(base).hostname or ""
        return await download(
            found.file_path,
            limit=MAX_WATCHLIST_BYTES,
            headers={},  # the token is in the URL, which only the file server sees
            trusted=lambda host: host == files_host,
            allow=[files_host],  # a self-hosted Bot API server (or our fake) may be local
        )

    async def _chart(self, message: TelegramMessage, image: bytes, title: str) -> None:
        """A reply's chart with sendPhoto; when Telegram refuses it, the text already sent
        stands alone."""
        await self.pacer.turn(str(message.chat_id), group=message.chat_id < 0)
        try:
            await message.reply_photo(photo=image, caption=title[:1024] or None, do_quote=False)
        except RetryAfter as exc:
            await self.pacer.refused(str(message.chat_id), _retry_seconds(exc))
        except TelegramError as exc:
            log.warning("telegram: could not send the chart to %s: %s", message.chat_id, exc)

    async def _reply(self, message: TelegramMessage, text: str) -> None:
        """A reply in the chat's next turn under the limits (before any waiting alert)."""
        await self.pacer.turn(str(message.chat_id), group=message.chat_id < 0)
        try:
            await message.reply_text(text, do_quote=False)
        except RetryAfter as exc:
            await self.pacer.refused(str(message.chat_id), _retry_seconds(exc))
            raise

    async def on_plain_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message that is not a command, in a private chat: a short hint."""
        message, ref = update.effective_message, chat_ref(update)
        if message is None or ref is None:
            return
        if self.throttle.check(ref.external_id, self.clock()) is Verdict.ANSWER:
            await self._reply(message, HINT)

    async def on_mute(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The "Mute" button: first a choice of how long, under the alert; then the
        subscriptions that fired are muted for that long."""
        query, ref = update.callback_query, chat_ref(update)
        if query is None or ref is None or query.data is None:
            return
        if not await self._may_change(update, context):
            await query.answer(
                "Only administrators can mute this group's subscriptions.", show_alert=True
            )
            return
        ids_text, _, code = query.data.removeprefix("mute:").partition(":")
        ids = [int(x) for x in ids_text.split(",") if x.isdigit()]
        markup = query.message.reply_markup if isinstance(query.message, TelegramMessage) else None
        first_row = list(markup.inline_keyboard[0]) if markup and markup.inline_keyboard else []
        if not code:
            choices = [
                InlineKeyboardButton(label, callback_data=f"mute:{ids_text}:{choice}")
                for label, choice in MUTE_CHOICES
            ]
            rows = [first_row, choices] if first_row else [choices]
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))
            await query.answer("Mute for how long?")
            return
        try:
            span = mute_span(code)
        except CommandError:
            await query.answer("That button is out of date: use /mute instead.")
            return
        text = await asyncio.to_thread(self.service.mute_from_button, ref, ids, span, self.clock())
        await query.answer(text)
        if first_row:  # the alert's own buttons again
            await query.edit_message_reply_markup(InlineKeyboardMarkup([first_row]))

    async def _may_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        button = update.callback_query is not None
        if chat is None or chat.type == ChatType.PRIVATE:
            return True  # a private chat is the user's
        if chat.type == ChatType.CHANNEL and not button:
            return True  # only administrators post in a channel
        # A button under a channel post is pressed by any subscriber; the post itself is
        # "sent by the channel", which says nothing of who pressed.
        if not button and message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # an anonymous administrator
        if user is None:
            return False
        member = await context.bot.get_chat_member(chat.id, user.id)
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(context.error, RetryAfter):  # flood control on a reply: not a bug
            log.warning("telegram: a reply was refused by flood control (%s)", context.error)
            return  # replying to say so would only be refused too
        log.error("telegram handler failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            with contextlib.suppress(TelegramError):
                await update.effective_message.reply_text(
                    "Sorry, something went wrong on our side. It has been logged.", do_quote=False
                )
