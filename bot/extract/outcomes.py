"""What a meeting produced, when the text says so: agreements, memoranda or protocols
signed (with their subject), joint statements adopted, invitations extended, visits
announced, commissions or working groups set up. Pure.

An outcome is stated, never inferred: a sentence must say it, in the active or passive
voice, about this meeting. Sentences that recall an earlier meeting ("during which",
"last week", "earlier"), the visit under way ("on an official invitation by", "his first
visit") and agreements being implemented are left out.
"""

from __future__ import annotations

import re

from bot.extract.text import sentences
from bot.models import Outcome, Span

_RECALLED = re.compile(
    r"\b(?:during which|last (?:week|month|year|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|earlier (?:this|in)|previous(?:ly)?|recent(?:ly)?|"
    r"had (?:signed|invited|agreed)|"
    r"implement\w*[^.;]{0,30}\bagreements?)\b",
    re.IGNORECASE,
)
_DOCUMENT = (
    r"(?:agreements?|memorand(?:um|a)(?: of understanding)?|MoUs?|MOUs?|protocols?|accords?"
    r"|treat(?:y|ies)|contracts?|deals?)"
)
_SIGNED = re.compile(
    rf"\b(?:signed|inked|concluded|sign|signing)\b[^.;]{{0,60}}?\b(?P<doc>{_DOCUMENT})\b"
    rf"|\b(?P<doc2>{_DOCUMENT})\b[^.;]{{0,80}}?\b(?:was|were|had been|have been)? ?signed\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^[^.;]*?\b(?:on|for|in the field of|to|under which|concerning|regarding)\b\s+"
    r"(?P<what>[^.;]{4,90})",
    re.IGNORECASE,
)
_JOINT = re.compile(
    r"\b(?:adopted|issued|signed|released|agreed (?:on|upon))\b[^.;]{0,40}?\bjoint "
    r"(?:statement|declaration|communiqu\w*)\b|\bjoint (?:statement|declaration|communiqu\w*)"
    r"\b[^.;]{0,40}?\bwas (?:adopted|issued|signed|released)\b",
    re.IGNORECASE,
)
_INVITED = re.compile(
    r"\b(?:extended an invitation|invited (?:\w+ ){0,6}?to (?:visit|attend|participate|take "
    r"part|come)|letter of invitation|accepted (?:the|an|his|her) invitation|an invitation "
    r"(?:to|from)\b[^.;]{0,40}?\bto (?:visit|attend))",
    re.IGNORECASE,
)
_CURRENT_VISIT = re.compile(
    r"\bon (?:an |the |a )?(?:official |kind )?invitation (?:of|by|from)\b", re.IGNORECASE
)
_VISIT = re.compile(
    r"\b(?:upcoming|forthcoming|planned|scheduled|next|future|expected) (?:\w+ ){0,2}?visit\b"
    r"|\bvisit to \w+(?: \w+)? (?:within|later|next|in the (?:coming|near))\b"
    r"|\bwill (?:pay (?:a|an) (?:\w+ )?visit|visit)\b",
    re.IGNORECASE,
)
_COMMISSION = re.compile(
    r"\b(?:set up|setting up|establish\w*|form\w*|creat\w+|convene\w*|hold(?:ing)?|launch\w*)"
    r"\b[^.;]{0,40}?\b(?:joint|intergovernmental|inter-governmental|bilateral|working)\b"
    r"[^.;]{0,25}?\b(?:commission|working group|task force|committee)\b",
    re.IGNORECASE,
)


def outcomes(text: str) -> tuple[Outcome, ...]:
    """The outcomes `text` states, one per kind and sentence, in the order it tells them."""
    found: list[Outcome] = []
    for start, sentence in _sentences(text):
        if _RECALLED.search(sentence):
            continue
        invited = _INVITED.search(sentence)
        if invited and not _CURRENT_VISIT.search(sentence):
            found.append(_outcome("invitation", sentence, start, invited))
        elif (visit := _VISIT.search(sentence)) and not _CURRENT_VISIT.search(sentence):
            found.append(_outcome("visit", sentence, start, visit))
        if signed := _SIGNED.search(sentence):
            found.append(_outcome("agreement", sentence, start, signed, _subject(sentence, signed)))
        if joint := _JOINT.search(sentence):
            found.append(_outcome("joint_statement", sentence, start, joint))
        if commission := _COMMISSION.search(sentence):
            found.append(_outcome("commission", sentence, start, commission))
    return tuple(found)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence); sentences run together without a space ("ties.During") too."""
    found = []
    for span in sentences(text):
        offset = 0
        for part in re.split(r"(?<=[a-z)\"'\u201d][.!?])(?=[A-Z])", span.text):
            found.append((span.start + offset, part))
            offset += len(part)
    return found


def _subject(sentence: str, match: re.Match[str]) -> str:
    """What a signed document is about: the words after "on", "for", "under which"..."""
    rest = sentence[match.end() :]
    found = _SUBJECT.search(rest)
    return " ".join(found.group("what").split()) if found else ""


def _outcome(
    kind: str, sentence: str, start: int, match: re.Match[str], subject: str = ""
) -> Outcome:
    span = Span(start + match.start(), start + match.end(), match.group(0))
    return Outcome(kind, subject or " ".join(sentence.split())[:200], span)
