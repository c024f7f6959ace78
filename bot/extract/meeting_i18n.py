"""The meeting a report in another language tells, from the clause that tells it. Pure.

English readouts get the full reading of `meeting.py` (people, titles, their grammar).
For French, Spanish, German, Portuguese, Russian, Arabic and Chinese this reading takes
the first sentence of the lead that tells a meeting or a call (by the language's own words
for them), and as its sides what that sentence names before its topic begins ("to
discuss", "обсудили", "就"): countries, organisations and their adjectives ("russischer",
"algérienne"), leaving out a country named as the place ("en Brasil", "в Москве",
"在北京"), and the people the dated record gives a country ("Lawrow", «Лавров», 王毅,
ترامب; see `people_i18n`). Turkish and Urdu put the verb last and the topic before it:
there a country is a side only where it qualifies a title ("Katar Dışişleri Bakanı",
"اقوام متحدہ کے سیکرٹری جنرل"), beside the people named. Call or meeting comes from the
same words, a call word anywhere in the lead winning over a title's "met"; the day is the
one the sentence gives (`dates_i18n`), else the dateline's, else the report's own, never
the day it was read.
"""

from __future__ import annotations

import re
from datetime import date

from bot.extract.dates_i18n import find_date
from bot.extract.gazetteer import Gazetteer, Hit, kind_of
from bot.extract.people_i18n import as_people, named_sides
from bot.extract.places import venue_after
from bot.models import EntityKind, Meeting, MeetingType, Place, Side, Span

# Per language: words that tell a meeting, words that tell a call, where the topic begins.
_CUES: dict[str, tuple[str, str, str]] = {
    "ru": (
        r"встрет|встреч|переговор|беседу|беседа|беседова|провел|провёл|принял|приняла",
        r"телефонн|по телефону",
        r"обсудил|обсуждени|в ходе|по вопрос|о ситуации|касающ|рассмотрел|затронул|на фоне"
        r"|в то время как",
    ),
    "fr": (
        r"s'est entretenu|s’est entretenu|a rencontré|rencontre|entretien|a reçu|reçoit|réunion"
        r"|s'est réuni|s’est réuni|été reçue?|a accueilli|accueille",
        r"téléphon|\bappel\b",
        r"pour discuter|afin de|sur la situation|ont évoqué|ont discuté|concernant|au sujet"
        r"|ont abordé|abordé|\bdont\b|ont échangé|alors que|tandis que|sur fond de"
        r"|dans un contexte|à propos de",
    ),
    "es": (
        r"se reunió|reunión|encuentro|recibió|sostuvo|conversó|se entrevistó|fue recibid",
        r"telefónic|por teléfono|llamada",
        r"para abordar|para discutir|abordaron|analizaron|en relación|\bsobre\b"
        r"|para tratar|acerca de|en torno a|mientras|en medio de",
    ),
    "de": (
        r"\btraf\b|treffen|gespräch|empfing|trafen|zusammengekommen|gesprochen|\bsprach\b|spricht"
        r"|telefoniert|telefonat|empfangen|getroffen|zusammengetroffen|unterredung",
        r"telefon",
        r"\bum\b.*\bzu\b|erörterten|besprachen|über die lage|\büber\b|während|angesichts"
        r"|vor dem hintergrund",
    ),
    "pt": (
        r"reuniu|reunião|encontro|recebeu|encontrou|conversou|foi recebid",
        r"telefon",
        r"para discutir|abordaram|discutiram|\bsobre\b|a respeito|enquanto|em meio a",
    ),
    "ar": (
        r"التقى|اجتمع|لقاء|استقبل|مباحثات|محادثات|اجتماع|^\s*بحث",
        r"هاتفي|هاتفى|مكالمة",
        r"لبحث|تناول|حول|ناقش|تباحث|حيث|أكد|تم خلال|القضايا|ملف|وبحث",
    ),
    "tr": (
        r"görüştü|görüşme|bir araya geldi|kabul etti|ağırladı|buluştu",
        r"telefon",
        r"(?!)",  # the verb comes last: the title rule below reads the sides
    ),
    "ur": (
        r"ملاقات|رابطہ|رابطے|بات چیت|مذاکرات|گفتگو",
        r"ٹیلیفون|ٹیلی فون|فون",
        r"(?!)",
    ),
    "zh": (
        r"会见|会谈|举行|见面|接见|会晤|會見|會談|舉行|會晤|陪同|迎接|欢迎仪式|歡迎儀式",
        r"通电话|电话|通话|通電話|電話|通話",
        # A comma after the verb ends the clause: what follows is what was said.
        r"就|讨论|討論|交换意见|交換意見|[，,；;]",
    ),
}
_COMPILED = {
    language: tuple(re.compile(pattern, re.IGNORECASE) for pattern in cues)
    for language, cues in _CUES.items()
}
# A preposition of place just before a country: "en Brasil", "à Paris", "в Москве", "在".
_LOCATIVE = re.compile(
    r"(?:(?<!\w)(?:en|à|au|aux|in|im|em|no|na|в|во|في)\s+(?:la\s+|le\s+|l'|el\s+)?"
    r"(?:[^,.;]{1,30},\s*)?|在)$",
    re.IGNORECASE,
)
# A full stop ends a sentence before a space and no lower-case word ("EE.UU." and "EE.UU.
# mantuvieron" do not); Chinese and Arabic marks need no space.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?![a-zß-ÿа-яё])|(?<=[。؟！？])\s*|\n+")
_LEAD_SENTENCES = 3


# Verb-final languages: a country is a side where a title follows it ("Katar Dışişleri
# Bakanı", "پاکستان کے وزیر خارجہ"), within a few words.
_TITLE_AFTER = {
    "tr": re.compile(
        r"^\W{0,3}(?:\w+\s+){0,2}?(?:dışişleri|cumhurbaşkan|başbakan|bakan|mevkida|kral|emir"
        r"|büyükelçi|genel sekreter|devlet başkan|veliaht)",
        re.IGNORECASE,
    ),
    "ur": re.compile(
        r"^\s*(?:کے|کی|کا)\s+(?:\S+\s+){0,1}?(?:وزیر|صدر|سیکرٹری|سیکریٹری|سفیر|نائب|بادشاہ"
        r"|امیر|ولی عہد)"
    ),
}


# Where a meeting is: a city after the language's "in" ("à Paris", "en Bogotá", "in
# Moskau", «в Москве», "في موسكو", Arabic's clinging "بسلا", 在北京), or the dateline's
# city at the start.
_PLACE_CUE = re.compile(
    r"(?:(?<!\w)(?:à|en|in|im|em|no|na|в|во|في)\s+(?:la\s+|le\s+|el\s+|l'|l’)?|[在于於]"
    r"|(?<!\w)ب(?=\w))"
    r"(?P<name>[^\s,.;:()（），、،؛]+(?:[ -][^\s,.;:()（），、،؛]+){0,2})",
    re.IGNORECASE,
)
_DATELINE_CITY = re.compile(
    r"\A\W*(?:\(?[\w ]{0,20}\)?\s*[-–—|]\s*)?(?P<name>[^\W\d_][^\d,:()\n]{1,30}?)\s*[,:،]"
    r"|\A\s*[^\n]{0,20}?社(?P<han>[\u3400-\u9fff]{2,5}?)\d{1,2}月\d{1,2}日电"
)


def meeting_place(text: str, start: int, stop: int, gazetteer: Gazetteer) -> Place | None:
    """The city the sentence text[start:stop] puts the meeting in, or None: a city after
    the language's "in", else a venue after it ("à l'Élysée", "no Palácio do Planalto")."""
    position = start
    while (m := _PLACE_CUE.search(text, position, stop)) is not None:
        place = _city_at(text, m.start("name"), m.group("name"), gazetteer)
        if place is not None:
            return place
        position = m.start("name") + 1  # a cue inside the words just tried is tried too
    return venue_after(text, start, stop, _VENUE_CUE, gazetteer)


# The language's "at" before a venue, as the folded text writes it: "à l'" (a l'), "au",
# "no", "en la", "im", "في".
_VENUE_CUE = (
    r"(?:(?<!\w)(?:a|au|dans|en|no|na|em|im|in|at|в|во|في)\s+(?:l'|l’|la\s+|le\s+|el\s+|o\s+|"
    r"a\s+|the\s+)?)"
)


def dateline_city(text: str, gazetteer: Gazetteer) -> Place | None:
    """The city a dateline in another language names: "Moscou, 13 janvier", «МОСКВА, 26
    ноября», "Moskau:", "新华社北京11月8日电"; at the start of the text or of the line after
    the title."""
    starts = [0]
    if (newline := text.find("\n", 0, 300)) >= 0:
        starts.append(newline + 1)
    for start in starts:
        m = _DATELINE_CITY.match(text[start:])
        if m is not None:
            group = "han" if m.group("han") else "name"
            place = _city_at(text, start + m.start(group), m.group(group), gazetteer)
            if place is not None:
                return place
    return None


def _city_at(text: str, start: int, name: str, gazetteer: Gazetteer) -> Place | None:
    if "\u3400" <= name[:1] <= "\u9fff":
        # No spaces in Chinese: the longest known city the characters start with.
        for size in (4, 3, 2):
            city = gazetteer.inflected_city(name[:size]) if len(name) >= size else None
            if city is not None:
                return Place(city.name, city.country, Span(start, start + size, name[:size]))
        return None
    words = name.split(" ")
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        city = gazetteer.inflected_city(candidate) or gazetteer.inflected_city(candidate.title())
        if city is not None:
            end = start + len(candidate)
            return Place(city.name, city.country, Span(start, end, text[start:end]))
    return None


def lead_meeting(
    text: str,
    language: str | None,
    hits: list[Hit],
    names: list[tuple[int, int]],
    gazetteer: Gazetteer,
    reference: date | None,
    home: str | None = None,
) -> Meeting | None:
    """The meeting the lead of a report in `language` tells, or None (no such sentence,
    or a language without cues). `names`: the record's full names in the text;
    `reference`: the report's own day (dateline or publication), if known; `home`: the
    source's home country, if configured."""
    if language not in _COMPILED:
        return None
    meeting_cue, call_cue, topic_cue = _COMPILED[language]
    words = gazetteer.date_words(language)
    lead = _lead(text)
    # A dateline in the first words ("Moscou, 13 janvier (Hibya) –", "新华社北京11月8日电").
    dateline = find_date(text[:80], words, reference, calendar_only=True) if lead else None
    reference = dateline or reference
    taken = [(h.start, h.end) for h in hits]
    for start, sentence in lead:
        told = meeting_cue.search(sentence) or call_cue.search(sentence)
        if told is None:
            continue
        topic = topic_cue.search(sentence, told.end())
        stop = start + (topic.start() if topic else len(sentence))
        # The day the sentence gives, else one another sentence of the lead telling a
        # meeting gives (a title has none; the first line of the body does).
        stated = find_date(sentence, words, reference) or next(
            (
                found
                for _, other in lead
                if (meeting_cue.search(other) or call_cue.search(other))
                and (found := find_date(other, words, reference)) is not None
            ),
            dateline,
        )
        day = stated or reference
        sides: list[Side] = []
        title_after = _TITLE_AFTER.get(language)
        for hit in hits:
            inside = start <= hit.start and hit.end <= stop
            if not inside or kind_of(hit.entity_id) not in (EntityKind.COUNTRY, EntityKind.ORG):
                continue
            if _LOCATIVE.search(text[max(0, hit.start - 40) : hit.start]):
                continue  # the place of the meeting, not a side
            if title_after is not None and not title_after.search(text[hit.end : hit.end + 40]):
                continue
            if kind_of(hit.entity_id) is EntityKind.ORG and title_after is None:
                continue  # an organisation is a side through its official, read below
            if all(s.id != hit.entity_id for s in sides):
                evidence = f"named in the clause that tells the meeting: {hit.text!r}"
                sides.append(Side(hit.entity_id, evidence))
        named = named_sides(text, start, stop, gazetteer, names, taken, day)
        for person in named:
            if all(s.id != person.side for s in sides):
                sides.append(Side(person.side, f"a participant, {person.evidence}"))
        participants = as_people(named, text)
        if len(sides) < 2:
            continue  # one country named: the other side may be in the next sentence
        # A title's "met" is often a translation's; the body's "telephone" says how.
        call = any(call_cue.search(other) for _, other in lead)
        place = None
        countries = [s.id.split(":", 1)[1] for s in sides if s.id.startswith("country:")]
        if not call:
            place = meeting_place(text, start, start + len(sentence), gazetteer)
            desk = None if place else dateline_city(text, gazetteer)
            if desk is not None and desk.country in countries:
                place = desk  # a desk's dateline far from both sides is not the place
        return Meeting(
            participants=tuple(participants),
            place=place,
            date=day.isoformat() if day else None,
            event=None,
            type=MeetingType.CALL if call else _in_person(countries, place, home),
            topics=(),
            sides=tuple(sides),
            clause=Span(start, stop, text[start:stop]),
            date_stated=stated is not None,
        )
    return None


def _in_person(countries: list[str], place: Place | None, home: str | None) -> MeetingType:
    """Who hosts, as the English reading says it: where the place is a side's country,
    the report's own side (its home country, else the side named first) hosts at home and
    visits abroad; two countries away from home meet in a third location; anything less
    certain is a meeting."""
    where = place.country if place else None
    if where is None or not countries:
        return MeetingType.MEETING
    if where in countries:
        first = home if home in countries else countries[0]
        return MeetingType.HOST if first == where else MeetingType.VISIT
    return MeetingType.THIRD_LOCATION if len(countries) == 2 else MeetingType.MEETING


def _lead(text: str) -> list[tuple[int, str]]:
    """The first sentences of the text (title included), with their offsets."""
    found: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            found.append((start, text[start : match.start()]))
        start = match.end()
        if len(found) >= _LEAD_SENTENCES + 1:
            break
    if start < len(text) and len(found) < _LEAD_SENTENCES + 1:
        found.append((start, text[start:]))
    return found
