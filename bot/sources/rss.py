"""RSS 0.9x/1.0/2.0 and Atom feeds: fetched over HTTP with conditional GET, timeouts and a
size limit, parsed with feedparser; a teaser entry's page is fetched (a bounded number per
poll) and its main text extracted with trafilatura. Each feed remembers its validators,
its health and the entries it handed over; a failing feed backs off and never stops others.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import aiohttp
import feedparser

from bot.config import FeedConfig, FetchLimits
from bot.errors import SourceError
from bot.models import SourceState, outlet_name
from bot.ports import SourceStore
from bot.reports import RawDocument
from bot.sources.folder import html_to_text
from bot.sources.outbound import NotPublic

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
_TEASER_CHARS = 500
_TEASER_ENDINGS = ("...", "\u2026", "[\u2026]", "[...]", "read more", "continue reading")


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class FeedEntry:
    key: str
    title: str
    link: str | None
    text: str
    published: datetime | None

    @property
    def is_teaser(self) -> bool:
        text = self.text.strip().lower()
        return bool(self.link) and (len(text) < _TEASER_CHARS or text.endswith(_TEASER_ENDINGS))


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    limits: FetchLimits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url` within the limits; raises SourceError saying what went wrong."""
    headers = {"User-Agent": limits.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(
        total=limits.connect_timeout + limits.read_timeout * 2,
        sock_connect=limits.connect_timeout,
        sock_read=limits.read_timeout,
    )
    policy = limits.policy
    current = url
    try:
        for _hop in range(limits.max_redirects + 1):
            # Each hop is checked: a redirect to 127.0.0.1 is refused like a feed there.
            policy.check_url(current)
            async with session.get(
                current, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise SourceError(f"HTTP {response.status} without a Location", url)
                    current = urljoin(current, location)
                    continue
                return await _read(response, url, limits, etag, last_modified)
        raise SourceError(f"more than {limits.max_redirects} redirects", url)
    except NotPublic as exc:
        raise SourceError(str(exc), url) from exc
    except TimeoutError as exc:
        raise SourceError(f"timed out after {limits.read_timeout:g}s", url) from exc
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, NotPublic):  # refused where the name was resolved
            raise SourceError(str(exc.os_error), url) from exc
        raise SourceError(f"cannot fetch: {exc}", url) from exc
    except aiohttp.ClientError as exc:
        raise SourceError(f"cannot fetch: {exc}", url) from exc


async def _read(
    response: aiohttp.ClientResponse,
    url: str,
    limits: FetchLimits,
    etag: str | None,
    last_modified: str | None,
) -> Fetched:
    if response.status == 304:
        return Fetched(304, b"", etag, last_modified)
    if response.status >= 400:
        raise SourceError(f"HTTP {response.status} {response.reason or ''}".strip(), url)
    declared = response.content_length
    if declared is not None and declared > limits.max_bytes:
        raise SourceError(_too_large(declared, limits), url)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > limits.max_bytes:
            raise SourceError(_too_large(size, limits), url)
        chunks.append(chunk)
    return Fetched(
        response.status,
        b"".join(chunks),
        response.headers.get("ETag"),
        response.headers.get("Last-Modified"),
    )


def _too_large(size: int, limits: FetchLimits) -> str:
    return f"response too large: over {limits.max_bytes / 1e6:.1f} MB (read {size / 1e6:.1f} MB)"


def parse_feed(body: bytes, url: str) -> tuple[str, list[FeedEntry]]:
    """The feed's title ("" when it has none) and entries; raises SourceError when it is
    not a feed at all."""
    parsed: Any = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None) or "not RSS or Atom"
        raise SourceError(f"malformed feed: {reason}", url)
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        title = (item.get("title") or "").strip()
        content = item.get("content") or []
        html = content[0].get("value", "") if content else item.get("summary", "")
        text = html_to_text(html) if "<" in (html or "") else (html or "").strip()
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        key = item.get("id") or link or hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
        entries.append(FeedEntry(str(key), title, link, text, published))
    return " ".join(str(parsed.feed.get("title") or "").split()), entries


def extract_page(html: bytes) -> str:
    """The main text of an article page (trafilatura; our plain extractor as a fallback)."""
    import trafilatura  # heavy (lxml, justext): loaded when a teaser's page is first read

    text = trafilatura.extract(html.decode("utf-8", errors="replace"), include_comments=False)
    return text or html_to_text(html.decode("utf-8", errors="replace"))


class RssSource:
    """One feed. `poll` never raises: a failure is recorded and backed off."""

    kind = "rss"

    def __init__(self, feed: FeedConfig, store: SourceStore, limits: FetchLimits) -> None:
        self.feed = feed
        self.store = store
        self.limits = limits

    @property
    def name(self) -> str:
        return self.feed.name

    def state(self) -> SourceState:
        return self.store.source_state(self.name) or SourceState(self.name, "rss", self.feed.url)

    def due(self, now: datetime) -> bool:
        state = self.state()
        return state.next_poll_at is None or state.next_poll_at <= now

    async def poll(self, session: aiohttp.ClientSession, now: datetime) -> list[RawDocument]:
        """New entries as raw documents; the feed's state is saved either way."""
        state = await asyncio.to_thread(self.state)
        try:
            fetched = await fetch(
                session,
                self.feed.url,
                self.limits,
                etag=state.etag,
                last_modified=state.last_modified,
            )
            documents: list[RawDocument] = []
            if fetched.status != 304:
                documents = await self._documents(session, fetched.body)
        except SourceError as exc:
            failures = state.failures + 1
            wait = min(timedelta(seconds=self.feed.interval_seconds * 2**failures), MAX_BACKOFF)
            log.warning(
                "feed %s failed (%d in a row): %s; next try in %s", self.name, failures, exc, wait
            )
            await asyncio.to_thread(
                self.store.save_source_state,
                replace(
                    state,
                    location=self.feed.url,
                    last_poll_at=now,
                    next_poll_at=now + wait,
                    status="error",
                    failures=failures,
                    last_error=str(exc),
                ),
            )
            return []
        await asyncio.to_thread(
            self.store.save_source_state,
            replace(
                state,
                location=self.feed.url,
                etag=fetched.etag or state.etag,
                last_modified=fetched.last_modified or state.last_modified,
                last_poll_at=now,
                next_poll_at=now + timedelta(seconds=self.feed.interval_seconds),
                status="ok",
                failures=0,
                last_error=None,
                entries_seen=state.entries_seen + len(documents),
            ),
        )
        return documents

    async def _documents(self, session: aiohttp.ClientSession, body: bytes) -> list[RawDocument]:
        title, entries = parse_feed(body, self.feed.url)
        unseen = await asyncio.to_thread(
            self.store.unseen_entries, self.name, [e.key for e in entries]
        )
        fresh = [e for e in entries if e.key in unseen]
        outlet = feed_outlet(self.feed, title)
        return await entries_to_documents(session, fresh, self.feed, self.limits, outlet)


def feed_outlet(feed: FeedConfig, title: str) -> str:
    """The outlet of a feed's reports: its configured name, else the feed's own title,
    else its host (a name defaults to the URL, which is no outlet's name)."""
    if feed.name and feed.name != feed.url:
        return feed.name
    return title or outlet_name(feed.name, None, feed.url)


async def entries_to_documents(
    session: aiohttp.ClientSession,
    entries: list[FeedEntry],
    feed: FeedConfig,
    limits: FetchLimits,
    outlet: str | None = None,
) -> list[RawDocument]:
    """Raw documents of feed entries, named as `outlet` (else the feed's name); teasers
    get their page's text (within the budget)."""
    budget = limits.max_page_fetches
    documents = []
    for entry in entries:
        text = entry.text
        if entry.is_teaser and entry.link and budget > 0:
            budget -= 1
            try:
                page = await fetch(session, entry.link, limits)
                text = await asyncio.to_thread(extract_page, page.body) or text
            except SourceError as exc:
                log.info("feed %s: kept the teaser of %s (%s)", feed.name, entry.link, exc)
        if not text.strip() and not entry.title:
            continue
        documents.append(
            RawDocument(
                text=text or entry.title,
                source=feed.name,
                title=entry.title or None,
                url=entry.link,
                published_at=entry.published,
                home_country=feed.home_country or None,
                entry_key=entry.key,
                outlet=outlet or feed.name,
                tier=feed.tier or None,
            )
        )
    return documents
