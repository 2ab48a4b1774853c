"""Every network attack of issue #16 against one `influence update` with the DEFAULT limits.

    python bench/attack_bench.py [--quick]

Hostile servers on 127.0.0.1 (tests/hostile_http.py). Each run is a fresh process doing
what `influence update` does (pipeline.update, default NetSettings) on a data folder that
already holds a healthy first run; the script prints, per attack: seconds, requests the
attacked source made, the process's peak RSS, the outcome, and whether any earlier data was
lost (the ledger must keep every line it had). Figures: docs/reliability.md. ``--quick``
(CI) runs the cheap attacks only, with a 1 MiB body limit instead of the default.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile_http import (  # noqa: E402
    GIB,
    HostileServer,
    echo_error,
    endless_chunked,
    gzip_bomb,
    gzip_bomb_answer,
    huge_body,
    redirect,
    slow_headers,
    slow_loris,
    status_forever,
)

from mkdocs_influence.net.redact import forms  # noqa: E402

CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from mkdocs_influence.shells.pipeline import NetSettings, update
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import parse_specs
tmp, entries, limits, day = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
(tmp / "docs").mkdir(exist_ok=True)
site = SiteInfo(docs_dir=tmp / "docs", config_dir=tmp, site_url="https://blog.example/")
started = time.monotonic()
net = NetSettings(cache_dir=tmp / "cache", **limits)
result = update(site, parse_specs(entries), tmp / "data", dt.date(2026, 11, day), net=net)
print(json.dumps({
    "seconds": time.monotonic() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "outcomes": {o.name: [o.status, o.posts, o.message, list(o.warnings)] for o in result.outcomes},
}))
"""

# the path each kind asks first, so one server can attack several sources at once
FIRST = {
    "mastodon": "/api/v1/accounts/lookup",
    "bluesky": "/xrpc/app.bsky.actor.getProfile",
    "devto": "/api/articles",
    "feed": "/feed",
    "webmentions": "/api/mentions.jf2",
}
TOKEN = "SENT+INEL/tok=en&7f3a9"


def entry(kind: str, base: str) -> dict:
    if kind == "feed":
        return {"feed": base + "/feed"}
    if kind == "webmentions":
        return {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": base}
    return {kind: "@me@x.example" if kind == "mastodon" else "me", "base_url": base}


def update(folder: Path, entries: list[dict], limits: dict | None = None, day: int = 23) -> dict:
    import os

    env = {**os.environ, "WM_TOKEN": TOKEN}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), json.dumps(entries), json.dumps(limits or {}), str(day)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def healthy_first_run(folder: Path, kinds: list[str]) -> bytes:
    """A first run that records something for every attacked source (so a loss would show)."""
    with HostileServer() as good:
        statuses = [{"id": str(i), "created_at": "2026-11-20T10:00:00Z", "content": "<p>mine</p>"} for i in range(3)]
        feed = (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>mine</title>'
            b"<guid>g</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"
        )
        routes = {
            "/api/v1/accounts/lookup": lambda c, t, q: c.json("200 OK", {"id": "9", "followers_count": 5}),
            "/api/v1/accounts/9/statuses": lambda c, t, q: c.json("200 OK", statuses),
            "/xrpc/app.bsky.actor.getProfile": lambda c, t, q: c.json("200 OK", {"did": "did:plc:me", "followersCount": 7}),
            "/xrpc/app.bsky.feed.getAuthorFeed": lambda c, t, q: c.json("200 OK", {"feed": []}),
            "/api/articles": lambda c, t, q: c.json(
                "200 OK", [{"id": 1, "title": "mine", "published_at": "2026-11-01T00:00:00Z", "comments_count": 2}]
            ),
            "/api/mentions.jf2": lambda c, t, q: c.json("200 OK", {"type": "feed", "children": []}),
        }
        for path, behaviour in routes.items():
            good.on(path, behaviour)

        def rss(conn: Any, target: str, query: dict) -> None:
            conn.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Length": str(len(feed))})
            conn.send(feed)

        good.on("/feed", rss)
        result = update(folder, [entry(k, good.url("")) for k in kinds], day=22)
        assert all(o[0] == "ok" for o in result["outcomes"].values()), result
    return (folder / "data" / "ledger.jsonl").read_bytes()


def lost(folder: Path, before: bytes) -> int:
    after = set((folder / "data" / "ledger.jsonl").read_bytes().splitlines())
    return len([line for line in before.splitlines() if line not in after])


Setup = Callable[[HostileServer], dict[str, Any]]
ONLY = [""]  # --only: run the attacks whose title contains this


def attack(title: str, setup: Setup, limits: dict | None = None) -> list[str]:
    """One update with every kind ``setup`` returns attacked at once; one line per source."""
    rows: list[str] = []
    if ONLY[0] not in title:
        return rows
    with tempfile.TemporaryDirectory() as tmp, HostileServer() as bad:
        folder = Path(tmp)
        behaviours = setup(bad)
        kinds = list(behaviours)
        before = healthy_first_run(folder, kinds)
        for kind, behaviour in behaviours.items():
            if behaviour is not None:
                bad.on(FIRST[kind], behaviour)
        result = update(folder, [entry(k, bad.url("")) for k in kinds], limits)
        missing = lost(folder, before)
        for kind in kinds:
            status, posts, message, warnings = result["outcomes"][kind]
            said = (message or "; ".join(warnings)).replace("|", "/")[:160]
            requests = sum(bad.hits.values()) if len(kinds) == 1 else bad.hits[FIRST[kind]]
            rows.append(
                f"| {title} | {kind} | {result['seconds']:.1f} s | {requests} | {result['peak_mb']:.0f} MB "
                f"| {status}, {posts} items: {said} | {missing} |"
            )
    return rows


def pages(server: HostileServer, *, other_host: bool = False) -> dict[str, Any]:
    """Mastodon with endless full pages of new statuses (next links on this host, or another)."""

    def statuses(conn: Any, target: str, query: dict) -> None:
        page = int(query.get("max_id", ["0"])[0])
        items = [{"created_at": "2026-11-20T10:00:00Z", "content": "<p>x</p>"}]
        items = [{**items[0], "id": str(10**9 - page * 40 - i)} for i in range(40)]
        host = "localhost" if other_host else "127.0.0.1"
        link = f'<http://{host}:{server.port}/api/v1/accounts/9/statuses?max_id={page + 1}>; rel="next"'
        conn.json("200 OK", items, Link=link)

    server.on("/api/v1/accounts/9/statuses", statuses)
    server.on("/api/v1/accounts/lookup", lambda c, t, q: c.json("200 OK", {"id": "9", "followers_count": 5}))
    return {"mastodon": None}


def tiny_entries_feed() -> Any:
    """A valid RSS feed of about 8 MiB made of the smallest dated entries (the slowest to parse)."""
    item = b"<item><title>a</title><guid>g%d</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
    head, tail = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>', b"</channel></rss>"
    items, size, i = [], len(head) + len(tail), 0
    while size < (8 << 20) - 200:
        items.append(item % i)
        size, i = size + len(items[-1]), i + 1
    body = head + b"".join(items[:-1]) + tail

    def run(conn: Any, target: str, query: dict) -> None:
        conn.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Length": str(len(body))})
        conn.send(body)

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="run only the attacks whose title contains this")
    args = parser.parse_args()
    quick, ONLY[0] = args.quick, args.only
    rows: list[str] = []
    if not quick:
        rows += attack(
            "time: five sources at once",
            lambda s: {
                "mastodon": slow_loris(1.0, 100_000),
                "bluesky": slow_headers(1.0, 100_000),
                "devto": status_forever("429 Too Many Requests", **{"Retry-After": "0"}),
                "feed": status_forever("429 Too Many Requests", **{"X-RateLimit-Reset": "2015-10-21T07:28:00Z"}),
                "webmentions": status_forever("503 Service Unavailable", **{"Retry-After": "0"}),
            },
        )

        def bomb() -> bytes:
            started = time.monotonic()
            data = gzip_bomb(2 * GIB)
            print(f"(a {len(data) / 1e6:.1f} MB gzip bomb inflating to 2 GiB, built in {time.monotonic() - started:.0f} s)")
            return data

        rows += attack(
            "size: four sources at once",
            lambda s: {
                "mastodon": huge_body(2 * GIB),
                "bluesky": huge_body(2 * GIB, announce=False),
                "devto": endless_chunked(),
                "feed": gzip_bomb_answer(bomb(), ctype="application/rss+xml"),
            },
        )
        rows += attack("limit: endless pages", pages)
        rows += attack("size: a feed just under 8 MiB of tiny entries", lambda s: {"feed": tiny_entries_feed()})
    small = {"max_bytes": 1 << 20} if quick else None
    on_the_fly = gzip_bomb_answer(None, ctype="application/rss+xml")
    rows += attack("size: gzip bomb made on the fly", lambda s: {"feed": on_the_fly}, small)
    rows += attack(
        "rate: 429 Retry-After 0",
        lambda s: {"devto": status_forever("429 Too Many Requests", **{"Retry-After": "0"})},
        {"wait_budget": 2.0, "min_wait": 0.1} if quick else None,
    )
    rows += attack("paging: Link to another host", lambda s: pages(s, other_host=True))

    def off_host(server: HostileServer) -> dict[str, Any]:
        server.on("/stolen", status_forever("200 OK"))
        return {"webmentions": redirect(lambda target: f"http://localhost:{server.port}/stolen?{target.split('?', 1)[-1]}")}

    rows += attack("redirect to another host, token in the query", off_host)
    rows += attack(
        "token echoed percent-encoded after 180 characters",
        lambda s: {"webmentions": echo_error(lambda q: quote(q["token"][0], safe=""), pad=180)},
    )
    print("| attack | source | update took | requests | peak RSS | outcome | earlier ledger lines lost |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    leaks = [r for r in rows if any(f in r for f in forms(TOKEN))]
    print(f"\nrows printing any form of the token: {len(leaks)}")


if __name__ == "__main__":
    main()
