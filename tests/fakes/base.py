"""What every fake server shares: a loopback aiohttp server on a free port, and a record of
the calls it received that tests can wait on."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class LoopbackServer:
    """An aiohttp application served on 127.0.0.1 with a port the OS picks."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.port = 0
        self._runner: web.AppRunner | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    async def wait_for(self, method: str, timeout: float = 10.0, **match: Any) -> dict[str, Any]:
        """The first `method` call whose params contain `match` ("~text" means "contains")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for params in self.of(method):
                if all(_contains(params.get(k), v) for k, v in match.items()):
                    return params
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {method} with {match}; calls: {[c.method for c in self.calls]}")


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str) and expected.startswith("~"):
        return expected[1:] in actual
    return bool(actual == expected)
