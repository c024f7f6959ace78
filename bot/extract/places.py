"""Places: the dateline, and cities the text puts something in ("held in Tashkent")."""

from __future__ import annotations

import functools
import re

from bot.extract.gazetteer import Gazetteer
from bot.extract.text import fold
from bot.models import Place, Span

# The lookahead holds the cues' first letters (a test keeps it so): the engine skips other
# word starts at once, half the time finding places took.
_CUE_START = "(?=[ACFHITVacfhitv])"
_CANDIDATE = re.compile(
    rf"\b{_CUE_START}(?P<cue>(?i:held in|took place in|hosted in|convened in|arrived in|"
    r"visit to|visits to|trip to|arrival in|in|at|to|from))\s+(?:the\s+)?"
    # "in the capital Jakarta", "in the Kazakh capital, Astana": the city after "capital".
    r"(?:(?:[A-Z][\w-]+\s+)?capital,?\s+)?"
    r"(?P<name>[A-Z][\w'\u2019\-]+(?:\s[A-Z][\w'\u2019\-]+){0,2})"
)
_VENUE_THEN_CITY = re.compile(
    r"^(?:State\s+House|Government\s+House|Presidential\s+Palace|City\s+Hall|Palace)\s+"
    r"(?P<city>[A-Z][\w'\u2019\-]+)$"
)
_VENUE_CITY = re.compile(r",\s+(?P<city>[A-Z][\w'\u2019\-]+(?:\s[A-Z][\w'\u2019\-]+)?)\b")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
STRONG_CUES = frozenset(
    {"held in", "took place in", "hosted in", "convened in", "arrived in", "arrival in"}
)
VISIT_CUES = frozenset({"visit to", "visits to", "trip to"})


def find_places(text: str, gazetteer: Gazetteer) -> list[tuple[Place, str]]:
    """Cities the text names after a place cue, longest known name first, with the cue."""
    found: list[tuple[Place, str]] = []
    for m in _CANDIDATE.finditer(text):
        venue_city = _VENUE_CITY.match(text, m.end("name"))
        if venue_city and gazetteer.city(m.group("name")) is None:
            # "at the State House, Abuja": the city after the venue.
            city = gazetteer.city(venue_city.group("city"))
            if city is not None:
                start = venue_city.start("city")
                span = Span(start, venue_city.end("city"), venue_city.group("city"))
                found.append((Place(city.name, city.country, span), m.group("cue").lower()))
                continue
        words = m.group("name").split()
        for size in range(len(words), 0, -1):
            candidate = _POSSESSIVE.sub("", " ".join(words[:size]))
            city = gazetteer.city(candidate)
            if city is not None:
                start = m.start("name")
                span = Span(start, start + len(candidate), text[start : start + len(candidate)])
                found.append((Place(city.name, city.country, span), m.group("cue").lower()))
                break
        else:
            # "at State House Nairobi": a venue's name, then its city.
            tail = _VENUE_THEN_CITY.search(m.group("name"))
            city = gazetteer.city(tail.group("city")) if tail else None
            if tail is not None and city is not None:
                start = m.start("name") + tail.start("city")
                span = Span(start, start + len(tail.group("city")), tail.group("city"))
                found.append((Place(city.name, city.country, span), m.group("cue").lower()))
    return found


def dateline_place(dateline: str | None, gazetteer: Gazetteer) -> Place | None:
    """The dateline's place, with its country when the gazetteer knows the city."""
    if not dateline:
        return None
    place, _, region = dateline.partition(",")
    place = place.split(". ")[0]  # "ASTANA. KAZINFORM": the city, not the agency
    city = gazetteer.city(place)
    country = gazetteer.region_country(region) if region else None
    if country is None and city is not None:
        country = city.country
    if country is None:
        entities = gazetteer.lookup(place)
        country = next((e.id.split(":")[1] for e in entities if e.id.startswith("country:")), None)
    region_is_country = bool(region) and any(
        e.id.startswith("country:") for e in gazetteer.lookup(region)
    )
    name = city.name if city and (not region or region_is_country) else dateline
    # The dateline is not part of the report's text: its span is empty.
    return Place(name, country, Span(0, 0, dateline))


_LEADING = re.compile(
    r"\A\s*(?P<name>[A-Z][\w'\u2019-]+(?:\s[A-Z][\w'\u2019-]+)?)(?:\s*[:,]|\s+[\u2013\u2014]\s)"
)


def leading_place(body: str, gazetteer: Gazetteer) -> Place | None:
    """A dateline the report parser could not tell from a word ("Muscat: His Majesty ...",
    "Tashkent, The Gulf Observer: ...", "Addis Ababa — The ..."): a known city, alone,
    before a colon, a comma or a dash."""
    first_line = body.split("\n", 1)[0]
    if " | " in first_line:  # "PTI | Matera | Updated: 29-06-2021": a page's byline strip
        offset = 0
        for part in first_line.split(" | "):
            city = gazetteer.city(part.strip())
            if city is not None:
                start = body.index(part, offset)
                return Place(city.name, city.country, Span(start, start + len(part), part))
            offset += len(part) + 3
    match = _LEADING.match(body)
    if match is None:
        return None
    city = gazetteer.city(match.group("name"))
    if city is None:
        return None
    start, end = match.span("name")
    return Place(city.name, city.country, Span(start, end, body[start:end]))


def venue_after(text: str, start: int, stop: int, cue: str, gazetteer: Gazetteer) -> Place | None:
    """The city a venue of `seeds/gazetteer/institutions.tsv` tells when text[start:stop]
    names it after `cue`, a pattern for the language's "at" in folded text ("at the
    Kremlin", "to 10 Downing Street", "à l'Élysée"); the first such venue, else None."""
    if not gazetteer.venue_names:
        return None
    found = _venues_after(cue, gazetteer.venue_names).search(fold(text[start:stop]))
    if found is None:
        return None
    venue = found.group("venue")
    institution = next(
        i for i in gazetteer.institutions if i.city is not None and fold(i.name) == venue
    )
    assert institution.city is not None
    city = gazetteer.city(institution.city)
    span = Span(
        start + found.start(),
        start + found.end(),
        text[start + found.start() : start + found.end()],
    )
    return Place(city.name if city else institution.city, institution.country, span)


@functools.lru_cache(maxsize=8)
def _venues_after(cue: str, names: tuple[str, ...]) -> re.Pattern[str]:
    """One search for every venue: the longest name first where several begin alike."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"{cue}(?P<venue>{alternatives})\b")
