"""Attack the installed ``policyq`` command and count what breaks.

    python benchmarks/adversarial.py [--kills N] [--writers N] [--size N] [--seed N] [--parts kills,writers,hostile]

Three parts, each run against the real ``policyq`` console script (the one beside
``sys.executable``) in subprocesses, every one with a timeout (a process still running at its
timeout is a hang, killed and counted, never waited for):

- **kills**: SIGKILL, SIGTERM and SIGINT at random times during ``import``, ``import
  --replace`` and ``remove`` on a store of ``--size`` targets built by ``generate.py``. After
  each kill the store must be byte for byte the old one or the new one (both checked by
  ``policyq validate`` once), and the next import must succeed and leave no temporary file.
- **writers**: ``--writers`` processes importing disjoint records into one store at once,
  three rounds, with readers querying throughout: every record present exactly once, every
  reader answering with exit 0 and strict JSON.
- **hostile**: the hostile stores and inputs of issue 21, each a case with the exit codes it
  may end with; stderr must be at most one line and hold no traceback, and the human views
  must send no raw control, invisible or bidirectional character.

The schedule (which signal, when, which records) follows ``--seed``; what a kill hits depends
on the machine. The last line gives the totals: torn, lost, duplicated, hangs, tracebacks,
injections, wrong exit codes, and other failed checks. The exit status is 1 when any is
non-zero, 0 otherwise, 2 when the run cannot start.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from policyq.storage import layout, paths

HERE = Path(__file__).resolve().parent
POLICYQ = Path(sys.executable).parent / "policyq"
CATEGORIES = ("torn", "lost", "duplicated", "hangs", "tracebacks", "injections", "wrong exit codes", "other")
TIMEOUT = 60.0  # seconds any one command may take before it counts as a hang

# Characters no human view may send to a terminal: C0 (but tab and line feed), DEL, C1,
# bidirectional marks and overrides, zero-width characters, the BOM, line and paragraph
# separators, tag characters.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
    "\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)

TARGET: dict[str, Any] = {  # a valid target; the figures are our own
    "id": "adv-target",
    "subject": "pudong",
    "metric": "output_value",
    "metric_label": "test output",
    "family": "output",
    "comparator": ">",
    "value": 2_000_000_000_000,
    "unit": "CNY",
    "year": 2030,
    "deadline": "2030",
    "source": "pudong-industrial-system-2022",
}
INDICATOR: dict[str, Any] = {k: v for k, v in TARGET.items() if k != "deadline"} | {
    "id": "adv-indicator",
    "comparator": "=",
    "year": 2023,
    "as_of": "2023",
}


# --- running policyq -----------------------------------------------------------------------------


@dataclass
class Ran:
    """One finished (or hung, ``code is None``) process."""

    argv: list[str]
    code: int | None
    out: bytes
    err: bytes
    seconds: float

    def text(self) -> str:
        return self.out.decode("utf-8", errors="replace")

    def brief(self) -> str:
        shown = " ".join(a if len(a) < 60 else a[:40] + f"…({len(a):,} chars)" for a in self.argv)
        err = self.err.decode("utf-8", errors="replace").strip().splitlines()
        said = f"; stderr: {err[0][:160]!r}" + (f" (+{len(err) - 1} lines)" if len(err) > 1 else "") if err else ""
        return f"`{shown}` exit {self.code}{said}"


class Env:
    """The children's environment: no user store, an empty cache, 80 columns, no colour."""

    def __init__(self, work: Path) -> None:
        self.work = work
        base = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYQ_", "COMP_", "_POLICYQ", "_TYPER"))}
        base.update(
            XDG_DATA_HOME=str(work / "xdg-data"),
            XDG_CACHE_HOME=str(work / "xdg-cache"),
            COLUMNS="80",
            LINES="24",
            NO_COLOR="1",
            TERM="dumb",
            PYTHONIOENCODING="utf-8",
        )
        base.pop("FORCE_COLOR", None)
        self.vars = base

    def with_(self, **extra: str) -> dict[str, str]:
        return {**self.vars, **extra}


def call(
    argv: list[str],
    env: dict[str, str],
    *,
    timeout: float = TIMEOUT,
    input: bytes | None = None,
    shell: bool = False,
) -> Ran:
    """Run one process in a session of its own; on its timeout kill that session and say so."""
    started = time.monotonic()
    proc = subprocess.Popen(
        ["bash", "-c", argv[0]] if shell else argv,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input, timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_session(proc)
        out, err = proc.communicate()
        code = None
    return Ran(argv, code, out, err, time.monotonic() - started)


def _kill_session(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the session this script started for it


def pq(*args: str) -> list[str]:
    return [str(POLICYQ), *args]


# --- findings ------------------------------------------------------------------------------------


@dataclass
class Row:
    part: str
    case: str
    tried: int = 0
    result: str = ""
    found: Counter[str] = field(default_factory=Counter)


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.details: list[str] = []

    def row(self, part: str, case: str) -> Row:
        row = Row(part, case)
        self.rows.append(row)
        return row

    def find(self, row: Row, category: str, what: str) -> None:
        assert category in CATEGORIES, category
        row.found[category] += 1
        self.details.append(f"[{row.part}: {row.case}] {category}: {what}")
        print(f"  finding: {category}: {what}", file=sys.stderr, flush=True)

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for row in self.rows:
            total.update(row.found)
        return total

    def print(self) -> None:
        if self.details:
            print("Findings:")
            for line in self.details:
                print(f"  {line}")
            print()
        width = max(len(r.case) for r in self.rows) if self.rows else 10
        width = min(width, 58)
        print(f"{'part':<8} {'case':<{width}} {'tried':>6}  {'findings':<9} result")
        print("-" * (8 + width + 6 + 9 + 40))
        for r in self.rows:
            found = ", ".join(f"{n} {c}" for c, n in r.found.items() if n) or "0"
            print(f"{r.part:<8} {r.case[:width]:<{width}} {r.tried:>6}  {found:<9} {r.result}")
        total = self.totals()
        print("-" * (8 + width + 6 + 9 + 40))
        print("totals: " + ", ".join(f"{c} {total[c]}" for c in CATEGORIES))


def judge(
    report: Report,
    row: Row,
    ran: Ran,
    codes: Iterable[int],
    *,
    human: bool = False,
    stderr_lines: int = 1,
) -> bool:
    """The checks every hostile case shares; True when the run passed them all."""
    row.tried += 1
    before = sum(row.found.values())
    if ran.code is None:
        report.find(row, "hangs", f"{ran.brief()}: still running after {ran.seconds:.0f} s")
        return False
    if ran.code not in set(codes):
        report.find(row, "wrong exit codes", f"{ran.brief()}; expected {sorted(set(codes))}")
    err = ran.err.decode("utf-8", errors="replace")
    if "Traceback" in err:
        report.find(row, "tracebacks", ran.brief())
    elif err.count("\n") > stderr_lines or (err and not err.endswith("\n")):
        report.find(row, "other", f"{ran.brief()}: stderr is {err.count(chr(10))} lines, at most {stderr_lines}")
    if RAW.search(err):
        report.find(row, "injections", f"{ran.brief()}: raw {RAW.search(err)!r} on stderr")
    shown = ran.text().replace("\r\n", "\n")  # CSV rows end with CRLF (RFC 4180)
    if human and RAW.search(shown):
        report.find(row, "injections", f"{ran.brief()}: raw {RAW.search(shown)!r} on stdout")
    return sum(row.found.values()) == before


def strict_json(text: str) -> Any:
    """json.loads that refuses NaN and Infinity, as every other JSON reader does."""

    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


# --- stores --------------------------------------------------------------------------------------


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(paths.bundled_path()).read_text(encoding="utf-8"))
    return data


def write_store(path: Path, data: dict[str, Any], form: str = "lines") -> Path:
    """A store written as a hostile hand would, without policyq's checks."""
    dumpers: dict[str, Callable[[Any], str]] = {
        "lines": layout.dump_tables,
        "tinydb": json.dumps,
        "indented": lambda d: json.dumps(d, indent=4),
    }
    text = dumpers[form](data)
    path.write_text(text, encoding="utf-8")
    return path


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def temps(path: Path) -> list[Path]:
    """Temporary files of policyq's writers for this store, as files.temp_name names them."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{16}}\.tmp")
    return [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]


def fact_ids(path: Path) -> Counter[str]:
    """How many times each target id occurs in a store, read with the json module."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Counter(rec["id"] for rec in data["targets"].values())


# --- part 1: kills ---------------------------------------------------------------------------------


SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
ENDINGS = {  # how a process may end after each signal, if the signal reached it
    signal.SIGKILL: {-signal.SIGKILL},
    signal.SIGTERM: {-signal.SIGTERM, 128 + signal.SIGTERM},
    signal.SIGINT: {130, -signal.SIGINT},  # -2 only before Python installs its handler
}


def kills(report: Report, env: Env, work: Path, size: int, count: int, rng: random.Random) -> None:
    sys.path.insert(0, str(HERE))
    import generate  # benchmarks/generate.py, beside this file

    folder = work / "kills"
    folder.mkdir()
    base = folder / "base.json"
    started = time.monotonic()
    generate.generate(size, base)
    print(f"kills: generated {size:,} targets, {base.stat().st_size / 2**20:.1f} MiB", file=sys.stderr)
    data = json.loads(base.read_text(encoding="utf-8"))
    late = list(data["targets"].values())[-min(2000, size // 2 or 1) :]
    del data
    added = write_json(
        folder / "add.json", {"targets": [dict(TARGET, id=f"adv-add-{i}", value=i + 1) for i in range(2000)]}
    )
    replaced = write_json(folder / "replace.json", {"targets": [dict(r, value=r["value"] + 1) for r in late]})
    nxt = write_json(folder / "next.json", {"targets": [dict(TARGET, id="adv-next")]})
    victim = late[-1]["id"]  # removable: nothing refers to a target
    store = folder / "store.json"
    operations = {
        "import": ["import", str(added), "--store", str(store)],
        "import --replace": ["import", str(replaced), "--replace", "--store", str(store)],
        "remove": ["remove", victim, "--store", str(store)],
    }
    base_digest = digest(base)
    setup = report.row("kills", f"set-up: {size:,}-target store, each operation run whole")
    judge(report, setup, call(pq("validate", str(base)), env.vars, timeout=300), [0])
    after: dict[str, set[str]] = {}
    duration: dict[str, float] = {}
    for name, args in operations.items():
        results = set()
        for _ in range(2):  # the first also validates the store whole; the second sets the pace
            shutil.copyfile(base, store)
            ran = call(pq(*args), env.vars, timeout=300)
            judge(report, setup, ran, [0])
            results.add(digest(store))
            duration[name] = ran.seconds
        judge(report, setup, call(pq("validate", str(store)), env.vars, timeout=300), [0])
        after[name] = results
    setup.result = (
        "whole runs: "
        + ", ".join(f"{n} {duration[n]:.2f} s" for n in operations)
        + f"; {time.monotonic() - started:.0f} s"
    )

    rows = {(name, sig): report.row("kills", f"{sig.name} during {name}") for name in operations for sig in SIGNALS}
    outcomes: dict[tuple[str, signal.Signals], Counter[str]] = {key: Counter() for key in rows}
    for n in range(count):
        name = list(operations)[n % len(operations)]
        sig = SIGNALS[(n // len(operations)) % len(SIGNALS)]
        row, seen = rows[(name, sig)], outcomes[(name, sig)]
        # Half the kills anywhere, half late, where the store is read, checked and replaced.
        span = duration[name]
        delay = rng.uniform(0, span * 1.1) if n % 2 else rng.uniform(span * 0.5, span * 1.05)
        shutil.copyfile(base, store)
        proc = subprocess.Popen(
            pq(*operations[name]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env.vars,
            start_new_session=True,
        )
        time.sleep(delay)
        signalled = proc.poll() is None
        if signalled:
            proc.send_signal(sig)
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            _kill_session(proc)
            out, err = proc.communicate()
            report.find(row, "hangs", f"{name} still running {TIMEOUT:.0f} s after {sig.name} at {delay:.2f} s")
        ran = Ran(pq(*operations[name]), proc.returncode, out, err, delay)
        row.tried += 1
        seen["signalled" if signalled else "finished first"] += 1
        code = proc.returncode
        if code != 0 and code not in ENDINGS[sig]:
            report.find(row, "wrong exit codes", f"{ran.brief()} after {sig.name} at {delay:.2f} s")
        if b"Traceback" in err:
            report.find(row, "tracebacks", f"{ran.brief()} after {sig.name} at {delay:.2f} s")
        now = digest(store)
        if now == base_digest:
            seen["old"] += 1
            if code == 0:
                report.find(
                    row, "lost", f"{name} exited 0 after {sig.name} at {delay:.2f} s but the store is the old one"
                )
        elif now in after[name]:
            seen["new"] += 1
        else:
            checked = call(pq("validate", str(store)), env.vars, timeout=300)
            report.find(
                row, "torn", f"after {sig.name} at {delay:.2f} s the store is neither old nor new; {checked.brief()}"
            )
            seen["torn"] += 1
        left = temps(store)
        seen["temp left"] += bool(left)
        nxt_run = call(pq("import", str(nxt), "--store", str(store)), env.vars)
        if nxt_run.code != 0:
            report.find(
                row, "wrong exit codes", f"the next import after {sig.name} at {delay:.2f} s: {nxt_run.brief()}"
            )
        if b"Traceback" in nxt_run.err:
            report.find(row, "tracebacks", f"the next import: {nxt_run.brief()}")
        if temps(store):
            report.find(
                row, "other", f"after the next import, temporary files remain: {[p.name for p in temps(store)]}"
            )
    for key, row in rows.items():
        seen = outcomes[key]
        row.result = (
            f"{seen['signalled']} signalled ({seen['finished first']} done first): "
            f"{seen['old']} old, {seen['new']} new, {seen['torn']} torn; "
            f"temp left {seen['temp left']}, all cleared by the next import"
            if not row.found["other"]
            else f"{seen['old']} old, {seen['new']} new, {seen['torn']} torn"
        )


# --- part 2: concurrent writers and readers ----------------------------------------------------------


READS = (
    ("targets", "--limit", "1", "--json"),
    ("zones", "--in", "pudong", "--json"),
    ("show", "pudong", "--json"),
    ("targets", "--in", "lingang", "--year", "2025", "--json"),
)


def writers(report: Report, env: Env, work: Path, size: int, count: int, rng: random.Random) -> None:
    sys.path.insert(0, str(HERE))
    import generate

    folder = work / "writers"
    folder.mkdir()
    store = folder / "store.json"
    n_size = min(size, 20_000)  # writers queue on one lock: a smaller store keeps the rounds short
    generate.generate(n_size, store)
    per_writer, rounds = 200, 3
    row = report.row("writers", f"{count} writers x {rounds} rounds x {per_writer} records, {n_size:,}-target store")
    readers_row = report.row("writers", "readers querying throughout")
    call(pq("validate", str(store)), env.vars, timeout=300)  # known valid before the race
    expected: list[str] = []
    reads = reader_fail = 0
    started = time.monotonic()
    for r in range(rounds):
        files = []
        for w in range(count):
            ids = [f"adv-w{r}-{w}-{i}" for i in range(per_writer)]
            expected += ids
            records = [dict(TARGET, id=rid, value=i + 1) for i, rid in enumerate(ids)]
            files.append(write_json(folder / f"w{r}-{w}.json", {"targets": records}))
        procs = []
        for f in files:
            procs.append(Child.start(pq("import", str(f), "--store", str(store)), env.vars))
            time.sleep(rng.uniform(0, 0.05))
        live: list[Child] = []
        deadline = time.monotonic() + 120
        while any(c.proc.poll() is None for c in procs) and time.monotonic() < deadline:
            for child in [c for c in live if c.proc.poll() is not None or c.age() > TIMEOUT]:
                live.remove(child)
                _judge_reader(report, readers_row, child.finish(0))
            while len(live) < 2:
                live.append(Child.start(pq(*READS[rng.randrange(len(READS))], "--store", str(store)), env.vars))
                reads += 1
            time.sleep(0.05)
        for child in live:
            _judge_reader(report, readers_row, child.finish(TIMEOUT))
        for child in procs:
            row.tried += 1
            ran = child.finish(TIMEOUT)
            _ended(report, row, ran, "still running")
            if b"Traceback" in ran.err:
                report.find(row, "tracebacks", ran.brief())
    readers_row.tried = reads
    reader_fail = sum(readers_row.found.values())
    counts = fact_ids(store)
    lost = [i for i in expected if counts[i] == 0]
    dup = [i for i in expected if counts[i] > 1]
    others_dup = [i for i, n in counts.items() if n > 1 and i not in set(expected)]
    for rid in lost[:5]:
        report.find(row, "lost", f"{rid} is not in the store")
    if len(lost) > 5:
        row.found["lost"] += len(lost) - 5
    for rid in (dup + others_dup)[:5]:
        report.find(row, "duplicated", f"{rid} is in the store {counts[rid]} times")
    if len(dup + others_dup) > 5:
        row.found["duplicated"] += len(dup + others_dup) - 5
    final = call(pq("validate", str(store)), env.vars, timeout=300)
    judge(report, row, final, [0])
    row.tried -= 1  # the validate is a check, not a writer
    row.result = (
        f"{len(expected):,} records written, {len(expected) - len(lost):,} present, {len(lost)} lost, "
        f"{len(dup) + len(others_dup)} duplicated; {time.monotonic() - started:.0f} s"
    )
    readers_row.result = f"{reads} queries, {reads - reader_fail} answered with exit 0 and strict JSON"


@dataclass
class Child:
    """A process running beside others, its output going to files (a pipe nobody reads
    would stop it once full)."""

    argv: list[str]
    proc: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    started: float

    @classmethod
    def start(cls, argv: list[str], env: dict[str, str]) -> Child:
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, start_new_session=True)
        return cls(argv, proc, out, err, time.monotonic())

    def age(self) -> float:
        return time.monotonic() - self.started

    def finish(self, timeout: float) -> Ran:
        """Wait up to ``timeout``; a process still running then is killed and has no code."""
        code: int | None
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_session(self.proc)
            self.proc.wait()
            code = None
        outputs = []
        for fh in (self.out, self.err):
            fh.seek(0)
            outputs.append(fh.read())
            fh.close()
        return Ran(self.argv, code, outputs[0], outputs[1], self.age())


def _ended(report: Report, row: Row, ran: Ran, hang: str) -> bool:
    """Count a process still running (``hang`` says so) or ending with another code than 0;
    True when it ended with 0."""
    if ran.code is None:
        report.find(row, "hangs", f"{ran.brief()}: {hang}")
    elif ran.code != 0:
        report.find(row, "wrong exit codes", ran.brief())
    return ran.code == 0


def _judge_reader(report: Report, row: Row, ran: Ran) -> None:
    if not _ended(report, row, ran, f"still running after {ran.seconds:.0f} s"):
        return
    if b"Traceback" in ran.err:
        report.find(row, "tracebacks", ran.brief())
    else:
        try:
            strict_json(ran.text())
        except ValueError as exc:
            report.find(row, "other", f"{ran.brief()}: stdout is not JSON ({exc})")


# --- part 3: hostile inputs ---------------------------------------------------------------------------


class Hostile:
    def __init__(self, report: Report, env: Env, work: Path) -> None:
        self.report, self.env = report, env
        self.dir = work / "hostile"
        self.dir.mkdir()

    def path(self, name: str) -> Path:
        return self.dir / name

    def run(self, *args: str, timeout: float = TIMEOUT, env: dict[str, str] | None = None) -> Ran:
        return call(pq(*args), self.env.with_(**(env or {})), timeout=timeout)

    def all(self, only: set[str] | None = None) -> None:
        cases: list[tuple[str, Callable[[], None]]] = [
            ("long-line", self.long_line),
            ("chain", self.chain),
            ("braces", self.braces),
            ("refusal-time", self.refusal_time),
            ("duplicate-keys", self.duplicate_keys),
            ("empty-store", self.empty_store),
            ("completion", self.completion),
            ("bibtex", self.bibtex),
            ("json-controls", self.json_controls),
            ("extremes", self.extremes),
            ("wide-name", self.wide_name),
            ("streams", self.streams),
            ("superscript-id", self.superscript_id),
            ("line-separator", self.line_separator),
            ("long-cell", self.long_cell),
        ]
        for key, case in cases:
            if only is None or key in only:
                started = time.monotonic()
                case()
                print(f"hostile: {key} in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)

    # 1. A record line over 1 MiB in a store of 2 MiB or more.
    def long_line(self) -> None:
        queries = (
            ("zones",),
            ("zones", "--in", "pudong"),
            ("parks", "--in", "pudong"),
            ("targets", "--in", "pudong", "--year", "2030"),
            ("indicators",),
            ("sources",),
            ("show", "pudong"),
            ("progress", "--in", "pudong"),
            ("search", "lingang"),
            ("tree", "pudong"),
            ("cite", "pudong", "--style", "csl"),
        )
        for where, label in ((0, "first"), (10, "middle"), (-1, "last")):
            row = self.report.row("hostile", f"1.2 MB zone line ({label}) in a 3 MiB+ store")
            data = bundled()
            data["targets"].update({str(100 + i): dict(TARGET, id=f"pad-{i}", value=i + 1) for i in range(6000)})
            zone = data["zones"][list(data["zones"])[where]]
            zone["note"] = "a long note " * 100_000
            store = write_store(self.path(f"long-{label}.json"), data)
            slowest = 0.0
            for args in queries:
                fmt = () if args[0] == "cite" else ("--format", "json")
                ran = self.run(*args, "--store", str(store), *fmt, timeout=30)
                if judge(self.report, row, ran, [0, 1]) and ran.code == 0:
                    try:
                        strict_json(ran.text())
                    except ValueError as exc:
                        self.report.find(row, "other", f"{ran.brief()}: {exc}")
                slowest = max(slowest, ran.seconds)
            judge(self.report, row, self.run("validate", str(store), timeout=30), [0])
            row.result = f"{len(queries)} queries and validate, slowest {slowest:.1f} s"

    # 3. A 2,000-zone parent chain, and the 1,000-deep tree of it.
    def chain(self) -> None:
        row = self.report.row("hostile", "2,000-zone parent chain: import, import, tree, show")
        store = self.path("chain.json")
        shutil.copyfile(paths.bundled_path(), store)
        chain = [
            {"id": f"chain-{i}", "name": f"Chain {i}", "kind": "park", "parent": f"chain-{i - 1}" if i else "pudong"}
            for i in range(2000)
        ]
        s = ("--store", str(store))
        first = self.run("import", str(write_json(self.path("chain-in.json"), {"zones": chain})), *s)
        judge(self.report, row, first, [0])
        again = self.run("import", str(write_json(self.path("chain-one.json"), {"targets": [TARGET]})), *s)
        judge(self.report, row, again, [0])
        judge(self.report, row, self.run("show", "chain-1999", *s), [0], human=True)
        judge(self.report, row, self.run("validate", str(store)), [0])
        row.result = f"imports {first.seconds:.1f} s and {again.seconds:.1f} s"
        deep = self.report.row("hostile", "1,000-deep tree --json")
        ran = self.run("tree", "chain-1000", "--json", *s)
        if judge(self.report, deep, ran, [0]):
            depth = _json_depth(ran.text(), "children")
            if depth != 1000:
                self.report.find(deep, "other", f"{ran.brief()}: {depth} nested places, not 1,000")
            deep.result = f"{depth} nested places, strict JSON, {ran.seconds:.1f} s"
        for fmt in ("jsonl", "csv"):
            judge(self.report, deep, self.run("tree", "chain-1000", "--format", fmt, *s), [0])
        # The drawn tree may refuse a depth it cannot draw: exit 3, "nested too deeply", documented.
        drawn = self.run("tree", "chain-1000", "--format", "table", *s)
        judge(self.report, deep, drawn, [0, 3], human=True)
        deep.result += f"; jsonl, csv exit 0; table exit {drawn.code}"

    # 4. Text full of '}' in TinyDB's one-line and the indented layouts.
    def braces(self) -> None:
        for form in ("tinydb", "indented"):
            row = self.report.row("hostile", f"200,000 '}}' in a note, {form} layout, 3 MiB+")
            data = bundled()
            data["targets"].update({str(100 + i): dict(TARGET, id=f"pad-{i}", value=i + 1) for i in range(6000)})
            data["zones"]["3"]["note"] = '"}' * 100_000 + "}" * 100_000
            store = write_store(self.path(f"braces-{form}.json"), data, form)
            times = []
            for args in (("zones",), ("targets", "--in", "pudong"), ("show", "pudong")):
                ran = self.run(*args, "--store", str(store), "--format", "json", timeout=30)
                judge(self.report, row, ran, [0])
                times.append(ran.seconds)
            row.result = "times " + ", ".join(f"{t:.1f} s" for t in times)

    # 2. A bad import is refused in time linear in its size.
    def refusal_time(self) -> None:
        row = self.report.row("hostile", "8,000-record import with 1,000 errors refused")
        store = self.path("refusal.json")
        shutil.copyfile(paths.bundled_path(), store)
        records = [dict(TARGET, id=f"r-{i}", unit="furlongs" if i % 8 == 0 else "CNY") for i in range(8000)]
        bad = write_json(self.path("refusal-in.json"), {"targets": records})
        before = digest(store)
        for extra in ((), ("--dry-run",)):
            ran = self.run("import", str(bad), "--store", str(store), *extra, timeout=30)
            judge(self.report, row, ran, [2])
        if digest(store) != before:
            self.report.find(row, "other", "a refused import changed the store")
        row.result = f"refused in {ran.seconds:.1f} s (--dry-run listing every problem)"

    # 21. Duplicate keys in import files.
    def duplicate_keys(self) -> None:
        row = self.report.row("hostile", "duplicate keys in import files")
        store = self.path("dupkeys.json")
        shutil.copyfile(paths.bundled_path(), store)
        before = digest(store)
        one = json.dumps(dict(TARGET, id="dup-a"))
        files = {
            "tables.json": '{"targets": [' + one + '], "targets": [' + one.replace("dup-a", "dup-b") + "]}",
            "id.json": '{"targets": [' + one[:-1] + ', "id": "dup-c"}]}',
            "line.jsonl": one[:-1] + ', "value": 5}\n',
        }
        for name, text in files.items():
            f = self.path(name)
            f.write_text(text, encoding="utf-8")
            extra = ("--table", "targets") if name.endswith("jsonl") else ()
            judge(self.report, row, self.run("import", str(f), *extra, "--store", str(store)), [2])
        if digest(store) != before:
            self.report.find(row, "other", "an import with a key twice changed the store")
        row.result = "each refused, store unchanged" if not row.found else ""

    # 17. --store "" and POLICYQ_STORE= on writes and reads.
    def empty_store(self) -> None:
        row = self.report.row("hostile", "--store '' and POLICYQ_STORE='' (write and read)")
        one = write_json(self.path("empty-one.json"), {"targets": [TARGET]})
        user = Path(self.env.vars["XDG_DATA_HOME"]) / "policyq" / "policyq.json"
        cases: list[tuple[tuple[str, ...], dict[str, str]]] = [
            (("import", str(one), "--store", ""), {}),
            (("remove", "adv-target", "--store", ""), {}),
            (("import", str(one)), {"POLICYQ_STORE": ""}),
            (("zones", "--store", ""), {}),
            (("validate", ""), {}),
        ]
        for args, extra in cases:
            judge(self.report, row, self.run(*args, env=extra), [2])
        if user.exists():
            self.report.find(row, "other", f"an empty store path wrote the user store {user}")
        row.result = "refused with exit 2, the user store untouched" if not row.found else ""

    # 7. Hostile names through the bash completion protocol.
    def completion(self) -> None:
        row = self.report.row("hostile", "$( ), backquotes, quotes in names: bash completion")
        marks = self.dir / "ran"
        marks.mkdir()
        payloads = [
            'Evil "; touch {m}/a; " $(touch {m}/b) `touch {m}/c` it\'s \\ end',
            "Evil' ; touch {m}/d ; '",
            "Evil $(touch {m}/e)",
            "Evil `touch {m}/f`",
            'Evil\\" ; touch {m}/g ; \\"',
            "Evil ${{IFS}}$(touch${{IFS}}{m}/h)",
        ]
        names = [p.format(m=marks) for p in payloads]
        data = bundled()
        keys = list(data["zones"])
        for n, name in enumerate(names):
            zone = data["zones"][keys[2 + n]]
            zone["name"] = name
            zone["aliases"] = [f"Alias{n} " + name[5:]]
        store = write_store(self.path("completion.json"), data)
        tried = 0
        for command in ("show", "cite", "tree", "parks --in", "targets --in"):
            for quote in ("", "'", '"'):
                for typed, wanted in ((quote + "Evil", names), (quote + "Alias0", None)):
                    tried += 1
                    self._complete_one(row, store, command, typed, quote, wanted, marks)
        if any(marks.iterdir()):
            self.report.find(row, "injections", f"completion ran commands: {sorted(p.name for p in marks.iterdir())}")
        row.tried = tried
        row.result = f"{tried} completions evaluated by bash; no command ran" if not row.found["injections"] else ""

    def _complete_one(
        self, row: Row, store: Path, command: str, typed: str, quote: str, wanted: list[str] | None, marks: Path
    ) -> None:
        words = ["policyq", *command.split(), typed]
        ran = call(
            pq(),
            self.env.with_(
                _POLICYQ_COMPLETE="complete_bash",
                COMP_WORDS=" ".join(words),
                COMP_CWORD=str(len(words) - 1),
                POLICYQ_STORE=str(store),
            ),
            timeout=30,
        )
        if ran.code is None:
            self.report.find(row, "hangs", ran.brief())
            return
        if ran.code != 0:
            self.report.find(row, "wrong exit codes", f"completion of {' '.join(words)!r}: {ran.brief()}")
        if b"Traceback" in ran.err:
            self.report.find(row, "tracebacks", f"completion of {' '.join(words)!r}")
        replies = [r for r in ran.text().split("\n") if r]
        if wanted is not None and len(replies) < len(wanted) and command != "targets --in":
            self.report.find(row, "other", f"completion of {' '.join(words)!r} offered {len(replies)} of {len(wanted)}")
        for reply in replies:
            # What bash does with a reply: readline inserts it after the opened quote and closes
            # that quote; Enter then runs the line. printf shows the word bash would pass.
            line = f"printf '%s\\0' {quote}{reply}{quote}"
            shown = call([line], {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, timeout=30, shell=True)
            if shown.code is None:  # the reply made bash wait: it ran something
                self.report.find(row, "injections", f"bash still running on reply {reply!r} to {typed!r}")
                continue
            words_out = shown.out.split(b"\0")[:-1]
            if len(words_out) != 1 and not any(marks.iterdir()):
                self.report.find(row, "other", f"reply {reply!r} to {typed!r} is {len(words_out)} words in bash")
            got = words_out[0].decode("utf-8", errors="replace") if words_out else ""
            if RAW.search(reply):
                self.report.find(row, "injections", f"reply {reply!r} holds a raw control character")
            if wanted is not None and got.startswith("Evil") and got not in wanted:
                self.report.find(row, "other", f"reply {reply!r} to {typed!r} reads as {got!r}, no such name")

    # 8. BibTeX with '}}' in a url.
    def bibtex(self) -> None:
        row = self.report.row("hostile", "BibTeX of a source whose url holds '}}'")
        try:
            from pybtex.database import parse_string  # type: ignore[import-untyped]
        except ImportError:
            row.result = "not run: pybtex is not installed (pip install pybtex)"
            return
        data = bundled()
        source = data["sources"]["1"]
        sid = source["id"]
        evil = "https://example.org/}}, note = {x}}\n@misc{forged, title = {\\immediate\\write18{touch x}}}\n"
        for key, value in (("url", evil.replace("\n", " ")), ("title", "T}}} @misc{forged2, title={x")):
            source[key] = value
        store = write_store(self.path("bibtex.json"), data)
        ran = self.run("cite", sid, "--style", "bibtex", "--store", str(store))
        if judge(self.report, row, ran, [0], stderr_lines=1):
            try:
                entries = parse_string(ran.text(), "bibtex").entries
                if list(entries) != [sid]:
                    self.report.find(row, "injections", f"{ran.brief()}: entries {list(entries)}, not [{sid!r}]")
                else:
                    row.result = "one entry, the source's own"
            except Exception as exc:  # a parse error is a finding, reported whatever it is
                self.report.find(row, "other", f"{ran.brief()}: pybtex cannot read it ({exc})")
        fact = (
            next(r["id"] for r in data["targets"].values() if r["source"] == sid)
            if any(r["source"] == sid for r in data["targets"].values())
            else None
        )
        if fact:
            judge(self.report, row, self.run("cite", fact, "--style", "bibtex", "--store", str(store)), [0])

    # 9. JSON output of C1 controls and bidirectional characters.
    def json_controls(self) -> None:
        row = self.report.row("hostile", "C1, bidi, invisible characters: JSON, views, import")
        args: tuple[str, ...]
        nasty = "P\x9b2J\x9d0;x\x07u\u202eexe.txt\u200bd\u2028o\ufeff\U000e0041ng\x1b[31m"
        data = bundled()
        zone = data["zones"]["3"]
        zone["name"] = nasty
        zone["note"] = nasty
        store = write_store(self.path("controls.json"), data)
        s = ("--store", str(store))
        for args in (("zones", "--json"), ("zones", "-o", "jsonl"), ("show", zone["id"], "--json"), ("tree", "--json")):
            ran = self.run(*args, *s)
            if judge(self.report, row, ran, [0]):
                if RAW.search(ran.text()):
                    self.report.find(row, "injections", f"{ran.brief()}: raw {RAW.search(ran.text())!r} in JSON")
                try:
                    lines = ran.text().splitlines() if "jsonl" in args else [ran.text()]
                    decoded = [strict_json(line) for line in lines]
                    if nasty not in _strings(decoded):
                        self.report.find(row, "other", f"{ran.brief()}: the name does not read back")
                except ValueError as exc:
                    self.report.find(row, "other", f"{ran.brief()}: not strict JSON ({exc})")
        for args in (
            ("zones",),
            ("zones", "-o", "table"),
            ("show", zone["id"], "-o", "table"),
            ("tree", "-o", "table"),
            ("search", "exe", "-o", "table"),
        ):
            judge(self.report, row, self.run(*args, *s), [0], human=True)
        for args in (("zones", "-o", "csv"), ("zones", "-o", "tsv"), ("zones", "-o", "md")):
            judge(self.report, row, self.run(*args, *s), [0], human=True)
        fresh = self.path("controls-import.json")
        shutil.copyfile(paths.bundled_path(), fresh)
        for value in ("a\x9bb", "a\u202eb", "a\u200bb", "a\u2028b", "a\U000e0041b", "a\ufeffb"):
            rec = {"id": "evil-zone", "name": value, "kind": "park", "parent": "pudong"}
            judge(
                self.report,
                row,
                self.run("import", str(write_json(self.path("ci.json"), {"zones": [rec]})), "--store", str(fresh)),
                [2],
            )
        row.result = "JSON strict and escaped; views show them; import refuses them" if not row.found else ""

    # 10, 22. 1e308 and 5e-324.
    def extremes(self) -> None:
        row = self.report.row("hostile", "1e308 and 5e-324: strict JSON, no inf, 80 columns")
        args: tuple[str, ...]
        store = self.path("extremes.json")
        shutil.copyfile(paths.bundled_path(), store)
        records = {
            "targets": [dict(TARGET, id="tiny-target", value=5e-324, subject="lingang")],
            "indicators": [
                dict(INDICATOR, id="huge-indicator", value=1e308, subject="lingang"),
                dict(
                    INDICATOR,
                    id="huge-indicator-2",
                    value=1.7976931348623157e308,
                    subject="lingang",
                    year=2024,
                    as_of="2024",
                ),
            ],
        }
        imported = self.run("import", str(write_json(self.path("extremes-in.json"), records)), "--store", str(store))
        judge(self.report, row, imported, [0, 2])
        if imported.code != 0:  # refused: a hand-made store then
            data = bundled()
            for table, recs in records.items():
                for n, rec in enumerate(recs):
                    data[table][str(900 + n)] = rec
            write_store(store, data)
        s = ("--store", str(store))
        for args in (("progress", "--json"), ("progress", "--in", "lingang", "--json"), ("targets", "--json")):
            ran = self.run(*args, *s)
            if judge(self.report, row, ran, [0]):
                try:
                    strict_json(ran.text())
                except ValueError as exc:
                    self.report.find(row, "other", f"{ran.brief()}: {exc}")
        for args in (("progress", "-o", "csv"), ("progress", "-o", "tsv")):
            ran = self.run(*args, *s)
            if judge(self.report, row, ran, [0]) and re.search(
                r"(^|[,\t])-?(inf|nan)([,\t\r]|$)", ran.text(), re.M | re.I
            ):
                self.report.find(row, "other", f"{ran.brief()}: 'inf' or 'nan' in a cell")
        for args in (
            ("progress", "--in", "lingang", "-o", "table"),
            ("indicators", "--in", "lingang", "-o", "table"),
            ("show", "huge-indicator", "-o", "table"),
            ("targets", "--in", "lingang", "-o", "table"),
        ):
            ran = self.run(*args, *s)
            if judge(self.report, row, ran, [0], human=True):
                self._width(row, ran, 80)
        row.result = f"import exit {imported.code}; JSON strict, no inf, no line over 80" if not row.found else ""

    def _width(self, row: Row, ran: Ran, width: int) -> None:
        widest = max((_cells(line) for line in ran.text().splitlines()), default=0)
        if widest > width:
            self.report.find(row, "other", f"{ran.brief()}: a line {widest:,} cells wide at {width} columns")

    # 22. A 200,000-character name at 80 columns.
    def wide_name(self) -> None:
        row = self.report.row("hostile", "200,000-character name at 80 columns")
        data = bundled()
        zone = data["zones"]["3"]
        zone["name"] = "W" * 200_000
        store = write_store(self.path("wide.json"), data)
        s = ("--store", str(store))
        for args in (
            ("zones", "-o", "table"),
            ("parks", "--in", "pudong", "-o", "table"),
            ("show", zone["id"], "-o", "table"),
            ("tree", "-o", "table"),
            ("search", "WWWW", "-o", "table"),
            ("targets", "--in", zone["id"], "-o", "table"),
        ):
            ran = self.run(*args, *s)
            if judge(self.report, row, ran, [0, 1], human=True):
                self._width(row, ran, 80)
        ran = self.run("cite", zone["id"], *s)
        judge(self.report, row, ran, [0, 1, 2], human=True)
        row.result = "no line wider than 80" if not row.found else ""

    # 19. Closed streams and a reader already gone.
    def streams(self) -> None:
        row = self.report.row("hostile", "closed stdin/stdout/stderr, | true, | head -c1")
        p = str(POLICYQ)
        store = self.path("streams.json")
        shutil.copyfile(paths.bundled_path(), store)
        cases: list[tuple[str, set[int]]] = [
            (f"{p} targets --json >&-; echo $? >&2", {0, 141}),
            (f"{p} zones >&-; echo $? >&2", {0, 141}),
            (f"{p} targets --json | true; echo ${{PIPESTATUS[0]}} >&2", {0, 141}),
            (f"{p} zones -o table | true; echo ${{PIPESTATUS[0]}} >&2", {0, 141}),
            (f"{p} tree | head -c1 >/dev/null; echo ${{PIPESTATUS[0]}} >&2", {0, 141}),
            (f"{p} show pudong | true; echo ${{PIPESTATUS[0]}} >&2", {0, 141}),
            (f"{p} import - --table targets --store {store} <&-; echo $? >&2", {2}),
            (f"{p} targets 2>&- >/dev/null; echo $? >&2", {0}),
            (f"{p} zones --in nowhere-at-all 2>&- >/dev/null; echo $? >&2", {2}),
            (f"{p} targets --json 2>&- >&-; echo $? >&2", {0, 141}),
        ]
        for script, codes in cases:
            ran = call([script], self.env.vars, shell=True)
            row.tried += 1
            if ran.code is None:
                self.report.find(row, "hangs", f"`{script}`")
                continue
            lines = ran.err.decode("utf-8", errors="replace").strip().splitlines()
            code = int(lines[-1]) if lines and lines[-1].isdigit() else None
            said = lines[:-1]
            if code not in codes:
                self.report.find(
                    row, "wrong exit codes", f"`{script}`: exit {code}, expected {sorted(codes)}; {said[:1]}"
                )
            if any("Traceback" in line for line in said):
                self.report.find(row, "tracebacks", f"`{script}`")
            elif len(said) > 1:
                self.report.find(row, "other", f"`{script}`: stderr is {len(said)} lines")
        row.result = "exit codes as documented, no traceback" if not row.found else ""

    # 14. '²' as a document id.
    def superscript_id(self) -> None:
        row = self.report.row("hostile", "'²' as a document id (and '٣', '1e3')")
        for doc_id in ("²", "٣", "1e3"):
            data = bundled()
            zones = data["zones"]
            first = next(iter(zones))
            data["zones"] = {doc_id if k == first else k: v for k, v in zones.items()}
            store = write_store(self.path(f"docid-{ord(doc_id[0])}.json"), data)
            s = ("--store", str(store))
            for args in (("zones", "--json"), ("show", "pudong"), ("targets", "--in", "pudong")):
                judge(self.report, row, self.run(*args, *s), [0, 3], human=args[0] == "show")
            checked = self.run("validate", str(store))
            judge(self.report, row, checked, [3], stderr_lines=2)
            one = write_json(self.path("docid-one.json"), {"targets": [TARGET]})
            judge(self.report, row, self.run("import", str(one), *s), [3])
        row.result = "validate and writes refuse it; queries answer or refuse" if not row.found else ""

    # 15. U+2028 in a text field through -o jsonl and back.
    def line_separator(self) -> None:
        row = self.report.row("hostile", "U+2028/U+2029 in a note: -o jsonl, then re-import")
        data = bundled()
        rec = next(iter(data["targets"].values()))
        rec["note"] = "one\u2028two\u2029three\nfour"
        store = write_store(self.path("ls.json"), data)
        ran = self.run("targets", "-o", "jsonl", "--store", str(store))
        if judge(self.report, row, ran, [0]):
            lines = ran.out.split(b"\n")[:-1]
            if len(lines) != len(data["targets"]):
                self.report.find(row, "other", f"{ran.brief()}: {len(lines)} lines for {len(data['targets'])} records")
            if "\u2028" in ran.text() or "\u2029" in ran.text():
                self.report.find(row, "injections", f"{ran.brief()}: raw U+2028/U+2029 in jsonl")
            out = self.path("ls.jsonl")
            out.write_bytes(ran.out)
            fresh = self.path("ls-fresh.json")
            shutil.copyfile(paths.bundled_path(), fresh)
            back = self.run("import", str(out), "--table", "targets", "--replace", "--store", str(fresh))
            # The note holds separators import refuses: one line naming them, never a split record.
            judge(self.report, row, back, [2])
            if back.code == 2 and b"line 1" not in back.err and rec["id"].encode() not in back.err:
                self.report.find(row, "other", f"{back.brief()}: the refusal does not name the record")
        for fmt in ("csv", "tsv"):
            judge(self.report, row, self.run("targets", "-o", fmt, "--store", str(store)), [0], human=True)
        row.result = "one line per record, escaped; re-import refuses the separators by name" if not row.found else ""

    # 16. A CSV/TSV cell over 131,072 characters.
    def long_cell(self) -> None:
        row = self.report.row("hostile", "a 140,000-character cell: CSV and TSV out and back in")
        store = self.path("cell.json")
        shutil.copyfile(paths.bundled_path(), store)
        note = ('a long, quoted "note"; ' * 7000)[:140_000]
        rec = dict(TARGET, id="long-cell", note=note)
        judge(
            self.report,
            row,
            self.run("import", str(write_json(self.path("cell-in.json"), {"targets": [rec]})), "--store", str(store)),
            [0],
        )
        for fmt in ("csv", "tsv"):
            out = self.run("targets", "--in", "pudong", "-o", fmt, "--store", str(store))
            if not judge(self.report, row, out, [0]):
                continue
            f = self.path(f"cell.{fmt}")
            f.write_bytes(out.out)
            fresh = self.path(f"cell-{fmt}.json")
            shutil.copyfile(paths.bundled_path(), fresh)
            back = self.run("import", str(f), "--table", "targets", "--replace", "--store", str(fresh))
            if judge(self.report, row, back, [0]):
                got = self.run("show", "long-cell", "--json", "--store", str(fresh))
                if got.code != 0 or strict_json(got.text())["record"].get("note") != note:
                    self.report.find(row, "other", f"{fmt}: the note does not read back whole")
        row.result = "read back whole from CSV and TSV" if not row.found else ""


def _strings(value: Any) -> set[str]:
    """Every string in a decoded JSON value."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _json_depth(text: str, key: str) -> int:
    """How deep ``key`` lists nest in a JSON text, counted without recursion; -1 if not strict JSON."""
    try:
        strict_json_deep(text)
    except ValueError:
        return -1
    return text.count(f'"{key}": [') + text.count(f'"{key}":[')


def strict_json_deep(text: str) -> None:
    """Strict JSON of any depth: Python's reader stops at its recursion limit, so check with a
    larger one in a child interpreter."""
    code = (
        "import json, sys\n"
        "def refuse(name): raise ValueError(name)\n"
        "sys.setrecursionlimit(100000)\n"
        "json.loads(sys.stdin.read(), parse_constant=refuse)\n"
    )
    done = call([sys.executable, "-c", code], dict(os.environ), input=text.encode())
    if done.code != 0:
        said = done.err.decode(errors="replace").strip().splitlines()
        raise ValueError(said[-1] if said else f"exit {done.code}")


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)


# --- main -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=45, help="signals sent during writes (default 45)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent importers per round (default 8)")
    parser.add_argument(
        "--size", type=int, default=100_000, help="targets in the store the kills hit (default 100,000)"
    )
    parser.add_argument("--seed", type=int, default=20261202, help="seed of the schedule (default 20261202)")
    parser.add_argument("--parts", default="kills,writers,hostile", help="which parts to run (default all three)")
    parser.add_argument("--cases", default="", help="hostile cases to run, comma-separated (default every one)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder and print its path")
    opts = parser.parse_args(argv)
    parts = {p.strip() for p in opts.parts.split(",") if p.strip()}
    if not parts <= {"kills", "writers", "hostile"} or opts.size < 10 or opts.kills < 0 or opts.writers < 1:
        parser.error("--parts takes kills, writers, hostile; --size at least 10; --writers at least 1")
    if not POLICYQ.exists():
        print(f"adversarial: no policyq beside {sys.executable}; pip install -e . in this environment", file=sys.stderr)
        return 2
    if shutil.which("bash") is None:
        print("adversarial: bash is needed (completion and stream cases)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="policyq-adversarial-"))
    env = Env(work)
    report = Report()
    rng = random.Random(opts.seed)
    started = time.monotonic()
    print(
        f"policyq {POLICYQ}; parts {', '.join(sorted(parts))}; kills {opts.kills}, writers {opts.writers}, "
        f"size {opts.size:,}, seed {opts.seed}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    try:
        if "hostile" in parts:
            only = {c.strip() for c in opts.cases.split(",") if c.strip()} or None
            Hostile(report, env, work).all(only)
        if "writers" in parts:
            writers(report, env, work, opts.size, opts.writers, random.Random(rng.random()))
        if "kills" in parts:
            kills(report, env, work, opts.size, opts.kills, random.Random(rng.random()))
    finally:
        if opts.keep:
            print(f"working folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    report.print()
    print(f"time {time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.2f}")
    return 1 if sum(report.totals().values()) else 0


if __name__ == "__main__":
    sys.exit(main())
