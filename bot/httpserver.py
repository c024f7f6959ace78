"""The worker's one HTTP server (aiohttp): every inbound route (Telegram's webhook, Slack's
events, the report webhook) plus `/healthz` and `/metrics`, on READOUT_HTTP_HOST:PORT."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.errors import ConfigError

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class HttpServer:
    def __init__(
        self,
        host: str,
        port: int,
        metrics: Callable[[], str] | None = None,
        health: Callable[[], tuple[bool, dict[str, object]]] | None = None,
    ) -> None:
        """`health()`: whether the worker is healthy, and what it checked (run in a
        thread: it asks the database)."""
        self.host = host
        self.port = port
        self.metrics = metrics
        self.health = health
        self.app = web.Application(client_max_size=2 * 1024 * 1024)
        self.app.router.add_get("/healthz", self._health)
        self.app.router.add_get("/metrics", self._metrics)
        self._runner: web.AppRunner | None = None
        self.routes: list[str] = ["/healthz", "/metrics"]

    def add_post(self, path: str, handler: Handler) -> None:
        self.app.router.add_post(path, handler)
        self.routes.append(path)

    async def _health(self, request: web.Request) -> web.Response:
        """200 when the worker is healthy, 503 with the reason otherwise (for a container
        healthcheck or a load balancer)."""
        if self.health is None:
            return web.json_response({"status": "ok"})
        try:
            healthy, checked = await asyncio.wait_for(asyncio.to_thread(self.health), 8.0)
        except TimeoutError:
            healthy, checked = False, {"database": "no answer within 8 s"}
        body = {"status": "ok" if healthy else "unhealthy", **checked}
        return web.json_response(body, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        if self.metrics is None:
            return web.Response(status=404, text="no metrics")
        text = await asyncio.to_thread(self.metrics)
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:  # busy, not ours, not an address: one line that names the setting
            await self._runner.cleanup()
            self._runner = None
            raise ConfigError(
                f"cannot serve HTTP on {self.host}:{self.port}: {exc.strerror or exc}; "
                "set READOUT_HTTP_HOST/READOUT_HTTP_PORT (or [http] host/port) to a free one"
            ) from exc
        sockets = getattr(site, "_server", None)
        if sockets is not None and getattr(sockets, "sockets", None):
            self.port = sockets.sockets[0].getsockname()[1]  # port 0: the one the OS chose
        log.info("HTTP server on %s:%s (%s)", self.host, self.port, ", ".join(self.routes))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
