"""Pieces of a longer name are not topics of their own: "Peer" and "software Peer" beside "Peer Review".

Terms are one or two words, so a three-word subject ("Software Peer Review") reaches the
topics as overlapping pieces, and a two-word one ("web component") also as its single word
("component"). A piece of text-only evidence is dropped for a name it overlaps that weighs at
least half as much (:data:`MINOR`), when most of its weight (:data:`COVERED`) lies in posts that
also support that name:

- a one-word topic inside a longer one ("Peer" in "Peer Review", "component" in "web component");
  a word said mostly elsewhere ("web"), or more than twice as heavy as the name, says more and stays;
- a two-word topic that shares a word with another two-word one ("software Peer" beside "Peer Review");
- a two-word topic made of a one-word topic and a filler word: a generic one or a label ("RAG
  systems" beside "RAG", "rOpenSci news" beside "rOpenSci").

The author's tags and ``allow`` entries are never dropped (the author's words win). Candidates
are read heaviest first and compared only with those not dropped; no two can drop each other
(a word gives way to a longer name only when that name adds a word that is not generic, and of
two phrases only the lighter goes), so of overlapping names one always stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..terms.text import GENERIC, topic_key

#: the share of a piece's weight that must lie in posts of the topic it overlaps
COVERED = 0.8
#: the least weight, as a share of the piece's, of a name a piece gives way to
MINOR = 0.5


@dataclass(frozen=True)
class Candidate:
    """A subject topic as extraction found it: the name shown, its weight, and the weight it got
    from each post (by the post's place in the snapshot)."""

    name: str
    weight: float
    amounts: Mapping[int, float]
    kept_whatever: bool  # the author's tag, or an ``allow`` entry


@lru_cache(maxsize=4096)
def words(name: str) -> tuple[str, ...]:
    """A name's words as merge keys ("Peer Review" -> ("peer", "review")), cut where terms are: at
    spaces, so a word with a hyphen is one word ("table win-win" -> ("table", "winwin"))."""
    return tuple(k for k in map(topic_key, name.split()) if k)


def covered(piece: Candidate, by: Candidate) -> float:
    """The share of ``piece``'s weight that lies in posts also supporting ``by``."""
    total = sum(piece.amounts.values())
    inside = sum(a for place, a in piece.amounts.items() if place in by.amounts)
    return inside / total if total > 0 else 0.0


def _inside(piece: Candidate, other: Candidate) -> bool:
    """``other`` weighs at least :data:`MINOR` of ``piece`` (no minor phrase of its posts: "evaluating
    RAG" beside "RAG") and most of ``piece``'s weight lies in ``other``'s posts."""
    return other.weight >= MINOR * piece.weight and covered(piece, other) >= COVERED


def _piece_of(piece: tuple[str, ...], other: tuple[str, ...], other_heavier: bool, filler: frozenset[str]) -> bool:
    """Whether a topic named by the word keys ``piece`` is a piece of one named ``other`` (their posts aside)."""
    shared = set(piece) & set(other)
    if piece == other or not shared:
        return False
    extra = set(other) - shared
    if len(piece) == 1:  # a word inside a longer name, unless that name only adds filler ("RAG systems")
        return bool(extra) and not extra <= filler
    if len(piece) == 2 and len(other) == 2:
        return other_heavier  # two phrases of one longer name: the lighter goes
    if len(piece) == 2 and len(other) == 1:
        return set(piece) - shared <= filler  # the other's word and a filler word
    return False


GENERIC_KEYS = frozenset(topic_key(w) for w in GENERIC)


def kept(candidates: Sequence[Candidate], wanted: int, filler: frozenset[str] = GENERIC_KEYS) -> list[int]:
    """The places of the first ``wanted`` of ``candidates`` (heaviest first) that are no piece of
    another candidate still standing. Only candidates that share a word are compared. ``filler``: word
    keys that add nothing to a name (generic programming words, labels such as "news")."""
    by_word: dict[str, list[int]] = {}
    for place, candidate in enumerate(candidates):
        for word in words(candidate.name):
            by_word.setdefault(word, []).append(place)
    dropped: set[int] = set()
    out: list[int] = []
    for place, piece in enumerate(candidates):
        if len(out) >= wanted:
            break
        if not piece.kept_whatever:
            mine = words(piece.name)
            others = sorted({o for w in mine for o in by_word[w]} - dropped - {place})
            pieces = (o for o in others if _piece_of(mine, words(candidates[o].name), o < place, filler))
            if any(_inside(piece, candidates[o]) for o in pieces):
                dropped.add(place)
                continue
        out.append(place)
    return out
