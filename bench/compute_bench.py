"""`influence score` of big activity files, the whole path a user runs, against the floor of reading them.

    python bench/compute_bench.py [--quick] [--runs 3]

Writes an activity file of N posts over 10 years (prose from ``_synth.prose``, or real posts
cycled from ``--corpus``; engagement counts drawn at random), then times, each in a fresh process (imports included):

- ``floor``: load the file with the project's own loader (``load_activity_file``: JSON,
  every value checked) and count the words of every post — the least the command must do;
- ``score``: ``influence score --activity FILE --as-of DATE --json`` — recording the posts
  (terms extracted from every text), the score and topics (the command prints no history,
  so it computes none), with no terms cache beside the file (a first run, which writes it);
- ``re-run``: the same command again, reading the unchanged posts' terms from that cache.

CPU seconds, because other jobs share this machine. Targets (issue #21, docs/benchmarks.md):
10 years x 2,000 posts within 6x the floor (first run and re-run reported apart); 10x the posts
<= 12x the time; peak RSS <= 150 MB at 2,000 posts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _synth  # noqa: E402

FLOOR = """
import json, resource, sys, time
t, c = time.perf_counter(), time.process_time()
from pathlib import Path
from mkdocs_influence.sources.file import load_activity_file
activity = load_activity_file(Path(sys.argv[1]))
words = sum(len(p.text.split()) for p in activity.posts)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "words": words,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SCORE = """
import contextlib, io, json, resource, sys, time
t, c = time.perf_counter(), time.process_time()
from mkdocs_influence.shells.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    main(sys.argv[1:], standalone_mode=False)
report = json.loads(out.getvalue())
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "topics": len(report["topics"]),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def activity(n: int, years: float, seed: int = 7, corpus: Path | None = None) -> dict:
    """An activity file of ``n`` prose posts spread evenly over ``years`` before 2026-01-01."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) - dt.timedelta(days=365.25 * years)
    span = years * 365.25 * 86400
    posts = []
    for i, p in enumerate(_synth.corpus(corpus, n) if corpus else _synth.prose(n, seed)):
        when = start + dt.timedelta(seconds=span * i / n)
        metrics = {"replies": rng.randint(0, 12), "reposts": rng.randint(0, 8), "likes": rng.randint(0, 60)}
        posts.append(
            {
                "id": f"p{i}",
                "source": "mastodon",
                "url": f"https://social.example/@me/{i}",
                "title": p["title"],
                "published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tags": p["tags"] if i % 3 else [],  # a third untagged: their topics come from the text
                "text": p["text"],
                "metrics": metrics,
            }
        )
    return {"posts": posts, "audience": [{"source": "mastodon", "date": "2025-12-01", "followers": 1000}]}


def _run(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"bench step failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(n: int, years: float, runs: int, corpus: Path | None = None) -> dict:
    """Medians over ``runs`` interleaved rounds of fresh processes (floor, first score, re-run)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activity.json"
        path.write_text(json.dumps(activity(n, years, corpus=corpus)), "utf-8")
        command = ("score", "--activity", str(path), "--as-of", "2026-01-01", "--json")
        floors, scores, reruns = [], [], []
        for _ in range(runs):
            shutil.rmtree(Path(tmp) / ".cache", ignore_errors=True)  # a first run: no terms kept yet
            floors.append(_run(FLOOR, str(path)))
            scores.append(_run(SCORE, *command))
            reruns.append(_run(SCORE, *command))
    floor = statistics.median(r["cpu"] for r in floors)
    score = statistics.median(r["cpu"] for r in scores)
    rerun = statistics.median(r["cpu"] for r in reruns)
    return {
        "posts": n,
        "years": years,
        "floor_cpu_s": round(floor, 3),
        "seconds": round(score, 3),  # CPU seconds of the whole `influence score`, first run
        "wall_s": round(statistics.median(r["seconds"] for r in scores), 3),
        "over_floor": round(score / floor, 2),
        "rerun_s": round(rerun, 3),
        "rerun_over_floor": round(rerun / floor, 2),
        "topics": scores[0]["topics"],
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in scores + reruns)),
        "runs": sorted(round(r["cpu"], 3) for r in scores),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to prove the script works")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per size; the median is reported")
    parser.add_argument("--corpus", type=Path, help="an activity JSON file of real posts to cycle (not shipped)")
    parser.add_argument("--sizes", help="posts per size, comma-separated (default 200,2000,20000)")
    args = parser.parse_args()
    sizes = [(50, 1.0), (200, 2.0)] if args.quick else [(200, 10.0), (2000, 10.0), (20000, 10.0)]
    if args.sizes:
        sizes = [(int(n), 10.0) for n in args.sizes.split(",")]
    results = [measure(n, y, 1 if args.quick else args.runs, args.corpus) for n, y in sizes]
    for r in results:
        print(
            f"{r['posts']:>6} posts / {r['years']:>4} y: influence score {r['seconds']:.3f} CPU s "
            f"({r['over_floor']:.2f}x the floor of {r['floor_cpu_s']:.3f} s), re-run {r['rerun_s']:.3f} s "
            f"({r['rerun_over_floor']:.2f}x), {r['topics']} topics, peak RSS {r['peak_rss_mb']} MB (first runs: {r['runs']})"
        )
    for small, big in itertools.pairwise(results):
        ratio = big["seconds"] / small["seconds"]
        print(f"ratio {big['posts']}/{small['posts']} posts: {ratio:.1f}x time for {big['posts'] / small['posts']:.0f}x data")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
