"""Platform rate limits as DESIGN.md gives them, on aiolimiter's leaky buckets: an overall
rate, a per-chat rate and, for Telegram groups, a per-minute group rate."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from enum import Enum

from aiolimiter import AsyncLimiter


class RateLimits:
    """Waits until one more message may go to `chat`; buckets are made on first use."""

    def __init__(
        self,
        *,
        overall_per_second: float,
        per_chat_per_second: float,
        group_per_minute: float | None = None,
    ) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1)
        self._per_chat_rate = per_chat_per_second
        self._group_rate = group_per_minute
        self._chats: dict[str, AsyncLimiter] = {}
        self._groups: dict[str, AsyncLimiter] = {}

    async def wait(self, chat: str, *, group: bool = False) -> None:
        if group and self._group_rate:
            limiter = self._groups.get(chat)
            if limiter is None:
                limiter = self._groups[chat] = AsyncLimiter(self._group_rate, 60)
            await limiter.acquire()
        per_chat = self._chats.get(chat)
        if per_chat is None:
            per_chat = self._chats[chat] = AsyncLimiter(1, 1 / self._per_chat_rate)
        await per_chat.acquire()
        await self._overall.acquire()


def telegram_limits() -> RateLimits:
    """About 30 messages/s overall, 1/s per chat, 20/min per group (Telegram's FAQ)."""
    return RateLimits(overall_per_second=30, per_chat_per_second=1, group_per_minute=20)


def slack_limits() -> RateLimits:
    """About 1 message/s per channel (Slack's chat.postMessage limit)."""
    return RateLimits(overall_per_second=20, per_chat_per_second=1)


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
