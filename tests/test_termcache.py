"""``influence score`` analyses a post's text once: a re-run reads the terms of unchanged posts
from ``.cache/influence/terms-score-<name>.json`` beside the activity file, and the cache never
changes what is printed nor fails a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_influence.shells.cli import main
from mkdocs_influence.terms import text as T
from mkdocs_influence.terms.termcache import cache_file

POSTS = [
    {
        "id": f"p{i}",
        "source": "blog",
        "url": f"https://example.org/p{i}/",
        "title": f"{subject} notes, part {i}",
        "published": f"2026-{1 + i % 9:02d}-0{1 + i % 7}T10:00:00Z",
        "text": f"Dyeing wool with {subject}. The {subject} bath needs alum, and {subject} gives warm colours.",
        "metrics": {"comments": i % 4, "likes": 3 * i},
    }
    for i, subject in enumerate(["madder", "weld", "indigo", "walnut", "madder", "weld", "indigo", "onion"])
]


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts analysed, in order."""
    calls: list[str] = []
    real = T.extract_terms
    monkeypatch.setattr(T, "extract_terms", lambda text, *a, **kw: calls.append(text) or real(text, *a, **kw))
    return calls


def score(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["score", "--activity", str(path), "--as-of", "2026-11-01", "--json", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def write(path: Path, posts: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"posts": posts}), "utf-8")
    return path


def test_a_rerun_analyses_only_the_posts_whose_text_changed(tmp_path: Path, analysed: list[str]) -> None:
    path = write(tmp_path / "activity.json", POSTS)
    first = score(path)
    assert len(analysed) == len(POSTS)
    cache = cache_file(path)
    written = cache.stat().st_mtime_ns
    assert score(path) == first and len(analysed) == len(POSTS)  # nothing analysed again
    assert cache.stat().st_mtime_ns == written  # and nothing rewritten
    edited = [{**POSTS[0], "text": "Spinning flax on a wheel, then spinning more flax."}, *POSTS[1:]]
    score(write(path, edited))
    assert len(analysed) == len(POSTS) + 1 and "Spinning flax" in analysed[-1]
    kept = json.loads(cache.read_text("utf-8"))["terms"]
    old = T.text_digest(str(POSTS[0]["title"]), str(POSTS[0]["text"]), "en")
    assert len(kept) == len(POSTS) and old not in kept  # the old text's terms are gone


def test_two_activity_files_in_one_folder_keep_their_own_terms(tmp_path: Path, analysed: list[str]) -> None:
    first = write(tmp_path / "a.json", POSTS)
    second = write(tmp_path / "b.json", [{**p, "id": f"b{i}", "text": f"{p['text']} Again."} for i, p in enumerate(POSTS)])
    score(first), score(second)
    assert len(analysed) == 2 * len(POSTS)
    score(first), score(second)  # in turn: neither replaces the other's terms
    assert len(analysed) == 2 * len(POSTS)
    assert cache_file(first) != cache_file(second) and cache_file(first).exists() and cache_file(second).exists()


@pytest.mark.parametrize("name", ["activity.json", "my posts (2026).json", "ακτιβ.json", "x" * 300 + ".json", "a\\b.json"])
def test_the_cache_file_is_named_after_the_activity_file_inside_its_cache_folder(tmp_path: Path, name: str) -> None:
    path = cache_file(tmp_path / name)
    assert path.parent == tmp_path / ".cache" / "influence"
    assert path.name.startswith("terms-score-") and path.name.endswith(".json") and len(path.name) < 100
    assert path.name.isascii() and "/" not in path.name and "\\" not in path.name
    assert cache_file(tmp_path / name) == path and cache_file(tmp_path / f"{name}2") != path


def test_no_cache_analyses_everything_and_writes_nothing(tmp_path: Path, analysed: list[str]) -> None:
    path = write(tmp_path / "activity.json", POSTS)
    out = score(path, "--no-cache")
    assert score(path, "--no-cache") == out and len(analysed) == 2 * len(POSTS)
    assert not (tmp_path / ".cache").exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff not json",
        b'{"version": ["terms", "0.0.0-other"], "terms": {}}',
        b"[1, 2, 3]",
        b'{"version": null, "terms": []}',
    ],
)
def test_a_damaged_or_foreign_cache_is_no_cache(tmp_path: Path, analysed: list[str], damage: bytes) -> None:
    path = write(tmp_path / "activity.json", POSTS)
    expected = score(path, "--no-cache")
    cache = cache_file(path)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    assert score(path) == expected and len(analysed) == 2 * len(POSTS)
    assert json.loads(cache.read_text("utf-8"))["terms"]  # replaced by a good one


def test_a_damaged_entry_is_analysed_again_and_never_trusted(tmp_path: Path, analysed: list[str]) -> None:
    path = write(tmp_path / "activity.json", POSTS)
    expected = score(path)
    cache = cache_file(path)
    data = json.loads(cache.read_text("utf-8"))
    bad = T.text_digest(str(POSTS[1]["title"]), str(POSTS[1]["text"]), "en")
    data["terms"][bad] = {"weld": -5, "x": "many"}
    cache.write_text(json.dumps(data), "utf-8")
    assert score(path) == expected
    assert len(analysed) == len(POSTS) + 1  # only the damaged entry's post


def test_a_cache_that_cannot_be_written_does_not_fail_the_run(tmp_path: Path) -> None:
    path = write(tmp_path / "activity.json", POSTS)
    (tmp_path / ".cache").write_text("a file where the folder would be")
    assert json.loads(score(path))["topics"]


def test_a_ledger_read_back_scores_byte_for_byte_like_the_one_in_memory() -> None:
    """Terms come out of extraction in the order the ledger writes them (by name), so a report
    from a fresh run and one from the saved ledger add the same numbers in the same order."""
    import datetime as dt

    from mkdocs_influence.model.report import summary
    from mkdocs_influence.store import ledger as L
    from mkdocs_influence.store.activity import parse_activity
    from mkdocs_influence.store.fileio import to_json

    text = "Sock knitting with hand-dyed wool. Sock knitting again."
    posts = [{**POSTS[i], "tags": ["knitting"], "title": f"Sock {i}", "text": text} for i in range(5)]
    when = dt.date(2026, 11, 1)
    fresh = L.observe(L.Ledger(), "file", parse_activity({"posts": posts}, "test"), when, complete=False)
    again = L.loads(L.dumps(fresh))
    assert to_json(summary(again, when)) == to_json(summary(fresh, when))
    assert all(list(post.terms) == sorted(post.terms) for post in L.snapshot(fresh, when).posts)
