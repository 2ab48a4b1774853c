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


def test_card_theme_option() -> None:
    import pytest
    from test_page_render import REPORT

    from mkdocs_influence.config import ConfigError, badge_settings
    from mkdocs_influence.render.bundle import render

    dark = render(REPORT, badge_settings({"card_theme": "dark"}))
    assert 'fill="#0d1117"' in dark["card.svg"].decode() and "prefers-color-scheme" not in dark["card.svg"].decode()
    light = render(REPORT, badge_settings({}))["card.svg"].decode()
    assert 'fill="#ffffff" stroke="#d0d7de"' in light  # a border that shows on white
    assert "prefers-color-scheme" in render(REPORT, badge_settings({"card_theme": "auto"}))["card.svg"].decode()
    assert dark["card-light.svg"] == light.encode() and dark["card-dark.svg"] == dark["card.svg"]
    with pytest.raises(ConfigError, match=r"badge\.card_theme: expected one of light, dark, auto, got 'neon'"):
        badge_settings({"card_theme": "neon"})
