"""`POST /reports`: reports pushed to the worker's HTTP server, as JSON
(`title`, `body`, `url`, `published_at`, `source`, `home_country`) or plain text, guarded by
a bearer token (READOUT_WEBHOOK_TOKEN): 401 without it, 413 over the size limit, 422 with a
message on invalid input, 202 with the report id when accepted."""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.pipeline import Ingested
from bot.reports import MAX_URL, TIERS, RawDocument

PATH = "/reports"


class ReportWebhook:
    def __init__(
        self, token: str, max_bytes: int, ingest: Callable[[RawDocument], Ingested]
    ) -> None:
        self.token = token
        self.max_bytes = max_bytes
        self.ingest = ingest  # blocking (parsing, SQL): run in a thread

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            return _error(
                401,
                "missing or wrong bearer token: send Authorization: Bearer <READOUT_WEBHOOK_TOKEN>",
            )
        if request.content_length is not None and request.content_length > self.max_bytes:
            return _error(413, f"the report is over the {self.max_bytes} byte limit")
        # Read to the end, whatever the transfer encoding: a chunked upload over the limit
        # is refused, and nothing under it is ever cut short.
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.content.iter_chunked(65536):
            size += len(chunk)
            if size > self.max_bytes:
                return _error(413, f"the report is over the {self.max_bytes} byte limit")
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            raw = parse_request(body, request.content_type)
        except ValueError as exc:
            return _error(422, str(exc))
        result = await asyncio.to_thread(self.ingest, raw)
        if result.report_id is None:
            return web.json_response({"status": "duplicate", "id": None}, status=202)
        status = "clustered" if result.joined_cluster else "ingested"
        return web.json_response(
            {
                "status": status,
                "id": result.report_id,
                "alerts": result.chats,
                "cluster": result.cluster_id,
                "warnings": list(result.warnings),
            },
            status=202,
        )


def parse_request(body: bytes, content_type: str) -> RawDocument:
    """The raw document a request carries; ValueError says what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8 (invalid byte at offset {exc.start})") from exc
    if content_type != "application/json":
        if not text.strip():
            raise ValueError("the body is empty: send the report's text")
        return RawDocument(text=text, source="webhook")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:
        raise ValueError("malformed JSON: nested too deeply") from exc
    if not isinstance(data, dict):
        raise ValueError('send one JSON object: {"title", "body", "url", ...}')
    body_text = data.get("body")
    if not isinstance(body_text, str) or not body_text.strip():
        raise ValueError('"body" is required and must be a non-empty string')
    for key in ("title", "url", "source", "outlet", "tier", "published_at", "home_country"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f'"{key}" must be a string')
    published = None
    if data.get("published_at"):
        try:
            published = datetime.fromisoformat(data["published_at"])
        except ValueError as exc:
            raise ValueError(f'"published_at" is not ISO 8601: {data["published_at"]!r}') from exc
    url = data.get("url")
    if url is not None and len(url) > MAX_URL:
        raise ValueError(f'"url" is longer than {MAX_URL} characters')
    home = data.get("home_country")
    if home is not None and (len(home) != 2 or not home.isalpha()):
        raise ValueError('"home_country" must be an ISO 3166 alpha-2 code such as "PK"')
    tier = data.get("tier")
    if tier is not None and tier not in TIERS:
        raise ValueError(f'"tier" must be one of {", ".join(TIERS)}')
    return RawDocument(
        text=body_text,
        source=data.get("source") or "webhook",
        outlet=data.get("outlet") or data.get("source"),
        tier=tier,
        title=data.get("title"),
        url=url,
        published_at=published,
        home_country=home,
    )


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
