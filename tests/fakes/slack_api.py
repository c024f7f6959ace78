"""A fake Slack Web API on 127.0.0.1 for the real slack-sdk AsyncWebClient (as slack-sdk's
own tests/mock_web_api_server does), plus the `response_url` endpoint, and a helper that
signs inbound requests the way Slack does."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from tests.fakes.base import Call, LoopbackServer

BOT_USER = "UBOT"
TEAM = "T0001"


class FakeSlack(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._ts = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.acks: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}  # file id -> the bytes sent to its upload URL
        self.shared: dict[str, bytes] = {}  # files shared with the app, served to its token
        self.in_pieces: set[str] = set()  # served in two pieces, a moment apart, no length
        self.redirects: dict[str, str] = {}  # file id -> where its URL redirects

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{key}"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response)
        app.router.add_get("/ws", self._websocket)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}", self._download)

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        await super().stop()

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Push a Socket Mode envelope to the connected app; returns its envelope id."""
        envelope_id = f"env-{time.monotonic_ns()}"
        live = [ws for ws in self.sockets if not ws.closed]
        assert live, "no Socket Mode connection"
        await live[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind == "slash_commands",
            }
        )
        return envelope_id

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": "A0001"},
                "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            }
        )
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws

    def fail(
        self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self.failures.setdefault(method, []).append((status, body, headers or {}))

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        scripted = self.failures.get(method)
        if scripted:
            status, body, headers = scripted.pop(0)
            return web.json_response(body, status=status, headers=headers)
        if method == "auth.test":
            return web.json_response(
                {
                    "ok": True,
                    "url": "https://policy.slack.com/",
                    "team": "Policy",
                    "user": "readout",
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "bot_id": "B0001",
                }
            )
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
            return web.json_response(
                {
                    "ok": True,
                    "channel": params.get("channel"),
                    "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts},
                }
            )
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1:04d}"
            self.uploads[file_id] = b""
            return web.json_response(
                {
                    "ok": True,
                    "file_id": file_id,
                    "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                }
            )
        if method == "files.completeUploadExternal":
            files = params.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            return web.json_response({"ok": True, "files": [{"id": f["id"]} for f in listed]})
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/ws"})
        if method == "chat.postEphemeral":
            return web.json_response({"ok": True, "message_ts": "1700000000.000001"})
        if method == "conversations.info":
            return web.json_response(
                {"ok": True, "channel": {"id": params.get("channel"), "name": "general"}}
            )
        if method == "conversations.open":  # a direct message with the user
            return web.json_response({"ok": True, "channel": {"id": "D" + str(params["users"])}})
        if method == "users.info":
            return web.json_response(
                {"ok": True, "user": {"id": params.get("user"), "name": "ana"}}
            )
        return web.json_response({"ok": False, "error": "unknown_method"})

    def share(self, content: bytes, *, in_pieces: bool = False, redirect: str | None = None) -> str:
        """A file someone shares with the app: its url_private_download. `in_pieces`: the
        body is sent chunked, in two writes a moment apart; `redirect`: the URL answers
        302 to that address."""
        file_id = f"S{len(self.shared) + 1}"
        self.shared[file_id] = content
        if in_pieces:
            self.in_pieces.add(file_id)
        if redirect is not None:
            self.redirects[file_id] = redirect
        return f"http://127.0.0.1:{self.port}/files/{file_id}"

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if not request.headers.get("Authorization", "").startswith("Bearer xoxb-"):
            return web.Response(status=401)
        if file_id not in self.shared:
            return web.Response(status=404)
        if file_id in self.redirects:
            raise web.HTTPFound(self.redirects[file_id])
        if file_id in self.in_pieces:
            content = self.shared[file_id]
            response = web.StreamResponse()
            await response.prepare(request)
            half = len(content) // 2
            await response.write(content[:half])
            await asyncio.sleep(0.05)  # the network's gap between two pieces
            await response.write(content[half:])
            await response.write_eof()
            return response
        return web.Response(body=self.shared[file_id])

    async def _upload(self, request: web.Request) -> web.Response:
        """Step 2 of files_upload_v2: the bytes go to the URL step 1 handed out."""
        file_id = request.match_info["file_id"]
        if file_id not in self.uploads:
            return web.Response(status=404, text="unknown upload")
        self.uploads[file_id] = await request.read()
        self.calls.append(Call("upload", {"file_id": file_id}))
        return web.Response(text="OK - 200")

    async def _response(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await request.json()))
        return web.Response(text="ok")


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's arguments: a JSON or form body, and the query string (where slack_sdk
    puts some methods' arguments, files.completeUploadExternal's among them)."""
    text = await request.text()
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(json.loads(text) if text else {})
    else:
        params.update(parse_qsl(text))
    return params


def signed(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends: X-Slack-Request-Timestamp and the v0 HMAC-SHA256 signature."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_command(text: str, *, channel: str, response_url: str, user: str = "U0001") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "policy",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "ana",
            "command": "/readout",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "t1",
        }
    )


def event(inner: dict[str, Any]) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            "event": inner,
        }
    )


def block_action(action_id: str, value: str, *, channel: str, response_url: str) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U0001"},
        "api_app_id": "A0001",
        "channel": {"id": channel},
        "trigger_id": "t2",
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.1"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "type": "button",
                "action_ts": "1.2",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})
