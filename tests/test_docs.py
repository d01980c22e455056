"""Every command and option is documented, and help leads with real examples that work."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
from conftest import run

from policyq.cli import app

COMMAND = typer.main.get_group(app)
NAMES = sorted(COMMAND.commands)
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help_with_examples_and_every_option_has_help(name: str) -> None:
    command = COMMAND.commands[name]
    assert command.help and "Examples:" in command.help, name
    for param in command.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"{name} {param.opts}"
    result = run(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.index("Examples:") < result.stdout.index("Options:")


@pytest.mark.parametrize("name", ["", *NAMES])
def test_help_fits_80_columns_and_command_summaries_end_whole(name: str) -> None:
    text = run(*([name] if name else []), "--help", env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in text.splitlines()) <= 80, name
    if not name:  # the list of commands shows each one's first sentence, never cut with '...'
        listed = text[text.index("Commands:") :]
        assert "..." not in listed and len(re.findall(r"^  [a-z]+ +[A-Z].*\.$", listed, re.M)) == len(NAMES)


@pytest.mark.full_store
@pytest.mark.parametrize(
    "name", [n for n in NAMES if n not in ("init", "import", "remove", "validate", "export", "extract", "review")]
)
def test_help_examples_run(name: str) -> None:
    """Query examples in --help answer (exit 0) against the bundled store. (The store and
    document commands' examples name files of the reader's own.)"""
    command = COMMAND.commands[name]
    as_json = ["--format", "json"] if any("--format" in p.opts for p in command.params) else []
    assert command.help, name
    for line in command.help.splitlines():
        line = line.strip()
        if line.startswith("policyq "):
            result = run(*shlex.split(line)[1:], *as_json)
            assert result.exit_code == 0, (line, result)


def test_readme_documents_every_command_and_exit_code() -> None:
    for name in NAMES:
        assert re.search(rf"policyq {name}\b", README), name
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\|\s*{code}\s*\|", README, re.M), f"exit code {code}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line.strip() for line in README.splitlines() if "pytest" in line and "pip install" in line)
    assert command in ci
