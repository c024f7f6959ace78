"""Logging set-up: plain text or one JSON object a line (for log shippers), quiet HTTP
clients, and no secret ever in a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's final message with `***` (the Telegram API URL
    carries the bot token; a library may put it in an error message)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = message
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "***")
        if cleaned != message or record.exc_info:
            if record.exc_info:
                text = logging.Formatter().formatException(record.exc_info)
                for secret in self.secrets:
                    text = text.replace(secret, "***")
                cleaned = f"{cleaned}\n{text}"
                record.exc_info = None
                record.exc_text = None
            record.msg, record.args = cleaned, None
        return True


def configure(level: int, secrets: Iterable[str | None], *, json: bool = False) -> None:
    """The root logger's one handler (stderr): `json` writes each record as one object
    with its time, level, logger and message, and any `extra=` context (python-json-logger),
    secrets redacted the same way."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
        if json:
            from pythonjsonlogger.json import JsonFormatter

            handler.setFormatter(
                JsonFormatter(
                    "%(asctime)s %(levelname)s %(name)s %(message)s",
                    rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                )
            )
    # HTTP clients log request URLs, and the Telegram API URL contains the bot token.
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
