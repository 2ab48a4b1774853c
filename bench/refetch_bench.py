"""Requests of a re-fetch with nothing new, against a first full fetch, per network source,
against a local HTTP server replaying recorded answers (tests/fixtures).

    python bench/refetch_bench.py [--quick]

Target: one request per endpoint read (e.g. Mastodon: profile + first page), no old pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pytest_httpserver import HTTPServer  # noqa: E402
from test_sources_network import FIXTURES, bluesky_server, mastodon_server, run  # noqa: E402


def serve(kind: str, server: HTTPServer) -> dict:
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
    xml = (FIXTURES / "feeds/feedjira_TechCrunch_wordpress_rss.xml").read_bytes()
    from werkzeug import Response

    def feed(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(xml, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    server.expect_request("/feed/", query_string={"paged": "2"}).respond_with_data("", status=404)
    server.expect_request("/feed/").respond_with_handler(feed)
    return {"feed": server.url_for("/feed/")}


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    argparse.ArgumentParser().add_argument("--quick", action="store_true")
    for kind in ("mastodon", "bluesky", "devto", "feed"):
        server = HTTPServer()
        server.start()
        try:
            entry = serve(kind, server)
            with tempfile.TemporaryDirectory() as tmp:
                first = run(Path(tmp), [entry], dt.date(2026, 11, 22))
                n_first = len(server.log)
                again = run(Path(tmp), [entry], dt.date(2026, 11, 23))
                n_again = len(server.log) - n_first
            statuses = [r.status_code for _, r in server.log[n_first:]]
            print(
                f"{kind:<9} first fetch {n_first} requests ({first.outcomes[0].posts} posts); "
                f"re-fetch with nothing new {n_again} requests {statuses}; ledger changed: {again.changed}"
            )
        finally:
            server.clear()
            server.stop()


if __name__ == "__main__":
    main()
