"""The meeting a report in another language tells, from the clause that tells it. Pure.

English readouts get the full reading of `meeting.py` (people, titles, their grammar).
For French, Spanish, German, Portuguese, Russian, Arabic and Chinese this first reading
takes the first sentence of the lead that tells a meeting or a call (by the
language's own words for them), and as its sides the countries that sentence names before
its topic begins ("to discuss", "обсудили", "就"), leaving out a country named as the place
("en Brasil", "в Москве", "在北京"): the lead of a readout names who met whom, and what they
talked about comes after. Turkish and Urdu put the verb last and the topic before it, so
they are not read this way yet. Call or meeting comes from the same words; the day is the
report's own (dateline or publication), not stated.
"""

from __future__ import annotations

import re
from datetime import date

from bot.extract.gazetteer import Hit, kind_of
from bot.models import EntityKind, Meeting, MeetingType, Report, Side, Span

# Per language: words that tell a meeting, words that tell a call, where the topic begins.
_CUES: dict[str, tuple[str, str, str]] = {
    "ru": (
        r"встрет|встреч|переговор|беседу|беседа|провел|провёл|принял|приняла",
        r"телефонн|по телефону",
        r"обсудил|обсуждени|в ходе|по вопрос|о ситуации|касающ|рассмотрел|затронул",
    ),
    "fr": (
        r"s'est entretenu|s’est entretenu|a rencontré|rencontre|entretien|a reçu|reçoit|réunion"
        r"|s'est réuni|s’est réuni",
        r"téléphon|\bappel\b",
        r"pour discuter|afin de|sur la situation|ont évoqué|ont discuté|concernant|au sujet"
        r"|ont abordé|abordé|\bdont\b|ont échangé",
    ),
    "es": (
        r"se reunió|reunión|encuentro|recibió|sostuvo|conversó|se entrevistó",
        r"telefónic|por teléfono|llamada",
        r"para abordar|para discutir|abordaron|analizaron|en relación|sobre la situación"
        r"|para tratar",
    ),
    "de": (
        r"\btraf\b|treffen|gespräch|empfing|trafen|zusammengekommen",
        r"telefon",
        r"\bum\b.*\bzu\b|erörterten|besprachen|über die lage|\büber\b",
    ),
    "pt": (
        r"reuniu|reunião|encontro|recebeu|encontrou",
        r"telefon",
        r"para discutir|abordaram|discutiram|sobre a situação|a respeito",
    ),
    "ar": (
        r"التقى|اجتمع|لقاء|استقبل|مباحثات|محادثات|اجتماع|^\s*بحث",
        r"هاتفي|هاتفى|مكالمة",
        r"لبحث|تناول|حول|ناقش|تباحث|حيث|أكد|تم خلال|القضايا|ملف",
    ),
    "zh": (
        r"会见|会谈|举行|见面|接见|会晤|會見|會談|舉行|會晤",
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
_SENTENCE_END = re.compile(r"(?<=[.!?。؟])\s*|\n+")
_LEAD_SENTENCES = 3


def lead_meeting(
    report: Report, text: str, language: str | None, hits: list[Hit], day: date | None
) -> Meeting | None:
    """The meeting the lead of a report in `language` tells, or None (no such sentence,
    or a language without cues)."""
    if language not in _COMPILED:
        return None
    meeting_cue, call_cue, topic_cue = _COMPILED[language]
    for start, sentence in _lead(text):
        told = meeting_cue.search(sentence) or call_cue.search(sentence)
        if told is None:
            continue
        topic = topic_cue.search(sentence, told.end())
        stop = start + (topic.start() if topic else len(sentence))
        sides: list[Side] = []
        clause = text[start:stop]
        for hit in hits:
            inside = start <= hit.start and hit.end <= stop
            if not inside or kind_of(hit.entity_id) is not EntityKind.COUNTRY:
                continue
            if _LOCATIVE.search(text[max(0, hit.start - 40) : hit.start]):
                continue  # the place of the meeting, not a side
            if all(s.id != hit.entity_id for s in sides):
                evidence = f"named in the clause that tells the meeting: {hit.text!r}"
                sides.append(Side(hit.entity_id, evidence))
        if len(sides) < 2:
            continue  # one country named: the other side may be in the next sentence
        kind = MeetingType.CALL if call_cue.search(sentence) else MeetingType.MEETING
        return Meeting(
            participants=(),
            place=None,
            date=day.isoformat() if day else None,
            event=None,
            type=kind,
            topics=(),
            sides=tuple(sides),
            clause=Span(start, stop, clause),
            date_stated=False,
        )
    return None


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
