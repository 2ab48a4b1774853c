"""Hostile servers against the shared HTTP layer (issue #16, network classes).

Real loopback servers only: tests/hostile_http.py for behaviours pytest-httpserver cannot
produce (a byte a second, endless bodies, gzip bombs), pytest-httpserver for recorded
answers. Each test measures what it claims: elapsed time, requests made, peak memory (in a
subprocess), what reached the cache folder. Small limits keep the file fast; the tests
marked "defaults" run with the shipped limits (waits are recorded, not slept, where a real
wait would only cost time), and bench/attack_bench.py runs every attack with them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
from conftest import FIXTURES
from hostile_http import (
    GIB,
    HostileServer,
    echo_error,
    echo_feed,
    endless_chunked,
    gzip_bomb_answer,
    huge_body,
    redirect,
    slow_headers,
    slow_loris,
    status_forever,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from test_sources_network import (
    blog_ledger,
    bluesky_server,
    mastodon_server,
    other_people,
    recorded,
    run,
)
from werkzeug import Request, Response

from mkdocs_influence.errors import SourceError
from mkdocs_influence.net.fail import Stopped
from mkdocs_influence.net.http import Http, Limits, client
from mkdocs_influence.net.redact import forms, redact, safe
from mkdocs_influence.store import ledger as L

ROOT = Path(__file__).resolve().parent.parent
FAST = Limits(
    timeout=0.5, source_budget=5.0, max_requests=50, min_wait=0.01, wait_budget=0.3, backoff=0.01, attempts=2, max_bytes=1 << 16
)
TOKEN = 'SENT+INEL/tok=en&7f3a9"q'  # every character that encodes differently in some form


def get(
    url: str, limits: Limits = FAST, *, secrets: tuple[str, ...] = (), fake_sleep: bool = False, **kw: Any
) -> tuple[Any, Http, float, list[float]]:
    """(data or the SourceError, the Http, seconds taken, waits asked for) of one Http.get."""
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    async def go() -> tuple[Any, Http, float, list[float]]:
        async with client(limits.timeout) as c:
            http = Http(c, "test", secrets, kw.pop("cache_dir", None), limits)
            if fake_sleep:
                http.sleep = record
            started = time.monotonic()
            try:
                out: Any = (await http.get(url, **kw)).data
            except SourceError as exc:
                out = exc
            return out, http, time.monotonic() - started, waits

    return asyncio.run(go())


@pytest.fixture
def hostile() -> Any:
    with HostileServer() as server:
        yield server


# --- 1. time: a whole-request deadline and a per-source budget ------------------------


@pytest.mark.parametrize("behaviour", [slow_loris(0.05, 4000), slow_headers(0.05, 4000)], ids=["body", "headers"])
def test_a_byte_at_a_time_is_cut_by_the_whole_request_deadline(hostile: HostileServer, behaviour: Any) -> None:
    url = hostile.on("/slow", behaviour)  # each read gets a byte within 0.05 s: a per-read timeout never fires
    out, _, took, _ = get(url)
    assert isinstance(out, Stopped) and "failed 2 times (timed out)" in out.message
    assert took < 2.5 and hostile.hits["/slow"] == 2  # 2 attempts x 0.5 s, not 4000 x 0.05 s


def test_the_source_budget_ends_a_source_whatever_the_timeout(hostile: HostileServer) -> None:
    url = hostile.on("/slow", slow_loris(0.05, 4000))
    limits = Limits(timeout=30, source_budget=1.0, attempts=4, backoff=0.01, min_wait=0.01)
    out, _, took, _ = get(url, limits)
    assert isinstance(out, Stopped) and took < 2.0


# --- 2. rate limits: a minimum wait, a capped total wait --------------------------------

PAST = {
    "retry-after 0": {"Retry-After": "0"},
    "retry-after date in the past": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
    "reset in the past": {"X-RateLimit-Reset": "2015-10-21T07:28:00.000Z"},
    "epoch reset in the past": {"RateLimit-Reset": "1445412480"},
}


@pytest.mark.parametrize("headers", PAST.values(), ids=PAST.keys())
def test_429_forever_with_default_limits_makes_at_most_50_requests(hostile: HostileServer, headers: dict) -> None:
    url = hostile.on("/limited", status_forever("429 Too Many Requests", **headers))
    out, http, _, waits = get(url, Limits(), fake_sleep=True)  # defaults; the waits are recorded, not slept
    assert isinstance(out, Stopped) and "rate limited by" in out.message
    assert hostile.hits["/limited"] == http.requests <= 50
    assert hostile.hits["/limited"] == 1 + int(Limits().wait_budget / Limits().min_wait)  # 31
    assert min(waits) >= Limits().min_wait and sum(waits) <= Limits().wait_budget


def test_503_forever_with_default_limits(hostile: HostileServer) -> None:
    url = hostile.on("/down", status_forever("503 Service Unavailable", **{"Retry-After": "0"}))
    out, _, _, waits = get(url, Limits(), fake_sleep=True)
    assert isinstance(out, Stopped) and "failed 4 times (HTTP 503)" in out.message
    assert hostile.hits["/down"] == 4 and min(waits) >= Limits().min_wait


def test_429_forever_really_waits_and_stops(hostile: HostileServer) -> None:
    url = hostile.on("/limited", status_forever("429 Too Many Requests", **{"Retry-After": "0"}))
    limits = Limits(min_wait=0.05, wait_budget=0.5)
    out, _, took, _ = get(url, limits)
    assert isinstance(out, Stopped) and hostile.hits["/limited"] == 11 and 0.45 <= took < 3


# --- 3. size: bounded while streaming, on the wire and decompressed ---------------------

BODIES = {
    "2 GB announced": (huge_body(2 * GIB), "announced 2048 MiB"),
    "2 GB unannounced": (huge_body(2 * GIB, announce=False), "on the wire"),
    "endless chunked": (endless_chunked(), "on the wire"),
    "gzip bomb": (gzip_bomb_answer(), "once decompressed"),
}


@pytest.mark.parametrize(("behaviour", "what"), BODIES.values(), ids=BODIES.keys())
def test_oversized_bodies_are_refused_while_streaming(hostile: HostileServer, behaviour: Any, what: str) -> None:
    url = hostile.on("/big", behaviour)
    out, http, took, _ = get(url)
    assert isinstance(out, Stopped) and "too large an answer" in out.message and what in out.message, out
    assert took < 3 and http.requests == 1


def test_gzip_and_deflate_bodies_still_read(hostile: HostileServer) -> None:
    import gzip
    import zlib

    payload = json.dumps({"posts": list(range(5000))}).encode()

    def answer(encoding: str, data: bytes) -> Any:
        def run(conn: Any, target: str, query: dict) -> None:
            headers = {"Content-Type": "application/json", "Content-Encoding": encoding, "Content-Length": str(len(data))}
            conn.head("200 OK", headers)
            conn.send(data)

        return run

    for path, encoding, data in [
        ("/gz", "gzip", gzip.compress(payload)),
        ("/gz2", "gzip", gzip.compress(payload[:100]) + gzip.compress(payload[100:])),  # two members
        ("/zl", "deflate", zlib.compress(payload)),
        ("/raw", "deflate", zlib.compress(payload)[2:-4]),  # raw deflate, as some servers send it
    ]:
        out, *_ = get(hostile.on(path, answer(encoding, data)), Limits())
        assert out == {"posts": list(range(5000))}, path
    out, *_ = get(hostile.on("/br", answer("br", b"\x00" * 10)))
    assert isinstance(out, Stopped) and "unsupported encoding" in out.message


MEMORY_CHILD = """
import datetime as dt, json, resource, sys
from pathlib import Path
from mkdocs_influence.shells.pipeline import NetSettings, update
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import parse_specs
tmp = Path(sys.argv[1]); (tmp / "docs").mkdir()
site = SiteInfo(docs_dir=tmp / "docs", config_dir=tmp, site_url="https://blog.example/")
specs = parse_specs(json.loads(sys.argv[2]))
result = update(site, specs, tmp / "data", dt.date(2026, 11, 22), net=NetSettings(cache_dir=tmp / "cache"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"peak": peak, "outcomes": [[o.status, o.message] for o in result.outcomes]}))
"""


def test_default_limits_keep_peak_memory_under_500_mb(hostile: HostileServer, tmp_path: Path) -> None:
    """One `update` (default limits), four sources at once: a 2 GB body announced, 2 GB
    unannounced, an endless chunked body, a 2 GB gzip bomb; peak RSS read in the subprocess."""
    base = hostile.url("")
    entries = [
        {"feed": base + "/feed"},
        *({kind: "me", "base_url": base} for kind in ("devto", "bluesky")),
        {"mastodon": "@me@x.example", "base_url": base},
    ]
    paths = ["/feed", "/api/articles", "/xrpc/app.bsky.actor.getProfile", "/api/v1/accounts/lookup"]
    for path, (behaviour, _) in zip(paths, BODIES.values(), strict=True):
        hostile.on(path, behaviour)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(tmp_path), json.dumps(entries)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["peak"] < 500 * 2**20, report
    assert [status for status, _ in report["outcomes"]] == ["failed"] * 4
    assert all("too large an answer" in message for _, message in report["outcomes"]), report
    assert time.monotonic() - started < 60


# --- 4. redirects and paging stay home ---------------------------------------------------


def test_redirect_to_another_host_is_not_followed_with_a_token(hostile: HostileServer) -> None:
    hostile.on("/elsewhere", status_forever("200 OK"))
    url = hostile.on("/api", redirect(lambda target: hostile.url("/elsewhere", "localhost") + "?" + target.split("?")[-1]))
    out, *_ = get(url + "?token=" + quote_plus(TOKEN), secrets=(TOKEN,))
    assert isinstance(out, Stopped) and "redirected to another host" in out.message and "not followed" in out.message
    assert hostile.hits["/elsewhere"] == 0
    assert not any(f in out.message for f in forms(TOKEN))
    # without a secret, a move to another host (www., a new domain) is followed
    out, *_ = get(url)
    assert out == {"error": "200 OK"} and hostile.hits["/elsewhere"] == 1


def test_redirect_loops_and_downgrades_are_refused(hostile: HostileServer) -> None:
    url = hostile.on("/loop", redirect(lambda target: "/loop"))
    out, http, *_ = get(url, Limits())
    assert isinstance(out, Stopped) and "redirected more than 5 times" in out.message and http.requests == 6
    http.secrets = ()
    for old, new, says in [
        ("https://a.example/x", "http://a.example/x", "redirected from HTTPS to http://a.example; not followed"),
        ("http://a.example/x", "ftp://a.example/x", "redirected to ftp://a.example, not HTTP; not followed"),
        ("https://a.example/x", "file:///etc/passwd", "not HTTP; not followed"),
    ]:
        with pytest.raises(Stopped, match=says):
            http._redirect(old, new)
    assert http._redirect("http://a.example/x", "https://a.example/y") == "https://a.example/y"  # an upgrade is fine


def paged_mastodon(server: HTTPServer, pages: int, per_page: int = 40, next_host: str | None = None) -> None:
    """An account with ``pages`` full pages of new statuses, paged by ``max_id`` like Mastodon."""
    server.expect_request("/api/v1/accounts/lookup").respond_with_json({"id": "9", "followers_count": 3})

    def statuses(request: Request) -> Response:
        page = int(request.args.get("max_id", "0"))
        items = [
            {"id": str(100_000 - page * per_page - i), "created_at": "2026-11-20T10:00:00Z", "content": f"<p>post {page} {i}</p>"}
            for i in range(per_page)
        ]
        base = server.url_for("/api/v1/accounts/9/statuses")
        if next_host:
            base = base.replace("localhost", next_host)
        link = f'<{base}?max_id={page + 1}>; rel="next"' if page + 1 < pages else ""
        return Response(json.dumps(items), content_type="application/json", headers={"link": link} if link else {})

    server.expect_request("/api/v1/accounts/9/statuses").respond_with_handler(statuses)


def test_next_page_on_another_host_is_not_followed(httpserver: HTTPServer, tmp_path: Path) -> None:
    paged_mastodon(httpserver, pages=3, next_host="127.0.0.1")
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry]).outcomes
    assert outcome.status == "ok" and outcome.posts == 40
    assert any("next page is on another host (127.0.0.1:" in w and "kept what was read" in w for w in outcome.warnings)
    assert len(httpserver.log) == 2  # lookup + first page; the other host was never asked


# --- 5. a source stopped at a limit keeps what it read ------------------------------------


def test_request_limit_keeps_the_pages_read(httpserver: HTTPServer, tmp_path: Path) -> None:
    paged_mastodon(httpserver, pages=10)
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry], max_requests=3).outcomes
    assert outcome.status == "ok" and outcome.posts == 80
    assert "mastodon: stopped after 3 requests (limit): kept what was read" in outcome.warnings
    assert len(L.snapshot(L.load(tmp_path / "data"), dt.date(2026, 11, 22)).posts) == 80


def test_item_limit_keeps_the_first_items(httpserver: HTTPServer, tmp_path: Path) -> None:
    paged_mastodon(httpserver, pages=10)
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry], max_items=50).outcomes
    assert outcome.status == "ok" and outcome.posts == 50 and len(httpserver.log) == 3
    assert "mastodon: stopped after 50 items (limit): kept what was read" in outcome.warnings


def test_a_rate_limit_mid_walk_keeps_the_pages_read(httpserver: HTTPServer, tmp_path: Path) -> None:
    feed, headers, _ = recorded("bluesky/getAuthorFeed_chriskenny.json")
    profiles, _, _ = recorded("bluesky/getProfiles_chriskenny.json")
    httpserver.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_json(profiles["profiles"][0])
    page2 = {
        "actor": "did:plc:wpe35pganb6d4pg4ekmfy6u5",
        "limit": "100",
        "filter": "posts_and_author_threads",
        "cursor": feed["cursor"],
    }
    httpserver.expect_request("/xrpc/app.bsky.feed.getAuthorFeed", query_string=page2).respond_with_json(
        {"error": "RateLimitExceeded"}, status=429, headers={"retry-after": "3600"}
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_json(feed, headers=headers)
    entry = {"bluesky": "chriskenny.bsky.social", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry]).outcomes
    assert outcome.status == "ok" and outcome.posts > 0
    assert any("rate limited by" in w and w.endswith("kept what was read") for w in outcome.warnings), outcome.warnings


def test_a_limit_on_the_first_request_fails_and_keeps_the_ledger(hostile: HostileServer, tmp_path: Path) -> None:
    hostile.on("/api/v1/accounts/lookup", status_forever("429 Too Many Requests", **{"Retry-After": "0"}))
    entry = {"mastodon": "@me@social.example", "base_url": hostile.url("")}
    (outcome,) = run(tmp_path, [entry], wait_budget=0.05).outcomes
    assert outcome.status == "failed" and outcome.message.endswith("kept the earlier data")


# --- 6. secrets: masked before any cut, in every form -----------------------------------

ECHOES = {
    "raw": lambda q: q["token"][0],
    "percent": lambda q: quote(q["token"][0], safe=""),
    "quote": lambda q: quote(q["token"][0]),
    "form": lambda q: quote_plus(q["token"][0]),
    "lower-case percent": lambda q: quote(q["token"][0], safe="").lower(),
    "json": lambda q: json.dumps(q["token"][0])[1:-1],
    "twice": lambda q: quote(quote(q["token"][0], safe=""), safe=""),
}


@pytest.mark.parametrize("render", ECHOES.values(), ids=ECHOES.keys())
def test_an_echoed_token_is_masked_before_the_message_is_cut(
    hostile: HostileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render: Any
) -> None:
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    hostile.on("/api/mentions.jf2", echo_error(render, pad=180))  # the token straddles character 200
    entry = {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": hostile.url("")}
    (outcome,) = run(tmp_path, [entry]).outcomes
    assert outcome.status == "failed" and "***" in outcome.message
    pieces = {f[i : i + 6] for f in forms(TOKEN) for i in range(len(f) - 5)}
    assert not [p for p in pieces if p in outcome.message], outcome.message


@settings(max_examples=200, deadline=None)
@given(
    secret=st.text(min_size=6, max_size=40).filter(lambda s: s.strip() == s and "***" not in s),
    before=st.text(max_size=300),
    after=st.text(max_size=50),
)
def test_redact_masks_every_form_before_cutting(secret: str, before: str, after: str) -> None:
    for form in forms(secret):
        shown = safe(before + form + after, (secret,), limit=200)
        assert (form not in shown and form[: len(form) // 2 + 1] not in shown[-len(form) :]) or form in before + after
        assert secret not in redact(before + form + after, (secret,)) or secret in before + after


# --- 7. the cache: validators and derived data only ----------------------------------------


def feed_authors() -> set[str]:
    import re

    xml = (FIXTURES / "feeds/feedjira_TechCrunch_wordpress_rss.xml").read_text()
    return set(re.findall(r"<dc:creator>(?:<!\[CDATA\[)?([^<\]]+)", xml))


def all_fixture_sources(server: HTTPServer, tmp_path: Path) -> list[dict]:
    from test_faults import healthy

    return [healthy(kind, server, tmp_path) for kind in ("mastodon", "bluesky", "devto", "feed", "webmentions")]


def test_the_cache_holds_no_other_people_and_no_token(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WM_TOKEN", TOKEN)
    entries = all_fixture_sources(httpserver, tmp_path)
    for day in (22, 23):
        result = run(tmp_path, entries, dt.date(2026, 11, day))
        assert all(o.status == "ok" for o in result.outcomes), result.outcomes
    stored = {p.name: p.read_text("utf-8") for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert len(stored) == 1  # the feed's validators and parsed posts; Mastodon says no-store, the others send no validators
    text = "".join(stored.values())
    strangers = other_people() | feed_authors()
    assert len(strangers) > 100
    assert sorted(s for s in strangers if s in text) == []
    assert not [f for f in forms(TOKEN) if f in text]
    assert '"etag": "\\"v1\\""' in text


def test_a_200_echoing_the_token_is_not_cached(hostile: HostileServer, tmp_path: Path) -> None:
    """Derived data that holds any form of a secret is returned to the source but never stored."""
    url = hostile.on("/feed", echo_feed(lambda q: quote_plus(q["token"][0])))
    cache = tmp_path / "cache"

    def titles(body: bytes) -> list[str]:
        return [body.decode()[body.decode().index("<item><title>") + 13 :][:60]]

    out, *_ = get(url + "?token=" + quote_plus(TOKEN), secrets=(TOKEN,), kind="bytes", derive=titles, cache_dir=cache)
    assert quote_plus(TOKEN) in out[0]  # the source still gets its answer
    assert not cache.exists() or not [p for p in cache.rglob("*") if p.is_file()]
    out, *_ = get(url + "?token=other", kind="bytes", derive=titles, cache_dir=cache)  # no secret in it: kept
    assert len(list(cache.iterdir())) == 1


def test_no_store_answers_leave_nothing_and_remove_old_entries(httpserver: HTTPServer, tmp_path: Path) -> None:
    mastodon_server(httpserver)
    entry = {"mastodon": "@mastodonpy_test@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    run(tmp_path, [entry])
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


CACHE_FAULTS = ["cache is a file", "cache entry corrupt", "disk full"]


@pytest.mark.parametrize("fault", CACHE_FAULTS)
def test_a_broken_cache_never_fails_a_source(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    from test_faults import healthy

    entry = healthy("feed", httpserver, tmp_path)
    if fault == "cache is a file":
        (tmp_path / "cache").write_text("not a folder")
    elif fault == "disk full":
        from mkdocs_influence.errors import LedgerError
        from mkdocs_influence.net import cache as httpcache

        def full(path: Path, data: bytes) -> bool:
            raise LedgerError(f"cannot write {path}: No space left on device")

        monkeypatch.setattr(httpcache, "atomic_write", full)
    else:
        run(tmp_path, [entry])
        for path in (tmp_path / "cache").iterdir():
            path.write_bytes(b"\x00garbage{")
    (outcome,) = run(tmp_path, [entry], dt.date(2026, 11, 23)).outcomes
    assert outcome.status == "ok" and outcome.posts == 20, outcome
    if fault != "cache entry corrupt":
        assert any("cannot be written" in w and "went on without it" in w for w in outcome.warnings), outcome.warnings
    else:
        assert [r.status_code for _, r in httpserver.log[-1:]] == [
            200
        ]  # the corrupt entry unused: a full fetch (page 2 holds known posts: not asked)


# --- 8. per-item resilience and sentences ---------------------------------------------------


def test_malformed_items_are_skipped_one_by_one(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = {"id": "1", "created_at": "2026-11-20T10:00:00Z", "content": "<p>fine</p>", "favourites_count": 2}
    statuses = [
        "not an object",
        {"id": {"x": 1}, "created_at": "2026-11-20T10:00:00Z"},
        {"id": "3"},
        {"id": "4", "created_at": "2026-11-20T10:00:00Z", "content": ["a list"], "replies_count": "9" * 5000},
        good,
    ]
    httpserver.expect_request("/api/v1/accounts/lookup").respond_with_json({"id": "9", "followers_count": 3})
    httpserver.expect_request("/api/v1/accounts/9/statuses").respond_with_json(statuses)
    articles = json.loads((FIXTURES / "devto/articles_page1.json").read_text())
    httpserver.expect_request("/api/articles").respond_with_json([[], {"id": 5}, *articles])
    blog_ledger(tmp_path)
    monkeypatch.setenv("WM_TOKEN", "t0ken-value")
    mentions = json.loads((FIXTURES / "webmention/mentions_page0.json").read_text())
    mentions["children"][:0] = [7, {"wm-id": 1, "wm-property": "like-of", "wm-target": "http://[::1"}]
    httpserver.expect_request("/api/mentions.jf2").respond_with_json(mentions)
    base = httpserver.url_for("").rstrip("/")
    entries = [
        {"mastodon": "@me@social.example", "base_url": base},
        {"devto": "fictional", "base_url": base},
        {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": base},
    ]
    mastodon, devto, webmentions = run(tmp_path, entries).outcomes
    assert (mastodon.status, mastodon.posts) == ("ok", 1), mastodon
    assert len([w for w in mastodon.warnings if w.startswith("mastodon: skipped a status: mastodon: status ")]) == 4
    assert "mastodon: skipped a status: mastodon: status #1: a value of an unexpected type" in mastodon.warnings
    assert (devto.status, devto.posts) == ("ok", 3) and len(devto.warnings) == 2, devto
    assert (
        webmentions.status == "ok" and "webmentions: skipped mention 1: mention #2: an unreadable value" in webmentions.warnings
    )


def test_bluesky_odd_items_are_skipped(httpserver: HTTPServer, tmp_path: Path) -> None:
    bluesky_server(httpserver)
    httpserver.clear()
    profiles, _, _ = recorded("bluesky/getProfiles_chriskenny.json")
    feed, _, _ = recorded("bluesky/getAuthorFeed_chriskenny.json")
    did = profiles["profiles"][0]["did"]
    odd = ['"text"', json.dumps({"post": {"author": {"did": did}, "record": {"text": "no uri"}}})]
    body = '{"feed": [' + ", ".join([*odd, *(json.dumps(i) for i in feed["feed"])]) + "]}"
    httpserver.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_json(profiles["profiles"][0])
    httpserver.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_data(body, content_type="application/json")
    (outcome,) = run(tmp_path, [{"bluesky": "chriskenny.bsky.social", "base_url": httpserver.url_for("").rstrip("/")}]).outcomes
    assert outcome.status == "ok" and outcome.posts > 0
    assert sum(w.startswith("bluesky: skipped a post: bluesky: post ") for w in outcome.warnings) == 2, outcome.warnings


def test_unexpected_errors_read_as_sentences(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/api/v1/accounts/lookup").respond_with_data("[" * 100_000, content_type="application/json")
    entry = {"mastodon": "@me@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    (outcome,) = run(tmp_path, [entry]).outcomes
    assert outcome.status == "failed" and "malformed JSON" in outcome.message and "(nested too deeply)" in outcome.message
    from mkdocs_influence.sources.mastodon import MastodonSource

    async def boom(self: Any, ctx: Any, http: Http) -> Any:
        await http.get(f"{self.base}/api/v1/accounts/lookup", {"acct": "x"}, kind="bytes")
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(MastodonSource, "collect_async", boom)
    (outcome,) = run(tmp_path, [entry]).outcomes
    host = httpserver.url_for("").split("//")[1].rstrip("/")
    assert outcome.message == f"mastodon: could not read the answer from {host} (nested too deeply); kept the earlier data"


def test_recorded_sources_still_cost_one_request_per_endpoint(httpserver: HTTPServer, tmp_path: Path) -> None:
    """The re-fetch cost with the cache of derived data only (docs/benchmarks.md)."""
    from test_faults import healthy

    costs = {}
    for kind in ("mastodon", "bluesky", "devto", "feed"):
        httpserver.clear()
        folder = tmp_path / kind
        folder.mkdir()
        entry = healthy(kind, httpserver, folder)
        run(folder, [entry], dt.date(2026, 11, 22))
        first = len(httpserver.log)
        again = run(folder, [entry], dt.date(2026, 11, 23))
        costs[kind] = (len(httpserver.log) - first, again.changed, again.outcomes[0].posts)
    assert costs == {"mastodon": (2, False, 5), "bluesky": (2, False, 20), "devto": (1, False, 3), "feed": (1, False, 20)}


def test_cache_entries_of_older_versions_are_deleted(httpserver: HTTPServer, tmp_path: Path) -> None:
    """Older versions cached whole bodies (other people inside): the next run removes them."""
    import base64

    mastodon_server(httpserver)
    (tmp_path / "cache").mkdir()
    old = tmp_path / "cache" / "0123456789abcdef0123456789abcdef.json"
    body = base64.b64encode(b'{"display_name": "Someone Else"}').decode()
    old.write_text(json.dumps({"body": body, "etag": 'W/"1"', "last_modified": None}, sort_keys=True))
    entry = {"mastodon": "@mastodonpy_test@social.example", "base_url": httpserver.url_for("").rstrip("/")}
    assert run(tmp_path, [entry]).outcomes[0].status == "ok"
    assert not old.exists()


def test_a_page_of_a_million_bogus_items_costs_little(hostile: HostileServer, tmp_path: Path) -> None:
    """Raw items are capped too (max_items per source): no million warnings, no million exceptions."""
    page = b"[" + b",".join([b"{}"] * 1_000_000) + b"]"

    def statuses(conn: Any, target: str, query: dict) -> None:
        conn.head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(page))})
        conn.send(page)

    hostile.on("/api/v1/accounts/lookup", lambda c, t, q: c.json("200 OK", {"id": "9", "followers_count": 1}))
    hostile.on("/api/v1/accounts/9/statuses", statuses)
    started = time.monotonic()
    (outcome,) = run(tmp_path, [{"mastodon": "@me@x.example", "base_url": hostile.url("")}], max_items=1000).outcomes
    assert (outcome.status, outcome.posts) == ("ok", 0), outcome
    assert time.monotonic() - started < 10 and len(outcome.warnings) == 101
    assert outcome.warnings[0] == "mastodon: stopped after 1000 items (limit): kept what was read"
    assert outcome.warnings[-1] == "mastodon: … and 901 more warnings like these"


def test_a_cached_parse_of_another_shape_means_a_fresh_read(httpserver: HTTPServer, tmp_path: Path) -> None:
    """An entry derived by another version (valid, but of another shape) never fails the feed."""
    from test_faults import healthy

    entry = healthy("feed", httpserver, tmp_path)
    run(tmp_path, [entry])
    (path,) = (tmp_path / "cache").iterdir()
    from mkdocs_influence.net.cache import VERSION, _digest

    derived = {"posts": [{"id": "x"}], "warnings": []}
    path.write_text(
        json.dumps({"derived": derived, "digest": _digest(derived), "etag": '"v1"', "last_modified": None, "version": VERSION})
    )
    (outcome,) = run(tmp_path, [entry], dt.date(2026, 11, 23)).outcomes
    assert outcome.status == "ok" and outcome.posts == 20, outcome
    assert [r.status_code for _, r in httpserver.log[-2:]] == [304, 200]  # page 2 holds known posts: not asked


def test_https_to_http_redirect_is_not_followed(hostile: HostileServer, tmp_path: Path) -> None:
    """A real TLS server redirecting to plain HTTP: the hop is refused, the HTTP server never asked."""
    import shutil
    import ssl

    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
    subprocess.run(
        ["openssl", *request, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    plain = hostile.on("/api", status_forever("200 OK"))
    with HostileServer(tls=(str(cert), str(key))) as secure:
        url = secure.on("/api", redirect(lambda target: plain))

        async def go() -> Any:
            async with httpx.AsyncClient(verify=ssl.create_default_context(cafile=str(cert))) as c:
                try:
                    return (await Http(c, "test", limits=FAST).get(url)).data
                except SourceError as exc:
                    return exc

        out = asyncio.run(go())
        assert isinstance(out, Stopped) and "redirected from HTTPS to http://127.0.0.1:" in out.message, out
        assert secure.hits["/api"] == 1 and hostile.hits["/api"] == 0
