"""Grow the bundled store to N targets (and optionally M indicators) for benchmarks.

    python benchmarks/generate.py N OUT [--indicators M] [--seed S] [--layout lines|tinydb|indented]

The bundled store's own records are kept as they are; the rest of the targets are copies
of the bundled targets taken round-robin, each with a unique id (``gen-t-000123``), a year
drawn from 2018-2030 with its deadline rewritten to match (``2027`` or ``2027-12-31``,
whichever form the copied record used), and a value (and USD figure) scaled by a random
factor. Subjects and sources are those of the copied record, so the result still passes
``policyq validate``. Zones and sources are kept unchanged; indicators too, unless
``--indicators M`` asks for M of them (grown the same way, ``gen-i-000123``, ``as_of``
matching the year).

The output is written through a temporary file and a rename, so a half-written store never
appears under OUT, in one of three layouts: ``lines`` (the default: the line layout policyq
writes itself, ``policyq.storage.layout.dump_tables``), ``tinydb`` (what ``TinyDB(path)`` writes: the
whole store on one line, non-ASCII characters escaped) or ``indented`` (what
``TinyDB(path, indent=4)`` writes). The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from policyq.storage import layout, paths, reading

YEARS = range(2018, 2031)  # 2018-2030, 13 years
DEFAULT_SEED = 20250
LAYOUTS: dict[str, Any] = {
    "lines": layout.dump_tables,
    "tinydb": json.dumps,  # TinyDB's JSONStorage: json.dumps with its defaults
    "indented": lambda tables: json.dumps(tables, indent=4),  # TinyDB(path, indent=4)
}


def _period(template: str | None, year: int) -> str | None:
    """A deadline/as_of in the same form as ``template`` but for ``year``."""
    if template is None:
        return None
    return str(year) + template[4:]  # keeps '-12-31' or '-05' when the template had it


def _scaled(value: Any, factor: float) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return max(1, int(value * factor))
    return round(value * factor, 2)


def _grow(records: list[dict[str, Any]], n: int, prefix: str, period_field: str, rng: random.Random) -> dict[str, Any]:
    """``n`` records: the originals first, then round-robin copies with new ids, years and values."""
    out: dict[str, Any] = {}
    kept = records[:n]
    for doc_id, rec in enumerate(kept, 1):
        out[str(doc_id)] = rec
    width = max(6, len(str(n)))
    for i in range(n - len(kept)):
        base = records[i % len(records)]
        year = YEARS[rng.randrange(len(YEARS))]
        factor = 0.5 + rng.random() * 1.5
        rec = dict(base)  # same keys in the same order: the exact schema of the bundled record
        rec["id"] = f"{prefix}{i:0{width}d}"
        rec["year"] = year
        rec[period_field] = _period(base.get(period_field), year)
        rec["value"] = _scaled(base["value"], factor)
        rec["usd"] = _scaled(base.get("usd"), factor)
        out[str(len(kept) + i + 1)] = rec
    return out


def generate(
    n: int, out: Path, indicators: int | None = None, seed: int = DEFAULT_SEED, layout_name: str = "lines"
) -> dict[str, int]:
    """Write the grown store to ``out``; returns the record count of each table."""
    if n < 1:
        raise ValueError("N must be at least 1")
    tables = reading.load_tables(Path(paths.bundled_path()), lazy=False)
    tables = {name: dict(table) for name, table in tables.items()}
    rng = random.Random(seed)
    tables["targets"] = _grow(list(tables["targets"].values()), n, "gen-t-", "deadline", rng)
    if indicators is not None:
        if indicators < 1:
            raise ValueError("--indicators must be at least 1")
        tables["indicators"] = _grow(list(tables["indicators"].values()), indicators, "gen-i-", "as_of", rng)
    text = LAYOUTS[layout_name](tables)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return {name: len(table) for name, table in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of target records in the output store")
    parser.add_argument("out", type=Path, metavar="OUT", help="path of the store to write")
    parser.add_argument("--indicators", type=int, metavar="M", help="also grow indicators to M records")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--layout", choices=list(LAYOUTS), default="lines", help="layout of the file (default lines)")
    args = parser.parse_args(argv)
    try:
        counts = generate(args.n, args.out, args.indicators, args.seed, args.layout)
    except ValueError as exc:
        parser.error(str(exc))
    size = args.out.stat().st_size
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    sys.stderr.write(f"generate: wrote {args.out} ({size / 2**20:.1f} MiB): {summary}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
