"""Files people send the bot (a watchlist to `/import`), read from their platform: to the
end of the body, with the size cap enforced on the bytes read (not on what the platform
or the server declares), the platform's token sent only to the platform's own hosts, and
every hop (redirects included) through the public-address guard of the sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

import aiohttp
from yarl import URL

from bot.sources.outbound import OutboundPolicy, public_session

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class TooLarge(ValueError):
    """The body went past the cap."""


async def download(
    url: str,
    *,
    limit: int,
    headers: Mapping[str, str],
    trusted: Callable[[str], bool],
    allow: Iterable[str] = (),
    max_redirects: int = 3,
    timeout: float = 30.0,
) -> bytes:
    """The body at `url`, at most `limit` bytes (TooLarge past it). `trusted(host)` says
    whether a host may have `headers` (the bot's token): a redirect anywhere else is
    refused, not followed without them. `allow`: hosts or addresses off the public
    internet that may be reached (the configured API's own, a local Bot API server).
    Raises ValueError for what the file is not, aiohttp.ClientError or OSError for a
    network failure or a refused address."""
    policy = OutboundPolicy.allowing(allow)
    async with public_session(policy) as session:
        for _ in range(max_redirects + 1):
            host = urlsplit(url).hostname or ""
            if not trusted(host):
                raise ValueError(f"the file is not on the platform ({host})")
            policy.check_url(url)
            async with session.get(
                url,
                headers=dict(headers),
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location", "")
                    url = str(response.url.join(URL(location)))
                    continue
                if response.status != 200:
                    raise ValueError(f"the platform answered {response.status}")
                data = bytearray()
                async for chunk in response.content.iter_chunked(65536):
                    data += chunk
                    if len(data) > limit:
                        raise TooLarge(f"larger than {limit // 1000} KB")
                return bytes(data)
    raise ValueError(f"more than {max_redirects} redirects")
