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


def test_blog_corpus_reads_a_site_with_the_products_reader_and_topics_eval_reads_it(tmp_path) -> None:
    import json

    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n[taxonomies]\n  tag = "tags"\n  author = "author"\n')
    for i, tags in enumerate((["Dyes", "wool"], ["dyes"], ["Walnut"]), start=1):
        text = f"---\ntitle: Post {i}\ndate: 2024-0{i}-02\nauthor: Someone Else\ntags: {json.dumps(tags)}\n---\nWalnut dye.\n"
        (site / "content" / "posts" / f"p{i}.md").write_text(text)
    out = tmp_path / "corpus"
    run = [sys.executable, str(ROOT / "bench" / "blog_corpus.py"), str(site), str(out), "--generator", "hugo"]
    first = subprocess.run([*run, "--as-of", "2026-01-01"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert first.returncode == 0, first.stderr[-2000:]
    corpus, gold = tmp_path / "corpus.tags.json", tmp_path / "corpus.gold.json"
    before = corpus.read_bytes(), gold.read_bytes()
    assert json.loads(gold.read_text()) == {
        "top10": ["Dyes", "Walnut", "wool"],
        "counts": [["Dyes", 2], ["Walnut", 1], ["wool", 1]],
    }
    posts = json.loads(corpus.read_text())["posts"]
    assert [p["title"] for p in posts] == ["Post 1", "Post 2", "Post 3"] and "Someone Else" not in corpus.read_text()
    subprocess.run([*run, "--as-of", "2026-01-01"], capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)
    assert (corpus.read_bytes(), gold.read_bytes()) == before  # deterministic
    evaluated = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "topics_eval.py"), str(corpus), str(gold)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert evaluated.returncode == 0 and json.loads(evaluated.stdout)["posts"] == 3
