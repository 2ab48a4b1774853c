"""Every fault kind against every network source: the run completes, the summary names
the failure, and the ledger keeps every earlier observation (byte for byte)."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, write_site
from pytest_httpserver import HTTPServer
from test_sources_network import blog_ledger, bluesky_server, mastodon_server, run
from werkzeug import Request, Response

from mkdocs_influence.shells.cli import main

ANY = re.compile(".*")
SENTINEL = "SENTINEL-TOKEN-7f3a9"


def _slow(request: Request) -> Response:
    time.sleep(0.5)
    return Response("{}", content_type="application/json")


def _truncated(request: Request) -> Response:
    response = Response('{"partial": tr', content_type="application/json")
    response.headers["Content-Length"] = "400"
    return response


def _json(status: int, body: object, **headers: str) -> Callable[[Request], Response]:
    return lambda request: Response(json.dumps(body), status=status, content_type="application/json", headers=headers)


FAULTS: dict[str, Callable[[Request], Response]] = {
    "timeout": _slow,
    "429": _json(429, {"error": "Too many requests"}, **{"Retry-After": "3600"}),
    "500": _json(500, {"error": "boom"}),
    "502": lambda r: Response("bad gateway", status=502),
    "503": lambda r: Response("unavailable", status=503),
    "401": _json(401, {"error": "unauthorized"}),
    "403": _json(403, {"error": "forbidden"}),
    "404": _json(404, {"error": "not found"}),
    "truncated": _truncated,
    "wrong content type": lambda r: Response("<html>maintenance</html>", content_type="text/html"),
    "malformed JSON": lambda r: Response('{"id": "1", "x": [', content_type="application/json"),
}


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """A TCP server that accepts and immediately resets every connection."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    thread.join()
    sock.close()


def healthy(kind: str, server: HTTPServer, tmp_path: Path) -> dict:
    """Serve real recorded answers for ``kind`` and return its source entry."""
    base = server.url_for("").rstrip("/")
    if kind == "mastodon":
        mastodon_server(server)
        return {"mastodon": "@mastodonpy_test@social.example", "base_url": base}
    if kind == "bluesky":
        bluesky_server(server)
        return {"bluesky": "chriskenny.bsky.social", "base_url": base}
    if kind == "devto":
        server.expect_request("/api/articles").respond_with_json(json.loads((FIXTURES / "devto/articles_page1.json").read_text()))
        return {"devto": "fictional", "base_url": base}
    if kind == "feed":
        xml = (FIXTURES / "feeds/feedjira_TechCrunch_wordpress_rss.xml").read_bytes()

        def feed(request: Request) -> Response:  # answers If-None-Match like WordPress
            if request.headers.get("If-None-Match") == '"v1"':
                return Response(status=304)
            return Response(xml, content_type="application/rss+xml", headers={"ETag": '"v1"'})

        server.expect_request("/feed/", query_string={"paged": "2"}).respond_with_data("", status=404)
        server.expect_request("/feed/").respond_with_handler(feed)
        return {"feed": server.url_for("/feed/")}
    blog_ledger(tmp_path)
    server.expect_request("/api/mentions.jf2").respond_with_json(
        json.loads((FIXTURES / "webmention/mentions_page0.json").read_text())
    )
    return {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": base}


SOURCES = ["mastodon", "bluesky", "devto", "feed", "webmentions"]


@pytest.mark.parametrize("fault", [*FAULTS, "connection reset", "repeated cursor"])
@pytest.mark.parametrize("kind", SOURCES)
def test_fault_keeps_the_ledger(
    kind: str, fault: str, httpserver: HTTPServer, tmp_path: Path, resetting_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WM_TOKEN", SENTINEL)
    entry = healthy(kind, httpserver, tmp_path)
    first = run(tmp_path, [entry], dt.date(2026, 11, 22))
    assert first.outcomes[0].status == "ok", first.outcomes[0].message
    before = (tmp_path / "data" / "ledger.jsonl").read_bytes()
    httpserver.clear()
    if fault == "connection reset":
        entry = {**entry, "base_url": resetting_server} if "base_url" in entry else {"feed": resetting_server + "/feed/"}
    elif fault == "repeated cursor":
        if kind not in ("mastodon", "bluesky"):
            pytest.skip("only cursor-paged sources")
        loop_page(kind, httpserver)
    else:
        httpserver.expect_request(ANY).respond_with_handler(FAULTS[fault])
    result = run(tmp_path, [entry], dt.date(2026, 11, 23), timeout=0.2)
    (outcome,) = result.outcomes
    if fault == "repeated cursor":  # a paging stop keeps the pages read (issue #16) and loses nothing earlier
        assert outcome.status == "ok" and any("repeated a paging cursor" in w for w in outcome.warnings), outcome
        assert set(before.splitlines()) <= set((tmp_path / "data" / "ledger.jsonl").read_bytes().splitlines())
        return
    assert outcome.status == "failed", (fault, outcome)
    assert outcome.message.startswith(f"{kind}: ") and "\n" not in outcome.message
    assert SENTINEL not in outcome.message
    assert (tmp_path / "data" / "ledger.jsonl").read_bytes() == before


def loop_page(kind: str, server: HTTPServer) -> None:
    if kind == "mastodon":
        server.expect_request("/api/v1/accounts/lookup").respond_with_json({"id": "9", "followers_count": 1})
        statuses = [{"id": str(i), "created_at": "2026-11-20T10:00:00Z", "content": "<p>new</p>"} for i in range(1000, 1003)]
        loop = f'<{server.url_for("/api/v1/accounts/9/statuses")}?max_id=5>; rel="next"'
        server.expect_request("/api/v1/accounts/9/statuses").respond_with_json(statuses, headers={"link": loop})
    else:
        server.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_json({"did": "did:me", "handle": "me.example"})
        post = {
            "uri": "at://did:me/app.bsky.feed.post/new{}",
            "author": {"did": "did:me"},
            "record": {"text": "x", "createdAt": "2026-11-20T10:00:00Z"},
        }
        feed = [{"post": {**post, "uri": post["uri"].format(i)}} for i in range(3)]
        server.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_json({"feed": feed, "cursor": "same"})


def test_secrets_never_leak(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A sentinel token, --verbose, failing sources, errors: it appears nowhere."""
    monkeypatch.setenv("WM_TOKEN", SENTINEL)
    httpserver.expect_request(ANY).respond_with_handler(_json(500, {"error": f"echo {SENTINEL}"}))
    base = httpserver.url_for("").rstrip("/")
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": "site_name: S\nsite_url: https://s.example/\nplugins:\n  - influence:\n      sources:\n        - blog\n"
            f"        - webmentions: s.example\n          token_env: WM_TOKEN\n          base_url: {base}\n"
            f"        - mastodon: '@me@s.example'\n          base_url: {base}\n          token_env: WM_TOKEN\n",
            "docs/blog/posts/a.md": "---\ndate: 2026-01-01\n---\n# A\n",
            "docs/index.md": "# S\n",
        },
    )
    outputs = []
    for args in (
        ["update", "--verbose"],
        ["update", "--verbose", "--bundle", str(tmp_path / "bundle")],
        ["report", "--json"],
        ["explain"],
        ["topics", "--explain"],
        ["doctor"],
    ):
        result = CliRunner().invoke(main, [*args[:1], "-f", str(config), *args[1:]])
        outputs.append(result.output + repr(result.exception))
    # our own log records (the test server's access log shows what it received; not ours)
    seen = "".join(outputs) + "".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            seen += path.read_bytes().decode("utf-8", "replace")
    assert "token=***" in seen or "***" in seen or "failed" in seen
    assert SENTINEL not in seen
    assert "mastodon: reading…" in outputs[0]  # progress per source with --verbose
    assert httpserver.log  # the token really was sent, to the configured host only
    assert all(req.host.startswith(("127.0.0.1", "localhost")) for req, _ in httpserver.log)
