"""A local web server of feeds and article pages, good and broken, for the feed source."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

from aiohttp import web

from tests.fakes.base import LoopbackServer

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Foreign Office press</title><link>http://x/</link>
<description>Press releases</description>
<item><title>Dar meets Lavrov in Moscow</title><link>{base}/news/1</link><guid>fo-1</guid>
<pubDate>Sun, 06 Apr 2025 10:00:00 GMT</pubDate>
<description><![CDATA[<p>MOSCOW, April 6 - Pakistan's Deputy Prime Minister Ishaq Dar met Russian
Foreign Minister Sergei Lavrov in Moscow on Sunday. The two ministers discussed energy,
trade and the situation in Afghanistan, and agreed to deepen cooperation within the
Shanghai Cooperation Organisation. Dar invited Lavrov to visit Islamabad later this year,
and both sides stressed the importance of connectivity projects and banking channels for
bilateral trade, which they said should grow further in the coming years.</p>]]></description>
</item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>UN press</title><id>urn:un</id>
<updated>2025-04-07T10:00:00Z</updated>
<entry><title>Secretary-General meets Indian Foreign Minister</title><id>urn:un:1</id>
<link href="{base}/un/1"/><updated>2025-04-07T10:00:00Z</updated>
<content type="html">&lt;p&gt;NEW YORK, April 7 - UN Secretary-General Antonio Guterres met
Indian External Affairs Minister Subrahmanyam Jaishankar at UN headquarters on Monday. They
discussed climate action, food security and the reform of the Security Council, and the
Secretary-General thanked India for its contributions to peacekeeping missions across the
world, which he said remained essential for the United Nations and for global security.&lt;/p&gt;
</content></entry></feed>"""

TEASERS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Leaders meet in Tashkent</title><link>{base}/article/1</link><guid>w-1</guid>
<description>Kazakh and Uzbek leaders met... Read more</description></item>
<item><title>Second teaser</title><link>{base}/article/2</link><guid>w-2</guid>
<description>Short teaser...</description></item>
</channel></rss>"""

ARTICLE = """<html><head><title>Leaders meet</title></head><body>
<nav>Home | World | Business</nav>
<article><h1>Kazakh and Uzbek presidents meet in Tashkent</h1>
<p>TASHKENT, April 8 - Kazakh President Kassym-Jomart Tokayev met Uzbek President Shavkat
Mirziyoyev in Tashkent on Tuesday for talks on water sharing, transport corridors and
energy. The two presidents signed agreements on a new railway link and on the joint
management of transboundary rivers, and agreed to raise bilateral trade substantially.</p>
<p>Officials said the agreements would be ratified by both parliaments this summer.</p>
</article><footer>Copyright Wire Agency</footer></body></html>"""

CHANGING = """<?xml version="1.0"?><rss version="2.0"><channel><title>Changing ids</title>
<item><title>Same story</title><link>{base}/same</link><guid>id-{n}</guid>
<description>BEIJING, April 9 - Chinese Foreign Minister Wang Yi met Pakistani Foreign
Minister Ishaq Dar in Beijing to discuss the China-Pakistan Economic Corridor, security of
Chinese workers and trade. Both sides pledged to accelerate work on the corridor's second
phase and to expand cooperation in agriculture and information technology.</description>
</item></channel></rss>"""


class FeedServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, list[dict[str, str]]] = {}
        self._changing = 0
        self._closing = asyncio.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/{path:.*}", self._handle)

    async def stop(self) -> None:
        self._closing.set()  # lets the never-ending response end
        await super().stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        self.hits[path] += 1
        self.headers.setdefault(path, []).append(dict(request.headers))
        xml = "application/rss+xml"
        if path == "/rss.xml":
            return web.Response(text=RSS.format(base=self.base), content_type=xml)
        if path == "/atom.xml":
            return web.Response(
                text=ATOM.format(base=self.base), content_type="application/atom+xml"
            )
        if path == "/teasers.xml":
            return web.Response(text=TEASERS.format(base=self.base), content_type=xml)
        if path.startswith("/article/"):
            return web.Response(text=ARTICLE, content_type="text/html")
        if path == "/malformed.xml":
            return web.Response(text="<rss><channel><title>broken<item></rss", content_type=xml)
        if path == "/error.xml":
            return web.Response(status=500, text="internal error")
        if path == "/slow.xml":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), 30)
            return web.Response(text="too late")
        if path == "/huge.xml":
            response = web.StreamResponse(headers={"Content-Type": xml})
            await response.prepare(request)
            chunk = b"<!-- padding -->" * 4096
            try:
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    await response.write(chunk)
            except (ConnectionResetError, RuntimeError):
                pass
            return response
        if path == "/conditional.xml":
            if request.headers.get("If-None-Match") == '"v1"':
                return web.Response(status=304)
            return web.Response(
                text=RSS.format(base=self.base), content_type=xml, headers={"ETag": '"v1"'}
            )
        if path == "/moved.xml":  # a redirect, to wherever the test says
            raise web.HTTPFound(request.query["to"])
        if path == "/secret":  # an internal page that must never be read
            return web.Response(text="api_key=s3cr3t-internal", content_type="text/html")
        if path == "/changing.xml":
            self._changing += 1
            return web.Response(
                text=CHANGING.format(base=self.base, n=self._changing), content_type=xml
            )
        return web.Response(status=404, text="not found")
