"""Cold start of ``influence --help`` (and ``influence score --help``) against ``mkdocs --version``.

python bench/startup_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    runs = 2 if parser.parse_args().quick else 15
    anchor = seconds([sys.executable, "-m", "mkdocs", "--version"], runs)
    for cmd in (["--help"], ["update", "--help"], ["score", "--help"]):
        ours = seconds([sys.executable, "-m", "mkdocs_influence", *cmd], runs)
        name = "influence " + " ".join(cmd)
        print(f"{name:<24} {ours * 1000:6.0f} ms   mkdocs --version {anchor * 1000:6.0f} ms   ratio {ours / anchor:.2f}x")
    print("imports of `influence --help`:")
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "mkdocs_influence", "--help"], capture_output=True, text=True)
    heavy = [
        line
        for line in out.stderr.splitlines()
        if any(m in line for m in ("mkdocs.", "cairosvg", "httpx", "jinja2", "feedparser"))
    ]
    print(f"  {len(heavy)} import lines from mkdocs/cairosvg/httpx/jinja2/feedparser")


if __name__ == "__main__":
    main()
