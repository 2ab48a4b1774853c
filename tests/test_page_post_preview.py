"""``social_preview: posts``: each blog post's own badge-bearing preview, through real builds
and real cairosvg; hostile titles wrap inside the card (measured with the badges' metrics)."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, mkdocs_build
from hypothesis import given, settings
from hypothesis import strategies as st
from test_page_social import metas, with_materials_social_plugin

import badges
from badges._card import HEIGHT, TITLE_WIDTH, _title_lines
from badges._png import _key
from mkdocs_influence.render.bundle import BadgeSettings, post_preview, post_preview_name, post_preview_png, prepare_build
from mkdocs_influence.settings import Settings
from mkdocs_influence.shells.cli import main
from mkdocs_influence.shells.pipeline import report

pytest.importorskip("cairosvg")
Image = pytest.importorskip("PIL.Image")

REPORT = report(EXAMPLE / "influence-data", Settings(site_name="Madder & Weld", site_url="https://madder-and-weld.example/"))
POSTS = "docs/blog/posts"
HOSTILE = {
    "rtl": "مرحبا بالعالم: صبغ الصوف بقشر البصل والفوة والجوز، ملاحظات من الاستوديو الصغير على مدار عام كامل",
    "cjk": "玉ねぎの皮で毛糸を染める：媒染剤なしで金色から茶色まで、一年間のスタジオの記録と失敗の数々",
    "long": "Dyeing " * 60 + "the end",
    "markup": '<script>alert("x")</script> & <b>bold</b> \u202eevil ]]> {{ jinja }} :smile:',
}


def _turn_on(site: Path) -> Path:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - influence:\n", "  - influence:\n      social_preview: posts\n"))
    return config


def _retitle(site: Path, post: str, title: str) -> None:
    path = site / POSTS / post
    text = path.read_text()
    quoted = title.replace("'", "''")  # YAML single quotes
    path.write_text(text.replace("---\n", f"---\ntitle: '{quoted}'\n", 1))


def _post_pages(site: Path) -> dict[str, str]:
    out = site / "site" / "blog"
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.glob("20*/**/index.html"))}


def _opaque_preview(path: Path) -> None:
    image = Image.open(path)
    assert image.size == (1200, 630)
    assert image.mode == "RGB" or image.getextrema()[3] == (255, 255)


def test_every_post_gets_exactly_one_preview_of_its_own(example_site: Path) -> None:
    config = _turn_on(example_site)
    for name, key in (
        ("2026-05-04-onion-skins.md", "rtl"),
        ("2026-05-18-alum-mordant.md", "cjk"),
        ("2026-06-01-weld-yellow.md", "markup"),
    ):
        _retitle(example_site, name, HOSTILE[key])
    socks = example_site / POSTS / "2026-06-15-first-socks.md"  # a heading's title: MkDocs keeps its entities
    socks.write_text(socks.read_text().replace("# Knitting socks", "# Q&A: knitting socks", 1))
    result = CliRunner().invoke(main, ["update", "-f", str(config), "--offline", "-q"])
    assert result.exit_code == 0, result.output
    cache = example_site / ".cache" / "influence"
    prepared = sorted(p.name for p in cache.rglob("*.png"))
    assert len(list((cache / "posts").glob("*.png"))) == 14
    mkdocs_build(config)
    assert sorted(p.name for p in cache.rglob("*.png")) == prepared  # the build rendered nothing: update did
    pages = _post_pages(example_site)
    published = [p for p in (example_site / POSTS).glob("*.md") if "draft: true" not in p.read_text()]
    assert len(pages) == len(published) == 14
    site = example_site / "site"
    for where, page in pages.items():
        tags = metas(page)
        images = [v for k, v in tags if k == "og:image"]
        assert len(images) == 1 and [v for k, v in tags if k == "twitter:image"] == images, where
        assert images[0].startswith("https://madder-and-weld.example/influence/posts/") and images[0].endswith(".png")
        _opaque_preview(site / images[0].removeprefix("https://madder-and-weld.example/"))
        found = dict(tags)
        title = re.search(r"<title>(.*?) - Madder (?:&amp;|&) Weld</title>", page)
        shown = badges.clean_text(unescape(title.group(1))) if title else None  # ours drops bidi controls
        assert unescape(found["og:title"]) == shown == unescape(found["twitter:title"]), where
        assert found["og:type"] == "article" and found["twitter:card"] == "summary_large_image"
        assert unquote(found["og:url"]) == "https://madder-and-weld.example/blog/" + where.removesuffix("index.html")
    # (MkDocs itself shows a front-matter title unescaped in <title>; our tags are text)
    assert [dict(metas(p))["og:title"] for p in pages.values() if "Q&" in dict(metas(p))["og:title"]] == [
        "Q&amp;A: knitting socks from hand-dyed yarn"
    ]
    escaped = [dict(metas(p))["og:title"] for p in pages.values() if "alert" in dict(metas(p))["og:title"]]
    assert escaped == [
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; evil ]]&gt; {{ jinja }} :smile:"
    ]
    names = {p.name for p in (site / "influence" / "posts").iterdir()}
    assert names == {post_preview_name(f"blog/posts/{p.name}").split("/")[1] for p in published}


def test_off_changes_nothing(example_site: Path, tmp_path: Path) -> None:
    mkdocs_build(example_site / "mkdocs.yml")
    off = {k: v for k, v in _post_pages(example_site).items()}
    assert off and not any("og:" in page for page in off.values())
    assert not (example_site / "site" / "influence" / "posts").exists()
    about_off = (example_site / "site" / "about" / "index.html").read_text()
    mkdocs_build(_turn_on(example_site))
    assert (example_site / "site" / "about" / "index.html").read_text() == about_off  # only posts change


def test_it_replaces_materials_card_on_posts_and_yields_to_a_post_that_keeps_it(example_site: Path) -> None:
    config = with_materials_social_plugin(example_site)
    _turn_on(example_site)
    kept = example_site / POSTS / "2026-05-04-onion-skins.md"
    kept.write_text(kept.read_text().replace("---\n", "---\nsocial:\n  cards: true\n", 1))
    mkdocs_build(config)
    site = example_site / "site"
    social = site / "assets" / "images" / "social"
    for where, page in _post_pages(example_site).items():
        images = [v for k, v in metas(page) if k == "og:image"]
        assert len(images) == 1, where
        if where.startswith("2026/05/04/"):  # its front matter keeps Material's card: ours yields
            assert images[0].startswith("https://madder-and-weld.example/assets/images/social/blog/"), images
        else:
            assert "/influence/posts/" in images[0]
    cards = [str(p.relative_to(social)) for p in social.rglob("blog/20*/**/*.png")]
    assert cards == ["blog/2026/05/04/dyeing-with-onion-skins.png"]  # Material made no card for the other posts
    assert (social / "blog" / "index.png").is_file()  # the blog's index and archives keep theirs
    about = dict(metas((site / "about" / "index.html").read_text()))
    assert about["og:image"].startswith("https://madder-and-weld.example/assets/images/social/")  # Material's elsewhere


def test_without_site_url_posts_get_title_and_description_only(example_site: Path) -> None:
    config = _turn_on(example_site)
    text = config.read_text()
    config.write_text(re.sub(r"^site_(url|description):.*\n", "", text, flags=re.M))
    mkdocs_build(config)
    for where, page in _post_pages(example_site).items():
        found = dict(metas(page))
        assert "og:image" not in found and "og:url" not in found and found["twitter:card"] == "summary", where
        assert re.match(r"Influence score \d+ out of 100, up \d+\.\d in 30 days\. Topics: ", found["og:description"])
    assert not (example_site / "site" / "influence" / "posts").exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_titles_stay_inside_the_card(kind: str) -> None:
    title = HOSTILE[kind]
    size, _, lines = _title_lines(badges.clean_text(title))
    assert 1 <= len(lines) <= 3
    assert all(badges.text_width(line, size, bold=True) <= TITLE_WIDTH for line in lines), lines
    svg = post_preview(REPORT, title)
    assert "<script" not in svg and "\u202e" not in svg
    image = Image.open(io.BytesIO(post_preview_png(REPORT, title))).convert("RGB")
    assert image.size == (1200, 630)
    # Nothing drawn right of the title's column (x > 376 px of 400, at 3x) below the site name's rule.
    margin = image.crop((3 * 380, 3 * 56, 1200, 630))
    assert margin.getextrema() == ((255, 255), (255, 255), (255, 255)), kind
    # The title ends above the badge (30 px high, 16 px from the bottom).
    band = image.crop((3 * 26, 3 * (HEIGHT - 16 - 30) - 9, 3 * 376, 3 * (HEIGHT - 16 - 30) - 1))
    assert band.getextrema() == ((255, 255), (255, 255), (255, 255)), kind


def test_previews_are_deterministic_and_named_by_the_post() -> None:
    badges._png._MEMORY.clear()
    first = post_preview_png(REPORT, HOSTILE["cjk"])
    badges._png._MEMORY.clear()
    assert post_preview_png(REPORT, HOSTILE["cjk"]) == first
    assert post_preview_name("blog/posts/2026-05-04-onion-skins.md").startswith("posts/2026-05-04-onion-skins-")
    assert post_preview_name("a/x.md") != post_preview_name("b/x.md")
    assert re.fullmatch(r"posts/[0-9a-f]{10}\.png", post_preview_name("blog/posts/日本.md"))


def test_update_keeps_only_the_current_previews_in_the_cache(tmp_path: Path) -> None:
    prepare_build(REPORT, BadgeSettings(), tmp_path, ["One post", "Another post", "One post"])
    first = sorted((tmp_path / "posts").iterdir())
    assert len(first) == 2
    later = {**REPORT, "score": REPORT["score"] + 1}  # a new score: every post's badge changes
    prepare_build(later, BadgeSettings(), tmp_path, ["One post"])
    assert [p.name for p in (tmp_path / "posts").iterdir()] == [f"{_key(post_preview(later, 'One post'), badges.OG_SCALE)}.png"]
    prepare_build(later, BadgeSettings(), tmp_path)  # the option turned off
    assert not list((tmp_path / "posts").iterdir())


def test_prepare_build_fills_the_cache_even_for_images_already_rendered_in_memory(tmp_path: Path) -> None:
    """``influence update`` after other renders in the same process (tests, a long-lived caller):
    an image found in memory is still written to the build's cache, or the build renders it cold."""
    post_preview_png(REPORT, "Rendered before")  # in memory only
    prepare_build(REPORT, BadgeSettings(), tmp_path, ["Rendered before"])
    assert (tmp_path / "posts" / f"{_key(post_preview(REPORT, 'Rendered before'), badges.OG_SCALE)}.png").is_file()


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200), st.integers(1, 4))
def test_wrap_fits_and_loses_nothing_it_does_not_mark(text: str, most: int) -> None:
    lines = badges.wrap(text, 200, 22, bold=True, max_lines=most)
    assert len(lines) <= most
    assert all(badges.text_width(line, 22, bold=True) <= 200 for line in lines), lines
    if lines and not lines[-1].endswith("\u2026"):
        assert "".join("".join(lines).split()) == "".join(text.split())
