"""Write seeds/catalogue/feeds.toml, the catalogue of feeds an operator may enable, from
public lists of feeds in two repositories, read at pinned commits:

    python seeds/tools/build_catalogue.py --plenary DIR --yavuz DIR

where each DIR is a git clone (`git show COMMIT:PATH` reads it). Every address is copied
from those lists, never typed or guessed here; what this file adds is the choice (outlets
that tell meetings: agencies, ministries, the national press of record), each entry's
tier, language and home country, and the outlet's name where the list's is a page title.
Run once when the lists move on; the output is committed, the clones are not.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "seeds" / "catalogue" / "feeds.toml"

PLENARY = ("plenaryapp/awesome-rss-feeds", "9ff012e43711d715b3415d81dca7ddc0d3483fc5", "CC0-1.0")
YAVUZ = ("yavuz/news-feed-list-of-countries", "26a26b6ad1290c9c373b6e2e64eea95418fbe562", "MIT")
# The list of feeds its own checker found answering (README: "Valid Feed - accessible and
# updated within the last 24 hours"), keyed by ISO 3166 alpha-3.
YAVUZ_FILE = "active-feeds-auto-generated.json"

# Files that name feeds among other things (no licence stated: only the addresses, which
# are facts, are taken), each read at the commit the address was found in; a pick names
# the address by a piece of it, found verbatim in the file.
FILES = {
    "ttracker": (
        "AJWolfe18/TTracker",
        "4e9a0567d19aede4ee7e484bc44d7ede8dfe976d",
        "docs/research/rss-feed-expansion-30-options.md",
    ),
    "sentinel": (
        "ZR1389/sentinel_ai_rss",
        "4081a152e69c5e9214e81c5c34607e934c4fce97",
        "utils/feeds_catalog.py",
    ),
    "rssproject": (
        "vkalinovski/RSS_Project",
        "95b4ef02db5d930cd8788f4debded0c7c258f5c5",
        "files/rss_feeds.py",
    ),
}

# (list, the list's key, the name there, a piece of the address when the name has several,
#  outlet as alerts name it, tier, language, home country)
PICKS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "yavuz",
        "FRA",
        "Ministry for Europe and Foreign Affairs",
        "",
        "France Diplomacy (English)",
        "official",
        "en",
        "FR",
    ),
    ("yavuz", "FRA", "France Diplomacy", "", "France Diplomatie", "official", "fr", "FR"),
    ("yavuz", "FRA", "Le Monde", "", "Le Monde", "media", "fr", "FR"),
    ("yavuz", "FRA", "RFI", "", "RFI", "media", "fr", "FR"),
    ("plenary", "Russia", "TASS", "", "TASS (English)", "agency", "en", "RU"),
    ("yavuz", "RUS", "TASS", "", "TASS", "agency", "ru", "RU"),
    ("yavuz", "RUS", "RIA Novosti", "", "RIA Novosti", "agency", "ru", "RU"),
    ("yavuz", "RUS", "interfax", "", "Interfax", "agency", "ru", "RU"),
    ("yavuz", "RUS", "RG.ru Rossiyskaya Gazeta", "", "Rossiyskaya Gazeta", "media", "ru", "RU"),
    ("plenary", "Russia", "Meduza.io", "", "Meduza", "media", "ru", "RU"),
    ("yavuz", "CHN", "Xinhua - World", "", "Xinhua (world)", "agency", "en", "CN"),
    ("yavuz", "CHN", "Xinhua - China", "", "Xinhua (China)", "agency", "en", "CN"),
    ("yavuz", "CHN", "Ecns.cn", "", "China News Service", "agency", "en", "CN"),
    ("yavuz", "ITA", "ANSA.it", "english", "ANSA (English)", "agency", "en", "IT"),
    ("yavuz", "ITA", "RSS di   - ANSA.it", "", "ANSA", "agency", "it", "IT"),
    ("yavuz", "ITA", "La Repubblica", "", "la Repubblica", "media", "it", "IT"),
    ("yavuz", "IRN", "Mehr News", "", "Mehr News Agency", "agency", "fa", "IR"),
    ("yavuz", "IRN", "Tabnak", "", "Tabnak", "media", "fa", "IR"),
    ("yavuz", "BRA", "Agência Brasil", "", "Agência Brasil", "agency", "pt", "BR"),
    ("yavuz", "BRA", "O Globo", "", "O Globo", "media", "pt", "BR"),
    ("yavuz", "BRA", "G1", "", "g1", "media", "pt", "BR"),
    ("yavuz", "DEU", "Frankfurter Allgemeine", "", "Frankfurter Allgemeine", "media", "de", "DE"),
    ("yavuz", "DEU", "ZEIT", "", "Die Zeit", "media", "de", "DE"),
    ("yavuz", "ESP", "EL PAIS", "", "El País", "media", "es", "ES"),
    ("yavuz", "ESP", "ABC", "", "ABC (España)", "media", "es", "ES"),
    ("yavuz", "ESP", "LaVanguardia.com", "", "La Vanguardia", "media", "es", "ES"),
    ("yavuz", "ARG", "Clarin", "", "Clarín", "media", "es", "AR"),
    ("yavuz", "ARG", "La Nacion", "", "La Nación", "media", "es", "AR"),
    ("yavuz", "MEX", "Reforma", "https://", "Reforma", "media", "es", "MX"),
    ("yavuz", "MEX", "El Financiero", "", "El Financiero", "media", "es", "MX"),
    (
        "yavuz",
        "IND",
        "The Hindu",
        "/news/international/",
        "The Hindu (international)",
        "media",
        "en",
        "IN",
    ),
    ("yavuz", "IND", "The Hindu", "/news/national/", "The Hindu (national)", "media", "en", "IN"),
    ("yavuz", "IND", "India Today", "/rss/home", "India Today", "media", "en", "IN"),
    ("yavuz", "PAK", "The Express Tribune", "", "The Express Tribune", "media", "en", "PK"),
    (
        "yavuz",
        "PAK",
        "The News International - Pakistan",
        "",
        "The News International",
        "media",
        "en",
        "PK",
    ),
    ("yavuz", "PAK", "قومی خبریں", "", "Daily Jang", "media", "ur", "PK"),
    ("yavuz", "BGD", "প্রথম আলো", "", "Prothom Alo", "media", "bn", "BD"),
    ("yavuz", "JPN", "Japan Times latest articles", "", "The Japan Times", "media", "en", "JP"),
    ("yavuz", "TUR", "Sabah", "", "Sabah", "media", "tr", "TR"),
    ("yavuz", "UKR", "Censor.net", "", "Censor.net", "media", "ru", "UA"),
    ("yavuz", "POL", "Gazeta Wyborcza", "", "Gazeta Wyborcza", "media", "pl", "PL"),
    ("yavuz", "POL", "Onet Wiadomosci", "", "Onet Wiadomości", "media", "pl", "PL"),
    ("yavuz", "GBR", "World news | The Guardian", "", "The Guardian (world)", "media", "en", "GB"),
    ("yavuz", "GBR", "BBC", "news/rss.xml", "BBC News", "media", "en", "GB"),
    ("yavuz", "USA", "The New York Times", "", "The New York Times", "media", "en", "US"),
    ("yavuz", "USA", "NPR : National Public Radio", "", "NPR (world)", "media", "en", "US"),
    ("yavuz", "CAN", "CBC News", "", "CBC News", "media", "en", "CA"),
    ("yavuz", "CAN", "Radio Canada", "", "Radio-Canada", "media", "fr", "CA"),
    ("yavuz", "AUS", "ABC News", "", "ABC News (Australia)", "media", "en", "AU"),
    ("yavuz", "ZAF", "Daily Maverick", "", "Daily Maverick", "media", "en", "ZA"),
    ("yavuz", "NGA", "Premium Times Nigeria", "", "Premium Times", "media", "en", "NG"),
    ("yavuz", "NGA", "Punch", "", "Punch", "media", "en", "NG"),
    ("yavuz", "KAZ", "Tengri News", "", "Tengrinews", "media", "ru", "KZ"),
    ("yavuz", "KGZ", "AKIpress", "", "AKIpress", "agency", "en", "KG"),
    ("yavuz", "AZE", "Trend", "", "Trend News Agency", "agency", "en", "AZ"),
    ("yavuz", "ARM", "News.am", "", "News.am", "media", "en", "AM"),
    ("yavuz", "UZB", "Gazeta.uz", "", "Gazeta.uz", "media", "ru", "UZ"),
    ("yavuz", "ISR", "Jerusalem Post", "", "The Jerusalem Post", "media", "en", "IL"),
    ("yavuz", "ISR", "Ynet", "", "Ynet", "media", "he", "IL"),
    ("yavuz", "NLD", "NOS.nl", "", "NOS", "media", "nl", "NL"),
    ("yavuz", "NOR", "NRK", "", "NRK", "media", "no", "NO"),
    ("yavuz", "SWE", "SVT", "", "SVT Nyheter", "media", "sv", "SE"),
    ("yavuz", "GRC", "SKAI.gr", "", "SKAI", "media", "el", "GR"),
    ("yavuz", "HUN", "hvg.hu", "", "HVG", "media", "hu", "HU"),
    ("yavuz", "CZE", "Novinky.cz", "", "Novinky.cz", "media", "cs", "CZ"),
    ("yavuz", "ROU", "Televiziunea Română (TVR)", "", "TVR", "media", "ro", "RO"),
    ("yavuz", "SRB", "RTS", "", "RTS", "media", "sr", "RS"),
    ("yavuz", "PHL", "INQUIRER.net", "", "Philippine Daily Inquirer", "media", "en", "PH"),
    ("yavuz", "MYS", "The Star online", "", "The Star (Malaysia)", "media", "en", "MY"),
    ("yavuz", "IDN", "Republika Online RSS Feed", "", "Republika", "media", "id", "ID"),
    ("yavuz", "MAR", "Hespress", "", "Hespress", "media", "ar", "MA"),
    ("yavuz", "HKG", "Hong Kong Free Press HKFP", "", "Hong Kong Free Press", "media", "en", "HK"),
    (
        "ttracker",
        "",
        "",
        "state.gov/rss-feed/press-releases/",
        "U.S. Department of State",
        "official",
        "en",
        "US",
    ),
    ("ttracker", "", "", "whitehouse.gov/feed/", "The White House", "official", "en", "US"),
    # The UN's own news service: an organisation, no home country.
    (
        "sentinel",
        "",
        "",
        "news.un.org/feed/subscribe/en/news/region/global/",
        "UN News",
        "official",
        "en",
        "",
    ),
    (
        "sentinel",
        "",
        "",
        "news.un.org/feed/subscribe/en/news/topic/peace-and-security/",
        "UN News (peace and security)",
        "official",
        "en",
        "",
    ),
    (
        "rssproject",
        "",
        "",
        "chinadaily.com.cn/rss/world_rss",
        "China Daily (world)",
        "media",
        "en",
        "CN",
    ),
    (
        "rssproject",
        "",
        "",
        "en.people.cn/rss/politics",
        "People's Daily (politics)",
        "media",
        "en",
        "CN",
    ),
    ("rssproject", "", "", "globaltimes.cn/rss/home", "Global Times", "media", "en", "CN"),
]

HEADER = """\
# The catalogue of feeds an operator may enable ([sources] catalogue in readout.toml, or
# READOUT_SOURCES_CATALOGUE; `readout sources catalogue` lists it). Written by
# seeds/tools/build_catalogue.py: do not edit by hand, edit its PICKS and run it again.
#
# Every address is copied from a public list, named per entry in `listed_in`
# (repository@commit:path, and the list's own name for the feed):
#   {plenary[0]} ({plenary[2]}), country OPML files;
#   {yavuz[0]} ({yavuz[2]}), {yavuz_file}: the feeds its
#     checker found answering and fresh when that commit was made;
#   three projects' own lists of the feeds they poll (the State Department, the White
#     House, UN News, three Chinese papers), no licence stated: only addresses are taken.
# None was fetched from here (no machine that built this reaches them): each is
# unverified until a poll of it succeeds, which `readout sources` then says.
#
# tier: official (a ministry or presidency), agency (a news agency), media. Language:
# ISO 639-1. home_country: the publisher's (ISO 3166 alpha-2): its officials, named
# without a country, are that country's side of a meeting.
#
# tier official with no home country: an international organisation's own service.
#
# What was sought and not found in a list that could be read: the feeds of most foreign
# ministries and presidencies (France's and the United States' are here), of the African
# Union and the EU. Add them in [[sources.feeds]] once their own pages give their addresses.
"""


def _git(clone: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(clone), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _plenary(clone: Path, country: str) -> list[tuple[str, str, str]]:
    """(name, address, where) of a country's OPML file."""
    path = f"countries/without_category/{country}.opml"
    text = _git(clone, PLENARY[1], path)
    found = []
    for outline in re.finditer(r"<outline\b[^>]*>", text):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', outline.group()))
        if attrs.get("xmlUrl"):
            found.append(
                (attrs.get("title", ""), attrs["xmlUrl"], f"{PLENARY[0]}@{PLENARY[1][:12]}:{path}")
            )
    return found


def _yavuz(clone: Path, key: str) -> list[tuple[str, str, str]]:
    data = json.loads(_git(clone, YAVUZ[1], YAVUZ_FILE))
    where = f"{YAVUZ[0]}@{YAVUZ[1][:12]}:{YAVUZ_FILE}"
    return [
        (item["publication_name"], item["publication_rss_feed_uri"], f"{where} [{key}]")
        for item in data.get(key, [])
    ]


def _file(clone: Path, key: str, piece: str) -> list[tuple[str, str, str]]:
    """The address in one of FILES that holds `piece` (it must stand there verbatim)."""
    repo, commit, path = FILES[key]
    text = _git(clone, commit, path)
    urls = [u for u in re.findall(r"https?://[^\s\"'`<>)]+", text) if piece in u]
    return [(piece, url, f"{repo}@{commit[:12]}:{path}") for url in urls[:1]]


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plenary", type=Path, required=True, help="git dir of the OPML lists")
    parser.add_argument("--yavuz", type=Path, required=True, help="git dir of the country lists")
    for key, (repo, _, _) in FILES.items():
        parser.add_argument(f"--{key}", type=Path, required=True, help=f"git dir of {repo}")
    args = parser.parse_args()
    lines = [
        HEADER.format(plenary=PLENARY, yavuz=YAVUZ, yavuz_file=YAVUZ_FILE),
    ]
    names: set[str] = set()
    for source, key, listed, piece, outlet, tier, language, country in PICKS:
        if source in FILES:
            entries = _file(getattr(args, source), source, piece)
        elif source == "plenary":
            entries = _plenary(args.plenary, key)
        else:
            entries = _yavuz(args.yavuz, key)
        matches = [e for e in entries if e[0].startswith(listed) and piece in e[1]]
        if not matches:
            raise SystemExit(f"{source} {key}: no feed named {listed!r} with {piece!r}")
        name, url, where = matches[0]
        if outlet in names:
            raise SystemExit(f"two entries are called {outlet!r}")
        names.add(outlet)
        lines += [
            "[[feed]]",
            f"name = {_quoted(outlet)}",
            f"url = {_quoted(url)}",
            f"tier = {_quoted(tier)}",
            f"language = {_quoted(language)}",
            f"home_country = {_quoted(country)}",
            f"listed_in = {_quoted(where + ' as ' + repr(name))}",
            "",
        ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(PICKS)} feeds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
