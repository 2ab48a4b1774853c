"""``influence update`` prepares what ``mkdocs build`` would render cold (PNGs, the history
page), so a CI build that starts from an empty cache only reads them back."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import influence, mkdocs_build


def test_update_prepares_the_build(example_site: Path) -> None:
    cache = example_site / ".cache" / "influence"
    shutil.rmtree(cache, ignore_errors=True)
    influence("update", "-q", "-f", str(example_site / "mkdocs.yml"), "--offline")
    prepared = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert any(n.startswith("page-") for n in prepared) and sum(n.endswith(".png") for n in prepared) >= 4
    mkdocs_build(example_site / "mkdocs.yml")
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert after == prepared  # nothing rendered, nothing rewritten by the build
    assert (example_site / "site" / "influence" / "og.png").stat().st_size > 10_000
