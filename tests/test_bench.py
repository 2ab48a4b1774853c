"""The benchmarks run (in their quick mode): they print figures; nothing here asserts on time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("script", "expect"),
    [
        ("badges_bench.py", "ours flat"),
        ("png_bench.py", "disk-cache hit"),
        ("compute_bench.py", "posts /"),
        ("update_bench.py", "no-change re-run"),
        ("refetch_bench.py", "re-fetch with nothing new"),
        ("attack_bench.py", "rows printing any form of the token: 0"),
        ("startup_bench.py", "mkdocs --version"),
        ("build_bench.py", "overhead"),
    ],
)
def test_benchmark_runs(script: str, expect: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick"], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert expect in proc.stdout
