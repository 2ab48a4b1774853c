"""The history's incremental score (mkdocs_influence.model.rolling) equals the direct one."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_influence.model import report as R
from mkdocs_influence.model.formula import FORMULAS, V1, Formula
from mkdocs_influence.model.rolling import RollingScore, fits
from mkdocs_influence.model.score import points
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Link, Post

START = dt.date(2024, 1, 1)
KINDS = ("replies", "reposts", "likes", "comments", "quotes", "points", "views")
counts = st.dictionaries(st.sampled_from(KINDS), st.integers(0, 300), max_size=3)


@st.composite
def ledgers(draw: st.DrawFn) -> L.Ledger:
    """Several runs of a measured source, a complete unmeasured one (posts come and go)
    and webmention-style links: counts grow and shrink, dates move, posts are removed."""
    led = L.Ledger()
    runs = draw(st.integers(1, 6))
    for run in range(runs):
        day = START + dt.timedelta(days=draw(st.integers(0, 40)) + 60 * run)
        social = []
        for i in draw(st.lists(st.integers(0, 12), max_size=10, unique=True)):
            published = dt.datetime(2023, 6, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=draw(st.integers(0, 24 * 420)))
            social.append(Post("mastodon", str(i), f"Toot {i}", published, metrics=draw(counts)))
        blog = []
        for i in draw(st.lists(st.integers(0, 8), max_size=8, unique=True)):
            published = dt.datetime(2023, 3, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=draw(st.integers(0, 500)))
            blog.append(Post("blog", f"p{i}", f"Post {i}", published, measured=False))
        links = tuple(Link("blog", f"p{i}", draw(counts)) for i in draw(st.lists(st.integers(0, 8), max_size=4, unique=True)))
        followers = (Audience("mastodon", day, draw(st.integers(0, 5000))),)
        led = L.observe(led, "mastodon", Activity(tuple(social), followers), day, complete=False)
        led = L.observe(led, "blog", Activity(tuple(blog)), day, complete=True)
        led = L.observe(led, "webmentions", Activity(links=links), day, complete=False)
    return led


@pytest.mark.parametrize("f", list(FORMULAS.values()), ids=list(FORMULAS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_rolling_history_equals_direct_points(f: Formula, led: L.Ledger) -> None:
    latest = led.latest_date()
    if latest is None:
        return
    as_of = latest + dt.timedelta(days=20)
    dates = R.history_dates(led, as_of)
    rows = R.history(led, as_of, [R.Epoch(f.id)])
    direct = L.LedgerIndex(led).snapshots(dates)
    assert [r["date"] for r in rows] == [d.isoformat() for d in dates]
    for row, snap in zip(rows, direct, strict=True):
        value, parts = points(snap, f)
        assert abs(row["value"] - value) <= 1e-9, row["date"]
        for name, amount in parts.items():
            assert abs(row["components"][name] - amount) <= 1e-9, (row["date"], name)
        assert row["reconstructed"] == snap.reconstructed
    assert rows[-1]["value"] == points(L.LedgerIndex(led).snapshot(as_of), f)[0]  # the headline row is exact


def test_rolling_score_follows_removals_and_changes() -> None:
    """Feeding a post, changing it and taking it away returns the score to where it was."""
    as_of = dt.date(2026, 11, 22)
    led = L.observe(
        L.Ledger(),
        "mastodon",
        Activity((Post("mastodon", "1", "a", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), metrics={"likes": 3}),)),
        as_of,
        complete=False,
    )
    view = L.LedgerIndex(led).snapshot(as_of).posts[0]
    bigger = L.PostView(**{**view.__dict__, "metrics": {"likes": 90, "replies": 4}})
    roll = RollingScore(V1, [view, bigger], view.published.timestamp())
    empty = roll.points(as_of, {})
    roll.update(None, view)
    one = roll.points(as_of, {})
    roll.update(view, bigger)
    assert roll.points(as_of, {})[0] > one[0] > empty[0]
    roll.update(bigger, None)
    assert abs(roll.points(as_of, {})[0] - empty[0]) <= 1e-12


def test_decay_factors_that_would_overflow_fall_back_to_the_direct_path(monkeypatch) -> None:
    """Centuries of history (a bogus publication date) would overflow the separable decay:
    then every row comes from the direct path, with the same numbers."""
    from mkdocs_influence.model import rolling

    ancient = dt.datetime(1066, 10, 14, tzinfo=dt.timezone.utc).timestamp()
    assert not fits(V1, ancient, dt.date(2026, 11, 22))
    when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    posts = tuple(Post("mastodon", str(i), "t", when + dt.timedelta(days=9 * i), metrics={"likes": i}) for i in range(20))
    led = L.observe(L.Ledger(), "mastodon", Activity(posts), dt.date(2026, 11, 1), complete=False)
    as_of = dt.date(2026, 11, 22)
    rolled = R.history(led, as_of, [R.Epoch(V1.id)])
    monkeypatch.setattr(rolling, "MAX_DOUBLINGS", 0.5)
    direct = R.history(led, as_of, [R.Epoch(V1.id)])
    assert [r["score"] for r in direct] == [r["score"] for r in rolled]
    assert max(abs(a["value"] - b["value"]) for a, b in zip(direct, rolled, strict=True)) <= 1e-9
