"""Every command's --help reads cleanly, and the group's -v/-q are there."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from compendium_corpus.cli import main

COMMANDS = sorted(main.commands)


def test_every_command_is_listed_in_the_group_help():
    text = CliRunner().invoke(main, ["--help"]).stdout
    assert "-v, --verbose" in text and "-q, --quiet" in text
    for name in COMMANDS:
        assert f"  {name}  " in text or f"  {name} " in text, name
    assert {"extract", "validate", "schema", "inspect", "report"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_is_clean(name):
    result = CliRunner().invoke(main, [name, "--help"], terminal_width=100)
    assert result.exit_code == 0 and result.stderr == ""
    text = result.stdout
    assert text.startswith(f"Usage: main {name} ") or text.startswith(f"Usage: compendium {name} ")
    command = main.commands[name]
    assert command.help and command.short_help != "", f"{name} has no description"
    undocumented = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert undocumented == [], f"{name}: options without help: {undocumented}"
    assert all(len(line) <= 100 for line in text.splitlines()), "help wraps to the terminal"
    assert "\\b" not in text and "Traceback" not in text
