"""Each language's words for reading meetings, as data: `seeds/languages/<code>.toml`,
read by `bot.knowledge` and handed in as a `Lexicon`. Pure: compiles the words, reads no
file.

A word list entry is written as the language writes it, and says how it matches:
- `met` : the whole word or phrase ("se reunió", "a rencontré");
- `встрет*` : a word that starts so ("встретился", "встречи"): a stem;
- `*gespräch*` : a word that holds it (German compounds: "Telefongespräch");
- `^بحث` : only as the first word of the sentence;
- `um … zu` : the first words, then the second later in the same sentence;
- `=may` : in this case only (the modal, not the month "May").
Case is ignored otherwise; the words of a phrase are parted by any white space. In a
language written without spaces (`spaces = false`: Chinese, Japanese, Thai) or one that
clings short words to the next (`boundaries = false`: Arabic's و, ب, ل), an entry matches
anywhere. A language read by a grammar of its own (English) names its lists in `[lists]`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from bot.errors import GazetteerError
from bot.extract.text import starts_with_any

NEVER = re.compile(r"(?!)")
T = TypeVar("T")
_GAP = "\u2026"  # "um … zu"


def words_pattern(entries: Iterable[str], *, boundaries: bool = True) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of entries (see the module's docstring)."""
    source = alternation(entries, boundaries=boundaries)
    return re.compile(source, re.IGNORECASE) if source else NEVER


def alternation(entries: Iterable[str], *, boundaries: bool = True) -> str:
    """The entries as one regex alternation (its source, empty for none), for a pattern that
    puts the language's grammar around its words."""
    entries = [e.strip() for e in entries if e.strip()]
    alternatives: list[str] = []
    for entry in entries:
        anchored = entry.startswith("^")
        parts = [p.strip() for p in entry.lstrip("^").split(_GAP)]
        pieces = [_piece(p, boundaries) for p in parts if p]
        if not pieces:
            continue
        body = ".*?".join(pieces)
        alternatives.append(rf"^\s*{body}" if anchored else body)
    # Longest first: "s'est entretenu" before "entretien" where both could start alike.
    alternatives.sort(key=len, reverse=True)
    source = "|".join(f"(?:{a})" for a in alternatives)
    firsts = {e.lstrip("=")[:1] for e in entries}
    if boundaries and alternatives and all(f.isalpha() for f in firsts):
        # A lookahead of the entries' first letters: the engine skips every other position
        # at once instead of trying each entry there.
        source = f"{starts_with_any(firsts)}(?:{source})"
    return source


def _piece(word: str, boundaries: bool) -> str:
    exact = word.startswith("=")  # "=may": in this case only (the month is "May")
    word = word.lstrip("=")
    inside = word.startswith("*")  # "*gespräch*": inside a compound too
    stem = word.endswith("*")
    # An apostrophe is written straight or curly: "s'est" and "s’est" are one word; the
    # words of a phrase are parted by any white space.
    text = r"\s+".join(
        "['\u2019]".join(re.escape(part) for part in re.split("['\u2019]", token))
        for token in word.strip("*").split()
    )
    if exact:
        text = f"(?-i:{text})"
    if not boundaries:
        return text
    before = "" if inside else r"(?<!\w)"
    after = r"\w*" if stem else r"(?!\w)"
    return f"{before}{text}{after}"


@dataclass(frozen=True)
class Language:
    """One language's words for the readings that need them. See `seeds/languages/`. The
    word lists are checked when the file is read and compiled into patterns the first time
    a report in the language asks for them (a worker reading English compiles no other)."""

    code: str  # ISO 639-1
    name: str  # in English, as an alert names it: "Russian"
    cldr: tuple[str, ...]  # CLDR locales for its country, month, weekday and day words
    latin: bool  # its country names could be words of another language: read only in it
    spaces: bool  # words separated by spaces (Chinese, Japanese, Thai: not)
    endings: tuple[str, ...]  # endings a demonym takes: "russisch" -> "russischen"
    not_weekdays: frozenset[str]  # weekday names that are common words ("pazar")
    relative_days: Mapping[str, int]  # words for a day before the report's, besides CLDR's
    cldr_relative: bool  # CLDR's "yesterday" and "today" mean only that (Urdu's کل: no)
    accusative_weekdays: bool = False  # Russian «в среду» beside «среда»
    abbreviated_weekdays: bool = False  # Chinese 周一 beside 星期一
    names_take_endings: bool = False  # "Azərbaycanın", 일본과: a name with its case ending
    # Arabic: a country's adjective is its name with the article and ي or ية (تونس,
    # التونسي; روسيا, الروسية), except the words listed (المالي is "financial", not Malian).
    nisba: bool = False
    not_nisba: frozenset[str] = frozenset()
    stem_names: bool = False  # the name without its last vowel takes the endings: "Francji"
    case_endings: tuple[str, ...] = ()  # Cyrillic: «Пакистана», «Індії» (see gazetteer)
    verb_final: bool = False  # the verb ends the clause: a future marker after it counts
    # Pairs of one-character country names before a title or "both countries": 中韩外长,
    # 日豪外相, 한미 외교장관. `pair`'s group "names" holds the run; `pair_names` maps each
    # character to its entity id.
    pair_names: Mapping[str, str] = field(default_factory=dict)
    # The file's word lists by key (checked), compiled by the properties below.
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    boundaries: bool = True  # words stand apart (not Arabic's clinging و, ب, ل)
    title_gap: int = 2  # words between a country and the title after it
    # Named word lists of a language read by a grammar of its own (English: meeting.py's
    # "will", "denied", "earlier" ...), each put into that grammar by `alternation`.
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Family names in the language's script and the record's spellings of each (Korean:
    # 정 is Chung, Jung or Jeong), lower case.
    family_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    _derived: dict[Callable[[Language], object], object] = field(
        default_factory=dict, compare=False, repr=False
    )

    def derived(self, build: Callable[[Language], T]) -> T:
        """What `build` makes of this language's words (a module's patterns), made once."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return cast(T, self._derived[build])

    def alternation(self, name: str) -> str:
        """The list `name` of the file's `[lists]` as a regex alternation."""
        if name not in self.lists:
            raise GazetteerError(f"seeds/languages/{self.code}.toml: [lists] has no {name!r}")
        return alternation(self.lists[name], boundaries=self.boundaries)

    def _pattern(self, key: str) -> re.Pattern[str]:
        return words_pattern(self.words.get(key, ()), boundaries=self.boundaries)

    @functools.cached_property
    def meeting(self) -> re.Pattern[str]:
        """A meeting held: "se reunió", "встрет*"."""
        return self._pattern("meeting")

    @functools.cached_property
    def call(self) -> re.Pattern[str]:
        """A call: "telefónic*", "通电话"."""
        return self._pattern("call")

    @functools.cached_property
    def topic(self) -> re.Pattern[str]:
        """The topic begins: a country named after it is no side."""
        return self._pattern("topic")

    @functools.cached_property
    def announce(self) -> re.Pattern[str]:
        """A meeting yet to come: "se reunirá", "将会见"."""
        return self._pattern("announce")

    @functools.cached_property
    def earlier(self) -> re.Pattern[str]:
        """A meeting told before, merely recalled: «ранее», "此前"."""
        return self._pattern("earlier")

    @functools.cached_property
    def title_after(self) -> re.Pattern[str] | None:
        """Verb-final: a country is a side before a title (after the language's link word:
        Urdu's کے)."""
        return _title_after(
            self.words.get("title_after", ()),
            self.words.get("title_link", ()),
            self.boundaries,
            self.spaces,
            self.title_gap,
        )

    @functools.cached_property
    def partner(self) -> re.Pattern[str]:
        """The word before the other side ("mit", "с", "avec"): a topic begun before the verb
        ("angesichts der Spannungen zwischen den USA und dem Iran ... mit seinem iranischen
        Amtskollegen telefoniert") runs to it."""
        return self._pattern("partner")

    @functools.cached_property
    def discuss(self) -> re.Pattern[str]:
        """Verbs that tell an exchange by what was discussed, its subject the sides:
        «обсудили», "ont discuté". A sentence with no meeting or call word tells one by
        them when the words before name two sides."""
        return self._pattern("discuss")

    @functools.cached_property
    def not_held(self) -> re.Pattern[str]:
        """Denied, cancelled, claimed untrue: "gerçek dışı"."""
        return self._pattern("not_held")

    @functools.cached_property
    def pair(self) -> re.Pattern[str]:
        return _pair(self.pair_names, self.words.get("pair_before", ()))

    @functools.cached_property
    def _articles(self) -> str:
        return _articles(self.words.get("articles", ()))

    @functools.cached_property
    def locative(self) -> re.Pattern[str]:
        """ "in" just before a name: the place, no side."""
        return _locative(
            self.words.get("in", ()), self.words.get("in_attached", ()), self._articles, self.spaces
        )

    @functools.cached_property
    def place_cue(self) -> re.Pattern[str]:
        """A city after "in": "à Paris", «в Москве», 在北京."""
        return _place_cue(
            self.words.get("in", ()), self.words.get("in_attached", ()), self._articles, self.spaces
        )

    @functools.cached_property
    def venue_cue(self) -> str:
        """ "at" before a venue, over folded text: "à l'Élysée"."""
        return _venue_cue(self.words.get("at", ()), self._articles)

    @functools.cached_property
    def place_after(self) -> re.Pattern[str]:
        """ "in" after the place (a postposition): "로마에서", "Ankara'da", "न्यूयॉर्क में",
        "ローマで"; group "name" holds up to three words (or ten characters) before it, the
        city last."""
        return _place_after(self.words.get("in_after", ()), self.spaces)

    @functools.cached_property
    def venue_before(self) -> re.Pattern[str]:
        """A word that begins a building's or street's name, just before a country's name:
        the country is part of the name ("Palacio San Martín", "Palais de Chine"), no side."""
        return _venue_before(self.words.get("venue_words", ()))


def _articles(articles: Iterable[str]) -> str:
    alternatives = [
        re.escape(a) if a.endswith(("'", "\u2019")) else re.escape(a) + r"\s+" for a in articles
    ]
    return "(?:" + "|".join(alternatives) + ")?" if alternatives else ""


def _attached(word: str, spaces: bool) -> str:
    """ "in" written onto the next word: Arabic's بـ at a word's start, Chinese 在."""
    return rf"(?<!\w){re.escape(word)}(?=\w)" if spaces else re.escape(word)


def _in_parts(
    in_words: tuple[str, ...], attached: tuple[str, ...], articles: str, spaces: bool, tail: str
) -> list[str]:
    """The language's "in" as alternatives: a word, an article, then `tail`; or written onto
    the name (在, بـ)."""
    parts = []
    if in_words:
        words = "|".join(re.escape(w) for w in in_words)
        parts.append(rf"(?<!\w)(?:{words})\s+{articles}{tail}")
    return parts + [_attached(w, spaces) for w in attached]


def _locative(
    in_words: tuple[str, ...], attached: tuple[str, ...], articles: str, spaces: bool
) -> re.Pattern[str]:
    """ "in" (an article, and "City, " maybe) just before a name: "en Brasil", "à Paris,
    France", «в Москве», 在."""
    parts = _in_parts(in_words, attached, articles, spaces, r"(?:[^,.;]{1,30},\s*)?")
    return re.compile("(?:" + "|".join(parts) + ")$", re.IGNORECASE) if parts else NEVER


def _place_cue(
    in_words: tuple[str, ...], attached: tuple[str, ...], articles: str, spaces: bool
) -> re.Pattern[str]:
    """A name of up to three words after "in"."""
    parts = _in_parts(in_words, attached, articles, spaces, "")
    if not parts:
        return NEVER
    name = r"[^\s,.;:()（），、،؛]+"
    return re.compile(
        "(?:" + "|".join(parts) + rf")(?P<name>{name}(?:[ -]{name}){{0,2}})", re.IGNORECASE
    )


def _place_after(words: tuple[str, ...], spaces: bool) -> re.Pattern[str]:
    if not words:
        return NEVER
    after = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if not spaces:
        return re.compile(rf"(?P<name>[^\s、。，,.()（）「」・]{{2,10}}?)(?:{after})")
    word = r"[^\s,.;:()'’]+"
    return re.compile(rf"(?P<name>{word}(?: {word}){{0,2}}?)\s?(?:{after})(?!\w)", re.IGNORECASE)


def _venue_before(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return NEVER
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{names})\s+(?:(?:de|del|da|do|de la|du)\s+)?$")


def _title_after(
    titles: tuple[str, ...], link: tuple[str, ...], boundaries: bool, spaces: bool, gap: int
) -> re.Pattern[str] | None:
    """A title within `gap` words after a country ("Katar Dışişleri Bakanı"), after the
    language's link word where it has one ("روس کے وزیر خارجہ"; an adjective needs none:
    "امریکی ہم منصب"); without spaces, within a dozen characters ("ロシアのラブロフ外相")."""
    if not titles:
        return None
    words = words_pattern(titles, boundaries=boundaries).pattern
    # The link is optional: an adjective takes the title directly ("امریکی ہم منصب").
    linked = "(?:(?:" + "|".join(re.escape(w) for w in link) + r")\s*)?" if link else ""
    between = rf"(?:\S+\s+){{0,{gap}}}?" if spaces else r".{0,12}?"
    return re.compile(rf"^\W{{0,3}}{linked}{between}(?:{words})", re.IGNORECASE)


def _pair(names: Mapping[str, str], before: tuple[str, ...]) -> re.Pattern[str]:
    """Two or three one-character names (a middle dot may part them: 한·미), then at most a
    space and one of the words that follow such a pair."""
    if not names or not before:
        return NEVER
    chars = "".join(re.escape(c) for c in names)
    words = "|".join(re.escape(w) for w in sorted(before, key=len, reverse=True))
    return re.compile(rf"(?P<names>[{chars}](?:[·・]?[{chars}]){{1,2}})\s?(?:{words})")


def _pair_names(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in value.items()
    ):
        raise GazetteerError(f"{where}: pair_names maps one character to a country code or id")
    return {k: v if ":" in v else f"country:{v}" for k, v in value.items()}


def _venue_cue(at_words: tuple[str, ...], articles: str) -> str:
    if not at_words:
        return r"(?!)"
    words = "|".join(re.escape(w) for w in at_words)
    return rf"(?:(?<!\w)(?:{words})\s+{articles})"


@dataclass(frozen=True)
class Lexicon:
    """Every language Readout reads, by ISO 639-1 code."""

    languages: Mapping[str, Language] = field(default_factory=dict)

    def get(self, code: str | None) -> Language | None:
        return self.languages.get(code) if code else None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.languages)

    @classmethod
    def from_data(cls, files: Mapping[str, Mapping[str, Any]]) -> Lexicon:
        """Build from each language file's parsed TOML, by file name (the code)."""
        return cls({code: language(code, data) for code, data in sorted(files.items())})


_KNOWN_KEYS = frozenset(
    "code name cldr script spaces boundaries meeting call topic announce earlier in in_attached "
    "articles at title_after title_link endings not_weekdays relative_days cldr_relative "
    "accusative_weekdays abbreviated_weekdays names_take_endings stem_names case_endings "
    "verb_final title_gap not_held pair_names pair_before in_after venue_words nisba "
    "not_nisba partner discuss lists family_names".split()
)


def language(code: str, data: Mapping[str, Any]) -> Language:
    """One language from its file's data; a clear error for a file that says it wrongly."""
    where = f"seeds/languages/{code}.toml"
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        raise GazetteerError(
            f"{where}: unknown keys {sorted(unknown)}; seeds/languages/README.md lists the keys"
        )
    if data.get("code", code) != code:
        raise GazetteerError(f"{where}: code {data.get('code')!r} is not the file's name")
    if data.get("script", "other") not in ("latin", "other"):
        raise GazetteerError(f"{where}: script must be 'latin' or 'other'")

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GazetteerError(f"{where}: {key} must be a list of strings")
        return tuple(value)

    spaces = bool(data.get("spaces", True))
    boundaries = spaces and bool(data.get("boundaries", True))
    relative = data.get("relative_days", {})
    if not isinstance(relative, dict) or not all(
        isinstance(v, int) and v <= 0 for v in relative.values()
    ):
        raise GazetteerError(f"{where}: relative_days maps words to 0 or a negative offset")
    pair_names = _pair_names(where, data.get("pair_names", {}))
    family_names = data.get("family_names", {})
    if not isinstance(family_names, dict) or not all(
        isinstance(v, list) and all(isinstance(w, str) for w in v) for v in family_names.values()
    ):
        raise GazetteerError(f"{where}: [family_names] maps names to lists of spellings")
    named_lists = data.get("lists", {})
    if not isinstance(named_lists, dict) or not all(
        isinstance(v, list) and all(isinstance(w, str) for w in v) for v in named_lists.values()
    ):
        raise GazetteerError(f"{where}: [lists] maps names to lists of strings")
    lists = (
        "meeting call topic announce earlier title_after title_link partner discuss not_held "
        "pair_before in in_attached at articles in_after venue_words"
    ).split()
    return Language(
        code=code,
        name=str(data.get("name", code)),
        cldr=strings("cldr") or (code,),
        latin=data.get("script", "other") == "latin",
        spaces=spaces,
        endings=strings("endings"),
        not_weekdays=frozenset(w.lower() for w in strings("not_weekdays")),
        relative_days={str(k).lower(): int(v) for k, v in relative.items()},
        cldr_relative=bool(data.get("cldr_relative", True)),
        accusative_weekdays=bool(data.get("accusative_weekdays", False)),
        abbreviated_weekdays=bool(data.get("abbreviated_weekdays", False)),
        names_take_endings=bool(data.get("names_take_endings", False)),
        nisba=bool(data.get("nisba", False)),
        not_nisba=frozenset(strings("not_nisba")),
        stem_names=bool(data.get("stem_names", False)),
        case_endings=strings("case_endings"),
        verb_final=bool(data.get("verb_final", False)),
        pair_names=pair_names,
        words={key: strings(key) for key in lists},
        boundaries=boundaries,
        title_gap=int(data.get("title_gap", 2)),
        lists={str(k): tuple(v) for k, v in named_lists.items()},
        family_names={str(k): tuple(w.lower() for w in v) for k, v in family_names.items()},
    )
