"""Issue 17: network sources lose nothing over time and keep old posts' counts fresh.

Multi-run tests against loopback servers (pytest-httpserver) that answer like the real APIs
(webmention.io's ``since_id``/``page``/``sort-dir``, Bluesky's ``getPosts``, Mastodon's
``statuses?id[]=``), replaying the recorded answers in tests/fixtures where one exists.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_influence.shells.pipeline import NetSettings, UpdateResult, update
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import parse_specs
from mkdocs_influence.store import ledger as L

DAY1 = dt.date(2026, 11, 1)


def site(tmp_path: Path) -> SiteInfo:
    (tmp_path / "docs").mkdir(exist_ok=True)
    return SiteInfo(docs_dir=tmp_path / "docs", config_dir=tmp_path, site_url="https://blog.example/")


def run(tmp_path: Path, sources: list, as_of: dt.date = DAY1, **net: Any) -> UpdateResult:
    net = {"wait_budget": 5.0, "min_wait": 0.01, "backoff": 0.01, "cache_dir": tmp_path / "cache", **net}
    return update(site(tmp_path), parse_specs(sources), tmp_path / "data", as_of, net=NetSettings(**net))


def write_post(tmp_path: Path, slug: str, date: str = "2026-05-04") -> None:
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / f"{slug}.md").write_text(f"---\ndate: {date}\n---\n\n# {slug}\n\nText about {slug}.\n")


def counts(tmp_path: Path, as_of: dt.date) -> dict[str, dict[str, int]]:
    snap = L.snapshot(L.load(tmp_path / "data"), as_of)
    return {p.title: dict(p.metrics) for p in snap.posts}


# --- a webmention.io stand-in ---------------------------------------------------------


class Mentions:
    """webmention.io's ``/api/mentions.jf2``: ``since_id``, 0-based ``page``, ``per-page``, ``sort-dir``."""

    def __init__(self, server: HTTPServer) -> None:
        self.children: list[dict] = []
        self.asked: list[dict[str, str]] = []
        server.expect_request("/api/mentions.jf2").respond_with_handler(self.answer)

    def add(self, prop: str, target: str, source: str | None = None) -> int:
        wm_id = 1000 + len(self.children)
        url = target if target.startswith("http") else f"https://blog.example/blog/posts/{target}/"
        self.children.append(
            {
                "type": "entry",
                "author": {"type": "card", "name": "Someone Else", "url": "https://someone.example/"},
                "wm-id": wm_id,
                "wm-property": prop,
                "wm-source": source or f"https://someone.example/notes/{wm_id}",
                "wm-target": url,
                "wm-received": "2026-10-01T10:00:00Z",
            }
        )
        return wm_id

    def answer(self, request: Request) -> Response:
        args = dict(request.args)
        self.asked.append(args)
        since = int(args.get("since_id") or 0)
        rows = sorted((c for c in self.children if c["wm-id"] > since), key=lambda c: c["wm-id"])
        if args.get("sort-dir") != "up":
            rows.reverse()
        per, page = int(args.get("per-page", 20)), int(args.get("page", 0))
        body = {"type": "feed", "name": "Webmentions", "children": rows[page * per : (page + 1) * per]}
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def wm(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> tuple[Mentions, dict]:
    monkeypatch.setenv("WM_TOKEN", "t0ken-for-tests")
    entry = {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": httpserver.url_for("").rstrip("/")}
    return Mentions(httpserver), entry


def test_first_run_with_blog_counts_the_backlog(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    """[blog, webmentions] from the start: run 1 counts the mentions (it used to count 0, forever)."""
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    for prop in ("in-reply-to", "like-of", "like-of", "repost-of"):
        server.add(prop, "onion-skins")
    result = run(tmp_path, ["blog", entry])
    assert [o.status for o in result.outcomes] == ["ok", "ok"], result.outcomes
    assert counts(tmp_path, DAY1) == {"onion-skins": {"replies": 1, "likes": 2, "reposts": 1}}
    assert L.state(L.load(tmp_path / "data"), "webmentions", "since_id") == 1003
    assert server.asked[0]["sort-dir"] == "up" and "since_id" not in server.asked[0]
    # the no-change re-run: one request, nothing written
    before = (tmp_path / "data" / "ledger.jsonl").read_bytes()
    server.asked.clear()
    result = run(tmp_path, ["blog", entry], DAY1 + dt.timedelta(days=1))
    assert len(server.asked) == 1 and server.asked[0]["since_id"] == "1003"
    assert (tmp_path / "data" / "ledger.jsonl").read_bytes() == before


def test_mentions_of_a_page_that_is_not_yet_a_post_wait_for_it(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    server.add("like-of", "alum")
    server.add("like-of", "alum")
    server.add("in-reply-to", "onion-skins")
    result = run(tmp_path, ["blog", entry])
    assert any("kept as counts per page" in w for w in result.outcomes[1].warnings)
    assert counts(tmp_path, DAY1) == {"onion-skins": {"replies": 1}}
    pending = L.state(L.load(tmp_path / "data"), "webmentions", "pending")
    assert pending == {"blog.example/blog/posts/alum": {"likes": 2}}  # the shared canonical form (urls.canonical)
    assert "Someone" not in (tmp_path / "data" / "ledger.jsonl").read_text()  # counts only, no identities
    # the post is published later: it receives the two likes, and nothing is pending any more
    write_post(tmp_path, "alum", "2026-11-02")
    day2 = DAY1 + dt.timedelta(days=2)
    run(tmp_path, ["blog", entry], day2)
    assert counts(tmp_path, day2) == {"onion-skins": {"replies": 1}, "alum": {"likes": 2}}
    assert L.state(L.load(tmp_path / "data"), "webmentions", "pending") is None


def test_bridgy_rules_per_silo_and_one_count_per_source_url(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    bridgy = "https://brid.gy/{}/{}/someone/123/456"
    server.add("like-of", "onion-skins", bridgy.format("like", "mastodon"))  # mastodon read directly: dropped
    server.add("repost-of", "onion-skins", "https://www.brid.gy/repost/bluesky/someone/1/2")  # dropped
    server.add("in-reply-to", "onion-skins", "https://brid-gy.appspot.com/comment/mastodon/someone/1/3")  # dropped
    server.add("mention-of", "onion-skins", bridgy.format("post", "mastodon"))  # someone else's post: kept
    server.add("in-reply-to", "onion-skins", bridgy.format("comment", "twitter"))  # archive has no replies: kept
    server.add("like-of", "onion-skins", bridgy.format("like", "twitter"))  # the archive counts it: dropped
    server.add("like-of", "onion-skins", bridgy.format("like", "github"))  # a silo not read: kept
    server.add("like-of", "onion-skins", "https://www.brid.gy/like/github/someone/123/456")  # the same like again
    archive = tmp_path / "archive" / "data"
    archive.mkdir(parents=True)
    (archive / "tweets.js").write_text("window.YTD.tweets.part0 = []")
    sources = [
        "blog",
        entry,
        {"mastodon": "@me@social.example", "base_url": "http://127.0.0.1:9"},
        {"bluesky": "me.example", "base_url": "http://127.0.0.1:9"},
        {"x-archive": "archive"},
    ]
    result = run(tmp_path, sources, max_requests=1)
    wm_outcome = result.outcomes[1]
    assert wm_outcome.status == "ok", wm_outcome.message
    assert counts(tmp_path, DAY1) == {"onion-skins": {"mentions": 1, "replies": 1, "likes": 1}}
    assert any("4 Bridgy mentions dropped" in w for w in wm_outcome.warnings)
    assert any("1 mentions from a source URL already counted" in w for w in wm_outcome.warnings)


def test_bridgy_likes_are_kept_when_the_silo_is_not_read(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    server.add("like-of", "onion-skins", "https://brid.gy/like/mastodon/someone/1/2")
    run(tmp_path, ["blog", entry])
    assert counts(tmp_path, DAY1) == {"onion-skins": {"likes": 1}}


def test_a_walk_stopped_half_way_resumes_next_run(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    for _ in range(250):
        server.add("like-of", "onion-skins")
    # day 1: the first full read stops after 2 pages; the old counts (none) stay, the rebuild is saved
    result = run(tmp_path, ["blog", entry], max_requests=2)
    assert result.outcomes[1].status == "ok"
    assert any("resumes next run" in w for w in result.outcomes[1].warnings)
    assert counts(tmp_path, DAY1) == {"onion-skins": {}}
    rebuild = L.state(L.load(tmp_path / "data"), "webmentions", "rebuild")
    assert rebuild["after"] == 1199
    # day 2: it goes on from mention 1199 and completes: every like counted once
    server.asked.clear()
    day2 = DAY1 + dt.timedelta(days=1)
    run(tmp_path, ["blog", entry], day2, max_requests=2)
    assert server.asked[0]["since_id"] == "1199"
    assert counts(tmp_path, day2) == {"onion-skins": {"likes": 250}}
    ledger = L.load(tmp_path / "data")
    assert L.state(ledger, "webmentions", "since_id") == 1249 and L.state(ledger, "webmentions", "rebuild") is None
    # day 3: 150 new likes, an incremental walk stopped after one page keeps that page, resumes on day 4
    for _ in range(150):
        server.add("like-of", "onion-skins")
    day3, day4 = day2 + dt.timedelta(days=1), day2 + dt.timedelta(days=2)
    run(tmp_path, ["blog", entry], day3, max_requests=1)
    assert counts(tmp_path, day3) == {"onion-skins": {"likes": 350}}
    run(tmp_path, ["blog", entry], day4, max_requests=1)
    assert counts(tmp_path, day4) == {"onion-skins": {"likes": 400}}


def test_a_deleted_mention_is_seen_by_the_monthly_re_read(tmp_path: Path, wm: tuple[Mentions, dict]) -> None:
    server, entry = wm
    write_post(tmp_path, "onion-skins")
    for _ in range(3):
        server.add("in-reply-to", "onion-skins")
    run(tmp_path, ["blog", entry])
    assert counts(tmp_path, DAY1) == {"onion-skins": {"replies": 3}}
    del server.children[1]  # its author deleted the reply: since_id never shows that
    later = DAY1 + dt.timedelta(days=10)
    run(tmp_path, ["blog", entry], later)
    assert counts(tmp_path, later) == {"onion-skins": {"replies": 3}}
    server.asked.clear()
    month = DAY1 + dt.timedelta(days=30)
    run(tmp_path, ["blog", entry], month)
    assert "since_id" not in server.asked[0]  # the whole history, read again
    assert counts(tmp_path, month) == {"onion-skins": {"replies": 2}}
    assert L.state(L.load(tmp_path / "data"), "webmentions", "full_read") == month.isoformat()


# --- counts on older posts stay fresh: Bluesky getPosts, Mastodon statuses?id[] -------

from conftest import FIXTURES  # noqa: E402

from mkdocs_influence.sources import _refresh  # noqa: E402

BSKY_DID = "did:plc:wpe35pganb6d4pg4ekmfy6u5"
BSKY_DAY1 = dt.date(2025, 5, 20)


class Bluesky:
    """The public AppView, replaying the recorded profile and feed; ``getPosts`` answers from the same posts."""

    def __init__(self, server: HTTPServer) -> None:
        self.profile = json.loads((FIXTURES / "bluesky/getProfiles_chriskenny.json").read_text())["profiles"][0]
        self.feed = json.loads((FIXTURES / "bluesky/getAuthorFeed_chriskenny.json").read_text())
        self.views = {i["post"]["uri"]: i["post"] for i in self.feed["feed"]}
        self.first_page = len(self.feed["feed"])
        self.paths: list[str] = []
        self.asked_uris: list[list[str]] = []
        for path in ("getProfile", "getAuthorFeed", "getPosts"):
            server.expect_request(f"/xrpc/app.bsky.{'actor' if path == 'getProfile' else 'feed'}.{path}").respond_with_handler(
                self.answer
            )

    def answer(self, request: Request) -> Response:
        name = request.path.rsplit(".", 1)[-1]
        self.paths.append(name)
        if name == "getProfile":
            body: Any = self.profile
        elif name == "getAuthorFeed":
            assert request.args["filter"] == "posts_and_author_threads"
            items = [] if request.args.get("cursor") else self.feed["feed"][: self.first_page]
            body = {"feed": items, **({"cursor": "2024-03-21T23:36:16.378Z"} if items else {})}
        else:
            uris = request.args.getlist("uris")
            assert len(uris) <= 25
            self.asked_uris.append(uris)
            body = {"posts": [self.views[u] for u in uris if u in self.views]}
        return Response(json.dumps(body), content_type="application/json")

    def like(self, rkey: str) -> None:
        view = next(v for u, v in self.views.items() if u.endswith(rkey))
        view["likeCount"] = view.get("likeCount", 0) + 1


@pytest.fixture
def bsky(httpserver: HTTPServer) -> tuple[Bluesky, dict]:
    return Bluesky(httpserver), {"bluesky": "chriskenny.bsky.social", "base_url": httpserver.url_for("").rstrip("/")}


def likes(tmp_path: Path, as_of: dt.date, source: str) -> dict[str, int]:
    snap = L.snapshot(L.load(tmp_path / "data"), as_of)
    return {p.key.split(":", 1)[1]: p.metrics.get("likes", 0) for p in snap.posts if p.source == source}


def test_bluesky_a_like_on_an_old_post_shows_after_a_month(tmp_path: Path, bsky: tuple[Bluesky, dict]) -> None:
    server, entry = bsky
    run(tmp_path, [entry], BSKY_DAY1)
    assert server.paths == ["getProfile", "getAuthorFeed", "getAuthorFeed"]  # the first walk goes to the end
    first = likes(tmp_path, BSKY_DAY1, "bluesky")
    assert first["3koakqbeoil22"] == 0
    # the no-change re-run: one request per endpoint (profile, first page), nothing written
    before = (tmp_path / "data" / "ledger.jsonl").read_bytes()
    server.paths.clear()
    run(tmp_path, [entry], BSKY_DAY1 + dt.timedelta(days=1))
    assert server.paths == ["getProfile", "getAuthorFeed"]
    assert (tmp_path / "data" / "ledger.jsonl").read_bytes() == before
    # a like on the oldest post; the feed's first page now holds only the 5 newest items
    server.like("3koakqbeoil22")
    server.first_page = 5
    server.paths.clear()
    day20 = BSKY_DAY1 + dt.timedelta(days=20)
    run(tmp_path, [entry], day20)
    assert server.paths == ["getProfile", "getAuthorFeed"] and likes(tmp_path, day20, "bluesky")["3koakqbeoil22"] == 0
    month = BSKY_DAY1 + dt.timedelta(days=30)
    run(tmp_path, [entry], month)
    assert likes(tmp_path, month, "bluesky")["3koakqbeoil22"] == 1
    own = len(first)
    walked = len({i["post"]["uri"].rsplit("/", 1)[-1] for i in server.feed["feed"][:5]} & set(first))
    assert server.paths.count("getPosts") == -(-(own - walked) // 25)
    asked = [u for batch in server.asked_uris for u in batch]
    assert len(asked) == own - walked and asked[0].endswith("3koakqbeoil22")  # oldest first
    ledger = L.load(tmp_path / "data")
    assert set(_refresh.confirmed(ledger, "bluesky").values()) == {month}


def test_a_bad_view_in_a_sweep_is_skipped_alone(tmp_path: Path, bsky: tuple[Bluesky, dict]) -> None:
    """A getPosts answer holding a value that is not a post view: that one is skipped with a warning,
    the others are confirmed (it used to fail the whole source)."""
    server, entry = bsky
    run(tmp_path, [entry], BSKY_DAY1)
    server.first_page = 0
    server.like("3koakqbeoil22")
    server.views[f"at://{BSKY_DID}/app.bsky.feed.post/3ku7fkat3gc2s"] = 7  # an own post the sweep asks for
    month = BSKY_DAY1 + dt.timedelta(days=30)
    out = run(tmp_path, [entry], month).outcomes[0]
    assert out.status == "ok", out.message
    assert any(w.startswith("bluesky: skipped a post: bluesky: post #") for w in out.warnings), out.warnings
    assert likes(tmp_path, month, "bluesky")["3koakqbeoil22"] == 1


def test_a_sweep_stopped_by_a_limit_resumes_next_run(
    tmp_path: Path, bsky: tuple[Bluesky, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_influence.sources import bluesky

    monkeypatch.setattr(bluesky, "GET_POSTS", 10)  # 20 own posts: two batches
    server, entry = bsky
    run(tmp_path, [entry], BSKY_DAY1)
    server.first_page = 0
    month = BSKY_DAY1 + dt.timedelta(days=30)
    server.like("3koakqbeoil22")
    server.like("3loagm2phgk2t")  # the newest own post: the last batch
    result = run(tmp_path, [entry], month, max_requests=3)  # profile, feed, one getPosts
    assert any("resumes next run" in w for w in result.outcomes[0].warnings)
    assert likes(tmp_path, month, "bluesky")["3koakqbeoil22"] == 1
    assert likes(tmp_path, month, "bluesky")["3loagm2phgk2t"] == 3
    sweep = L.state(L.load(tmp_path / "data"), "bluesky", "refresh")
    assert sweep["done"] is False and sweep["started"] == month.isoformat()
    server.asked_uris.clear()
    nextday = month + dt.timedelta(days=1)
    run(tmp_path, [entry], nextday, max_requests=3)
    assert likes(tmp_path, nextday, "bluesky")["3loagm2phgk2t"] == 4
    assert len(server.asked_uris) == 1 and not any(u.endswith("3koakqbeoil22") for u in server.asked_uris[0])
    ledger = L.load(tmp_path / "data")
    assert L.state(ledger, "bluesky", "refresh")["done"] is True
    assert min(_refresh.confirmed(ledger, "bluesky").values()) == month


MASTODON_ACCOUNT = "117020565966271181"


def test_mastodon_old_posts_refreshed_by_id(httpserver: HTTPServer, tmp_path: Path) -> None:
    pages = [json.loads((FIXTURES / f"mastodon/account_statuses_{n}.json").read_text()) for n in (0, 1)]
    by_id = {s["id"]: s for page in pages for s in page}
    lookup = json.loads((FIXTURES / "mastodon/lookup_1.json").read_text())
    asked: list[list[str]] = []
    state = {"walked": False}

    def statuses(request: Request) -> Response:
        base = httpserver.url_for("").rstrip("/")
        if "max_id" in request.args:
            page, link = (pages[1], "") if request.args["max_id"] == "first" else ([], "")
        else:
            page, link = pages[0], f'<{base}/api/v1/accounts/{MASTODON_ACCOUNT}/statuses?max_id=first>; rel="next"'
        if state["walked"] and "max_id" in request.args:
            page = []
        return Response(json.dumps(page), content_type="application/json", headers={"link": link} if link else {})

    def many(request: Request) -> Response:
        ids = request.args.getlist("id[]")
        asked.append(ids)
        return Response(json.dumps([by_id[i] for i in ids if i in by_id]), content_type="application/json")

    httpserver.expect_request("/api/v1/accounts/lookup").respond_with_json(lookup)
    httpserver.expect_request(f"/api/v1/accounts/{MASTODON_ACCOUNT}/statuses").respond_with_handler(statuses)
    httpserver.expect_request("/api/v1/statuses").respond_with_handler(many)
    entry = {"mastodon": "@mastodonpy_test@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    day1 = dt.date(2026, 11, 1)
    run(tmp_path, [entry], day1)
    assert len(likes(tmp_path, day1, "mastodon")) == 10 and not asked
    oldest = pages[1][-1]["id"]
    by_id[oldest] = dict(by_id[oldest], favourites_count=4)
    state["walked"] = True
    month = day1 + dt.timedelta(days=30)
    run(tmp_path, [entry], month)
    assert likes(tmp_path, month, "mastodon")[oldest] == 4
    assert asked == [sorted((s["id"] for s in pages[1]), key=lambda i: i)]  # the 5 not walked, oldest first


def test_mastodon_before_4_3_keeps_old_counts_and_says_so(httpserver: HTTPServer, tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "mastodon/account_statuses_0.json").read_text())
    shown = {"n": 5}
    lookup = json.loads((FIXTURES / "mastodon/lookup_1.json").read_text())
    httpserver.expect_request("/api/v1/accounts/lookup").respond_with_json(lookup)
    httpserver.expect_request(f"/api/v1/accounts/{MASTODON_ACCOUNT}/statuses").respond_with_handler(
        lambda request: Response(json.dumps(page[: shown["n"]]), content_type="application/json")
    )
    httpserver.expect_request("/api/v1/statuses").respond_with_json({"error": "Record not found"}, status=404)
    entry = {"mastodon": "@mastodonpy_test@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    day1 = dt.date(2026, 11, 1)
    run(tmp_path, [entry], day1)
    shown["n"] = 2
    month = day1 + dt.timedelta(days=30)
    result = run(tmp_path, [entry], month)
    assert result.outcomes[0].status == "ok"
    assert any("cannot list statuses by id (Mastodon 4.3+)" in w for w in result.outcomes[0].warnings)
    assert len(likes(tmp_path, month, "mastodon")) == 5


# --- rate limits obeyed before a 429; a long first walk resumes ------------------------


class LimitedMastodon:
    """A Mastodon account of ``pages`` pages (the recorded status shape) behind a rate limit that
    says what it has left, Mastodon's way (``X-RateLimit-Remaining``, ISO ``X-RateLimit-Reset``),
    and answers 429 to a request beyond it."""

    def __init__(self, server: HTTPServer, pages: int, window: int, reset_after: float) -> None:
        self.server, self.pages, self.window, self.reset_after = server, pages, window, reset_after
        self.template = json.loads((FIXTURES / "mastodon/account_statuses_0.json").read_text())[0]
        self.left, self.resets, self.too_many, self.asked = window, 0.0, 0, []
        server.expect_request("/api/v1/accounts/lookup").respond_with_handler(self.limited(self.lookup))
        server.expect_request("/api/v1/accounts/9/statuses").respond_with_handler(self.limited(self.statuses))

    def limited(self, answer: Any) -> Any:
        import time

        def handler(request: Request) -> Response:
            now = time.time()
            if now >= self.resets:
                self.left, self.resets = self.window, now + self.reset_after
            if self.left <= 0:
                self.too_many += 1
                return Response('{"error":"Too many requests"}', status=429, content_type="application/json")
            self.left -= 1
            response = answer(request)
            reset = dt.datetime.fromtimestamp(self.resets, dt.timezone.utc).isoformat().replace("+00:00", "Z")
            response.headers.update({"x-ratelimit-limit": str(self.window), "x-ratelimit-remaining": str(self.left)})
            response.headers["x-ratelimit-reset"] = reset
            return response

        return handler

    def lookup(self, request: Request) -> Response:
        return Response(json.dumps({"id": "9", "followers_count": 3}), content_type="application/json")

    def statuses(self, request: Request) -> Response:
        page = int(request.args.get("max_id", "0"))
        self.asked.append(page)
        items = [
            dict(self.template, id=str(100_000 - page * 40 - i), created_at="2026-10-01T10:00:00Z", favourites_count=page)
            for i in range(40)
        ]
        base = self.server.url_for("/api/v1/accounts/9/statuses")
        link = f'<{base}?max_id={page + 1}>; rel="next"' if page + 1 < self.pages else ""
        return Response(json.dumps(items), content_type="application/json", headers={"link": link} if link else {})


def test_rate_limit_headers_are_obeyed_before_a_429(httpserver: HTTPServer, tmp_path: Path) -> None:
    server = LimitedMastodon(httpserver, pages=5, window=3, reset_after=1.0)
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry], dt.date(2026, 11, 22), rate_floor=0).outcomes
    assert outcome.status == "ok" and outcome.posts == 200 and not outcome.warnings, outcome
    assert server.too_many == 0  # it waited for the window's reset instead of being refused


def test_a_long_first_walk_resumes_next_run_keeping_what_was_read(httpserver: HTTPServer, tmp_path: Path) -> None:
    server = LimitedMastodon(httpserver, pages=5, window=3, reset_after=3600)
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    day1 = dt.date(2026, 11, 22)
    (outcome,) = run(tmp_path, [entry], day1, rate_floor=0).outcomes
    assert outcome.status == "ok" and outcome.posts == 80 and server.too_many == 0
    assert any("rate limit of" in w and "used up" in w and w.endswith("kept what was read") for w in outcome.warnings)
    assert L.state(L.load(tmp_path / "data"), "mastodon", "resume") == "2"
    # next run: a fresh window; the newest page (known, old) then the rest from where the walk stopped
    server.resets, server.window, server.asked = 0.0, 10, []
    day2 = day1 + dt.timedelta(days=1)
    (outcome,) = run(tmp_path, [entry], day2).outcomes
    assert outcome.status == "ok" and not outcome.warnings, outcome
    assert server.asked == [0, 2, 3, 4]
    assert len(likes(tmp_path, day2, "mastodon")) == 200
    assert L.state(L.load(tmp_path / "data"), "mastodon", "resume") is None


# --- feeds: FeedBurner links, local files, paging stops at known posts, monthly re-read ----


def rss(items: list[tuple[int, int]]) -> bytes:
    """A WordPress RSS page: (post number, comment count) per item, newest first."""
    body = "".join(
        f"<item><title>Post {n}</title><link>https://wp.example/p{n}/</link><guid>https://wp.example/?p={n}</guid>"
        f"<pubDate>{(dt.datetime(2026, 1, 1) + dt.timedelta(days=n)).strftime('%a, %d %b %Y 10:00:00 +0000')}</pubDate>"
        f"<slash:comments>{c}</slash:comments></item>"
        for n, c in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        f"<channel><title>WP</title><generator>https://wordpress.org/?v=6.4</generator>{body}</channel></rss>"
    ).encode()


class WordPress:
    """``/feed/`` with ``?paged=N`` (10 a page, 404 past the end) and an ETag made, as WordPress
    makes it, from the newest post only: a new comment never changes it."""

    def __init__(self, server: HTTPServer, posts: int) -> None:
        self.comments = {n: 0 for n in range(1, posts + 1)}
        self.asked: list[tuple[str, bool]] = []
        server.expect_request("/feed/").respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        page = int(request.args.get("paged", "1"))
        etag = f'"newest-{max(self.comments)}"'
        self.asked.append((request.args.get("paged", "1"), "If-None-Match" in request.headers))
        if page == 1 and request.headers.get("If-None-Match") == etag:
            return Response(status=304)
        newest = sorted(self.comments, reverse=True)[(page - 1) * 10 : page * 10]
        if not newest:
            return Response("", status=404)
        return Response(rss([(n, self.comments[n]) for n in newest]), content_type="application/rss+xml", headers={"ETag": etag})


def comments(tmp_path: Path, as_of: dt.date) -> dict[str, int]:
    snap = L.snapshot(L.load(tmp_path / "data"), as_of)
    return {p.title: p.metrics.get("comments", 0) for p in snap.posts}


def test_wordpress_paging_stops_at_known_posts_and_comments_are_re_read_monthly(httpserver: HTTPServer, tmp_path: Path) -> None:
    wp = WordPress(httpserver, posts=25)
    entry = {"feed": httpserver.url_for("/feed/")}
    run(tmp_path, [entry])
    assert [a for a, _ in wp.asked] == ["1", "2", "3", "4"] and len(comments(tmp_path, DAY1)) == 25
    # a new post: the first page changes; it holds known posts, so no older page is asked for
    wp.comments[26] = 0
    wp.asked.clear()
    day2 = DAY1 + dt.timedelta(days=1)
    run(tmp_path, [entry], day2)
    assert wp.asked == [("1", True)] and len(comments(tmp_path, day2)) == 26
    # a comment on an old post: the validator does not change (304) until the monthly re-read
    wp.comments[3] = 2
    wp.asked.clear()
    day3 = DAY1 + dt.timedelta(days=10)
    run(tmp_path, [entry], day3)
    assert wp.asked == [("1", True)] and comments(tmp_path, day3)["Post 3"] == 0
    wp.asked.clear()
    month = DAY1 + dt.timedelta(days=30)
    run(tmp_path, [entry], month)
    assert wp.asked == [("1", False), ("2", False), ("3", False), ("4", False)]
    assert comments(tmp_path, month)["Post 3"] == 2


def test_feedburner_entries_link_to_the_post(httpserver: HTTPServer, tmp_path: Path) -> None:
    xml = (FIXTURES / "feeds/feedjira_TechCrunch_wordpress_rss.xml").read_bytes()
    httpserver.expect_request("/feed/").respond_with_data(xml, content_type="application/rss+xml")
    run(tmp_path, [{"feed": httpserver.url_for("/feed/")}])
    urls = [p.url for p in L.snapshot(L.load(tmp_path / "data"), DAY1).posts]
    assert len(urls) == 20 and all(u.startswith("http://techcrunch.com/2011/") for u in urls), urls[:3]


def test_a_feed_that_is_a_local_file_needs_no_network(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "feed.xml").write_bytes(rss([(2, 1), (1, 0)]))
    specs = parse_specs([{"feed": "public/feed.xml"}])
    result = update(site(tmp_path), specs, tmp_path / "data", DAY1, offline=True)
    assert [o.status for o in result.outcomes] == ["ok"], result.outcomes
    assert comments(tmp_path, DAY1) == {"Post 2": 1, "Post 1": 0}
    missing = update(site(tmp_path), parse_specs([{"feed": "nowhere.xml"}]), tmp_path / "data", DAY1)
    assert missing.outcomes[0].status == "failed" and missing.outcomes[0].message.startswith("feed: cannot read ")


# --- DEV.to says when the user does not exist; the X archive skips replies to others ------


def test_devto_unknown_user_answered_with_an_empty_list(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/articles").respond_with_json([])  # what dev.to answers for anyone
    httpserver.expect_request("/api/users/by_username", query_string={"url": "ghost"}).respond_with_json(
        {"error": "not found", "status": 404}, status=404
    )
    httpserver.expect_request("/api/users/by_username", query_string={"url": "quiet"}).respond_with_json(
        {"type_of": "user", "id": 1, "username": "quiet"}
    )
    base = httpserver.url_for("").rstrip("/")
    result = run(tmp_path, [{"devto": "ghost", "base_url": base}])
    assert result.outcomes[0].status == "failed" and result.outcomes[0].message.startswith("devto: no user 'ghost'")
    result = run(tmp_path, [{"devto": "quiet", "base_url": base}])
    assert result.outcomes[0].status == "ok" and result.outcomes[0].posts == 0


def test_x_archive_skips_replies_to_others(tmp_path: Path) -> None:
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    tweet = {"full_text": "text", "created_at": "Thu Nov 03 08:50:26 +0000 2022", "favorite_count": "1"}
    tweets = [
        {"tweet": dict(tweet, id_str="1")},
        {"tweet": dict(tweet, id_str="2", in_reply_to_status_id_str="1", in_reply_to_user_id_str="77")},  # own thread
        {"tweet": dict(tweet, id_str="3", in_reply_to_status_id_str="900", in_reply_to_user_id_str="555")},  # to someone
    ]
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets))
    (data / "account.js").write_text('window.YTD.account.part0 = [{"account": {"accountId": "77"}}]')
    run(tmp_path, [{"x-archive": "archive"}])
    assert sorted(p.key for p in L.snapshot(L.load(tmp_path / "data"), DAY1).posts) == ["x-archive:1", "x-archive:2"]


def test_devto_older_articles_confirmed_by_a_monthly_full_walk(httpserver: HTTPServer, tmp_path: Path) -> None:
    article = json.loads((FIXTURES / "devto/articles_page1.json").read_text())[0]
    reactions = {n: 1 for n in range(65)}
    pages: list[str] = []

    def articles(request: Request) -> Response:
        page = int(request.args["page"])
        pages.append(str(page))
        ids = sorted(reactions, reverse=True)[(page - 1) * 30 : page * 30]
        body = [
            dict(article, id=n, public_reactions_count=reactions[n], published_at=f"2026-0{1 + n // 20}-0{1 + n % 9}T10:00:00Z")
            for n in ids
        ]
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/api/articles").respond_with_handler(articles)
    entry = {"devto": "me", "base_url": httpserver.url_for("").rstrip("/")}
    run(tmp_path, [entry])
    assert pages == ["1", "2", "3"]
    reactions[0] = 9  # a reaction on the oldest article
    pages.clear()
    day2 = DAY1 + dt.timedelta(days=1)
    run(tmp_path, [entry], day2)
    assert pages == ["1"] and likes(tmp_path, day2, "devto")["0"] == 1
    pages.clear()
    month = DAY1 + dt.timedelta(days=30)
    run(tmp_path, [entry], month)
    assert pages == ["1", "2", "3"] and likes(tmp_path, month, "devto")["0"] == 9


# --- the cost of a sweep day, measured for 200 and 2,000 posts (docs/sources.md) ---------


class ManyBluesky:
    """An account of ``n`` posts (the recorded post shape): ``getAuthorFeed`` 100 a page, ``getPosts``."""

    def __init__(self, server: HTTPServer, n: int) -> None:
        recorded = json.loads((FIXTURES / "bluesky/getAuthorFeed_chriskenny.json").read_text())
        template = next(i["post"] for i in recorded["feed"] if not i.get("reason") and not i["post"]["record"].get("reply"))
        self.profile = json.loads((FIXTURES / "bluesky/getProfiles_chriskenny.json").read_text())["profiles"][0]
        start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
        self.views = []
        for k in range(n):
            uri = f"at://{BSKY_DID}/app.bsky.feed.post/p{k:05d}"
            created = (start + dt.timedelta(hours=k)).isoformat().replace("+00:00", "Z")
            self.views.append(dict(template, uri=uri, record=dict(template["record"], createdAt=created), likeCount=k % 7))
        self.views.reverse()  # newest first
        self.by_uri = {v["uri"]: v for v in self.views}
        self.paths: list[str] = []
        server.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_handler(self.answer)
        server.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_handler(self.answer)
        server.expect_request("/xrpc/app.bsky.feed.getPosts").respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        name = request.path.rsplit(".", 1)[-1]
        self.paths.append(name)
        if name == "getProfile":
            body: Any = self.profile
        elif name == "getAuthorFeed":
            start = int(request.args.get("cursor") or 0)
            items = [{"post": v} for v in self.views[start : start + 100]]
            body = {"feed": items, **({"cursor": str(start + 100)} if start + 100 < len(self.views) else {})}
        else:
            body = {"posts": [self.by_uri[u] for u in request.args.getlist("uris") if u in self.by_uri]}
        return Response(json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("n", [200, 2000])
def test_sweep_cost_for_200_and_2000_posts(httpserver: HTTPServer, tmp_path: Path, n: int) -> None:
    server = ManyBluesky(httpserver, n)
    entry = {"bluesky": "chriskenny.bsky.social", "base_url": httpserver.url_for("").rstrip("/")}
    day1 = dt.date(2026, 11, 1)
    run(tmp_path, [entry], day1)
    assert server.paths.count("getAuthorFeed") == n // 100  # the first walk: every page, no empty one after
    server.paths.clear()
    run(tmp_path, [entry], day1 + dt.timedelta(days=1))
    assert server.paths == ["getProfile", "getAuthorFeed"]  # the no-change re-run
    server.paths.clear()
    server.views[-1]["likeCount"] = 99  # the oldest post
    month = day1 + dt.timedelta(days=30)
    run(tmp_path, [entry], month)
    assert server.paths.count("getPosts") == {200: 4, 2000: 76}[n] == -(-(n - 100) // 25)
    assert likes(tmp_path, month, "bluesky")["p00000"] == 99
    assert len(server.paths) == {200: 6, 2000: 78}[n]


# --- the sweep model's invariants (hypothesis) -------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mkdocs_influence.store.activity import Activity, Post  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(
    published=st.lists(st.integers(0, 400), min_size=0, max_size=30),
    reads=st.lists(st.integers(0, 12), min_size=1, max_size=40),
)
def test_a_sweep_confirms_every_post_whatever_each_run_manages(published: list[int], reads: list[int]) -> None:
    """Runs that each confirm any number of posts (0 = stopped at once) never skip a post, and
    after a sweep completes every post was confirmed on or after the day it started."""
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    posts = tuple(Post("bluesky", f"p{i}", "t", start + dt.timedelta(days=d)) for i, d in enumerate(published))
    ledger = L.observe(L.Ledger(), "bluesky", Activity(posts), DAY1, complete=False)
    ledger = L.observe(
        ledger, "bluesky", Activity(state={"refresh": {"started": DAY1.isoformat(), "done": True}}), DAY1, complete=False
    )
    day, started, confirmed_ids = DAY1 + dt.timedelta(days=30), "", set()
    # enough runs for any input: each cycle through ``reads`` confirms at least one post when any read is > 0
    for run_no in range(len(reads) * (len(published) + 1) + 1):
        plan = _refresh.plan(ledger, "bluesky", day, set())
        if plan is None:
            break
        started = started or plan.started
        assert plan.started == started  # one sweep until it is done: no new one starts half-way
        read = reads[run_no % len(reads)]
        assert not confirmed_ids & set(plan.ids[:read])  # a resumed sweep never reads a post twice
        confirmed_ids |= set(plan.ids[:read])
        after = plan.state_after(read)
        ledger = L.observe(ledger, "bluesky", Activity(state={"refresh": after}), day, complete=False)
        ages = _refresh.confirmed(ledger, "bluesky")
        assert all(ages[p] == dt.date.fromisoformat(started) for p in confirmed_ids)
        assert all(d >= DAY1 for d in ages.values())  # the others: as of their last observation
        if after["done"]:
            break
        day += dt.timedelta(days=1)
    if any(reads) and posts:
        assert confirmed_ids == {p.id for p in posts}  # the sweep completed, nobody skipped
        assert set(_refresh.confirmed(ledger, "bluesky").values()) <= {dt.date.fromisoformat(started)}
