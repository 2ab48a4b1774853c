"""Topics: evidence-backed, explainable, curatable — never "influential about Barbie"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_influence.model import topics as topics_module
from mkdocs_influence.model.report import build
from mkdocs_influence.model.topics import Topic, TopicSettings, extract
from mkdocs_influence.render.pages import history_body
from mkdocs_influence.shells.cli import main
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store import yamlsafe
from mkdocs_influence.store.activity import Activity, Post, parse_activity
from mkdocs_influence.terms import markup
from mkdocs_influence.terms import text as T
from mkdocs_influence.terms.text import extract_terms, plain_text, specificity, topic_key

AS_OF = dt.date(2026, 11, 22)


def post(
    i: int, month: int, tags: tuple[str, ...] = (), text: str = "", replies: int = 0, year: int = 2026, lang: str = "en"
) -> Post:
    published = dt.datetime(year, month, 3 + i % 20, tzinfo=dt.timezone.utc)
    metrics = {"replies": replies} if replies else {}
    return Post(
        "m", f"p{i}", f"Post {i}", published, url=f"https://b.example/{i}/", tags=tags, text=text, metrics=metrics, lang=lang
    )


def topics(posts: list[Post], as_of: dt.date = AS_OF, **cfg: object) -> list[str]:
    led = L.observe(L.Ledger(), "m", Activity(tuple(posts)), as_of, complete=False)
    return [t.name for t in extract(L.snapshot(led, as_of), TopicSettings(**cfg), site_name="Wool Notes")]


def found(posts: list[Post], as_of: dt.date = AS_OF, **cfg: object) -> tuple[Topic, ...]:
    led = L.observe(L.Ledger(), "m", Activity(tuple(posts)), as_of, complete=False)
    return extract(L.snapshot(led, as_of), TopicSettings(**cfg), site_name="Wool Notes")


def subjects(posts: list[Post], **cfg: object) -> list[str]:
    return [t.name for t in found(posts, **cfg) if not t.catch_all]


def labels(posts: list[Post], **cfg: object) -> list[str]:
    return [t.name for t in found(posts, **cfg) if t.catch_all]


def knitting_blog() -> list[Post]:
    return [post(i, 1 + i % 10, ("knitting",), "Sock knitting with wool.") for i in range(12)]


def test_one_viral_post_never_makes_a_topic() -> None:
    posts = [*knitting_blog(), post(99, 6, ("Barbie",), "Barbie Barbie Barbie", replies=100_000)]
    assert "Barbie" not in topics(posts)
    assert "knitting" in topics(posts)


def test_three_posts_over_two_months_are_needed() -> None:
    base = knitting_blog()
    same_month = [post(50 + i, 5, ("zombies",)) for i in range(3)]
    assert "zombies" not in topics(base + same_month)
    spread = [post(60 + i, 4 + i, ("zombies",)) for i in range(3)]
    assert "zombies" in topics(base + spread)
    assert "zombies" not in topics(base + spread[:2])


def test_variants_merge_and_aliases_apply() -> None:
    posts = [post(0, 1, ("Python",)), post(1, 2, ("python3",)), post(2, 3, ("#Python",)), post(3, 4, ("py",))]
    assert topics(posts) == ["Python"]
    assert topics(posts, aliases={"py": "Python"}) == ["Python"]
    assert topic_key("Static Site Generators") == topic_key("static-site-generator")


def test_deny_wins_and_allow_needs_evidence() -> None:
    posts = [*knitting_blog(), post(40, 3, ("spinning",))]
    assert "knitting" not in topics(posts, deny=["Knitting"], allow=["knitting"])
    assert "spinning" in topics(posts, allow=["spinning"])  # some evidence: one post
    assert "crochet" not in topics(posts, allow=["crochet"])  # none: allow cannot invent expertise
    assert len(topics(posts, max=1)) == 1


def test_stopwords_boilerplate_and_site_name_never_become_subject_topics() -> None:
    posts = [
        post(i, 1 + i % 6, ("blog", "Wool Notes", "today", "read more", "knitting"), "Blog post today on knitting: read more.")
        for i in range(8)
    ]
    assert subjects(posts) == ["knitting"]
    assert labels(posts) == ["blog", "read more", "today"]  # the author's tags, yet about the blog: labels


def test_each_topic_lists_its_posts_with_contributions() -> None:
    led = L.observe(L.Ledger(), "m", Activity(tuple(knitting_blog())), AS_OF, complete=False)
    (topic, *_) = extract(L.snapshot(led, AS_OF))
    assert topic.posts and all(p.url.startswith("https://b.example/") for p in topic.posts)
    assert sum(p.contribution for p in topic.posts) <= 1 + 1e-9
    assert topic.to_dict()["posts"][0]["title"].startswith("Post ")


def test_answered_posts_weigh_more() -> None:
    quiet = [post(i, 1 + i % 6, ("knitting",)) for i in range(6)]
    answered = [post(10 + i, 1 + i % 6, ("spinning",), replies=20) for i in range(6)]
    assert topics(quiet + answered)[:2] == ["spinning", "knitting"]


def test_a_quiet_year_does_not_erase_topics_and_they_fade_gradually() -> None:
    old = [post(i, 1 + i % 10, ("knitting",), year=2024) for i in range(10)]
    new = [post(20 + i, 1 + i % 10, ("spinning",), year=2026) for i in range(4)]
    led = L.observe(L.Ledger(), "m", Activity(tuple(old + new)), AS_OF, complete=False)
    weights = []
    for years in (0, 1, 2):
        as_of = AS_OF + dt.timedelta(days=365 * years)
        found = {t.name: t.weight for t in extract(L.snapshot(led, as_of))}
        assert "knitting" in found
        weights.append(found["knitting"])
    assert weights[0] == pytest.approx(weights[1], rel=0.5)  # no cliff


def test_text_alone_finds_specific_phrases_not_generic_words() -> None:
    text = "Docker images and Docker volumes. The file and the code. Docker compose files for the code."
    terms = extract_terms(text)
    assert next(iter(terms)) == "Docker"  # the author's spelling: capitalised inside sentences
    assert specificity("docker") > specificity("code") > specificity("the")
    assert specificity("static site generators") > specificity("static")


@pytest.mark.parametrize("lang", ["en", "el"])
def test_the_specificity_table_is_each_line_of_the_shipped_frequency_list(lang: str) -> None:
    """The table is built in C from the file's cells: each line's word gets 6.5 - zipf clipped, as read line by line."""
    import mkdocs_influence.terms.text as T

    lines = (T._DATA / f"zipf-{lang}.tsv").read_text("utf-8").splitlines()
    expected = {}
    for line in lines[1:]:
        word, _, value = line.partition("\t")
        expected[word] = T._from_zipf(float(value))
    assert lines[0].startswith("#") and len(expected) > 10_000
    assert T._specificities(lang) == expected
    assert T._specificities(f"{lang}-XX") is T._specificities(lang)
    assert T._specificities("xx") is T._specificities("en")  # no table: English
    assert specificity("zzqxword", lang) == T.RARE_SPECIFICITY == T.MAX_SPECIFICITY


def test_language_picks_the_stopwords() -> None:
    greek = [post(i, 1 + i % 6, (), "και το της με για Κιθάρα κιθάρα κιθάρα ηλεκτρική κιθάρα", lang="el") for i in range(6)]
    found = topics(greek)
    assert found and all(name not in ("και", "το", "της") for name in found)
    assert any("κιθάρ" in name for name in found)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["knitting", "Knitting", "wool", "dye", "#dye"]), st.integers(1, 12)), max_size=30))
def test_deterministic_order(tags: list[tuple[str, int]]) -> None:
    posts = [post(i, m, (t,)) for i, (t, m) in enumerate(tags)]
    first = topics(posts)
    assert first == topics(list(reversed(posts)))


# --- the author's words win ------------------------------------------------------------


def spread(tags: tuple[str, ...], n: int = 4, start: int = 100, text: str = "", **kw: object) -> list[Post]:
    return [post(start + i, 1 + i % 10, tags, text, **kw) for i in range(n)]  # type: ignore[arg-type]


def test_a_tag_named_like_a_stopword_is_a_topic() -> None:
    posts = [*knitting_blog(), *spread(("Go",), text="Goroutines and channels in Go.")]
    assert "Go" in subjects(posts)
    assert "go" not in extract_terms("We go to go home and go.")  # in the text it is still a stopword
    assert "Go" in subjects([*knitting_blog(), post(200, 3, ("Go",))], allow=["Go"])  # allow: below the thresholds


def test_the_authors_spelling_of_a_tag_is_shown() -> None:
    text = "the api and the api, github and github, open source is open source, data science data science."
    posts = [*knitting_blog()]
    for i, tag in enumerate(("API", "GitHub", "Open Source", "Data Science", "RSE")):
        posts += spread((tag,), start=100 + 10 * i, text=text + " rse rse")
    names = subjects(posts, max=20)
    assert {"API", "GitHub", "Open Source", "Data Science", "RSE"} <= set(names)
    assert not {"api", "github", "open source", "open-source", "data science", "rse"} & set(names)


def test_allow_and_alias_spellings_are_the_authors_too() -> None:
    posts = [*knitting_blog(), *spread((), text="Using kubernetes with kubernetes. Kubernetes operators.")]
    assert "k8s" in subjects(posts, allow=["k8s"], aliases={"kubernetes": "k8s"})


# --- catch-all labels --------------------------------------------------------------------


def test_catch_all_labels_are_shown_apart_and_the_author_can_override() -> None:
    posts = [post(i, 1 + i % 10, ("knitting", "General"), "Sock knitting with wool.") for i in range(12)]
    posts += spread(("Tutorial", "dyeing"), text="Dyeing wool with onion skins.")
    found_topics = found(posts)
    assert [t.name for t in found_topics if not t.catch_all][:2] == ["knitting", "dyeing"]
    assert [t.name for t in found_topics if t.catch_all] == ["General", "Tutorial"]
    assert found_topics[-1].to_dict()["catch_all"] is True  # marked in the JSON, listed after the subjects
    assert "General" in subjects(posts, allow=["General"])  # the author says it is a subject
    assert "dyeing" in labels(posts, catch_all=["dyeing"])  # … or that another label is one


def test_catch_all_labels_stand_apart_in_score_output_and_on_the_page(tmp_path: Path) -> None:
    posts = [post(i, 1 + i % 10, ("knitting", "General"), "Sock knitting with wool.") for i in range(12)]
    posts += spread(("Tutorial", "dyeing"), text="Dyeing wool with onion skins.")
    activity = {
        "posts": [
            {
                "id": p.id,
                "source": "blog",
                "url": p.url,
                "title": p.title,
                "tags": list(p.tags),
                "text": p.text,
                "published": p.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for p in posts
        ]
    }
    path = tmp_path / "activity.json"
    path.write_text(json.dumps(activity))
    result = CliRunner().invoke(main, ["score", "--activity", str(path), "--as-of", AS_OF.isoformat()])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and "series and formats: General, Tutorial" in lines, result.output
    (subject_line,) = [line for line in lines if line.startswith("topics: ")]
    assert subject_line.startswith("topics: knitting, dyeing") and "General" not in subject_line
    led = L.observe(L.Ledger(), "blog", parse_activity(activity, "activity.json"), AS_OF, complete=False)
    page = history_body(build(led, AS_OF), lambda item: "", "influence score")
    subject_list = page.split('<ul class="influence-topics"', 1)[1].split("</ul>", 1)[0]
    assert "knitting" in subject_list and "General" not in subject_list and "Tutorial" not in subject_list
    (labels_line,) = [line for line in page.splitlines() if 'class="influence-labels"' in line]
    assert "General" in labels_line and "Tutorial" in labels_line and "knitting" not in labels_line


def test_a_tag_on_most_posts_that_the_text_never_says_is_a_label() -> None:
    posts = [post(i, 1 + i % 10, ("knitting", "Sundries"), "Sock knitting with wool.") for i in range(12)]
    assert subjects(posts)[0] == "knitting" and labels(posts) == ["Sundries"]  # knitting: on all posts, and said


# --- evidence -----------------------------------------------------------------------------


def test_no_post_holds_more_than_half_of_a_topic() -> None:
    posts = [*knitting_blog(), post(50, 2, ("build",), replies=100_000), *spread(("build",), n=3, start=60)]
    (build,) = [t for t in found(posts) if t.name == "build"]
    assert max(p.contribution for p in build.posts) == pytest.approx(0.5)
    assert sum(p.contribution for p in build.posts) == pytest.approx(1.0)  # the evidence shown is what counted


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sets(st.sampled_from(["knitting", "wool", "dye", "Go", "General", "spinning"]), max_size=3),
            st.integers(1, 12),
            st.sampled_from([0, 0, 1, 30, 10_000]),
            st.sampled_from(["", "Sock knitting with wool.", "Natural dye, natural dye, indigo dye.", "Spinning yarn."]),
        ),
        max_size=25,
    )
)
def test_topics_never_come_from_one_post(rows: list[tuple[set[str], int, int, str]]) -> None:
    posts = [post(i, m, tuple(sorted(tags)), text, replies=r) for i, (tags, m, r, text) in enumerate(rows)]
    for topic in found(posts, min_posts=2, min_months=1):
        assert len(topic.posts) >= 2
        assert max(p.contribution for p in topic.posts) <= 0.5 + 1e-9, topic


#: words that exercise every rule: plurals ("ies", "ss", "us", "is"), stopwords, capitals, Greek final sigma,
#: "#", digits, separators, ligatures, title case, the empty word
_WORDS = "docker Docker the and The flies ies bus class analysis tips s Pythons go GitHub ΟΔΟΣ οδός και C++ #Python3".split()
_WORDS += ["python3", "data-science", "ﬁle", "İstanbul", "x_y", "", "ǅemal"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(alphabet="abeisyABS#3-_ Σσ", max_size=6)), min_size=1, max_size=3),
    st.sampled_from([" ", " ", "  "]),
    st.sampled_from(["en", "el", "en-GB", "xx"]),
    st.sampled_from([{}, {"aliases": {"docker": "containers"}, "deny": ("flies",), "allow": ("the",)}]),
)
def test_a_term_resolved_from_its_words_is_what_the_whole_name_gives(
    words: list[str], sep: str, lang: str, cfg: dict[str, object]
) -> None:
    """Topics resolve a one- or two-word term from its words' key, specificity and stopword test (the common
    case, looked up once per word): the result must be exactly what the functions give for the whole name."""
    term = sep.join(words)
    names = topics_module._Names(TopicSettings(**cfg), "Go")  # type: ignore[arg-type]
    key = names.accept(topic_key(term), topics_module._all_stopwords(term, T.stopwords(lang)))
    factor = 0.0 if key is None else (specificity(term, lang) / T.MAX_SPECIFICITY) ** topics_module.SPECIFICITY_POWER
    assert names.of(lang)[term] == (factor, key)


# --- text of every generator ----------------------------------------------------------------


HUGO = """+++
title = "draft"
+++
{{< figure src="/img/image_1.png" alt="screenshot" >}}
Tidymodels makes tuning simple. {{< youtube "id_hidden" >}}
{{< highlight r >}}
library(parsnip_hidden)
{{< /highlight >}}
See https://example.org/ggplot_hidden and [the guide](https://x.example/yardstick_hidden).
"""
JEKYLL = """---
layout: post
---
![image_1](/assets/image_1.png){: .center}
{% highlight java %}
public class MavenHidden {}
{% endhighlight %}
{% include figure.html src="figure_hidden.png" %}
Maven builds with TeamCity. {{ site.baseurl_hidden }}
<div class="note"><img src="diagram_hidden.svg"> Maven again</div>
<!-- a comment_hidden -->
"""
MKDOCS = """!!! note "Admonition"
    Mkdocs admonition body is prose.

```python
def snippet_hidden(): ...
```

    indented_hidden = code

Sock knitting uses `inline_hidden` code and <span>wool</span>. [^1]

[^1]: https://footnote.example/hidden
[ref]: https://ref.example/hidden
"""


@pytest.mark.parametrize("text", [HUGO, JEKYLL, MKDOCS], ids=["hugo", "jekyll", "mkdocs"])
def test_markup_of_every_generator_is_not_text(text: str) -> None:
    shown_text = plain_text(text)
    assert "hidden" not in shown_text.casefold() and "image_1" not in shown_text
    terms = {t.casefold() for t in extract_terms(text)}
    assert not {w for w in terms if "hidden" in w or "image" in w or "screenshot" in w or "draft" in w}
    assert terms & {"tidymodels", "maven", "teamcity", "knitting", "sock knitting"}


LINES = """---
title: Front matter left in the body
author: Sockhidden
---
# Knitting
Wool socks are warm.

    kubectlhidden apply --frobnicate

[knitref]: https://ref.example/
Knitting again, with wool.
"""


@pytest.mark.parametrize("text", [HUGO, JEKYLL, MKDOCS, LINES], ids=["hugo", "jekyll", "mkdocs", "lines"])
def test_recorded_posts_lose_their_markup_too(text: str) -> None:
    """The ledger path (``post_terms``) keeps line breaks for the markup rules: front matter,
    indented code and reference definitions are line-based, and a line break ends a phrase."""
    led = L.observe(L.Ledger(), "m", Activity((post(0, 1, text=text),)), AS_OF, complete=False)
    terms = {t.casefold() for t in L.snapshot(led, AS_OF).posts[0].terms}
    assert not {w for w in terms if "hidden" in w or "image" in w or "frobnicate" in w or "knitref" in w}
    assert not terms & {"author", "front matter", "knitting wool"}  # a heading and the next line are no phrase
    assert terms & {"tidymodels", "maven", "teamcity", "knitting", "sock knitting"}


def test_generic_programming_words_are_not_terms_but_specific_phrases_are() -> None:
    terms = extract_terms("The function returns a struct. A snippet of code. The Docker image is built. Function, snippet.")
    assert not {"function", "snippet", "struct", "code"} & set(terms)
    assert "Docker image" in terms
    assert {"C#", ".NET"} <= set(extract_terms("Writing C# for ASP.NET: C# generics and .NET assemblies."))


# --- speed: unchanged text is not analysed again ---------------------------------------------


def test_terms_of_an_unchanged_post_are_not_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = T.extract_terms
    monkeypatch.setattr(T, "extract_terms", lambda text, *a, **kw: calls.append(text) or real(text, *a, **kw))
    posts = knitting_blog()
    first = L.observe(L.Ledger(), "m", Activity(tuple(posts)), AS_OF, complete=False)
    assert len(calls) == len(posts)
    again = L.observe(first, "m", Activity(tuple(posts)), AS_OF + dt.timedelta(days=1), complete=False)
    assert len(calls) == len(posts) and again == first  # nothing analysed, nothing new recorded
    edited = [posts[0].__class__(**{**posts[0].__dict__, "text": "Now about spinning."}), *posts[1:]]
    L.observe(first, "m", Activity(tuple(edited)), AS_OF + dt.timedelta(days=1), complete=False)
    assert len(calls) == len(posts) + 1  # only the edited post
    digest = T.text_digest(posts[0].title, posts[0].text, "en")
    monkeypatch.setattr(T, "TERMS_VERSION", T.TERMS_VERSION + 1)
    L.observe(first, "m", Activity(tuple(posts)), AS_OF + dt.timedelta(days=1), complete=False)
    assert len(calls) == 2 * len(posts) + 1  # a new extraction analyses every post once
    line = next(json.loads(n) for n in L.dumps(first).splitlines() if '"id":"p0"' in n and '"kind":"post"' in n)
    assert line["text_sha"] == digest  # the key, kept in the ledger


def _depth(node: object) -> int:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return 1 + max((_depth(n) for n in node.value), default=0)
    if isinstance(node, yaml.MappingNode):
        return 1 + max((_depth(n) for pair in node.value for n in pair), default=0)
    return 1


_NESTED = st.recursive(
    st.none() | st.integers() | st.text("ab -?:#[", max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("ab-", min_size=1, max_size=3), inner, max_size=3),
    max_leaves=60,
)


@settings(max_examples=150, deadline=None)
@given(_NESTED, st.booleans())
def test_front_matter_skipping_the_alias_walk_cannot_be_deep(value: object, flow: bool) -> None:
    """The fast path (no alias, few nesting marks) only skips documents the walk would pass."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=flow)
    for deeper in (text, "- " * 120 + "x\n", "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 120)) + " " * 120 + "v\n"):
        if yamlsafe._plain(deeper):
            assert _depth(yaml.compose(deeper, Loader=yaml.SafeLoader)) < yamlsafe.MAX_DEPTH


@pytest.mark.parametrize("loader", ["C", "pure"])
def test_yaml_alias_bound_holds_with_either_loader(monkeypatch: pytest.MonkeyPatch, loader: str) -> None:
    import yaml

    if loader == "C":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML without libyaml")
        assert yamlsafe.Loader is yaml.CSafeLoader  # the fast loader is the one used
    else:
        monkeypatch.setattr(yamlsafe, "Loader", yaml.SafeLoader)
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 6))
    with pytest.raises(yamlsafe.YAMLRefused, match="aliases expand"):
        yamlsafe.load("l0: &l0 x\n" + laughs)
    for deep in ("[" * 150 + "]" * 150, "[" * 5000 + "]" * 5000, "- " * 3000 + "x"):
        with pytest.raises(yamlsafe.YAMLRefused, match="nested"):
            yamlsafe.load(deep)
    assert yamlsafe.load("a: &a {x: 1}\nb: *a\nd: 2026-11-01\n") == {"a": {"x": 1}, "b": {"x": 1}, "d": dt.date(2026, 11, 1)}


@pytest.mark.parametrize("count", [-1, True, 1.5, 10**13, "2", None])
def test_a_ledger_line_with_a_bad_term_count_loses_its_terms_only(count: object) -> None:
    line = {"kind": "post", "source": "m", "id": "p", "observed": "2026-11-20", "published": "2026-11-01T00:00:00Z"}
    text = L.dumps(L.Ledger()) + json.dumps({**line, "terms": {"wool": 2, "dye": count}}) + "\n"
    problems: list[str] = []
    (record,) = L.loads(text, problems=problems).records
    assert "terms" not in record.data and record.data["published"] and len(problems) == 1
    (good,) = L.loads(text.replace(f'"dye": {json.dumps(count)}', '"dye": 3'), problems=problems).records
    assert good.data["terms"] == {"wool": 2, "dye": 3} and len(problems) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "HTTPS://X.example/A",
                "Www.Site",
                "mailto:Me@x",
                "[a](HTTP://b)",
                "<B>",
                "{{< x >}}",
                "`c`",
                "@Handle",
                "İstanbul",
                "Word",
                " ",
                "\n",
                "ﬁ",
                "ß",
            ]
        ),
        max_size=12,
    )
)
def test_markup_removal_finds_urls_in_lower_case_text_at_the_same_places(parts: list[str]) -> None:
    text = "".join(parts)
    assert markup._without_noise(text, text.lower()) == markup._NOISE.sub(" ", text)
