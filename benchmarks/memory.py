"""Peak memory of each command on one store: one run each under GNU time (``/usr/bin/time -f %M``).

    python benchmarks/memory.py STORE [--python PYTHON] [--timeout SECONDS] [--only WORD,WORD]

Each command runs once with stdout and stderr on /dev/null and its peak resident set size
(max RSS) is read from GNU time, which is small enough not to mask it (see run.py on why a
child's rusage is not used). A command that does not finish within the timeout is reported
as such, with no figure. Build a store first with ``benchmarks/generate.py``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

COMMANDS: list[tuple[str, ...]] = [
    ("zones",),
    ("zones", "--in", "Jiangsu"),
    ("parks", "--in", "Pudong"),
    ("tree",),
    ("tree", "Shanghai"),
    ("targets", "--year", "2025", "--format", "jsonl"),
    ("targets", "--in", "Pudong", "--limit", "20"),
    ("indicators", "--in", "Qingdao"),
    ("indicators", "--format", "jsonl"),
    ("sources",),
    ("show", "pudong"),
    ("show", "qingdao-gdp-2018"),
    ("search", "lingang", "--limit", "20"),
    ("cite", "pudong"),
    ("cite", "qingdao-gdp-2018"),
    ("progress", "--in", "Qingdao"),
    ("progress", "--in", "Jinan"),
    ("ask", "targets in Lingang due by 2025"),
    ("validate",),
    ("targets", "--format", "json"),
    ("targets", "--format", "jsonl"),
    ("targets", "--format", "csv"),
    ("targets", "--format", "tsv"),
    ("targets", "--format", "markdown"),
    ("export", "--sqlite", "{tmp}/out.sqlite", "--force"),
    ("import", "{tmp}/one.json", "--dry-run"),
]
ONE = (
    '{"targets": [{"id": "memory-probe-2030", "subject": "pudong", "metric": "output_value", "metric_label": '
    '"output", "family": "output", "comparator": "=", "value": 1, "unit": "CNY", "usd": null, "year": 2030, '
    '"deadline": "2030", "deadline_precision": "year", "sectors": [], "source": "pudong-industrial-system-2022", '
    '"quote": "a probe", "note": null}]}'
)


def peak(python: str, args: tuple[str, ...], store: str, timeout: float) -> tuple[float | None, float, int | None]:
    """(peak RSS in MiB or None on a timeout, seconds, exit code or None)."""
    with tempfile.NamedTemporaryFile("r", prefix="policyq-rss-") as out, tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "one.json"), "w", encoding="utf-8") as fh:
            fh.write(ONE)
        args = tuple(a.replace("{tmp}", tmp) for a in args)
        argv = ["/usr/bin/time", "-o", out.name, "-f", "%M", python, "-m", "policyq", *args, "--store", store]
        started = time.monotonic()
        try:
            code = subprocess.run(
                argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            return None, time.monotonic() - started, None
        seconds = time.monotonic() - started
        return int(out.read().split()[-1]) / 1024, seconds, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--only", help="commands holding one of these comma-separated words")
    opts = parser.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("GNU time is needed at /usr/bin/time (apt-get install time)")
    print(f"store {opts.store}, {os.path.getsize(opts.store) / 2**20:,.1f} MiB")
    print(f"{'command':<44} {'peak RSS':>11}  {'time':>8}  exit")
    for args in COMMANDS:
        if opts.only and not any(word in " ".join(args) for word in opts.only.split(",")):
            continue
        rss, seconds, code = peak(opts.python, args, opts.store, opts.timeout)
        shown = f"{rss:7.1f} MiB" if rss is not None else f"timed out after {opts.timeout:.0f} s"
        print(f"{' '.join(args).replace('{tmp}/', '')[:44]:<44} {shown:>11}  {seconds:6.1f} s  {code}", flush=True)


if __name__ == "__main__":
    main()
