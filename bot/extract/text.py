"""Small text helpers shared by parsing and extraction: sentences and word runs."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.extract.dates import MONTHS
from bot.models import Span

# A sentence ends at . ! ? (a closing quote or bracket may follow) and a space before a
# word that is not in lower case ("EE.UU. mantuvieron" goes on) nor a number, unless the
# dot closes a known abbreviation or a single initial ("U.S.", "Mr.", "J. Smith") or a
# day's number written as an ordinal ("am 20. April", "13. Juli"; "March 15. The" ends);
# and after the full stops of scripts that need no space (。 ？ ！ ؟ । ։).
_END = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+(?=[^\W\d_\"\u201c(]|[\"\u201c(])|[。؟！？।։]\s*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt st jr sr no vs etc inc ltd co corp gov sen rep rev "
    "u.s u.k u.n e.u h.e hon jan feb mar apr jun jul aug sep sept oct nov dec "
    "md mohd muhd".split()  # "Md. Touhid Hossain": Muhammad shortened
)
_ORDINAL = re.compile(r"(?P<before>\w*)\.?\s*\b\d{1,2}$")


_PARAGRAPH = re.compile(r"[^\n]+")


@functools.lru_cache(maxsize=4)
def sentences(text: str) -> tuple[Span, ...]:
    """Split `text` into sentence spans (offsets into `text`), in any language Readout
    reads. Remembered for the last few texts: the readings of one report (clauses, place,
    date, outcomes, the alert's quote) ask for the same report's sentences, and it is
    split once."""
    return tuple(_split(text))


def _split(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for paragraph in _PARAGRAPH.finditer(text):
        p_start, p_end = paragraph.start(), paragraph.end()
        start = p_start
        for end_match in _END.finditer(text, p_start, p_end):
            if end_match.end() < p_end and text[end_match.end()].islower():
                continue  # "EE.UU. mantuvieron", "г. Москва"
            if end_match.group().startswith("."):
                stop = end_match.start() + 1
                token = _last_word(text, start, stop - 1).lower()
                if token in _ABBREVIATIONS or len(token.strip(".")) == 1:
                    continue
                if token.isdigit() and _ordinal(text, start, stop - 1):
                    continue
            chunk = text[start : end_match.end()].rstrip()
            if chunk.strip():
                spans.append(_trimmed(text, start, start + len(chunk)))
            start = end_match.end()
        if text[start:p_end].strip():
            spans.append(_trimmed(text, start, p_end))
    return spans


def _last_word(text: str, start: int, end: int) -> str:
    """The run of word characters and dots that ends at text[end] ("U.S", "Mr"), read
    backwards: a pattern anchored at the end tries every position of the sentence."""
    index = end
    while index > start and (text[index - 1].isalnum() or text[index - 1] in "._"):
        index -= 1
    return text[index:end]


def _ordinal(text: str, start: int, end: int) -> bool:
    """The one or two digits before text[end] are a day written as an ordinal ("am 20.",
    "Islamabad, 13."), not a day after its English month ("March 15.", "Sept. 3.")."""
    found = _ORDINAL.search(text, start, end)
    return found is not None and found.group("before").lower() not in MONTHS


def first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0].text if found else text.strip()


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def fold(text: str) -> str:
    """Lower-case `text` without diacritics ("Erdoğan" -> "erdogan"), keeping every offset
    where it was (one char in, one char out). A report's text, which its reading folds in
    several places (the gazetteer's scan, the record's, matching, clustering), is folded
    once: the last few long texts are kept, as are the short ones (names, words)."""
    return _fold_long(text) if len(text) > 200 else _fold_short(text)


@functools.lru_cache(maxsize=8)
def _fold_long(text: str) -> str:
    return _folded(text)


@functools.lru_cache(maxsize=32768)
def _fold_short(text: str) -> str:
    return _folded(text)


def _folded(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower()[0] for ch in text)
    if not lowered.isascii():
        lowered = lowered.translate(_MARKS)
    return _norm_quotes(lowered)


class _MarkTable(dict[int, str]):
    """A letter -> the letter without its marks, for `str.translate`, filled as letters
    are met (a hit costs no Python call: translate looks a dict up in C)."""

    def __missing__(self, code: int) -> str:
        self[code] = found = _strip_mark(chr(code))
        return found


def _strip_mark(ch: str) -> str:
    if ch.isascii() or not ch.isalpha():
        return ch
    # Only a letter with marks on it loses them ("ğ" is "g"); a Hangul syllable, which
    # decomposes into its letters (다 is ᄃ and ᅡ), stays whole.
    decomposed = unicodedata.normalize("NFKD", ch)
    base = decomposed[0]
    if not base.isalpha() or any(unicodedata.category(c)[0] != "M" for c in decomposed[1:]):
        return ch
    return base


_MARKS = _MarkTable()


def _norm_quotes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def starts_with_any(words: Iterable[str]) -> str:
    """A lookahead for the first letters of `words`, in either case ("(?=[MPmp])" for
    "Minister", "President"). Put before a pattern that tries many words at every word
    start, it lets the engine skip the starts no word has without trying each word."""
    letters = {ch for word in words if word for ch in (word[0].lower(), word[0].upper())}
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(letters)) + "])"


def trie_alternation(words: Iterable[str]) -> str:
    """One regular expression that matches any of `words`, shaped as a trie ("Prime
    Minister|President" -> "P(?:rime\\ Minister|resident)"): far faster than a flat
    alternation of a hundred titles, which the engine tries one by one."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie)


def misspellings(key: str, keys: list[str], *, limit: int, cutoff: float) -> list[tuple[int, int]]:
    """(index, distance) of the `keys` a misspelt `key` may stand for, the closest by
    rapidfuzz's ratio first: a letter or two away, not an anagram ("Taliban" is no
    "Italian"), at most one in four letters off."""
    found = []
    for _, _score, index in process.extract(
        key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
    ):
        apart = Levenshtein.distance(key, keys[index])
        if apart <= max(1, len(key) // 4):
            found.append((index, apart))
    return found
