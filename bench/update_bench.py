"""`influence update --offline` of a Material blog, against the floor of reading its posts.

    python bench/update_bench.py [--quick] [--corpus ../shared/eval/ngeor.tags.json] [--runs 3]

Writes a Material blog of N posts (``docs/blog/posts/*.md`` with YAML front matter) into a
temporary folder, then times, each in a fresh process, the whole path a user runs:

- ``floor``: read every post file, parse its front matter with PyYAML's pure-Python loader
  and count its words — the least any tool must do;
- ``first``: ``influence update -f mkdocs.yml --offline`` (CLI, imports included) into an
  empty data folder;
- ``again``: the same a day later with nothing changed (terms are not analysed again).

Prose: with ``--corpus`` (an activity file of real posts, e.g. the evaluation blogs, never
copied into the project) its posts are cycled, each copy a distinct post (a numbered
sentence is added); without, words are drawn from the shipped English frequency table,
weighted by frequency, with a few topic words per post. Targets (issue #21,
docs/benchmarks.md): first <= 3.5x floor, again <= 25% of first, 10x posts <= 12x time,
peak RSS <= 150 MB.
"""

from __future__ import annotations

import argparse
import json
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

MKDOCS_YML = """site_name: Bench Blog
site_url: https://bench.example/
theme: {name: material}
plugins:
  - blog
  - influence:
      sources: [blog]
"""

FLOOR = """
import json, re, resource, sys, time
t, c = time.perf_counter(), time.process_time()
from pathlib import Path
import yaml
front = re.compile(r"\\A---[ \\t]*\\r?\\n(.*?\\r?\\n)?(?:---|\\.\\.\\.)[ \\t]*(?:\\r?\\n|\\Z)", re.S)
words = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text("utf-8-sig")
    m = front.match(text)
    meta = yaml.load(m.group(1), Loader=yaml.SafeLoader) if m else {}
    words += len(text[m.end() if m else 0:].split())
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "words": words,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

UPDATE = """
import json, resource, sys, time
t, c = time.perf_counter(), time.process_time()
from mkdocs_influence.shells.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


def write_site(folder: Path, posts: list[dict]) -> Path:
    """A Material blog with ``posts``, one a day from 2016 (dated, tagged, YAML front matter)."""
    posts_dir = folder / "docs" / "blog" / "posts"
    posts_dir.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML)
    (folder / "docs" / "index.md").write_text("# Bench\n")
    (folder / "docs" / "blog" / "index.md").write_text("# Blog\n")
    for i, p in enumerate(posts):
        year, day = 2016 + i // 365 % 10, i % 365
        date = f"{year}-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}"
        tags = "".join(f"  - {json.dumps(t)}\n" for t in p["tags"])
        front = f"---\ndate: {date}\ntitle: {json.dumps(p['title'])}\ncategories:\n  - Notes\ntags:\n{tags}---\n"
        (posts_dir / f"post-{i:05d}.md").write_text(f"{front}\n{p['text']}\n", "utf-8")
    return folder / "mkdocs.yml"


def _run(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"bench step failed: {proc.stderr[-2000:]}")
    return json.loads((proc.stdout if code is FLOOR else proc.stderr).strip().splitlines()[-1])


def measure(posts: list[dict], runs: int) -> dict:
    """Median CPU seconds (and wall seconds) of floor, first update and no-change re-run,
    each ``runs`` times, interleaved. CPU time, because other jobs share this machine."""
    rows: dict[str, list[dict]] = {"floor": [], "first": [], "again": []}
    with tempfile.TemporaryDirectory() as tmp:
        config = write_site(Path(tmp), posts)
        for _ in range(runs):
            rows["floor"].append(_run(FLOOR, str(config.parent / "docs")))
            shutil.rmtree(config.parent / "influence-data", ignore_errors=True)  # each first run starts empty
            args = ["update", "-f", str(config), "--offline"]
            rows["first"].append(_run(UPDATE, *args, "--as-of", "2026-11-20"))
            rows["again"].append(_run(UPDATE, *args, "--as-of", "2026-11-21"))
    cpu = {k: statistics.median(r["cpu"] for r in v) for k, v in rows.items()}
    wall = {k: statistics.median(r["seconds"] for r in v) for k, v in rows.items()}
    return {
        "posts": len(posts),
        **{f"{k}_cpu_s": round(v, 3) for k, v in cpu.items()},
        **{f"{k}_wall_s": round(v, 3) for k, v in wall.items()},
        "first_over_floor": round(cpu["first"] / cpu["floor"], 2),
        "again_over_first": round(cpu["again"] / cpu["first"], 3),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for v in rows.values() for r in v)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: proves the script works")
    parser.add_argument("--corpus", type=Path, help="an activity JSON file of real posts to cycle (not shipped)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [30, 300] if args.quick else [500, 5000]
    runs = 1 if args.quick else args.runs
    results = []
    for n in sizes:
        posts = _synth.corpus(args.corpus, n) if args.corpus else _synth.prose(n)
        results.append(measure(posts, runs))
        r = results[-1]
        print(
            f"{r['posts']:>5} posts (CPU s): floor {r['floor_cpu_s']:.2f}, first update {r['first_cpu_s']:.2f} "
            f"({r['first_over_floor']:.2f}x floor), no-change re-run {r['again_cpu_s']:.2f} "
            f"({100 * r['again_over_first']:.0f}% of first), peak RSS {r['peak_rss_mb']} MB"
        )
    small, big = results
    scale = big["first_cpu_s"] / small["first_cpu_s"]
    print(f"scaling: {big['posts'] / small['posts']:.0f}x posts -> {scale:.1f}x CPU time (first update)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
