"""``policyq review``: a person accepts, rejects or edits each candidate of a draft.

Progress (each decision, each edit, where the person is) is kept in a state file beside the
draft (``DRAFT.review.json``), written whole and atomically after every key, so a review
can be quit and resumed, and survives a closed terminal. When every candidate is decided,
the accepted records (edits applied, review keys dropped, ``table`` kept) are written to
``DRAFT.accepted.jsonl`` (or ``--out``), ready for ``policyq import``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from policyq.choices import REVIEW_KEYS
from policyq.errors import UsageError
from policyq.model import FIELDS
from policyq.places import Places

KEYS = "[a]ccept  [r]eject  [e]dit a field  [b]ack  [q]uit"
_TABLES = ("targets", "indicators")


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_draft(path: Path) -> tuple[list[dict[str, Any]], str]:
    """The records of a draft file (JSON lines) and a digest of its bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no draft '{path}'; make one with: policyq extract FILE -o jsonl > {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read '{path}': {exc.strerror or exc}") from None
    records = []
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise UsageError(f"{path} line {n} is not JSON; a draft holds one JSON object a line") from None
        if not isinstance(record, dict) or record.get("table") not in ("sources", *_TABLES):
            raise UsageError(f'{path} line {n}: not a draft record (needs "table": targets, indicators or sources)')
        records.append(record)
    return records, hashlib.sha256(data).hexdigest()


def parse_field(table: str, name: str, text: str) -> Any:
    """What a person typed for field ``name``: numbers and amounts for value and usd
    ('1.5tn', '100亿'), a whole number for year, a list for sectors ('a; b'), null for an
    empty answer or 'null', else the text."""
    text = text.strip()
    if name not in FIELDS[table] or (name == "id" and not text):
        raise UsageError(f"no field '{name}' in {table}; fields: {', '.join(FIELDS[table])}")
    if text in ("", "null", "none"):
        return [] if name == "sectors" else None
    if name in ("value", "usd"):
        from policyq.vocab import parse_amount

        return parse_amount(text).value
    if name == "year":
        if not text.isdigit():
            raise UsageError(f"year must be a whole number such as 2025, not '{text}'")
        return int(text)
    if name == "sectors":
        return [s.strip() for s in text.replace(",", ";").split(";") if s.strip()]
    return text


class Session:
    def __init__(self, draft: Path, out: Path, records: list[dict[str, Any]], digest: str) -> None:
        self.draft, self.out, self.digest = draft, out, digest
        self.state_path = draft.with_name(draft.name + ".review.json")
        self.sources = [r for r in records if r.get("table") == "sources"]
        self.candidates = [r for r in records if r.get("table") in _TABLES]
        self.decisions: dict[int, str] = {}
        self.edits: dict[int, dict[str, Any]] = {}
        self.position = 0

    @classmethod
    def open(cls, draft: str, out: str | None = None) -> Session:
        path = Path(draft)
        records, digest = read_draft(path)
        target = Path(out) if out else path.with_name(path.stem + ".accepted.jsonl")
        session = cls(path, target, records, digest)
        if not session.candidates:
            raise UsageError(f"{draft} holds no candidates")
        session.load_state()
        return session

    def load_state(self) -> None:
        if not self.state_path.exists():
            return
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UsageError(f"cannot read the review state {self.state_path}; remove it to start again") from None
        if state.get("draft") != self.digest:
            raise UsageError(
                f"{self.draft} changed since its review began; remove {self.state_path} to review it afresh"
            )
        self.decisions = {int(k): v for k, v in state.get("decisions", {}).items()}
        self.edits = {int(k): v for k, v in state.get("edits", {}).items()}
        self.position = min(int(state.get("position", 0)), len(self.candidates))

    def save(self) -> None:
        state = {"draft": self.digest, "position": self.position, "decisions": self.decisions, "edits": self.edits}
        _atomic_write(self.state_path, json.dumps(state, ensure_ascii=False, indent=1) + "\n")

    def record(self, i: int) -> dict[str, Any]:
        """Candidate ``i`` with its edits."""
        return {**self.candidates[i], **self.edits.get(i, {})}

    def accepted(self) -> list[dict[str, Any]]:
        """The accepted records, review keys dropped but ``table``; with the drafted sources
        they cite."""
        chosen = [self.record(i) for i in sorted(self.decisions) if self.decisions[i] == "accept"]
        cited = {r.get("source") for r in chosen}
        out = [s for s in self.sources if s.get("id") in cited] + chosen
        return [{k: v for k, v in r.items() if k == "table" or k not in REVIEW_KEYS} for r in out]

    def accepted_tables(self) -> dict[str, list[dict[str, Any]]]:
        tables: dict[str, list[dict[str, Any]]] = {}
        for r in self.accepted():
            tables.setdefault(r["table"], []).append({k: v for k, v in r.items() if k != "table"})
        return tables

    def write_accepted(self) -> None:
        """Write the accepted records; an existing file with other content is never replaced."""
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.accepted())
        try:
            if self.out.read_text(encoding="utf-8") != lines:
                raise UsageError(
                    f"{self.out} exists and holds other records; give --out FILE to write the accepted ones elsewhere"
                )
        except FileNotFoundError:
            pass
        except (OSError, UnicodeError) as exc:
            raise UsageError(f"cannot check {self.out}: {exc}; give --out FILE") from None
        _atomic_write(self.out, lines)

    # --- the terminal ---------------------------------------------------------------------

    def run(self, env: Any, places: Places | None = None, lookup: Any = None, stdin: IO[str] | None = None) -> bool:
        """Review on the terminal until every candidate is decided (True) or the person quits
        (False). Every key is saved at once. ``places`` resolves a subject typed as a name;
        ``lookup`` (a ``policyq.render.Lookup``) names places and sources on the cards."""
        if lookup is None:
            from policyq.render.human import Lookup

            lookup = Lookup()
        stdin = stdin or sys.stdin
        if not (stdin.isatty() and env.stdout_isatty):
            raise UsageError(
                f"review needs a terminal; without one, edit {self.draft} (delete lines, set fields) "
                f"and run: policyq import {self.draft}"
            )
        total = len(self.candidates)
        if (self.position or self.decisions) and self.position < total:
            env.log(f"resuming at candidate {self.position + 1} of {total} ({self._tally()})")
        while self.position < total:
            self.show(env, self.position, lookup)
            key = self.ask(env, stdin, f"{KEYS} > ")
            if key is None or key.startswith("q"):
                self.save()
                env.log(f"saved after {self._tally()}; run 'policyq review {self.draft}' again to go on")
                return False
            if key.startswith("a") or key.startswith("r"):
                self.decisions[self.position] = "accept" if key.startswith("a") else "reject"
                self.position += 1
            elif key.startswith("b"):
                self.position = max(0, self.position - 1)
            elif key.startswith("e"):
                self.edit(env, stdin, places)
            else:
                env.write(f"'{key}' is not a key here; {KEYS}\n")
            self.save()
        self.write_accepted()
        env.log(f"reviewed all {total}: {self._tally()}; accepted records in {self.out}")
        env.log(f"import them with: policyq import {self.out}")
        return True

    def _tally(self) -> str:
        acc = sum(1 for v in self.decisions.values() if v == "accept")
        return f"{acc} accepted, {len(self.decisions) - acc} rejected"

    @staticmethod
    def ask(env: Any, stdin: IO[str], prompt: str) -> str | None:
        env.write(prompt)
        line = stdin.readline()
        if not line:
            env.write("\n")
            return None
        return line.strip().casefold()

    def edit(self, env: Any, stdin: IO[str], places: Places | None = None) -> None:
        record = self.record(self.position)
        table = record["table"]
        env.write("field to edit (subject, value, year, metric…) > ")
        name = stdin.readline().strip()
        if not name:
            return
        if name not in FIELDS[table]:
            env.write(f"not changed: no field '{name}' in {table}; fields: {', '.join(FIELDS[table])}\n")
            return
        env.write(f"{name} [{json.dumps(record.get(name), ensure_ascii=False)}] > ")
        text = stdin.readline()
        try:
            value = parse_field(table, name, text)
            if name == "subject" and isinstance(value, str) and places is not None:
                value = places.resolve(value)  # a place's name, alias or Chinese name as its id
        except UsageError as exc:
            env.write(f"not changed: {exc}\n")
            return
        self.edits.setdefault(self.position, {})[name] = value

    def show(self, env: Any, i: int, lookup: Any) -> None:
        from policyq.render import draw, width
        from policyq.render.candidates import record_block

        size = width(env)
        env.write("\n" + draw(env, record_block(i + 1, len(self.candidates), self.record(i), size, lookup), size))
