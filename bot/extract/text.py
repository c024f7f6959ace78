"""Small text helpers shared by parsing and extraction: sentences and word runs."""

from __future__ import annotations

import re

from bot.models import Span

# A sentence ends at . ! ? followed by space and an upper-case letter or a quote, unless the
# dot closes a known abbreviation or a single initial ("U.S.", "Mr.", "J. Smith").
_END = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+(?=[A-Z\"\u201c(])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt st jr sr no vs etc inc ltd co corp gov sen rep rev "
    "u.s u.k u.n e.u h.e hon jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def sentences(text: str) -> list[Span]:
    """Split `text` into sentence spans (offsets into `text`)."""
    spans: list[Span] = []
    start = 0
    for paragraph in re.finditer(r"[^\n]+", text):
        p_start, p_end = paragraph.start(), paragraph.end()
        start = p_start
        for end_match in _END.finditer(text, p_start, p_end):
            stop = end_match.start() + 1
            word = re.search(r"([\w.]+)$", text[start : stop - 1])
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or len(token.strip(".")) == 1:
                continue
            chunk = text[start : end_match.end()].rstrip()
            if chunk.strip():
                spans.append(_trimmed(text, start, start + len(chunk)))
            start = end_match.end()
        if text[start:p_end].strip():
            spans.append(_trimmed(text, start, p_end))
    return spans


def first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0].text if found else text.strip()


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])
