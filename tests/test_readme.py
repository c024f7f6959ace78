"""The README stays true: at most 250 lines, exactly the two commands a newcomer needs,
every `readout` command of its table and every chat command it names real, every file it
links present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_it_fits_on_a_screen_or_few() -> None:
    assert len(README.splitlines()) <= 250


def test_it_has_exactly_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert [block.strip().splitlines()[-1].split(" && ")[-1] for block in blocks] == [
        "readout demo",
        "pytest",
    ]


def _table_commands() -> list[list[str]]:
    """Each `readout ...` of the Commands table as argv, one per alternative (`a|b`),
    without its optional parts and placeholders."""
    section = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    found = []
    for cell in re.findall(r"^\| `readout ([^`]+)` \|", section, re.MULTILINE):
        words = re.sub(r"\[[^]]*\]", "", cell.replace("\\|", "|")).split()
        words = [w for w in words if not w.isupper() and not w.endswith("...")]
        last = words.pop().split("|")
        found += [[*words, choice] for choice in last]
    return found


@pytest.mark.parametrize("argv", _table_commands(), ids=" ".join)
def test_each_command_of_the_table_exists(argv: list[str]) -> None:
    parser = build_parser()
    if argv[0] == "completion":
        args = parser.parse_args(argv)  # its shell is its argument, not a command
        assert args.shell == argv[1]
        return
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args([*argv, "--help"])
    assert exit_.value.code == 0


def test_the_table_names_every_command() -> None:
    named = {argv[0] for argv in _table_commands()}
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.dest == "command"]
    assert set(commands.choices or {}) == named  # type: ignore[arg-type]


def test_each_chat_command_it_names_is_one() -> None:
    from bot.config import LimitsConfig
    from handlers.commands import CommandService

    # The names need neither a store nor a gazetteer: nothing is asked of them.
    known = set(CommandService(None, None, LimitsConfig()).names)  # type: ignore[arg-type]
    section = README.split("In a chat:", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`/([a-z]+)", section))
    assert named and named <= known


def test_every_file_it_links_exists() -> None:
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README):
        assert (ROOT / target).exists(), target
