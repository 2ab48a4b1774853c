"""SVG badges per second on varied label/message pairs, each style against shields' badge-maker.

    python bench/badges_bench.py [--quick] [--pairs N] [--rounds N]

Anchors, measured in the same run when available: shields' badge-maker 6 (npm, run with
Node; installed into bench/.node on first use), for every style; pybadges and anybadge
(pip; 2,000 pairs a round, in the same rounds) for ``flat``. Prints badges/s for each and
our ratios; asserts nothing.

Fairness: badge-maker runs in one long-lived Node process, so its JIT stays warm, and the
two sides are interleaved round by round (alternating which goes first). Every round gives
both sides the same two fresh sets of pairs: a full warm-up set, rendered untimed, then the
timed set. The sets differ, so neither side reuses a cached width or layout from the
warm-up; both have run every code path at full size before the clock starts. Rates are
medians over the rounds; each ratio is the median of the rounds' ratios, each taken
between two measurements made one right after the other (so a busy moment on a shared
machine slows both sides of a ratio, not one).
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import badges  # noqa: E402

NODE_DIR = Path(__file__).resolve().parent / ".node"
BADGE_MAKER = "badge-maker@6"
NODE_SCRIPT = """
import { createInterface } from 'readline'
import { readFileSync } from 'fs'
import path from 'path'
const { makeBadge } = await import(path.resolve('node_modules/badge-maker/lib/index.js'))
const rounds = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const render = (pairs, style) => { for (const [label, message] of pairs) makeBadge({ label, message, style }) }
for await (const line of createInterface({ input: process.stdin })) {
  const [style, index] = line.split(' ')
  const { warm, timed } = rounds[+index]
  render(warm, style)
  const t = process.hrtime.bigint()
  render(timed, style)
  console.log(timed.length / (Number(process.hrtime.bigint() - t) / 1e9))
}
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


def rate(fn, warm: list[tuple[str, str]], timed: list[tuple[str, str]]) -> float:
    for label, message in warm:
        fn(label, message)
    started = time.perf_counter()
    for label, message in timed:
        fn(label, message)
    return len(timed) / (time.perf_counter() - started)


class BadgeMaker:
    """badge-maker in one Node process, fed one round at a time over stdin."""

    def __init__(self, rounds: list[dict[str, list[tuple[str, str]]]], install: bool) -> None:
        self.proc: subprocess.Popen[str] | None = None
        node = shutil.which("node")
        if node is None:
            return
        if not (NODE_DIR / "node_modules" / "badge-maker" / "lib").is_dir():
            if not install or shutil.which("npm") is None:
                return
            NODE_DIR.mkdir(exist_ok=True)
            command = ["npm", "install", "--silent", "--prefix", str(NODE_DIR), BADGE_MAKER]
            subprocess.run(command, check=True, capture_output=True)
        (NODE_DIR / "rounds.json").write_text(json.dumps(rounds))
        (NODE_DIR / "bench.mjs").write_text(NODE_SCRIPT)
        self.proc = subprocess.Popen(
            [node, "bench.mjs", "rounds.json"], cwd=NODE_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def rate(self, style: str, index: int) -> float | None:
        if self.proc is None:
            return None
        assert self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(f"{style} {index}\n")
            self.proc.stdin.flush()
            return float(self.proc.stdout.readline())
        except (OSError, ValueError):  # Node failed (an old badge-maker in bench/.node?): no anchor, say so
            print("badge-maker did not answer; delete bench/.node to reinstall badge-maker 6", file=sys.stderr)
            self.proc = None
            return None

    def close(self) -> None:
        if self.proc is not None:
            self.proc.communicate("")


def _python_anchors() -> dict[str, Callable[[str, str], object]]:
    """pybadges and anybadge, when installed."""
    found: dict[str, Callable[[str, str], object]] = {}
    try:
        import pybadges

        found["pybadges"] = lambda label, message: pybadges.badge(left_text=label, right_text=message)
    except ImportError:
        pass
    try:
        import anybadge

        found["anybadge"] = lambda label, message: anybadge.Badge(label, message).badge_svg_text
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    n, count = (300, 1) if args.quick else (args.pairs, args.rounds)
    rounds = [{"warm": varied_pairs(n, 2 * i + 1), "timed": varied_pairs(n, 2 * i + 2)} for i in range(count)]
    maker = BadgeMaker(rounds, install=not args.quick)
    ours: dict[str, list[float]] = {style: [] for style in badges.STYLES}
    theirs: dict[str, list[float]] = {style: [] for style in badges.STYLES}
    ratios: dict[str, list[float]] = {}  # per round, ours / anchor measured side by side
    python_anchors = _python_anchors()
    others: dict[str, list[float]] = {name: [] for name in python_anchors}
    flat = lambda label, message: badges.badge(label, message)  # noqa: E731
    try:
        for i, data in enumerate(rounds):
            for style in badges.STYLES:
                fn = lambda label, message, s=style: badges.badge(label, message, style=s)  # noqa: E731
                for side in ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours"):
                    if side == "ours":
                        ours[style].append(rate(fn, data["warm"], data["timed"]))
                    elif (measured := maker.rate(style, i)) is not None:
                        theirs[style].append(measured)
                if len(theirs[style]) == i + 1:
                    ratios.setdefault(f"{style} / badge-maker {style}", []).append(ours[style][-1] / theirs[style][-1])
            for name, fn in python_anchors.items():  # on 2,000 of the pairs (they are slow), next to ours flat on all
                sets = {flat: (data["warm"], data["timed"]), fn: (data["warm"][:2000], data["timed"][:2000])}
                measured = {side: rate(side, *sets[side]) for side in ((flat, fn) if i % 2 == 0 else (fn, flat))}
                others[name].append(measured[fn])
                ratios.setdefault(f"flat / {name}", []).append(measured[flat] / measured[fn])
    finally:
        maker.close()
    results: dict[str, float | None] = {}
    for style in badges.STYLES:
        results[f"ours {style}"] = statistics.median(ours[style])
        results[f"badge-maker {style}"] = statistics.median(theirs[style]) if theirs[style] else None
    for name in ("pybadges", "anybadge"):
        results[name] = statistics.median(others[name]) if others.get(name) else None
    for name, value in results.items():
        print(f"{name:<26} {'n/a (not installed)' if value is None else f'{value:>10,.0f} badges/s'}")
    for name, values in ratios.items():
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"ratio ours {name}: {statistics.median(values):.2f}x (median of rounds: {shown})")
        results[f"ratio {name}"] = statistics.median(values)
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
