"""Chat commands, platform-neutral: one function per command, taking a Command and
returning a Reply in plain text. Adapters (console, Telegram, Slack) parse their platform's
input into a Command and render the Reply; they escape it, since replies quote user input."""

from __future__ import annotations

import functools
import logging
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import process

from bot import digest, history, watchlist
from bot.config import DigestConfig, LimitsConfig
from bot.digest import DigestItem, parse_quiet, quiet_until
from bot.errors import CommandError, QueryError, ReadoutError, SubscriptionLimitReached
from bot.extract import Gazetteer
from bot.match import key_filter
from bot.models import Chat, ChatRef, DeliveryMode, Subscription
from bot.ports import Store
from bot.query import (
    And,
    Node,
    Term,
    explain,
    from_json,
    normalise_quotes,
    parse,
    read,
    to_json,
)
from bot.reports import web_link
from bot.summarize import side_name as side_label
from handlers import charts

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"^\s*/(?P<name>[A-Za-z_]+)(?:@\S+)?(?:\s+(?P<args>.*))?$", re.DOTALL)
_RECENT_WINDOW = 500  # stored reports whose people a query's names are checked against
_SEEN_PEOPLE_FOR = timedelta(minutes=1)  # how long those people are kept, not read again
# /latest, /search and /digest evaluate the search index's candidates a page at a time
# (the first page four times the meetings asked for, each next one twice the last), and
# stop after this many reports (a query such as "NOT Russia" has no key to narrow them).
_SCAN_LIMIT = 2000


def _held(count: int, when: str) -> str:
    """ "The 31 alerts held go now." """
    return f"The alert held goes {when}." if count == 1 else f"The {count} alerts held go {when}."


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
    image: bytes | None = None  # a PNG chart to send with the text (its caption)
    image_title: str = ""  # what the chart shows, for its file name and alt text
    file: tuple[str, bytes] | None = None  # a file to send with the text: (name, content)


# An import's reply lists at most this many lines of each kind (added, already there,
# refused); the counts say the rest.
IMPORT_LISTED = 15
# A watchlist file larger than this is refused before it is read.
MAX_WATCHLIST_BYTES = 100_000
# /pause without a time: until /resume.
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s*$", re.I)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


# How long the Mute button under an alert mutes for: (label, code for parse_duration; "0"
# is until /resume).
MUTE_CHOICES = (("1 hour", "1h"), ("1 day", "24h"), ("1 week", "7d"), ("Until /resume", "0"))


def mute_span(code: str) -> timedelta | None:
    return None if code == "0" else parse_duration(code)


def parse_duration(text: str) -> timedelta:
    """ "30m", "2h", "24 hours", "3d", "1w" -> a timedelta (at most a year)."""
    m = _DURATION.match(text)
    if m is None or int(m.group(1)) == 0:
        raise CommandError(f"{text!r} is not a duration: write 30m, 2h, 24h, 3d or 1w")
    seconds = int(m.group(1)) * _UNIT_SECONDS[m.group(2)[0].lower()]
    return timedelta(seconds=min(seconds, 366 * 86400))


def describe_duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds // 60} minutes"


def _n(count: int) -> str:
    return f"{count} meeting" + ("" if count == 1 else "s")


def _silent(sub: Subscription, now: datetime) -> bool:
    return sub.paused or (sub.muted_until is not None and sub.muted_until > now)


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
/history Pakistan Russia [n]: their last n meetings, with a chart of 24 months;
   /history Pakistan: with whom it met most in the last 90 days
/export [json]: this chat's subscriptions as a file; /import it anywhere ({import_how})
/mode [instant|daily|weekly]: an alert per report (instant), or one digest a day or week;
   /mode 3 daily for one subscription
/mute <number> [24h]: silence one subscription for a while (or until /resume <number>)
/pause [2h] and /resume: all alerts of this chat
/quiet 22:00-07:00: hold alerts at night, post them together in the morning (/quiet off)
/timezone [Area/City]: the time zone of digests and quiet hours, e.g. /timezone Asia/Karachi
/help: this text

Queries: a name of several words is one name (West Bank, Wang Yi); an unknown word is a
keyword. Terms side by side must all match (AND); OR, NOT or -term, and parentheses work;
"quotes" make an exact phrase; country:, org:, person:, place:, topic: pin the kind.
Meetings: with:Pakistan (Pakistan took part, not only mentioned), Pakistan-Russia (both
took part), type:call|visit|host|third-location|multilateral, at:SCO (the forum),
level:leaders|ministers."""

# The legend of a pair's chart; each side's hosted visits are "Pakistan hosted".
_SERIES = {
    "call": "calls",
    "visit": "visits, host not said",
    "third location": "third location",
    "other": "other",
}


# How a watchlist file is handed to /import, on each platform.
IMPORT_HOW = {
    "telegram": "send the file with /import as its caption, or paste its lines after /import",
    "slack": "share the file with Readout in a direct message that says import, or paste "
    "its lines after /import",
    "console": "paste its lines after /import",
}
_SLASHED = re.compile(r"(?<![\w/.:])/(?=[a-z]+\b)")


def _import_how(chat: Chat) -> str:
    return IMPORT_HOW.get(chat.platform, IMPORT_HOW["console"])


def for_platform(text: str, platform: str) -> str:
    """A reply in the platform's own words: on Slack every command is `/readout <name>`
    (a slash command of the app), "/subscribe Pakistan" elsewhere."""
    if platform != "slack":
        return text
    return _SLASHED.sub("/readout ", text)


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
        self._seen: tuple[datetime, list[str]] | None = None  # (read at, names)
        self._handlers: dict[str, Callable[[Chat, Command, datetime], str | Reply]] = {
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
            "mute": self.mute,
            "resume": self.resume,
            "pause": self.pause_chat,
            "quiet": self.quiet,
            "history": self.history,
            "export": self.export,
            "import": self.import_,
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
            answer = handler(chat, command, now)
            return answer if isinstance(answer, Reply) else Reply(answer)
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
            "when a matching meeting is reported.\n\n" + HELP.format(import_how=_import_how(chat))
        )

    def help(self, chat: Chat, command: Command, now: datetime) -> str:
        return HELP.format(import_how=_import_how(chat))

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
        node, notes = self._read(query, now)
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
            state = []
            if sub.paused:
                state.append("paused")
            elif sub.muted_until is not None and sub.muted_until > now:
                state.append(f"muted until {self._local(chat, sub.muted_until)}")
            if sub.mode is not None:
                state.append(sub.mode.value)
            shown = f" ({', '.join(state)})" if state else ""
            lines.append(f"{number}. {sub.query}{shown}: {self._explain_stored(sub)}")
        if chat.muted_until is not None and chat.muted_until > now:
            until = (
                "until /resume"
                if chat.muted_until == FOREVER
                else f"until {self._local(chat, chat.muted_until)}"
            )
            lines.append(f"All alerts of this chat are paused {until}.")
        if chat.quiet:
            lines.append(f"Quiet hours: {chat.quiet} ({chat.timezone}).")
        return "\n".join(lines)

    def latest(self, chat: Chat, command: Command, now: datetime) -> str:
        count = self.limits.latest_default
        if command.args:
            if not command.args.strip().isdigit() or int(command.args) < 1:
                raise CommandError("Usage: /latest [n], where n is a number such as 5")
            count = int(command.args)
            if count > self.limits.latest_max:
                raise CommandError(
                    f"/latest shows at most {self.limits.latest_max} meetings: "
                    f"/latest {self.limits.latest_max}; for more, /search or /digest week"
                )
        queries = self._chat_queries(chat)
        items = self._stored_matching(queries or None, count)
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
        items = self._stored_matching(queries, 30, since=since)
        label = "the last 24 hours" if period == "today" else "the last 7 days"
        if not items:
            return f"No matching reports in {label}."
        return digest.render(
            f"Digest of {label}:",
            items,
            self.gazetteer,
            by_pair=True,
            followed=digest.followed_sides(queries),
        )

    def search(self, chat: Chat, command: Command, now: datetime) -> str:
        query = command.args.strip()
        if not query:
            raise CommandError('Usage: /search <query>, e.g. /search "Federation Council"')
        node = self._parse(query, now)
        items = self._stored_matching([node], self.limits.search_results)
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
                "Change it with /mode instant, /mode daily or /mode weekly; one subscription "
                "with /mode 3 daily."
            )
        words = arg.split()
        if words[0].isdigit():  # /mode 3 daily: that subscription's own mode
            target = self._numbered(chat, words[0])
            if len(words) != 2 or words[1] not in ("instant", "daily", "weekly", "default"):
                raise CommandError(
                    "Usage: /mode 3 instant, /mode 3 daily, /mode 3 weekly or /mode 3 default"
                )
            own = None if words[1] == "default" else DeliveryMode(words[1])
            self.store.set_subscription_mode(chat.id, target.id, own)
            if own is None:
                return f"{target.query} now follows the chat: {described[chat.delivery_mode]}."
            return f"{target.query} now gets {described[own]}; the others are unchanged."
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

    def mute_from_button(
        self, ref: ChatRef, subscription_ids: list[int], span: timedelta | None, now: datetime
    ) -> str:
        """A "Mute" button under an alert: mute the subscriptions that fired, of this chat,
        for `span` (None: until resumed). The answer to show."""
        chat = self.store.ensure_chat(ref, now)
        own = {s.id: s for s in self.store.list_subscriptions(chat.id)}
        muted = []
        for i in subscription_ids:
            if i not in own:
                continue
            until = now + span if span else None
            self.store.mute_subscription(chat.id, i, until)
            if until is not None:
                self.store.add_notice(
                    chat.id,
                    f"mute:{i}",
                    f"{own[i].query} is no longer muted: its alerts come again.",
                    until,
                    now,
                )
            muted.append(own[i].query)
        if not muted:
            return "Nothing to mute: that subscription is gone."
        how = f"for {describe_duration(span)}" if span else "until you /resume it"
        return f"Muted {', '.join(muted)} {how}."

    def mute(self, chat: Chat, command: Command, now: datetime) -> str:
        """/mute 3 24h: silent for a while, then it resumes by itself and says so."""
        words = command.args.split()
        if not words:
            raise CommandError("Usage: /mute <number> [30m|2h|24h|7d] (/subscriptions lists them)")
        target = self._numbered(chat, words[0])
        if len(words) == 1:
            self.store.mute_subscription(chat.id, target.id, None)
            return f"Muted {target.query} until you /resume {words[0]}."
        span = parse_duration(" ".join(words[1:]))
        until = now + span
        self.store.mute_subscription(chat.id, target.id, until)
        self.store.add_notice(
            chat.id,
            f"mute:{target.id}",
            f"{target.query} is no longer muted: its alerts come again.",
            until,
            now,
        )
        return (
            f"Muted {target.query} for {describe_duration(span)}, until "
            f"{self._local(chat, until)}; it resumes by itself and I will say so."
        )

    def resume(self, chat: Chat, command: Command, now: datetime) -> str:
        """/resume 3: one subscription again; /resume: the whole chat after /pause."""
        arg = command.args.strip()
        if not arg:
            paused = chat.muted_until is not None and chat.muted_until > now
            self.store.pause_chat(chat.id, None)
            muted = [s for s in self.store.list_subscriptions(chat.id) if _silent(s, now)]
            hint = (
                f" Still muted: {', '.join(s.query for s in muted)} (/resume <number>)."
                if muted
                else ""
            )
            return ("Alerts resume in this chat." if paused else "This chat was not paused.") + hint
        target = self._numbered(chat, arg)
        self.store.resume_subscription(chat.id, target.id)
        return f"Resumed: {target.query}."

    def pause_chat(self, chat: Chat, command: Command, now: datetime) -> str:
        """/pause [duration]: no alerts for the whole chat."""
        arg = command.args.strip()
        until = now + parse_duration(arg) if arg else FOREVER
        self.store.pause_chat(chat.id, until)
        when = "until you /resume" if until == FOREVER else f"until {self._local(chat, until)}"
        return (
            f"Paused all alerts of this chat {when}. Reports that come in meanwhile are not "
            "posted; /latest still shows them."
        )

    def quiet(self, chat: Chat, command: Command, now: datetime) -> str:
        """/quiet 22:00-07:00: alerts held, then posted together when the quiet ends."""
        arg = command.args.strip().lower()
        if not arg:
            if chat.quiet:
                return f"Quiet hours: {chat.quiet} ({chat.timezone}). /quiet off ends them."
            return "No quiet hours. Set them with /quiet 22:00-07:00 (in this chat's time zone)."
        if arg in ("off", "none", "no"):
            held = self.store.set_quiet(chat.id, None, now, now)
            sent = " " + _held(held, "now") if held else ""
            return "No more quiet hours: alerts come at any hour." + sent
        try:
            span = parse_quiet(arg)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        until = quiet_until(span, now, self._zone(chat)) or now
        held = self.store.set_quiet(chat.id, span, until, now)
        if held:
            when = "now" if until == now else f"at {self._local(chat, until)}"
            moved = " " + _held(held, when)
        else:
            moved = ""
        return (
            f"Quiet hours {span} ({chat.timezone}, /timezone to change): alerts that come "
            "in then are held and posted together when they end." + moved
        )

    def export(self, chat: Chat, command: Command, now: datetime) -> Reply:
        """/export [json]: the chat's subscriptions as a file to /import elsewhere."""
        subs = self.store.list_subscriptions(chat.id)
        if not subs:
            return Reply("This chat follows nothing yet: there is nothing to export.")
        as_json = command.args.strip().lower() == "json"
        title = chat.title or chat.external_id
        content = (watchlist.to_json if as_json else watchlist.to_text)(subs, title, now)
        name = "readout-watchlist." + ("json" if as_json else "txt")
        return Reply(
            f"This chat's {len(subs)} subscription(s), as a file: /import it in any chat, on "
            f"Telegram or Slack (here: {_import_how(chat)}).",
            file=(name, content.encode("utf-8")),
        )

    def import_(self, chat: Chat, command: Command, now: datetime) -> str:
        """/import followed by a watchlist (pasted, or the file sent with it): each line
        added, already there, or refused with the reason."""
        if not command.args.strip():
            raise CommandError(
                f"Usage: {_import_how(chat)} (a watchlist file from /export, or queries one a line)"
            )
        return self.import_text(chat, command.args, now)

    def import_text(self, chat: Chat, text: str, now: datetime) -> str:
        entries = watchlist.read(text)
        if not entries:
            return "That watchlist is empty: nothing to import."
        lines: dict[str, list[str]] = {"added": [], "already there": [], "refused": []}
        for entry in entries:
            if isinstance(entry, watchlist.BadLine):
                where = f"line {entry.number}" if entry.number else "the file"
                lines["refused"].append(f"refused ({where}): {entry.text} \u2013 {entry.reason}")
                continue
            try:
                node = self._parse(entry.query, now)
                sub, new = self.store.add_subscription(
                    chat.id,
                    entry.query,
                    to_json(node),
                    now,
                    limit=self.limits.max_subscriptions_per_chat,
                )
            except SubscriptionLimitReached as exc:
                lines["refused"].append(
                    f"refused: {entry.query} \u2013 the chat has {exc.count}, the limit"
                )
                continue
            except QueryError as exc:
                lines["refused"].append(f"refused: {entry.query} \u2013 {exc}")
                continue
            if entry.mode is not None:
                self.store.set_subscription_mode(chat.id, sub.id, entry.mode)
            if entry.paused:
                self.store.mute_subscription(chat.id, sub.id, None)
            elif entry.muted_until is not None and entry.muted_until > now:
                self.store.mute_subscription(chat.id, sub.id, entry.muted_until)
            state = "added" if new else "already there"
            lines[state].append(f"{state}: {entry.query}")
        head = ", ".join(f"{len(listed)} {state}" for state, listed in lines.items() if listed)
        # At most IMPORT_LISTED lines of each kind, each cut short: a file of thousands of
        # lines is answered in one message, not a hundred.
        shown = []
        for state, listed in lines.items():
            shown += [_cut(line, 160) for line in listed[:IMPORT_LISTED]]
            if len(listed) > IMPORT_LISTED:
                shown.append(f"\u2026 and {len(listed) - IMPORT_LISTED} more {state}")
        return f"Imported: {head}.\n" + "\n".join(shown)

    def history(self, chat: Chat, command: Command, now: datetime) -> Reply:
        """/history Pakistan Russia [n]: their last n meetings and a chart of 24 months;
        /history Pakistan: with whom it met most in the last 90 days."""
        words = command.args.split()
        count = 10
        if words and words[-1].isdigit():
            count = max(1, min(int(words.pop()), 30))
        if not words:
            raise CommandError(
                "Usage: /history Pakistan Russia [n] (the last n meetings of the two) or "
                "/history Pakistan (with whom it met most lately)"
            )
        sides = self._sides(" ".join(words))
        today = now.astimezone(self._zone(chat)).date()  # months end in the chat's own day
        names = [side_label(s, self.gazetteer) for s in sides]
        plain = [self._plain(s) for s in sides]  # charts: the fonts have no flags
        if len(sides) == 1:
            since = today - timedelta(days=90)
            ranked, met = self.store.counterparts(sides[0], since=since)
            if not ranked:
                return Reply(f"No meetings of {names[0]} stored since {since:%d %b %Y}.")
            title = f"{plain[0]}: meetings by counterpart, last 90 days"
            lines = [f"{names[0]}: with whom it met most in the last 90 days ({_n(met)}):"]
            lines += [
                f"{n}. {side_label(other, self.gazetteer)}: {k}"
                for n, (other, k) in enumerate(ranked, 1)
            ]
            pairs = [(self._plain(o), k) for o, k in ranked]
            return Reply("\n".join(lines), charts.counterparts(pairs, title), title)
        recent = self.store.meetings_between(sides[0], sides[1], limit=count)
        if not recent:
            return Reply(f"No meetings between {names[0]} and {names[1]} are stored yet.")
        start = history.month_start(today - timedelta(days=23 * 31))
        months = history.monthly(self.store.meeting_tallies(*sides, since=start), today)
        title = f"{plain[0]} \u2013 {plain[1]}: meetings per month, last 24 months"
        lines = [f"{names[0]} \u2013 {names[1]}, the last {_n(len(recent))}:"]
        lines += [
            f"{n}. {history.line(m)}" + (f" {link}" if (link := web_link(m.url)) else "")
            for n, m in enumerate(recent, 1)
        ]
        total = sum(m.total for m in months)
        if not total:  # no bars to draw: say so rather than send an empty chart
            lines.append("None of them in the last 24 months, so no chart.")
            return Reply("\n".join(lines))
        lines.append(f"{_n(total)} in the last 24 months (chart).")
        labels = {
            "call": "calls",
            "visit": "visits, host not said",
            "third location": "third location",
        }
        series = [
            (key, labels.get(key) or f"{self._plain(key.removeprefix('hosted:'))} hosted")
            for key in history.series_order(sides)
        ]
        axis = f"months to {today:%d %b %Y} ({chat.timezone})"
        image = charts.meetings_by_month(months, title, series, axis)
        return Reply("\n".join(lines), image, title)

    def _plain(self, side: str) -> str:
        kind, _, code = side.partition(":")
        if kind == "country":
            return self.gazetteer.country_name(code)
        return code  # an organisation's short name: "SCO", "UN"

    def _sides(self, text: str) -> list[str]:
        """One or two countries or organisations, as the watcher names them; a mistake
        gets its own answer, with an example of the right form."""
        example = "e.g. /history Pakistan Russia or /history SCO"
        try:
            node = parse(text, self.gazetteer)
        except QueryError as exc:
            if exc.suggestions:  # "Pakistn": did you mean Pakistan?
                reason = f"did you mean {' or '.join(exc.suggestions)}?"
            else:
                reason = str(exc)
            raise CommandError(
                f"/history: {reason} It takes countries or organisations, {example}"
            ) from None
        terms = [node] if isinstance(node, Term) else list(getattr(node, "children", ()))
        if not isinstance(node, Term | And) or not all(isinstance(t, Term) for t in terms):
            raise CommandError(
                f"/history takes one or two countries or organisations, without OR, NOT or "
                f"brackets: {example}"
            )
        sides: list[str] = []
        for term in terms:
            assert isinstance(term, Term)
            if term.kind == "pair":
                sides += term.value.split("|")
            elif term.kind in ("entity", "side") and term.value.startswith(("country:", "org:")):
                sides.append(term.value)
            else:
                raise CommandError(f"/history: {self._not_a_side(term)}, {example}")
        if len(set(sides)) < len(sides):
            twice = next(s for s in sides if sides.count(s) > 1)
            raise CommandError(
                f"/history: {side_label(twice, self.gazetteer)} is named twice. For its "
                f"meetings with another side name both (/history Pakistan Russia); for its "
                f"counterparts, name it once (/history Pakistan)"
            )
        if len(sides) > 2:
            raise CommandError(
                f"/history takes at most two sides, and {len(sides)} are named: ask of one "
                f"pair at a time, {example}"
            )
        return sides

    def _not_a_side(self, term: Term) -> str:
        """Why `term` is no side of a meeting, in the watcher's words."""
        if term.kind == "person":
            return f"{term.label} is a person: name the country or organisation instead"
        if term.kind == "entity":
            kind = term.value.split(":", 1)[0]
            what = {"place": "a place", "topic": "a topic"}.get(kind, "not a country")
            return f"{term.label} is {what}, not a country or organisation"
        return f"{term.label!r} is no country or organisation I know"

    # -- helpers ---------------------------------------------------------------------------

    def _numbered(self, chat: Chat, arg: str) -> Subscription:
        subs = self.store.list_subscriptions(chat.id)
        if not arg.isdigit() or not 1 <= int(arg) <= len(subs):
            raise CommandError(
                f"No subscription number {arg} here: /subscriptions lists them"
                + (f" (1 to {len(subs)})." if subs else ".")
            )
        return subs[int(arg) - 1]

    def _local(self, chat: Chat, when: datetime) -> str:
        return when.astimezone(self._zone(chat)).strftime(f"%d %b %H:%M {chat.timezone}")

    @staticmethod
    def _zone(chat: Chat) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(chat.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def _seen_people(self, now: datetime) -> list[str]:
        """The people named in the latest stored reports (whom a query may name though the
        record does not know them), read again once `_SEEN_PEOPLE_FOR` has passed."""
        if self._seen is None or not (self._seen[0] <= now < self._seen[0] + _SEEN_PEOPLE_FOR):
            names = [
                person.name
                for stored in self.store.recent_reports(since=None, limit=_RECENT_WINDOW)
                for person in stored.annotations.people
            ]
            self._seen = (now, names)
        return self._seen[1]

    def _stored_matching(
        self, queries: Sequence[Node] | None, limit: int, since: datetime | None = None
    ) -> list[DigestItem]:
        """The latest `limit` meetings any of `queries` match (any when None) among all
        stored reports published since `since`: the candidates the search index gives,
        the latest stored first, evaluated a page at a time until there are `limit`
        meetings or `_SCAN_LIMIT` reports were read; newest first by publication."""
        condition = key_filter(queries) if queries else None
        found: list[DigestItem] = []
        meetings: set[int] = set()
        before: int | None = None
        page = 4 * limit
        read = 0
        while len(meetings) < limit and read < _SCAN_LIMIT:
            size = min(page, _SCAN_LIMIT - read)
            reports = self.store.search_reports(condition, since=since, before=before, limit=size)
            read += len(reports)
            for item in digest.matching(reports, queries):
                found.append(item)
                meetings.add(item.stored.cluster_id or item.stored.id)
            if len(reports) < size:
                break  # no more candidates
            before = reports[-1].id
            page *= 2
        found.sort(key=lambda i: (i.stored.report.published_at, i.stored.id), reverse=True)
        return digest.merged(found, limit)

    def _parse(self, query: str, now: datetime) -> Node:
        return self._read(query, now)[0]

    def _read(self, query: str, now: datetime) -> tuple[Node, list[str]]:
        try:
            return read(
                query,
                self.gazetteer,
                max_length=self.limits.max_query_length,
                seen_people=self._seen_people(now),
            )
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


def _cut(text: str, limit: int) -> str:
    """`text` at most `limit` characters, an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
