"""The catalogue of feeds shipped in `seeds/catalogue/feeds.toml`: agencies, ministries,
UN News and the press of record of some forty countries, each with its outlet name, tier,
language, home country and the public list its address was copied from. An operator
enables entries by name or by kind (`[sources] catalogue = ["TASS", "country:PK",
"tier:agency"]`); they become feeds like any other, unverified until a poll succeeds."""

from __future__ import annotations

import importlib.resources
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.errors import ConfigError

KINDS = ("country", "language", "tier")  # what `kind:value` selects by


@dataclass(frozen=True)
class CatalogueEntry:
    name: str  # the outlet, as alerts name it
    url: str
    tier: str  # official, agency or media
    language: str  # ISO 639-1
    home_country: str  # ISO 3166 alpha-2
    listed_in: str  # the public list the address comes from (repository@commit:path)

    def value(self, kind: str) -> str:
        return {"country": self.home_country, "language": self.language, "tier": self.tier}[kind]


@cache
def load() -> tuple[CatalogueEntry, ...]:
    """The packaged catalogue (read once per process)."""
    text = importlib.resources.files("seeds").joinpath("catalogue/feeds.toml").read_text("utf-8")
    return tuple(CatalogueEntry(**item) for item in tomllib.loads(text)["feed"])


def select(
    wanted: Sequence[str], entries: Sequence[CatalogueEntry] | None = None
) -> list[CatalogueEntry]:
    """The entries `wanted` names, in the catalogue's order: an outlet's name (any case),
    `country:PK`, `language:ru`, `tier:agency`, or `all`. A word that selects nothing is
    an error that says what would."""
    entries = load() if entries is None else entries
    chosen: set[CatalogueEntry] = set()
    for word in (w.strip() for w in wanted if w.strip()):
        kind, _, value = word.partition(":")
        if word.lower() == "all":
            found = list(entries)
        elif value and kind.lower() in KINDS:
            found = [e for e in entries if e.value(kind.lower()).lower() == value.strip().lower()]
        else:
            found = [e for e in entries if e.name.lower() == word.lower()]
        if not found:
            close = [e.name for e in entries if word.lower() in e.name.lower()][:4]
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            raise ConfigError(
                f"[sources] catalogue: {word!r} selects no feed of the catalogue; {hint}"
                "name an outlet, or country:PK, language:ru, tier:agency or all "
                "(`readout sources catalogue` lists them)"
            )
        chosen.update(found)
    return [e for e in entries if e in chosen]
