"""Raw text -> Report: the dateline, the published date, the title and the body.

Understands the seed's form (`date 2025-04-06 ISLAMABAD: ...`) and the usual wire forms
(`ISLAMABAD, April 6 (Reuters) -`, `MOSCOW, 6 April 2025 —`, `TASHKENT (AP) —`,
`WASHINGTON, March 3 -`). Text that fits no pattern still becomes a Report, with a warning.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from bot.extract.dates import MONTHS
from bot.extract.text import first_sentence
from bot.models import Report

_MONTH = r"(?:[A-Z][a-z]{2,8}\.?)"
_DATELINE = re.compile(
    r"""\A\s*
    (?:date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+)?
    (?P<place>[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+){0,3}
      |(?P<titled>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}))
    (?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)(?=,|\s*\()
      # "TASHKENT (Uzbekistan), Apr 6": the country in brackets, a date after it
      |\s*\((?P<country>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\)(?=,))?
    (?:,\s*(?P<date>
        """
    + _MONTH
    + r"""\s+\d{1,2}(?:,?\s+\d{4})?
        | \d{1,2}\s+"""
    + _MONTH
    + r"""(?:,?\s+\d{4})?
    ))?
    # "(Reuters)", ", (PNA/Kyodo)", "BAKU/Trend/"
    (?:\s*,?\s*\((?P<agency>[A-Za-z][A-Za-z .&/-]{0,30})\)|/(?P<slashed>[A-Za-z][\w .&-]{0,30})/)?
    \s*(?:(?P<sep>:|-{1,2}|\u2014|\u2013)(?:\s+|(?<=--)(?=[A-Z]))|(?<=[)/])\s+(?=[A-Z]))""",
    re.VERBOSE,
)
# A line of its own: "Munich, Germany, 1 February 2014" (the UN's readouts).
_LINE_DATELINE = re.compile(
    r"\A\s*(?P<place>(?P<titled>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}))"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?))?"
    r",\s*(?P<date>\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})(?P<agency>)(?P<iso>)(?P<sep>)\s*\n"
)
# A line of its own that ends the text: "St. Petersburg, 17 June 2016" (the UN's readouts).
_CLOSING_DATELINE = re.compile(
    r"\n\s*(?P<place>[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+){0,2}),\s*"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\s*\Z"
)
# The date first, then the place and the publisher: "January 20, 2022 - Paris, France -
# Global Affairs Canada" (a ministry's news page).
_DATE_FIRST = re.compile(
    r"\A\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})"
    r"\s+[-\u2013\u2014]\s+(?P<place>(?P<titled>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}))"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?))?"
    r"\s+[-\u2013\u2014]\s+(?P<agency>[^\n]{1,60})(?P<iso>)(?P<sep>)\s*\n"
)
_ISO_PREFIX = re.compile(r"\A\s*date\s+(?P<iso>\d{4}-\d{2}-\d{2})\s+")
_TITLE_LIMIT = 200
MAX_URL = 2000  # what storage keeps of a URL


@dataclass(frozen=True)
class RawDocument:
    """A document as a source hands it over, before parsing."""

    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    home_country: str | None = None  # the publisher's country, e.g. "US" for the White House
    entry_key: str | None = None  # the source's own id for it (feed entry, file version)
    outlet: str | None = None  # the publisher's name as configured ("Dawn", "MFA Pakistan")
    tier: str | None = None  # official, agency or media


# What kind of outlet published a report: a ministry or presidency, a news agency, the press.
TIERS = ("official", "agency", "media")


def content_hash(body: str) -> str:
    """A stable hash of the body: same words, same hash, whatever the whitespace."""
    normalized = " ".join(body.split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def parse_report(
    raw: RawDocument, *, now: datetime, link_allowed: Callable[[str], bool] = lambda _h: False
) -> Report:
    """Parse one raw document; never raises on odd text, it warns instead. Its link is
    kept when `public_link` allows it (`link_allowed`: hosts off the public internet the
    operator allows)."""
    # NUL characters carry nothing a reader sees, and PostgreSQL cannot store them. Arabic's
    # optional vowel marks and the stretching tatweel (محمدٌ, الملكُ) are left out: names are
    # written without them, and a text that has them reads the same.
    text = raw.text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = _ARABIC_MARKS.sub("", text)
    warnings: list[str] = []
    dateline: str | None = None
    published: datetime | None = raw.published_at
    date_from_text = published is not None
    given_title = _ARABIC_MARKS.sub("", (raw.title or "").replace("\x00", "").strip())
    url = raw.url.replace("\x00", "") if raw.url else raw.url
    if url is not None and len(url) > MAX_URL:
        warnings.append(f"the URL is longer than {MAX_URL} characters: left out")
        url = None
    if url is not None and public_link(url, link_allowed) is None:
        warnings.append(f"the URL {url[:80]!r} is not a public http(s) address: left out")
        url = None
    text, heading = _strip_heading(text, given_title)
    # A year-less dateline ("MOSCOW, March 3") is of the publication's year when the source
    # gives one. Without it, only a day of the week before the report arrived is read as
    # this year's (wire copy arriving as it is filed); any other year is unknown (a page
    # read years later is not of this year), and the dateline gives no day.
    reference = published

    text_date: date | None = None
    match = _DATELINE.match(text) or _LINE_DATELINE.match(text) or _DATE_FIRST.match(text)
    if match and _plausible_dateline(match):
        dateline = _place_name(match.group("place"))
        region = match.group("region") or _group(match, "country")
        if region:
            dateline = f"{dateline}, {region}"
        text_date = _parse_date(match.group("iso"), match.group("date"), reference)
        if text_date is None and published is None:
            fresh = _parse_date(None, match.group("date"), now)
            if fresh is not None and now.date() - FRESH <= fresh:
                text_date = fresh
        if text_date is not None and published is None:
            published = datetime(text_date.year, text_date.month, text_date.day, tzinfo=UTC)
            date_from_text = True
        elif published is None:
            warnings.append("the dateline has no date: using the ingestion time")
        text = text[match.end() :]
    elif closing := _CLOSING_DATELINE.search(text):
        # The UN's readouts end with it: "... by the end of the year.\n\nSt. Petersburg,
        # 17 June 2016".
        dateline = closing.group("place")
        text_date = _parse_date(None, closing.group("date"), reference)
        if text_date is not None and published is None:
            published = datetime(text_date.year, text_date.month, text_date.day, tzinfo=UTC)
            date_from_text = True
        text = text[: closing.start()]
    else:
        iso = _ISO_PREFIX.match(text)
        if iso:
            text_date = _parse_date(iso.group("iso"), None, reference)
            if text_date is not None and published is None:
                published = datetime(text_date.year, text_date.month, text_date.day, tzinfo=UTC)
                date_from_text = True
            text = text[iso.end() :]
        elif published is None:
            warnings.append("no dateline or date found: using the ingestion time")

    if published is None:
        published = now
        date_from_text = False
    elif published.tzinfo is None:
        published = published.replace(tzinfo=UTC)

    body = _unwrap(text.strip())
    title = given_title or heading
    title_in_body = False
    if not title:
        title = first_sentence(body)
        title_in_body = True
        if len(title) > _TITLE_LIMIT:
            title = title[: _TITLE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
            title_in_body = False
    if not body:
        warnings.append("the report has no body text")
    return Report(
        source=raw.source.replace("\x00", ""),
        title=" ".join(title.split()),
        body=body,
        published_at=published,
        content_hash=content_hash(body or title),
        url=url,
        dateline=dateline,
        date_from_text=date_from_text,
        title_in_body=title_in_body,
        home_country=raw.home_country.upper() if raw.home_country else None,
        warnings=tuple(warnings),
        dateline_date=text_date,
        outlet=" ".join(raw.outlet.replace("\x00", "").split())[:200] or None
        if raw.outlet
        else None,
        tier=raw.tier if raw.tier in TIERS else None,
    )


def _unwrap(text: str) -> str:
    """Join the lines of a hard-wrapped text (wire copy, e-mail: lines of about the same
    width that end mid-sentence) so that a sentence or a name is not cut by a line end;
    blank lines still separate paragraphs. Other texts are left as they are."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 5:
        return text
    wrapped = [
        line
        for line in lines
        if 50 <= len(line.rstrip()) <= 90 and not line.rstrip().endswith((".", "!", "?", ":", '"'))
    ]
    if len(wrapped) < 0.5 * len(lines):
        return text
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _strip_heading(text: str, title: str) -> tuple[str, str]:
    """Take off a first line that is a heading, not the story: a Markdown "# Title", the
    page's title repeated as its first line, or a short title line over a dateline.
    Returns the rest and the heading."""
    first, newline, rest = text.partition("\n")
    line = first.strip()
    if not newline or not rest.strip():
        return text, ""
    if line.startswith("#"):
        return rest.strip(), line.lstrip("#").strip()
    if title and " ".join(line.split()) == " ".join(title.split()):
        return rest.strip(), line
    following = rest.strip()
    match = _DATELINE.match(following)
    if (
        len(line) <= _TITLE_LIMIT
        and not _DATELINE.match(text)
        and match
        and _plausible_dateline(match)
        and not line.endswith((".", ":"))
    ):
        return following, line
    return text, ""


def _group(match: re.Match[str], name: str) -> str | None:
    """A group only some of the dateline patterns have."""
    return match.group(name) if name in match.re.groupindex else None


def _plausible_dateline(match: re.Match[str]) -> bool:
    letters = [ch for ch in match.group("place") if ch.isalpha()]
    if len(letters) < 3:
        return False
    agency = match.group("agency") or _group(match, "slashed")
    if match.group("titled"):  # "Tokyo, Oct. 28 (Jiji Press)--": only with a date and agency
        on_its_own_line = match.group(0).endswith("\n")
        return bool(match.group("date") and (agency or on_its_own_line))
    # "NATO said -" is not a dateline; a place alone needs the colon or a date or an agency.
    return bool(
        match.group("date")
        or agency
        or match.group("iso")
        or match.group("sep") in (":", "\u2014", "\u2013", "-", "--")
    )


def _place_name(place: str) -> str:
    return " ".join(part.capitalize() if part.isupper() else part for part in place.split())


# How old a year-less dateline's day may be, when the report carries no date of its own,
# to be read as of the year the report arrived in.
FRESH = timedelta(days=7)


def _parse_date(iso: str | None, text: str | None, published: datetime | None) -> date | None:
    """The day an ISO date or a dateline's date ("March 3", "3 March 2025") gives; a date
    without a year is of the year of `published` (the source's date), else no day."""
    if iso:
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    if not text:
        return None
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    day = next((n for n in numbers if n <= 31), None)
    year = next((n for n in numbers if n > 31), None)
    if month is None or day is None:
        return None
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            if date(year, month, day) > (published + timedelta(days=2)).date():
                year -= 1
        except ValueError:
            return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Host names that never name a public site.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".lan")


def web_link(url: str | None) -> str | None:
    """`url` (stripped) when it is an http or https address with a host; None for anything
    else ("javascript:", "tg://", "file:", "data:"), which no alert links to."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # "http://[::1" and other broken addresses
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url.strip()


def public_link(
    url: str | None, allowed: Callable[[str], bool] = lambda _host: False
) -> str | None:
    """`web_link(url)` when its host is public: not localhost, a name without a dot or
    under .local/.internal/.lan, nor a literal private, loopback or multicast address;
    unless `allowed(host)` (hosts the operator allows feeds from, `[sources]
    allow_private`). A name that resolves to a private address cannot be told here
    without a lookup; the link is the reader's to open, not ours to fetch."""
    link = web_link(url)
    if link is None:
        return None
    host = (urlsplit(link).hostname or "").rstrip(".").lower()
    if allowed(host):
        return link
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host
        return None if local else link
    return link if address.is_global and not address.is_multicast else None
