"""What a meeting produced, stated by the text and never invented: table-driven cases,
the traps among them (recalled agreements, the visit under way, "agreed to continue")."""

from __future__ import annotations

import pytest

from bot.extract import Gazetteer, extract
from bot.summarize import card, render_plain
from tests.conftest import make_report

HEAD = "TOKYO, May 3 - Japanese Foreign Minister Motegi met Indian Foreign Minister Jaishankar. "


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "The two ministers signed a memorandum of understanding on cyber security.",
            ["agreement"],
        ),
        ("Following the talks, a protocol on visa facilitation was signed.", ["agreement"]),
        ("The sides adopted a joint statement on the Indo-Pacific.", ["joint_statement"]),
        ("Motegi extended an invitation to Jaishankar to visit Japan.", ["invitation"]),
        ("Jaishankar accepted the invitation to attend the summit in Tokyo.", ["invitation"]),
        ("They agreed that Prime Minister Modi will visit Japan in August.", ["visit"]),
        ("They discussed the upcoming visit of the Prime Minister to Tokyo.", ["visit"]),
        ("The sides agreed to set up a joint working group on semiconductors.", ["commission"]),
        # Traps: nothing produced by this meeting.
        ("They discussed implementing the agreements reached by the leaders last year.", []),
        ("Jaishankar is visiting Japan on an official invitation by Motegi.", []),
        ("They welcomed the recently signed agreement between two third countries.", []),
        ("The ministers agreed to continue cooperation in all fields.", []),
        ("During his first visit to Japan, Jaishankar laid a wreath.", []),
        (
            "The summit last week, during which Modi invited Kishida to visit India, was recalled.",
            [],
        ),
    ],
)
def test_outcomes_stated_never_invented(gazetteer: Gazetteer, text: str, kinds: list[str]) -> None:
    report = make_report(HEAD + text)
    assert [o.kind for o in extract(report, gazetteer).outcomes] == kinds


def test_a_statement_without_a_meeting_has_no_outcomes(gazetteer: Gazetteer) -> None:
    report = make_report("TOKYO, May 3 - The ministry said a memorandum was signed in 2019.")
    assert extract(report, gazetteer).outcomes == ()


def test_the_alert_says_what_came_of_the_meeting(gazetteer: Gazetteer) -> None:
    report = make_report(
        HEAD + "The two ministers signed a memorandum of understanding on cyber security."
    )
    text = render_plain(card(1, report, extract(report, gazetteer), gazetteer))
    assert "Outcome: agreement signed: cyber security" in text
