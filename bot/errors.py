"""One exception root for Readout; every error a user or operator can meet.

ReadoutError
├── ConfigError          a setting is missing or invalid (says which and how to fix it)
├── GazetteerError       a seed data file is malformed
├── QueryError           a subscription query cannot be understood (carries suggestions)
├── CommandError         a chat command is refused (limits, unknown subscription, ...)
├── SourceError          a document could not be read from a source (carries the path)
└── DeliveryError        a transport could not deliver (retry_after, permanent)
    └── NotYourTurn      the chat's next turn under the platform's limits is later
"""

from __future__ import annotations

from datetime import datetime


class ReadoutError(Exception):
    """Root of every error Readout raises on purpose."""


class ConfigError(ReadoutError):
    """A setting is missing or invalid."""


class GazetteerError(ReadoutError):
    """A gazetteer data file under seeds/gazetteer is malformed."""


class QueryError(ReadoutError):
    """A subscription query cannot be understood."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class CommandError(ReadoutError):
    """A chat command is refused; the message is shown to the user as is."""


class SubscriptionLimitReached(ReadoutError):
    """A chat has as many subscriptions as it may: checked where they are stored, so that
    concurrent /subscribe commands cannot pass it together."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the chat already has {count} subscriptions")
        self.count = count


class SourceError(ReadoutError):
    """A document could not be read from a source."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location


class PlatformError(ReadoutError):
    """Telegram or Slack could not be reached or refused us when starting."""


class DeliveryError(ReadoutError):
    """A transport could not deliver a message.

    `retry_after` (seconds) is the platform's own wait; `permanent` means retrying
    cannot help; `retire_chat` means the chat is gone for us (bot removed, blocked).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        retire_chat: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent or retire_chat
        self.retire_chat = retire_chat


class NotYourTurn(DeliveryError):
    """Not a failure: the chat's next turn under the platform's limits is at `at`, taken
    by another message (another worker's, or a command reply). The alert waits until
    then, without counting a try, and the sender goes on to other chats meanwhile."""

    def __init__(self, at: datetime) -> None:
        super().__init__(f"the chat's next turn is at {at.isoformat()}")
        self.at = at
