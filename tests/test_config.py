"""Configuration: defaults, the TOML file, environment overrides, helpful errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, load_config, seed_reports_dir
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_the_embedded_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    assert config == Config()
    assert config.database.url == "sqlite:///readout.db"
    assert config.sources.resolved_folders() == (seed_reports_dir(),)
    assert (seed_reports_dir() / "000_6ef0b7c9eee25884.txt").is_file()


def test_example_config_loads_and_matches_defaults() -> None:
    config = load_config(ROOT / "config.example.toml", env={})
    assert config.outbox == Config().outbox
    assert config.limits == Config().limits
    assert config.database == Config().database


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "readout.toml"
    path.write_text(
        'log_level = "debug"\n[database]\nurl = "sqlite:///x.db"\n'
        '[sources]\nfolders = ["/srv/reports"]\npoll_seconds = 30\n'
    )
    env = {
        "READOUT_DATABASE_URL": "postgresql+psycopg://u@db/readout",
        "READOUT_POLL_SECONDS": "15",
        "READOUT_READERS": "2",
        "READOUT_TELEGRAM_TOKEN": "123:abc",
    }
    config = load_config(path, env=env)
    assert config.log_level == "DEBUG"
    assert config.database.url == "postgresql+psycopg://u@db/readout"
    assert config.sources.folders == (Path("/srv/reports"),)
    assert config.sources.poll_seconds == 15.0
    assert config.sources.readers == 2
    assert config.secrets.telegram_token == "123:abc"
    assert "123:abc" not in repr(config)


def test_readout_toml_in_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "readout.toml").write_text("[outbox]\ndrain_seconds = 2.5\n")
    assert load_config(env={}).outbox.drain_seconds == 2.5


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param("[database]\nuri = 'x'\n", "unknown setting [database] uri", id="typo"),
        pytest.param("[outbox]\nbatch_size = 'many'\n", "batch_size = 'many'", id="type"),
        pytest.param("[outbox]\ndrain_seconds = 0\n", "must be positive", id="range"),
        pytest.param("[telegram]\ntoken = 'x'\n", "read only from the environment", id="secret"),
        pytest.param("colour = 'red'\n", "unknown setting 'colour'", id="top-level"),
        pytest.param("log_level = 'loud'\n", "use one of DEBUG", id="log-level"),
        pytest.param("[database\n", "not valid TOML", id="syntax"),
        pytest.param("[sources]\nreaders = 0\n", "readers = 0: at least 1", id="readers"),
    ],
)
def test_errors_name_the_setting(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(path, env={})


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", env={})


def test_feeds_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "readout.toml"
    path.write_text(
        '[[sources.feeds]]\nname = "MFA"\nurl = "https://mfa.example/rss"\n'
        'interval_seconds = 300\nhome_country = "PK"\n'
        '[[sources.feeds]]\nurl = "https://un.example/atom"\n'
    )
    config = load_config(path, env={})
    first, second = config.sources.feeds
    assert (first.name, first.url, first.interval_seconds, first.home_country) == (
        "MFA",
        "https://mfa.example/rss",
        300.0,
        "PK",
    )
    assert second.name == "https://un.example/atom"
    assert config.sources.resolved_folders() == ()  # feeds configured: no seed folder


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param('[[sources.feeds]]\nname = "x"\n', "needs a url", id="no-url"),
        pytest.param('[[sources.feeds]]\nurl = "ftp://x"\n', "not a web address", id="scheme"),
        pytest.param('[[sources.feeds]]\nurl = "https://x"\nevery = 3\n', "unknown", id="key"),
        pytest.param('[[sources.feeds]]\nurl = "https://x"\ntier = "blog"\n', "tier", id="tier"),
        pytest.param('[sources]\ntier = "press"\n', "official, agency, media", id="folder-tier"),
    ],
)
def test_feed_errors(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={})


def test_telegram_webhook_mode_needs_its_url_only_with_a_token() -> None:
    from bot.config import load_config

    env = {"READOUT_TELEGRAM_MODE": "webhook"}
    assert load_config(None, env).telegram.mode == "webhook"  # Telegram is off: no matter
    with pytest.raises(ConfigError, match="needs webhook_url"):
        load_config(None, {**env, "READOUT_TELEGRAM_TOKEN": "123456:ABCDEFGHIJ"})


def test_every_setting_has_a_variable_and_an_error_names_it() -> None:
    from bot.config import environment_names, load_config

    feeds = '[{"name": "Dawn", "url": "https://www.dawn.com/feeds/home", "home_country": "pk"}]'
    config = load_config(
        None,
        {
            "READOUT_OUTBOX_BATCH_SIZE": "7",
            "READOUT_TELEGRAM_LINK_PREVIEWS": "yes",
            "READOUT_SOURCES_FEEDS": feeds,
        },
    )
    assert config.outbox.batch_size == 7 and config.telegram.link_previews is True
    assert [(f.name, f.home_country) for f in config.sources.feeds] == [("Dawn", "PK")]
    assert {"READOUT_LIMITS_MAX_SUBSCRIPTIONS_PER_CHAT", "READOUT_HTTP_PORT"} <= set(
        environment_names()
    )
    with pytest.raises(ConfigError, match=r"\[outbox\] batch_size = 'many' in READOUT_OUTBOX"):
        load_config(None, {"READOUT_OUTBOX_BATCH_SIZE": "many"})
    with pytest.raises(ConfigError, match=r"link_previews = 'maybe' .*write true or false"):
        load_config(None, {"READOUT_TELEGRAM_LINK_PREVIEWS": "maybe"})
    with pytest.raises(ConfigError, match=r"home_country = 'Narnia'.*two-letter ISO code"):
        load_config(None, {"READOUT_SOURCES_HOME_COUNTRY": "Narnia"})
    with pytest.raises(ConfigError, match="READOUT_SOURCES_FEEDS is not JSON"):
        load_config(None, {"READOUT_SOURCES_FEEDS": "[{"})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(
            {"READOUT_TELEGRAM_WEBHOOK_URL": "http://bot.example/telegram/webhook"},
            r"webhook_url = 'http://bot.example/telegram/webhook' in READOUT_TELEGRAM_WEBHOOK_URL: "
            r"not a web address \(https://host",
            id="webhook-not-https",
        ),
        pytest.param(
            {"READOUT_TELEGRAM_BASE_URL": "api.telegram.org/bot"},
            r"\[telegram\] base_url = 'api.telegram.org/bot'",
            id="no-scheme",
        ),
        pytest.param(
            {"READOUT_SLACK_API_URL": "https:///api/"}, r"\[slack\] api_url", id="no-host"
        ),
        pytest.param(
            {"READOUT_DATABASE_URL": "mysql://root:hunter2@db/readout"},
            r"url = 'mysql://root:\*\*\*@db/readout' in READOUT_DATABASE_URL: use sqlite",
            id="database-password-masked",
        ),
        pytest.param({"READOUT_HTTP_PORT": "80800"}, r"port = 80800: use 1 to 65535", id="port"),
        pytest.param(
            {"READOUT_SOURCES_FEEDS": '[{"url": "https://"}]'},
            r"url = 'https://' in feed 1 in READOUT_SOURCES_FEEDS: not a web address",
            id="feed-no-host",
        ),
    ],
)
def test_addresses_are_checked_and_the_error_names_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(None, env)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(
            "feeds.json",
            '[{"name": "Dawn", "url": "https://www.dawn.com/feeds/home", "tier": "media"}]',
            id="json",
        ),
        pytest.param(
            "feeds.toml",
            '[[feeds]]\nname = "Dawn"\nurl = "https://www.dawn.com/feeds/home"\ntier = "media"\n',
            id="toml",
        ),
    ],
)
def test_feeds_from_a_file_named_by_the_environment(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    config = load_config(None, {"READOUT_SOURCES_FEEDS_FILE": str(path)})
    assert [(f.name, f.url, f.tier) for f in config.sources.feeds] == [
        ("Dawn", "https://www.dawn.com/feeds/home", "media")
    ]


def test_a_bad_feeds_file_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    with pytest.raises(ConfigError, match=f"READOUT_SOURCES_FEEDS_FILE \\({missing}\\) cannot"):
        load_config(None, {"READOUT_SOURCES_FEEDS_FILE": str(missing)})
    wrong = tmp_path / "feeds.json"
    wrong.write_text('[{"url": "ftp://x"}]')
    with pytest.raises(ConfigError, match=r"in feed 1 in READOUT_SOURCES_FEEDS_FILE .*feeds.json"):
        load_config(None, {"READOUT_SOURCES_FEEDS_FILE": str(wrong)})
    empty = tmp_path / "feeds.toml"
    empty.write_text("title = 'mine'\n")
    with pytest.raises(ConfigError, match=r"has no \[\[feeds\]\] tables"):
        load_config(None, {"READOUT_SOURCES_FEEDS_FILE": str(empty)})
