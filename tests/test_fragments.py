"""Pieces of a longer name are not topics of their own ("Peer", "software Peer" beside "Peer Review")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_influence.model import fragments
from mkdocs_influence.model.fragments import Candidate, kept
from tests.test_topics import post, subjects

OTHER = "Wool dyes, madder roots and indigo vats. Natural dyeing with madder. Indigo vats again."


def _blog(text: str, n: int = 8, tags: tuple[str, ...] = ()) -> list:
    return [post(i, 1 + i % 8, tags, f"{text} {OTHER if i % 2 else ''}") for i in range(n)]


def test_a_three_word_subject_shows_as_one_name_not_its_pieces() -> None:
    posts = _blog("Software Peer Review at the society. Our Software Peer Review process. Software Peer Review editors.")
    found = subjects(posts, max=10)
    assert "Peer Review" in found
    assert "Peer" not in found and "software Peer" not in found and "Software Peer" not in found


def test_a_name_plus_a_generic_or_label_word_gives_way_to_the_name() -> None:
    posts = [
        *_blog("RAG systems in production. Evaluating RAG systems. RAG systems and RAG evals."),
        *(post(20 + i, 1 + i % 8, (), "RAG for search. Retrieval with RAG, chunking for RAG.") for i in range(8)),
    ]
    found = subjects(posts, max=10)
    assert "RAG" in found and "RAG systems" not in found
    found = subjects(_blog("Quokka news for the month. Quokka news: releases. The Quokka newsletter."), max=10)
    assert "Quokka" in found and "Quokka news" not in found


def test_a_hyphenated_word_is_one_word_and_quantifiers_are_filler() -> None:
    """Found on eleventy-base-blog: "win-win", "win-win survival" and "table win-win" all kept, and
    "multiple touchpoints" beside "touchpoints"."""
    text = "Table win-win survival strategies. A win-win survival plan. Win-win survival for multiple touchpoints, touchpoints."
    found = subjects(_blog(text), max=10)
    assert [name for name in found if "win-win" in name.lower()] == ["win-win survival"], found
    assert "touchpoints" in found and "multiple touchpoints" not in found
    assert fragments.words("table win-win") == ("table", "winwin")


def test_a_broad_word_stays_beside_its_longer_name() -> None:
    """ "web" is said in posts that are not about web components: both are subjects."""
    posts = [
        *(post(i, 1 + i % 6, (), "Web components with shadow DOM. Web components everywhere.") for i in range(6)),
        *(post(10 + i, 1 + i % 6, (), "The web is fast. Web performance and web fonts on the web.") for i in range(8)),
    ]
    found = subjects(posts, max=10)
    assert "web" in found and "web components" in found  # the author's spelling
    assert "component" not in found and "components" not in found


def test_the_authors_tags_are_never_taken_for_pieces() -> None:
    posts = _blog("Software Peer Review at the society. Our Software Peer Review process.", tags=("Peer", "Peer Review"))
    found = subjects(posts, max=10)
    assert "Peer" in found and "Peer Review" in found


def test_allow_keeps_a_piece() -> None:
    posts = _blog("Software Peer Review at the society. Our Software Peer Review process. Software Peer Review editors.")
    assert "Peer" in subjects(posts, max=10, allow=("Peer",))


_NAMES = ["peer", "peer review", "software peer", "rag", "rag systems", "web", "web component", "component", "news", "x y"]
_NAMES += ["win-win", "win-win survival", "table win-win", "a-b c-d e"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES), st.dictionaries(st.integers(0, 6), st.floats(0.01, 5), min_size=1, max_size=5), st.booleans()
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda c: c[0],
    ),
    st.integers(1, 10),
)
def test_pieces_never_empty_the_list_and_the_authors_names_stay(rows: list, wanted: int) -> None:
    candidates = [Candidate(name, sum(amounts.values()), amounts, mine) for name, amounts, mine in rows]
    out = kept(candidates, wanted)
    assert out == sorted(out) and len(out) == len(set(out)) and 1 <= len(out) <= wanted  # in order, never empty
    assert kept(candidates, wanted) == out  # deterministic
    first_mine = [i for i, c in enumerate(candidates) if c.kept_whatever][:wanted]
    assert all(i in out for i in first_mine if i <= out[-1])  # the author's own are never dropped
    for i in set(range(out[-1] + 1)) - set(out):  # each dropped one is mostly inside posts of one that overlaps it
        assert not candidates[i].kept_whatever
        mine = fragments.words(candidates[i].name)
        assert any(
            set(mine) & set(fragments.words(c.name)) and fragments.covered(candidates[i], c) >= fragments.COVERED
            for c in candidates
        )
