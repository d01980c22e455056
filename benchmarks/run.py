"""policyq's benchmark suite: start-up, tables, completion, large stores against jq, imports.

    python benchmarks/run.py                 # full run (about 8 minutes; builds stores up to 1M targets once)
    python benchmarks/run.py --quick         # short run: fewer repeats, stores up to 100k targets
    python benchmarks/run.py --sizes 1000,10000,100000
    python benchmarks/run.py --cases 1,2,3          # only the start-up cases

Run it with the Python of the environment policyq is installed in (``pip install -e .``):
the ``policyq`` console script is taken from beside ``sys.executable`` and the baseline is
``sys.executable -c pass``, so both sides use the same interpreter.

Every case runs two commands, A and B, as alternating pairs (A, B, A, B, ...) after a
warm-up, and reports the median wall time of each side, the ratio A/B, the goal and PASS or
FAIL (the ratio is that of the two medians; the median of the per-pair ratios is shown
beside it, as a check on drift). Timed runs are started with ``posix_spawn`` and reaped with
``os.wait4``; stdin, stdout and stderr are /dev/null. Peak memory (max RSS) comes from
separate memory runs of each side under ``/usr/bin/time -f %M`` (the warm-up runs of the scale
cases): Linux carries the spawning process's own peak RSS into a child's rusage at exec, so a
child reaped directly by this script would report at least this script's memory; GNU time's
floor is about 1 MiB. Without /usr/bin/time the rusage of the timed runs is used and marked
as an upper bound. Each case first checks, once, that its commands print what they should
(the right records, place completions, equal line counts, a valid store after an import).

Children get a clean environment: no $POLICYQ_STORE, an empty $XDG_DATA_HOME (so queries
without --store read the bundled store, not a user store), an empty $XDG_CACHE_HOME, and
none of the PYTHON* variables that change how the interpreter runs (e.g.
PYTHONDONTWRITEBYTECODE): compiled bytecode is cached as for any user, under
benchmarks/stores/pycache (PYTHONPYCACHEPREFIX), so nothing is written outside benchmarks/.
Generated stores go to benchmarks/stores/ (git-ignored) and are reused while they match.

Exit status: 0 when every case passes, 1 when any fails, 2 when the suite cannot run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
STORES = BENCH / "stores"
GENERATE = BENCH / "generate.py"
BUNDLED = ROOT / "data" / "policyq.json"

PY = sys.executable
POLICYQ = str(Path(sys.executable).parent / "policyq")  # the console script of this environment
JQ = shutil.which("jq")
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000, 100_000)
SCALE_MIN = 100_000  # cases 4 and 5 (policyq vs jq) run on every size at least this large
IMPORT_SIZE = 100_000  # case 6 imports into the store of this size
JQ_FILTER = ".targets[] | select(.year==2025)"
QUERY = ["targets", "--year", "2025", "--format", "jsonl"]
# A query whose answer is the same at every size (the indicators are not grown): its memory
# shows what reading a larger store costs, apart from a larger answer.
FLAT_QUERY = ["indicators", "--in", "Qingdao", "--format", "jsonl"]
LAYOUTS = {"tinydb": "TinyDB's one-line layout", "indented": "indented JSON (TinyDB's indent=4)"}
CASES = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")

# Interpreter settings that change what is measured; the children run without them.
PYTHON_VARS_DROPPED = (
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONDEVMODE",
    "PYTHONTRACEMALLOC",
    "PYTHONMALLOC",
    "PYTHONMALLOCSTATS",
    "PYTHONVERBOSE",
    "PYTHONINSPECT",
    "PYTHONASYNCIODEBUG",
    "PYTHONWARNINGS",
    "PYTHONPYCACHEPREFIX",
    "PYTHONSTARTUP",
)
POLICYQ_VARS_DROPPED = (
    "POLICYQ_STORE",
    "POLICYQ_STREAM_MIN_BYTES",
    "_POLICYQ_COMPLETE",
    "COMP_WORDS",
    "COMP_CWORD",
    "_TYPER_COMPLETE_ARGS",
)


# --- running children ---------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    rss_kib: int  # as wait4 reports it: never less than this script's own peak (see the module doc)


def spawn(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Run ``argv`` once with stdio on /dev/null; its wall time and rusage max RSS. Fails on a non-zero exit."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], list(argv), env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"run.py: {' '.join(argv)} exited with {code} while timing")
    return Run(seconds, usage.ru_maxrss)  # ru_maxrss is in KiB on Linux


def memory_run(argv: Sequence[str], env: dict[str, str]) -> int:
    """Peak RSS (KiB) of one run of ``argv`` under GNU time, which is small enough not to mask it."""
    assert GNU_TIME
    with tempfile.NamedTemporaryFile("r", prefix="policyq-bench-rss-") as out:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", out.name, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"run.py: {' '.join(argv)} exited with {proc.returncode} under {GNU_TIME}")
        return int(out.read().split()[-1])


def capture(argv: Sequence[str], env: dict[str, str]) -> str:
    """Run ``argv`` once and return its stdout; fails loudly on a non-zero exit."""
    proc = subprocess.run(list(argv), env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(
            f"run.py: {' '.join(argv)} exited with {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}"
        )
    return proc.stdout.decode("utf-8", errors="replace")


@dataclass
class Side:
    label: str
    argv: list[str]
    env: dict[str, str]
    setup: Callable[[], None] | None = None  # run, untimed, before each run (e.g. restore a store)
    runs: list[Run] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # KiB, from memory runs under GNU time

    def spawn(self) -> Run:
        if self.setup:
            self.setup()
        return spawn(self.argv, self.env)

    def memory_run(self) -> int:
        if self.setup:
            self.setup()
        return memory_run(self.argv, self.env)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_kib(self) -> int:
        return max(self.rss) if self.rss else max(r.rss_kib for r in self.runs)

    def peak(self) -> str:
        return fmt_mib(self.peak_kib) if self.rss else f"<= {fmt_mib(self.peak_kib)}"

    def warm_up(self, memory_runs: int) -> None:
        """Runs that are not timed: one plain warm-up, or ``memory_runs`` under GNU time."""
        if GNU_TIME and memory_runs:
            self.rss.extend(self.memory_run() for _ in range(memory_runs))
        else:
            self.spawn()

    def spread(self) -> str:
        times = sorted(r.seconds for r in self.runs)
        return f"{fmt_time(times[0])}..{fmt_time(times[-1])}"


def paired(a: Side, b: Side, pairs: int, memory_runs: int = 3, warm_up: bool = True) -> None:
    """A warm-up run of each side (unless the memory runs serve as one), ``memory_runs`` of each
    under GNU time, then ``pairs`` alternating timed runs A, B, A, B, ..."""
    for side in (a, b):
        if warm_up:
            side.spawn()
        side.warm_up(memory_runs)
    for _ in range(pairs):
        a.runs.append(a.spawn())
        b.runs.append(b.spawn())


# --- formatting ---------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


@dataclass
class Result:
    case: str
    a: str
    b: str
    ratio: str
    goal: str
    rss: str
    passed: bool | None  # None: not judged


RESULTS: list[Result] = []


def say(text: str = "") -> None:
    print(text, flush=True)


def report_pair(
    case: str, a: Side, b: Side, goal_ratio: float, *, rss_ratio: float | None = None, rss_max_kib: int | None = None
) -> bool:
    """Print and record a case; ``rss_ratio`` also asks A's peak RSS to be at most that share of
    B's, ``rss_max_kib`` at most that many KiB. Returns whether it passed."""
    ratio = a.median / b.median
    passed = ratio <= goal_ratio
    goal = f"<= {goal_ratio:g}"
    rss = f"{a.peak()} / {b.peak()}"
    if rss_ratio is not None:
        passed = passed and a.peak_kib <= rss_ratio * b.peak_kib
        goal += f", RSS <= {rss_ratio:g}x"
    if rss_max_kib is not None:
        passed = passed and a.peak_kib <= rss_max_kib
        goal += f", RSS <= {fmt_mib(rss_max_kib)}"
    say(f"  A {a.label}: median {fmt_time(a.median)} (range {a.spread()}, n={len(a.runs)}), peak RSS {a.peak()}")
    say(f"  B {b.label}: median {fmt_time(b.median)} (range {b.spread()}, n={len(b.runs)}), peak RSS {b.peak()}")
    verdict = "PASS" if passed else "FAIL"
    per_pair = statistics.median(x.seconds / y.seconds for x, y in zip(a.runs, b.runs, strict=True))
    say(f"  ratio A/B {ratio:.2f} (median of per-pair ratios {per_pair:.2f}), goal {goal}: {verdict}")
    RESULTS.append(Result(case, fmt_time(a.median), fmt_time(b.median), f"{ratio:.2f}", goal, rss, passed))
    return passed


# --- environment and stores ---------------------------------------------------------------


def child_env(xdg: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PYTHON_VARS_DROPPED + POLICYQ_VARS_DROPPED}
    for colour in ("FORCE_COLOR", "TTY_COMPATIBLE"):  # piped output stays uncoloured (case 2 asks for colour itself)
        env.pop(colour, None)
    env["XDG_DATA_HOME"] = os.path.join(xdg, "data")
    env["XDG_CACHE_HOME"] = os.path.join(xdg, "cache")  # where writes remember the stores they found valid
    env["POLICYQ_MAX_STORE_MB"] = "4096"  # the indented 1M store is near the default limit of 1024
    env["PYTHONPYCACHEPREFIX"] = str(STORES / "pycache")
    env["COLUMNS"] = "100"
    return env


def _generator_digest() -> str:
    return hashlib.sha256(GENERATE.read_bytes() + BUNDLED.read_bytes()).hexdigest()[:16]


def store_for(n: int, env: dict[str, str], layout: str = "lines") -> Path:
    """benchmarks/stores/targets-N[-LAYOUT].json, generated unless a matching one is there."""
    name = f"targets-{n}" + ("" if layout == "lines" else f"-{layout}")
    path, meta_path = STORES / f"{name}.json", STORES / f"{name}.meta.json"
    digest = _generator_digest()
    try:
        meta = json.loads(meta_path.read_text())
        if meta.get("targets") == n and meta.get("generator") == digest and meta.get("bytes") == path.stat().st_size:
            return path
    except (OSError, ValueError):
        pass
    say(f"  generating {path.relative_to(ROOT)} ({n:,} targets, {layout}) ...")
    start = time.perf_counter()
    subprocess.run([PY, str(GENERATE), str(n), str(path), "--layout", layout], env=env, check=True)
    meta_path.write_text(json.dumps({"targets": n, "bytes": path.stat().st_size, "generator": digest}) + "\n")
    say(f"  generated in {time.perf_counter() - start:.1f} s, {path.stat().st_size / 2**20:.1f} MiB")
    return path


def source_line() -> str:
    """The commit measured, and whether policyq's sources differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "policyq", "pyproject.toml"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "source: not a git checkout"
    if head.returncode != 0:
        return "source: not a git checkout"
    changed = " with uncommitted changes to policyq" if dirty.stdout.strip() else ""
    return f"source: commit {head.stdout.strip()}{changed}"


def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    jq = "absent"
    if JQ:
        jq = subprocess.run([JQ, "--version"], capture_output=True, text=True).stdout.strip() or "present"
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({PY}); typer {metadata.version('typer')}; "
        f"tinydb {metadata.version('tinydb')}; orjson {metadata.version('orjson')}; "
        f"policyq {metadata.version('policyq')}; {jq}; load average {os.getloadavg()[0]:.2f}"
    )


# --- the cases ----------------------------------------------------------------------------


def case_startup_json(env: dict[str, str], pairs: int) -> None:
    say("Case 1: startup, JSON path -- policyq targets --year 2025 --format json (bundled store) vs python -c pass")
    argv = [POLICYQ, "targets", "--year", "2025", "--format", "json"]
    records = json.loads(capture(argv, env))
    if not records or any(r.get("year") != 2025 for r in records):
        raise SystemExit(f"run.py: case 1 printed unexpected records: {records!r:.300}")
    say(f"  check: {len(records)} targets, all with year 2025")
    a, b = Side("policyq targets --year 2025 --format json", argv, env), Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("1 startup: targets --format json", a, b, 8)


def case_table(env: dict[str, str], pairs: int) -> None:
    say("Case 2: table path -- policyq parks --in Pudong --format table (stdout not a terminal) vs python -c pass")
    argv = [POLICYQ, "parks", "--in", "Pudong", "--format", "table"]
    text = capture(argv, env)
    if "parks" not in text.splitlines()[0] or "group of parks" not in text:
        raise SystemExit(f"run.py: case 2 printed no table of parks: {text[:300]!r}")
    say(f"  check: table drawn, first line {text.splitlines()[0].strip()!r}")
    a, b = Side("policyq parks --in Pudong --format table", argv, env), Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("2 table: parks --in Pudong --format table", a, b, 10.5)
    # In colour, as on a terminal: the style codes rich would print, written without its console.
    colour_env = {**env, "FORCE_COLOR": "1"}
    coloured = capture(argv, colour_env)
    if "\x1b[" not in coloured or "group of parks" not in coloured:
        raise SystemExit(f"run.py: case 2 with FORCE_COLOR=1 printed no coloured table: {coloured[:300]!r}")
    say("  check: with FORCE_COLOR=1 the table is drawn in colour")
    a = Side("policyq parks --in Pudong --format table (FORCE_COLOR=1)", argv, colour_env)
    b = Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("2 table in colour: parks --in Pudong", a, b, 10.5)


def case_completion_gazetteer(env: dict[str, str], pairs: int) -> None:
    say("Case 9: completion among the gazetteer's places -- policyq parks --in Su<TAB> vs python -c pass")
    comp_env = {**env, "_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": "policyq parks --in Su", "COMP_CWORD": "3"}
    argv = [POLICYQ]
    lines = [line.replace("\\ ", " ") for line in capture(argv, comp_env).splitlines()]
    if "Suqian" not in lines or "Suzhou, Jiangsu" not in lines or any(not line.startswith("Su") for line in lines):
        raise SystemExit(f"run.py: case 9 completion printed {lines!r}, expected places starting with 'Su'")
    say(f"  check: {len(lines)} completions, among them Suqian and 'Suzhou, Jiangsu'")
    a, b = Side("policyq completion (parks --in Su)", argv, comp_env), Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("9 completion: parks --in Su<TAB>", a, b, 4)


def case_gazetteer_table(env: dict[str, str], pairs: int) -> None:
    say("Case 10: a level of the gazetteer -- policyq zones --kind city --in Jiangsu --format table vs python -c pass")
    argv = [POLICYQ, "zones", "--kind", "city", "--in", "Jiangsu", "--format", "table"]
    text = capture(argv, env)
    if "13 zones" not in text.splitlines()[0] or "Suzhou" not in text:
        raise SystemExit(f"run.py: case 10 printed no table of Jiangsu's 13 cities: {text[:300]!r}")
    say(f"  check: table drawn, first line {text.splitlines()[0].strip()!r}")
    a, b = Side("policyq zones --kind city --in Jiangsu", argv, env), Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("10 table: zones --kind city --in Jiangsu", a, b, 10.5)


def case_completion(env: dict[str, str], pairs: int) -> None:
    say("Case 3: completion -- policyq parks --in Pu<TAB> and targets --fields id,dead<TAB> (bash) vs python -c pass")
    # What the script of `policyq --show-completion bash` runs on <TAB>:
    #   env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD _POLICYQ_COMPLETE=complete_bash policyq
    comp_env = {**env, "_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": "policyq parks --in Pu", "COMP_CWORD": "3"}
    argv = [POLICYQ]
    # bash inserts each line as it is, so a multi-word place comes escaped: Pudong\ New\ Area
    lines = [line.replace("\\ ", " ") for line in capture(argv, comp_env).splitlines()]
    if "Pudong New Area" not in lines or any(not line.startswith("Pu") for line in lines):
        raise SystemExit(f"run.py: case 3 completion printed {lines!r}, expected places starting with 'Pu'")
    say(f"  check: {len(lines)} completions: {', '.join(lines)}")
    a, b = Side("policyq completion (parks --in Pu)", argv, comp_env), Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("3 completion: parks --in Pu<TAB>", a, b, 4)
    # --fields, comma by comma: answered from the schema, without reading the store
    fields_env = {**comp_env, "COMP_WORDS": "policyq targets --fields id,dead", "COMP_CWORD": "3"}
    lines = capture(argv, fields_env).splitlines()
    if lines != ["id,deadline", "id,deadline_precision"]:
        raise SystemExit(f"run.py: case 3 --fields completion printed {lines!r}, expected id,deadline…")
    say(f"  check: --fields completions: {', '.join(lines)}")
    a = Side("policyq completion (targets --fields id,dead)", argv, fields_env)
    b = Side("python -c pass", [PY, "-c", "pass"], env)
    paired(a, b, pairs)
    report_pair("3 completion: targets --fields id,dead<TAB>", a, b, 4)


def _against_jq(env: dict[str, str], n: int, path: Path, label: str) -> tuple[Side, Side]:
    """policyq's query and jq's on the store at ``path``, checked to print the same number of lines."""
    argv_a = [POLICYQ, *QUERY, "--store", str(path)]
    argv_b = [JQ or "jq", "-c", JQ_FILTER, str(path)]
    out_a, out_b = capture(argv_a, env), capture(argv_b, env)
    lines_a, lines_b = out_a.count("\n"), out_b.count("\n")
    if lines_a != lines_b or lines_a == 0:
        raise SystemExit(f"run.py: {label} ({n} targets): policyq printed {lines_a} lines, jq {lines_b}")
    say(f"  check: both print {lines_a:,} lines")
    return Side(f"policyq ({n:,})", argv_a, env), Side(f"jq ({n:,})", argv_b, env)


def case_scale(env: dict[str, str], n: int, path: Path, pairs: int) -> Side:
    say(f"Case 4: scale, {n:,} targets -- policyq {' '.join(QUERY)} --store S vs jq -c '{JQ_FILTER}' S")
    a, b = _against_jq(env, n, path, "case 4")
    paired(a, b, pairs, memory_runs=1, warm_up=False)  # the memory run is the warm-up
    report_pair(f"4 scale {n:,}: policyq vs jq", a, b, 0.25, rss_ratio=0.25)
    return a


def case_layout(env: dict[str, str], n: int, layout: str, path: Path, pairs: int) -> None:
    say(f"Case 5: {LAYOUTS[layout]}, {n:,} targets -- the same query and jq on the same store in that layout")
    a, b = _against_jq(env, n, path, "case 5")
    paired(a, b, pairs, memory_runs=1, warm_up=False)
    report_pair(f"5 {layout} {n:,}: policyq vs jq", a, b, 0.5)


def case_import(env: dict[str, str], path: Path, pairs: int) -> None:
    n = IMPORT_SIZE
    say(f"Case 6: import one target into {n:,} targets -- policyq import ONE --store S vs jq '.targets | length' S")
    work = STORES / f"import-{n}.json"
    record = dict(next(iter(json.loads(BUNDLED.read_text())["targets"].values())), id="bench-import-1")
    one = STORES / "import-one.json"
    one.write_text(json.dumps({"targets": [record]}) + "\n")
    cache = Path(env["XDG_CACHE_HOME"])

    def restore() -> None:
        shutil.copyfile(path, work)

    restore()
    shutil.rmtree(cache, ignore_errors=True)  # the store has never been seen valid: the import validates it
    argv_a = [POLICYQ, "import", str(one), "--store", str(work)]
    first = spawn(argv_a, env)
    checked = capture([POLICYQ, "validate", str(work)], env).split("\t")
    if f"{n + 1} targets" not in checked[-1]:
        raise SystemExit(f"run.py: case 6: after the import the store holds {checked[-1].strip()!r}")
    say(f"  check: the store validates with {n + 1:,} targets after the import")
    a = Side(f"policyq import ({n:,})", argv_a, env, setup=restore)
    b = Side(f"jq length ({n:,})", [JQ or "jq", ".targets | length", str(work)], env, setup=restore)
    paired(a, b, pairs, memory_runs=1, warm_up=False)
    size_kib = path.stat().st_size // 1024
    passed = report_pair(f"6 import into {n:,}", a, b, 0.5, rss_max_kib=3 * size_kib)
    say(
        f"  store {fmt_mib(size_kib)}; peak RSS {a.peak_kib / size_kib:.1f}x the store (goal: not 3 times); "
        f"{'PASS' if passed else 'FAIL'}"
    )
    say(
        f"  first import into a store policyq had not seen valid (it validates all of it): "
        f"{fmt_time(first.seconds)}, {first.seconds / b.median:.2f}x jq (not judged)"
    )
    work.unlink(missing_ok=True)


def case_curve(env: dict[str, str], paths: dict[int, Path], measured: dict[int, Side], runs: int) -> None:
    say(f"Case 7: the curve -- policyq {' '.join(QUERY)} --store S, by store size; memory also of")
    say(f"  policyq {' '.join(FLAT_QUERY)} --store S, whose answer is the same at every size")
    flat: dict[int, Side] = {}
    answers = set()
    for n, path in paths.items():
        if n not in measured:
            side = Side(f"policyq ({n:,})", [POLICYQ, *QUERY, "--store", str(path)], env)
            side.warm_up(1)
            side.runs = [side.spawn() for _ in range(runs)]
            measured[n] = side
        quiet = Side(f"flat ({n:,})", [POLICYQ, *FLAT_QUERY, "--store", str(path)], env)
        answers.add(capture(quiet.argv, env))
        quiet.warm_up(1)
        flat[n] = quiet
    if len(answers) != 1:
        raise SystemExit("run.py: case 7: the flat query's answer differs between sizes")
    heads = ("targets", "store", "median", "per 1k", "step/1k", "peak RSS", "RSS step/1k", "flat RSS")
    say("  " + " ".join(f"{h:>{w}}" for h, w in zip(heads, (10, 10, 10, 10, 10, 10, 12, 10), strict=True)))
    steps: list[float] = []
    prev: tuple[int, float, int] | None = None
    for n in sorted(measured):
        side = measured[n]
        t, rss = side.median, side.peak_kib
        step_t = step_m = ""
        if prev is not None:
            dn = (n - prev[0]) / 1000
            steps.append((t - prev[1]) / dn)
            step_t, step_m = f"{steps[-1] * 1000:.2f} ms", f"{(rss - prev[2]) / dn:.0f} KiB"
        size = paths[n].stat().st_size / 2**20
        say(
            f"  {n:>10,} {size:>6.1f} MiB {fmt_time(t):>10} {t / (n / 1000) * 1000:>7.2f} ms {step_t:>10} "
            f"{side.peak():>10} {step_m:>12} {flat[n].peak():>10}"
        )
        prev = (n, t, rss)
    if len(steps) < 2:
        say("  (needs at least three sizes to judge the growth)")
        RESULTS.append(Result("7 curve", "", "", "", "last step <= 1.5x previous", "", None))
        return
    t_ratio = steps[-1] / steps[-2] if steps[-2] > 0 else float("inf")
    sizes = sorted(flat)
    # Flat: the constant answer costs the same memory at the largest size as at the smallest
    # streamed one (below 2 MiB a store is parsed whole, without orjson).
    base = next((n for n in sizes if paths[n].stat().st_size >= 2 * 2**20), sizes[0])
    m_ratio = flat[sizes[-1]].peak_kib / flat[base].peak_kib
    passed = t_ratio <= 1.5 and m_ratio <= 1.25
    say(
        f"  time per 1k targets of the last step vs the one before: x{t_ratio:.2f} (goal <= 1.5, linear); "
        f"flat query's peak RSS at {sizes[-1]:,} vs {base:,}: x{m_ratio:.2f} (goal <= 1.25, flat): "
        f"{'PASS' if passed else 'FAIL'}"
    )
    RESULTS.append(
        Result(
            "7 curve: linear time, flat memory",
            f"{steps[-1] * 1000:.2f} ms/1k",
            f"{steps[-2] * 1000:.2f} ms/1k",
            f"{t_ratio:.2f}",
            "<= 1.5; flat RSS <= 1.25x",
            f"flat x{m_ratio:.2f}; {measured[sizes[-1]].peak()} at {sizes[-1]:,}",
            passed,
        )
    )


def case_typer(env: dict[str, str], runs: int) -> None:
    """Typer 0.29 and later import pydantic while a command runs (about +100 ms here, case 1 at
    17x): the pin in pyproject.toml keeps Typer below 0.29. This case fails when any pydantic
    module is imported on the JSON path, whatever the timing."""
    say("Case 8: Typer's share of start-up -- python -X importtime -m policyq targets --year 2025 --format json")
    argv = [PY, "-X", "importtime", "-m", "policyq", "targets", "--year", "2025", "--format", "json"]
    typer_us: list[int] = []
    pydantic: set[str] = set()
    for _ in range(runs):
        proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=True)
        for line in proc.stderr.decode().splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) != 3 or not parts[1].isdigit():
                continue
            if parts[2] == "typer":
                typer_us.append(int(parts[1]))
            if parts[2].split(".")[0] == "pydantic":
                pydantic.add(parts[2])
    version = metadata.version("typer")
    took = statistics.median(typer_us) / 1e6 if typer_us else 0.0
    passed = not pydantic
    say(f"  typer {version}: imported in {fmt_time(took)} (median of {runs}, with -X importtime's own cost)")
    say(f"  pydantic modules imported: {len(pydantic)}; goal: none: {'PASS' if passed else 'FAIL'}")
    found = f"{len(pydantic)} pydantic modules"
    RESULTS.append(Result(f"8 typer {version}: no pydantic", fmt_time(took), "", "", "no pydantic", found, passed))


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run policyq's benchmarks and judge them against their goals.")
    parser.add_argument("--quick", action="store_true", help="short run: fewer repeats, stores up to 100k targets")
    parser.add_argument(
        "--sizes",
        metavar="N,N,...",
        help="store sizes (targets) for the curve; cases 4 and 5 use those >= 100000 "
        f"(default {','.join(map(str, DEFAULT_SIZES))}; --quick: {','.join(map(str, QUICK_SIZES))})",
    )
    parser.add_argument("--pairs", type=int, metavar="N", help="pairs per startup case (default 30; --quick 8)")
    parser.add_argument("--cases", metavar="1,2,...", default=",".join(CASES), help="cases to run (default: all)")
    args = parser.parse_args(argv)
    if args.sizes:
        try:
            sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
        except ValueError:
            parser.error(f"--sizes takes numbers separated by commas, not {args.sizes!r}")
        if not sizes or min(sizes) < 1:
            parser.error("--sizes needs at least one size of 1 or more")
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.pairs is not None and args.pairs < 1:
        parser.error("--pairs must be 1 or more")
    pairs = args.pairs or (8 if args.quick else 30)
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    if not cases or not cases <= set(CASES):
        parser.error(f"--cases takes case numbers 1-{len(CASES)} separated by commas, not {args.cases!r}")
    if cases & {"4", "5", "6"} and not JQ:
        sys.stderr.write("run.py: cases 4, 5 and 6 compare with jq, which is not installed (apt-get install jq)\n")
        return 2

    if not Path(POLICYQ).is_file():
        sys.stderr.write(
            f"run.py: no policyq console script at {POLICYQ}; run 'pip install -e .' in this environment\n"
        )
        return 2
    started = time.perf_counter()
    STORES.mkdir(parents=True, exist_ok=True)
    say(machine_line())
    say(source_line())
    dropped = sorted(k for k in PYTHON_VARS_DROPPED if k in os.environ)
    say(
        f"policyq: {POLICYQ}; run: {'quick' if args.quick else 'full'}, {pairs} pairs per startup case, "
        f"sizes {', '.join(f'{n:,}' for n in sizes)}"
        + (f"; dropped from the children: {', '.join(dropped)}" if dropped else "")
    )
    say()

    def scale_pairs(n: int) -> int:
        return 3 if args.quick else (5 if n >= 1_000_000 else 9)

    with tempfile.TemporaryDirectory(prefix="policyq-bench-") as xdg:
        env = child_env(xdg)
        startup = (("1", case_startup_json), ("2", case_table), ("3", case_completion))
        startup += (("9", case_completion_gazetteer), ("10", case_gazetteer_table))
        for number, case in startup:
            if number in cases:
                case(env, pairs)
                say()
        big = [n for n in sizes if n >= SCALE_MIN]
        if cases & {"4", "5", "6", "7"}:
            say("Stores:")
            paths = {n: store_for(n, env) for n in sizes}
            if "6" in cases and IMPORT_SIZE not in paths:
                paths[IMPORT_SIZE] = store_for(IMPORT_SIZE, env)
            layouts = {(n, lay): store_for(n, env, lay) for n in big for lay in LAYOUTS} if "5" in cases else {}
            say()
        measured: dict[int, Side] = {}
        if "4" in cases:
            for n in big:
                measured[n] = case_scale(env, n, paths[n], scale_pairs(n))
                say()
        if "5" in cases:
            for (n, lay), path in layouts.items():
                case_layout(env, n, lay, path, 3 if n >= 1_000_000 else scale_pairs(n))
                say()
        if "6" in cases:
            case_import(env, paths[IMPORT_SIZE], 5 if args.quick else 11)
            say()
        if "7" in cases:
            case_curve(env, {n: paths[n] for n in sizes}, measured, 5 if args.quick else 10)
            say()
        if "8" in cases:
            case_typer(env, 3 if args.quick else 7)
            say()

    widths = [max(len(getattr(r, f)) for r in RESULTS) for f in ("case", "a", "b", "ratio", "goal", "rss")]
    heads = ("case", "A median", "B median", "A/B", "goal", "peak RSS A / B")
    widths = [max(w, len(h)) for w, h in zip(widths, heads, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)) + "  result"
    say("Results")
    say(line)
    say("-" * len(line))
    for r in RESULTS:
        cells = (r.case, r.a, r.b, r.ratio, r.goal, r.rss)
        verdict = "n/a" if r.passed is None else "PASS" if r.passed else "FAIL"
        say("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + verdict)
    failed = [r.case for r in RESULTS if r.passed is False]
    judged = [r for r in RESULTS if r.passed is not None]
    say(
        f"{len(judged) - len(failed)} of {len(judged)} passed; total time {time.perf_counter() - started:.0f} s; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
