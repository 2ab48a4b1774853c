"""The posts that moved the score: a pure report field, marked on the history chart and listed under it."""

from __future__ import annotations

import copy
import datetime as dt
import re

from conftest import EXAMPLE
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_influence.model.moved import MARKS, NOISE, in_range
from mkdocs_influence.render.chart import score_chart
from mkdocs_influence.render.pages import history_body
from mkdocs_influence.settings import Settings
from mkdocs_influence.shells.pipeline import report

REPORT = report(EXAMPLE / "influence-data", Settings(site_name="Madder & Weld", site_url="https://madder-and-weld.example/"))


def test_moved_is_each_posts_engagement_points_as_explain_attributes_them() -> None:
    moved = REPORT["moved"]
    assert 1 <= len(moved) <= MARKS * 4
    assert [m["date"] for m in moved] == sorted(m["date"] for m in moved)
    assert all(m["points"] >= NOISE for m in moved)
    # A post published in the last 30 days was worth nothing at the window's start: its points
    # are exactly what explain attributes to it in conversation and resonance over that window.
    window = REPORT["changes"]["30"]
    newest = max(moved, key=lambda m: m["date"])
    deltas = [
        mv["delta"]
        for comp in window["components"]
        if comp["name"] in ("conversation", "resonance")
        for mv in comp["movers"]
        if newest["title"][:40] in mv["reason"]
    ]
    assert len(deltas) == 2 and abs(sum(deltas) - newest["points"]) < 1e-9
    # Rhythm is writing, not engagement: the blog's own posts (no counts) never moved the score.
    assert not [m for m in moved if m["path"]]


def test_each_range_marks_its_own_largest() -> None:
    as_of = REPORT["as_of"]
    last30 = in_range(REPORT["moved"], as_of, 30)
    assert last30 and all(m["date"] > (dt.date.fromisoformat(as_of) - dt.timedelta(days=30)).isoformat() for m in last30)
    everything = in_range(REPORT["moved"], as_of, None)
    assert len(everything) == MARKS
    assert min(m["points"] for m in everything) >= max(m["points"] for m in REPORT["moved"] if m not in everything)


ENTRY = st.fixed_dictionaries(
    {
        "date": st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat),
        "points": st.floats(0.05, 30),
        "title": st.text(max_size=5),
    }
)


@given(st.lists(ENTRY, max_size=30), st.sampled_from([30, 90, 365, None]))
def test_in_range_keeps_the_largest_inside_oldest_first(entries: list[dict], days: int | None) -> None:
    as_of = "2026-06-30"
    start = "" if days is None else (dt.date(2026, 6, 30) - dt.timedelta(days=days)).isoformat()
    got = in_range(entries, as_of, days)
    inside = [e for e in entries if start < e["date"] <= as_of]
    assert len(got) == min(MARKS, len(inside)) and all(e in inside for e in got)
    assert [e["date"] for e in got] == sorted(e["date"] for e in got)
    if got:
        left = [e["points"] for e in inside if e not in got]
        assert not left or min(e["points"] for e in got) >= max(left)


def test_the_chart_marks_each_post_with_its_title() -> None:
    marked = in_range(REPORT["moved"], REPORT["as_of"], None)
    svg = score_chart(REPORT["history"], REPORT["formula_changes"], None, marked)
    marks = re.findall(r'<g class="influence-moved-mark"><title>([^<]+)</title><line [^>]+/><circle [^>]+/></g>', svg)
    assert len(marks) == len(marked) == MARKS
    assert marks[-1].startswith("Moved the score: A year of skeins") and marks[-1].endswith("points now)")
    assert "influence-moved-mark" not in score_chart(REPORT["history"], REPORT["formula_changes"], None)


def test_hostile_titles_are_text_in_the_chart_and_the_list() -> None:
    data = copy.deepcopy(REPORT)
    hostile = '<script>alert(1)</script> "quoted" & \u202eevil'
    data["moved"] = [{**data["moved"][-1], "title": hostile, "url": "javascript:alert(1)", "path": ""}]
    page = history_body(data, lambda item: "", "influence score: 47")
    assert "<script>" not in page and "\u202e" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # the mark's title and the list
    assert "javascript:" not in page


def test_the_page_lists_them_under_each_chart_and_explains_the_dot() -> None:
    page = history_body(REPORT, lambda item: "../" + item["path"] if item.get("path") else item.get("url", ""), "x")
    lists = re.findall(r'<p class="influence-moved">.*?</p>', page, re.S)
    assert len(lists) == len(re.findall(r'class="influence-range-chart ', page))
    assert "Moved the score: " in lists[0] and "(20 Nov 2026, +5.4)" in lists[0]
    assert 'href="https://social.example/@studio/110013"' in lists[0]
    assert "A gold dot on the axis marks each post that moved the score" in page


def test_a_report_without_the_field_still_renders() -> None:
    data = {k: v for k, v in REPORT.items() if k != "moved"}
    page = history_body(data, lambda item: "", "x")
    assert '<p class="influence-moved">' not in page and "influence-moved-mark" not in page and "gold dot" not in page


def test_a_post_just_before_the_first_row_is_marked_at_the_axis_not_over_the_labels() -> None:
    """in_range takes posts up to ``days`` back; the chart's first weekly row may be days later."""
    rows = [r for r in REPORT["history"] if r["formula"] == REPORT["formula"]][-5:]
    first = dt.date.fromisoformat(rows[0]["date"])
    early = {"date": (first - dt.timedelta(days=5)).isoformat(), "title": "Early", "points": 3.0, "url": "", "path": ""}
    svg = score_chart(rows, (), 30, [early])
    x = float(re.search(r'<circle cx="([\d.]+)%', svg.split("influence-moved-mark", 1)[1]).group(1))
    assert x >= 9.0  # the plot's left edge, past the y-axis labels
