"""Configuration: a frozen dataclass tree, loaded once from TOML (`./readout.toml` or
`--config PATH`), overridden by `READOUT_*` environment variables, validated at load.
Secrets (tokens) come only from the environment. With nothing at all, Readout runs on the
embedded default: SQLite `readout.db` here, the packaged seed reports, the console chat."""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.cluster import ClusterConfig
from bot.errors import ConfigError
from bot.reports import TIERS

if TYPE_CHECKING:
    from bot.sources.outbound import OutboundPolicy

DEFAULT_CONFIG_FILE = Path("readout.toml")


def seed_reports_dir() -> Path:
    """The sample reports shipped with the package (`seeds/reports`)."""
    return Path(str(importlib.resources.files("seeds").joinpath("reports")))


@dataclass(frozen=True)
class FeedConfig:
    """One feed, as `[[sources.feeds]]` in the config."""

    name: str
    url: str
    interval_seconds: float = 900.0
    home_country: str = ""
    tier: str = ""  # official (ministries, presidencies), agency or media
    # Where a catalogue entry's address was copied from ("" for the operator's own feeds):
    # such a feed is unverified until a poll of it succeeds.
    listed_in: str = ""


@dataclass(frozen=True)
class FetchLimits:
    """What one fetch of a feed or page may take (`[sources]` in the config)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_page_fetches: int = 5
    user_agent: str = "Readout/0.1 (meeting-report alerts; +https://github.com/readout)"
    max_redirects: int = 5
    allow_private: tuple[str, ...] = ()  # hosts, addresses, networks off the public internet

    @property
    def policy(self) -> OutboundPolicy:
        # Imported here: aiohttp (0.2 s) is for the worker's fetches, not every command.
        from bot.sources.outbound import OutboundPolicy

        return OutboundPolicy.allowing(self.allow_private)


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///readout.db"


@dataclass(frozen=True)
class SourcesConfig:
    folders: tuple[Path, ...] = ()  # empty: the packaged seed reports (when no feeds either)
    feeds: tuple[FeedConfig, ...] = ()
    poll_seconds: float = 60.0
    max_file_bytes: int = 2_000_000
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0
    max_feed_bytes: int = 5_000_000
    max_page_fetches: int = 5
    # Feeds are fetched from the public internet only; hosts, addresses or networks listed
    # here are allowed although they are not ("feeds.intranet", "10.0.0.0/8").
    allow_private: tuple[str, ...] = ()
    # The publisher's country (ISO alpha-2) for the folders' reports, when one government
    # publishes them all: its officials, named without a country, are that country's.
    home_country: str = ""
    # Who publishes the folders' reports, as alerts name it (else what each report says,
    # or its link's host; never the folder's name), and its tier: official (ministries,
    # presidencies), agency or media.
    outlet: str = ""
    tier: str = ""
    # Feeds of the shipped catalogue to poll (seeds/catalogue/feeds.toml, listed by
    # `readout sources catalogue`): outlets by name, or country:PK, language:ru,
    # tier:agency, all. They join `feeds`, each as unverified until a poll succeeds.
    catalogue: tuple[str, ...] = ()
    # Processes that read (extract) a poll's reports; 1: the worker reads them itself.
    # Each other holds its own gazetteer, about 230 MB (see bot/readers.py).
    readers: int = 1

    def __post_init__(self) -> None:
        if self.tier and self.tier not in TIERS:
            raise ConfigError(f"[sources] tier = {self.tier!r}: use one of {', '.join(TIERS)}")
        if self.readers < 1:
            raise ConfigError(f"[sources] readers = {self.readers}: at least 1")

    def resolved_folders(self) -> tuple[Path, ...]:
        if self.folders or self.feeds:
            return self.folders
        return (seed_reports_dir(),)

    def fetch_limits(self) -> FetchLimits:
        return FetchLimits(
            connect_timeout=self.connect_timeout_seconds,
            read_timeout=self.read_timeout_seconds,
            max_bytes=self.max_feed_bytes,
            max_page_fetches=self.max_page_fetches,
            allow_private=self.allow_private,
        )


@dataclass(frozen=True)
class OutboxConfig:
    drain_seconds: float = 1.0  # also how soon an alert waiting for its chat's turn goes
    batch_size: int = 50
    lease_seconds: float = 15.0  # renewed every third of it while the worker lives
    give_up_after_hours: float = 24.0  # transient errors are retried until the alert is this old
    backoff_seconds: float = 10.0
    backoff_max_seconds: float = 3600.0


@dataclass(frozen=True)
class DigestConfig:
    """When chats in daily or weekly mode (`/mode daily`) get their digest: at `hour` in
    the chat's own time zone (`/timezone`, UTC by default)."""

    hour: int = 7
    weekly_day: int = 0  # 0 is Monday

    def __post_init__(self) -> None:
        if not 0 <= self.hour <= 23:
            raise ConfigError(f"[digests] hour = {self.hour}: use 0 to 23")
        if not 0 <= self.weekly_day <= 6:
            raise ConfigError(f"[digests] weekly_day = {self.weekly_day}: use 0 (Monday) to 6")


@dataclass(frozen=True)
class LimitsConfig:
    max_subscriptions_per_chat: int = 50
    max_query_length: int = 200
    latest_default: int = 5
    latest_max: int = 20
    search_results: int = 10


@dataclass(frozen=True)
class ConsoleConfig:
    chat_id: str = "local"


@dataclass(frozen=True)
class TelegramConfig:
    # The Bot API endpoint; python-telegram-bot appends the token. A self-hosted Bot API
    # server: "http://botapi.internal:8081/bot".
    base_url: str = "https://api.telegram.org/bot"
    mode: str = "polling"  # or "webhook" (behind a load balancer; needs webhook_url)
    webhook_url: str = ""  # public https URL that reaches /telegram/webhook on this worker
    link_previews: bool = False

    def __post_init__(self) -> None:
        if self.mode not in ("polling", "webhook"):
            raise ConfigError(f"[telegram] mode = {self.mode!r}: use 'polling' or 'webhook'")

    def check(self) -> None:
        """What a worker with a Telegram token needs (without one, Telegram is off and the
        mode says nothing: one compose file serves Slack-only deployments too)."""
        if self.mode == "webhook" and not self.webhook_url.startswith("https://"):
            raise ConfigError(
                "[telegram] mode = 'webhook' needs webhook_url, the public https:// URL of "
                "this worker's /telegram/webhook (READOUT_TELEGRAM_WEBHOOK_URL)"
            )


@dataclass(frozen=True)
class SlackConfig:
    # Slack's Web API; another deployment (GovSlack) or a proxy. Keep the trailing slash.
    api_url: str = "https://slack.com/api/"

    def __post_init__(self) -> None:
        if not self.api_url.endswith("/"):
            raise ConfigError(f"[slack] api_url = {self.api_url!r} must end with '/'")


@dataclass(frozen=True)
class WebhookConfig:
    """`POST /reports`, served when READOUT_WEBHOOK_TOKEN is set."""

    max_bytes: int = 1_000_000


@dataclass(frozen=True)
class HttpConfig:
    """The worker's one HTTP server: /healthz and /metrics always, and the inbound routes
    (webhooks) when configured."""

    host: str = "127.0.0.1"
    port: int = 8080

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:  # 0: any free port (tests)
            raise ConfigError(f"[http] port = {self.port}: use 1 to 65535")
        if not self.host.strip():
            raise ConfigError("[http] host is empty: 127.0.0.1 (this machine) or 0.0.0.0 (all)")


@dataclass(frozen=True)
class Secrets:
    """Tokens, from the environment only; never logged (repr hides them)."""

    telegram_token: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    webhook_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig = DatabaseConfig()
    sources: SourcesConfig = SourcesConfig()
    outbox: OutboxConfig = OutboxConfig()
    limits: LimitsConfig = LimitsConfig()
    digests: DigestConfig = DigestConfig()
    console: ConsoleConfig = ConsoleConfig()
    telegram: TelegramConfig = TelegramConfig()
    slack: SlackConfig = SlackConfig()
    http: HttpConfig = HttpConfig()
    webhook: WebhookConfig = WebhookConfig()
    clustering: ClusterConfig = field(default_factory=ClusterConfig)
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object a line, for log shippers
    secrets: Secrets = Secrets()


# environment variable -> (section, key); section "" is the top level
ENVIRONMENT = {
    "READOUT_DATABASE_URL": ("database", "url"),
    "READOUT_SOURCES_FOLDERS": ("sources", "folders"),
    "READOUT_SOURCES_ALLOW_PRIVATE": ("sources", "allow_private"),
    "READOUT_POLL_SECONDS": ("sources", "poll_seconds"),
    "READOUT_READERS": ("sources", "readers"),
    "READOUT_DRAIN_SECONDS": ("outbox", "drain_seconds"),
    "READOUT_LOG_LEVEL": ("", "log_level"),
    "READOUT_LOG_FORMAT": ("", "log_format"),
    "READOUT_TELEGRAM_BASE_URL": ("telegram", "base_url"),
    "READOUT_TELEGRAM_MODE": ("telegram", "mode"),
    "READOUT_TELEGRAM_WEBHOOK_URL": ("telegram", "webhook_url"),
    "READOUT_SLACK_API_URL": ("slack", "api_url"),
    "READOUT_HTTP_HOST": ("http", "host"),
    "READOUT_HTTP_PORT": ("http", "port"),
}
SECRETS = {
    "READOUT_TELEGRAM_TOKEN": "telegram_token",
    "READOUT_SLACK_BOT_TOKEN": "slack_bot_token",
    "READOUT_SLACK_APP_TOKEN": "slack_app_token",
    "READOUT_SLACK_SIGNING_SECRET": "slack_signing_secret",
    "READOUT_WEBHOOK_TOKEN": "webhook_token",
}
_SECTIONS: dict[str, type[Any]] = {
    "database": DatabaseConfig,
    "sources": SourcesConfig,
    "outbox": OutboxConfig,
    "limits": LimitsConfig,
    "digests": DigestConfig,
    "console": ConsoleConfig,
    "telegram": TelegramConfig,
    "slack": SlackConfig,
    "http": HttpConfig,
    "webhook": WebhookConfig,
    "clustering": ClusterConfig,
}
# The top-level settings, each one of these words (any case).
_TOP_CHOICES = {
    "log_level": ("DEBUG", "INFO", "WARNING", "ERROR"),
    "log_format": ("text", "json"),
}


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read `path` (or ./readout.toml when it exists), then apply the environment."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    source = "defaults"
    if path is None and DEFAULT_CONFIG_FILE.is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist: pass --config with a TOML file")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        source = str(path)
    origins: dict[tuple[str, str], str] = {}  # (section, key) -> the variable that set it
    for name, (section, key) in environment_names().items():
        if name in env and env[name] != "":
            target = data.setdefault(section, {}) if section else data
            value: Any = env[name]
            if (section, key) == ("sources", "feeds"):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"{name} is not JSON: {exc}") from None
            target[key] = value
            origins[section, key] = name
    if env.get(FEEDS_FILE):
        data.setdefault("sources", {})["feeds"] = _feeds_file(Path(env[FEEDS_FILE]))
        origins["sources", "feeds"] = f"{FEEDS_FILE} ({env[FEEDS_FILE]})"
    for word in ("token", "secret"):
        _refuse_secrets_in_file(data, word, source)
    config = _build(data, source, origins)
    secrets = Secrets(**{attr: env.get(var) or None for var, attr in SECRETS.items()})
    if secrets.telegram_token:
        config.telegram.check()
    return replace(config, secrets=secrets)


FEEDS_FILE = "READOUT_SOURCES_FEEDS_FILE"


def _feeds_file(path: Path) -> Any:
    """The feeds of READOUT_SOURCES_FEEDS_FILE: a JSON list of feeds, or TOML with
    `[[feeds]]` (or `[[sources.feeds]]`) tables; it replaces the config file's feeds."""
    where = f"{FEEDS_FILE} ({path})"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where} cannot be read: {exc}") from None
    if text.lstrip().startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass  # "[[feeds]]" is TOML
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is neither a JSON list nor TOML: {exc}") from None
    feeds = data.get("feeds", data.get("sources", {}).get("feeds"))
    if feeds is None:
        raise ConfigError(f"{where} has no [[feeds]] tables")
    return feeds


def _refuse_secrets_in_file(data: dict[str, Any], word: str, source: str) -> None:
    for section, values in data.items():
        if isinstance(values, dict):
            for key in values:
                if word in key:
                    raise ConfigError(
                        f"[{section}] {key} in {source}: tokens and secrets are read only from "
                        "the environment (READOUT_TELEGRAM_TOKEN, READOUT_SLACK_BOT_TOKEN, ...)"
                    )


def environment_names() -> dict[str, tuple[str, str]]:
    """Every setting's environment variable: the names above, and READOUT_<SECTION>_<KEY>
    for each of the others (READOUT_OUTBOX_BATCH_SIZE, READOUT_SOURCES_FEEDS as JSON)."""
    names = dict(ENVIRONMENT)
    named = set(names.values())
    for section, cls in _SECTIONS.items():
        for spec in fields(cls):
            if (section, spec.name) not in named:
                names[f"READOUT_{section.upper()}_{spec.name.upper()}"] = (section, spec.name)
    return names


def _build(
    data: dict[str, Any], source: str, origins: Mapping[tuple[str, str], str] | None = None
) -> Config:
    """The config from `data`; an error names the file, or the environment variable, that
    gave the value (`origins`)."""
    origins = origins or {}
    top: dict[str, Any] = {}
    for key, value in data.items():
        where = origins.get(("", key), source)
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] in {source} must be a table")
            top[key] = _section(key, _SECTIONS[key], value, source, origins)
        elif key in _TOP_CHOICES:
            allowed = _TOP_CHOICES[key]
            chosen = next((a for a in allowed if a.lower() == str(value).lower()), None)
            if chosen is None:
                raise ConfigError(f"{key} {value!r} in {where}: use one of {', '.join(allowed)}")
            top[key] = chosen
        else:
            known = ", ".join([*_SECTIONS, *_TOP_CHOICES])
            raise ConfigError(f"unknown setting {key!r} in {source}: known ones are {known}")
    return Config(**top)


def _section(
    name: str,
    cls: type[Any],
    values: dict[str, Any],
    source: str,
    origins: Mapping[tuple[str, str], str],
) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = origins.get((name, key), source)
        if key not in known:
            raise ConfigError(
                f"unknown setting [{name}] {key} in {source}: known ones are {', '.join(known)}"
            )
        if name == "sources" and key == "feeds":
            kwargs[key] = _feeds(value, where)
            continue
        if name == "sources" and key in ("allow_private", "catalogue"):
            items = value.split(",") if isinstance(value, str) else value
            if not isinstance(items, list | tuple):
                raise ConfigError(f"[sources] {key} in {where} must be a list")
            kwargs[key] = tuple(str(item).strip() for item in items if str(item).strip())
            continue
        default = getattr(cls(), key)
        kwargs[key] = _coerce(f"[{name}] {key}", value, default, where)
        if key == "home_country" and kwargs[key]:
            kwargs[key] = _country(f"[{name}] {key}", kwargs[key], where)
        if (name, key) in _URLS and kwargs[key]:
            _url(f"[{name}] {key}", kwargs[key], where, _URLS[name, key])
        if (name, key) == ("database", "url"):
            _database_url(kwargs[key], where)
    if name == "sources" and kwargs.get("catalogue"):
        try:
            kwargs["feeds"] = _with_catalogue(kwargs.get("feeds", ()), kwargs["catalogue"])
        except ConfigError as exc:
            where = origins.get((name, "catalogue"), source)
            raise ConfigError(f"{exc} (in {where})") from None
    try:
        return cls(**kwargs)
    except ConfigError as exc:  # a check of the section itself: say where its values came from
        named = sorted({origins[name, key] for key in values if (name, key) in origins})
        raise ConfigError(f"{exc} (set by {', '.join(named)})" if named else str(exc)) from None


def _with_catalogue(
    feeds: tuple[FeedConfig, ...], wanted: tuple[str, ...]
) -> tuple[FeedConfig, ...]:
    """The configured feeds, then the catalogue's entries `wanted` names (one the operator
    configured already, by address or by name, is theirs)."""
    from bot.sources import catalogue

    own = {f.url for f in feeds} | {f.name for f in feeds}
    return feeds + tuple(
        FeedConfig(
            entry.name,
            entry.url,
            home_country=entry.home_country,
            tier=entry.tier,
            listed_in=entry.listed_in,
        )
        for entry in catalogue.select(wanted)
        if entry.url not in own and entry.name not in own
    )


def _feeds(value: Any, source: str) -> tuple[FeedConfig, ...]:
    """`[[sources.feeds]]` tables: name, url, and optionally interval_seconds, home_country."""
    if not isinstance(value, list):
        raise ConfigError(f"[[sources.feeds]] in {source} must be a list of tables")
    feeds: list[FeedConfig] = []
    names: set[str] = set()
    for index, item in enumerate(value, start=1):
        where = f"feed {index} in {source}"
        if not isinstance(item, dict) or not item.get("url"):
            raise ConfigError(f"{where}: each [[sources.feeds]] needs a url")
        unknown = set(item) - {"name", "url", "interval_seconds", "home_country", "tier"}
        if unknown:
            raise ConfigError(f"{where}: unknown setting(s) {sorted(unknown)}")
        url = str(item["url"])
        _url("url", url, where, ("http", "https"))
        name = str(item.get("name") or url)
        if name in names:
            raise ConfigError(f"{where}: another feed is already named {name!r}")
        names.add(name)
        interval = _coerce(
            f"{where}: interval_seconds", item.get("interval_seconds", 900.0), 900.0, source
        )
        tier = str(item.get("tier") or "")
        if tier and tier not in TIERS:
            raise ConfigError(f"{where}: tier {tier!r} must be one of {', '.join(TIERS)}")
        home = str(item.get("home_country") or "")
        home = _country(f"{where}: home_country", home, source) if home else ""
        feeds.append(FeedConfig(name, url, interval, home, tier))
    return tuple(feeds)


# Settings that are web addresses, and the schemes each may use.
_URLS: dict[tuple[str, str], tuple[str, ...]] = {
    ("telegram", "base_url"): ("http", "https"),
    ("telegram", "webhook_url"): ("https",),  # Telegram calls webhooks over https only
    ("slack", "api_url"): ("http", "https"),
}


def _url(label: str, value: str, source: str, schemes: tuple[str, ...]) -> None:
    """A web address with one of `schemes` and a host; anything else names the setting."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes or not parts.hostname or " " in value:
        need = " or ".join(f"{scheme}://" for scheme in schemes)
        raise ConfigError(f"{label} = {value!r} in {source}: not a web address ({need}host/...)")


_DATABASE = re.compile(r"(sqlite|postgresql)(\+\w+)?://", re.IGNORECASE)


def _database_url(value: str, source: str) -> None:
    if not _DATABASE.match(value):
        raise ConfigError(
            f"[database] url = {_masked(value)!r} in {source}: use sqlite:///path/readout.db or "
            "postgresql+psycopg://user@host:5432/readout"
        )


def _masked(url: str) -> str:
    """`url` without the password it may hold."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def _country(label: str, code: str, source: str) -> str:
    """An ISO 3166 two-letter code, upper case ("pk" is PK); anything else is refused."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code.strip().upper())
    if found is None:
        raise ConfigError(
            f"{label} = {code!r} in {source}: not a country's two-letter ISO code (PK, RU, ...)"
        )
    return str(found.alpha_2)


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _coerce(label: str, value: Any, default: Any, source: str) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            word = str(value).strip().lower()
            if word in _TRUE or word in _FALSE:
                return word in _TRUE
            raise ValueError("write true or false")
        if isinstance(default, int):
            count = int(value)
            if count < 0:
                raise ValueError("must not be negative")
            return count
        if isinstance(default, float):
            seconds = float(value)
            if seconds <= 0:
                raise ValueError("must be positive")
            return seconds
        if isinstance(default, tuple):
            items = value.split(os.pathsep) if isinstance(value, str) else list(value)
            return tuple(Path(str(item)).expanduser() for item in items if str(item))
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{label} = {value!r} in {source}: {exc}") from exc


def describe(config: Config) -> str:
    """The effective configuration as TOML (what `readout config check` prints): every
    section and setting with the value in force, secrets shown only as set or not."""
    lines = [f"{key} = {_toml(getattr(config, key))}" for key in _TOP_CHOICES]
    for section in _SECTIONS:
        values = getattr(config, section)
        lines += ["", f"[{section}]"]
        for spec in fields(values):
            value = getattr(values, spec.name)
            if (section, spec.name) == ("sources", "feeds"):
                continue  # below, one table each
            if (section, spec.name) == ("database", "url"):  # a password stays out
                value = _masked(str(value))
            lines.append(f"{spec.name} = {_toml(value)}")
    for feed in config.sources.feeds:
        lines += ["", "[[sources.feeds]]"]
        lines += [f"{spec.name} = {_toml(getattr(feed, spec.name))}" for spec in fields(feed)]
    lines += ["", "# secrets (environment only)"]
    for variable, attribute in SECRETS.items():
        state = "set" if getattr(config.secrets, attribute) else "not set"
        lines.append(f"# {variable}: {state}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string
