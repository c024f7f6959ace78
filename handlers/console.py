"""The console chat: the Transport that prints alerts to a terminal, and the interactive
`readout chat` loop on the same commands as Telegram and Slack."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.models import Chat, ChatRef, Message
from handlers.commands import HINT, CommandService, parse_command

PLATFORM = "console"
_RULE = "\u2500" * 60


class ConsoleTransport:
    """Prints each message as plain text; the console never rate-limits or fails."""

    platform = PLATFORM

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.sent: list[tuple[Chat, Message]] = []

    async def send(self, chat: Chat, message: Message) -> None:
        out = self.stream or sys.stdout
        out.write(f"{_RULE}\n[alert \u2192 {chat.platform}:{chat.external_id}]\n{message.text}\n")
        out.flush()
        self.sent.append((chat, message))


def console_chat(chat_id: str) -> ChatRef:
    return ChatRef(PLATFORM, chat_id, "console")


def run_chat(
    service: CommandService,
    chat: ChatRef,
    lines: Iterable[str],
    out: TextIO,
    *,
    after_command: Callable[[], None] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    prompt: str = "readout> ",
) -> None:
    """Read commands line by line, answer each; `after_command` lets the caller poll
    sources and deliver alerts between commands."""
    out.write("Readout console chat. Type /help for commands, /quit to leave.\n")
    out.write(prompt)
    out.flush()
    for raw in lines:
        text = raw.strip()
        if text in ("/quit", "/exit", "quit", "exit"):
            break
        if text:
            command = parse_command(chat, text if text.startswith("/") else f"/{text}")
            if command is None or (command.name not in service.names and not text.startswith("/")):
                out.write(HINT + "\n")  # a message, not a command
            else:
                reply = service.handle(command, clock())
                out.write(reply.text + "\n")
                if reply.image is not None:
                    out.write(f"Chart: {save_chart(reply.image)}\n")
                if reply.file is not None:
                    out.write(f"File: {save_file(*reply.file)}\n")
            if after_command is not None:
                after_command()
        out.write(prompt)
        out.flush()
    out.write("\nBye.\n")


def save_chart(image: bytes) -> Path:
    """A chart for the console: a PNG file in the temporary folder, its path to open."""
    handle, name = tempfile.mkstemp(prefix="readout-chart-", suffix=".png")
    with os.fdopen(handle, "wb") as f:
        f.write(image)
    return Path(name)


def save_file(name: str, content: bytes) -> Path:
    """A reply's file for the console (an /export): saved in the temporary folder."""
    stem, dot, suffix = name.rpartition(".")
    handle, path = tempfile.mkstemp(
        prefix=f"{stem or name}-", suffix=f"{dot}{suffix}" if dot else ""
    )
    with os.fdopen(handle, "wb") as f:
        f.write(content)
    return Path(path)
