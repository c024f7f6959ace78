"""What the engine needs from the outside, as Protocols: storage (implemented in
`storage/`) and the chat transports (implemented in `handlers/`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Protocol

from bot.history import MeetingRecord, Tally
from bot.match import KeyFilter
from bot.models import (
    Annotations,
    Chat,
    ChatRef,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    MatchedChat,
    Message,
    NewReport,
    Notice,
    Report,
    SourceState,
    StoredReport,
    Subscription,
)


class ReportStore(Protocol):
    def add_report(
        self,
        report: Report,
        annotations: Annotations,
        matches: list[MatchedChat],
        now: datetime,
        cluster_id: int | None = None,
        *,
        keys: Collection[str] | None = None,
    ) -> int | None:
        """Store a report, its annotations and one pending delivery per matched chat in one
        transaction; None (and nothing written) when the same report is already stored.
        A report joining `cluster_id` gets no delivery for a chat the cluster already had.
        `keys`: what it offers matching, for the search index (worked out when None)."""

    def add_reports(self, items: Sequence[NewReport]) -> list[int | None]:
        """Store a batch as `add_report` stores one, all in one transaction (one commit
        for the batch): the ids, None for a report already stored. Raises when the
        transaction fails, and then nothing of the batch is written."""

    def has_report(self, content_hash: str, url: str | None = None) -> bool:
        """A report with this content, or from this URL, is already stored."""

    def stored_already(self, reports: Sequence[Report]) -> set[str]:
        """The content hashes and URLs of `reports` that stored reports have (one question
        for many reports)."""

    def cluster_sources(self, cluster_id: int) -> list[tuple[int, str, str | None]]:
        """(report id, outlet name, link) of every report of a cluster, in ingestion order."""

    def get_report(self, report_id: int) -> StoredReport | None: ...

    def cluster_candidates(self, key: str, *, since: datetime, limit: int) -> list[StoredReport]:
        """The reports whose meetings have these sides (bot.cluster.sides_key) published
        since `since`, newest first: what one meeting's other reports may be."""

    def recent_reports(self, *, since: datetime | None, limit: int) -> list[StoredReport]:
        """Newest first (by published time, then ingestion)."""

    def search_reports(
        self,
        condition: KeyFilter | None,
        *,
        since: datetime | None = None,
        before: int | None = None,
        limit: int,
    ) -> list[StoredReport]:
        """Up to `limit` stored reports whose matching keys meet `condition` (any report
        when None), published since `since` and stored before report `before`, the
        latest stored first: the candidates a query is then evaluated on."""

    def meetings_between(
        self, first: str, second: str, *, since: date | None = None, limit: int = 1000
    ) -> list[MeetingRecord]:
        """Meetings where both sides took part, newest first."""

    def meeting_tallies(self, first: str, second: str, *, since: date) -> list[Tally]:
        """Meetings where both sides took part since `since`, counted by day, type and
        level (what a chart of them needs, however many there are)."""

    def counterparts(
        self, side: str, *, since: date, limit: int = 10
    ) -> tuple[list[tuple[str, int]], int]:
        """With whom `side` met since `since`, most meetings first (ties by id), and how
        many meetings it had in all."""

    def meetings_since(self, since: date | None = None) -> list[MeetingRecord]:
        """Every stored meeting (on or after `since`), newest first."""


class ChatStore(Protocol):
    def ensure_chat(self, ref: ChatRef, now: datetime) -> Chat: ...

    def get_chat(self, chat_id: int) -> Chat | None: ...

    def get_chats(self, chat_ids: Collection[int]) -> dict[int, Chat]:
        """The chats of these ids that exist, in one query (a report's fan-out)."""

    def set_timezone(self, chat_id: int, timezone: str) -> None: ...

    def set_delivery_mode(self, chat_id: int, mode: DeliveryMode, now: datetime) -> int:
        """Set instant, daily or weekly; returns how many held alerts were released."""

    def migrate_chat(self, chat_id: int, new_external_id: str) -> Chat:
        """Move a chat to the platform's new id for it (a group that became a supergroup)."""

    def retire_chat(self, chat_id: int, reason: str, now: datetime) -> int:
        """Mark a chat inactive and cancel its pending deliveries; returns how many."""

    def pause_chat(self, chat_id: int, until: datetime | None) -> None:
        """No alerts for the chat until `until` (None: resumed now)."""

    def set_quiet(
        self, chat_id: int, quiet: str | None, held_until: datetime, now: datetime
    ) -> int:
        """The chat's quiet hours, "22:00-07:00" in its time zone; None: none. Alerts the
        old ones held go at `held_until`; how many."""


class SubscriptionStore(Protocol):
    def add_subscription(
        self, chat_id: int, query: str, compiled: str, now: datetime, *, limit: int | None = None
    ) -> tuple[Subscription, bool]:
        """The subscription and whether it is new (False: the chat already had it). A new
        one beyond `limit` raises SubscriptionLimitReached, atomically with the count."""

    def list_subscriptions(self, chat_id: int) -> list[Subscription]: ...

    def remove_subscription(self, chat_id: int, subscription_id: int) -> bool: ...

    def set_paused(self, chat_id: int, subscription_id: int, paused: bool) -> bool: ...

    def mute_subscription(
        self, chat_id: int, subscription_id: int, until: datetime | None
    ) -> Subscription | None:
        """Silent until `until` (None: until resumed); None when not this chat's."""

    def resume_subscription(self, chat_id: int, subscription_id: int) -> Subscription | None:
        """Not muted or paused any more (its pending "mute ended" notice dropped)."""

    def set_subscription_mode(
        self, chat_id: int, subscription_id: int, mode: DeliveryMode | None
    ) -> Subscription | None:
        """Its own instant, daily or weekly delivery; None: the chat's."""

    def active_subscriptions(self, chat_ids: Collection[int] | None = None) -> list[Subscription]:
        """Every unpaused subscription of every active chat (of these chats only)."""

    def subscription_changes(self, since: int) -> tuple[int, set[int]] | None:
        """The change counter's value now and the chats whose subscriptions changed after
        `since`; None when the log no longer reaches back that far."""

    def subscriptions_version(self) -> int:
        """A counter that moves on with every change to the active subscriptions (added,
        removed, paused, resumed, a chat retired or back), seen by every worker."""


class DeliveryStore(Protocol):
    def claim_due(
        self,
        now: datetime,
        *,
        limit: int,
        lease_seconds: float,
        chat_id: int | None = None,
        token: str | None = None,
    ) -> list[Delivery]:
        """Take up to `limit` due pending deliveries (of one chat, if given) for this worker
        for `lease_seconds` from `now`, the moment of the claim, marked with `token`."""

    def renew_claim(self, delivery_ids: list[int], token: str, until: datetime) -> list[int]:
        """Extend the lease of those of `delivery_ids` that `token` still holds (pending,
        not claimed since by another worker) to `until`; return their ids."""

    def renew_claims(self, token: str, until: datetime) -> int:
        """Extend to `until` the lease of every pending delivery `token` holds (the
        drain's heartbeat); return how many."""

    def release_claims(self, token: str, now: datetime) -> int:
        """Give back every pending delivery `token` holds, due at `now` and its claim not
        counted as a try (a drain that stops); return how many."""

    def mark_sent(self, delivery_id: int, now: datetime) -> None: ...

    def mark_retry(self, delivery_id: int, error: str, next_attempt_at: datetime) -> None: ...

    def postpone(self, delivery_id: int, until: datetime) -> None:
        """Give back a claimed delivery, due again at `until`, as if it had not been tried:
        the chat's turn under the platform's limits comes then."""

    def mark_failed(self, delivery_id: int, error: str) -> None: ...

    def outbox_rows(
        self, statuses: Sequence[DeliveryStatus], *, limit: int
    ) -> list[tuple[Delivery, Chat]]:
        """Deliveries of these statuses with their chats, chat by chat, for `readout outbox`."""

    def requeue_failed(
        self, now: datetime, *, chat_id: int | None = None, since: datetime | None = None
    ) -> int:
        """Put failed alerts (of one chat, queued since a time) back in the queue, due now."""

    def delivery_counts(self) -> dict[str, int]: ...

    def deliveries_for_report(self, report_id: int) -> list[Delivery]: ...

    def delivery_count(self, report_id: int) -> int:
        """How many chats a report's alert goes to."""

    def reached(self, report_ids: Collection[int]) -> dict[int, int]:
        """How many chats each report's alert goes to (reports with none left out)."""


class SourceStore(Protocol):
    def source_state(self, name: str) -> SourceState | None: ...

    def save_source_state(self, state: SourceState) -> None: ...

    def source_states(self) -> list[SourceState]: ...

    def unseen_entries(self, source: str, keys: list[str]) -> set[str]:
        """Which of `keys` this source has not handed over before."""

    def mark_entries_seen(self, source: str, keys: list[str], now: datetime) -> None: ...


class NoticeStore(Protocol):
    """Readout's own timed messages to a chat, sent by the outbox."""

    def add_notice(
        self, chat_id: int, key: str, text: str, due_at: datetime, now: datetime
    ) -> None:
        """Send `text` to the chat at `due_at`; a notice of the same `key` is replaced."""

    def claim_notices(self, now: datetime, *, limit: int, lease_seconds: float) -> list[Notice]:
        """Due notices, held for `lease_seconds` by this worker."""

    def notice_done(self, notice_id: int) -> None: ...

    def notice_later(self, notice_id: int, due_at: datetime) -> None: ...


class TurnStore(Protocol):
    """Platform limits shared by every worker of a deployment (`handlers/ratelimit.py`)."""

    def take_turn(
        self,
        chat_key: str,
        chat_interval: float,
        bot_key: str | None,
        bot_interval: float,
        now: datetime,
        *,
        defer_beyond: float | None = None,
        bot_defer_beyond: float | None = None,
        chat_window: tuple[int, float] | None = None,
    ) -> tuple[bool, datetime]:
        """Take the next turn to send one message to a chat: the first moment from `now`
        when the chat (one message per `chat_interval` seconds, and with `chat_window`
        (n, seconds) at most n in any such span) and, if given, the bot (one per
        `bot_interval`) may both send; both move on past it. (True, that moment); or,
        when the chat's turn is more than `defer_beyond` seconds away, or the bot's more
        than `bot_defer_beyond` (the bot is held), nothing is taken and (False, that turn)
        comes back."""

    def hold_sends(self, key: str, until: datetime) -> None:
        """No turn under `key` before `until` (a platform's retry_after)."""


class Store(
    ReportStore,
    ChatStore,
    SubscriptionStore,
    DeliveryStore,
    SourceStore,
    TurnStore,
    NoticeStore,
    Protocol,
):
    """All of storage, as the engine sees it."""

    def job_lock(self, name: str) -> AbstractContextManager[bool]:
        """Whether this worker runs the scheduled job `name` now (one worker of many)."""


class Transport(Protocol):
    """Sends one message to one chat of one platform; raises DeliveryError on failure."""

    platform: str

    async def send(self, chat: Chat, message: Message) -> None: ...
