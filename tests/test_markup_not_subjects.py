"""Words a post shows that are not what it is about, found on real blogs: a link to a person (an
author or team page, a social profile) is their name, and no one else's name becomes a term, a
topic or a ledger line (rOpenSci's blog credits people through links to their author pages); a
bold label ("**Key Takeaway:**") is the post's structure (jxnl.co ends sections of 25 posts with
one, and "Takeaway" was a topic)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mkdocs_influence.model.topics import extract
from mkdocs_influence.settings import TopicSettings
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Post
from mkdocs_influence.terms import markup
from mkdocs_influence.terms.markup import plain_text


@pytest.mark.parametrize(
    "link",
    [
        "[Yanina Bellini Saibene](/author/yanina-bellini-saibene/)",
        "[Yanina Bellini Saibene](../../authors/yanina-bellini-saibene)",
        '[Yanina Bellini Saibene](https://example.org/people/yanina/ "her page")',
        "[Yanina Bellini Saibene](<https://example.org/team/yanina>)",
        '<a href="https://example.org/speakers/yanina/">Yanina Bellini Saibene</a>',
        "<A HREF='/speakers/yanina'>Yanina <b>Bellini</b> Saibene</A>",
        "[Yanina Bellini Saibene](authors/yanina.md)",  # relative, from a page beside the authors' folder
        '<a href="people/yanina">Yanina Bellini Saibene</a>',
        "[Yanina Bellini Saibene](https://mastodon.social/@yanina)",
        "[Yanina Bellini Saibene](https://twitter.com/yanina)",
        "[Yanina Bellini Saibene](https://bsky.app/profile/yanina.bsky.social)",
        "[Yanina Bellini Saibene](https://www.linkedin.com/in/yanina/)",
    ],
)
def test_a_link_to_a_person_leaves_no_name(link: str) -> None:
    text = plain_text(f"Our community manager {link} hosted the call on tidymodels.")
    assert "Yanina" not in text and "Bellini" not in text
    assert "community manager" in text and "hosted the call on tidymodels" in text


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("[Docker Compose](https://docs.docker.com/compose/)", "Docker Compose"),
        ("[tidyverse](https://github.com/tidyverse)", "tidyverse"),  # an organisation's projects, not a person
        ("[the team page](https://example.org/team/)", "the team page"),  # the folder, not someone's page
        ("[user guide](https://example.org/docs/user-guide/)", "user guide"),
        ('<a href="https://example.org/blog/authoring-tips/">authoring tips</a>', "authoring tips"),
        ("[the contributor guide](https://github.com/kubernetes/community/tree/master/contributors/guide)", "contributor guide"),
        ("[GitHub Users API](https://docs.github.com/en/rest/users/users)", "Users API"),
        ("[the dataset](https://drive.google.com/drive/u/0/folders/abc)", "the dataset"),  # more than one name after u/
    ],
)
def test_other_links_keep_their_words(link: str, kept: str) -> None:
    assert kept in plain_text(f"See {link} for more.")


AS_OF = dt.date(2026, 11, 30)


def recorded(title: str, text: str) -> L.Ledger:
    """A ledger of twelve posts over ten months, each with ``text`` (``{i}``: the post's number)."""
    posts = [
        Post("blog", f"p{i}", f"{title} {i}", dt.datetime(2026, 1 + i % 10, 5, tzinfo=dt.timezone.utc), text=text.format(i=i))
        for i in range(12)
    ]
    return L.observe(L.Ledger(), "blog", Activity(tuple(posts)), AS_OF, complete=True)


def topic_names(ledger: L.Ledger) -> list[str]:
    return [t.name for t in extract(L.snapshot(ledger, AS_OF), TopicSettings(max=10))]


def test_a_person_credited_in_every_post_is_neither_a_term_nor_a_topic() -> None:
    ledger = recorded(
        "Community call",
        "Our community manager [Yanina Bellini Saibene](/author/yanina-bellini-saibene/) hosted this "
        "community call about R-universe and package peer review, part {i}. R-universe builds packages.",
    )
    assert "bellini" not in L.dumps(ledger).lower() and "yanina" not in L.dumps(ledger).lower()
    names = topic_names(ledger)
    assert "R-universe" in names and not any("Bellini" in n or "Yanina" in n for n in names)
    assert json.dumps(names)  # plain data


@pytest.mark.parametrize(
    "label", ["**_Key Takeaway:_**", "**Key Takeaway:**", "**Key insight**:", "__Key update:__", "**Luke’s Answer:**"]
)
def test_a_bold_label_is_no_subject(label: str) -> None:
    text = plain_text(f"{label} retrieval needs evaluation before fine-tuning.")
    assert not any(w in text for w in ("Takeaway", "insight", "Update", "Luke")), text
    assert "retrieval needs evaluation before fine-tuning." in text


def test_bold_words_in_a_sentence_and_a_glossarys_terms_stay() -> None:
    assert "Docker" in plain_text("Use **Docker** for this: it works.")
    glossary = plain_text("- **Docker:** runs the containers.\n- **Kubernetes**: schedules them.")
    assert "Docker" in glossary and "Kubernetes" in glossary  # one word before the colon: a term, not a label
    assert "RAG systems" in plain_text("We built **RAG systems** last year.")


def test_a_label_repeated_in_every_post_is_not_a_topic() -> None:
    ledger = recorded(
        "Retrieval notes", "Chunking and re-ranking for retrieval, part {i}.\n\n**_Key Takeaway:_** evaluate retrieval first."
    )
    names = [n.casefold() for n in topic_names(ledger)]
    assert "retrieval" in names and not any("takeaway" in n for n in names)


@pytest.mark.parametrize(
    "credit",
    [
        "by Yanina Bellini Saibene",
        "by Yanina Bellini Saibene, Mark Padgham, and Kara Woo",  # rOpenSci's roundups credit every post this way
        "Photo by Ana de la Cruz on Unsplash",
        "by J. R. R. Tolkien",
        "Thanks to Kara Woo and Li Wei",
        "thank you, Kara Woo",
        "Credit to Ana de la Cruz",
    ],
)
def test_a_byline_or_credit_leaves_no_name(credit: str) -> None:
    text = plain_text(f"* [Creando Tu R-universe](/blog/x) {credit}. R-universe builds packages.")
    assert not any(name in text for name in ("Yanina", "Bellini", "Padgham", "Kara", "Woo", "Ana", "Cruz", "Tolkien", "Li Wei"))
    assert "R-universe builds packages." in text and "Creando Tu R-universe" in text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Images built by Docker run anywhere.", "Docker"),  # one capitalised word: a product, not a full name
        ("followed by Python 3.12", "Python"),
        ("Nearby Jane Doe said hello.", "Jane Doe"),  # "by" inside a word
        ("It was written by\nJane Doe", "Jane Doe"),  # a byline does not cross a line
        ("Thanks to caching, Hugo builds fast.", "Hugo"),
    ],
)
def test_words_after_by_that_are_no_full_name_stay(text: str, kept: str) -> None:
    assert kept in plain_text(text)


def test_a_person_named_in_every_posts_byline_is_not_in_the_ledger() -> None:
    ledger = recorded(
        "R-universe news", "Creando Tu R-universe, part {i}, by Yanina Bellini Saibene. R-universe builds packages."
    )
    assert "bellini" not in L.dumps(ledger).lower() and "yanina" not in L.dumps(ledger).lower()
    assert "R-universe" in topic_names(ledger)


@pytest.mark.parametrize("hostile", ["by " + "Aa " * 50_000, "thanks to Aa Bb, " * 30_000, "by Aa-" * 40_000])
def test_bylines_cost_linear_time_on_hostile_text(hostile: str) -> None:
    import time

    started = time.process_time()
    plain_text(hostile)
    assert time.process_time() - started < 2.0  # quadratic backtracking would take minutes


_PIECES = ["by", "By", "BY", "Thanks to", "thank you,", "Thank you", "credit to", "Credits to", "nearby", "x-by", "_by"]
_PIECES += ["Jane", "Doe", "J.", "de", "la", "Li", "Wei", "and", "&", ",", ".", "docker", "İstanbul", "Zoë", "\n", "\t", "  "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=40).map(" ".join))
@example("x by Jane Doe and by Li Wei, thanks to Kara Woo by Ana de la Cruz")
def test_the_fast_credit_removal_is_the_regex(text: str) -> None:
    """Credits are found with str.find and the regex tried only there: the result is the regex's own."""
    assert markup._without_credits(text, text.lower()) == markup._BYLINE.sub(" ", text)


def test_a_credit_before_a_url_leaves_the_rest_of_the_text_whole() -> None:
    """The URL scan reads a lower-case copy of the text at the same places: it must be the credit-free text's."""
    text = plain_text("Photo by Jane Doe on Unsplash. See https://example.com/some/page for Docker volume tips.")
    assert "Jane" not in text and "example.com" not in text
    assert "Docker volume tips." in text and "Photo" in text and "on Unsplash. See" in text
