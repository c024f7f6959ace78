"""A fake Telegram Bot API server on 127.0.0.1 for the real python-telegram-bot client.

It answers `/bot<TOKEN>/<method>` as Telegram does (`{"ok": true, "result": ...}`, errors
with `error_code`, `description` and `parameters`), records every request, hands out the
updates a test pushes through `getUpdates`, and fails on request to script error cases.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from aiohttp import web

from tests.fakes.base import Call, LoopbackServer

BOT_ID = 4242
BOT_USERNAME = "ReadoutBot"


class FakeTelegram(LoopbackServer):
    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        super().__init__()
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.admins: set[int] = set()
        self._next_update = 1
        self._next_message = 100
        self._new_update = asyncio.Event()
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self.undeclared: set[str] = set()  # file ids sent and described with no file_size
        self.local_paths: dict[str, str] = {}  # file id -> a path getFile names instead
        self.hold_downloads: asyncio.Event | None = None  # when set: downloads wait for it

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)

    # -- what tests use ------------------------------------------------------------------

    def fail(self, method: str, status: int, body: dict[str, Any]) -> None:
        """The next call of `method` answers `status` with `body`."""
        self.failures.setdefault(method, []).append((status, body))

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int = 1001,
        chat_type: str | None = None,
        thread_id: int | None = None,
        title: str = "Policy desk",
    ) -> None:
        kind = chat_type or ("private" if chat_id > 0 else "supergroup")
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            chat["first_name"] = "Ana"
        else:
            chat["title"] = title
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        key = "message"
        if kind == "channel":
            key = "channel_post"
            message["sender_chat"] = chat
        else:
            message["from"] = {"id": user_id, "is_bot": False, "first_name": "Ana"}
        self._push({key: message})

    def push_document(
        self,
        chat_id: int,
        content: bytes,
        *,
        caption: str,
        name: str = "watchlist.txt",
        declared: bool = True,
        local_path: str | None = None,
    ) -> None:
        """A file sent to the bot, with a caption (its content downloadable by file id);
        `declared=False`: no file_size anywhere; `local_path`: what a hostile or broken
        Bot API names as the file's path."""
        file_id = f"D{len(self.files) + 1}"
        self.files[file_id] = content
        if not declared:
            self.undeclared.add(file_id)
        if local_path is not None:
            self.local_paths[file_id] = local_path
        kind = "private" if chat_id > 0 else "supergroup"
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "first_name": "Ana", "title": "t"}
        self._push(
            {
                "message": {
                    "message_id": self._message_id(),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": {"id": 1001, "is_bot": False, "first_name": "Ana"},
                    "caption": caption,
                    "document": {
                        "file_id": file_id,
                        "file_unique_id": f"u{file_id}",
                        "file_name": name,
                        **({"file_size": len(content)} if declared else {}),
                    },
                }
            }
        )

    def push_callback(
        self, chat_id: int, data: str, *, user_id: int = 1001, chat_type: str | None = None
    ) -> None:
        kind = chat_type or ("private" if chat_id > 0 else "supergroup")
        chat = {"id": chat_id, "type": kind, "title": "t", "first_name": "A"}
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": chat,
            "text": "an alert",
        }
        if kind == "channel":
            message["sender_chat"] = chat  # a channel post: the bot posted as the channel
        self._push(
            {
                "callback_query": {
                    "id": f"cb{self._next_update}",
                    "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )

    # -- the API -------------------------------------------------------------------------

    def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = self._next_update
        self._next_update += 1
        self.updates.append(update)
        self._new_update.set()

    def _message_id(self) -> int:
        self._next_message += 1
        return self._next_message

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        scripted = self.failures.get(method)
        if scripted:
            status, body = scripted.pop(0)
            return web.json_response(body, status=status)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _ok(True)
        return await handler(params)

    async def _api_getMe(self, params: dict[str, Any]) -> web.Response:
        return _ok(
            {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Readout",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    async def _api_getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.2)
        while True:
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending or time.monotonic() >= deadline:
                return _ok(pending)
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    async def _api_sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        kind = "private" if chat_id > 0 else "supergroup"
        result: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": kind, "first_name": "A", "title": "T"},
            "text": str(params.get("text", "")),
        }
        if params.get("message_thread_id"):
            result["message_thread_id"] = int(params["message_thread_id"])
        return _ok(result)

    async def _api_sendPhoto(self, params: dict[str, Any]) -> web.Response:
        chat = params["chat_id"]
        kind = "private" if int(chat) > 0 else "supergroup"
        return _ok(
            {
                "message_id": self._message_id(),
                "date": int(time.time()),
                "chat": {"id": chat, "type": kind},
                "photo": [{"file_id": "P1", "file_unique_id": "U1", "width": 960, "height": 600}],
            }
        )

    async def _api_getFile(self, params: dict[str, Any]) -> web.Response:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        described: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_path": self.local_paths.get(file_id, f"documents/{file_id}.txt"),
        }
        if file_id not in self.undeclared:
            described["file_size"] = len(self.files[file_id])
        return _ok(described)

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].removeprefix("documents/").removesuffix(".txt")
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        self.calls.append(Call("download", {"file_id": file_id}))
        if self.hold_downloads is not None:
            await self.hold_downloads.wait()  # a slow file server, until the test lets go
        if file_id in self.undeclared:  # streamed, no Content-Length
            response = web.StreamResponse()
            await response.prepare(request)
            content = self.files[file_id]
            for start in range(0, len(content), 65536):
                await response.write(content[start : start + 65536])
            await response.write_eof()
            return response
        return web.Response(body=self.files[file_id])

    async def _api_sendDocument(self, params: dict[str, Any]) -> web.Response:
        chat = params["chat_id"]
        kind = "private" if int(chat) > 0 else "supergroup"
        return _ok(
            {
                "message_id": self._message_id(),
                "date": int(time.time()),
                "chat": {"id": chat, "type": kind},
                "document": {"file_id": "X1", "file_unique_id": "UX1"},
            }
        )

    async def _api_getChatMember(self, params: dict[str, Any]) -> web.Response:
        user_id = int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": "Ana"}
        if user_id in self.admins:
            return _ok({"user": user, "status": "creator", "is_anonymous": False})
        return _ok({"user": user, "status": "member"})


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data: dict[str, Any] = await request.json()
        return data
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            params[key] = value.file.read()  # an uploaded file (sendPhoto): its bytes
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
        if key == "text":
            params[key] = value  # text is sent as is, never JSON-encoded
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def error_body(status: int, description: str, **parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body
