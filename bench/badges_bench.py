"""SVG badges per second on varied label/message pairs, side by side with the anchors.

    python bench/badges_bench.py [--quick] [--pairs N]

Anchors, measured in the same run when available: shields' badge-maker (npm, run with
Node; installed into bench/.node on first use), pybadges and anybadge (pip). Prints
badges/s for each and our ratios against them; asserts nothing.

Each figure is the median of several rounds, each on its own freshly generated set of
pairs (no renderer gets to reuse a cached width or layout between rounds); the same
rounds are given to every renderer, the Node one included.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import badges  # noqa: E402

NODE_DIR = Path(__file__).resolve().parent / ".node"
NODE_SCRIPT = """
const { makeBadge } = require('badge-maker');
const rounds = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const style = process.argv[3];
const rates = rounds.map((pairs) => {
  for (let i = 0; i < Math.min(200, pairs.length); i++) makeBadge({ label: pairs[i][0], message: pairs[i][1], style });
  const t = process.hrtime.bigint();
  for (const [label, message] of pairs) makeBadge({ label, message, style });
  return pairs.length / (Number(process.hrtime.bigint() - t) / 1e9);
});
rates.sort((a, b) => a - b);
console.log(rates[Math.floor(rates.length / 2)]);
"""


def varied_pairs(n: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = string.ascii_letters + "  "
    return [
        (
            "".join(rng.choice(words) for _ in range(rng.randint(3, 16))),
            "".join(rng.choice(string.ascii_letters + string.digits + " .%") for _ in range(rng.randint(1, 12))),
        )
        for _ in range(n)
    ]


def rate(fn, pairs: list[tuple[str, str]]) -> float:
    for label, message in pairs[:200]:
        fn(label, message)
    started = time.perf_counter()
    for label, message in pairs:
        fn(label, message)
    return len(pairs) / (time.perf_counter() - started)


def median_rate(fn, rounds: list[list[tuple[str, str]]], limit: int | None = None) -> float:
    """Median badges/s over the rounds (each round a fresh set of pairs)."""
    return statistics.median(rate(fn, pairs[:limit]) for pairs in rounds)


def badge_maker(rounds: list[list[tuple[str, str]]], style: str, install: bool) -> float | None:
    node = shutil.which("node")
    if node is None:
        return None
    if not (NODE_DIR / "node_modules" / "badge-maker").is_dir():
        if not install or shutil.which("npm") is None:
            return None
        NODE_DIR.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(NODE_DIR), "badge-maker"], check=True, capture_output=True)
    data = NODE_DIR / "pairs.json"
    data.write_text(json.dumps(rounds))
    script = NODE_DIR / "bench.js"
    script.write_text(NODE_SCRIPT)
    out = subprocess.run([node, str(script), str(data), style], capture_output=True, text=True, check=True, cwd=NODE_DIR)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds = [varied_pairs(300 if args.quick else args.pairs, seed) for seed in range(1, (1 if args.quick else args.rounds) + 1)]
    results: dict[str, float | None] = {}
    for style in badges.STYLES:
        results[f"ours {style}"] = median_rate(lambda label, message, s=style: badges.badge(label, message, style=s), rounds)
    results["badge-maker flat (node)"] = badge_maker(rounds, "flat", install=not args.quick)
    try:
        import pybadges

        results["pybadges"] = median_rate(
            lambda label, message: pybadges.badge(left_text=label, right_text=message), rounds, 2000
        )
    except ImportError:
        results["pybadges"] = None
    try:
        import anybadge

        results["anybadge"] = median_rate(lambda label, message: anybadge.Badge(label, message).badge_svg_text, rounds, 2000)
    except ImportError:
        results["anybadge"] = None
    for name, value in results.items():
        print(f"{name:<26} {'n/a (not installed)' if value is None else f'{value:>10,.0f} badges/s'}")
    ours = results["ours flat"] or 0.0
    for anchor in ("badge-maker flat (node)", "pybadges", "anybadge"):
        if results.get(anchor):
            print(f"ratio ours flat / {anchor}: {ours / results[anchor]:.2f}x")
    print(json.dumps({k: v for k, v in results.items()}, sort_keys=True))


if __name__ == "__main__":
    main()
