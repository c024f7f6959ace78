"""The folder source: new and changed `.txt`, `.md`, `.html` and `.json` files in a folder.

Never moves or deletes a user's file. A file that cannot be a report (binary, empty, too
large, not UTF-8, malformed JSON) is reported as a Problem and skipped; the others go on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from bot.ports import SourceStore
from bot.reports import RawDocument

log = logging.getLogger(__name__)
SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json"})


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, and why (shown to the operator)."""

    location: str
    reason: str
    entry_key: str | None = None


class FolderSource:
    """Yields each file's documents once per change (by modification time and size)."""

    kind = "folder"

    def __init__(
        self,
        folder: Path,
        *,
        max_bytes: int = 2_000_000,
        home_country: str | None = None,
        store: SourceStore | None = None,
        outlet: str | None = None,
        tier: str | None = None,
    ) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.home_country = home_country or None
        # Who publishes what lands here: the configured name, else what each report says
        # (a JSON report's outlet, its link's host); never the folder's or a file's name.
        self.outlet = outlet or None
        self.tier = tier or None
        self.store = store  # remembers, across restarts, which file versions were read
        self._seen: dict[Path, tuple[int, int]] = {}
        self._paths: dict[str, Path] = {}  # the last poll's entry keys and their files

    def _display(self, path: Path) -> str:
        """`reports/000_x.txt`: short enough for an alert, still says where it came from."""
        try:
            return str(path.relative_to(self.folder.parent))
        except ValueError:
            return str(path)

    @property
    def name(self) -> str:
        return f"folder:{self.folder}"

    def forget(self, keys: Iterable[str]) -> None:
        """Read these file versions again at the next poll: they failed on our side."""
        for key in keys:
            path = self._paths.get(key)
            if path is not None:
                self._seen.pop(path, None)

    def poll(self) -> Iterator[RawDocument | Problem]:
        """Documents of new and changed files, each tagged with its file version's key."""
        if not self.folder.is_dir():
            yield Problem(str(self.folder), "folder does not exist or is not a directory")
            return
        changed: dict[str, Path] = {}
        for path in sorted(self.folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            try:
                stat = path.stat()
            except OSError as exc:
                yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
                continue
            signature = (stat.st_mtime_ns, stat.st_size)
            if self._seen.get(path) == signature:
                continue
            self._seen[path] = signature
            key = f"{self._display(path)}@{stat.st_mtime_ns}:{stat.st_size}"
            changed[key] = path
            self._paths[key] = path
        if self.store is not None and changed:
            unseen = self.store.unseen_entries(self.name, list(changed))
            changed = {k: p for k, p in changed.items() if k in unseen}
        for key, path in changed.items():
            for item in read_file(path, max_bytes=self.max_bytes, name=self._display(path)):
                if isinstance(item, RawDocument):
                    yield replace(
                        item,
                        entry_key=key,
                        home_country=item.home_country or self.home_country,
                        outlet=item.outlet or self.outlet,
                        tier=item.tier or self.tier,
                    )
                else:
                    yield replace(item, entry_key=key)


def read_file(
    path: Path, *, max_bytes: int = 2_000_000, name: str | None = None
) -> Iterator[RawDocument | Problem]:
    """The documents of one file, or the Problem that stops it from being read."""
    location = name or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Problem(
                location,
                f"too large: {size / 1e6:.1f} MB, the limit is {max_bytes / 1e6:.1f} MB "
                "(sources.max_file_bytes)",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(location, f"cannot read: {exc.strerror or exc}")
        return
    yield from decode(data, location, path.suffix.lower())


def decode(data: bytes, location: str, suffix: str) -> Iterator[RawDocument | Problem]:
    """Bytes -> documents; the checks every source shares."""
    if not data.strip():
        yield Problem(location, "empty file")
        return
    if b"\x00" in data[:8192]:
        yield Problem(location, "binary file (contains NUL bytes), not a text report")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Problem(
            location,
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "save the file as UTF-8",
        )
        return
    if suffix == ".json":
        yield from _json_documents(text, location)
        return
    if suffix in (".html", ".htm"):
        text = html_to_text(text)
    # The file's own time is not the report's: the text's date wins, else the ingestion time.
    yield RawDocument(text=text, source=location)


def _json_documents(text: str, location: str) -> Iterator[RawDocument | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(location, f"malformed JSON: {exc.msg} at line {exc.lineno}")
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        where = f"{location}[{index}]" if isinstance(data, list) else location
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            yield Problem(where, 'JSON report needs at least a "body" string')
            continue
        published: datetime | None = None
        if item.get("published_at"):
            try:
                published = datetime.fromisoformat(str(item["published_at"]))
            except ValueError:
                yield Problem(where, f"published_at {item['published_at']!r} is not ISO 8601")
                continue
        outlet = item.get("outlet") or item.get("source")
        yield RawDocument(
            text=item["body"],
            source=str(item.get("source") or location),
            outlet=str(outlet) if outlet else None,
            tier=item.get("tier") if isinstance(item.get("tier"), str) else None,
            title=item.get("title") if isinstance(item.get("title"), str) else None,
            url=item.get("url") if isinstance(item.get("url"), str) else None,
            published_at=published,
            home_country=item.get("home_country")
            if isinstance(item.get("home_country"), str)
            else None,
        )


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "noscript"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of a simple HTML page, paragraphs kept (stdlib only)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)
