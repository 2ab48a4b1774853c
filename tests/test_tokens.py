"""The fast token scan (text cut with string operations) always gives what the regex gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mkdocs_influence.terms import text as T
from mkdocs_influence.terms import tokens as K

#: Pieces that have broken naive tokenizers: symbols in names, dots in every role, case that
#: changes length when lowered, the scan's own markers, separators and marks of every kind.
TRICKY = [
    "C++", "c#", "F#", ".NET", "ASP.NET", "asp.net.", "c++.", "c#+x", ".net+", "node.js", "e.g.", "i.e.,", "3.14", "v1.2.3",
    "web2.0", "x/y", "and/or", "Ctrl+Click", "UTC+1", "well-known", "'quoted'", "--flag", "-", "—", "–", "…", "...", "..",
    ".", "»", "«", "→", "😀", "Java", "JAVA", "java", "GitHub", "Go", "don't", "rock'n'roll", "_init_", "foo_bar", "2020",
    "İstanbul", "ΣΟΦΙΑΣ", "σοφία", "Straße", "ǅ", "ﬁle", "U.S.A.", "Mr.", "#hashtag", "@me", "x+y", "a&b", "<b>", "{x}",
    "`code`", "=", "~", "^", "%", "$", "\\", "\x01", "\x00", "docker", "kubernetes", "madder", "Python", "python3", "Python's",
]  # fmt: skip
GAPS = ["", " ", "  ", "\n", "\n\n", ". ", "! ", "? ", ", ", "; ", ": ", "(", ")", "[", "]", '"', "“", "”", "|", "*", "\t",
        "\r\n", "\u00a0", "\u2003", ".\t", ".\r\n", "...\n", ".)", "./"]  # fmt: skip

texts = st.lists(st.tuples(st.sampled_from(TRICKY) | st.text(max_size=6), st.sampled_from(GAPS)), max_size=40).map(
    lambda parts: "".join(p + g for p, g in parts)
)


def _regex_only(text: str, title: str, lang: str) -> dict[str, int]:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(T, "scan", K._regex_scan)
        return T.extract_terms(text, lang, title=title)


@settings(max_examples=400, deadline=None)
@given(text=texts, title=texts, lang=st.sampled_from(["en", "el", "de"]))
@example(text="Wait... what? C++ and ASP.NET, e.g. node.js.. İstanbul—Java \x01 end.", title="Java and Go", lang="en")
def test_the_fast_scan_gives_the_regex_terms(text: str, title: str, lang: str) -> None:
    assert T.extract_terms(text, lang, title=title) == _regex_only(text, title, lang)


@settings(max_examples=300, deadline=None)
@given(text=texts)
@example(text="C++...\n. . x..\u00a0y.\r\nz.  ")  # a run of periods before each kind of whitespace
def test_the_fast_scan_keeps_the_words_sentence_ends_and_their_order(text: str) -> None:
    table = T._word_table("en")
    _, fast, found, _ = K.scan(text, table)
    _, slow, slow_found, _ = K._regex_scan(text, table)
    # the regex may find several no-words where the cut finds one piece ("e.g"): runs of "" are one
    assert _squeezed(fast) == _squeezed(slow)
    assert {k: n for k, n in found.items() if k != ""} == {k: n for k, n in slow_found.items() if k != ""}


def _squeezed(values: list[str | None]) -> list[str | None]:
    return [v for i, v in enumerate(values) if v != "" or i == 0 or values[i - 1] != ""]


def test_the_common_cases_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sentences, abbreviations, dotted names, ellipses and dashes do not fall back to the regex."""
    prose = "Wait... what? We used C++ and ASP.NET, e.g. web.config and v1.2 — it's well-known (really).\nNew line.."
    table = T._word_table("en")
    _, slow, _, _ = K._regex_scan(prose, table)
    called = []
    monkeypatch.setattr(K, "_regex_scan", lambda part, table: called.append(part))
    tokens, values, _, _ = K.scan(prose, table)
    assert not called
    assert [t for t in tokens if t in ("C++", "ASP", ".NET", "web", "config")] == ["C++", "ASP", ".NET", "web", "config"]
    assert values.count(None) == slow.count(None) == 9  # ... ? , e.g. ( ) . newline ..
