"""Outbound fetches go to the public internet only: a feed, each redirect and each teaser
link is refused when its host is, or resolves to, a loopback, private, link-local,
multicast, reserved or otherwise non-global address (IPv4 and IPv6, IPv4-mapped
included), unless the operator allow-lists it (`[sources] allow_private`: host names,
addresses or networks such as "10.0.0.0/8").

Names are checked where aiohttp resolves them, in the connector, so a name that resolves
to a private address is refused at every hop; literal addresses (which aiohttp does not
resolve) are checked before each request."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class NotPublic(OSError):
    """A host that is not on the public internet; the message says which and why."""


@dataclass(frozen=True)
class OutboundPolicy:
    """Which non-public hosts an operator allows (feeds on their own network)."""

    names: frozenset[str] = frozenset()
    networks: tuple[IpNetwork, ...] = ()

    @classmethod
    def allowing(cls, entries: Iterable[str]) -> OutboundPolicy:
        names: set[str] = set()
        networks: list[IpNetwork] = []
        for entry in entries:
            text = entry.strip()
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                names.add(text.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def allows(self, host: str) -> bool:
        """Whether the operator allowed `host`: by name, or a literal address in an
        allowed network (a report's link to it is kept)."""
        host = host.lower().rstrip(".")
        if host in self.names:
            return True
        try:
            ip = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def refusal(self, host: str, address: str) -> str | None:
        """Why `address` (what `host` resolved to) may not be fetched, or None."""
        if host.lower().rstrip(".") in self.names:
            return None
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return f"{host} resolves to {address!r}, which is not an address"
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.networks):
            return None
        if ip.is_global and not ip.is_multicast:
            return None
        kind = next(
            (
                name
                for name, flag in (
                    ("loopback", ip.is_loopback),
                    ("link-local", ip.is_link_local),
                    ("multicast", ip.is_multicast),
                    ("unspecified", ip.is_unspecified),
                    ("private", ip.is_private),
                    ("reserved", ip.is_reserved),
                )
                if flag
            ),
            "non-public",
        )
        shown = host if host == address else f"{host} ({address})"
        article = "an" if kind[0] in "aeiou" else "a"
        return (
            f"refused: {shown} is {article} {kind} address, not the public internet; "
            "add it to [sources] allow_private to fetch it"
        )

    def check_url(self, url: str) -> None:
        """Refuse a URL that is not http(s) or names a non-public address literally."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise NotPublic(f"refused: {url!r} is not an http or https address")
        host = parts.hostname or ""
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return  # a name: checked where it is resolved
        reason = self.refusal(host, host)
        if reason is not None:
            raise NotPublic(reason)


class PublicResolver(AbstractResolver):
    """aiohttp's resolver, refusing names that resolve to non-public addresses."""

    def __init__(self, policy: OutboundPolicy) -> None:
        self._policy = policy
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            reason = self._policy.refusal(host, result["host"])
            if reason is not None:
                raise NotPublic(reason)
        return results

    async def close(self) -> None:
        await self._inner.close()


def public_session(policy: OutboundPolicy) -> aiohttp.ClientSession:
    """An HTTP client session that reaches only public addresses (and the allowed ones)."""
    connector = aiohttp.TCPConnector(resolver=PublicResolver(policy))
    return aiohttp.ClientSession(connector=connector)
