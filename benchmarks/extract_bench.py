"""How well and how fast ``policyq extract`` drafts records.

    python benchmarks/extract_bench.py               # accuracy on both sets, and speed (15 pairs)
    python benchmarks/extract_bench.py --pairs 30
    python benchmarks/extract_bench.py --no-speed    # accuracy only
    python benchmarks/extract_bench.py --misses      # also list every miss and false figure

Accuracy, on two sets:

(a) the five source documents (``../shared/sources``, read where they are, never copied),
    against the bundled store: every target and indicator citing the document's source is a
    gold figure (its USD equivalent is part of it, not a second figure);
(b) the labelled sentences of ``benchmarks/extract_corpus/labelled.jsonl`` (our own writing,
    half Chinese), each with its figures.

A candidate matches a gold figure when value and unit are equal (one to one, within the same
document or sentence). Precision, recall and F1 count those matches; comparator, year and table
accuracy are taken over the matched pairs. Every quote must be an exact substring of the text,
and ``text[start:end]`` the figure as written.

Speed: ``policyq extract DOC -o jsonl`` of a 4 KB document (labelled sentences joined) against
a bare ``python -c pass``, as alternating pairs after a warm-up; the ratio of the medians.
Exit status 0 when every goal is met, 1 when one is not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
CORPUS = ROOT / "benchmarks" / "extract_corpus" / "labelled.jsonl"
BUNDLED = ROOT / "data" / "policyq.json"
sys.path.insert(0, str(ROOT))

from policyq.extract.draft import extract  # noqa: E402
from policyq.extract.load import Document, read  # noqa: E402
from policyq.extract.subject import Gazetteer  # noqa: E402

GOALS = {
    "sources": {"recall": 0.95, "precision": 0.85},
    "own": {"f1": 0.90, "comparator": 0.90, "year": 0.90, "table": 0.85},
}


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matched: int = 0
    same: dict[str, int] = field(default_factory=lambda: {"comparator": 0, "year": 0, "table": 0})
    quotes_bad: int = 0
    misses: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        return self.ratio(self.matched, self.found)

    @property
    def recall(self) -> float:
        return self.ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, key: str) -> float:
        return self.ratio(self.same[key], self.matched)


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def score(label: str, text: str, candidates: list[dict[str, Any]], gold: list[dict[str, Any]], s: Score) -> None:
    s.gold += len(gold)
    s.found += len(candidates)
    for c in candidates:
        if c["quote"] not in text or text[c["start"] : c["end"]] != c["figure"]:
            s.quotes_bad += 1
    left = list(candidates)
    for g in gold:
        match = next((c for c in left if c["unit"] == g["unit"] and _same_value(c["value"], g["value"])), None)
        if match is None:
            s.misses.append(f"{label}: {g['value']} {g['unit']} — {str(g.get('quote') or '')[:70]}")
            continue
        left.remove(match)
        s.matched += 1
        for key in ("comparator", "year", "table"):
            if match[key] == g[key]:
                s.same[key] += 1
            else:
                s.wrong.append(f"{label}: {key} {match[key]!r}, gold {g[key]!r} — {match['figure']}")
    s.extra.extend(f"{label}: {c['value']} {c['unit']} — {c['figure']}" for c in left)


def bench_sources(store: dict[str, Any]) -> Score:
    s = Score()
    zones = Gazetteer(list(store["zones"].values()))  # built once for every document
    sources = list(store["sources"].values())
    facts = [dict(r, table=t) for t in ("targets", "indicators") for r in store[t].values()]
    for path in sorted(SOURCES.glob("*.txt")):
        doc = read(str(path))
        drafted = extract(doc, zones, sources=sources)
        source = drafted.candidates[0]["source"] if drafted.candidates else None
        gold = [f for f in facts if f["source"] == source]
        score(path.name[:3], doc.text, drafted.candidates, gold, s)
    return s


def bench_own(store: dict[str, Any]) -> Score:
    s = Score()
    zones = Gazetteer(list(store["zones"].values()))  # built once for every document
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        drafted = extract(Document(item["id"], item["text"], "text"), zones, sources=[{"id": "own"}], source="own")
        gold = [dict(f, quote=item["text"]) for f in item["figures"]]
        score(item["id"], item["text"], drafted.candidates, gold, s)
    return s


def speed(pairs: int) -> tuple[float, float, float]:
    policyq = str(Path(sys.executable).parent / "policyq")
    text = ""
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if len(text.encode()) >= 4096:
            break
        text += json.loads(line)["text"] + "\n\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "POLICYQ"))}
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "plan.txt"
        doc.write_text(text, encoding="utf-8")
        env["XDG_DATA_HOME"] = str(Path(tmp) / "xdg")
        a = [policyq, "extract", str(doc), "-o", "jsonl"]
        b = [sys.executable, "-c", "pass"]

        def timed(cmd: list[str]) -> float:
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            return time.perf_counter() - t

        check = subprocess.run(a, capture_output=True, text=True, env=env, check=False)
        if check.returncode != 0 or not check.stdout.strip():
            raise SystemExit(f"extract failed: {check.stderr.strip()}")
        timed(a), timed(b)
        ta, tb = [], []
        for _ in range(pairs):
            ta.append(timed(a))
            tb.append(timed(b))
    ma, mb = statistics.median(ta), statistics.median(tb)
    return ma, mb, ma / mb


def table_rows(results: dict[str, Score]) -> tuple[list[str], bool]:
    """The benchmark's markdown rows, and whether every accuracy goal is met."""
    ok, rows = True, []
    for name, s in results.items():
        figures = {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "comparator": s.accuracy("comparator"),
            "year": s.accuracy("year"),
            "table": s.accuracy("table"),
        }
        for key, goal in GOALS[name].items():
            ok &= figures[key] >= goal
        ok &= s.quotes_bad == 0
        label = "five source documents" if name == "sources" else "own labelled sentences"
        cells = [f"{figures[k]:.3f}" for k in ("precision", "recall", "f1", "comparator", "year", "table")]
        verbatim = f"{s.found - s.quotes_bad}/{s.found}"
        rows.append(f"| {label} | {s.gold} | {s.found} | {s.matched} | {' | '.join(cells)} | {verbatim} |")
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every miss, false figure and wrong field")
    args = parser.parse_args()
    store = json.loads(BUNDLED.read_text(encoding="utf-8"))
    results = {}
    if SOURCES.is_dir():
        results["sources"] = bench_sources(store)
    else:
        print(f"(no {SOURCES}: the five source documents are skipped)")
    results["own"] = bench_own(store)
    rows, ok = table_rows(results)
    print("| set | gold | found | matched | precision | recall | F1 | comparator | year | table | quotes verbatim |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.misses:
        for name, s in results.items():
            for title, items in (("missed", s.misses), ("not in gold", s.extra), ("wrong", s.wrong)):
                for item in items:
                    print(f"{name} {title}: {item}")
    if not args.no_speed:
        ma, mb, ratio = speed(args.pairs)
        ok &= ratio <= 20
        print(
            f"\nspeed: extract of a 4 KB document {ma * 1000:.0f} ms, python -c pass {mb * 1000:.0f} ms:"
            f" {ratio:.1f}x (goal <= 20x, {args.pairs} pairs, medians)"
        )
    print("\nall goals met" if ok else "\nsome goals not met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
