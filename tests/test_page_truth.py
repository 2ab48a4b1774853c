"""The history page says true, readable things (new-user audit of 2026-11-30, defects 5-8 and 12):
"why it moved" in the CLI's words, exact y-axis labels, small shares never "0%", every configured
source with what happened to it, and a headline that agrees with the explanation under it."""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

from conftest import influence, mkdocs_build
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from test_conversation_sources import make_site
from test_page_render import REPORT, _page

from mkdocs_influence.model import report as R
from mkdocs_influence.model.explain import component_parts, to_text, why_lines
from mkdocs_influence.render.bundle import alt_text
from mkdocs_influence.render.chart import component_chart, nice_range, tick_labels
from mkdocs_influence.render.pages import history_html, pct, score_description
from mkdocs_influence.settings import Settings
from mkdocs_influence.shells.pipeline import NetSettings, update
from mkdocs_influence.shells.pipeline import report as build_report
from mkdocs_influence.sources import parse_specs
from mkdocs_influence.store.runs import RUNS_FILE, load_runs, save_runs, updated

DAY = dt.date(2026, 11, 22)


def _change(components: list[dict[str, Any]], value_from: float = 3.56, value_to: float = 3.46, change: float = -0.1) -> dict:
    return {
        "from": "2026-10-23",
        "to": "2026-11-22",
        "formula": "v2",
        "score_from": round(value_from),
        "score_to": round(value_to),
        "value_from": value_from,
        "value_to": value_to,
        "change": change,
        "other": 0.0,
        "new_posts": [],
        "components": components,
    }


def _comp(name: str, change: float, movers: list[dict[str, Any]], count: int, rest: float) -> dict[str, Any]:
    return {
        "name": name,
        "from": 0,
        "to": 0,
        "delta": change,
        "change": change,
        "movers": movers,
        "more": {"count": count, "change": rest},
    }


def _li(text: str) -> str:
    """What a list item of the page reads as, tags removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# --- 5: "why it moved" in the CLI's words ------------------------------------------------------------


def test_why_it_moved_names_what_the_cli_names() -> None:
    small = _comp("rhythm", -0.3, [], 66, -0.3)  # 66 changes, none worth a line of its own
    named = _comp("conversation", 1.3, [{"key": "k", "delta": 1.2, "reason": "'Socks' got 3 more replies"}], 4, 0.1)
    data = copy.deepcopy(REPORT)
    data["changes"] = {"30": _change([named, small], 40.04, 41.04, 1.0)}
    page = _page(data)
    items = [_li(m) for m in re.findall(r"<li><strong>.*?</li>", page[page.index('id="influence-why"') :])]
    assert items[:2] == [
        "+1.3 conversation: 'Socks' got 3 more replies (+1.2); and 4 more (+0.1)",
        "-0.3 rhythm: 66 small changes (-0.3)",
    ]
    cli = to_text(data["changes"]["30"]).splitlines()[1:3]
    assert cli == items[:2]  # one wording: explain.why_lines
    assert "and 66 more" not in page and "many small changes" not in page
    assert component_parts(_comp("rhythm", 0.1, [], 0, 0.1)) == ["rounding (+0.1)"]


def test_the_examples_page_shows_every_line_of_influence_explain() -> None:
    page = html.unescape(_page(REPORT))
    for ex in REPORT["changes"].values():
        for head, text in why_lines(ex):
            assert (f"{head}</strong>: {text}" if head else text) in page


# --- 6: y-axis labels are exact ------------------------------------------------------------------


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30),
    st.sampled_from([0.1, 0.5, 1.0, 2.0, 7.0]),
)
def test_every_tick_label_reads_back_as_its_tick(values: list[float], min_span: float) -> None:
    ticks = nice_range(values, min_span=min_span)
    labels = tick_labels(ticks)
    assert [float(label) for label in labels] == ticks
    assert len(set(labels)) == len(labels)
    assert len({len(label.partition(".")[2]) for label in labels}) == 1  # one number of decimals on an axis


def test_a_part_at_zero_is_labelled_exactly() -> None:
    assert nice_range([0.0, 0.0], min_span=1.0) == [0.0, 0.25, 0.5]
    rows = [r | {"components": {**r["components"], "conversation": 0.0}} for r in REPORT["history"]]
    svg = component_chart(rows, "conversation", "Conversation", REPORT["formula"])
    assert re.findall(r'text-anchor="end">([\d.]+)</text>', svg) == ["0.00", "0.25", "0.50"]
    assert tick_labels([6.75, 8.0]) == ["6.75", "8.00"] and tick_labels([0, 20, 40]) == ["0", "20", "40"]


# --- 7: percentages say what they are a share of, and small ones are not 0% -------------------------


def test_small_shares_are_shown_honestly() -> None:
    assert [pct(v) for v in (0.0, 0.0004, 0.004, 0.062, 0.0996, 0.12, 1.0)] == [
        "0%",
        "<0.1%",
        "0.4%",
        "6.2%",
        "10%",
        "12%",
        "100%",
    ]


@given(st.floats(min_value=1e-12, max_value=1.0))
def test_a_positive_share_never_reads_as_zero(share: float) -> None:
    text = pct(share)
    assert text not in ("0%", "0.0%") and text.endswith("%")


def test_the_page_says_what_each_percentage_is_a_share_of() -> None:
    data = copy.deepcopy(REPORT)
    data["topics"][-1]["weight"] = 0.003
    for page in (_page(data), history_html(data)):
        assert "Each topic's percentage is its share of all topic weight" in page
        assert "Top contributors, each with its share of its part's points:" in page
        assert f"<strong>{html.escape(data['topics'][-1]['name'])}</strong> (0.3%)" in page and "(0%)" not in page


# --- 12: the headline and the explanation agree ---------------------------------------------------


def test_the_headline_change_is_the_explanations() -> None:
    data = copy.deepcopy(REPORT)  # hh54188: "down 1 in 30 days" beside "4 → 3 (-0.1 points)"
    data["changes"] = {"30": _change([_comp("rhythm", -0.1, [], 3, -0.1)]), "90": _change([])}
    page = _page(data)
    assert "down 0.1 in 30 days</span>" in page and "down 1 " not in page
    assert "Last 30 days: 4 → 3 (3.6 → 3.5, -0.1 points)</h3>" in page  # as `influence explain` prints it
    assert "All rhythm: 3 small changes." in page
    assert ", down 0.1 in 30 days." in score_description(data)
    data["changes"]["30"] = _change([], 3.46, 3.46, 0.0)
    assert "unchanged in 30 days</span>" in _page(data)


# --- 8: every configured source, and what happened to it --------------------------------------------


def test_runs_keep_since_and_a_skip_never_hides_a_real_outcome() -> None:
    first = updated(
        {}, [("blog", "ok", ""), ("hackernews", "skipped", "offline"), ("giscus", "failed", "giscus: no token x")], DAY
    )
    assert first == {
        "blog": {"status": "ok", "since": "2026-11-22", "reason": "", "read": "2026-11-22"},
        "giscus": {"status": "failed", "since": "2026-11-22", "reason": "no token x", "read": ""},
        "hackernews": {"status": "skipped", "since": "2026-11-22", "reason": "", "read": ""},
    }
    later = DAY + dt.timedelta(days=3)
    second = updated(
        first, [("blog", "skipped", ""), ("hackernews", "ok", ""), ("giscus", "failed", "giscus: " + "y" * 500)], later
    )
    assert second["blog"] == first["blog"]  # an offline run keeps what the last real run said
    assert second["hackernews"] == {"status": "ok", "since": "2026-11-25", "reason": "", "read": "2026-11-25"}
    third = updated(second, [("hackernews", "failed", "HTTP 503")], later + dt.timedelta(days=1))
    assert third["hackernews"] == {"status": "failed", "since": "2026-11-26", "reason": "HTTP 503", "read": "2026-11-25"}
    assert second["giscus"]["since"] == "2026-11-22" and len(second["giscus"]["reason"]) == 200  # failing since, latest reason
    assert updated(second, [("blog", "ok", "")], later).keys() == {"blog"}  # a source no longer configured is dropped
    waits = [("hackernews", "failed", f"hackernews: rate limited (try again in {n} s)") for n in (37, 12)]
    once = updated({}, waits[:1], DAY)
    again = updated(once, waits[1:], later)
    assert again == once  # the same failure in other numbers: nothing for CI to commit
    other = updated(once, [("hackernews", "failed", "hackernews: HTTP 401")], later)
    assert other["hackernews"]["reason"] == "HTTP 401" and other["hackernews"]["since"] == once["hackernews"]["since"]


def test_runs_file_is_stable_and_a_bad_one_means_none(tmp_path: Path) -> None:
    runs = updated({}, [("hackernews", "failed", "hackernews: HTTP 503")], DAY)
    assert save_runs(tmp_path, runs) and not save_runs(tmp_path, updated(runs, [("hackernews", "failed", "HTTP 503")], DAY))
    assert load_runs(tmp_path) == runs
    for bad in ("", "[]", '{"sources": 3}', '{"sources": {"x": {"status": "weird", "since": "2026-01-01"}}}', "{bad"):
        (tmp_path / RUNS_FILE).write_text(bad)
        assert load_runs(tmp_path) == {}


def _ledger() -> Any:
    from test_score_v2 import _blog_ledger

    return _blog_ledger()


def test_a_blog_whose_conversation_sources_never_delivered_says_so_and_why() -> None:
    settings = Settings(sources=("blog", "hackernews", "lobsters", "giscus"), site_url="https://b.example/")
    runs = updated({}, [("hackernews", "skipped", ""), ("giscus", "failed", "giscus: GITHUB_TOKEN is not set")], DAY)
    data = R.build(_ledger(), R.default_as_of(_ledger()), settings, runs=runs)
    assert data["engagement_measured"] is False and data["suggest"] == ["giscus", "hackernews", "lobsters"]
    assert data["sources"]["hackernews"] == {
        "posts": 0,
        "run": {"status": "skipped", "since": "2026-11-22"},
        "status": "not read yet (offline run)",
    }
    assert data["sources"]["lobsters"] == {"posts": 0, "status": "not read yet"}
    assert data["sources"]["giscus"]["status"] == "failing since 22 Nov 2026: GITHUB_TOKEN is not set"
    note = data["engagement_note"]
    assert note == (
        "Engagement is not measured yet: the configured sources that see replies, comments or discussions of your posts have "
        "delivered nothing (failing: giscus; not read yet (offline run): hackernews; not read yet: lobsters), so this score "
        "is posting rhythm (and reach) alone. Run influence update without --offline to read them."
    )
    page = html.unescape(history_html(data))
    assert "Hacker News: not read yet (offline run)</li>" in page and "Lobsters: not read yet</li>" in page
    assert "giscus: failing since 22 Nov 2026: GITHUB_TOKEN is not set</li>" in page
    assert 'class="influence-note influence-unmeasured"><strong>Engagement is not measured yet' in page
    assert "engagement not measured; giscus or hackernews or lobsters would measure it" in alt_text(data)
    found_none = updated(runs, [("hackernews", "skipped", ""), ("lobsters", "ok", ""), ("giscus", "failed", "x")], DAY)
    read = R.build(_ledger(), R.default_as_of(_ledger()), settings, runs=found_none)
    assert read["engagement_measured"] is True and "engagement_note" not in read  # it read and found none: a zero
    assert read["sources"]["lobsters"]["status"] == "nothing found yet (read since 22 Nov 2026)"
    failing_now = updated(found_none, [("lobsters", "failed", "HTTP 503")], DAY + dt.timedelta(days=1))
    still = R.build(_ledger(), R.default_as_of(_ledger()), settings, runs=failing_now)
    assert still["engagement_measured"] is True  # it read once and found none; failing since does not unmeasure it
    assert still["sources"]["lobsters"]["status"] == "failing since 23 Nov 2026: HTTP 503"


def test_update_records_each_sources_run(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search_by_date").respond_with_data("down", status=503)
    httpserver.expect_request(re.compile("/domains/.*")).respond_with_json([])
    base = httpserver.url_for("/")
    specs = parse_specs(["blog", {"hackernews": None, "base_url": base}, {"lobsters": None, "base_url": base}])
    net = NetSettings(wait_budget=1.0, min_wait=0.01, backoff=0.01, attempts=1, cache_dir=tmp_path / "cache")
    folder = tmp_path / "data"
    site = make_site(tmp_path)
    update(site, specs, folder, DAY, offline=True)
    assert {n: r["status"] for n, r in load_runs(folder).items()} == {
        "blog": "ok",
        "hackernews": "skipped",
        "lobsters": "skipped",
    }
    update(site, specs, folder, DAY, net=net)
    runs = load_runs(folder)
    assert runs["hackernews"]["status"] == "failed" and "503" in runs["hackernews"]["reason"]
    assert runs["lobsters"] == {"status": "ok", "since": "2026-11-22", "reason": "", "read": "2026-11-22"}
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    update(site, specs, folder, DAY + dt.timedelta(days=1), net=net)  # the same outcomes a day later: no file changes
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    settings = Settings(sources=("blog", "hackernews", "lobsters"), site_url=site.site_url)
    data = build_report(folder, settings)
    assert data["sources"]["hackernews"]["status"].startswith("failing since 22 Nov 2026: ")
    assert data["engagement_measured"] is True  # lobsters read and found no discussion: zero, not unknown


def test_a_real_build_lists_the_unread_sources_and_says_engagement_is_not_measured(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    text = config.read_text().replace("        - file: activity.json\n", "        - hackernews\n        - lobsters\n")
    config.write_text(text)
    influence("update", "-q", "-f", str(config), "--offline")
    assert json.loads((example_site / "influence-data" / RUNS_FILE).read_text())["sources"]["hackernews"]["status"] == "skipped"
    mkdocs_build(config)
    page = (example_site / "site" / "influence" / "index.html").read_text()
    first = page
    assert "Hacker News: not read yet (offline run)</li>" in page and "Lobsters: not read yet (offline run)</li>" in page
    assert "<strong>Engagement is not measured yet: the configured sources" in page
    labels = re.findall(r'text-anchor="end">([\d.]+)</text>', page)
    assert labels and all(re.fullmatch(r"\d+(\.\d\d?)?", label) for label in labels)
    spark = page[page.index("<figcaption>Conversation") :]
    spark = spark[: spark.index("</svg>")]
    assert re.findall(r'text-anchor="end">([\d.]+)</text>', spark) == ["0.00", "0.25", "0.50"]  # at zero: never "0.2"
    assert re.search(r"(up|down) \d+\.\d in 30 days|unchanged in 30 days", page)
    score = json.loads((example_site / "site" / "influence" / "score.json").read_text())
    assert score["engagement_measured"] is False and score["sources"]["lobsters"]["status"] == "not read yet (offline run)"
    assert "engagement not measured" in re.search(r'<img src="badge.svg" alt="([^"]+)"', page)[1]
    mkdocs_build(config)
    assert (example_site / "site" / "influence" / "index.html").read_text() == first  # byte-identical across runs
