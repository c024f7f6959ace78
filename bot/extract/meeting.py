"""The Meeting: who met whom, where, when, at which event, of which kind (CAMEO 042 visit,
043 host, 044 third location; multilateral; call), on which topics.

A meeting is told by a clause: a sentence with a meeting cue ("met", "held talks with",
"received", "held a telephone conversation with") that reports it as done, not as planned,
denied or merely recalled. Its participants are the people named in the clause before the
talk turns to topics (and the person a leading "He" refers to); its sides are their
countries and organisations, the countries of titles without names ("the Russian
Ambassador", "the Amir of Qatar"), and the source's home country for its own officials
named without one. A country only discussed is never a side. Every fact is taken from the
clause that tells the meeting, or left out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.errors import GazetteerError
from bot.extract.dates import MONTH_NAMES, WEEKDAYS, resolve_date
from bot.extract.doc import Doc
from bot.extract.gazetteer import Gazetteer, Hit
from bot.extract.lexicon import Language
from bot.extract.places import STRONG_CUES, VISIT_CUES, venue_after
from bot.extract.text import sentences, trie_alternation
from bot.models import Meeting, MeetingType, Person, Place, Report, Side, Span

# The lookahead holds the first letters of the cues below (a test keeps it so): it lets
# the engine skip a word start no cue has without trying every cue, half of the time
# reading a report takes for its cues.
_CUE_START = "(?=[ACDEHIMPRSTVWacdehimprstvw])"
_CUE = re.compile(
    rf"\b{_CUE_START}(?:"
    r"met(?:\s+with)?|meets(?:\s+with)?|meeting\s+(?:with|between)|meetings\s+with"
    r"|(?:during|in|at|after)\s+(?:(?:a|the|their|his|her)\s+(?:[\w-]+\s+)?"
    r"(?:meeting|talks|call|conversation)|talks)"
    r"|(?:held|had|holds|has\s+held|have\s+held|conducted)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:meeting|talks|consultations|discussion|conversation|call|conference|dialogue|summit)s?"
    r"|talks\s+(?:with|between)|in\s+talks\s+with|talking\s+(?:to|with)"
    r"|received|receives|hosted|hosts|welcomed|welcomes|was\s+received\s+by"
    r"|spoke|speaks|talked|telephoned|phoned|dialled"
    r"|(?:tele)?phone\s+(?:call|conversation|talks?)|(?:a\s+)?call\s+(?:with|from|between)"
    r"|called(?=\s+(?:on\s+)?(?:the\s+)?(?:(?-i:[A-Z])|his|her))(?!\s+on\s+(?:\S+\s+){0,6}?to\s)"
    r"|conversation\s+(?:with|between)|audience|conferred|exchanged\s+(?:their\s+)?views"
    r"|paid\s+a\s+(?:courtesy\s+)?(?:call|visit)|courtesy\s+call|co-?chaired"
    r"|video\s*conference|virtual\s+(?:meeting|summit|talks)"
    r")\b",
    re.IGNORECASE,
)
# "on Monday", "on March 3": a day, not a topic (dates.py's English names, one copy).
_DAY_NAMES = "|".join(w.capitalize() for w in (*WEEKDAYS, *MONTH_NAMES))
_CALL = re.compile(
    r"\b(?:(?:tele)?phone|video)[\s-]*(?:call|conversation|conference|talks?|meeting|link)"
    r"|\b(?:by|over|on)\s+(?:the\s+)?(?:tele)?phone\b|\btelephon\w*|\bphoned\b"
    r"|\b(?:spoke|speaks|talked)\b(?!\s+(?:at|before|during|(?:to|with)\s+(?:reporters|the\s+"
    r"press|journalists|the\s+media)))"
    r"|(?<!courtesy\s)\bcall(?:ed)?\s+(?:with|from|between)\b|\bcalled\s+(?!on\b)(?=(?-i:[A-Z]))"
    r"|\bvideo\s*conference|\bvirtual(?:ly)?\b|\bonline\b|\bvideo\s*link\b|\bdialled\b"
    r"|\b(?:the|a|this|that|their|his|her)\s+(?:\w+\s+)?call\b(?!\s+for\b|\s+on\s+(?!"
    rf"(?:{_DAY_NAMES}|\d)))",
    re.IGNORECASE,
)
_IN_PERSON = re.compile(
    r"\b(?:received|receives)(?!\s+(?:(?:on|this|last)\s+\w+\s+|today\s+|yesterday\s+)?"
    r"(?:an?\s+)?(?:(?:tele)?phone\s+)?call)"
    r"|\b(?:met|meets|hosted|hosts|welcomed|welcomes|visited|visiting|"
    r"arrived|courtesy\s+call|called\s+on|in[- ]person|face[- ]to[- ]face)\b"
    r"|\bbilateral\s+meeting\b|\bmeeting\s+(?:with|in|at)\b",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\b(was|were)\s+(received|welcomed|hosted)\s+by\b|\bcalled\s+on\b|\bpaid\s+a\b",
    re.IGNORECASE,
)
# The talk turns from who met to what was said: names after this are topics, not sides.
_TOPIC_TURN = re.compile(
    r"\b(?:to\s+discuss|discussed|discussing|and\s+discuss|to\s+review|to\s+exchange|"
    r"regarding|concerning|about|amid|following|since|where|during\s+which|in\s+which|"
    r"focus(?:ed|ing)|"
    r"on\s+(?:the\s+)?(?:[a-z]+\s+){0,2}(?:issues?|situation|matters?|ways|prospects|bilateral|"
    r"regional|topics|latest|developments?|war|conflict|crisis|state|current|relations|cooperation|efforts|"
    r"agenda|progress|implementation|results)|over\s+(?:the\s+)?(?!(?:tele)?phone)|"
    rf"on\s+(?!(?:{_DAY_NAMES})\b)(?-i:[A-Z]))\b"
    r"|;|\u2014",
    re.IGNORECASE,
)
# "Prior to that,", "Before the summit,", "Ahead of the talks,": a time before what was told,
# then a clause of its own.
_TIME_BEFORE = re.compile(r"(?i:before|prior|ahead\s+of)\b[^,]*,")
# A cue that says when something was done ("during talks", "at a meeting").
_DURING = re.compile(r"(?:during|in|at|after)\s", re.IGNORECASE)
_ASIDE = re.compile(r",\s+(?:who|which|whose|whom)\b[^,]*,")
_IN_PASSING = re.compile(
    r"\b(?:after|following|before|ahead\s+of)\s+(?:an?|the|his|her|their)\s+(?:\w+\s+)?"
    r"(?:audience|meeting|talks|call|visit|conversation)\s+with\b[^,.;]*,",
    re.IGNORECASE,
)
_THEIR_EARLIER = re.compile(
    r"\b(?:on|about|of|regarding)\s+(?:his|her|their)\s+(?:recent\s+|earlier\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _English:
    """This module's grammar around the words of `seeds/languages/en.toml`'s `[lists]`
    (what each list holds is said there), compiled once per lexicon."""

    future: re.Pattern[str]  # before a cue: to come ("will", "plans to", "ahead of")
    planned: re.Pattern[str]
    done: re.Pattern[str]
    later: re.Pattern[str]  # after a cue: "will be notable"
    announced: re.Pattern[str]  # the infinitive the cues leave out: "will on Thursday host"
    finite: re.Pattern[str]
    negated: re.Pattern[str]
    recalled: re.Pattern[str]
    said: re.Pattern[str]  # after the cue, what someone said is content
    separately: re.Pattern[str]
    multilateral: re.Pattern[str]
    bilaterals: re.Pattern[str]
    spokesperson: re.Pattern[str]
    host: re.Pattern[str]
    visit: re.Pattern[str]
    proxy_before: re.Pattern[str]  # "a special envoy of Prime Minister ", "on behalf of "
    proxy_after: re.Pattern[str]  # " sent a delegation"
    attributive: re.Pattern[str]  # " administration": the name qualifies a noun
    accompanied: re.Pattern[str]  # "was accompanied by", "were present": with a side
    event_heads: frozenset[str]  # an event name's last word, folded: "summit", "assembly"

    @classmethod
    def of(cls, words: Language) -> _English:
        def compiled(source: str) -> re.Pattern[str]:
            return re.compile(source, re.IGNORECASE)

        def one_of(name: str) -> re.Pattern[str]:
            return compiled(words.alternation(name))

        return cls(
            future=compiled(rf"\bto\s+$|(?:{words.alternation('future')})[\w\s,]{{0,25}}$"),
            planned=one_of("planned"),
            done=one_of("done"),
            later=one_of("later"),
            announced=compiled(
                rf"(?:{words.alternation('to_come')})\s+(?:[\w,]+\s+){{0,3}}?"
                rf"(?:{words.alternation('to_come_verbs')})"
            ),
            finite=one_of("finite"),
            negated=compiled(rf"(?:{words.alternation('negated')})[\w\s]{{0,20}}$"),
            recalled=compiled(rf"(?:{words.alternation('recalled')})[\w\s,'\u2019]{{0,25}}$"),
            said=one_of("said"),
            separately=compiled(rf"^(?:{words.alternation('separately')})"),
            multilateral=one_of("multilateral"),
            bilaterals=one_of("bilaterals"),
            spokesperson=one_of("spokesperson"),
            host=one_of("host"),
            visit=one_of("visit"),
            proxy_before=compiled(
                rf"(?:(?:{words.alternation('proxy')})\s+(?:of|from)|on\s+behalf\s+of)"
                r"\s+(?:the\s+)?(?:(?-i:[A-Z])[\w.'\u2019-]*\s+){0,5}$"
            ),
            proxy_after=compiled(
                rf"\s+(?:{words.alternation('sent')})\s+(?:a|an|his|her|their)\s+(?:\w+\s+)?"
                rf"(?:{words.alternation('proxy')})"
            ),
            attributive=compiled(rf"\s+(?:{words.alternation('attributive')})"),
            accompanied=one_of("accompanied"),
            event_heads=frozenset(w.casefold() for w in words.lists.get("event_heads", ())),
        )


def _english(gazetteer: Gazetteer) -> _English:
    words = gazetteer.lexicon.get("en")
    if words is None:
        raise GazetteerError("seeds/languages/en.toml is missing: English is read with it")
    return words.derived(_English.of)


def _planned(before: str, en: _English) -> bool:
    """A plan or expectation governs the cue, with no deed told after it."""
    markers = list(en.planned.finditer(before))
    return bool(markers) and not en.done.search(before, markers[-1].end())


# An organisation speaks through its own officers, not through a forum's members.
_ORG_OFFICE = re.compile(
    r"\s+(?i:secretary[- ]general|director[- ]general|high\s+representative|commissioner|"
    r"chairperson|special\s+(?:envoy|representative)|delegation)"
)
_EVENT_CUE = re.compile(
    r"\b(?:sidelines of|margins of|at|during|attending|attend|to)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_CONNECTORS = frozenset({"of", "the", "on", "for", "and", "de"})
_EVENT_TOKEN = re.compile(r"\S+")
_PRONOUN_START = re.compile(r"^(?:He|She|The\s+(?:latter|former))\b")
_OF_FOR = re.compile(
    r"\s*(?:of|for)\b(?!\s+(?:about|approximately|around|nearly|almost|some|over|more\s+than|"
    r"an?\s+hour|half\s+an|\d))"
)
_PRONOUN_AFTER_OPENER = re.compile(r",\s+(?:he|she)\s+(?!said\b)")
_PLURAL_START = re.compile(
    r"^(?:The\s+two|Both|They|The\s+(?:top\s+)?(?:leaders|ministers|presidents|sides|officials|"
    r"foreign\s+ministers|prime\s+ministers|heads|diplomats))\b",
    re.IGNORECASE,
)
_WHERE_HELD = re.compile(
    r"^(?:The|This|Their|That)\s+(?:\w+\s+)?(?:meeting|talks|summit|discussions?|"
    r"consultations|encounter)\b.{0,80}\b(?:took\s+place|was\s+held|were\s+held|is\s+being\s+held|"
    r"is\s+taking\s+place)\b",
    re.IGNORECASE,
)
_HERE = re.compile(r"\bhere\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Clause:
    sentence: Span
    cue: re.Match[str]
    head_end: int  # where the talk turns to topics
    participants: tuple[Person, ...]
    sides: tuple[Side, ...]
    separate: bool  # "Separately, ...": a meeting of its own


def build_meetings(
    doc: Doc,
    *,
    people: list[Person],
    places: list[tuple[Place, str]],
    topics: tuple[str, ...],
    gazetteer: Gazetteer,
) -> list[Meeting]:
    """Every meeting the report tells, first told first; [] when it tells none."""
    report, text, reference, dateline = doc.report, doc.text, doc.reference, doc.dateline
    clauses = _clauses(report, text, people, doc.hits, gazetteer)
    groups: list[list[_Clause]] = []
    split = 0  # groups[:split] hold what has been told; a round's meetings are whole
    round_told: list[_Clause] = []  # the round a first meeting of one side announced
    for clause in clauses:
        if not clause.sides and len(clause.participants) < 2:
            continue  # one person "in talks with lesser developed countries": nobody to meet
        if groups and _a_round(text, clause, groups, reference):
            continue  # "He also held talks with A, B, C and D": a list, not a meeting told
        bilaterals = _bilaterals(text, clause, _english(gazetteer))
        if bilaterals:
            if groups and [s.id for s in groups[0][0].sides] == [bilaterals[0].sides[0].id]:
                round_told.extend(bilaterals)  # what "met his counterparts" announced
            groups.extend([b] for b in bilaterals)  # "held talks with A, B and C": three
            split = len(groups)
            continue
        if len(groups) > split and not (
            (clause.separate and _new_people(clause, groups[-1])) or _new_sides(clause, groups[-1])
        ):
            others = _others_of_its_sides(clause, groups[-1])
            if others and len(others) == len(clause.participants):
                continue  # "in June, US President Donald Trump hosted Pakistan's army chief"
            if len({_side_id(p) for p in others}) >= 2:
                # "The ministers agreed on the task set in a conversation between Putin and
                # Trump": the others met each other; "He also met Prayut": he met Prayut.
                kept = tuple(p for p in clause.participants if p not in others)
                clause = replace(clause, participants=kept)
            groups[-1].append(clause)
        else:
            groups.append([clause])
    meetings: list[Meeting] = []
    for index, group in enumerate(groups):
        # A dateline an earlier meeting of the report contradicts places no later one: "Dar
        # met Wang Yi in Beijing ... Later in the day, Dar also met Lavrov" under ISLAMABAD.
        contradicted = any(
            m.place is not None and dateline is not None and m.place.name != dateline.name
            for m in meetings
        )
        meeting = _meeting(
            report,
            text,
            group,
            places,
            None if contradicted else dateline,
            topics,
            gazetteer,
            reference,
            round_told=round_told if index == 0 else [],
        )
        if meeting is not None:
            following = groups[index + 1][0].sentence.start if index + 1 < len(groups) else None
            companions = _companions(text, group, following, people, meeting, gazetteer)
            meetings.append(replace(meeting, participants=meeting.participants + companions))
    return meetings


def _companions(
    text: str,
    group: list[_Clause],
    until: int | None,
    people: list[Person],
    meeting: Meeting,
    gazetteer: Gazetteer,
) -> tuple[Person, ...]:
    """The people a sentence after the meeting's says were with its sides ("The Prime
    Minister was accompanied by Finance Minister Miftah Ismail, ...", "Jaishankar and Rajnath
    Singh were among the delegates present"), of its sides only, before the next meeting
    is told."""
    en = _english(gazetteer)
    sides = {s.id for s in meeting.sides}
    have = {p.name for p in meeting.participants}
    found: list[Person] = []
    start, end = group[0].sentence.start, len(text) if until is None else until
    for sentence in sentences(text):
        if not start <= sentence.start < end:
            continue
        if not en.accompanied.search(sentence.text):
            continue
        for person in people:
            if person.name in have or not _named_in(person, sentence.start, sentence.end):
                continue
            if _side_id(person) in sides:
                found.append(person)
                have.add(person.name)
    return tuple(found)


def _bilaterals(text: str, clause: _Clause, en: _English) -> list[_Clause]:
    """A round told in one clause ("Fidan separately held talks with A of X, B of Y and C of
    Z", "met the leaders of X, Y and Z"): one meeting of the subject's side with each of
    three or more counterparts' sides, the subject and that side's people in it. Each pair
    holds whether the talks were one by one or together; that X met Y is not said, so no
    meeting of theirs is made. [] for anything else: two counterparts (a trilateral as
    likely), a joint or multilateral meeting said so, a subject without a side."""
    sentence = clause.sentence
    if en.multilateral.search(text, sentence.start, sentence.end):
        return []
    subject = [p for p in clause.participants if _named_in(p, sentence.start, clause.cue.start())]
    first = clause.participants[0] if clause.participants else None
    if not subject and first and not _named_in(first, sentence.start, sentence.end):
        subject = [first]  # "He ...": the antecedent, put first
    home = {_side_id(p) for p in subject} - {None}
    if len(home) != 1:
        return []
    (home_id,) = home
    by_id = {side.id: side for side in clause.sides}
    if home_id not in by_id:
        return []
    others = [side for side in clause.sides if side.id != home_id]
    if len(others) < 3:
        return []
    return [
        replace(
            clause,
            participants=tuple(
                p for p in clause.participants if p in subject or _side_id(p) == side.id
            ),
            sides=(by_id[home_id], side),
        )
        for side in others
    ]


def _side_id(person: Person) -> str | None:
    if person.country:
        return f"country:{person.country}"
    return f"org:{person.org}" if person.org else None


def _a_round(
    text: str, clause: _Clause, groups: list[list[_Clause]], reference: date | None
) -> bool:
    """A bare list of three or more further counterparts ("On September 24, he also held
    talks with A, B, C and D."), with nothing told of them after it, once a meeting with a
    counterpart has been reported: background. After a lead that names none ("Fidan met
    his counterparts on the sidelines"), the list is what the report tells."""
    seen = {p.name for g in groups for c in g for p in c.participants}
    if sum(p.name not in seen for p in clause.participants) < 3:
        return False
    if len(groups[0][0].sides) < 2 and not _another_day(text, clause, groups[0], reference):
        return False  # the lead named no counterpart ("met his counterparts"): the round is news
    following = text[clause.sentence.end :].lstrip()
    return not _PLURAL_START.match(following)


def _another_day(text: str, clause: _Clause, first: list[_Clause], reference: date | None) -> bool:
    """`clause` says a day, and the report's first meeting (its clauses, else the lead)
    another: "Yesterday, the Prime Minister also had bilateral meetings with ..."."""
    day = resolve_date(clause.sentence.text, reference)
    if day is None:
        return False
    told = [c.sentence for c in first] + list(sentences(text)[:2])
    main = next((d for s in told if (d := resolve_date(s.text, reference)) is not None), None)
    return main is not None and main != day


def _new_sides(clause: _Clause, group: list[_Clause]) -> bool:
    """Another meeting of one of the sides met: "Fidan later met Alexander Schallenberg,
    Minister of Foreign Affairs of Austria", "Qatar's foreign minister also spoke with
    Amirabdollahian": a side not yet met beside one that was, after a meeting of two
    sides or more (before it, the clause completes the meeting)."""
    seen = {s.id for c in group for s in c.sides}
    mine = {s.id for s in clause.sides}
    return len(seen) >= 2 and bool(mine - seen) and bool(mine & seen)


def _others_of_its_sides(clause: _Clause, group: list[_Clause]) -> list[Person]:
    """The people a later clause of the sides met names in its sentence when they are all
    others than the meeting's, of sides whose people it names already: "Lavrov and Pompeo
    ... The ministers agreed on the task set in a telephone conversation between President
    Putin and President Trump". Not this meeting's people, nor a meeting reported (a
    recalled one, or the leaders' of the ministers'): left out. [] for anything else."""
    sentence = clause.sentence
    named = [p for p in clause.participants if _named_in(p, sentence.start, sentence.end)]
    seen = {p.name for c in group for p in c.participants}
    peopled = {_side_id(p) for c in group for p in c.participants} - {None}
    theirs = {_side_id(p) for p in named}
    if named and not seen & {p.name for p in named} and None not in theirs and theirs <= peopled:
        return named
    return []


def _new_people(clause: _Clause, group: list[_Clause]) -> bool:
    """ "Separately, Chinh held a phone call with Lao Prime Minister ...": someone new."""
    seen = {p.name for c in group for p in c.participants}
    return any(p.name not in seen for p in clause.participants)


# -- clauses ---------------------------------------------------------------------------------


def _clauses(
    report: Report, text: str, people: list[Person], hits: list[Hit], gazetteer: Gazetteer
) -> list[_Clause]:
    en = _english(gazetteer)
    found: list[_Clause] = []
    spans = sentences(text)
    lead_end = spans[min(2, len(spans) - 1)].start if spans else 0  # title, chrome, lead
    title = spans[0] if spans and report.title and not report.title_in_body else None
    announced = False  # the lead tells a meeting yet to come
    for sentence in spans:
        if (
            sentence is not title
            and sentence.start <= lead_end
            and en.announced.search(sentence.text)
        ):
            announced = True
        for cue in _CUE.finditer(text, sentence.start, sentence.end):
            # What a relative clause says ("who has asked whether X should resign") is not
            # what the main clause does.
            before = _ASIDE.sub(",", text[sentence.start : cue.start()])
            future = en.future.search(before[-40:])
            agreed = future is not None and future.group().lower().startswith("agreed")
            if agreed and _DURING.match(cue.group()):
                future = None  # "agreed to deepen cooperation during talks": talks held
            if future and en.finite.match(cue.group()) and _TIME_BEFORE.match(future.group()):
                future = None  # "Prior to that, Dar met ...": a time before, then a deed
            planned = not en.finite.match(cue.group()) and _planned(before, en)
            if (future or planned) and sentence is not title and sentence.start <= lead_end:
                announced = True
            if en.negated.search(before) or future:
                continue
            if planned:
                continue  # "Lavrov plans to hold ... talks with": not held yet
            recalled = en.recalled.search(before[-40:])
            told_before = _THEIR_EARLIER.search(before[-30:])  # "briefed them on his call"
            if told_before or (recalled and (found or _CUE.search(text, cue.end(), sentence.end))):
                continue  # a meeting recalled, not reported: "Earlier, he had met ..."
            if _OF_FOR.match(text, cue.end()):
                continue  # "the call for", "a meeting of the council"; "talk for an hour" is one
            if en.later.search(text, cue.end(), min(sentence.end, cue.end() + 120)) and not (
                en.done.search(text, sentence.start, sentence.end)
            ):
                continue  # "The meeting between ... will be notable": not yet held
            if en.host.fullmatch(cue.group()) and not _guest_follows(text, cue, people, hits):
                continue  # "welcomed the talks", "received a letter": no guest
            lead = sentence.start <= lead_end  # the title and the lead speak for the report
            clause = _clause(report, text, sentence, cue, people, hits, gazetteer, lead)
            if clause.participants or clause.sides:
                found.append(clause)
                break
    if announced and title is not None and all(c.sentence is title for c in found):
        # "President Ramaphosa hosts President of Senegal" over "Ramaphosa will on
        # Thursday host ...": the title's present tense announces, it does not report.
        return []
    return found


_GUEST_WORDS = re.compile(
    r"(?:[\s,]+(?:the|his|her|their|a|an|visiting|on|today|yesterday|here|at|in|also|by|"
    r"this|that|last|morning|afternoon|evening|night|officially|warmly|separately|of|and|"
    r"ambassadors?|envoys?|delegations?|counterparts?|ministers?|officials?|leaders?|"
    r"representatives?|heads?|visiting|newly|appointed|accredited|"
    r"(?-i:[A-Z][\w.'\u2019-]*)))*\s*$",
    re.IGNORECASE,
)


def _guest_follows(text: str, cue: re.Match[str], people: list[Person], hits: list[Hit]) -> bool:
    """ "received Chinese Foreign Minister Wang Yi", "welcomed the visiting delegation of
    Japan": a guest is named right after a host's verb."""
    spans = [s for p in people for s in p.spans if s.start >= cue.end()]
    starts = [s.start for s in spans]
    starts += [
        h.start for h in hits if h.start >= cue.end() and not h.entity_id.startswith("topic:")
    ]
    nearest = min((s for s in starts if s - cue.end() <= 80), default=None)
    if nearest is None:
        return bool(re.match(r"\s+(?:a\s+|the\s+)?(?:\w+\s+)?delegation", text[cue.end() :]))
    # "welcomed French President Emmanuel Macron's proposal": his proposal, no guest.
    owner = max(spans, key=lambda s: (-s.start, s.end), default=None)  # the first, whole
    close = owner is not None and owner.start - cue.end() <= 80
    if owner is not None and close and re.match(r"['\u2019]s?\b", text[owner.end : owner.end + 2]):
        return False
    return bool(_GUEST_WORDS.fullmatch(text[cue.end() : nearest]))


def _clause(
    report: Report,
    text: str,
    sentence: Span,
    cue: re.Match[str],
    people: list[Person],
    hits: list[Hit],
    gazetteer: Gazetteer,
    first: bool,
) -> _Clause:
    en = _english(gazetteer)
    turns = [
        m.start()
        for m in (
            _TOPIC_TURN.search(text, cue.end(), sentence.end),
            en.said.search(text, cue.end(), sentence.end),
        )
        if m
    ]
    head_end = min(turns, default=sentence.end)
    # "Gilani discussed trade between Pakistan and Russia with X during a meeting": what
    # was discussed before the cue is topic too, but for a person it is "with".
    early = _TOPIC_TURN.search(text, sentence.start, cue.start())
    topic = (early.start(), cue.start()) if early else (cue.start(), cue.start())
    if early and not text[sentence.start : early.start()].strip():
        # A sentence that opens with what it is about ("Amid tensions with China over
        # Taiwan, Japanese Prime Minister Shigeru Ishiba met ..."): the topic ends at the
        # comma, and the subject follows it.
        comma = text.find(",", early.end(), cue.start())
        if comma >= 0:
            topic = (early.start(), comma)
    named = [
        p
        for p in people
        if _taking_part(text, p, sentence.start, head_end, en)
        and (
            not _named_in(p, *topic)
            or _named_in(p, sentence.start, topic[0])
            or _after_with(text, p, *topic)
        )
    ]
    # Who tells of the meeting is not in it: "..., spokesman Matthew Miller said".
    named = [p for p in named if not (p.role and en.spokesperson.search(p.role))]
    represented = [p for p in named if _by_proxy(text, p, sentence.start, head_end, en)]
    named = [p for p in named if p not in represented]
    # "After an audience with Pope Francis, Biden met Cardinal Parolin": the audience is
    # another meeting, told in passing.
    passing = _IN_PASSING.search(text, sentence.start, cue.start())
    if passing:
        named = [
            p
            for p in named
            if not _named_in(p, passing.start(), passing.end())
            or _named_in(p, passing.end(), head_end)
        ]
    # "Specter, who has asked whether Defence Secretary Perry should resign, met ...":
    # whoever a relative clause names is not taking part.
    for aside in _ASIDE.finditer(text, sentence.start, cue.start()):
        named = [
            p
            for p in named
            if not _named_in(p, aside.start(), aside.end())
            or _named_in(p, sentence.start, aside.start())
        ]
    subject_named = any(_named_in(p, sentence.start, cue.start()) for p in named)
    subject = sentence.text.lstrip()
    # "Talking to Australian High Commissioner Neil Hawkins today, he lauded ...": the
    # cue opens the sentence, and its subject is the pronoun after the comma.
    opener = not text[sentence.start : cue.start()].strip(" \t\n\"'\u201c(")
    if not subject_named and (
        _PRONOUN_START.match(subject)
        or (opener and _PRONOUN_AFTER_OPENER.search(text, cue.end(), head_end))
    ):
        antecedent = _last_named_before(people, sentence.start)
        if antecedent is not None and antecedent not in named:
            named.insert(0, antecedent)
    elif not subject_named and _PLURAL_START.match(subject):
        # "The two ministers held talks over the telephone": the pair named just before.
        for earlier in reversed([s for s in sentences(text) if s.end <= sentence.start]):
            pair = [p for p in people if _named_in(p, earlier.start, earlier.end)]
            if len(pair) >= 2:
                named = pair + [p for p in named if p not in pair]
                break
    participants = []
    passive = bool(_PASSIVE.search(text, sentence.start, head_end))
    for person in named:
        # An official named without a country in a source's own readout is its own.
        unplaced = person.country is None and person.org is None
        if unplaced and report.home_country and _home_position(person, cue, passive, sentence):
            person = replace(
                person,
                country=report.home_country,
                evidence=f"home side: named without a country by a source of {report.home_country}",
            )
        participants.append(person)
    sides = _sides(
        report,
        text,
        sentence,
        cue,
        head_end,
        participants + represented,
        hits,
        gazetteer,
        first,
        topic,
    )
    return _Clause(
        sentence=sentence,
        cue=cue,
        head_end=head_end,
        participants=tuple(participants),
        sides=tuple(sides),
        separate=bool(en.separately.match(subject)),
    )


def _taking_part(text: str, person: Person, start: int, end: int, en: _English) -> bool:
    """Named in the clause as someone, not as an owner ("Putin's decision" is a topic,
    "Lammy's meeting with ..." is not) nor as a modifier of a government's or a time's
    name ("the Yoon Suk-yeol administration's policy")."""
    for span in person.spans:
        if start <= span.start < end:
            after = text[span.end : span.end + 40]
            possessive = re.match(r"['\u2019]s?\s+(?P<noun>\w+(?:\s+\w+)?)", after)
            if possessive is not None and not _MEETING_NOUN.search(possessive.group("noun")):
                continue
            if en.attributive.match(text, span.end, span.end + 40):
                continue
            return True
    return False


def _by_proxy(text: str, person: Person, start: int, end: int, en: _English) -> bool:
    """Named in the clause only as the one another stands for: "a special envoy of Prime
    Minister Fumio Kishida", "a letter from President Yoon", "on behalf of President
    Tinubu", "Benjamin Netanyahu sent a delegation". Not at the table; their side is."""
    spans = [span for span in person.spans if start <= span.start < end]
    return bool(spans) and all(
        en.proxy_before.search(text, max(start, span.start - 80), span.start)
        or en.proxy_after.match(text, span.end, min(end, span.end + 60))
        for span in spans
    )


_MEETING_NOUN = re.compile(
    r"\b(?:meeting|talks|call|conversation|visit|audience|trip|summit)\b", re.IGNORECASE
)


def _after_with(text: str, person: Person, start: int, end: int) -> bool:
    return any(
        start <= s.start < end and re.search(r"\bwith\s+(?:\S+\s+){0,5}$", text[start : s.start])
        for s in person.spans
    )


def _named_in(person: Person, start: int, end: int) -> bool:
    return any(start <= s.start < end for s in person.spans)


def _last_named_before(people: list[Person], position: int) -> Person | None:
    best: tuple[int, Person] | None = None
    for person in people:
        for span in person.spans:
            if span.start < position and (best is None or span.start > best[0]):
                best = (span.start, person)
    return best[1] if best else None


def _home_position(person: Person, cue: re.Match[str], passive: bool, sentence: Span) -> bool:
    """The home official is the subject of "met"/"received", or the host after "was
    received by"/"called on"."""
    first = (
        min(s.start for s in person.spans if s.start >= sentence.start)
        if any(s.start >= sentence.start for s in person.spans)
        else sentence.start
    )
    return first >= cue.start() if passive else first < cue.start()


# A ministry's heading that names only the guest: "Bilateral meeting with Japanese Foreign
# Minister", "Telephone call with ...": the source's own side is the other.
_NO_SUBJECT = re.compile(r"\s*(?:(?:Bilateral|Official|Working)\s+)?")
_WITH_GUEST = re.compile(
    r"(?i:(?:(?:tele)?phone\s+|video\s+)?(?:meeting|call|talks|conversation)s?\s+with)"
)
# The subject of a later clause: "Qatar's foreign minister also spoke with ...".
_SUBJECT_TITLE = re.compile(
    r"(?:['\u2019]s)?\s+(?i:foreign\s+minister|prime\s+minister|president|foreign\s+secretary|"
    r"top\s+diplomat|defen[cs]e\s+minister)\s+(?=[a-z])"  # a verb follows, not a name
)
_PAIRED = re.compile(r"\s+and\s+|\s?[-\u2013\u2014/]\s?")
_UNNAMED_OFFICIAL = re.compile(
    r"^(?:The\s+)?(?:(?:Prime|Foreign|Deputy|Vice|Defen[cs]e|Federal|State)\s+)*"
    r"(?:Prime\s+Minister|President|Minister|Secretary|Chancellor|Premier|King|Emir|Amir|"
    r"Chairman|Chairwoman|Speaker|Crown\s+Prince)\b(?!\s+(?:of|for)\b)(?!\s+[A-Z][a-z])"
)


def _sides(
    report: Report,
    text: str,
    sentence: Span,
    cue: re.Match[str],
    head_end: int,
    participants: list[Person],
    hits: list[Hit],
    gazetteer: Gazetteer,
    first: bool,
    topic: tuple[int, int],
) -> list[Side]:
    sides: dict[str, Side] = {}

    def add(entity_id: str, evidence: str) -> None:
        sides.setdefault(entity_id, Side(entity_id, evidence))

    for person in participants:
        if person.country:
            add(f"country:{person.country}", f"{person.name}: {person.evidence}")
        elif person.org:
            add(f"org:{person.org}", f"{person.name}: {person.evidence}")
    titled, of_titled = _title_patterns(gazetteer.role_heads)
    nations = [
        h
        for h in hits
        if sentence.start <= h.start < head_end
        and h.entity_id.startswith(("country:", "org:"))
        and not topic[0] <= h.start < topic[1]
    ]
    for index, hit in enumerate(nations):
        if not first and not (
            (hit.end <= cue.start() and _SUBJECT_TITLE.match(text, hit.end))
            or hit.start >= cue.end()
        ):
            continue  # a later clause adds the people it names, not titles, but its subject's
            # and its object's: "Qatar's foreign minister also spoke with ...", "also met
            # with the leaders of Algeria and Morocco"
        if any(_covers(p, hit) for p in participants):
            continue
        after = text[hit.end : head_end]
        following = nations[index + 1] if index + 1 < len(nations) else None
        if following is not None and _PAIRED.fullmatch(text, hit.end, following.start):
            # "German and Russian Foreign ministers", "Japan-Australia Foreign Ministers'"
            after = text[following.end : head_end]
        before = text[max(sentence.start, hit.start - 200) : hit.start]
        # "the Russian Ambassador", "Pakistan's Prime Minister", "the Chinese delegation",
        # "the Amir of Qatar", "a delegation from Japan": a title that speaks for a country.
        title = titled.match(after)
        if title and re.match(r"[ \t]+[A-Z]", after[title.end() :]):
            continue  # "Russian President Putin's decision": a name follows; people decide
        if title and following is not None and text[hit.end : following.start] == " ":
            continue  # "Cuban American leaders": a community, not a government
        if title or of_titled.search(before):
            is_list = re.search(r"(?i:counterparts?|delegations?)\s+(?:of|from)\b", before)
            org_office = _ORG_OFFICE.match(after)
            if hit.entity_id.startswith("org:") and not org_office and not is_list:
                continue  # "President of the Security Council", "G20 Foreign Ministers"
            words = text[max(sentence.start, hit.start - 30) : min(head_end, hit.end + 30)]
            add(hit.entity_id, f"title without a name: '{' '.join(words.split())}'")
    # "talks between Pakistan and Russia", "Pakistan and Russia held talks".
    for m in re.finditer(
        r"\b(?:talks|meeting|conversation|call|consultations|summit|discussions)\s+between\b",
        text[sentence.start : head_end],
    ):
        span_start = sentence.start + m.end()
        pair = [h for h in hits if span_start <= h.start < min(head_end, span_start + 80)]
        pair = [h for h in pair if h.entity_id.startswith("country:")][:2]
        if len(pair) == 2 and re.fullmatch(
            r"\s+(?:the\s+)?and\s+(?:the\s+)?",
            text[pair[0].end : pair[1].start].replace("and", " and "),
        ):
            for h in pair:
                add(h.entity_id, f"'{text[sentence.start + m.start() : pair[1].end]}'")
    subject = text[sentence.start : cue.start()]
    if report.home_country and (
        _UNNAMED_OFFICIAL.match(subject.strip())
        or (first and _NO_SUBJECT.fullmatch(subject) and _WITH_GUEST.fullmatch(cue.group()))
    ):
        add(
            f"country:{report.home_country}",
            f"home side: '{subject.strip()[:40]}' in a source of {report.home_country}",
        )
    return list(sides.values())


@functools.cache
def _title_patterns(heads: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    head_words = trie_alternation({h.lower() for h in heads})
    # Only capitalised words between the country and the title: "Russian Deputy Foreign
    # Minister", not "Israel on the Iranian embassy".
    titled = re.compile(
        rf"^(?:['\u2019]s)?\s+(?:[A-Z][\w-]*\s+){{0,3}}?(?i:(?:{head_words})s?|delegations?|"
        r"counterparts?|officials|authorities)\b"
    )
    of_titled = re.compile(
        rf"(?i:\b(?:{head_words}|delegation|ambassador|envoy)s?)"
        r"\s+(?:of|from)\s+(?:the\s+)?(?:(?:[A-Z][\w-]*\s)*[A-Z][\w-]*(?:,\s+|\s+and\s+))*"
        r"(?:the\s+)?$"
    )
    return titled, of_titled


def _covers(person: Person, hit: Hit) -> bool:
    return any(s.start <= hit.start < s.end for s in person.spans)


# -- one meeting -----------------------------------------------------------------------------


def _meeting(
    report: Report,
    text: str,
    group: list[_Clause],
    places: list[tuple[Place, str]],
    dateline: Place | None,
    topics: tuple[str, ...],
    gazetteer: Gazetteer,
    reference: date | None,
    *,
    round_told: list[_Clause],
) -> Meeting | None:
    """One meeting from its clauses. `round_told`: for a first meeting of one side ("Fidan
    met his counterparts on the sidelines"), the round that tells it, whose place it takes
    when it says none ("In Jakarta, Fidan separately held talks with A, B and C")."""
    participants: dict[str, Person] = {}
    sides: dict[str, Side] = {}
    for clause in group:
        for person in clause.participants:
            participants.setdefault(person.name, person)
        for side in clause.sides:
            sides.setdefault(side.id, side)
    first = group[0]
    sentence = first.sentence
    is_call = _is_call(text, first)
    place = None
    if not is_call:
        place = _place(text, group, places, dateline, list(sides.values()), gazetteer)
        if place is None and round_told:
            place = _place(text, round_told, places, None, list(sides.values()), gazetteer)
    event = _event(text, [c.sentence for c in group], _english(gazetteer).event_heads)
    # The day from a clause that tells the meeting (a title has none; "On March 10,
    # Foreign Minister Sergey Lavrov held talks ..." under it has), else from the lead,
    # else the report's.
    # The first two sentences; a title that repeats the first (whole or cut short) once.
    lead: list[Span] = []
    for span in sentences(text):
        if len(lead) == 2:
            break
        if all(span.text[:60] != other.text[:60] for other in lead):
            lead.append(span)
    day = None
    for clause in group:
        day = resolve_date(text[clause.sentence.start : clause.sentence.end], reference)
        if day is not None:
            break
    stated = day is not None
    for other in lead:
        found = None if day else resolve_date(other.text, reference)
        if found and reference and timedelta(0) <= reference - found <= timedelta(days=10):
            day, stated = found, True  # the lead's day, when it is the report's own week
    if day is None:
        day = reference
    side_list = list(sides.values())
    meeting_type = _meeting_type(
        text,
        first,
        is_call,
        side_list,
        place,
        report,
        list(participants.values()),
        _english(gazetteer),
    )
    return Meeting(
        participants=tuple(participants.values()),
        place=place,
        date=day.isoformat() if day else None,
        date_stated=stated,
        event=event,
        type=meeting_type,
        topics=topics,
        sides=tuple(side_list),
        clause=sentence,
    )


def _is_call(text: str, clause: _Clause) -> bool:
    """Call or in person, from the clause that tells the meeting; when it says neither,
    from the title and the first sentences."""
    sentence = text[clause.sentence.start : clause.sentence.end]
    call = _CALL.search(sentence)
    if call and re.search(r"\bcourtesy\s+call|\bcalled\s+on\b|\bpaid\s+a\s+call", sentence, re.I):
        call = None  # a courtesy call is paid in person
    in_person = _IN_PERSON.search(sentence)
    if call or in_person:
        return in_person is None or (call is not None and call.start() < in_person.start())
    if re.search(r"\bconversation\b", sentence, re.IGNORECASE):
        return True  # a "conversation" between ministers not said to be in person
    lead = text[: clause.sentence.end + 600]
    call = _CALL.search(lead)
    in_person = _IN_PERSON.search(lead)
    return call is not None and (in_person is None or call.start() < in_person.start())


def _place(
    text: str,
    group: list[_Clause],
    places: list[tuple[Place, str]],
    dateline: Place | None,
    sides: list[Side],
    gazetteer: Gazetteer,
) -> Place | None:
    """Where the meeting took place: a city or venue named in a clause that tells it, a
    city "where the talks were held", or the dateline when nothing contradicts it."""
    for clause in group:
        head = Span(clause.sentence.start, clause.head_end, "")
        found = _place_in(text, head, places, gazetteer)
        if found is not None:
            return found  # where the clause says the meeting was, not what it discussed
        if re.fullmatch(r"welcomed|welcomes", clause.cue.group(), re.IGNORECASE):
            # "welcomed French President Emmanuel Macron to Berlin"
            for place, cue in places:
                if cue == "to" and clause.cue.end() <= place.span.start < clause.head_end:
                    return place
    sentence = group[0].sentence
    for later in sentences(text):
        if later.start > sentence.start and _WHERE_HELD.search(later.text):
            found = _place_in(text, later, places, gazetteer)
            if found is not None:
                return found  # "The meeting took place ... in New York"
    for lead in sentences(text)[:4]:
        venue = _venue_in(text, lead, gazetteer)
        if venue is not None:
            return venue  # "an elaborate welcome ceremony at the White House"
    for place, cue in places:
        if cue in STRONG_CUES and re.search(
            r"\b(?:meeting|talks|visit|held|took place)\b",
            text[max(0, place.span.start - 120) : place.span.start],
            re.IGNORECASE,
        ):
            return place
    for clause in group:
        for session in _SESSION_CUE.finditer(text, clause.sentence.start, clause.head_end):
            # "on the sidelines of the UN General Assembly": where the body always meets.
            end = min(clause.head_end, session.end() + 80)
            seat = gazetteer.seat_named(
                text, session.end(), end, None, not_of={s.id for s in sides}
            )
            if seat is not None:
                return seat
    if dateline is None or not dateline.name:
        return None
    if _HERE.search(text, sentence.start, sentence.end):
        return dateline
    first = group[0]
    if _NOUN_CUE.match(first.cue.group()) and _REPORTED.search(
        text, sentence.start, first.cue.start()
    ):
        return None  # "LONDON - Britain described Lammy's meeting with Wang as ...": a desk
    located = {
        e.id[8:]
        for m in _ELSEWHERE.finditer(text, sentence.start, sentence.end)
        for e in gazetteer.lookup(m.group("name"))
        if e.id.startswith("country:")
    }
    if dateline.country in located:
        return dateline  # "on the sidelines of a summit in Indonesia" under JAKARTA
    if located:
        return None  # "on a visit to China" under a LONDON dateline
    countries = [s.code for s in sides if s.is_country]
    if len(countries) >= 2 and dateline.country not in countries:
        return None  # a desk's dateline far from the meeting: "ANKARA (TASS) - ... met ..."
    return dateline


# Where a meeting at a body's session names it: "on the sidelines of the 78th session of
# the UN General Assembly", "at the Security Council".
_SESSION_CUE = re.compile(r"\b(?:sidelines|margins|session|during|at|attending)\b", re.I)
# A meeting told by a noun that a statement describes: "Britain on Friday described foreign
# minister David Lammy's meeting with ... as constructive".
_NOUN_CUE = re.compile(r"(?i:meeting|talks|call|conversation)\b")
_REPORTED = re.compile(r"\b(?:described|said|says|called|hailed|praised|termed)\b")
# Where a clause puts the meeting by its country: "on a visit to China", "in Indonesia".
_ELSEWHERE = re.compile(
    r"\b(?:visit\w*\s+to|trip\s+to|arrived\s+in|in)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)"
)
# "at the Kremlin", "to the White House", "to 10 Downing Street" (a house number before
# the street).
_VENUE_CUE = r"\b(?:at|in|to|inside)\s+(?:the\s+)?(?:\d+\s+)?"


def _venue_in(text: str, sentence: Span, gazetteer: Gazetteer) -> Place | None:
    """ "at the Kremlin", "to the White House": a venue that tells the city."""
    return venue_after(text, sentence.start, sentence.end, _VENUE_CUE, gazetteer)


def _place_in(
    text: str, sentence: Span, places: list[tuple[Place, str]], gazetteer: Gazetteer
) -> Place | None:
    venue = _venue_in(text, sentence, gazetteer)
    if venue is not None:
        return venue
    inside = [
        (p, cue)
        for p, cue in places
        if sentence.start <= p.span.start < sentence.end and cue != "from"
    ]
    for wanted in (STRONG_CUES, VISIT_CUES, {"in", "at"}):
        for place, cue in inside:
            if cue in wanted:
                return place
    return None


def _event(text: str, meeting_sentences: list[Span], heads: frozenset[str]) -> Span | None:
    """ "on the sidelines of the 150th Inter-Parliamentary Union (IPU) Assembly" -> the name."""
    for sentence in meeting_sentences:
        for cue in _EVENT_CUE.finditer(text, sentence.start, sentence.end):
            event = _event_after(text, cue.end(), sentence.end, heads)
            if event is not None:
                return event
    return None


def _event_after(text: str, start: int, limit: int, heads: frozenset[str]) -> Span | None:
    """The name after a cue: capitalised words (connectors, ordinals and an acronym in
    brackets between), ending in a head word; a head in lower case ends it after a name
    ("the SCO summit")."""
    best_end: int | None = None
    named = False  # a capitalised word (or ordinal) seen: a lower-case head may end it
    for token in _EVENT_TOKEN.finditer(text, start, limit):
        word = token.group().rstrip(".,;:")
        clean = word.strip("()")
        is_ordinal = re.fullmatch(r"\d+(st|nd|rd|th)?", clean) is not None
        head = clean.casefold() in heads
        if clean[:1].islower() and head and named:
            best_end = token.start() + len(word)
            break  # "summit" in lower case: nothing after it is the name
        if not (clean[:1].isupper() or is_ordinal or clean in _CONNECTORS):
            break
        named = named or clean[:1].isupper()
        end = token.start() + len(word)
        if head and clean[:1].isupper():
            best_end = end
        if word != token.group():  # punctuation ends the name
            break
    if best_end is None:
        return None
    return Span(start, best_end, text[start:best_end])


def _meeting_type(
    text: str,
    clause: _Clause,
    is_call: bool,
    sides: list[Side],
    place: Place | None,
    report: Report,
    participants: list[Person],
    en: _English,
) -> MeetingType:
    if is_call:
        return MeetingType.CALL
    sentence = text[clause.sentence.start : clause.sentence.end]
    countries = [s.code for s in sides if s.is_country]
    has_org = any(not s.is_country for s in sides)
    if len(clause.sides) >= 3 and (
        en.multilateral.search(sentence) or not en.bilaterals.search(sentence)
    ):
        return MeetingType.MULTILATERAL  # three or more sides at one table
    where = place.country if place else None
    # The one who tells the meeting, of no known country ("Pope Leo XIV received ..."):
    # who hosts whom, and where, is not for the sides to say.
    unknown = any(
        p.country is None and p.org is None and _named_before(p, clause) for p in participants
    )
    if where and countries and where not in countries:
        # An organisation's official meeting one country's away from both: no host. A
        # third location needs two countries known away from home, and no one of unknown
        # country telling the meeting: the place may be theirs ("Crown Prince Mohammed bin
        # Salman received ... in Jeddah").
        if unknown or len(countries) < 2:
            return MeetingType.MEETING
        return MeetingType.THIRD_LOCATION
    if where and where in countries:
        if report.home_country in countries:
            return MeetingType.HOST if report.home_country == where else MeetingType.VISIT
        subject = next((p for p in participants if p.country and _named_before(p, clause)), None)
        if _PASSIVE.search(sentence) or (subject is None and en.visit.search(sentence)):
            return MeetingType.VISIT
        if subject is not None:
            return MeetingType.HOST if subject.country == where else MeetingType.VISIT
        if en.host.search(sentence):
            return MeetingType.HOST
        # "German and Russian foreign ministers met in Moscow": the side named first is the
        # one the report follows; at home it hosts, abroad it visits.
        return MeetingType.HOST if countries[0] == where else MeetingType.VISIT
    if (has_org and len(countries) <= 1) or unknown:
        return MeetingType.MEETING
    if en.host.search(sentence):
        return MeetingType.HOST
    if en.visit.search(sentence):
        return MeetingType.VISIT
    return MeetingType.MEETING


def _named_before(person: Person, clause: _Clause) -> bool:
    return any(clause.sentence.start <= s.start < clause.cue.start() for s in person.spans)
