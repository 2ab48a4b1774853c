"""The history page's social preview: one coherent set of Open Graph tags, also next to
Material's social plugin (run offline: its font cache is seeded with the system's DejaVu)."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def metas(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html)


def test_og_png_is_opaque_with_name_score_and_trend(example_site: Path) -> None:
    from PIL import Image

    from mkdocs_influence.render.bundle import render, social_preview
    from mkdocs_influence.settings import Settings
    from mkdocs_influence.shells.pipeline import report

    data = report(example_site / "influence-data", Settings(site_name="Madder & Weld"))
    image = Image.open(io.BytesIO(render(data)["og.png"]))
    assert image.size == (1200, 630)
    assert image.mode == "RGB" or image.getextrema()[3] == (255, 255)  # no transparent pixel, corners included
    rgb = image.convert("RGB")
    assert rgb.getpixel((0, 0)) != (0, 0, 0) and rgb.getpixel((1199, 629)) == (255, 255, 255)
    svg = social_preview(data)
    assert f"Madder &amp; Weld: influence score {data['score']}" in svg and "<path" in svg and "<text" not in svg  # outlines
    assert 'class="ln"' in svg  # the trend line


def test_history_page_has_one_full_set_of_tags(example_site: Path) -> None:
    mkdocs_build(example_site / "mkdocs.yml")
    html = (example_site / "site" / "influence" / "index.html").read_text()
    tags = metas(html)
    names = [n for n, _ in tags]
    assert len(names) == len(set(names)), names
    found = dict(tags)
    assert found["og:image"] == "https://madder-and-weld.example/influence/og.png"
    score = json.loads((example_site / "site" / "influence" / "score.json").read_text())["score"]
    assert found["og:title"] == f"Influence of Madder &amp; Weld: {score}"
    assert re.match(rf"Influence score {score} out of 100, (up|down) \d+\.\d in 30 days\.", found["og:description"])
    assert found["twitter:card"] == "summary_large_image" and found["og:url"] == "https://madder-and-weld.example/influence/"


def with_materials_social_plugin(site: Path) -> Path:
    """Turn Material's social plugin on in a copy of the example, offline: its font cache is
    seeded with the system's DejaVu (it would download Roboto). Returns the config."""
    pytest.importorskip("cairosvg")
    if not (DEJAVU / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu fonts are not installed (fonts-dejavu-core)")
    fonts = site / ".cache" / "plugin" / "social" / "fonts" / "Roboto"
    fonts.mkdir(parents=True)
    for style, name in (("Regular", "DejaVuSans.ttf"), ("Bold", "DejaVuSans-Bold.ttf")):
        shutil.copy(DEJAVU / name, fonts / f"{style}.ttf")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n  - blog\n", "plugins:\n  - search\n  - social\n  - blog\n"))
    return config


def test_next_to_materials_social_plugin(example_site: Path) -> None:
    config = with_materials_social_plugin(example_site)
    mkdocs_build(config)
    site = example_site / "site"
    history = dict(metas((site / "influence" / "index.html").read_text()))
    assert history["og:image"] == "https://madder-and-weld.example/influence/og.png"
    page_tags = metas((site / "influence" / "index.html").read_text())
    assert [n for n, _ in page_tags].count("og:image") == 1 and [n for n, _ in page_tags].count("twitter:card") == 1
    about = dict(metas((site / "about" / "index.html").read_text()))
    assert about["og:image"].startswith("https://madder-and-weld.example/assets/images/social/")  # Material's elsewhere
    assert not (site / "assets" / "images" / "social" / "influence" / "index.png").exists()
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = sum(len(d["text"]) for d in index["docs"] if d["location"].startswith("influence/"))
    assert 0 < text < 1500, text  # the history page is light in the search index
