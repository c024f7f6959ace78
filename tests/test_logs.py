"""No token in any log line, even inside a library's error message or a traceback."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactSecrets

TOKEN = "123456789:AAE-secret-token-value"


def test_secrets_are_redacted_from_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets([TOKEN, None, "short"]))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.error("GET https://api.telegram.org/bot%s/getMe failed", TOKEN)
        try:
            raise RuntimeError(f"bad url https://api.telegram.org/bot{TOKEN}/getUpdates")
        except RuntimeError:
            log.exception("polling failed")
        log.warning("nothing secret here, and short strings stay: short")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert TOKEN not in text
    assert "https://api.telegram.org/bot***/getMe failed" in text
    assert "bot***/getUpdates" in text and "RuntimeError" in text
    assert "short strings stay: short" in text
