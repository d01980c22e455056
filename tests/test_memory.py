"""Peak memory of the commands that read a whole store, on a store of 100,000 targets (the
slow trials): each holds what it answers with, not the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"

# command -> the most it may hold, in MiB, on 100,000 targets and 5,000 indicators (67 MiB)
BOUNDS: dict[tuple[str, ...], float] = {
    ("validate",): 100,
    ("tree",): 64,
    ("show", "pudong"): 64,
    ("show", "qingdao-gdp-2018"): 64,
    ("cite", "pudong"): 64,
    ("search", "metaverse park", "--limit", "5"): 64,
    ("progress", "--in", "Qingdao"): 64,
    ("indicators", "--in", "Qingdao"): 64,
    ("parks", "--in", "Pudong"): 64,
}


def peak_mib(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """The peak resident memory of ``policyq ARGS``, measured by GNU time (a child of this
    process would report at least this process's own peak), and its exit code."""
    out = subprocess.run(
        [TIME, "-f", "%M", sys.executable, "-m", "policyq", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return int(out.stderr.strip().splitlines()[-1]) / 1024, out.returncode


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(TIME), reason="GNU time is needed at /usr/bin/time")
def test_commands_that_read_a_whole_store_hold_their_answer_not_the_store(tmp_path: Path) -> None:
    store = tmp_path / "big.json"
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "100000", str(store), "--indicators", "5000"]
    subprocess.run(generate, check=True, capture_output=True, timeout=300)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("POLICYQ_STORE", None)
    over = []
    for args, bound in BOUNDS.items():
        mib, code = peak_mib([*args, "--store", str(store)], env)
        assert code in (0, 1), (args, code)
        if mib > bound:
            over.append(f"{' '.join(args)}: {mib:.0f} MiB, bound {bound:.0f}")
    one = tmp_path / "one.json"
    target = {
        **{f: None for f in ("usd", "note")},
        **{"id": "memory-probe-2030", "subject": "pudong", "metric": "output_value", "metric_label": "output"},
        **{"family": "output", "comparator": "=", "value": 1, "unit": "CNY", "year": 2030, "deadline": "2030"},
        **{"deadline_precision": "year", "sectors": [], "source": "pudong-industrial-system-2022", "quote": "a probe"},
    }
    one.write_text(json.dumps({"targets": [target]}), encoding="utf-8")
    mib, code = peak_mib(["import", str(one), "--dry-run", "--store", str(store)], env)
    size = store.stat().st_size / 2**20
    assert code == 0 and not over, over
    assert mib < 3 * size, f"import --dry-run held {mib:.0f} MiB for a store of {size:.0f} MiB"
