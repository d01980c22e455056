"""`policyq review` driven on a pseudo-terminal, as a person uses it: accept, reject, edit a
field, go back, quit and resume; the accepted records import as they are."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run

TEXT = (
    "By 2026, Minhang District will attract more than 200 robotics enterprises.\n\n"
    "In 2023, Pudong was home to 600 AI firms.\n\n"
    "In 2022, Shanghai's industrial output reached four trillion RMB.\n"
)


class Terminal:
    """``policyq ARGS`` on a pseudo-terminal: type lines, wait for what it prints."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "COLUMNS": "80", "LINES": "50", "NO_COLOR": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "policyq", *args], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env
        )
        os.close(slave)
        self.seen = ""

    def expect(self, pattern: str, timeout: float = 20) -> str:
        """Read until ``pattern`` appears in what came since the last expect; returns that."""
        end = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"waited for {pattern!r}; the terminal shows:\n{self.seen[-2000:]}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    if not re.search(pattern, self.seen):
                        raise AssertionError(f"ended before {pattern!r}:\n{self.seen[-2000:]}")
                    break
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace").replace("\r\n", "\n"))
        m = re.search(pattern, self.seen)
        assert m is not None
        shown, self.seen = self.seen[: m.end()], self.seen[m.end() :]
        return shown

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self) -> int:
        rest = b""
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 10)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                rest += chunk
        except OSError:
            pass
        self.seen += rest.decode("utf-8", "replace").replace("\r\n", "\n")
        code = self.proc.wait(timeout=20)
        os.close(self.master)
        return code


PROMPT = r"\[q\]uit > "
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # bold and dim, which NO_COLOR keeps


def make_draft(tmp_path: Path) -> Path:
    doc = tmp_path / "plan.txt"
    doc.write_text(TEXT, encoding="utf-8")
    result = run("extract", str(doc), "-o", "jsonl", "--source", "shanghai-high-end-industry-2023")
    assert result.exit_code == 0, result
    draft = tmp_path / "draft.jsonl"
    draft.write_text(result.stdout, encoding="utf-8")
    assert len(result.stdout.splitlines()) == 3
    return draft


def accepted(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow  # two review sessions on a pseudo-terminal
def test_accept_edit_quit_resume_back_reject_then_import(tmp_path: Path, user_store: Path) -> None:
    draft = make_draft(tmp_path)
    state = tmp_path / "draft.jsonl.review.json"
    out = tmp_path / "draft.accepted.jsonl"

    term = Terminal("review", str(draft), cwd=tmp_path)
    first = term.expect(PROMPT)
    assert "Candidate 1 of 3" in first and "more than 200 robotics enterprises" in first
    assert "Minhang District (minhang)" in first and "over 200" in first
    term.type("a")
    second = term.expect(PROMPT)
    assert "Candidate 2 of 3" in second and "600 AI firms" in second
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("metric_label")
    term.expect(r"metric_label \[.*\] > ")
    term.type("key AI firms")
    edited = term.expect(PROMPT)
    assert "Candidate 2 of 3" in edited and "key AI firms" in edited
    term.type("q")
    term.expect(r"saved after 1 accepted, 0 rejected")
    assert term.finish() == 0
    assert state.exists() and not out.exists()

    term = Terminal("review", str(draft), cwd=tmp_path)
    resumed = term.expect(PROMPT)
    assert "resuming at candidate 2 of 3 (1 accepted, 0 rejected)" in resumed
    assert "Candidate 2 of 3" in resumed and "key AI firms" in resumed  # the edit was kept
    term.type("b")
    back = term.expect(PROMPT)
    assert "Candidate 1 of 3" in back
    term.type("a")
    term.expect(PROMPT)
    term.type("a")
    third = term.expect(PROMPT)
    assert "Candidate 3 of 3" in third and "four trillion RMB" in third
    assert "Science and Technology Daily" in third  # the source named as show names it
    term.type("r")
    term.expect(r"reviewed all 3: 2 accepted, 1 rejected")
    assert term.finish() == 0

    records = accepted(out)
    assert [(r["table"], r["subject"], r["value"]) for r in records] == [
        ("targets", "minhang", 200),
        ("indicators", "pudong", 600),
    ]
    assert records[1]["metric_label"] == "key AI firms"
    assert not {"confidence", "start", "end", "figure", "why", "subject_text"} & set(records[0])
    result = run("import", str(out), "--store", str(user_store))
    assert result.exit_code == 0, result
    assert "review keys dropped" not in result.stderr
    found = run("indicators", "--in", "pudong", "--exact", "--json", "--store", str(user_store)).json()
    assert any(r["metric_label"] == "key AI firms" and r["value"] == 600 for r in found)


def test_a_bad_edit_changes_nothing_and_says_why(tmp_path: Path) -> None:
    draft = make_draft(tmp_path)
    term = Terminal("review", str(draft), cwd=tmp_path)
    term.expect(PROMPT)
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("year")
    term.expect(r"year \[2026\] > ")
    term.type("soon")
    said = term.expect(PROMPT)
    assert "not changed: year must be a whole number such as 2025, not 'soon'" in said
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("colour")
    assert "not changed: no field 'colour' in targets; fields: id," in term.expect(PROMPT)
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("subject")
    term.expect(r'subject \["minhang"\] > ')
    term.type("Pudng")
    assert "not changed: no place 'Pudng' — did you mean 'Pudong New Area'" in term.expect(PROMPT)
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("subject")
    term.expect(r'subject \["minhang"\] > ')
    term.type("浦东")
    assert "Pudong New Area (pudong)" in term.expect(PROMPT)
    term.type("e")
    term.expect(r"field to edit .*> ")
    term.type("value")
    term.expect(r"value \[200\] > ")
    term.type("1.5tn")
    shown = term.expect(PROMPT)
    assert "1500000000000" in shown
    term.type("x")
    assert "'x' is not a key here" in term.expect(PROMPT)
    term.type("q")
    assert term.finish() == 0


def test_review_with_store_imports_when_every_candidate_is_decided(tmp_path: Path, user_store: Path) -> None:
    draft = make_draft(tmp_path)
    term = Terminal("review", str(draft), "--store", str(user_store), cwd=tmp_path)
    for key in ("a", "r", "r"):
        term.expect(PROMPT)
        term.type(key)
    term.expect(r"added 1, replaced 0")
    assert term.finish() == 0
    found = run("targets", "--in", "minhang", "--json", "--store", str(user_store)).json()
    assert [(t["value"], t["year"]) for t in found] == [(200, 2026)]


@pytest.mark.slow  # two review sessions on a pseudo-terminal
def test_accepted_records_never_replace_a_file_with_other_content(tmp_path: Path) -> None:
    draft = make_draft(tmp_path)
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"table": "sources", "id": "keep-me"}\n', encoding="utf-8")
    term = Terminal("review", str(draft), "--out", str(mine), cwd=tmp_path)
    for key in ("a", "a", "a"):
        term.expect(PROMPT)
        term.type(key)
    shown = "".join(term.expect(r"elsewhere").split())  # the line wraps at 80 columns, inside the long path
    assert "mine.jsonlexistsandholdsotherrecords;give--outFILE" in shown
    assert term.finish() == 2
    assert mine.read_text(encoding="utf-8") == '{"table": "sources", "id": "keep-me"}\n'
    term = Terminal("review", str(draft), "--out", str(tmp_path / "other.jsonl"), cwd=tmp_path)
    term.expect(r"reviewed all 3: 3 accepted")
    assert term.finish() == 0
    assert len(accepted(tmp_path / "other.jsonl")) == 3


def test_a_candidate_missing_fields_says_which_to_fill(tmp_path: Path) -> None:
    doc = tmp_path / "hefei.txt"
    doc.write_text("By 2026, Lakeview will host 300 quantum firms.\n", encoding="utf-8")
    draft = tmp_path / "hefei.jsonl"
    draft.write_text(run("extract", str(doc), "-o", "jsonl", "--source", "ai-pilot-zones-2019").stdout)
    term = Terminal("review", str(draft), cwd=tmp_path)
    shown = term.expect(PROMPT)
    assert "To fill before import: subject (e to edit)" in shown
    assert "no place yet (none named): quantum firms" in shown
    term.type("q")
    assert term.finish() == 0


def test_review_without_a_terminal_points_to_editing_the_draft(tmp_path: Path) -> None:
    draft = make_draft(tmp_path)
    result = run("review", str(draft))
    assert result.exit_code == 2
    assert "review needs a terminal" in result.stderr and f"policyq import {draft}" in result.stderr


@pytest.mark.slow  # two review sessions on a pseudo-terminal
def test_a_draft_changed_after_review_began_is_not_resumed_silently(tmp_path: Path) -> None:
    draft = make_draft(tmp_path)
    term = Terminal("review", str(draft), cwd=tmp_path)
    term.expect(PROMPT)
    term.type("a")
    term.expect(PROMPT)
    term.type("q")
    assert term.finish() == 0
    draft.write_text(draft.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    term = Terminal("review", str(draft), cwd=tmp_path)
    shown = "".join(term.expect(r"afresh").split())  # the line wraps at 80 columns, inside the long path
    assert "changedsinceitsreviewbegan;remove" in shown and "draft.jsonl.review.jsontoreviewitafresh" in shown
    assert term.finish() == 2


def test_a_file_that_is_not_a_draft_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = run("review", str(bad))
    assert result.exit_code == 2 and "not a draft record" in result.stderr
    result = run("review", str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 2 and "no draft" in result.stderr
