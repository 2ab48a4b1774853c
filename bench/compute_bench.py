"""Offline compute (score + topics + weekly history) on big synthetic ledgers.

    python bench/compute_bench.py [--quick]

Anchor: the same computation at 10x less data, in the same run. Targets (docs/benchmarks.md):
10 years x 2,000 posts <= 1 s; 10x the data <= 12x the time; peak RSS <= 150 MB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def measure(n: int, years: float, runs: int) -> dict:
    """Median over ``runs`` fresh processes of: build the ledger (not timed), time report.build."""
    results = sorted((measure_once(n, years) for _ in range(runs)), key=lambda r: r["seconds"])
    return {**results[len(results) // 2], "runs": [round(r["seconds"], 3) for r in results]}


def measure_once(n: int, years: float) -> dict:
    """Build the ledger (not timed), then time report.build; peak RSS of a fresh process."""
    code = f"""
import json, resource, sys, time
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "bench")!r}]
import _synth
from mkdocs_influence.report import build
led = _synth.ledger({n}, {years})
as_of = led.latest_date()
t = time.perf_counter()
report = build(led, as_of)
elapsed = time.perf_counter() - t
print(json.dumps({{"posts": {n}, "years": {years}, "records": len(led.records), "seconds": elapsed,
                  "weeks": len(report["history"]), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to prove the script works")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per size; the median is reported")
    args = parser.parse_args()
    sizes = [(50, 1.0), (200, 2.0)] if args.quick else [(200, 10.0), (2000, 10.0), (20000, 10.0)]
    results = [measure(n, y, 1 if args.quick else args.runs) for n, y in sizes]
    for r in results:
        print(
            f"{r['posts']:>6} posts / {r['years']:>4} y: {r['seconds']:.3f} s, {r['weeks']} weeks, "
            f"{r['records']} records, peak RSS {r['peak_rss_mb']:.0f} MB (runs: {r['runs']})"
        )
    for small, big in itertools.pairwise(results):
        ratio = big["seconds"] / small["seconds"]
        print(f"ratio {big['posts']}/{small['posts']} posts: {ratio:.1f}x time for {big['posts'] / small['posts']:.0f}x data")
    print(json.dumps(results))


if __name__ == "__main__":
    _ = resource, time
    main()
