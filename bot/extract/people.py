"""People with their titles and, where something supports it, their country.

A person is a name: "Senate Chairman Syed Yousuf Raza Gilani" (title first), "Valentina
Matviyenko, Chairwoman of the Federation Council of Russia" (title after), "H.E. Dr. Ahmet
Davutoğlu" (honorific), or a full name of the officeholders record ("Wang Yi"). A title
without a name is never a person. The country comes from evidence attached to the person,
in this order: the grammar around the name ("Russian Foreign Minister Sergey Lavrov",
"Lavrov of Russia", "Wang Yi, ... Chinese Foreign Minister"), an institution in the title
("... of the Federation Council"), then the dated officeholders record. Nothing else: a
person with none of these keeps an unknown country.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from bot.extract.dates import MONTH_NAMES, WEEKDAYS
from bot.extract.doc import Doc
from bot.extract.gazetteer import Gazetteer, Hit
from bot.extract.names import (
    FAMILY_FIRST,
    FAMILY_FIRST_SOMETIMES,
    HONORIFICS,
    PARTICLES,
    POSTNOMINALS,
)
from bot.extract.officeholders import name_key
from bot.extract.text import fold, starts_with_any, trie_alternation
from bot.models import Person, Span

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017e"
_LOW = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017e"
# "Lavrov", "MOTEGI", "McDonough", "DeSantis"; a lone capital is an initial ("S Jaishankar").
_WORD = rf"[{_UP}](?:[{_LOW}]+(?:[{_UP}][{_LOW}]+)?|[{_UP}]*(?![{_LOW}]))"
_NAME_TOKEN = (  # an initial first: "R." of "Joseph R. Biden" is not the word "R"; nor is
    # "Md." of "Md. Touhid Hossain" (Muhammad, as Bangladesh and Malaysia shorten it)
    rf"(?:(?:Md|Mohd|Muhd)\.|[A-Z]\.(?:[A-Z]\.)?"
    rf"|{_WORD}(?:['\u2019][{_UP}][{_LOW}]+)?(?:-[{_UP}]?[{_LOW}]+)*)"
)
_PARTICLE = "(?:" + "|".join(sorted(PARTICLES | {"Al", "El"}, key=len, reverse=True)) + ")"
_NICKNAME = rf"(?:[ \t]+[\"\u201c'][{_UP}][{_LOW}]+[\"\u201d'])?"
# Words of a name never cross a line: a name never runs across a paragraph break. Two
# particles may stand together ("Ursula von der Leyen", "Juan de la Cruz").
_NAME = rf"{_NAME_TOKEN}(?:{_NICKNAME}[ \t]+(?:{_PARTICLE}[ \t-]+){{0,2}}{_NAME_TOKEN}){{0,5}}"
_HONORIFIC_WORDS = "|".join(
    re.escape(h).replace(r"\ ", r"\s?") for h in sorted(HONORIFICS, key=len, reverse=True)
)
_HONORIFIC = rf"(?:(?:{_HONORIFIC_WORDS})[ \t]+)"
# The first letters of the honorifics above, for the engine to skip every other word start.
_HONORIFIC_START = "(?=[" + "".join(sorted({h[0] for h in HONORIFICS})) + "])"
# "President of Iran Sayyed" + "Ebrahim Raisi": an honorific ends no title.
_TRAILING_HONORIFIC = re.compile(
    rf"(?:[ \t]+(?:{_HONORIFIC_WORDS}|His|Her|Excellency|Syed|Senator))+$"
)
_STOP_TOKENS = (
    frozenset(w.capitalize() for w in (*WEEKDAYS, *MONTH_NAMES))
    | frozenset(
        """The A An In On At And Of For To With From By He She They It This That These Those His
    Her Their Its Both Also But As During After Before While When Where Since Today Yesterday
    Meeting Meetings Talks Visit Summit Assembly Council Conference Forum Session Government
    Ministry Parliament Senate Office Embassy Republic Kingdom State States Union House
    Palace Foreign Affairs Minister Secretary President Prime Chairman Chairwoman Mr Mrs Ms Dr
    Excellency Federal National Defence Defense General Deputy Ambassador Special Envoy
    Policy Affairs Security Cooperation Development Relations Trade Commerce Homeland
    Veterans Energy Justice Defense Treasury Interior Labor Labour Health Integration
    Community Abroad Committee Commission Bureau Central Executive Organization Organisation
    """.split()
    )
    | frozenset(POSTNOMINALS)
)
# A Title Case headline's verbs are never part of a name: "PM Holds Talks", "Tinubu Receives
# Letters".
_STOP_TOKENS |= frozenset(
    """Holds Meets Receives Hosts Welcomes Visits Calls Discusses Urges Holding Meeting
    Receiving Hosting Welcoming Visiting""".split()
)
_ORG_OFFICE = re.compile(
    r"(?i:secretary[- ]general|director[- ]general|high\s+representative|\bhr\b|commissioner|"
    r"special\s+(?:envoy|representative|coordinator)|chairperson|spokes\w+|president\s+of\s+the)"
)
_TITLE_WORDS = frozenset(
    """Crown Prince Princess King Queen Emir Amir Sultan Sheikh President Minister Premier
    Chancellor Secretary General Deputy Vice Foreign Prime Defence Defense Chief Speaker
    Chairman Chairwoman Ambassador Envoy Leader Head Governor Mayor Senator Excellency
    Highness Majesty Holiness""".split()
)


@dataclass(frozen=True)
class _Found:
    name: str
    name_span: Span
    role: str | None
    title_start: int  # where the title before the name begins (the name's start if none)
    country: str | None = None
    org: str | None = None
    evidence: str | None = None


@functools.cache
def _patterns(heads: tuple[str, ...], modifiers: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    def alternation(words: tuple[str, ...]) -> str:
        # Case-insensitive below: the trie is built on lower case.
        return trie_alternation({w.lower() for w in words})

    title = rf"(?i:(?:(?:{alternation(modifiers)})[ \t]+){{0,4}}(?:{alternation(heads)}))"
    word = r"[A-Z][\w\-]*"
    # "of Veterans Affairs" reads as few words as it can, and a name never begins with a
    # title's word: "Secretary of Veterans Affairs | Dennis McDonough".
    of_what = (
        rf"(?:[ \t]+(?:of|for|to)[ \t]+(?:the[ \t]+)?{word}"
        rf"(?:[ \t]+(?:and[ \t]+|of[ \t]+(?:the[ \t]+)?)?{word})*?)?"
    )
    not_a_title = rf"(?!(?:{trie_alternation(_title_words(heads, modifiers))})\b)"
    # A comma may part the title and the name: "Sudanese Prime Minister, Abdalla Hamdok".
    before = re.compile(
        rf"{starts_with_any(heads + modifiers)}(?P<title>\b{title}{of_what})"
        rf",?[ \t]+{_HONORIFIC}?{not_a_title}(?P<name>{_NAME})"
        r"(?![\w\u2019'-])"
    )
    after = re.compile(  # a name starts with a capital: "(?=[...])" skips every other letter
        rf"(?=[{_UP}])(?P<name>\b{_NAME}),[ \t]+(?:the[ \t]+|a[ \t]+)?(?P<title>{title}"
        rf"(?:[ \t]+(?:of|for|to|at)[ \t]+(?:the[ \t]+)?{word}"
        rf"(?:[ \t]+(?:and[ \t]+|of[ \t]+(?:the[ \t]+)?)?{word})*)?)"
    )
    honorific = re.compile(
        rf"{_HONORIFIC_START}(?P<title>\b{_HONORIFIC}+)(?P<name>{_NAME})(?![\w\u2019'-])"
    )
    # Every match of `after` holds a comma and a title after it: a text with no such pair
    # (most texts) is not read for names before commas at all.
    comma_title = re.compile(rf",[ \t]+(?:the[ \t]+|a[ \t]+)?{title}")
    return before, after, honorific, comma_title


def _title_words(heads: tuple[str, ...], modifiers: tuple[str, ...]) -> set[str]:
    words = {w for phrase in heads + modifiers for w in phrase.split() if w[:1].isupper()}
    return words | {w for w in _STOP_TOKENS if w[:1].isupper()}


def find_people(doc: Doc, gazetteer: Gazetteer) -> list[Person]:
    """People named in the report, each with role, country or organisation (only when
    something supports it, see the module's docstring) and every span that names them;
    the record answers for the report's own day."""
    text, hits, names, on = doc.text, doc.hits, doc.names, doc.reference
    before, after, honorific, comma_title = _patterns(
        gazetteer.role_heads, gazetteer.role_modifiers
    )
    blocked = [(h.start, h.end) for h in hits if not h.entity_id.startswith("topic:")]
    blocked += [(s, e) for s, e in _institution_spans(text, gazetteer)]
    found: list[_Found] = []
    # Countries first: "ASEAN Chair Prime Minister Hun Sen of Cambodia" is Cambodia's.
    countries = [h for h in hits if h.entity_id.startswith("country:")]
    countries += [h for h in hits if h.entity_id.startswith("org:")]
    position = 0
    titles_before: set[int] = set()  # where a title that introduces the name after it starts
    while (m := before.search(text, position)) is not None:
        position = m.end()
        title_end, name_start, name_end = _title_split(text, m, countries, names)
        name_span = _clean_name(text, name_start, name_end)
        if name_span is None or _inside_entity(name_span, blocked, names):
            continue
        if text.startswith(("\u2026", "..."), name_span.end) or _BODY_AFTER.match(
            text, name_span.end
        ):
            # A teaser cut short ("... of the Palestine Liberation…"), or a body's name
            # ("... of the Palestine Liberation Organization"): nobody's name.
            continue
        position = name_span.end  # "X and Foreign Minister of Y Z": Z is read next
        title = _TRAILING_HONORIFIC.sub("", text[m.start("title") : title_end])
        found.append(_Found(name_span.text, name_span, _role(title), m.start("title")))
        if len(name_span.text.split()) >= 2 or _is_known(name_span, names):
            titles_before.add(m.start("title"))  # not "... Regional | Integration, the ..."
    for m in after.finditer(text) if comma_title.search(text) else ():
        if m.start("title") in titles_before:
            continue  # "A, President of Djibouti Ismaïl Omar Guelleh": the title is Guelleh's
        name_span = _last_name_run(text, m.start("name"), m.end("name"))
        if name_span is not None:
            name_span = _after_country_of(text, name_span, countries)
        if name_span is None or _inside_entity(name_span, blocked, names):
            continue
        if len(name_span.text.split()) < 2:
            continue
        found.append(_Found(name_span.text, name_span, _role(m.group("title")), name_span.start))
    for m in honorific.finditer(text):
        name_span = _clean_name(text, m.start("name"), m.end("name"))
        if name_span is None or _inside_entity(name_span, blocked, names):
            continue
        if len(name_span.text.split()) < 2 and not _is_known(name_span, names):
            continue
        found.append(_Found(name_span.text, name_span, None, m.start("title")))
    for start, end in names:
        city = gazetteer.city(text[start:end])
        if city is not None and not city.town:
            continue  # "Los Angeles" is a city before it is anybody's name
        found.append(_Found(text[start:end], Span(start, end, text[start:end]), None, start))
    people = [_with_evidence(text, f, countries, gazetteer, on) for f in found]
    return _merge(text, people)


def _title_split(
    text: str, m: re.Match[str], countries: list[Hit], names: list[tuple[int, int]]
) -> tuple[int, int, int]:
    """Where the title ends and the name begins and ends, when the title pattern read too
    far: "President of Iran Sayyed Ebrahim Raisi" (the title ends at the country its "of"
    names) and "Minister of Foreign Affairs Hossein Amir-Abdolhian and Foreign Minister
    of Turkmenistan Rashid Meredov" (a known name inside the title is the name)."""
    title_start, title_end = m.start("title"), m.end("title")
    for start, end in names:
        if title_start < start < title_end:
            return start, start, end
    for hit in countries:
        # Or not far enough: "President of Sri | Lanka Anura Kumara Dissanayake" is
        # "President of Sri Lanka | Anura Kumara Dissanayake" (the country's whole name).
        inside = title_start < hit.start and hit.end < title_end
        inside = inside or title_start < hit.start < title_end < hit.end < m.end("name")
        if inside and _OF_BEFORE.search(text[title_start : hit.start]):
            # The body's own words end the title too: "Chairperson of the African Union
            # Commission | Moussa Faki Mahamat".
            title_end = hit.end
            while (word := _NEXT_WORD.match(text, title_end, m.end("name"))) and word.group(
                "word"
            ) in _STOP_TOKENS:
                title_end = word.end()
            rest = re.match(rf"\s+{_HONORIFIC}?", text[title_end : m.end("name")])
            return title_end, title_end + (rest.end() if rest else 0), m.end("name")
    return title_end, m.start("name"), m.end("name")


_NEXT_WORD = re.compile(r"\s+(?P<word>[\w-]+)")
# Words that end a body's name: a capitalised word before one is part of that name.
_BODY_AFTER = re.compile(
    r"[ \t]+(?:Organi[sz]ation|Committee|Commission|Council|Union|Assembly|Bureau|Authority|"
    r"Front|Party|Movement|Agency|Institute|Foundation|Bank|Fund)\b"
)


def _role(title: str) -> str | None:
    role = " ".join(title.split())
    return role or None


def _is_known(span: Span, names: list[tuple[int, int]]) -> bool:
    return any(s <= span.start and span.end <= e for s, e in names)


def _institution_spans(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    names = gazetteer.institution_names
    return [m.span() for m in _any_of(names).finditer(fold(text))] if names else []


@functools.lru_cache(maxsize=4)
def _any_of(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b{starts_with_any(names)}(?:{trie_alternation(names)})\b")


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


def _after_country_of(text: str, span: Span, countries: list[Hit]) -> Span | None:
    """A name run that begins with the country an "of" before it names ends that title:
    "President of Botswana | Mokgweetsi Masisi, President of Somalia, ..."."""
    for hit in countries:
        if (
            hit.start == span.start
            and hit.end < span.end
            and _OF_BEFORE.search(text, max(0, hit.start - 12), hit.start)
        ):
            rest = text[hit.end : span.end]
            start = hit.end + len(rest) - len(rest.lstrip())
            return Span(start, span.end, text[start : span.end])
    return span


_OF_BEFORE = re.compile(r"\b(?:of|for)\s+(?:the\s+)?$")


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


def _inside_entity(
    span: Span, blocked: list[tuple[int, int]], names: list[tuple[int, int]]
) -> bool:
    if _is_known(span, names):
        return False  # "Israel Katz" is a person, whatever the country inside the name
    words = re.findall(r"[\w'\u2019]+", span.text)  # "Secretary-General": two title words
    if all(
        w in _TITLE_WORDS or any(s <= span.start + span.text.find(w) < e for s, e in blocked)
        for w in words
    ):
        return True  # "Saudi Crown Prince": a title, not a name
    return any(s <= span.start and span.end <= e for s, e in blocked) or any(
        span.start <= s and e <= span.end and (e - s) >= (span.end - span.start) / 2
        for s, e in blocked
    )


# -- evidence --------------------------------------------------------------------------------


def _with_evidence(
    text: str, found: _Found, countries: list[Hit], gazetteer: Gazetteer, on: date | None
) -> _Found:
    """The first rule that says where the person is from: grammar, institution, record."""
    span = found.name_span
    title_start = found.title_start
    for hit in countries:
        code = hit.entity_id.split(":", 1)[1]
        is_org = hit.entity_id.startswith("org:")
        # "Russian Foreign Minister Lavrov", "Pakistan's Senate Chairman", "UN Secretary-
        # General Guterres", "U.S. Middle East envoy Dennis Ross": the country or
        # organisation just before the title (a few capitalised words may come between).
        gap = text[hit.end : title_start]
        if is_org and not _ORG_OFFICE.search(found.role or ""):
            continue  # "G7 Leaders", "ASEAN Chair": a forum's, not the organisation's
        if hit.end <= title_start and re.fullmatch(
            r"(?:['\u2019]s)?(?:[ \t]+\([A-Z]{2,6}\))?(?:[ \t]+[A-Z][\w.-]*){0,3}?[ \t]+", gap
        ):
            return _set(found, code, is_org, f"grammar: '{text[hit.start : span.start].strip()}'")
        # "Prime Minister Boris Johnson of the United Kingdom".
        after = text[span.end : hit.start]
        if hit.start >= span.end and re.fullmatch(r",?[ \t]+of[ \t]+(?:the[ \t]+)?", after):
            return _set(found, code, is_org, f"grammar: '{text[span.start : hit.end]}'")
    if found.role:
        role, inside = _split_role(found.role, countries, title_start)
        if inside is not None:
            code, is_org = inside
            evidence = f"grammar: '{found.role}'"
            return replace(_set(found, code, is_org, evidence), role=role)
        for institution in gazetteer.institutions:
            if institution.is_institution and fold(institution.name) in fold(found.role):
                return _set(found, institution.country, False, f"institution: {institution.name}")
    apposition = _apposition_country(text, span, countries)
    if apposition is not None:
        code, is_org, words = apposition
        return _set(found, code, is_org, f"grammar: '{words}'")
    resolved = gazetteer.officeholders.resolve(found.name, found.role, on)
    if resolved is not None:
        is_org = resolved.country.startswith("org:")
        return _set(found, resolved.country.removeprefix("org:"), is_org, resolved.evidence)
    return found


def _set(found: _Found, code: str, is_org: bool, evidence: str) -> _Found:
    if is_org:
        return replace(found, org=code, evidence=evidence)
    return replace(found, country=code, evidence=evidence)


_OF_BEFORE_END = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?$")


def _of_at_end(needle: str, role: str) -> int | None:
    """Where " of Russia", " for the UN" begins when it ends the title `role`: one
    pattern for every name, not one compiled for each (a millisecond each, and hundreds
    of names)."""
    if not role.endswith(needle):
        return None
    m = _OF_BEFORE_END.search(role, 0, len(role) - len(needle))
    return m.start() if m else None


def _whole_word(word: str, text: str) -> Iterator[int]:
    """Where `word` stands in `text` as a whole word, as `\\bword\\b` finds it, without
    a pattern made for each name."""
    size = len(word)
    start = text.find(word)
    while start >= 0:
        end = start + size
        if _boundary(text, start) and _boundary(text, end):
            yield start
            start = text.find(word, end)
        else:
            start = text.find(word, start + 1)


def _is_word(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _boundary(text: str, at: int) -> bool:
    """`\\b` at `at`: a word character on one side of it and none on the other."""
    return _is_word(text, at - 1) != _is_word(text, at)


def _split_role(
    role: str, hits: list[Hit], title_start: int
) -> tuple[str, tuple[str, bool] | None]:
    """`Chairwoman of the Federation Council of Russia` -> (`Chairwoman of the Federation
    Council`, RU); `Minister for Foreign Affairs of Turkey` -> (..., TR)."""
    folded_role = fold(role)
    words = role.split()
    for hit in hits:
        needle = fold(hit.text)
        at = _of_at_end(needle, folded_role)
        if at is None and hit.entity_id.startswith("org:") and _ORG_OFFICE.search(role):
            # An organisation's body may follow its name: "Chairperson of the African
            # Union Commission" is the African Union's.
            body = len(words)
            while body > 1 and words[body - 1] in _STOP_TOKENS and at is None:
                body -= 1
                at = _of_at_end(needle, fold(" ".join(words[:body])))
        if at is not None and (title_start <= hit.start or title_start == 0):
            code = hit.entity_id.split(":", 1)[1]
            return role[:at].strip() or role, (code, hit.entity_id.startswith("org:"))
    return role, None


_APPOSITION_OPENERS = frozenset(
    """the a an his her their its also currently member state chief head minister foreign
    prime deputy vice senior special""".split()
)
_APPOSITION_TITLE = re.compile(
    r"(?i:\b(?:foreign|prime|defen[cs]e|deputy|vice|state|interior|finance|president|minister|"
    r"secretary|chancellor|premier|ambassador|counterpart|envoy|leader|king|emir|amir|"
    r"speaker|chairman|chairwoman|councilor|councillor))"
)


def _apposition_country(text: str, span: Span, hits: list[Hit]) -> tuple[str, bool, str] | None:
    """ "Wang Yi, member of the Political Bureau ... and Chinese Foreign Minister": a
    country word that qualifies a title in the comma phrase right after the name."""
    if not text[span.end : span.end + 2].startswith(","):
        return None
    opening = re.match(r",\s+(\S+)", text[span.end : span.end + 40])
    if opening is None:
        return None
    first = opening.group(1)
    if first[:1].islower() and first not in _APPOSITION_OPENERS:
        return None  # ", met with the UN Secretary General": a verb, not an apposition
    stop = re.search(
        r"(?<!\b[A-Z])[.;:()\n]|,\s+(?:said|says|who|which|and he|and she)\b|\s[a-z]+ed\b",
        text[span.end + 1 : span.end + 240],
    )
    end = span.end + 1 + (stop.start() if stop else 240)
    for hit in hits:
        if not (span.end < hit.start < end):
            continue
        following = text[hit.end : hit.end + 40]
        title = re.match(
            r"(?:['\u2019]s)?\s+(?:[\w-]+\s+){0,2}?"
            + _APPOSITION_TITLE.pattern
            + r"[\w-]*(?:\s+[A-Z][\w-]*){0,3}",
            following,
        )
        # The apposition closes after its title: "..., Chinese Foreign Minister, said".
        if title and re.match(r"\s*(?:[,.;)]|$)", following[title.end() :]):
            words = text[hit.start : hit.end + len(following.split(",")[0])].strip()
            return hit.entity_id.split(":", 1)[1], hit.entity_id.startswith("org:"), words
        # Or the country closes it after the title: "Shirley Ayorkor Botchwey, Minister
        # for Foreign Affairs and Regional Integration, the Republic of Ghana."
        if (
            hit.entity_id.startswith("country:")
            and _APPOSITION_TITLE.search(text, span.end, hit.start)
            and _COUNTRY_LAST.search(text, span.end, hit.start)
            and re.match(r"\s*(?:[,.;)]|$)", following)
        ):
            words = text[span.end + 1 : hit.end].strip()
            return hit.entity_id.split(":", 1)[1], False, words
    return None


_COUNTRY_LAST = re.compile(r",\s+(?:the\s+)?$")


# -- one person, many mentions -----------------------------------------------------------------


def _same_person(a: list[str], b: list[str]) -> bool:
    """ "Lavrov" ~ "Sergey Lavrov", "Ishaq Dar" ~ "Mohammad Ishaq Dar", "Mike Pompeo" ~
    "Michael Pompeo"; not "Salman bin Abdulaziz" ~ "Mohammad bin Salman bin Abdulaziz"
    (a father's name inside a son's), not "Nawaf Al-Sabah" ~ "Mishal Al-Sabah"."""
    small, large = sorted((a, b), key=len)
    if set(small) <= set(large):
        patronymic = {"bin", "ibn", "bint"} & set(large)
        return not (patronymic and len(small) > 1 and small[0] != large[0])
    same_surname = len(a) > 1 and len(b) > 1 and a[-1] == b[-1] and len(a[-1]) >= 4
    return same_surname and a[0][:2] == b[0][:2]


# Family name first: "Wang Yi" is "Wang" on second mention, "Yoon Suk Yeol" is "Yoon".
_FAMILY_FIRST = FAMILY_FIRST | FAMILY_FIRST_SOMETIMES
_GIVEN_NAMES = frozenset(
    """Muhammad Mohammad Mohammed Mohamed Muhammed Ahmed Ahmad Ali Abdul Abdel Abdullah Sheikh
    Syed Sayyed Seyed Datuk Seri Tan Sri Dato Haji Al El Bin Ibn""".split()
)


def _short_forms(name: str, country: str | None) -> list[str]:
    """How a text names the person again: the surname ("Lavrov"), the family name of a
    family-name-first country ("Wang"), and a two-word name's first word where that is how
    the person is called ("Anwar" of "Anwar Ibrahim")."""
    words = [w for w in name.split() if w[:1].isupper()]
    if not words:
        return []
    forms = [words[-1]] if len(words[-1]) > 2 else []
    if len(words) >= 2 and (country in _FAMILY_FIRST or len(words) == 2 or "Seri" in words):
        given = next((w for w in words if w not in _GIVEN_NAMES), None)
        if given and given not in forms and len(given) > 2:
            forms.append(given)
    return forms


def _merge(text: str, found: list[_Found]) -> list[Person]:
    """One Person per name: a shorter form whose words all belong to a longer one is the
    same person ("Lavrov", "Sergey Lavrov"). The longest name, the first role, the first
    evidence found in text order."""
    groups: list[list[_Found]] = []
    for item in sorted(found, key=lambda f: (f.name_span.start, -len(f.name))):
        words = set(name_key(item.name).split())
        if not words:
            continue
        for group in groups:
            longest = name_key(max((g.name for g in group), key=len)).split()
            theirs = set(longest)
            same_surname = (
                len(words) > 1
                and len(longest) > 1
                and (name_key(item.name).split()[-1] == longest[-1] and len(longest[-1]) >= 4)
            )
            if words <= theirs or theirs <= words or same_surname:
                group.append(item)
                break
        else:
            groups.append([item])
    people: list[Person] = []
    for items in groups:
        name = max((i.name for i in items), key=len)
        role = next((i.role for i in items if i.role), None)
        with_country = next((i for i in items if i.country or i.org), None)
        spans = {(i.name_span.start, i.name_span.end) for i in items}
        covered = [range(s, e) for s, e in spans]
        for word in _short_forms(name, with_country.country if with_country else None):
            for start in _whole_word(word, text):
                if not any(start in r for r in covered):
                    spans.add((start, start + len(word)))
        ordered = tuple(Span(s, e, text[s:e]) for s, e in sorted(spans))
        people.append(
            Person(
                name=name,
                role=role,
                country=with_country.country if with_country else None,
                spans=ordered,
                org=with_country.org if with_country else None,
                evidence=with_country.evidence if with_country else None,
            )
        )
    people.sort(key=lambda p: p.spans[0].start)
    return people
