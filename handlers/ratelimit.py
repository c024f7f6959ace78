"""Platform rate limits, kept by every worker of a deployment together, and the command
throttle.

Each limit is a row in the database (`send_turns`): the next moment one chat, or the whole
bot, may be sent to. Taking a turn moves both on in one transaction, so three workers on
one PostgreSQL keep Telegram's 1 message a second per chat, 20 a minute per group and 30 a
second per bot as one sender would. A `retry_after` holds the chat's row (and the bot's,
when a second chat is refused meanwhile: the limit hit is the bot's) from the moment the
error arrived.

Alerts never wait for a chat: when its turn is more than `DEFER_BEYOND` seconds away
the transport raises `NotYourTurn` and the outbox gives the alert back until then, sending
to other chats meanwhile. Command replies wait for the chat's next turn instead: that is
their priority lane, since alerts take one turn at a time and never queue ahead of them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from bot.errors import NotYourTurn
from bot.ports import TurnStore

# Seconds an alert may wait for its chat's turn before it is given back: small, because
# the bot's turn it takes with it is booked then too, and every other chat waits behind it.
DEFER_BEYOND = 0.05
# The bot's turns are booked a little ahead when several workers send; further than this,
# the bot is held (a platform's retry_after): the alert goes back too, and its claim never
# outlives its lease while it waits.
BOT_DEFER_BEYOND = 5.0


@dataclass(frozen=True)
class PlatformLimits:
    """Seconds between two messages to one chat and through the bot, and for groups at
    most n messages in any span of seconds.

    Telegram publishes 1 s, 20 a minute and 30 a second; each is kept here with a margin
    (1.05 s, 20 in 61 s, 28 a second), because a message leaves a moment after its turn
    and the next may leave right on time: at 29 a second, 3 of 10,000 sends in
    benchmarks/delivery.py arrived 31 to a second."""

    platform: str
    chat_seconds: float
    bot_seconds: float
    group_window: tuple[int, float] | None = None

    @property
    def bot_key(self) -> str:
        return f"{self.platform}:bot"

    def chat_key(self, chat: str) -> str:
        return f"{self.platform}:chat:{chat}"


# Telegram's FAQ: about 1 message a second per chat, 20 a minute per group, 30 a second.
TELEGRAM = PlatformLimits(
    "telegram", chat_seconds=1.05, bot_seconds=1 / 28, group_window=(20, 61.0)
)
# Slack: chat.postMessage allows about 1 message a second per channel.
SLACK = PlatformLimits("slack", chat_seconds=1.05, bot_seconds=1 / 20)


class Pacer:
    """Turns to send under one platform's limits, shared through `store`."""

    def __init__(
        self,
        store: TurnStore,
        limits: PlatformLimits,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`clock` and `sleep` tell and pass the time (tests pass a clock they move)."""
        self.store = store
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._refused: deque[tuple[datetime, str]] = deque()  # recent 429s: when, which chat

    async def turn(self, chat: str, *, group: bool = False, defer: bool = False) -> None:
        """Return when one message may go to `chat`.

        With `defer` (an alert), the chat's and the bot's turns are taken together when the
        chat is free now, else NotYourTurn says when it will be. Without (a reply), the
        chat's next turn is booked at once, ahead of any alert, and the bot's turn is taken
        when it comes: a bot turn is never booked far ahead, where it would hold up every
        other chat."""
        limits = self.limits
        interval = limits.chat_seconds
        window = limits.group_window if group else None
        key = limits.chat_key(chat)
        if defer:
            granted, at = await asyncio.to_thread(
                self.store.take_turn,
                key,
                interval,
                limits.bot_key,
                limits.bot_seconds,
                self.clock(),
                defer_beyond=DEFER_BEYOND,
                bot_defer_beyond=BOT_DEFER_BEYOND,
                chat_window=window,
            )
            if not granted:
                raise NotYourTurn(at)
            await self._until(at)
            return
        _, at = await asyncio.to_thread(
            self.store.take_turn, key, interval, None, 0.0, self.clock(), chat_window=window
        )
        await self._until(at)
        _, at = await asyncio.to_thread(
            self.store.take_turn, limits.bot_key, limits.bot_seconds, None, 0.0, self.clock()
        )
        await self._until(at)
        # Sent a moment after the chat's turn: the chat's next turn counts from now.
        until = at + timedelta(seconds=interval)
        await asyncio.to_thread(self.store.hold_sends, key, until)

    async def _until(self, at: datetime) -> None:
        wait = (at - self.clock()).total_seconds()
        if wait > 0:
            await self.sleep(wait)  # the turn is ours: nobody else sends in it

    async def refused(self, chat: str, retry_after: float) -> None:
        """The platform answered 429 for `chat`: hold the chat from now for `retry_after`;
        when another chat was refused within that time too, the bot's overall limit is the
        one hit, and the whole bot holds."""
        now = self.clock()
        until = now + timedelta(seconds=retry_after)
        while self._refused and self._refused[0][0] < now - timedelta(seconds=retry_after):
            self._refused.popleft()
        others = {c for _, c in self._refused if c != chat}
        self._refused.append((now, chat))
        await asyncio.to_thread(self.store.hold_sends, self.limits.chat_key(chat), until)
        if others:
            await asyncio.to_thread(self.store.hold_sends, self.limits.bot_key, until)


THROTTLED = (
    "That is a lot of commands at once: I will answer this chat again in a minute. "
    "Alerts are not affected."
)


class Verdict(Enum):
    ANSWER = "answer"
    WARN = "warn"  # the first command over the limit: one polite reply
    IGNORE = "ignore"  # the rest, until the window has room again


class CommandThrottle:
    """At most `limit` commands from one chat per `window`: a chat that floods commands
    gets one polite reply, then silence until it slows down, and never holds up the
    replies to other chats. Time comes from the caller (`now`)."""

    def __init__(self, limit: int = 20, window: timedelta = timedelta(minutes=1)) -> None:
        self.limit = limit
        self.window = window
        self._times: dict[str, deque[datetime]] = {}
        self._warned: set[str] = set()

    def check(self, chat: str, now: datetime) -> Verdict:
        times = self._times.setdefault(chat, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._warned.discard(chat)
            return Verdict.ANSWER
        if chat in self._warned:
            return Verdict.IGNORE
        self._warned.add(chat)
        return Verdict.WARN
