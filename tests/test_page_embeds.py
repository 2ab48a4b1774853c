"""Every embed snippet on the history page is valid in its own format, whatever the badge label."""

from __future__ import annotations

import html.parser
import re
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_influence.render.pages import embed_snippets

docutils_core = pytest.importorskip("docutils.core")

PAGE = "https://blog.example/sub/influence/"
REPORT = {"site_url": "https://blog.example/sub/", "score": 44}
HOSTILE = ["influence score: 44", 'say "hi" <b>&amp;</b>', "a]b[c](javascript:x)", "back\\slash *em* _u_", "ünï ç ø 影响"]


def _snippets(alt: str) -> dict[str, str]:
    return dict(embed_snippets(REPORT, alt))


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _html_tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def _check_markdown(alt: str, text: str) -> None:
    tags = _html_tags(markdown.markdown(text))
    assert [t for t, _ in tags] == ["p", "a", "img"], text
    assert tags[1][1]["href"] == PAGE
    assert tags[2][1] == {"src": PAGE + "badge.svg", "alt": alt}


def _check_html(alt: str, text: str, image: str = "badge.svg") -> None:
    tags = _html_tags(text)
    assert [t for t, _ in tags] == ["a", "img"]
    assert tags[0][1] == {"href": PAGE}
    assert tags[1][1]["src"] == PAGE + image and tags[1][1]["alt"] == alt


def _check_rst(alt: str, text: str) -> None:
    doctree = docutils_core.publish_doctree(text, settings_overrides={"report_level": 5, "halt_level": 5})
    assert not [m for m in doctree.findall() if m.tagname == "system_message"], text
    refs = [n for n in doctree.findall() if n.tagname == "reference"]
    images = [n for n in doctree.findall() if n.tagname == "image"]
    assert len(refs) == 1 and refs[0]["refuri"] == PAGE
    assert len(images) == 1 and images[0]["uri"] == PAGE + "badge.svg" and images[0]["alt"] == " ".join(alt.split())


def _check_bbcode(text: str) -> None:
    assert re.fullmatch(r"\[url=([^\]\s]+)\]\[img\]([^\[\]\s]+)\[/img\]\[/url\]", text), text
    assert text == f"[url={PAGE}][img]{PAGE}badge.svg[/img][/url]"


def _check_shields(text: str) -> None:
    parts = urlsplit(text)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "img.shields.io", "/endpoint")
    assert "/" not in parts.query and ":" not in parts.query  # our URL is percent-encoded
    assert parse_qs(parts.query) == {"url": [PAGE + "shields.json"]}


@pytest.mark.parametrize("alt", HOSTILE)
def test_every_snippet_is_valid(alt: str) -> None:
    snippets = _snippets(alt)
    assert list(snippets) == ["Markdown", "HTML", "reStructuredText", "BBCode", "Score card (HTML)", "shields.io endpoint"]
    _check_markdown(alt, snippets["Markdown"])
    _check_html(alt, snippets["HTML"])
    _check_html(alt, snippets["Score card (HTML)"], "card.svg")
    _check_rst(alt, snippets["reStructuredText"])
    _check_bbcode(snippets["BBCode"])
    _check_shields(snippets["shields.io endpoint"])


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=30))
def test_markdown_and_html_keep_any_alt(alt: str) -> None:
    alt = alt.strip() or "x"
    snippets = _snippets(alt)
    _check_html(alt, snippets["HTML"])
    _check_rst(alt, snippets["reStructuredText"])


def test_rst_snippet_keeps_its_lines_on_the_page() -> None:
    """The page shows the reStructuredText snippet with its newlines (they were once lost)."""
    import html as html_lib

    from test_page_render import REPORT as FULL

    from mkdocs_influence.render.pages import history_body

    page = history_body(FULL, lambda item: "", "influence score: 44")
    block = re.search(r"<pre><code>(\.\. image::.*?)</code></pre>", page, re.S)
    assert block is not None
    text = html_lib.unescape(block.group(1))
    assert text.count("\n") == 2
    _check_rst("influence score: 44", text.replace("https://madder-and-weld.example/", "https://blog.example/sub/"))
