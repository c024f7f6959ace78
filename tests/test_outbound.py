"""Outbound fetches reach the public internet only (issue 10, item 7): feeds, redirects and
teaser links to loopback, private, link-local, multicast or reserved addresses are refused
unless allow-listed, and the refusal is what `readout sources` shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import FeedConfig, FetchLimits
from bot.errors import SourceError
from bot.sources.outbound import OutboundPolicy, public_session
from bot.sources.rss import fetch
from tests.conftest import NOW
from tests.fakes.feeds import FeedServer
from tests.test_sources import make_app


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fc00::1", "private"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ],
)
def test_non_public_addresses_are_refused_with_the_reason(address: str, kind: str) -> None:
    reason = OutboundPolicy().refusal("feeds.example", address)
    assert reason is not None and f" {kind} address" in reason
    assert "allow_private" in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "151.101.1.140"])
def test_public_addresses_pass(address: str) -> None:
    assert OutboundPolicy().refusal("feeds.example", address) is None


def test_the_operator_allows_names_addresses_and_networks() -> None:
    policy = OutboundPolicy.allowing(["feeds.intranet", "10.0.0.0/8", "::1"])
    assert policy.refusal("feeds.intranet", "192.168.1.1") is None
    assert policy.refusal("other", "10.9.8.7") is None
    assert policy.refusal("other", "::1") is None
    assert policy.refusal("other", "192.168.1.1") is not None


async def test_a_feed_on_loopback_is_refused_and_says_why(
    feeds: FeedServer, tmp_path: Path
) -> None:
    app = make_app(
        f"sqlite:///{tmp_path / 'r.db'}",
        tmp_path,
        FeedConfig("internal", feeds.url("/rss.xml")),
        allow_private=(),
    )
    try:
        summary = await app.poll_all(NOW)
        assert summary.ingested == [] and feeds.hits["/rss.xml"] == 0  # never reached
        [state] = [s for s in app.store.source_states() if s.name == "internal"]
        assert state.status == "error"
        assert "refused: 127.0.0.1 is a loopback address" in (state.last_error or "")
    finally:
        app.close()


async def test_a_name_that_resolves_to_loopback_is_refused(feeds: FeedServer) -> None:
    limits = FetchLimits(connect_timeout=2, read_timeout=2)
    async with public_session(limits.policy) as session:
        with pytest.raises(SourceError, match=r"localhost \(127\.0\.0\.1\) is a loopback address"):
            await fetch(session, f"http://localhost:{feeds.port}/rss.xml", limits)
    assert feeds.hits["/rss.xml"] == 0


async def test_a_redirect_to_an_internal_address_is_refused(feeds: FeedServer) -> None:
    # The operator allows the feed's host by name; the redirect names an address instead.
    limits = FetchLimits(connect_timeout=2, read_timeout=2, allow_private=("localhost",))
    secret = f"http://127.0.0.1:{feeds.port}/secret"
    async with public_session(limits.policy) as session:
        with pytest.raises(SourceError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
            await fetch(session, f"http://localhost:{feeds.port}/moved.xml?to={secret}", limits)
        with pytest.raises(SourceError, match="not an http or https address"):
            await fetch(
                session, f"http://localhost:{feeds.port}/moved.xml?to=file:///etc/passwd", limits
            )
        allowed = await fetch(
            session, f"http://localhost:{feeds.port}/moved.xml?to=/rss.xml", limits
        )
        assert b"Foreign Office press" in allowed.body  # a redirect within the allowed host
    assert feeds.hits["/secret"] == 0


async def test_a_teaser_link_to_an_internal_address_keeps_the_teaser(
    feeds: FeedServer, tmp_path: Path
) -> None:
    # The feed's host is allowed by name; its entries link to an address that is not.
    app = make_app(
        f"sqlite:///{tmp_path / 'r.db'}",
        tmp_path,
        FeedConfig("wire", f"http://localhost:{feeds.port}/teasers.xml"),
        allow_private=("localhost",),
    )
    try:
        summary = await app.poll_all(NOW)
        assert len(summary.ingested) == 2
        assert feeds.hits["/article/1"] == 0 and feeds.hits["/article/2"] == 0
        stored = [app.store.get_report(i.report_id) for i in summary.ingested if i.report_id]
        bodies = sorted(s.report.body for s in stored if s is not None)
        assert bodies[0].startswith("Kazakh and Uzbek leaders met")  # the teaser, kept
        assert not any("transboundary rivers" in b for b in bodies)  # the page never read
    finally:
        app.close()
