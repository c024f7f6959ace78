"""What the conversion scripts of seeds/tools share: the gazetteer's folder, its tables'
rows, and names folded for comparison (lower case, no marks)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "seeds" / "gazetteer"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def rows(name: str) -> list[list[str]]:
    """The tab-separated rows of seeds/gazetteer/`name`, comments left out."""
    lines = (GAZETTEER / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]
