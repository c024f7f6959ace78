"""People with their titles: "Senate Chairman Syed Yousuf Raza Gilani" (title first) and
"Valentina Matviyenko, Chairwoman of the Federation Council of Russia" (title after)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.extract.gazetteer import Gazetteer, Hit
from bot.models import Person, Span

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017e"
_LOW = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017e"
_NAME_TOKEN = rf"(?:[{_UP}][{_LOW}]+(?:['\u2019][{_UP}][{_LOW}]+)?(?:-[{_UP}]?[{_LOW}]+)*|[A-Z]\.)"
_PARTICLE = r"(?:bin|bint|ibn|al|el|de|da|di|du|van|von|der|den|la|le|dos|das|ul|ur)"
_NICKNAME = rf"(?:\s+[\"\u201c'][{_UP}][{_LOW}]+[\"\u201d'])?"
_NAME = rf"{_NAME_TOKEN}(?:{_NICKNAME}\s+(?:{_PARTICLE}[\s-]+)?{_NAME_TOKEN}){{0,4}}"
_STOP_TOKENS = frozenset(
    """The A An In On At And Of For To With From By He She They It This That These Those His
    Her Their Its Both Also But Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Meeting Meetings Talks Visit Summit Assembly Council Conference Forum Session Government
    Ministry Parliament Senate Office Embassy Republic Kingdom State States Union""".split()
)


@dataclass(frozen=True)
class _Found:
    name: str
    name_span: Span
    role: str | None
    country: str | None


@functools.cache
def _patterns(heads: tuple[str, ...], modifiers: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    def alternation(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    title = rf"(?:(?:{alternation(modifiers)})\s+){{0,3}}(?:{alternation(heads)})"
    of_what = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:and\s+)?[A-Z][\w\-]*)*)?"
    before = re.compile(rf"(?P<title>\b{title}{of_what})\s+(?P<name>{_NAME})")
    after = re.compile(
        rf"(?P<name>\b{_NAME}),\s+(?:the\s+|a\s+)?(?P<title>{title}"
        rf"(?:\s+(?:of|for|to|at)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w\-]*)*)?)"
    )
    return before, after


def find_people(text: str, hits: list[Hit], gazetteer: Gazetteer) -> list[Person]:
    """People named with a title, each with role, country (when the text says it) and every
    span where the text names them (later mentions by surname included)."""
    before, after = _patterns(gazetteer.role_heads, gazetteer.role_modifiers)
    countries = [h for h in hits if h.entity_id.startswith("country:")]
    entity_spans = [(h.start, h.end) for h in hits if not h.entity_id.startswith("topic:")]
    found: list[_Found] = []
    for m in before.finditer(text):
        name_span = _clean_name(text, m.start("name"), m.end("name"))
        if name_span is None or _inside_entity(name_span, entity_spans):
            continue
        country = _country_before(text, m.start("title"), countries) or _country_after(
            text, name_span.end, countries
        )
        found.append(_Found(name_span.text, name_span, m.group("title"), country))
    for m in after.finditer(text):
        name_span = _last_name_run(text, m.start("name"), m.end("name"))
        if name_span is None or _inside_entity(name_span, entity_spans):
            continue
        if len(name_span.text.split()) < 2:
            continue
        role, country = _split_role(m.group("title"), m.start("title"), countries)
        found.append(_Found(name_span.text, name_span, role, country))
    return _merge(text, found)


def _clean_name(text: str, start: int, end: int) -> Span | None:
    """Cut a name at the first word that cannot be part of it ("Lavrov Tuesday")."""
    tokens = list(re.finditer(r"\S+", text[start:end]))
    kept_end = start
    for token in tokens:
        if token.group().strip(".,") in _STOP_TOKENS:
            break
        kept_end = start + token.end()
    if kept_end == start:
        return None
    return Span(start, kept_end, text[start:kept_end])


def _last_name_run(text: str, start: int, end: int) -> Span | None:
    """For "... with Valentina Matviyenko, Chairwoman", keep the name after any stop word."""
    tokens = list(re.finditer(r"\S+", text[start:end]))
    first = 0
    for i, token in enumerate(tokens):
        if token.group() in _STOP_TOKENS:
            first = i + 1
    if first >= len(tokens):
        return None
    s = start + tokens[first].start()
    return Span(s, end, text[s:end])


def _inside_entity(span: Span, entity_spans: list[tuple[int, int]]) -> bool:
    return any(s <= span.start and span.end <= e for s, e in entity_spans) or any(
        span.start <= s and e <= span.end and (e - s) >= (span.end - span.start) / 2
        for s, e in entity_spans
    )


def _country_before(text: str, title_start: int, countries: list[Hit]) -> str | None:
    """`Russian Foreign Minister`, `Pakistan's Senate Chairman`: the country just before."""
    for hit in countries:
        gap = text[hit.end : title_start]
        if re.fullmatch(r"(?:['\u2019]s)?\s+", gap):
            return hit.entity_id.split(":", 1)[1]
    return None


def _country_after(text: str, name_end: int, countries: list[Hit]) -> str | None:
    """`Prime Minister Boris Johnson of the United Kingdom`: the country just after."""
    for hit in countries:
        gap = text[name_end : hit.start]
        if hit.start >= name_end and re.fullmatch(r",?\s+of\s+(?:the\s+)?", gap):
            return hit.entity_id.split(":", 1)[1]
    return None


def _split_role(title: str, title_start: int, countries: list[Hit]) -> tuple[str, str | None]:
    """`Chairwoman of the Federation Council of Russia` -> (`Chairwoman of the Federation
    Council`, RU)."""
    country: str | None = None
    role = title
    title_end = title_start + len(title)
    for hit in countries:
        if title_start <= hit.start and hit.end <= title_end:
            country = hit.entity_id.split(":", 1)[1]
            tail = re.search(r"\s+(?:of|for)\s+(?:the\s+)?$", title[: hit.start - title_start])
            if tail and hit.end == title_end:
                role = title[: tail.start()]
            break
    return role.strip(), country


def _merge(text: str, found: list[_Found]) -> list[Person]:
    """One Person per surname: the longest name, the first role and country given."""
    by_surname: dict[str, list[_Found]] = {}
    for item in sorted(found, key=lambda f: f.name_span.start):
        surname = item.name.split()[-1]
        by_surname.setdefault(surname, []).append(item)
    people: list[Person] = []
    for surname, items in by_surname.items():
        name = max((i.name for i in items), key=len)
        role = next((i.role for i in items if i.role), None)
        country = next((i.country for i in items if i.country), None)
        spans = {(i.name_span.start, i.name_span.end) for i in items}
        covered = [range(s, e) for s, e in spans]
        for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
            if not any(m.start() in r for r in covered):
                spans.add((m.start(), m.end()))
        ordered = tuple(Span(s, e, text[s:e]) for s, e in sorted(spans))
        people.append(Person(name=name, role=role, country=country, spans=ordered))
    people.sort(key=lambda p: p.spans[0].start)
    return people
