"""Plugin overhead on ``mkdocs build`` of a generated Material blog, against the same site
without the plugin, in the same run.

    python bench/build_bench.py [--quick] [--posts 300 1000] [--runs 3]

Target (docs/benchmarks.md): <= 3% added wall time. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = "wool dye madder weld indigo socks heel yarn skein mordant alum iron walnut onion garden knit colour".split()


def make_blog(root: Path, n: int, plugin: bool) -> Path:
    rng = random.Random(n)
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\n<!-- influence:badge -->\n" if plugin else "# Home\n")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n")
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2020 + i // 336
        tags = ", ".join(rng.sample(WORDS, 2))
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(5))
        (posts / f"p{i}.md").write_text(
            f"---\ndate: {year}-{month:02d}-{day:02d}\ncategories: [Dyeing]\ntags: [{tags}]\n---\n\n# Post {i}\n\n{body}\n"
        )
    plugins = "  - blog\n" + ("  - influence\n" if plugin else "")
    (root / "mkdocs.yml").write_text(f"site_name: Bench\ntheme:\n  name: material\nplugins:\n{plugins}")
    return root / "mkdocs.yml"


def build_seconds(config: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--posts", type=int, nargs="*", default=[300, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes, runs = ([20], 1) if args.quick else (args.posts, args.runs)
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            without = make_blog(Path(tmp) / "without", n, plugin=False)
            with_plugin = make_blog(Path(tmp) / "with", n, plugin=True)
            subprocess.run(
                [sys.executable, "-m", "mkdocs_influence", "update", "-q", "-f", str(with_plugin), "--as-of", "2026-11-22"],
                check=True,
                cwd=ROOT,
            )
            build_seconds(with_plugin)  # warm the PNG cache and the OS caches, as a rebuild would
            build_seconds(without)
            a, b = [], []
            for _ in range(runs):  # interleaved, so drift hits both
                a.append(build_seconds(without))
                b.append(build_seconds(with_plugin))
            base, plug = statistics.median(a), statistics.median(b)
            overhead = 100 * (plug - base) / base
            print(f"{n} posts: without {base:.2f} s, with plugin {plug:.2f} s, overhead {overhead:+.1f}% (median of {runs})")


if __name__ == "__main__":
    main()
