"""Fuzzing the parsers: feeds, activity files, API JSON, front matter (>= 10,000 cases in all).

Whatever the input, no traceback escapes: a bad item gives one clear line naming the
source and item, and the other items still load.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from mkdocs_influence.errors import InfluenceError
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import Context
from mkdocs_influence.sources.blog import read_post, split_front_matter
from mkdocs_influence.sources.bluesky import feed_post
from mkdocs_influence.sources.devto import article_post
from mkdocs_influence.sources.feed import parse_feed
from mkdocs_influence.sources.mastodon import status_post
from mkdocs_influence.store.activity import checked_count, parse_activity
from mkdocs_influence.store.ledger import Ledger, observe

CASES = 2500  # per test; four tests: 10,000 cases
FUZZ = settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck))

json_scalars = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
good_post = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=10), "published": st.dates().map(dt.date.isoformat), "title": st.text(max_size=40)},
    optional={
        "tags": st.lists(st.text(max_size=15), max_size=4),
        "metrics": st.dictionaries(st.sampled_from(["likes", "replies", "shares"]), st.integers(-3, 50), max_size=3),
        "text": st.text(max_size=80),
    },
)


def _one_line(exc: InfluenceError) -> None:
    assert "\n" not in exc.message and exc.message.strip() and "Traceback" not in exc.message


@FUZZ
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries({"posts": st.lists(good_post | json_values, max_size=5)}, optional={"audience": json_values}),
    )
)
def test_activity_files(data: object) -> None:
    try:
        activity = parse_activity(data, "fuzz.json")
    except InfluenceError as exc:
        _one_line(exc)
        assert "fuzz.json" in exc.message
        return
    warnings: list[str] = []
    ledger = observe(Ledger(), "file", activity, dt.date(2026, 1, 1), complete=False, warnings=warnings)
    for post in activity.posts:
        assert post.published.tzinfo is not None
    for record in ledger.of_kind("metrics"):  # values are checked where they enter the ledger
        assert all(checked_count(v) is None for v in record.data.values())
    bad = sum(checked_count(v) is not None for p in activity.posts for v in p.metrics.values())
    assert len([w for w in warnings if "dropped" in w]) == bad


ITEMS = {
    "mastodon": (status_post, {"id": "1", "created_at": "2026-01-01T00:00:00.000Z", "content": "<p>hi</p>", "replies_count": 1}),
    "bluesky": (
        lambda item, where: feed_post(item, "did:me", "me.example", where),
        {
            "post": {
                "uri": "at://did:me/app.bsky.feed.post/abc",
                "author": {"did": "did:me"},
                "record": {"text": "hi", "createdAt": "2026-01-01T00:00:00Z"},
            }
        },
    ),
    "devto": (
        article_post,
        {"id": 1, "title": "t", "published_at": "2026-01-01T00:00:00Z", "tag_list": ["a"], "comments_count": 2},
    ),
}


@FUZZ
@given(st.sampled_from(sorted(ITEMS)), st.dictionaries(st.text(max_size=15), json_values, max_size=6), st.booleans())
def test_api_items(kind: str, noise: dict, merge: bool) -> None:
    """Each API's item parser on random JSON (alone, or merged over a valid item)."""
    parse, valid = ITEMS[kind]
    item = {**valid, **noise} if merge else noise
    try:
        parse(item, f"{kind}: item 1")
    except InfluenceError as exc:
        _one_line(exc)
    except (KeyError, TypeError, ValueError, AttributeError):
        pass  # the source loop turns these into "skipped an item: …" warnings (tested below)


def test_api_item_errors_become_warnings_per_item(httpserver: HTTPServer) -> None:
    """The sources catch per-item errors: one bad item is reported, the others load."""
    import asyncio

    from mkdocs_influence.net.http import Http, client
    from mkdocs_influence.sources import SourceSpec
    from mkdocs_influence.sources.devto import DevtoSource

    page = [ITEMS["devto"][1], {"id": 2, "title": None, "published_at": "not a date"}, {**ITEMS["devto"][1], "id": 3}]
    httpserver.expect_request("/api/articles").respond_with_json(page)
    source = DevtoSource(SourceSpec("devto", "me", {"base_url": httpserver.url_for("/")}))
    ctx = Context(SiteInfo(Path("."), Path(".")), dt.date(2026, 2, 1))

    async def collect() -> typing.Any:
        async with client() as http_client:
            return await source.collect_async(ctx, Http(http_client, "devto"))

    result = asyncio.run(collect())
    assert [p.id for p in result.activity.posts] == ["1", "3"]
    assert len(result.warnings) == 1 and result.warnings[0].startswith("devto: skipped an article: devto: article 2")


feed_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200)


@FUZZ
@given(
    st.one_of(
        feed_text.map(str.encode),
        st.builds(
            lambda title, date, body: (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>{title}</title>'
                f"<pubDate>{date}</pubDate><guid>g</guid>{body}</item></channel></rss>"
            ).encode("utf-8", "replace"),
            feed_text,
            st.sampled_from(["Mon, 01 Jan 2024 10:00:00 GMT", "yesterday", ""]),
            feed_text,
        ),
    )
)
def test_feeds(body: bytes) -> None:
    try:
        posts, warnings, _ = parse_feed(body, "http://feed.example/")
    except InfluenceError as exc:
        _one_line(exc)
        return
    assert all(p.published.tzinfo is not None for p in posts)
    assert all("\n" not in w for w in warnings)


@FUZZ
@given(
    st.one_of(
        feed_text,
        st.builds(lambda fm, body: f"---\n{fm}\n---\n{body}", feed_text, feed_text),
        st.builds(
            lambda d, t: f"---\ndate: {d}\ntitle: {json.dumps(t)}\ntags: [{json.dumps(t)}]\n---\n# H\n",
            st.text(max_size=20),
            feed_text,
        ),
    )
)
def test_front_matter(text: str) -> None:
    try:
        meta, body = split_front_matter(text, "blog/posts/x.md")
    except InfluenceError as exc:
        _one_line(exc)
        assert "blog/posts/x.md" in exc.message
        return
    assert isinstance(meta, dict) and isinstance(body, str)


def test_read_post_reports_the_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "blog/posts").mkdir(parents=True)
    bad = docs / "blog/posts/bad.md"
    bad.write_text("---\ndate: [unclosed\n---\n# x\n")
    ctx = Context(SiteInfo(docs, tmp_path), dt.date(2026, 1, 1))
    try:
        read_post(bad, docs, ctx)
    except InfluenceError as exc:
        assert exc.message.startswith("blog/posts/bad.md line ") and "invalid front matter" in exc.message
    else:
        raise AssertionError("no error")
