"""Plugin overhead on ``mkdocs build`` of a generated Material blog, against the same site
without the plugin, in the same run.

    python bench/build_bench.py [--quick] [--posts 300 1000] [--runs 7]

Target (docs/benchmarks.md): <= 3% added wall time, also for a cold-cache CI build (an empty
``.cache``, ``influence update``, then ``mkdocs build``), and <= 10 MiB added peak RSS.
Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
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


def build_stats(config: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one ``mkdocs build`` in a fresh process
    (``os.wait4`` gives that one child's own resource usage)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"mkdocs build failed ({proc.returncode}): {config}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def build_seconds(config: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``mkdocs build`` in a fresh process."""
    wall, cpu, _ = build_stats(config)
    return wall, cpu


def cold_ci(without: Path, with_plugin: Path, runs: int) -> None:
    """A CI job: a fresh checkout (no ``.cache``), ``influence update`` (not timed: it replaces
    the fetch step), then ``mkdocs build``; against the same site without the plugin. Prints
    wall, CPU and peak-RSS medians and their differences."""
    a, b = [], []
    for i in range(runs):
        order = [(without, a), (with_plugin, b)] if i % 2 == 0 else [(with_plugin, b), (without, a)]
        for config, out in order:
            shutil.rmtree(config.parent / ".cache", ignore_errors=True)
            shutil.rmtree(config.parent / "site", ignore_errors=True)
            if config is with_plugin:
                update = [sys.executable, "-m", "mkdocs_influence", "update", "-q", "-f", str(config), "--as-of", "2026-11-22"]
                subprocess.run(update, check=True, cwd=ROOT)
            out.append(build_stats(config))
    med = [statistics.median(x[k] for x in a) for k in range(3)]
    plug = [statistics.median(x[k] for x in b) for k in range(3)]
    print(
        f"  cold-cache CI build: wall {med[0]:.2f} → {plug[0]:.2f} s ({100 * (plug[0] - med[0]) / med[0]:+.1f}%), "
        f"CPU {med[1]:.2f} → {plug[1]:.2f} s ({100 * (plug[1] - med[1]) / med[1]:+.1f}%), "
        f"peak RSS {med[2]:.1f} → {plug[2]:.1f} MiB ({plug[2] - med[2]:+.1f} MiB) (medians of {runs})"
    )


IN_PROCESS = """
import json, logging, os, statistics, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.disable(logging.WARNING)
without, with_plugin, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def once(path):
    started = time.process_time()
    config = load_config(path)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    return time.process_time() - started

once(without)  # MkDocs, the theme and the blog plugin imported, caches warm
started = time.process_time()
import mkdocs_influence.shells.plugin  # what the plugin adds to a cold start
imports = time.process_time() - started
once(with_plugin)
pairs = []
for i in range(runs):  # ABBA order, so neither site always runs second
    if i % 2:
        b, a = once(with_plugin), once(without)
    else:
        a, b = once(without), once(with_plugin)
    pairs.append((a, b))
print(json.dumps({"pairs": pairs, "imports": imports}))
"""


def in_process(without: Path, with_plugin: Path, runs: int) -> tuple[float, float, float, float]:
    """Both sites built alternately in one process (as ``mkdocs serve`` rebuilds): median
    CPU seconds without and with, the median paired difference, and the CPU seconds the
    plugin's own imports add to a cold start (measured once MkDocs had built a site)."""
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(without), str(with_plugin), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout)
    pairs = data["pairs"]
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(b - a for a, b in pairs),
        data["imports"],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--posts", type=int, nargs="*", default=[300, 1000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-only", action="store_true", help="only the cold-cache CI build")
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
            cold_ci(without, with_plugin, runs)
            if args.cold_only:
                continue
            build_seconds(with_plugin)  # warm the PNG cache and the OS caches, as a rebuild would
            build_seconds(without)
            a, b = [], []
            for _ in range(runs):  # interleaved, so drift hits both
                a.append(build_seconds(without))
                b.append(build_seconds(with_plugin))
            base, plug = statistics.median(w for w, _ in a), statistics.median(w for w, _ in b)
            cpu_base, cpu_plug = statistics.median(c for _, c in a), statistics.median(c for _, c in b)
            print(
                f"{n} posts: wall without {base:.2f} s, with plugin {plug:.2f} s, overhead {100 * (plug - base) / base:+.1f}%; "
                f"CPU {cpu_base:.2f} s vs {cpu_plug:.2f} s, {100 * (cpu_plug - cpu_base) / cpu_base:+.1f}% (medians of {runs})"
            )
            print(f"  wall runs without {sorted(round(w, 2) for w, _ in a)}, with {sorted(round(w, 2) for w, _ in b)}")
            cpu_without, cpu_with, paired, imports = in_process(without, with_plugin, runs)
            print(
                f"  in one process: CPU {cpu_without:.3f} s vs {cpu_with:.3f} s, paired difference {paired * 1000:+.0f} ms, "
                f"plugin imports {imports * 1000:.0f} ms: overhead {100 * (paired + imports) / cpu_without:+.1f}%"
            )


if __name__ == "__main__":
    main()
