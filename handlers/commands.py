"""Chat commands, platform-neutral: one function per command, taking a Command and
returning a Reply in plain text. Adapters (console, Telegram, Slack) parse their platform's
input into a Command and render the Reply; they escape it, since replies quote user input."""

from __future__ import annotations

import functools
import logging
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import process

from bot import digest
from bot.config import DigestConfig, LimitsConfig
from bot.errors import CommandError, QueryError, ReadoutError, SubscriptionLimitReached
from bot.extract import Gazetteer
from bot.models import Chat, ChatRef, DeliveryMode, Subscription
from bot.ports import Store
from bot.query import Node, explain, from_json, normalise_quotes, parse, read, to_json

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"^\s*/(?P<name>[A-Za-z_]+)(?:@\S+)?(?:\s+(?P<args>.*))?$", re.DOTALL)
_RECENT_WINDOW = 500  # stored reports scanned for /latest and /search


@functools.cache
def _time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones() | {"UTC"})


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Command:
    chat: ChatRef
    name: str
    args: str = ""
    user: str = ""


@dataclass(frozen=True)
class Reply:
    text: str


def split_queries(text: str) -> list[str]:
    """A list as people type it: "Pakistan, Russia" or one per line; commas inside quotes
    stay ("Korea, Republic of")."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in normalise_quotes(text):
        if ch == '"':
            quoted = not quoted
        if ch in ",;\n" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_command(chat: ChatRef, text: str, user: str = "") -> Command | None:
    """`/subscribe@ReadoutBot Pakistan` -> Command("subscribe", "Pakistan"); None if no command."""
    m = _COMMAND.match(text)
    if m is None:
        return None
    return Command(chat, m.group("name").lower(), (m.group("args") or "").strip(), user)


HELP = """Readout alerts you when a meeting you follow is reported.

/subscribe <query>: follow a country, organisation, person, place, topic or word
   examples: /subscribe Pakistan   /subscribe SCO   /subscribe Lavrov
             /subscribe South China Sea   /subscribe Pakistan-Russia   /subscribe with:Iran
             /subscribe Pakistan, Russia, energy (three at once)   /subscribe 🇵🇰
/unsubscribe <numbers or query>: stop following (1 2 3 as in /subscriptions, or all)
/subscriptions: what this chat follows
/latest [n]: the latest n reports that match this chat's subscriptions (default 5)
/digest [today|week]: matching reports of the last day or week
/search <query>: stored reports matching a query, newest first
/mode [instant|daily|weekly]: an alert per report (instant), or one digest a day or week
/timezone [Area/City]: the time zone of this chat's digests, e.g. /timezone Asia/Karachi
/help: this text

Queries: a name of several words is one name (West Bank, Wang Yi); an unknown word is a
keyword. Terms side by side must all match (AND); OR, NOT or -term, and parentheses work;
"quotes" make an exact phrase; country:, org:, person:, place:, topic: pin the kind.
Meetings: with:Pakistan (Pakistan took part, not only mentioned), Pakistan-Russia (both
took part), type:call|visit|host|third-location|multilateral, at:SCO (the forum),
level:leaders|ministers."""

HINT = (
    "I answer commands: /subscribe Pakistan to follow a country (or an organisation, a "
    "person, a topic), /latest for the latest meetings, /help for the rest."
)


class CommandService:
    """Runs chat commands against storage; every command answers, none raises."""

    def __init__(
        self,
        store: Store,
        gazetteer: Gazetteer,
        limits: LimitsConfig,
        digests: DigestConfig | None = None,
    ) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.limits = limits
        self.digests = digests or DigestConfig()
        self._handlers: dict[str, Callable[[Chat, Command, datetime], str]] = {
            "start": self.start,
            "help": self.help,
            "subscribe": self.subscribe,
            "unsubscribe": self.unsubscribe,
            "subscriptions": self.subscriptions,
            "latest": self.latest,
            "digest": self.digest,
            "search": self.search,
            "mode": self.mode,
            "timezone": self.timezone,
        }

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._handlers)

    def handle(self, command: Command, now: datetime) -> Reply:
        """Run one command; user mistakes and our own failures both become a clear reply."""
        handler = self._handlers.get(command.name)
        if handler is None:
            close = [n for n in self._handlers if n.startswith(command.name[:3])]
            hint = f" Did you mean /{close[0]}?" if close else ""
            return Reply(f"Unknown command /{command.name}.{hint} /help lists what I can do.")
        try:
            chat = self.store.ensure_chat(command.chat, now)
            return Reply(handler(chat, command, now))
        except (CommandError, QueryError) as exc:
            message = str(exc)
            return Reply(message[:1].upper() + message[1:])
        except ReadoutError as exc:
            log.error("/%s failed: %s", command.name, exc)
            return Reply(f"Sorry, /{command.name} failed: {exc}")
        except Exception:
            log.exception("/%s failed in chat %s", command.name, command.chat.external_id)
            return Reply(
                f"Sorry, something went wrong on our side while running /{command.name}. "
                "It has been logged; please try again later."
            )

    # -- commands --------------------------------------------------------------------------

    def start(self, chat: Chat, command: Command, now: datetime) -> str:
        return (
            "Welcome to Readout. Tell me what to follow and I will post a short summary here "
            "when a matching meeting is reported.\n\n" + HELP
        )

    def help(self, chat: Chat, command: Command, now: datetime) -> str:
        return HELP

    def subscribe(self, chat: Chat, command: Command, now: datetime) -> str:
        queries = split_queries(command.args)
        if not queries:
            raise CommandError(
                "Usage: /subscribe <query>, e.g. /subscribe Pakistan or /subscribe SCO"
            )
        if len(queries) == 1:
            return self._subscribe_one(chat, queries[0], now)
        # "Pakistan, Russia, SCO" (or one per line): each a subscription of its own.
        lines = []
        for query in queries:
            try:
                lines.append("\u2022 " + self._subscribe_one(chat, query, now, brief=True))
            except (CommandError, QueryError) as exc:
                message = str(exc)
                lines.append("\u2022 " + message[:1].upper() + message[1:])
        return "\n".join(lines)

    def _subscribe_one(self, chat: Chat, query: str, now: datetime, *, brief: bool = False) -> str:
        if len(query) > self.limits.max_query_length:
            raise CommandError(
                f"That query is {len(query)} characters long; the limit is "
                f"{self.limits.max_query_length}. Split it into several subscriptions."
            )
        node, notes = self._read(query)
        compiled = to_json(node)
        understood = explain(node, self.gazetteer)
        if notes:
            understood += " (" + "; ".join(notes) + ")"
        existing = self.store.list_subscriptions(chat.id)
        same = next((s for s in existing if s.compiled == compiled), None)
        try:
            self.store.add_subscription(  # also un-pauses
                chat.id, query, compiled, now, limit=self.limits.max_subscriptions_per_chat
            )
        except SubscriptionLimitReached as exc:
            raise CommandError(
                f"This chat already has {exc.count} subscriptions, the limit: remove one "
                "with /unsubscribe <number> first (/subscriptions lists them)."
            ) from exc
        if same is not None:
            return f"{'Resumed' if same.paused else 'Already subscribed'}: {understood}."
        if brief:
            return f"Subscribed: {understood}."
        return (
            f"Subscribed: {understood}.\nI will post here when a matching report comes in. "
            "/subscriptions lists what this chat follows."
        )

    def unsubscribe(self, chat: Chat, command: Command, now: datetime) -> str:
        arg = command.args.strip()
        subs = self.store.list_subscriptions(chat.id)
        if not arg:
            raise CommandError("Usage: /unsubscribe <number or query> (/subscriptions lists them)")
        if not subs:
            raise CommandError("This chat has no subscriptions.")
        words = arg.lower().split()
        if words[0] == "all":
            if words[1:] != ["confirm"]:
                return (
                    f"That removes all {len(subs)} subscriptions of this chat. To do it, send "
                    "/unsubscribe all confirm"
                )
            for sub in subs:
                self.store.remove_subscription(chat.id, sub.id)
            return f"Unsubscribed from all {len(subs)}: {', '.join(s.query for s in subs)}."
        numbers = re.split(r"[\s,;]+", arg.strip(" ,;"))
        if len(numbers) > 1 and all(n.isdigit() for n in numbers):  # 1 2 3, or 1,2
            wanted = sorted({int(n) for n in numbers})
            missing = [n for n in wanted if not 1 <= n <= len(subs)]
            if missing:
                raise CommandError(
                    f"No subscription number {', '.join(map(str, missing))} here: "
                    f"/subscriptions lists them (1 to {len(subs)}). Nothing was removed."
                )
            gone = [subs[n - 1] for n in wanted]
            for sub in gone:
                self.store.remove_subscription(chat.id, sub.id)
            return f"Unsubscribed from: {', '.join(s.query for s in gone)}."
        target = self._find(subs, arg)
        if target is None:
            raise CommandError(
                f"No subscription {arg!r} here. /subscriptions lists them "
                f"(numbers 1 to {len(subs)})."
            )
        self.store.remove_subscription(chat.id, target.id)
        return f"Unsubscribed from: {target.query}."

    def subscriptions(self, chat: Chat, command: Command, now: datetime) -> str:
        subs = self.store.list_subscriptions(chat.id)
        if not subs:
            return "This chat follows nothing yet. Try /subscribe Pakistan or /subscribe SCO."
        lines = [f"This chat follows {len(subs)} subscription(s):"]
        for number, sub in enumerate(subs, start=1):
            paused = " (paused)" if sub.paused else ""
            lines.append(f"{number}. {sub.query}{paused}: {self._explain_stored(sub)}")
        return "\n".join(lines)

    def latest(self, chat: Chat, command: Command, now: datetime) -> str:
        count = self.limits.latest_default
        if command.args:
            if not command.args.strip().isdigit() or int(command.args) < 1:
                raise CommandError("Usage: /latest [n], where n is a number such as 5")
            count = min(int(command.args), self.limits.latest_max)
        queries = self._chat_queries(chat)
        reports = self.store.recent_reports(since=None, limit=_RECENT_WINDOW)
        items = digest.select(reports, queries or None, count)
        scope = "for this chat's subscriptions" if queries else "(this chat follows nothing yet)"
        if not items:
            return f"No reports {scope} yet." if queries else "No reports have been ingested yet."
        return digest.render(f"Latest meetings {scope}:", items, self.gazetteer)

    def digest(self, chat: Chat, command: Command, now: datetime) -> str:
        period = (command.args or "today").strip().lower()
        if period not in ("today", "week"):
            raise CommandError("Usage: /digest today or /digest week")
        since = now - (timedelta(days=1) if period == "today" else timedelta(days=7))
        queries = self._chat_queries(chat)
        if not queries:
            return "This chat follows nothing yet, so there is no digest. Try /subscribe Pakistan."
        reports = self.store.recent_reports(since=since, limit=_RECENT_WINDOW)
        items = digest.select(reports, queries, 30)
        label = "the last 24 hours" if period == "today" else "the last 7 days"
        if not items:
            return f"No matching reports in {label}."
        return digest.render(f"Digest of {label}:", items, self.gazetteer)

    def search(self, chat: Chat, command: Command, now: datetime) -> str:
        query = command.args.strip()
        if not query:
            raise CommandError('Usage: /search <query>, e.g. /search "Federation Council"')
        node = self._parse(query)
        reports = self.store.recent_reports(since=None, limit=_RECENT_WINDOW)
        items = digest.select(reports, [node], self.limits.search_results)
        understood = explain(node, self.gazetteer)
        if not items:
            return f"No stored report matches {understood}."
        return digest.render(f"Reports matching {understood}:", items, self.gazetteer)

    def mode(self, chat: Chat, command: Command, now: datetime) -> str:
        hour = f"{self.digests.hour:02d}:00 {chat.timezone}"
        day = _WEEKDAYS[self.digests.weekly_day]
        described = {
            DeliveryMode.INSTANT: "an alert for each matching report, as it comes in",
            DeliveryMode.DAILY: f"one digest a day at {hour}",
            DeliveryMode.WEEKLY: f"one digest a week, on {day} at {hour}",
        }
        arg = command.args.strip().lower()
        if not arg:
            return (
                f"This chat gets {described[chat.delivery_mode]}. "
                "Change it with /mode instant, /mode daily or /mode weekly."
            )
        try:
            mode = DeliveryMode(arg)
        except ValueError:
            raise CommandError("Usage: /mode instant, /mode daily or /mode weekly") from None
        released = self.store.set_delivery_mode(chat.id, mode, now)
        extra = f" {released} held alert(s) will be posted now." if released else ""
        return f"This chat now gets {described[mode]}.{extra}"

    def timezone(self, chat: Chat, command: Command, now: datetime) -> str:
        name = command.args.strip()
        if not name:
            return (
                f"This chat's digests follow {chat.timezone} time. Change it with "
                "/timezone Area/City, e.g. /timezone Asia/Karachi or /timezone Europe/Brussels."
            )
        zones = _time_zones()
        found = next((z for z in zones if z.lower() == name.lower()), None)
        if found is None:
            close = process.extractOne(name, zones, score_cutoff=80)
            hint = f": did you mean {close[0]}?" if close else ": use Area/City, e.g. Asia/Karachi"
            raise CommandError(f"Unknown time zone {name!r}{hint}")
        self.store.set_timezone(chat.id, found)
        return f"This chat's digests now follow {found} time."

    def pause(self, ref: ChatRef, subscription_ids: list[int], now: datetime) -> list[str]:
        """A "Mute" button: pause those of `subscription_ids` that belong to this chat."""
        chat = self.store.ensure_chat(ref, now)
        own = {s.id: s for s in self.store.list_subscriptions(chat.id)}
        return [
            own[i].query
            for i in subscription_ids
            if i in own and self.store.set_paused(chat.id, i, True)
        ]

    # -- helpers ---------------------------------------------------------------------------

    def _parse(self, query: str) -> Node:
        return self._read(query)[0]

    def _read(self, query: str) -> tuple[Node, list[str]]:
        try:
            return read(query, self.gazetteer, max_length=self.limits.max_query_length)
        except QueryError as exc:
            raise QueryError(f"Could not understand {query!r}: {exc}", exc.suggestions) from exc

    def _find(self, subs: list[Subscription], arg: str) -> Subscription | None:
        if arg.isdigit():
            number = int(arg)
            return subs[number - 1] if 1 <= number <= len(subs) else None
        for sub in subs:
            if sub.query.casefold() == arg.casefold():
                return sub
        try:
            compiled = to_json(parse(arg, self.gazetteer))
        except QueryError:
            return None
        return next((s for s in subs if s.compiled == compiled), None)

    def _chat_queries(self, chat: Chat) -> list[Node]:
        nodes: list[Node] = []
        for sub in self.store.list_subscriptions(chat.id):
            try:
                nodes.append(from_json(sub.compiled))
            except (QueryError, ValueError, KeyError):
                log.error("subscription %s has a malformed stored query", sub.id)
        return nodes

    def _explain_stored(self, sub: Subscription) -> str:
        try:
            return explain(from_json(sub.compiled), self.gazetteer)
        except (QueryError, ValueError, KeyError):
            return "(stored query is damaged: remove and add it again)"
