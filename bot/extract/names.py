"""What is known of how people's names are written, in one place: the small words inside
names, the honorifics before them, and where the family name comes first. Pure.

Every reading of names (the record's index, English names, names in other languages and
the family name a list shows) takes these from here, so that one fix reaches them all.
"""

from __future__ import annotations

# Lower-case words inside a name: "von der Leyen", "bin Salman", "da Silva", "Zia ul Haq".
PARTICLES = frozenset(
    "al el bin bint ben ibn ul ur de da di do du dos das del la le van von der den".split()
)

# Honorifics written before a name, as texts write them ("H.E. Sheikh Abdullah bin Zayed").
HONORIFICS = (
    "H.E.", "H. E.", "His Excellency", "Her Excellency", "Mr", "Mr.", "Mrs", "Mrs.", "Ms",
    "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Sheikh", "Sheikha", "Shaikh", "Samdech", "Sayyed",
    "Seyed", "Seyyed", "Sir", "Dame", "HH", "H.H.", "Gen.", "Lt. Gen.", "Maj. Gen.",
    "Datuk Seri", "Dato' Seri", "Dato' Sri", "Datuk", "Dato'", "Tan Sri", "Tun",
)  # fmt: skip
# ("Syed" is more often a part of the name, as in "Syed Yousuf Raza Gilani": not here.)

# Words a record's name may begin with that are no part of it: the honorifics above, and
# titles and forms of address ("Prince", "President", "Hon."), folded as `name_key` folds.
LEADING_WORDS = frozenset(
    {h.lower() for h in HONORIFICS if " " not in h}
    | set(
        """he his her excellency prince princess king queen emir amir sultan techo lord lady
        hon honourable honorable general gen. president minister""".split()
    )
)

# Letters after a name that are no part of it: "Sherry Rehman MP", "Keir Starmer KC".
POSTNOMINALS = ("MP", "MNA", "MPA", "MEP", "KC", "QC", "OBE", "CBE", "MBE", "KBE", "GCMG", "PhD")
SUFFIXES = frozenset(
    {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"} | {p.lower() for p in POSTNOMINALS}
)

# Countries whose people English writes family name first: "Wang Yi" is Wang, "Yoon Suk
# Yeol" is Yoon.
FAMILY_FIRST = frozenset({"CN", "TW", "HK", "MO", "KR", "KP", "VN", "KH"})
# Countries where some names are written family name first and some not ("Lee Hsien Loong"
# and "Vivian Balakrishnan" of Singapore): a text may call the person by either word.
FAMILY_FIRST_SOMETIMES = frozenset({"SG"})
# Countries whose names are family-first at home and given-first in most English texts
# ("Kishida Fumio", "Fumio Kishida"; "Orbán Viktor"): the record answers to both orders.
FAMILY_FIRST_AT_HOME = frozenset({"JP", "HU", "MN"})

# Countries whose people are called by the given name, having no family name: Malaysia's
# Malays ("Anwar Ibrahim" is Anwar, Ibrahim his father); its Chinese write the family name
# first, so the first word serves both.
GIVEN_NAME_FIRST = frozenset({"MY"})
# An Arab name's patronymic: "Mohammed bin Salman" is called so, not "Salman".
PATRONYMIC = frozenset({"bin", "bint", "ibn", "ben"})
_REGNAL = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split())


def short_name(name: str, country: str | None = None) -> str:
    """How a list names a person briefly, by the custom of the name: the family name, first
    where that is the custom ("Wang Yi" of China is Wang), else last with its particles
    ("Jean-Yves Le Drian" is Le Drian, "Ursula von der Leyen" von der Leyen); a monarch with
    the regnal number ("Mohammed VI"); an Arab name to its patronymic ("Mohammed bin Salman",
    "Tamim bin Hamad" of Tamim bin Hamad Al Thani); a Malaysian by the given name ("Anwar")."""
    words = name.split()
    if len(words) < 2:
        return name
    if country in FAMILY_FIRST or country in GIVEN_NAME_FIRST:
        return words[0]
    lower = [w.lower() for w in words]
    for i, word in enumerate(lower[1:-1], start=1):
        if word in PATRONYMIC:
            return " ".join(words[: i + 2])
    if words[-1] in _REGNAL:
        return " ".join(words[-2:])
    start = len(words) - 1
    while start > 1 and lower[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:])
