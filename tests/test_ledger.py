"""The ledger: append-only, change-only, deterministic text, clear errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import utc

from mkdocs_influence.errors import LedgerError
from mkdocs_influence.model.report import build
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Post, parse_activity
from mkdocs_influence.store.fileio import to_json

D1, D2, D3 = dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 3)


def post(pid: str, **metrics: int) -> Post:
    return Post(
        "mastodon",
        pid,
        f"Post {pid}",
        utc(2026, 9, 1),
        url=f"https://x.example/{pid}",
        tags=("wool",),
        text="Wool and dye.",
        metrics=metrics,
    )


def test_activity_file_round_trip(tmp_path: Path) -> None:
    raw = {
        "audience": [{"source": "mastodon", "date": "2026-11-01", "followers": 1200}],
        "posts": [
            {
                "id": "a",
                "source": "blog",
                "url": "https://e.org/a",
                "title": "Dyeing with onion skins",
                "published": "2026-10-03T10:00:00Z",
                "tags": ["knitting"],
                "text": "Onion skins give gold.",
                "metrics": {"comments": 3, "replies": 0, "reposts": 2, "likes": 10, "quotes": 0},
            },
        ],
    }
    activity = parse_activity(raw, "a.json")
    ledger = L.observe(L.Ledger(), "file", activity, dt.date(2026, 11, 2), complete=False)
    L.save(tmp_path, ledger)
    again = L.load(tmp_path)
    assert again == ledger
    snap = L.snapshot(again, dt.date(2026, 11, 2))
    (p,) = snap.posts
    assert (p.title, p.url, p.tags, p.published) == (
        "Dyeing with onion skins",
        "https://e.org/a",
        ("knitting",),
        utc(2026, 10, 3),
    )
    assert p.metrics == {"comments": 3, "reposts": 2, "likes": 10}
    assert snap.followers == {"mastodon": 1200}
    assert "Onion skins give gold" not in (tmp_path / "ledger.jsonl").read_text()  # text is never stored


def test_only_changes_add_lines() -> None:
    led = L.observe(L.Ledger(), "mastodon", Activity((post("1", likes=1),)), D1, complete=False)
    same = L.observe(led, "mastodon", Activity((post("1", likes=1),)), D2, complete=False)
    assert same is led
    more = L.observe(led, "mastodon", Activity((post("1", likes=2),)), D2, complete=False)
    kinds = [(r.kind, r.observed) for r in more.records]
    assert kinds.count(("metrics", D2)) == 1 and kinds.count(("post", D2)) == 0
    # history is kept: as of D1 the old count still shows
    assert L.snapshot(more, D1).posts[0].metrics == {"likes": 1}
    assert L.snapshot(more, D2).posts[0].metrics == {"likes": 2}


def test_same_day_rerun_replaces_instead_of_duplicating() -> None:
    led = L.observe(L.Ledger(), "m", Activity((post("1", likes=1),)), D1, complete=False)
    led = L.observe(led, "m", Activity((post("1", likes=5),)), D2, complete=False)
    led = L.observe(led, "m", Activity((post("1", likes=6),)), D2, complete=False)
    metrics = [r for r in led.records if r.kind == "metrics"]
    assert [(r.observed, r.data["likes"]) for r in metrics] == [(D1, 1), (D2, 6)]


def test_complete_source_marks_missing_posts_removed() -> None:
    led = L.observe(L.Ledger(), "mastodon", Activity((post("1"), post("2"))), D1, complete=True)
    led = L.observe(led, "mastodon", Activity((post("1"),)), D2, complete=True)
    assert [p.key for p in L.snapshot(led, D2).posts] == ["mastodon:1"]
    assert len(L.snapshot(led, D1).posts) == 2


def test_observing_into_the_past_is_refused() -> None:
    led = L.observe(L.Ledger(), "m", Activity((post("1", likes=1),)), D2, complete=False)
    with pytest.raises(LedgerError, match="already has 2026-10-02"):
        L.observe(led, "m", Activity((post("1", likes=3),)), D1, complete=False)


def test_reconstructed_before_first_observation() -> None:
    led = L.observe(L.Ledger(), "m", Activity((post("1", likes=4),)), D3, complete=False)
    snap = L.snapshot(led, dt.date(2026, 9, 15))
    assert snap.reconstructed and snap.posts[0].metrics == {"likes": 4}
    assert not L.snapshot(led, D3).reconstructed


def test_text_is_sorted_and_deterministic(tmp_path: Path) -> None:
    a = L.observe(
        L.Ledger(), "m", Activity((post("2", likes=1), post("1", replies=2)), (Audience("m", D1, 9),)), D1, complete=False
    )
    b = L.observe(
        L.Ledger(), "m", Activity((post("1", replies=2), post("2", likes=1)), (Audience("m", D1, 9),)), D1, complete=False
    )
    assert L.dumps(a) == L.dumps(b)
    lines = L.dumps(a).splitlines()
    assert json.loads(lines[0]) == {"kind": "header", "schema": 1}
    assert all(list(json.loads(x)) == sorted(json.loads(x)) for x in lines)
    assert to_json(build(a, D1)) == to_json(build(b, D1))


def test_save_is_a_no_op_when_nothing_changed(tmp_path: Path) -> None:
    led = L.observe(L.Ledger(), "m", Activity((post("1"),)), D1, complete=False)
    assert L.save(tmp_path, led) is True
    mtime = (tmp_path / "ledger.jsonl").stat().st_mtime_ns
    assert L.save(tmp_path, led) is False
    assert (tmp_path / "ledger.jsonl").stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 3: not valid JSON"),
        ('{"kind":"gossip","source":"m","observed":"2026-10-01"}', "line 3: unknown kind 'gossip'"),
        ('{"kind":"metrics","source":"m","id":"1","observed":"2026-10-01","shares":3}', "line 3: metrics must be known names"),
        ('{"kind":"audience","source":"m","observed":"someday","followers":3}', "line 3: missing or invalid 'observed'"),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    led = L.observe(L.Ledger(), "m", Activity((post("1"),)), D1, complete=False)
    L.save(tmp_path, led)
    path = tmp_path / "ledger.jsonl"
    lines = path.read_text().splitlines()
    lines.insert(2, line)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LedgerError) as err:
        L.load(tmp_path)
    assert str(path) in err.value.message and message in err.value.message


def test_unknown_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ledger.jsonl").write_text('{"kind":"header","schema":99}\n')
    with pytest.raises(LedgerError, match="schema 99 is not supported"):
        L.load(tmp_path)


def test_an_older_schema_is_upgraded_on_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The migration path, exercised with a pretend schema 2 that renames 'likes' to 'favs'."""

    def rename(lines: list[str]) -> list[str]:
        return [line.replace('"likes":', '"favs":') for line in lines]

    led = L.observe(L.Ledger(), "m", Activity((post("1", likes=3),)), D1, complete=False)
    L.save(tmp_path, led)  # written in schema 1
    monkeypatch.setattr(L, "SCHEMA", 2)
    monkeypatch.setattr(L, "MIGRATIONS", {1: rename})
    monkeypatch.setattr(L, "METRICS", (*L.METRICS, "favs"))
    upgraded = L.load(tmp_path)
    assert [r.data for r in upgraded.records if r.kind == "metrics"] == [{"favs": 3}]
    L.save(tmp_path, upgraded)
    assert (tmp_path / "ledger.jsonl").read_text().splitlines()[0] == '{"kind":"header","schema":2}'


def test_incremental_snapshots_equal_single_snapshots() -> None:
    """The history's incremental path gives the same snapshot as asking date by date."""
    posts = [post(str(i), likes=i) for i in range(5)]
    led = L.observe(L.Ledger(), "m", Activity(tuple(posts), (Audience("m", D1, 9),)), D1, complete=False)
    led = L.observe(led, "m", Activity((post("1", likes=50), post("9", replies=2))), D3, complete=True)
    dates = [dt.date(2026, 8, 1) + dt.timedelta(days=7 * k) for k in range(12)]
    index = L.LedgerIndex(led)
    assert list(index.snapshots(dates)) == [L.LedgerIndex(led).snapshot(d) for d in dates]
