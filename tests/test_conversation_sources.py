"""The conversation and reader sources (#18) against a local server replaying recorded answers,
and the canonical post URL they share (mkdocs_influence/urls.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from mkdocs_influence.shells.pipeline import NetSettings, UpdateResult, update
from mkdocs_influence.site import SiteInfo
from mkdocs_influence.sources import default_specs, parse_specs
from mkdocs_influence.sources._detect import detect_comments
from mkdocs_influence.store import ledger as L
from mkdocs_influence.urls import PostIndex, PostRef, Tally, canonical

AS_OF = dt.date(2026, 11, 22)
POSTS = {
    "onion-skins": ("Dyeing with onion skins", "2026-10-01", ""),
    "alum": ("Mordanting with alum", "2026-10-15", "aliases: [/old/alum-notes/]\n"),
}


def make_site(tmp_path: Path, **extra: Any) -> SiteInfo:
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for slug, (title, date, more) in POSTS.items():
        (posts / f"{slug}.md").write_text(f"---\ndate: {date}\n{more}---\n# {title}\n\nText.\n", "utf-8")
    return SiteInfo(docs_dir=tmp_path / "docs", config_dir=tmp_path, site_url="https://blog.example/", **extra)


def run(tmp_path: Path, sources: list, site: SiteInfo | None = None, **net: Any) -> UpdateResult:
    net = {"wait_budget": 2.0, "min_wait": 0.01, "backoff": 0.01, "cache_dir": tmp_path / "cache", **net}
    site = site or make_site(tmp_path)
    return update(site, parse_specs(["blog", *sources]), tmp_path / "data", AS_OF, net=NetSettings(**net))


def counts(tmp_path: Path, via: str) -> dict[str, dict[str, int]]:
    return L.latest_metrics(L.load(tmp_path / "data"), "blog", via)


def outcome(result: UpdateResult, name: str) -> Any:
    return next(o for o in result.outcomes if o.name == name)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


# --- canonical URLs -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example/blog/posts/x/",
        "http://www.blog.example/blog/posts/x",
        "https://BLOG.example:443/blog/posts/x/index.html",
        "https://blog.example/blog/posts/x/?utm_source=hn&utm_medium=social#comments",
        "https://blog.example/blog//posts/x/?ref=lobsters",
        "https://blog.example/blog/posts/%78/",
        "https://blog.example/blog/posts/x.html",
    ],
)
def test_canonical_forms_of_one_post_are_equal(url: str) -> None:
    assert canonical(url) == "blog.example/blog/posts/x"


def test_canonical_keeps_what_names_a_page() -> None:
    assert canonical("https://blog.example/?p=12&utm_source=x") == "blog.example?p=12"
    assert canonical("https://blog.example/Posts/X/") != canonical("https://blog.example/posts/x/")
    assert canonical("https://blog.example:8080/x") == "blog.example:8080/x"
    assert canonical("/blog/posts/x/", "https://blog.example/") == "blog.example/blog/posts/x"
    assert canonical("mailto:me@blog.example") == canonical("not a url") == ""
    for bad in ("http://[::1", "https://blog.example:99999/"):
        with pytest.raises(ValueError):
            canonical(bad)


@given(st.text(max_size=80))
def test_canonical_is_idempotent_and_fails_only_with_value_error(text: str) -> None:
    try:
        once = canonical(text)
    except ValueError:
        return
    assert canonical("https://" + once) == once if once else True


_SEGMENT = st.text("abcXYZ09-_.~%é ", min_size=1, max_size=8)


@given(
    st.sampled_from(["http://", "https://", "HTTPS://"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.lists(_SEGMENT, max_size=4),
    st.sampled_from(["", "/", "/index.html", ".html"]),
    st.dictionaries(st.sampled_from(["utm_source", "utm_medium", "fbclid", "ref"]), _SEGMENT, max_size=3),
    st.sampled_from(["", "#comments", "#"]),
)
def test_decorations_never_change_the_canonical_url(
    scheme: str, www: str, segments: list, tail: str, tracking: dict, frag: str
) -> None:
    from urllib.parse import quote, urlencode

    path = "/".join(quote(s) for s in segments)
    plain = canonical(f"https://blog.example/{path}")
    query = ("?" + urlencode(tracking)) if tracking else ""
    decorated = f"{scheme}{www}Blog.Example/{path}{tail if path else ''}{query}{frag}"
    assert canonical(decorated) == plain
    assert canonical("https://" + plain) == plain


def test_index_follows_declared_redirects_and_aliases(tmp_path: Path) -> None:
    site = make_site(
        tmp_path, redirects=(("2019/onion.md", "blog/posts/onion-skins.md"), ("old.md", "https://elsewhere.example/"))
    )
    posts = [
        PostRef("blog/posts/onion-skins.md", "https://blog.example/blog/posts/onion-skins/", "T", "blog/posts/onion-skins.md")
    ]
    index = PostIndex(site, posts, {"blog/posts/onion-skins.md": ["/2018/onions.html"]})
    for url in (
        "https://blog.example/2019/onion/",
        "http://www.blog.example/2018/onions",
        "https://blog.example/blog/posts/onion-skins",
    ):
        assert index.find(url) == "blog/posts/onion-skins.md"
    assert index.find("https://blog.example/old/") is None
    assert index.on_site("https://blog.example/about/") and not index.on_site("https://blog.example.org/about/")


def test_a_bad_count_is_dropped_with_a_warning_and_the_rest_of_the_item_kept(tmp_path: Path) -> None:
    """A server's count that is not a whole number from 0 to 10^12 is refused clearly, per count and post,
    by the same rule as social posts' counts; absent counts (None, "") add nothing and say nothing."""
    post = PostRef("blog/posts/alum.md", "https://blog.example/blog/posts/alum/", "T", "blog/posts/alum.md")
    tally = Tally("hackernews", PostIndex(make_site(tmp_path), [post]))
    bad = {"points": "many", "comments": 4, "likes": -2, "views": 2.5, "reposts": None, "mentions": ""}
    assert tally.add("https://blog.example/blog/posts/alum/", bad) == "blog/posts/alum.md"
    tally.credit("blog/posts/alum.md", {"comments": 1, "points": True})
    assert tally.counts == {"blog/posts/alum.md": {"comments": 5}}
    assert sorted(tally.warnings("stories")) == [
        "hackernews: a count for blog/posts/alum.md: likes -2 dropped (negative)",
        "hackernews: a count for blog/posts/alum.md: points 'many' dropped (not a whole number (str))",
        "hackernews: a count for blog/posts/alum.md: points True dropped (not a whole number (bool))",
        "hackernews: a count for blog/posts/alum.md: views 2.5 dropped (not a whole number (float))",
    ]


# --- defaults and detection ---------------------------------------------------------


@pytest.mark.keyless_defaults
def test_keyless_sources_are_on_by_default_only_with_a_site_url(tmp_path: Path) -> None:
    assert [s.kind for s in default_specs("https://blog.example/")] == ["blog", "hackernews", "lobsters"]
    assert [s.kind for s in default_specs("")] == ["blog"]
    assert [s.kind for s in parse_specs(["blog"])] == ["blog"]  # sources: still overrides


GISCUS = """{% if page.meta.comments %}
  <script src="https://giscus.app/client.js"
        data-repo="madder/weld-site"
        data-repo-id="R_kgDOxxxx"
        data-category="Announcements"
        data-category-id="DIC_kwDOxxxx"
        data-mapping="pathname"
        data-reactions-enabled="1"
        crossorigin="anonymous"
        async>
  </script>
{% endif %}"""


def test_detects_material_giscus_partial(tmp_path: Path) -> None:
    partial = tmp_path / "overrides" / "partials" / "comments.html"
    partial.parent.mkdir(parents=True)
    partial.write_text(GISCUS)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "x.html").write_text('<script src="https://utteranc.es/client.js" repo="a/b"></script>')
    spec = detect_comments(tmp_path)
    assert (spec.kind, spec.target, dict(spec.options)) == (
        "giscus",
        "madder/weld-site",
        {"mapping": "pathname", "category": "Announcements"},
    )
    assert [s.kind for s in default_specs("", tmp_path)] == ["blog", "giscus"]


def test_detects_utterances_and_ignores_template_placeholders(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<script src="https://giscus.app/client.js" data-repo="{{ config.extra.repo }}"></script>')
    (tmp_path / "b.html").write_text(
        "<script src='https://utteranc.es/client.js' repo='me/comments' issue-term='og:title' label='blog'></script>"
    )
    spec = detect_comments(tmp_path)
    assert (spec.kind, spec.target, dict(spec.options)) == (
        "utterances",
        "me/comments",
        {"mapping": "og:title", "category": "blog"},
    )
    assert detect_comments(tmp_path / "missing") is None


# Chirpy's comments block: cotes2020/jekyll-theme-chirpy _config.yml (MIT), filled in as its users do
CHIRPY = """comments:
  # Global switch for the post comment system. Keeping it empty means disabled.
  provider: giscus # [disqus | utterances | giscus]
  disqus:
    shortname:
  utterances:
    repo: # <gh-username>/<repo>
    issue_term: # < url | pathname | title | ...>
  giscus:
    repo: me/blog-comments
    repo_id: R_kgDOxxxx
    category: Announcements
    category_id: DIC_kwDOxxxx
    mapping: # optional, default to 'pathname'
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("_config.yml", CHIRPY, ("giscus", "me/blog-comments", {"category": "Announcements"})),
        ("_config.yml", CHIRPY.replace("provider: giscus", "provider: disqus"), None),  # the block is there, unused
        (
            "_config.yml",
            CHIRPY.replace("provider: giscus", "provider:"),
            None,  # Chirpy: "keeping it empty means disabled"
        ),
        (  # Minimal Mistakes (MIT): the repository is the site's own `repository`
            "_config.yml",
            'repository: "me/site"\ncomments:\n  provider: "giscus"\n  giscus:\n    repo_id: R_x\n'
            '    category_name: "Comments"\n    discussion_term: "og:title"\n',
            ("giscus", "me/site", {"category": "Comments", "mapping": "og:title"}),
        ),
        (  # Hugo Stack's shape (params.comments, provider + table)
            "hugo.yaml",
            "baseURL: https://x.example/\nparams:\n  comments:\n    enabled: true\n    provider: utterances\n"
            "    utterances:\n      repo: me/utt\n      issueTerm: pathname\n      label: comment\n",
            ("utterances", "me/utt", {"mapping": "pathname", "category": "comment"}),
        ),
        (  # LoveIt/FixIt (TOML, params.page.comment), switched off
            "hugo.toml",
            '[params.page.comment]\nenable = false\n[params.page.comment.giscus]\nenable = true\nrepo = "me/g"\n',
            None,
        ),
        (
            "hugo.toml",
            '[params.page.comment]\nenable = true\n[params.page.comment.giscus]\nenable = true\nrepo = "me/g"\n'
            'mapping = "title"\n',
            ("giscus", "me/g", {"mapping": "title"}),
        ),
    ],
)
def test_detects_comments_configured_in_the_sites_config_as_popular_themes_do(
    tmp_path: Path, name: str, text: str, expected: tuple | None
) -> None:
    (tmp_path / name).write_text(text, "utf-8")
    spec = detect_comments(tmp_path)
    assert (spec and (spec.kind, spec.target, dict(spec.options))) == (expected or None)


# --- Hacker News ----------------------------------------------------------------------

HN_QUERY = {"query": "blog.example", "restrictSearchableAttributes": "url", "tags": "story", "hitsPerPage": "100", "page": "0"}


def test_hackernews_counts_points_and_comments_per_post(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search_by_date", query_string=HN_QUERY).respond_with_json(
        fixture("hackernews/search_by_date_blog.json")
    )
    result = run(tmp_path, [{"hackernews": None, "base_url": httpserver.url_for("/")}])
    hn = outcome(result, "hackernews")
    assert hn.status == "ok", hn.message
    assert counts(tmp_path, "hackernews") == {
        "blog/posts/onion-skins.md": {"points": 317, "comments": 152},  # two stories, http/www/utm/fragment variants
        "blog/posts/alum.md": {"comments": 4},  # "points": "many" is not a count
    }
    text = " ".join(hn.warnings)
    assert "1 stories of pages that are not blog posts were not counted (blog.example/about)" in text
    assert "hackernews: a count for blog/posts/alum.md: points 'many' dropped (not a whole number (str))" in text
    assert "someone" not in (tmp_path / "data" / "ledger.jsonl").read_text()


def test_a_story_listed_twice_counts_once(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A search answer can list a story twice on one page (a re-indexed hit): counted once, as across pages."""
    page = fixture("hackernews/search_by_date_blog.json")
    httpserver.expect_request("/search_by_date").respond_with_json(dict(page, hits=[page["hits"][0]] * 2 + page["hits"][1:]))
    result = run(tmp_path, [{"hackernews": None, "base_url": httpserver.url_for("/")}])
    assert outcome(result, "hackernews").status == "ok"
    assert counts(tmp_path, "hackernews")["blog/posts/onion-skins.md"] == {"points": 317, "comments": 152}


def test_hackernews_walks_past_the_1000_hit_window(tmp_path: Path, httpserver: HTTPServer) -> None:
    page = fixture("hackernews/search_by_date_blog.json")
    hit = page["hits"][1]
    first = [dict(hit, objectID=str(i), created_at_i=2_000_000_000 - i, points=1) for i in range(100)]
    httpserver.expect_ordered_request("/search_by_date").respond_with_json(dict(page, hits=first, nbPages=1))
    httpserver.expect_ordered_request(
        "/search_by_date",
        query_string={**HN_QUERY, "numericFilters": "created_at_i<=1999999901"},
    ).respond_with_json(dict(page, hits=[dict(hit, objectID="x", points=7)], nbPages=1))
    result = run(tmp_path, [{"hackernews": None, "base_url": httpserver.url_for("/")}])
    assert outcome(result, "hackernews").status == "ok"
    assert counts(tmp_path, "hackernews")["blog/posts/onion-skins.md"]["points"] == 107


def test_hackernews_failure_keeps_earlier_counts(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/search_by_date").respond_with_json(fixture("hackernews/search_by_date_blog.json"))
    run(tmp_path, [{"hackernews": None, "base_url": httpserver.url_for("/")}])
    before = counts(tmp_path, "hackernews")
    httpserver.expect_request("/search_by_date").respond_with_data("down", status=503)
    result = run(tmp_path, [{"hackernews": None, "base_url": httpserver.url_for("/")}], attempts=2)
    assert outcome(result, "hackernews").status == "failed"
    assert counts(tmp_path, "hackernews") == before


def test_hackernews_needs_a_domain(tmp_path: Path) -> None:
    site = SiteInfo(docs_dir=make_site(tmp_path).docs_dir, config_dir=tmp_path)
    result = run(tmp_path, [{"hackernews": None, "base_url": "http://127.0.0.1:9/"}], site=site)
    assert "set site_url in the config (or domain: under hackernews)" in outcome(result, "hackernews").message


# --- Lobsters -----------------------------------------------------------------------


def test_lobsters_counts_score_and_comments(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(fixture("lobsters/domains_blog.example.json"))
    result = run(tmp_path, [{"lobsters": None, "base_url": httpserver.url_for("/")}])
    lob = outcome(result, "lobsters")
    assert lob.status == "ok", lob.message
    assert counts(tmp_path, "lobsters") == {
        "blog/posts/onion-skins.md": {"points": 41, "comments": 12},
        "blog/posts/alum.md": {"points": 9, "comments": 3},
    }
    assert "(blog.example/tags)" in " ".join(lob.warnings)


def test_lobsters_unknown_domain_is_zero_and_domain_option_wins(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/domains/dyes.example.json").respond_with_json({"error": "not found"}, status=404)
    result = run(tmp_path, [{"lobsters": None, "base_url": httpserver.url_for("/"), "domain": "dyes.example"}])
    assert outcome(result, "lobsters").status == "ok"
    assert counts(tmp_path, "lobsters") == {"blog/posts/onion-skins.md": {}, "blog/posts/alum.md": {}}


def test_lobsters_pages_until_a_short_page(tmp_path: Path, httpserver: HTTPServer) -> None:
    story = fixture("lobsters/domains_blog.example.json")[0]
    full = [dict(story, short_id=f"s{i}", score=1, comment_count=0) for i in range(25)]
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(full)
    httpserver.expect_request("/domains/blog.example/page/2.json").respond_with_json([dict(story, short_id="last", score=5)])
    run(tmp_path, [{"lobsters": None, "base_url": httpserver.url_for("/")}])
    assert counts(tmp_path, "lobsters")["blog/posts/onion-skins.md"] == {"points": 30, "comments": 12}


# --- giscus and utterances -------------------------------------------------------------


def graphql(server: HTTPServer, category: bool = True) -> list[dict]:
    """Answer GitHub GraphQL POSTs from the recorded-shape answers; returns the requests' bodies."""
    from werkzeug import Request, Response

    answers, bodies = fixture("giscus/graphql_answers.json"), []

    def handler(request: Request) -> Response:
        body = json.loads(request.data)
        bodies.append({**body, "auth": request.headers.get("Authorization")})
        if "discussionCategories" in body["query"]:
            answer = answers["categories"]
        else:
            answer = answers["page2" if body["variables"].get("after") else "page1"]
        return Response(json.dumps(answer), content_type="application/json")

    server.expect_request("/graphql", method="POST").respond_with_handler(handler)
    return bodies


def test_giscus_counts_comments_replies_and_reactions(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret123")
    bodies = graphql(httpserver)
    spec = {"giscus": "madder/weld-site", "category": "Announcements", "base_url": httpserver.url_for("/")}
    result = run(tmp_path, [spec])
    out = outcome(result, "giscus")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "giscus") == {
        "blog/posts/onion-skins.md": {"comments": 6, "likes": 4},  # 3 comments + 3 replies
        "blog/posts/alum.md": {"comments": 2, "likes": 2},  # titled by URL
    }
    assert "1 discussions are not about a blog post" in " ".join(out.warnings)
    assert bodies[1]["variables"]["category"] == "DIC_kwDOAnnounce" and bodies[1]["auth"] == "bearer ghs_secret123"
    assert L.state(L.load(tmp_path / "data"), "giscus", "threads") == {
        "blog/posts/alum.md": ["https://github.com/madder/weld-site/discussions/9"],
        "blog/posts/onion-skins.md": ["https://github.com/madder/weld-site/discussions/7"],
    }
    assert "ghs_secret123" not in (tmp_path / "data" / "ledger.jsonl").read_text()


def test_giscus_says_which_setting_to_fix(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    base = httpserver.url_for("/")
    assert (
        "environment variable GITHUB_TOKEN is not set"
        in outcome(run(tmp_path, [{"giscus": "a/b", "base_url": base}]), "giscus").message
    )
    monkeypatch.setenv("MY_GH", "ghs_wrong")
    answers = fixture("giscus/graphql_answers.json")
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_json(answers["bad_credentials"], status=401)
    msg = outcome(run(tmp_path, [{"giscus": "a/b", "base_url": base, "token_env": "MY_GH"}]), "giscus").message
    assert "refused the token in MY_GH (Bad credentials); check MY_GH" in msg and "ghs_wrong" not in msg
    httpserver.expect_oneshot_request("/graphql", method="POST").respond_with_json(answers["not_found"])
    msg = outcome(run(tmp_path, [{"giscus": "madder/nope", "base_url": base, "token_env": "MY_GH"}]), "giscus").message
    assert "Could not resolve to a Repository" in msg and "check the value after 'giscus:'" in msg
    graphql(httpserver)
    msg = outcome(run(tmp_path, [{"giscus": "a/b", "base_url": base, "token_env": "MY_GH", "category": "Q&A"}]), "giscus").message
    assert "has no discussion category 'Q&A' (it has: Announcements, General); fix category" in msg


def test_utterances_counts_issue_comments_and_reactions(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret123")
    headers = json.loads((FIXTURES / "utterances/search_issues.headers.json").read_text())["headers"]
    keep = {k: v for k, v in headers.items() if k.lower().startswith("x-ratelimit")}
    httpserver.expect_request(
        "/search/issues",
        query_string={"q": "repo:madder/comments is:issue", "per_page": "100", "page": "1", "sort": "created", "order": "asc"},
    ).respond_with_json(fixture("utterances/search_issues_blog.json"), headers=keep)
    site = SiteInfo(**{**vars(make_site(tmp_path)), "site_name": "Madder & Weld"})
    result = run(tmp_path, [{"utterances": "madder/comments", "base_url": httpserver.url_for("/")}], site=site)
    out = outcome(result, "utterances")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "utterances") == {
        "blog/posts/onion-skins.md": {"comments": 4, "likes": 2},  # pathname
        "blog/posts/alum.md": {"comments": 1, "likes": 5},  # Material's "Title - Site" (title mapping)
    }
    assert "1 issues are not about a blog post" in " ".join(out.warnings)


def test_utterances_recorded_search_answer_is_read(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    """The real recorded answer (octokit/fixtures): its issues are no post's, so nothing is credited."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    httpserver.expect_request("/search/issues").respond_with_json(fixture("utterances/search_issues.json"))
    out = outcome(run(tmp_path, [{"utterances": "o/r", "base_url": httpserver.url_for("/")}]), "utterances")
    assert out.status == "ok" and "2 issues are not about a blog post" in " ".join(out.warnings)
    assert "GITHUB_TOKEN is not set" in " ".join(out.warnings)


# --- Reddit and Disqus -----------------------------------------------------------------

TOKEN_ANSWER = {"access_token": "eyJreddit-app-token", "token_type": "bearer", "expires_in": 3600, "scope": "*"}


def test_reddit_exchanges_app_credentials_and_counts_submissions(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any
) -> None:
    monkeypatch.setenv("REDDIT_CREDENTIALS", "clientid:clientsecret")
    httpserver.expect_request(
        "/api/v1/access_token",
        method="POST",
        data="grant_type=client_credentials",
        headers={"Authorization": "Basic Y2xpZW50aWQ6Y2xpZW50c2VjcmV0"},
    ).respond_with_json(TOKEN_ANSWER)
    answer = fixture("reddit/info_url_blog.json")
    empty = {"kind": "Listing", "data": {"children": [], "after": None, "before": None}}
    auth = {"Authorization": "bearer eyJreddit-app-token"}
    onion = "https://blog.example/blog/posts/onion-skins/"
    httpserver.expect_request("/api/info", query_string={"url": onion, "raw_json": "1"}, headers=auth).respond_with_json(answer)
    httpserver.expect_request(
        "/api/info", query_string={"url": onion.rstrip("/"), "raw_json": "1"}, headers=auth
    ).respond_with_json(answer)
    httpserver.expect_request("/api/info", headers=auth).respond_with_json(empty)
    result = run(tmp_path, [{"reddit": None, "base_url": httpserver.url_for("/")}])
    out = outcome(result, "reddit")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "reddit") == {"blog/posts/onion-skins.md": {"points": 128, "comments": 35}, "blog/posts/alum.md": {}}
    text = (tmp_path / "data" / "ledger.jsonl").read_text()
    assert "someone" not in text and "knitting" not in text
    assert L.state(L.load(tmp_path / "data"), "reddit", "threads") == {
        "blog/posts/onion-skins.md": ["https://www.reddit.com/comments/blog1/", "https://www.reddit.com/comments/blog2/"]
    }


def test_reddit_recorded_answer_and_missing_credentials(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    """The real recorded /api/info answer (PRAW's cassette) is read: its links are not posts of a site on youtube.com."""
    monkeypatch.delenv("REDDIT_CREDENTIALS", raising=False)
    msg = outcome(run(tmp_path, [{"reddit": None, "base_url": httpserver.url_for("/")}]), "reddit").message
    assert "environment variable REDDIT_CREDENTIALS is not set" in msg
    monkeypatch.setenv("REDDIT_CREDENTIALS", "a-bearer-token")
    httpserver.expect_request("/api/info").respond_with_json(fixture("reddit/praw_info_url_youtube.json"))
    site = SiteInfo(**{**vars(make_site(tmp_path)), "site_url": "https://youtube.com/"})
    out = outcome(run(tmp_path, [{"reddit": None, "base_url": httpserver.url_for("/")}], site=site), "reddit")
    assert out.status == "ok" and "submissions of pages that are not blog posts were not counted (youtube.com)" in " ".join(
        out.warnings
    )


def test_disqus_counts_posts_per_thread(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("DISQUS_API_KEY", "pubkey123")
    httpserver.expect_request(
        "/threads/list.json", query_string={"forum": "madderweld", "api_key": "pubkey123", "limit": "100"}
    ).respond_with_json(fixture("disqus/threads_list.json"))
    out = outcome(run(tmp_path, [{"disqus": "madderweld", "base_url": httpserver.url_for("/")}]), "disqus")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "disqus") == {"blog/posts/onion-skins.md": {"comments": 7, "likes": 3}, "blog/posts/alum.md": {}}
    assert "1 threads of pages that are not blog posts" in " ".join(out.warnings)
    httpserver.clear()
    httpserver.expect_request("/threads/list.json").respond_with_json({"code": 5, "response": "Invalid API key"}, status=401)
    msg = outcome(run(tmp_path, [{"disqus": "madderweld", "base_url": httpserver.url_for("/")}]), "disqus").message
    assert "refused the token in DISQUS_API_KEY" in msg and "pubkey123" not in msg
    assert counts(tmp_path, "disqus")["blog/posts/onion-skins.md"] == {"comments": 7, "likes": 3}  # kept


# --- readers ---------------------------------------------------------------------------


def test_plausible_views_are_visitors_over_all_time(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("PLAUSIBLE_API_KEY", "plausible-key")
    bodies: list[dict] = []

    def handler(request: Any) -> Any:
        from werkzeug import Response

        bodies.append(json.loads(request.data))
        return Response(json.dumps(fixture("plausible/query_pages.json")), content_type="application/json")

    httpserver.expect_request(
        "/api/v2/query", method="POST", headers={"Authorization": "Bearer plausible-key"}
    ).respond_with_handler(handler)
    out = outcome(run(tmp_path, [{"plausible": "blog.example", "base_url": httpserver.url_for("/")}]), "plausible")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "plausible") == {"blog/posts/onion-skins.md": {"views": 1542}, "blog/posts/alum.md": {"views": 410}}
    assert bodies[0]["date_range"] == "all" and bodies[0]["dimensions"] == ["event:page"]


def test_goatcounter_pages_with_exclude_paths(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("GOATCOUNTER_API_KEY", "goat-key")
    pages = fixture("goatcounter/stats_hits.json")
    common = {"start": "2000-01-01", "end": "2026-11-23", "limit": "100"}
    httpserver.expect_request("/api/v0/stats/hits", query_string={**common, "exclude_paths": "11,12"}).respond_with_json(
        pages["page2"]
    )
    httpserver.expect_request("/api/v0/stats/hits", query_string=common).respond_with_json(pages["page1"])
    out = outcome(run(tmp_path, [{"goatcounter": "madder", "base_url": httpserver.url_for("/")}]), "goatcounter")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "goatcounter") == {"blog/posts/onion-skins.md": {"views": 900}, "blog/posts/alum.md": {"views": 75}}


def test_umami_falls_back_to_type_url_on_older_servers(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("UMAMI_API_KEY", "umami-key")
    path = "/websites/4f1c/metrics"
    httpserver.expect_request(
        path, query_string={"type": "path", "startAt": "0", "endAt": "1795392000000", "limit": "500"}
    ).respond_with_json({"error": "Bad request"}, status=400)
    httpserver.expect_request(
        path,
        query_string={"type": "url", "startAt": "0", "endAt": "1795392000000", "limit": "500"},
        headers={"x-umami-api-key": "umami-key"},
    ).respond_with_json(fixture("umami/metrics_path.json"))
    out = outcome(run(tmp_path, [{"umami": "4f1c", "base_url": httpserver.url_for("/")}]), "umami")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "umami") == {"blog/posts/onion-skins.md": {"views": 2400}, "blog/posts/alum.md": {"views": 610}}
    assert "skipped row #4" in " ".join(out.warnings)


# --- options, webmentions, privacy -------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"hackernews": None, "domain": "not a host!"}, "sources[0].domain: expected a host name"),
        ({"giscus": "a/b", "mapping": "pathnme"}, "unknown mapping 'pathnme' — did you mean 'pathname'?"),
        ({"giscus": ""}, "sources[0].giscus: expected a non-empty string"),
        ({"plausible": "blog.example", "token_env": "my key"}, "token_env: expected the NAME of an environment variable"),
        ({"lobsters": "lobste.rs"}, "sources[0].lobsters: takes no value"),
    ],
)
def test_bad_options_name_the_setting(entry: dict, message: str) -> None:
    from mkdocs_influence.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_specs([entry])


def test_webmentions_match_posts_through_the_canonical_url(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("WM_TOKEN", "wm-secret")
    children = [
        {"wm-id": 1, "wm-property": "in-reply-to", "wm-target": "http://www.blog.example/blog/posts/onion-skins?utm_source=x"},
        {
            "wm-id": 2,
            "wm-property": "like-of",
            "wm-target": "https://blog.example/old/alum-notes/",
        },  # the post's Hugo-style alias
        {"wm-id": 3, "wm-property": "like-of", "wm-target": "https://blog.example/blog/posts/alum/index.html#top"},
    ]
    httpserver.expect_request("/api/mentions.jf2").respond_with_json({"type": "feed", "children": children})
    spec = {"webmentions": "blog.example", "token_env": "WM_TOKEN", "base_url": httpserver.url_for("/")}
    site = make_site(tmp_path)
    update(site, parse_specs(["blog"]), tmp_path / "data", AS_OF)  # the posts are in the ledger first
    out = outcome(run(tmp_path, [spec], site=site), "webmentions")
    assert out.status == "ok", out.message
    assert counts(tmp_path, "webmentions") == {"blog/posts/onion-skins.md": {"replies": 1}, "blog/posts/alum.md": {"likes": 2}}


# --- the example site ----------------------------------------------------------------------


@pytest.mark.slow
def test_example_site_gets_engagement_from_conversation_sources(
    example_site: Path, httpserver: HTTPServer, monkeypatch: Any
) -> None:
    """site-example's blog posts, as Material publishes them, get counts from Hacker News, Lobsters and giscus
    answers (recorded shapes) served on 127.0.0.1 — not from the hand-written activity file."""
    from mkdocs_influence.config import load

    monkeypatch.chdir(example_site)
    site = load(example_site / "mkdocs.yml").site
    folder = example_site / "influence-data"
    update(site, parse_specs(["blog"]), folder, AS_OF)
    posts = {pid: site.published(rec.data["url"]) for pid, rec in L.latest_posts(L.load(folder), "blog").items()}
    onion, alum = (next(p for p in posts if key in p) for key in ("onion-skins", "alum-mordant"))
    page = fixture("hackernews/search_by_date_blog.json")
    hit = page["hits"][0]
    page["hits"] = [dict(hit, objectID="1", url=posts[onion] + "?utm_source=hn", points=312, num_comments=150)]
    httpserver.expect_request("/hn/search_by_date").respond_with_json(page)
    story = fixture("lobsters/domains_blog.example.json")[0]
    httpserver.expect_request("/lobsters/domains/madder-and-weld.example.json").respond_with_json([dict(story, url=posts[alum])])
    answers = fixture("giscus/graphql_answers.json")
    nodes = answers["page2"]["data"]["repository"]["discussions"]
    path = posts[onion].split("madder-and-weld.example/", 1)[1]
    nodes["nodes"] = [dict(nodes["nodes"][0], title=path)]
    httpserver.expect_request("/gh/graphql", method="POST").respond_with_json(answers["page2"])
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_example")
    base = httpserver.url_for("/")
    specs = [
        "blog",
        {"hackernews": None, "base_url": base + "hn"},
        {"lobsters": None, "base_url": base + "lobsters"},
        {"giscus": "madder/weld-site", "base_url": base + "gh"},
    ]
    net = NetSettings(wait_budget=2.0, min_wait=0.01, backoff=0.01, cache_dir=example_site / ".cache")
    result = update(site, parse_specs(specs), folder, AS_OF, net=net)
    assert all(o.status == "ok" for o in result.outcomes), result.outcomes
    ledger = L.load(folder)
    assert L.latest_metrics(ledger, "blog", "hackernews")[onion] == {"points": 312, "comments": 150}
    assert L.latest_metrics(ledger, "blog", "lobsters")[alum] == {"points": 41, "comments": 12}
    assert L.latest_metrics(ledger, "blog", "giscus")[onion] == {"comments": 2, "likes": 2}
    assert len(L.latest_metrics(ledger, "blog", "hackernews")) == len(posts)  # every post measured, most with 0
    # the history page says where each post was discussed, with the counts each place gave and its thread
    from mkdocs_influence.render.bundle import render
    from mkdocs_influence.settings import Settings
    from mkdocs_influence.shells.pipeline import report

    configured = ("blog", "hackernews", "lobsters", "giscus")
    data = report(folder, Settings(site_name="M&W", site_url=site.site_url, sources=configured), AS_OF)
    top = data["discussed"][0]
    assert top["url"] == posts[onion] and top["total"] == 312 + 150 + 2
    assert [(p["name"], p["text"]) for p in top["places"]] == [
        ("Hacker News", "312 points, 150 comments"),
        ("Comments", "2 comments"),
    ]
    assert top["places"][0]["url"].startswith("https://news.ycombinator.com/item?id=1")
    page = render(data, standalone=True)["index.html"].decode()
    assert "Where the posts were discussed" in page and ">Hacker News</a> (312 points, 150 comments)" in page
    assert f'href="{posts[onion]}#__comments">Comments</a> (2 comments)' in page
    assert [d["title"] for d in data["discussed"]].count(top["title"]) == 1


def test_reddit_walk_stopped_at_the_limit_resumes_there(tmp_path: Path, httpserver: HTTPServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("REDDIT_CREDENTIALS", "bearer-token")
    answer = fixture("reddit/info_url_blog.json")
    httpserver.expect_request("/api/info").respond_with_json(answer)
    spec = {"reddit": None, "base_url": httpserver.url_for("/")}
    first = outcome(run(tmp_path, [spec], max_requests=2), "reddit")  # two URL forms of the first post
    assert "stopped after 2 requests (limit): kept what was read" in " ".join(first.warnings)
    assert L.state(L.load(tmp_path / "data"), "reddit", "resume") == "blog/posts/alum.md"
    asked = [r.args["url"] for r, _ in httpserver.log]
    run(tmp_path, [spec], max_requests=2)
    again = [r.args["url"] for r, _ in httpserver.log][len(asked) :]
    assert asked[0].endswith("onion-skins/") and again[0].endswith("alum/")


KEYED = {
    "REDDIT_CREDENTIALS": "tok-4242",
    "GITHUB_TOKEN": "tok-4242",
    "DISQUS_API_KEY": "tok-4242",
    "PLAUSIBLE_API_KEY": "tok-4242",
    "GOATCOUNTER_API_KEY": "tok-4242",
    "UMAMI_API_KEY": "tok-4242",
}


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every keyed source's token set (to a value no real server knows)."""
    for name, value in KEYED.items():
        monkeypatch.setenv(name, value)


SHAPES = [
    ("hackernews", None, "/search_by_date", {"hits": {"not": "a list"}}, "no 'hits' list"),
    ("lobsters", None, "/domains/blog.example.json", {"stories": []}, "not a list of stories"),
    ("reddit", None, "/api/info", [1, 2], "no listing"),
    ("giscus", "a/b", "/graphql", {"data": {"repository": {"discussions": 3}}}, "no discussions list"),
    ("utterances", "a/b", "/search/issues", {"items": None}, "no 'items' list"),
    ("disqus", "f", "/threads/list.json", {"response": "x"}, "no 'response' list"),
    ("plausible", "s", "/api/v2/query", {"results": 5}, "no 'results' list"),
    ("goatcounter", "c", "/api/v0/stats/hits", {"hits": "x"}, "no 'hits' list"),
    ("umami", "w", "/websites/w/metrics", {"rows": []}, "not a list of rows"),
]


@pytest.mark.parametrize(("kind", "target", "path", "body", "message"), SHAPES)
@pytest.mark.usefixtures("keyed")
def test_an_answer_of_the_wrong_shape_fails_the_source_in_one_line(
    tmp_path: Path, httpserver: HTTPServer, kind: str, target: Any, path: str, body: Any, message: str
) -> None:
    httpserver.expect_request(path).respond_with_json(body)
    out = outcome(run(tmp_path, [{kind: target, "base_url": httpserver.url_for("/")}]), kind)
    assert out.status == "failed" and out.message == f"{kind}: unexpected answer ({message})"


@pytest.mark.parametrize(("kind", "target", "path", "body", "message"), SHAPES)
@pytest.mark.usefixtures("keyed")
def test_items_of_the_wrong_type_are_skipped_one_by_one(
    tmp_path: Path, httpserver: HTTPServer, kind: str, target: Any, path: str, body: Any, message: str
) -> None:
    bad: list[Any] = [7, None, "x", {"url": 5, "title": 5, "link": [], "x": {}, "path": 3, "comments": "many"}]
    answers = {
        "hackernews": {"hits": bad, "nbPages": 1},
        "lobsters": bad,
        "reddit": {"data": {"children": bad}},
        "giscus": {"data": {"repository": {"discussions": {"nodes": bad, "pageInfo": {}}}}},
        "utterances": {"items": bad},
        "disqus": {"response": bad, "cursor": {}},
        "plausible": {"results": bad},
        "goatcounter": {"hits": bad, "more": False},
        "umami": bad,
    }
    httpserver.expect_request(path).respond_with_json(answers[kind])
    out = outcome(run(tmp_path, [{kind: target, "base_url": httpserver.url_for("/")}]), kind)
    assert out.status == "ok", out.message
    assert all(m == {} for m in counts(tmp_path, kind).values())


def test_thread_addresses_are_kept_per_post_never_people(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Where each post was discussed (for a later display under the post): thread addresses only."""
    httpserver.expect_request("/search_by_date").respond_with_json(fixture("hackernews/search_by_date_blog.json"))
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(fixture("lobsters/domains_blog.example.json"))
    base = httpserver.url_for("/")
    run(tmp_path, [{"hackernews": None, "base_url": base}, {"lobsters": None, "base_url": base}])
    ledger = L.load(tmp_path / "data")
    assert L.state(ledger, "hackernews", "threads") == {
        "blog/posts/alum.md": ["https://news.ycombinator.com/item?id=41000006"],
        "blog/posts/onion-skins.md": [
            "https://news.ycombinator.com/item?id=41000001",
            "https://news.ycombinator.com/item?id=41000002",
        ],
    }
    assert L.state(ledger, "lobsters", "threads")["blog/posts/onion-skins.md"] == ["https://lobste.rs/s/abc123"]


# --- post_discussions -------------------------------------------------------------------------


def _discussed(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search_by_date").respond_with_json(fixture("hackernews/search_by_date_blog.json"))
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(fixture("lobsters/domains_blog.example.json"))
    base = httpserver.url_for("/")
    run(tmp_path, [{"hackernews": None, "base_url": base}, {"lobsters": None, "base_url": base}])


def test_the_discussion_line_links_threads_with_their_counts(tmp_path: Path, httpserver: HTTPServer) -> None:
    from mkdocs_influence.render.discussions import for_posts, line_html

    _discussed(tmp_path, httpserver)
    ledger = L.load(tmp_path / "data")
    places = for_posts(ledger, ("blog", "hackernews", "lobsters"))
    assert line_html(places["blog/posts/onion-skins.md"]) == (
        '<p class="influence-discussions" data-search-exclude="true">Discussed on '
        '<a href="https://news.ycombinator.com/item?id=41000001">Hacker News</a> (317 points, 152 comments) · '
        '<a href="https://lobste.rs/s/abc123">Lobsters</a> (41 points, 12 comments)</p>'
    )
    assert "Hacker News" not in line_html(for_posts(ledger, ("blog", "lobsters"))["blog/posts/alum.md"])  # configured only
    assert line_html([]) == ""


def _v1_ignores_points() -> bool:
    from mkdocs_influence.model.formula import V1
    from mkdocs_influence.model.score import interactions

    try:
        return interactions({"points": 1}, V1) == 0
    except KeyError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _v1_ignores_points(), reason="needs formula v1 to ignore points (formula2's branch)")
def test_post_discussions_bottom_in_a_real_build(tmp_path: Path, httpserver: HTTPServer) -> None:
    from click.testing import CliRunner
    from conftest import mkdocs_build, write_site

    from mkdocs_influence.shells.cli import main

    base = httpserver.url_for("/")
    httpserver.expect_request("/search_by_date").respond_with_json(fixture("hackernews/search_by_date_blog.json"))
    httpserver.expect_request("/domains/blog.example.json").respond_with_json(fixture("lobsters/domains_blog.example.json"))
    post = "---\ndate: {date}\n---\n# {title}\n\nText.[^1]\n\n[^1]: A note.\n"
    files = {
        "mkdocs.yml": (
            "site_name: Dyes\nsite_url: https://blog.example/\nmarkdown_extensions: [footnotes]\nplugins:\n  - influence:\n"
            f"      post_discussions: bottom\n      sources: [blog, {{hackernews: null, base_url: '{base}'}},"
            f" {{lobsters: null, base_url: '{base}'}}]\n"
        ),
        "docs/index.md": "# Home\n",
        **{f"docs/blog/posts/{slug}.md": post.format(date=date, title=title) for slug, (title, date, _) in POSTS.items()},
    }
    config = write_site(tmp_path, files)
    result = CliRunner().invoke(main, ["update", "-f", str(config), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    mkdocs_build(config)
    html = (tmp_path / "site" / "blog" / "posts" / "onion-skins" / "index.html").read_text()
    line = html.index('<p class="influence-discussions"')
    assert '<a href="https://lobste.rs/s/abc123">Lobsters</a> (41 points, 12 comments)' in html[line:]
    assert line < html.index('<div class="footnote">')
    assert "influence-discussions" not in (tmp_path / "site" / "index.html").read_text()


def test_without_site_url_posts_match_by_path(tmp_path: Path) -> None:
    site = SiteInfo(docs_dir=tmp_path, config_dir=tmp_path, redirects=(("a.md", "https://[bad"),))
    index = PostIndex(site, [PostRef("p.md", "blog/p/")], {"p.md": ["http://[::1"]})
    assert index.by_url == {"/blog/p": "p.md"}
    assert index.find("https://www.anything.example/blog/p/index.html?utm_source=x") == "p.md"
    assert index.find("not a url") is None and index.find("") is None
    assert not index.on_site("https://blog.example/blog/p/")  # which host is the site's is unknown


@pytest.mark.keyless_defaults
@pytest.mark.parametrize("name", ["mkdocs.yml", "influence.yml"])
def test_a_config_without_sources_gets_the_keyless_defaults_end_to_end(tmp_path: Path, name: str) -> None:
    """Not only default_specs: a real config with site_url and no ``sources:`` key runs the blog,
    Hacker News and Lobsters (it ran the blog alone, so the keyless defaults never applied)."""
    from mkdocs_influence.config import load, source_specs

    (tmp_path / "docs").mkdir()
    text = "site_name: S\nsite_url: https://blog.example/\n"
    text += "plugins:\n  - influence\n" if name == "mkdocs.yml" else "generator: jekyll\n"
    (tmp_path / name).write_text(text, "utf-8")
    loaded = load(tmp_path / name)
    assert loaded.settings.sources == ("blog", "hackernews", "lobsters")
    assert [s.kind for s in source_specs(loaded.plugin, loaded.site.site_url, loaded.site.config_dir)] == list(
        loaded.settings.sources
    )
    (tmp_path / name).write_text(text.replace("site_url: https://blog.example/\n", ""), "utf-8")
    assert load(tmp_path / name).settings.sources == ("blog",)
