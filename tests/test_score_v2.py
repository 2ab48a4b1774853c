"""Formula v2: the blog-first reference profiles, its digest, v1 left unchanged, and a score
that no source can see engagement for saying so (report, page, badge alt text, CLI)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from test_score import FAST, make_post, snap, steady

from mkdocs_influence.model import report as R
from mkdocs_influence.model.explain import explain
from mkdocs_influence.model.formula import CURRENT, V1, V2
from mkdocs_influence.model.score import compute
from mkdocs_influence.render.bundle import alt_text
from mkdocs_influence.render.pages import history_html
from mkdocs_influence.settings import Settings
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Link, Post
from mkdocs_influence.store.ledger import PostView, Snapshot

AS_OF = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.timezone.utc)
MONTH = 365.25 / 12


def blog_post(i: int, age_days: float, metrics: dict[str, int], measured: bool = True) -> PostView:
    """A post of the blog source; ``measured``: some source (a comment system) counts its answers."""
    return dataclasses.replace(make_post(i, NOW - dt.timedelta(days=age_days), metrics, "blog"), measured=measured)


def independent_blog(visitors_a_month: int = 1500) -> list[PostView]:
    """2 posts a month for 2 years, 4 comments each (a comment system), no social accounts;
    each post read by its share of the month's visitors (views from an analytics source)."""
    views = visitors_a_month // 2
    return [blog_post(i, 3 + i * MONTH / 2, {"comments": 4, "views": views}) for i in range(48)]


def front_page(posts: list[PostView], views: int = 0) -> list[PostView]:
    """The newest post reaches the Hacker News front page: 300 points, 150 comments (and ``views`` readers)."""
    newest, rest = posts[0], posts[1:]
    metrics = {**newest.metrics, "comments": newest.metrics["comments"] + 150, "points": 300}
    if views:
        metrics["views"] = views
    return [dataclasses.replace(newest, metrics=metrics), *rest]


def sparse_blog(measured: bool = False) -> list[PostView]:
    """19 posts over three years, the last one four months ago, nobody answering."""
    return [blog_post(i, 120 + i * 52, {}, measured) for i in range(19)]


def test_v2_is_the_installed_formula() -> None:
    assert CURRENT is V2


def test_independent_blog_lands_between_35_and_55() -> None:
    result = compute(snap(independent_blog()), V2)
    assert 35 <= result.rounded <= 55
    parts = result.points()
    assert parts["conversation"] > 10 and parts["reach"] > 5  # comments and readers both count
    assert compute(snap(independent_blog()), V1).rounded < 35  # v1 saw comments and rhythm only


@pytest.mark.parametrize("views", [0, 20_000], ids=["counts only", "with 20k readers"])
def test_a_hacker_news_front_page_adds_2_to_6(views: int) -> None:
    before = compute(snap(independent_blog()), V2)
    after = compute(snap(front_page(independent_blog(), views)), V2)
    assert 2.0 <= after.value - before.value <= 6.0
    assert after.points()["resonance"] > 0  # the points are resonance
    top = next(c for c in after.components if c.name == "conversation").evidence[0]
    assert top.key == "blog:0"  # and the discussed post is named first


@pytest.mark.parametrize("measured", [False, True], ids=["blog only", "comment system, no comments"])
def test_one_more_unanswered_post_on_a_sparse_blog_adds_at_most_2(measured: bool) -> None:
    posts = sparse_blog(measured)
    one_more = [*posts, blog_post(99, 1, {}, measured)]
    gain = compute(snap(one_more), V2).value - compute(snap(posts), V2).value
    assert 0 <= gain <= 2.0
    assert compute(snap(one_more), V1).value - compute(snap(posts), V1).value > 2.0  # what v1 gave


@FAST
@given(st.lists(st.floats(1, 2000), max_size=60), st.floats(0, 6.9))
def test_v2_one_more_week_of_writing_adds_under_a_point(ages: list[float], new_age: float) -> None:
    """Rhythm counts weeks with a sublinear curve: any single new week adds < 20/27 point."""
    posts = [blog_post(i, age, {}, measured=False) for i, age in enumerate(ages)]
    gain = compute(snap([*posts, blog_post(999, new_age, {}, measured=False)]), V2).value - compute(snap(posts), V2).value
    assert gain <= V2.max_points["rhythm"] / (V2.rhythm_half_weeks + 1) + 1e-9


def test_v1_ignores_points_and_views() -> None:
    plain = steady(40, 7, {"replies": 2, "likes": 3}, 200)
    extra = dataclasses.replace(
        plain, posts=tuple(dataclasses.replace(p, metrics={**p.metrics, "points": 50, "views": 900}) for p in plain.posts)
    )
    assert compute(extra, V1).points() == compute(plain, V1).points()
    assert compute(extra, V2).value > compute(plain, V2).value


def test_the_documented_half_lives_are_the_formulas() -> None:
    """README's one-year half-life is v2's for both posts and rhythm; docs/score.md says both."""
    assert V2.post_half_life_days == V2.rhythm_half_life_days == 365.0
    readme = (ROOT / "README.md").read_text("utf-8")
    score_md = (ROOT / "docs" / "score.md").read_text("utf-8")
    assert "one-year half-life" in readme
    v2_text = score_md.split("## Formula v1")[0]
    assert "w(p)   = 0.5 ^ (age(p) / 365 days)" in v2_text
    assert "A      = Σ over ISO weeks with a post of 0.5 ^ (age(latest post that week) / 365 days)" in v2_text
    assert "rhythm = 20 · A / (A + 26)" in v2_text


# Reference profiles of docs/score.md, v2 column (v1's own are in test_score.py).
V2_PROFILES = {
    "new blog: 3 weekly posts, no engagement, no followers": (steady(3, 7, {}, 0), 1, 10),
    "steady weekly blogger: 2 years, 3 replies, 1 repost, 5 likes per post, 300 followers": (
        steady(104, 7, {"replies": 3, "reposts": 1, "likes": 5}, 300),
        38,
        55,
    ),
    "daily writer: 2 years, 100 replies, 100 reposts, 300 likes per post, 50k followers": (
        steady(730, 1, {"replies": 100, "reposts": 100, "likes": 300}, 50_000),
        80,
        100,
    ),
}


@pytest.mark.parametrize("name", list(V2_PROFILES))
def test_v2_reference_profiles(name: str) -> None:
    s, low, high = V2_PROFILES[name]
    assert low <= compute(s, V2).rounded <= high


def test_golden_v2() -> None:
    """Changing a v2 constant changes this digest: give the formula a new id instead."""
    posts = [*front_page(independent_blog(), 5000)]
    s = Snapshot(AS_OF, tuple(sorted(posts, key=lambda p: (p.published, p.key))), {"mastodon": 321}, {}, False)
    result = compute(s, V2)
    text = json.dumps({c.name: round(c.points, 9) for c in result.components}, sort_keys=True)
    assert result.formula == "v2"
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == GOLDEN_V2, text


GOLDEN_V2 = "89c7274b36a06c12"


# --- a score no source can see engagement for says so --------------------------------------


def _blog_ledger() -> L.Ledger:
    posts = tuple(Post("blog", f"p{i}", f"Post {i}", NOW - dt.timedelta(days=30 * i), measured=False) for i in range(12))
    return L.observe(L.Ledger(), "blog", Activity(posts), AS_OF, complete=True)


def _report(led: L.Ledger, sources: tuple[str, ...] | None = ("blog",), site_url: str = "") -> dict:
    return R.build(led, AS_OF, Settings(sources=sources, site_url=site_url))


def test_a_blog_with_only_its_own_posts_says_engagement_is_not_measured() -> None:
    report = _report(_blog_ledger())
    assert report["engagement_measured"] is False
    assert report["suggest"] == ["hackernews", "lobsters", "webmentions"]
    assert "Engagement is not measured" in report["engagement_note"] and "set site_url first" in report["engagement_note"]
    assert "set site_url" not in _report(_blog_ledger(), site_url="https://b.example/")["engagement_note"]
    alt = alt_text(report)
    assert alt.startswith(f"influence score: {report['score']} (engagement not measured;") and "hackernews" in alt
    page = history_html(report)
    assert re.search(r'class="influence-note influence-unmeasured"><strong>Engagement is not measured', page)
    assert "hackernews and lobsters need no key" in page


def test_readers_alone_do_not_measure_engagement() -> None:
    links = tuple(Link("blog", f"p{i}", {"views": 100 + i}) for i in range(12))
    led = L.observe(_blog_ledger(), "plausible", Activity(links=links), AS_OF, complete=False)
    report = _report(led, ("blog", "plausible"))
    assert report["engagement_measured"] is False
    assert report["components"]["reach"]["points"] > 0  # but readers are reach
    assert report["components"]["conversation"]["points"] == 0
    assert report["components"]["reach"]["evidence"][0]["detail"] == "100 views"  # the newest post weighs most
    assert "100 views" in history_html(report) and "influence-unmeasured" in history_html(report)


def test_readers_do_not_change_the_v1_history() -> None:
    """Views on every post (analytics) do not make v1 average the unanswered posts in."""
    mentioned = L.observe(
        _blog_ledger(), "webmentions", Activity(links=(Link("blog", "p1", {"replies": 5}),)), AS_OF, complete=False
    )
    links = tuple(Link("blog", f"p{i}", {"views": 100 + i}) for i in range(12))
    read = L.observe(mentioned, "plausible", Activity(links=links), AS_OF, complete=False)
    before = [(r["date"], r["value"]) for r in R.history(mentioned, AS_OF, [R.Epoch("v1")])]
    assert [(r["date"], r["value"]) for r in R.history(read, AS_OF, [R.Epoch("v1")])] == before
    assert before[-1][1] > 5


def test_a_conversation_source_measures_engagement_once_it_has_read_even_finding_none() -> None:
    never = _report(_blog_ledger(), ("blog", "hackernews"))  # configured, never read: nothing is measured
    assert never["engagement_measured"] is False and never["suggest"] == ["hackernews"]
    assert "(not read yet: hackernews)" in never["engagement_note"]
    read = {"hackernews": {"status": "ok", "since": AS_OF.isoformat(), "reason": "", "read": AS_OF.isoformat()}}
    assert R.build(_blog_ledger(), AS_OF, Settings(sources=("blog", "hackernews")), runs=read)["engagement_measured"] is True
    led = L.observe(_blog_ledger(), "webmentions", Activity(links=(Link("blog", "p1", {"replies": 2}),)), AS_OF, complete=False)
    report = _report(led, ("blog", "webmentions"))
    assert report["engagement_measured"] is True and "engagement_note" not in report
    assert alt_text(report) == f"influence score: {report['score']}"
    assert "influence-unmeasured" not in history_html(report)


def test_the_formula_change_to_v2_keeps_the_v1_line_and_marks_it() -> None:
    links = tuple(Link("blog", f"p{i}", {"comments": 3, "views": 400}) for i in range(12))
    led = L.observe(_blog_ledger(), "giscus", Activity(links=links), AS_OF, complete=False)
    change = AS_OF - dt.timedelta(days=70)
    epochs = R.adopt_current([R.Epoch("v1")], change)
    assert epochs == [R.Epoch("v1"), R.Epoch("v2", change)]
    report = R.build(led, AS_OF, Settings(), epochs)
    assert report["formula"] == "v2" and report["formula_changes"] == [{"formula": "v2", "since": change.isoformat()}]
    v1 = [r for r in report["history"] if r["formula"] == "v1"]
    v2 = [r for r in report["history"] if r["formula"] == "v2"]
    assert v1[-1]["date"] < change.isoformat() <= v2[-1]["date"] and v1[0]["date"] == v2[0]["date"]
    # the v1 line is v1's own history, unchanged by the views v1 does not count
    alone = {r["date"]: r["value"] for r in R.history(led, AS_OF, [R.Epoch("v1")])}
    assert all(r["value"] == alone[r["date"]] for r in v1)


def test_explain_names_the_post_whose_readers_moved_reach() -> None:
    first = tuple(Link("blog", f"p{i}", {"views": 100}) for i in range(12))
    led = L.observe(_blog_ledger(), "plausible", Activity(links=first), AS_OF - dt.timedelta(days=30), complete=False)
    more = (*first[:3], Link("blog", "p3", {"views": 5000}), *first[4:])
    led = L.observe(led, "plausible", Activity(links=more), AS_OF, complete=False)
    data = explain(led, AS_OF - dt.timedelta(days=30), AS_OF, V2)
    reach = next(c for c in data["components"] if c["name"] == "reach")
    assert reach["movers"][0]["reason"] == "'Post 3' views 100 → 5000"
    assert "unchanged" in reach["movers"][1]["reason"]


def test_a_single_discussed_post_is_averaged_with_the_posts_nobody_discussed() -> None:
    """Hacker News looked at every post and found one: v2 averages over all the blog's posts
    (the others are zeros), so one front-page thread adds a few points, not a score of its own."""
    before = _report(_blog_ledger(), ("blog", "hackernews"))
    thread = (Link("blog", "p1", {"comments": 150, "points": 300}),)
    led = L.observe(_blog_ledger(), "hackernews", Activity(links=thread), AS_OF, complete=False)
    after = _report(led, ("blog", "hackernews"))
    assert 0 < after["value"] - before["value"] <= 6.0
    v1 = [R.build(ledger, AS_OF, Settings(sources=("blog", "hackernews")), [R.Epoch("v1")]) for ledger in (_blog_ledger(), led)]
    assert v1[1]["value"] - v1[0]["value"] > 2 * (after["value"] - before["value"])  # v1 averaged over that post alone
    rows = [r for r in after["history"] if r["formula"] == "v2"]
    assert rows[-1]["value"] == after["value"]
