"""A post's words in order, for term extraction: cheap C string operations, one regex as the definition.

:data:`TOKEN` defines what a token is: a word (names spelled with symbols — "C#", ".NET", "C++" —
kept whole) or one punctuation mark that ends a sentence. Scanning every character with it is
the slowest step of extraction, so :func:`scan` first cuts the text with ``str.replace`` and
``str.split`` (which run at memory speed) and applies the regex once per *distinct* piece, in a
per-language table. Where a piece would not map to one of the regex's tokens (a name with
symbols inside, "Ctrl+Click"; a letter whose lower case is longer, "İ"; the cut's own markers in
the text), the part is scanned with the regex instead: the terms are always the regex's
(``tests/test_tokens.py`` checks it on random text).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable

#: A word, or one punctuation mark that ends a sentence: one scan, every branch starting with a character
#: class (no lookbehind at every position); no IGNORECASE (slower): the few letters that need both cases spell them.
TOKEN = re.compile(
    r"[cC]\+\+(?![\w#+])|[cCfF]#(?![\w#+])|[^\W_](?:[\w'’-]*[^\W_])?|\.(?:[nN][eE][tT](?![\w#+])|(?=\s|$))|[!?;:,()\[\]\n\"“”|*]"
)
ENDS = frozenset('.!?;:,()[]\n"“”|*')
END = None  # a sentence-ending token in a post's word sequence

_MARK = "\x01"  # stands for a sentence end between spaces once the text is cut
_CUT_ENDS = tuple(sorted(ENDS - {"."}))  # always a token of their own: replaced by the marker, spaced
#: Characters that are never part of a token and leave every lookahead of :data:`TOKEN` as it was
#: (neither ``\w`` nor ``#``/``+``; periods are cut before them): plain separators, as a space is.
_SEPARATORS = tuple("/\\<>{}=&%$@~^`—–")
#: a run of periods before whitespace other than " " and "\n" (those two are cut with str.replace): the run's
#: last period ends a sentence, the others are separators (as they are before " " and "\n")
_DOTS_END_RARE = re.compile(r"\.+(?=[^\S \n])")
_DOT_INNER = re.compile(r"\.(?![nN][eE][tT](?![\w#+]))")  # any other period: a separator
_VANISH = object()  # a piece with no token in it ("-", "—", an emoji): dropped, its neighbours meet
_REGEX = object()  # a piece the cut cannot map exactly: the part is scanned with the regex


class WordTable(dict):  # type: ignore[type-arg]
    """lower-case token -> itself when it can start or end a term, :data:`END` when it ends a
    sentence, else ""; for one language; grows with the vocabulary, bounded by its owner."""

    def __init__(self, useful: Callable[[str], bool]) -> None:
        super().__init__()
        self.useful = useful
        self.pieces = _PieceTable(self)

    def __missing__(self, token: str) -> str | None:
        value = self[token] = END if token in ENDS else token if self.useful(token) else ""
        return value


class _PieceTable(dict):  # type: ignore[type-arg]
    """piece of cut text, as written -> its one token's value in the word table, "" for pieces
    holding only tokens that are no words, :data:`_VANISH`, or :data:`_REGEX`."""

    def __init__(self, words: WordTable) -> None:
        super().__init__()
        self.words = words
        self[_MARK] = END

    def __missing__(self, piece: str) -> object:
        low = piece.lower()  # lower, not casefold: Greek keeps its final sigma
        if len(low) != len(piece):  # a letter that lowers to two ("İ"): the regex's tokens may differ
            value: object = _REGEX
        elif low.isalnum():  # a plain word: the regex would find it whole (\w is alphanumeric or "_")
            value = self.words[low]
        else:
            found = TOKEN.findall(low)
            if not found:
                value = _VANISH
            elif len(found) == 1:
                value = self.words[found[0]]
            else:  # "e.g", "3.14": only no-words are one no-word; "node.js" holds a word
                value = "" if not any(map(self.words.__getitem__, found)) else _REGEX
        self[piece] = value
        return value


Scan = tuple[list[str], list[str | None], Counter[str | None], Callable[[str], object]]


def scan(part: str, table: WordTable) -> Scan:
    """(tokens as written, their values in ``table``, how often each value occurs, a token's value),
    the lists aligned, for one NFC-normalised part of a post."""
    if _MARK in part or "\0" in part:
        return _regex_scan(part, table)
    # the last period of a run before whitespace ends a sentence; the run's others are separators
    cut = (part + " ").replace(". ", f" {_MARK}  ").replace(".\n", f" {_MARK} \n")  # the usual ends, at memory speed
    cut = _DOTS_END_RARE.sub(f" {_MARK} ", cut) if "." in cut else cut  # other whitespace after a period
    if "." in cut:  # the rest are separators, or start ".net": spaced, so it is a piece of its own
        cut = _DOT_INNER.sub(" ", cut).replace(".", " .")
    for char in _CUT_ENDS:
        if char in cut:
            cut = cut.replace(char, f" {_MARK} ")
    for char in _SEPARATORS:
        if char in cut:
            cut = cut.replace(char, " ")
    pieces = cut.split()
    values = list(map(table.pieces.__getitem__, pieces))
    found = Counter(values)
    if _REGEX in found:
        return _regex_scan(part, table)
    if _VANISH in found:
        del found[_VANISH]
        keep = list(map(operator.is_not, values, itertools.repeat(_VANISH)))
        pieces, values = list(itertools.compress(pieces, keep)), list(itertools.compress(values, keep))
    return pieces, values, found, table.pieces.__getitem__  # type: ignore[return-value]


def _regex_scan(part: str, table: WordTable) -> Scan:
    tokens = TOKEN.findall(part)
    values = list(map(table.__getitem__, "\0".join(tokens).lower().split("\0"))) if tokens else []
    return tokens, values, Counter(values), lambda token: table[token.lower()]


def spelling(token: str) -> str:
    """The token in a piece as written ("Java" in "'Java'"): what the regex finds in it."""
    found = TOKEN.search(token)
    return found.group() if found else token
