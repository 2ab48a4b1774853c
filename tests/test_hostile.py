"""Hostile text through every output: parsed, never substring-matched.

Each payload goes into post titles, tags (and so topic names), the site name and the badge
label, and through every output: badge SVG, card SVG, topics SVG, PNG, the standalone
history page, the MkDocs-built page, JSON and CSV. Figures in docs/reliability.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import mkdocs_build, write_site

import badges
from mkdocs_influence.model.report import Settings, build
from mkdocs_influence.model.topics import TopicSettings
from mkdocs_influence.render.bundle import BadgeSettings, render
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Post

PAYLOADS = [
    "<script>alert(1)</script>",
    "</text><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example>",
    "<foreignObject><body onload=alert(1)/></foreignObject>",
    "a'b\"c",
    "&lt;script&gt;",
    "&amp;lt;",
    "&#0;",
    "&#x3C;script&#x3E;",
    "]]>",
    "<![CDATA[<script>x</script>]]>",
    "<!-- -->",
    "<#x>",
    "{{ 7*7 }} {% raw %}",
    "${7*7} `backtick` [link](javascript:alert(1))",
    "![img](x onerror=alert(1))",
    "\x00\x01\x02\x07\x08\x0b\x1b[31mred\x7f",
    "\u0085\u009b",
    "\ufffe\uffff\U0001fffe",
    "\ud800 lone \udfff",
    "\u202eevil\u202c",
    "\u2066iso\u2069 \u200f\u200e\u061c",
    "\ufeffbom",
    "zero\u200bwidth \u2060joiner\u00adsoft",
    "tag\U000e0041\U000e0042\U000e007fcharacters",
    "x" * 10_000,
    "שלום עולם",
    "مرحبا بالعالم",
    "日本語のテキスト",
    "emoji 🎉👩‍👩‍👧🏳️‍🌈",
    '=HYPERLINK("http://evil.example")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\ttab\r\ncrlf",
]
EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "foreignobject",
    "use",
    "animate",
    "set",
    "handler",
    "base",
    "meta",
    "link",
}


def svg_problems(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # strict XML or it raises
    found = []
    for el in root.iter():
        tag = el.tag.split("}")[-1].lower()
        if tag in EXECUTABLE_TAGS:
            found.append(tag)
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                found.append(name)
            if local == "href" and not value.startswith(("data:image/", "#")):
                found.append(f"href={value[:40]}")
            if local not in ("aria-label",) and "javascript:" in value.lower().replace(" ", ""):
                found.append(f"{name}={value[:40]}")
    return found


class _HTMLAudit(html.parser.HTMLParser):
    """Collects script elements, event handlers and javascript: URLs in HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "base"):
            self.scripts += 1
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(name)
            if name in ("href", "src", "action") and value and value.strip().lower().replace("\t", "").startswith("javascript:"):
                self.problems.append(f"{name}={value[:40]}")


def html_problems(text: str) -> list[str]:
    audit = _HTMLAudit()
    audit.feed(text)
    audit.close()
    return audit.problems


def hostile_ledger() -> L.Ledger:
    posts = []
    for i, payload in enumerate(PAYLOADS):
        for k in range(3):  # three posts over three months: every payload becomes a topic
            posts.append(
                Post(
                    "mastodon",
                    f"{i}-{k}",
                    payload,
                    dt.datetime(2026, 6 + k, 1 + i % 27, tzinfo=dt.timezone.utc),
                    url=payload if k == 0 else f"https://social.example/{i}/{k}",
                    tags=(payload, "knitting"),
                    text=payload,
                    metrics={"replies": 1 + i % 3},
                )
            )
    activity = Activity(tuple(posts), (Audience("mastodon", dt.date(2026, 11, 1), 10),))
    return L.observe(L.Ledger(), "mastodon", activity, dt.date(2026, 11, 1), complete=False)


@pytest.fixture(scope="module")
def report() -> dict:
    settings = Settings(
        topics=TopicSettings(max=len(PAYLOADS) + 1, min_share=0.0), site_name=PAYLOADS[0], site_url="https://ex.example/"
    )
    return build(hostile_ledger(), dt.date(2026, 11, 1), settings)


def test_payloads_reach_the_report(report: dict) -> None:
    """The suite really exercises the outputs: the payloads are titles, topics and evidence."""
    names = {t["name"] for t in report["topics"]}
    assert len(names) >= 20
    assert any("<script>" in t["name"] for t in report["topics"])


@pytest.mark.parametrize("label", PAYLOADS)
def test_every_bundle_file_is_inert(report: dict, label: str) -> None:
    files = render(report, BadgeSettings(label=label), standalone=True)
    for name, content in files.items():
        if name.endswith(".svg"):
            assert svg_problems(content.decode()) == [], name
        elif name.endswith(".png"):
            assert content.startswith(b"\x89PNG")
        elif name.endswith(".json"):
            text = content.decode()  # strict UTF-8: no lone surrogate got through
            invisible = {c for s in _strings(json.loads(text)) for c in s if unicodedata.category(c) in ("Cc", "Cf")}
            assert not invisible and "\ufffe" not in text, (name, invisible)
        elif name.endswith(".csv"):
            for row in csv.reader(io.StringIO(content.decode())):
                assert all(not cell or cell[0] not in "=+-@\t\r" for cell in row), row
        elif name.endswith(".html"):
            page = content.decode()
            assert html_problems(page) == []
            assert "\u202e" not in page and "\x00" not in page


def _strings(value: object) -> list[str]:
    """Every key and string value in decoded JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


def test_badge_api_with_every_payload_in_every_slot() -> None:
    tried = 0
    for payload in PAYLOADS:
        for style in badges.STYLES:
            for svg in (badges.badge(payload, payload, style=style), badges.topics_badge([payload] * 3, style=style)):
                assert svg_problems(svg) == []
                tried += 1
        for theme in badges.CARD_THEMES:
            assert svg_problems(badges.card(50, payload, [payload] * 3, [1.0, 2.0], theme=theme, label=payload)) == []
            tried += 1
    assert tried == len(PAYLOADS) * (2 * len(badges.STYLES) + len(badges.CARD_THEMES))


def test_id_suffix_and_colours_refuse_payloads() -> None:
    for payload in PAYLOADS:
        with pytest.raises(ValueError):
            badges.badge("a", "b", color=payload)
        with pytest.raises(ValueError):
            badges.badge("a", "b", logo=payload)
        if payload:
            with pytest.raises(ValueError):
                badges.badge("a", "b", id_suffix=payload)


@pytest.mark.slow
def test_built_site_pages_stay_inert(tmp_path: Path) -> None:
    """Hostile titles and tags in real blog posts, through a real ``mkdocs build``."""
    files = {
        "mkdocs.yml": "site_name: 'Hostile <script>alert(1)</script>'\nsite_url: https://ex.example/\nplugins:\n"
        "  - influence:\n      badge: {label: '\"><svg onload=alert(1)>'}\n",
        "docs/index.md": "# Home\n\n<!-- influence:badge -->\n\n<!-- influence:card -->\n\n<!-- influence:topics -->\n",
    }
    for i, payload in enumerate(PAYLOADS[:30]):
        safe = json.dumps(payload.replace("\x00", ""))  # YAML cannot carry NUL
        for k in range(3):
            files[f"docs/blog/posts/p{i}-{k}.md"] = (
                f"---\ndate: 2026-0{6 + k}-1{k}\ntitle: {safe}\ntags: [{safe}, knitting]\n---\n\nText.\n"
            )
    config = write_site(tmp_path, files)
    from click.testing import CliRunner

    from mkdocs_influence.shells.cli import main

    result = CliRunner().invoke(main, ["update", "-f", str(config), "--as-of", "2026-11-01", "--verbose"])
    assert result.exit_code == 0, result.output
    mkdocs_build(config)
    # The theme has scripts of its own: compare with a build of the same site with harmless text.
    calm = tmp_path / "calm"
    write_site(
        calm,
        {
            k: (v if not k.startswith("docs/blog") else v.split("title:")[0] + "title: calm\ntags: [knitting]\n---\n")
            for k, v in files.items()
        },
    )
    (calm / "mkdocs.yml").write_text("site_name: calm\nsite_url: https://ex.example/\nplugins:\n  - influence\n")
    CliRunner().invoke(main, ["update", "-f", str(calm / "mkdocs.yml"), "--as-of", "2026-11-01"])
    mkdocs_build(calm / "mkdocs.yml")
    # What this plugin writes: the history page's content and the marker images on the home page.
    # (The theme's own navigation shows front-matter titles as the theme chooses; not ours.)
    regions = {"influence/index.html": '<div class="influence-page">', "index.html": '<h1 id="home">'}
    for page, start in regions.items():
        hostile_page = (tmp_path / "site" / page).read_text()
        region = hostile_page[hostile_page.index(start) : hostile_page.index("<footer")]
        assert html_problems(region) == [], page
        calm_page = (calm / "site" / page).read_text()
        assert html_problems(calm_page[calm_page.index(start) : calm_page.index("<footer")]) == []
    for name in ("badge.svg", "card.svg", "topics.svg"):
        assert svg_problems((tmp_path / "site" / "influence" / name).read_text()) == []
