"""Requests of a re-fetch with nothing new, against a first full fetch, per network source,
against a local HTTP server replaying recorded answers (tests/fixtures).

    python bench/refetch_bench.py [--quick]

Target: one request per endpoint read (e.g. Mastodon: profile + first page), no old pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pytest_httpserver import HTTPServer  # noqa: E402
from test_faults import healthy  # noqa: E402
from test_sources_network import run  # noqa: E402


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    argparse.ArgumentParser().add_argument("--quick", action="store_true")
    for kind in ("mastodon", "bluesky", "devto", "feed"):
        server = HTTPServer()
        server.start()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                entry = healthy(kind, server, Path(tmp))
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
