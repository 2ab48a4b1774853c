"""The promised properties of every formula, each proven (hypothesis where universal); v1's profiles and digest.

v2's reference profiles and digest are in ``test_score_v2.py``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import statistics

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mkdocs_influence.model.formula import FORMULAS, V1, Formula
from mkdocs_influence.model.score import compute, interactions
from mkdocs_influence.store.ledger import PostView, Snapshot

AS_OF = dt.date(2026, 11, 22)
KINDS = ("comments", "replies", "mentions", "quotes", "reposts", "bookmarks", "likes", "points", "views")
#: Every guarantee holds for every formula, old ones included (their history is still drawn).
EVERY_FORMULA = pytest.mark.parametrize("f", list(FORMULAS.values()), ids=list(FORMULAS))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_post(i: int, when: dt.datetime, metrics: dict[str, int], source: str = "mastodon") -> PostView:
    return PostView(f"{source}:{i}", source, f"Post {i}", f"https://x.example/{i}", "", when, (), "en", {}, metrics, False)


def snap(posts: list[PostView], followers: dict[str, int] | None = None, as_of: dt.date = AS_OF) -> Snapshot:
    return Snapshot(as_of, tuple(sorted(posts, key=lambda p: (p.published, p.key))), followers or {}, {}, False)


def steady(n: int, every_days: float, metrics: dict[str, int], followers: int, as_of: dt.date = AS_OF) -> Snapshot:
    end = dt.datetime(as_of.year, as_of.month, as_of.day, 10, tzinfo=dt.timezone.utc)
    posts = [make_post(i, end - dt.timedelta(days=1 + i * every_days), dict(metrics)) for i in range(n)]
    return snap(posts, {"mastodon": followers} if followers else {}, as_of)


def later(s: Snapshot, days: int) -> Snapshot:
    return dataclasses.replace(s, as_of=s.as_of + dt.timedelta(days=days))


metric_dicts = st.dictionaries(st.sampled_from(KINDS), st.integers(0, 500), max_size=4)


@st.composite
def snapshots(draw: st.DrawFn, min_posts: int = 0) -> Snapshot:
    n = draw(st.integers(min_posts, 40))
    posts = []
    for i in range(n):
        age = draw(st.floats(0, 2000))
        when = dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc) - dt.timedelta(days=age)
        posts.append(make_post(i, when, draw(metric_dicts), draw(st.sampled_from(["mastodon", "blog", "bluesky"]))))
    followers = draw(st.dictionaries(st.sampled_from(["mastodon", "bluesky"]), st.integers(0, 2_000_000), max_size=2))
    return snap(posts, followers)


@st.composite
def steady_bloggers(draw: st.DrawFn) -> Snapshot:
    """Someone with a regular history: a post every 1-14 days for 3 months to 5 years."""
    every = draw(st.integers(1, 14))
    n = draw(st.integers(max(8, 90 // every), max(9, 1800 // every)))
    base = draw(metric_dicts)
    end = dt.datetime(2026, 11, 21, 12, tzinfo=dt.timezone.utc)
    posts = []
    for i in range(n):
        jitter = draw(st.integers(0, 3))
        metrics = {k: max(0, v + jitter - 1) for k, v in base.items()}
        posts.append(make_post(i, end - dt.timedelta(days=i * every), metrics))
    return snap(posts, {"mastodon": draw(st.integers(0, 100_000))})


@EVERY_FORMULA
@FAST
@given(snapshots())
def test_range_and_additive_explanation(f: Formula, s: Snapshot) -> None:
    result = compute(s, f)
    assert 1 <= result.rounded <= 100
    assert 1.0 <= result.value <= 100.0
    assert abs(sum(c.points for c in result.components) - result.value) <= 1e-9
    for c in result.components:
        assert c.points >= 0
        assert all(0 < e.share <= 1 + 1e-12 for e in c.evidence)


@EVERY_FORMULA
@FAST
@given(steady_bloggers())
def test_vacation_proof(f: Formula, s: Snapshot) -> None:
    now = compute(s, f).value
    assert now - compute(later(s, 7), f).value <= 1.0
    assert now - compute(later(s, 30), f).value <= 3.0


@EVERY_FORMULA
@FAST
@given(snapshots(min_posts=1))
def test_volume_does_not_pay(f: Formula, s: Snapshot) -> None:
    """Posting as much again, in the same weeks, with no engagement: at most +1."""
    extra = [make_post(10_000 + i, p.published + dt.timedelta(hours=1), {}, p.source) for i, p in enumerate(s.posts)]
    assume(all(p.published.isocalendar()[:2] == (p.published - dt.timedelta(hours=1)).isocalendar()[:2] for p in extra))
    doubled = dataclasses.replace(s, posts=tuple(sorted((*s.posts, *extra), key=lambda p: (p.published, p.key))))
    assert compute(doubled, f).value - compute(s, f).value <= 1.0


@EVERY_FORMULA
@FAST
@given(steady_bloggers())
def test_one_outlier_is_bounded(f: Formula, s: Snapshot) -> None:
    med = statistics.median(interactions(p.metrics, f) for p in s.posts)
    viral = max(1, round(100 * med / f.weights["replies"]))
    newest = s.posts[-1]
    boosted = make_post(99_999, newest.published + dt.timedelta(hours=2), {"replies": viral})
    with_outlier = dataclasses.replace(s, posts=(*s.posts, boosted))
    assert compute(with_outlier, f).value - compute(s, f).value <= 5.0


@EVERY_FORMULA
@FAST
@given(snapshots(min_posts=1), st.data())
def test_monotonic_in_every_count_and_followers(f: Formula, s: Snapshot, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(s.posts) - 1))
    kind = data.draw(st.sampled_from(KINDS))
    more = data.draw(st.integers(1, 1000))
    p = s.posts[i]
    bumped = dataclasses.replace(p, metrics={**p.metrics, kind: p.metrics.get(kind, 0) + more})
    s2 = dataclasses.replace(s, posts=(*s.posts[:i], bumped, *s.posts[i + 1 :]))
    assert compute(s2, f).value >= compute(s, f).value - 1e-9
    src = data.draw(st.sampled_from(["mastodon", "bluesky"]))
    s3 = dataclasses.replace(s, followers={**s.followers, src: s.followers.get(src, 0) + more})
    assert compute(s3, f).value >= compute(s, f).value - 1e-9


@EVERY_FORMULA
@FAST
@given(snapshots(min_posts=1), st.data())
def test_reply_beats_repost_beats_like(f: Formula, s: Snapshot, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(s.posts) - 1))
    p = s.posts[i]

    def add(kind: str) -> float:
        bumped = dataclasses.replace(p, metrics={**p.metrics, kind: p.metrics.get(kind, 0) + 1})
        return compute(dataclasses.replace(s, posts=(*s.posts[:i], bumped, *s.posts[i + 1 :])), f).value

    reply, repost, like = add("replies"), add("reposts"), add("likes")
    assert reply >= repost - 1e-9 and repost >= like - 1e-9


@EVERY_FORMULA
def test_reply_strictly_beats_repost_beats_like_for_a_typical_blogger(f: Formula) -> None:
    s = steady(20, 7, {"replies": 2, "reposts": 1, "likes": 4}, 300)
    p = s.posts[-1]
    gains = []
    for kind in ("replies", "reposts", "likes"):
        bumped = dataclasses.replace(p, metrics={**p.metrics, kind: p.metrics[kind] + 1})
        gains.append(compute(dataclasses.replace(s, posts=(*s.posts[:-1], bumped)), f).value - compute(s, f).value)
    assert gains[0] > gains[1] > gains[2] > 0


@EVERY_FORMULA
def test_audience_carries_at_most_15_percent(f: Formula) -> None:
    assert f.max_points["reach"] / sum(f.max_points.values()) <= 0.15
    huge = steady(1, 7, {}, 10**9)
    assert compute(huge, f).points()["reach"] == pytest.approx(15.0)


# Reference profiles, published in docs/score.md with the same numbers.
PROFILES = {
    "new blog: 3 weekly posts, no engagement, no followers": (steady(3, 7, {}, 0), 10, 20),
    "steady weekly blogger: 2 years, 3 replies, 1 repost, 5 likes per post, 300 followers": (
        steady(104, 7, {"replies": 3, "reposts": 1, "likes": 5}, 300),
        35,
        50,
    ),
    "daily writer: 2 years, 100 replies, 100 reposts, 300 likes per post, 50k followers": (
        steady(730, 1, {"replies": 100, "reposts": 100, "likes": 300}, 50_000),
        80,
        100,
    ),
    "lapsed blogger: the weekly blogger, silent for a year": (
        later(steady(104, 7, {"replies": 3, "reposts": 1, "likes": 5}, 300), 365),
        20,
        35,
    ),
}


@pytest.mark.parametrize("name", list(PROFILES))
def test_calibrated_reference_profiles(name: str) -> None:
    s, low, high = PROFILES[name]
    assert low <= compute(s, V1).rounded <= high


@EVERY_FORMULA
def test_no_cross_user_normalisation(f: Formula) -> None:
    """Another blogger's data cannot change mine: the score is a function of my snapshot only."""
    mine = steady(30, 7, {"replies": 1}, 100)
    first = compute(mine, f).value
    compute(steady(500, 1, {"likes": 900}, 10**6), f)
    assert compute(mine, f).value == first


def test_golden_v1() -> None:
    """Changing a v1 constant changes this digest: give the formula a new id instead."""
    s = steady(60, 5, {"replies": 2, "comments": 1, "reposts": 3, "likes": 7, "quotes": 1}, 1234)
    result = compute(s, V1)
    text = json.dumps({c.name: round(c.points, 9) for c in result.components}, sort_keys=True)
    assert result.formula == "v1"
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == GOLDEN_V1, text


GOLDEN_V1 = "a2ab6c84c0ebb649"


@EVERY_FORMULA
@FAST
@given(snapshots())
def test_fast_points_equal_compute(f: Formula, s: Snapshot) -> None:
    """The history's fast path gives exactly the numbers of the explained score."""
    from mkdocs_influence.model.score import points

    value, parts = points(s, f)
    full = compute(s, f)
    assert value == full.value
    assert parts == full.points()
