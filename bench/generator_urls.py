"""How many post URLs the generators/ readers get right on a real site, before and after.

    python bench/generator_urls.py SITE LISTING GENERATOR POSTS_DIR

SITE is a built site's source folder; LISTING is a file of "URL source-path" lines that the
real generator wrote (tests/test_generators_build.py shows the one-page template for each);
POSTS_DIR is where the posts are, for "before": the old reader, which read every site as
MkDocs Markdown under posts_dir. Prints read/matched counts for both; docs/generators/ keeps
the figures for the real blogs tried.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs_influence import generators
from mkdocs_influence.errors import ActivityError
from mkdocs_influence.site import BlogLayout, SiteInfo


def _paths(posts: tuple, strip: str = "") -> dict[str, str]:
    return {p.path.removeprefix(strip): "/" + unquote(urlsplit(p.url).path).lstrip("/") for p in posts}


def main(site: Path, listing: Path, generator: str, posts_dir: str) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    built = {}
    for line in listing.read_text().splitlines():
        if line.strip():
            url, src = line.split(" ", 1)
            built[src.strip().removeprefix("./")] = "/" + unquote(urlsplit(url).path).lstrip("/")
    old = SiteInfo(site, site, blog=BlogLayout(post_dir=posts_dir), generator="mkdocs")
    try:
        before = generators.read(generators.get("mkdocs"), old, now)
        got_before = _paths(before.posts)
        note = f"{before.skipped} skipped"
    except ActivityError as exc:  # the old reader said "ok" with what it could read; now it fails
        got_before, note = {}, f"now a failure: {exc.message[:120]}"
    after = generators.read(generators.get(generator), SiteInfo(site, site, generator=generator), now)
    got_after = _paths(after.posts)
    for name, got in (("before", got_before), ("after", got_after)):
        match = sum(1 for src, url in got.items() if any(src.endswith(b) or b.endswith(src) for b in built if built[b] == url))
        extra = f" ({note})" if name == "before" else ""
        print(f"{name}: {len(got)} posts read, {match} of {len(built)} built URLs matched{extra}")
    wrong = [(s, u) for s, u in got_after.items() if u not in built.values()]
    for src, url in wrong[:5]:
        print("  after, not built:", src, url)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
