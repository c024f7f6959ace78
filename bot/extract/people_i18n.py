"""People a lead sentence in another language names, and the side the dated record gives
each. Pure: the spellings and the transliterator are handed in with the gazetteer.

Four ways a name is known, each ending in the officeholders record (which gives the
person's country, or organisation, on the report's day):
1. a full name of the record as written ("Antony Blinken", "Marco Rubio");
2. a hand-kept spelling in another script (特朗普, لافروف, اسحاق ڈار, Трамп);
3. a surname as another language spells it, Latin or Cyrillic read letter for letter
   ("Lawrow", "Selensky", «Лаврову»), when it sounds as the surname of one prominent
   officeholder (head of state or government, foreign or defence minister, head of an
   organisation): in office on the day, or of one country only;
4. a Chinese official's name in characters (王毅, 习近平), read as its syllables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from bot.extract.names import PARTICLES
from bot.extract.officeholders import Officeholders, Resolved
from bot.models import Person, Span

if TYPE_CHECKING:
    from bot.extract.gazetteer import Gazetteer

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]{2,}")
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
_HYPHENS = frozenset("-\u2010\u2011")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
# Russian case endings a surname takes ("Лаврова", "Лаврову", "Лавровым"), read letter
# for letter.
_CASE_ENDINGS = ("ym", "im", "om", "em", "oi", "ei", "oy", "a", "u", "e", "y")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC_PREFIXES = frozenset("\u0648\u0628\u0644\u0641\u0643")  # و ب ل ف ك
# A word of any script, up to a space, digit or punctuation (marks of Indic scripts and
# Arabic vowel signs are part of it), or a run of katakana.
_SCRIPT_WORD = re.compile(
    r"[\u30a1-\u30fa\u30fc]+"  # a katakana run: Japanese writes no spaces
    r"|[^\s\d.,;:!?()\[\]{}\"'«»“”„‘’،؛。、，：；（）/|–—・·‧=_\u0964\u0965\u3000-\u9fff-]+"
)
# What may part a foreign name's words: a space, katakana's ・, a hyphen.
_NAME_JOINERS = " \u00a0\u30fb\u00b7\u2027=-"
# Korean particles written onto a name's last syllable (블링컨은, 틸러슨과, 장관의).
_KOREAN_PARTICLES = frozenset("은는이가을를과와의도")


@dataclass(frozen=True)
class NamedSide:
    """A person named in the text, with the side the record gives them."""

    start: int
    end: int
    side: str  # entity id: "country:RU", "org:UN"
    evidence: str
    person: str | None  # the record's name ("Sergey Lavrov" for «Лавров»)
    office: str | None  # their office on the day, from the record


def named_sides(
    text: str,
    start: int,
    stop: int,
    gazetteer: Gazetteer,
    names: list[tuple[int, int]],
    taken: list[tuple[int, int]],
    on: date | None,
) -> list[NamedSide]:
    """The people named in text[start:stop] whom the record gives a side, in text order.
    `names`: the record's full names found in the text; `taken`: spans already read as
    something else (countries, organisations), never a person."""
    record = gazetteer.officeholders
    found: list[NamedSide] = []
    busy = list(taken)

    def add(s: int, e: int, resolved: Resolved | None) -> None:
        if resolved is None or any(s < b and a < e for a, b in busy):
            return
        side = _side_id(resolved.country, gazetteer)
        if side is not None:
            evidence = f"{text[s:e]!r}: {resolved.evidence}"
            found.append(NamedSide(s, e, side, evidence, resolved.person, resolved.office))
            busy.append((s, e))

    for s, e in names:
        if start <= s and e <= stop:
            add(s, e, record.resolve(text[s:e], None, on))
    clause = text[start:stop]
    for spelling, name in gazetteer.person_spellings:
        at = clause.find(spelling)
        while at >= 0:
            word_end = _word_end(text, start + at, start + at + len(spelling))
            if word_end is not None:
                add(start + at, word_end, record.resolve(name, None, on))
            at = clause.find(spelling, at + 1)
    transliterate = gazetteer.transliterate
    if transliterate is not None:
        words = list(_WORD.finditer(text, start, stop))
        for i, m in enumerate(words):
            word = m.group()
            if not word[:1].isupper() or len(word) < 4:
                continue
            following = words[i + 1].group() if i + 1 < len(words) else ""
            adjacent = i + 1 < len(words) and not text[m.end() : words[i + 1].start()].strip()
            if adjacent and (following[:1].isupper() or following.lower() in PARTICLES):
                continue  # not the last word of a name ("Luis Gilberto", "Palacio de")
            given = _given_names(text, words[:i], m.start(), busy)
            for candidate in _surname_forms(word, transliterate):
                forms = [_surname_forms(g, transliterate)[:1] for g in given]
                resolved = record.by_surname(candidate, [f[0] for f in forms if f], on)
                if resolved is not None:
                    add(m.start(), m.end(), resolved)
                    break
        for m in _HAN_RUN.finditer(text, start, stop):
            # Characters read as syllables; the longest name starting at each one.
            syllables = [transliterate(ch).lower() for ch in m.group()]
            i = 0
            while i < len(syllables) - 1:
                for size in (4, 3, 2):
                    key = "".join(syllables[i : i + size])
                    resolved = record.by_han_name(key, on) if i + size <= len(syllables) else None
                    if resolved is not None:
                        add(m.start() + i, m.start() + i + size, resolved)
                        i += size - 1
                        break
                i += 1
        if on is not None:
            for s, e, resolved in _by_shape(text, start, stop, record, transliterate, on):
                add(s, e, resolved)
        korean = gazetteer.lexicon.get("ko")
        families = korean.family_names if korean is not None else {}
        for m in _HANGUL_RUN.finditer(text, start, stop) if families else ():
            # 정의용 is Chung Eui-yong: the family syllable's spellings and the given name
            # read in Latin letters; a case ending may follow (정의용은), so three syllables,
            # then two (박진).
            run = m.group()
            for size in (3, 2):
                spellings = families.get(run[0], ())
                read_as = "".join(transliterate(ch) for ch in run[1:size])
                resolved = (
                    record.by_family_name(spellings, read_as, on) if size <= len(run) else None
                )
                if resolved is not None:
                    add(m.start(), m.start() + size, resolved)
                    break
    found.sort(key=lambda n: n.start)
    return found


def _by_shape(
    text: str,
    start: int,
    stop: int,
    record: Officeholders,
    transliterate: Callable[[str], str],
    on: date,
) -> list[tuple[int, int, Resolved]]:
    """Foreign names written by their sounds in a script of its own (katakana, Hangul,
    Arabic, Persian, Urdu, Devanagari, Bengali, Armenian, Cyrillic): each word read in
    Latin letters as a surname, with the one or two words written just before it as its
    given names (Officeholders.by_shape)."""
    words = [m for m in _SCRIPT_WORD.finditer(text, start, stop) if _own_script(m.group())]
    found = []
    for i, m in enumerate(words):
        given: list[re.Match[str]] = []
        for before in reversed(words[max(0, i - 2) : i]):
            gap = text[before.end() : (given[0] if given else m).start()]
            if gap.strip(_NAME_JOINERS):
                break
            given.insert(0, before)
        for form in _script_forms(m.group(), transliterate):
            # The nearest given name first: the span begins at the one that answers.
            tries = [given[-1:], given[-2:]] if given else []
            for chosen in [*tries, []]:
                read = [_script_forms(g.group(), transliterate)[0] for g in chosen]
                resolved = record.by_shape(read, form, on)
                if resolved is not None:
                    begin = chosen[0].start() if chosen else m.start()
                    found.append((begin, m.end(), resolved))
                    break
            else:
                continue
            break
    return found


def _own_script(word: str) -> bool:
    """A word of a script that writes foreign names by their sounds, not Latin letters
    nor Chinese characters (read as their syllables) nor hiragana (no names)."""
    first = word[0]
    return first >= "\u0370" and not (
        "\u3040" <= first <= "\u309f" or "\u3400" <= first <= "\u9fff"
    )


def _script_forms(word: str, transliterate: Callable[[str], str]) -> list[str]:
    """`word` in Latin letters, and without what may cling to it: the Arabic article and
    a conjunction or preposition before it (والصفدي), a Korean particle after it (블링컨은),
    a Russian case ending («Сикорским»)."""
    forms = [word]
    if word[0] in _ARABIC_PREFIXES and len(word) > 4:
        forms.append(word[1:])
    for form in list(forms):
        if form.startswith("\u0627\u0644") and len(form) > 4:  # ال
            forms.append(form[2:])
    if len(word) > 2 and word[-1] in _KOREAN_PARTICLES:
        forms.append(word[:-1])
    latin = [transliterate(f).lower() for f in forms]
    if _CYRILLIC.match(word):
        latin += [latin[0][: -len(end)] for end in _CASE_ENDINGS if latin[0].endswith(end)]
    return latin


def as_people(named: list[NamedSide], text: str) -> list[Person]:
    """The record's people among `named`, once each with every span that names them, by
    the record's name (so that a subscription to "Lavrov" finds «Лавров»), their country
    or organisation, and their office on the day."""
    people: dict[str, Person] = {}
    for n in named:
        if n.person is None:
            continue
        kind, code = n.side.split(":", 1)
        span = Span(n.start, n.end, text[n.start : n.end])
        if n.person in people:
            known = people[n.person]
            people[n.person] = replace(known, spans=(*known.spans, span))
            continue
        people[n.person] = Person(
            name=n.person,
            role=n.office,
            country=code if kind == "country" else None,
            org=code if kind == "org" else None,
            spans=(span,),
            evidence=n.evidence,
        )
    return list(people.values())


def _given_names(
    text: str, before: list[re.Match[str]], start: int, taken: list[tuple[int, int]]
) -> list[str]:
    """The capitalised words written just before a surname, its given names ("Serguéi"
    of "Serguéi Lavrov"; at most two), leaving out particles ("Al Sani" is Sani's) and
    stopping at a word read as something else («России Сергей Лавров»). A hyphen joins
    two given names («Касым-Жомарт Токаев»)."""
    given: list[str] = []
    position = start
    for m in reversed(before):
        between = text[m.end() : position]
        joined = bool(given) and between in _HYPHENS
        if (between.strip() and not joined) or len(given) == 2:
            break
        if any(s < m.end() and m.start() < e for s, e in taken):
            break
        word = m.group()
        if word.lower() in PARTICLES:
            position = m.start()
            continue
        if not word[:1].isupper():
            break
        given.insert(0, word)
        position = m.start()
    return given


def _surname_forms(word: str, transliterate: Callable[[str], str]) -> list[str]:
    if _CYRILLIC.match(word):
        latin = transliterate(word)
        forms = [latin]
        forms += [latin[: -len(end)] for end in _CASE_ENDINGS if latin.endswith(end)]
        return [f for f in forms if len(f) >= 4]
    if word.isascii() or (word[:1].isalpha() and word[:1] < "\u0250"):
        return [word]
    return []


def _word_end(text: str, start: int, end: int) -> int | None:
    """Where a spelling found at text[start:end] ends as a word, or None when it is part
    of another word. Chinese needs no spaces; Arabic clings و, ب, ل to a word; a Russian
    name takes case endings ("Трампом")."""
    if "\u3400" <= text[start] <= "\u9fff":
        return end
    before = text[start - 1] if start else " "
    if before in _ARABIC_PREFIXES and (start < 2 or not text[start - 2].isalnum()):
        before = " "
    if before.isalnum():
        return None
    stop = end
    if _CYRILLIC.match(text[end - 1]):
        while stop < len(text) and _CYRILLIC.match(text[stop]) and stop - end < 3:
            stop += 1
    return None if stop < len(text) and text[stop].isalnum() else stop


def _side_id(country: str, gazetteer: Gazetteer) -> str | None:
    """The side of a term's country: `org:AU` the African Union, `AU` Australia."""
    entity_id = country if country.startswith("org:") else f"country:{country}"
    return entity_id if entity_id in gazetteer.entities else None
