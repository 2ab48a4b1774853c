"""The history page as HTML: what a reader sees first, charts fitted to their data, plain words."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from conftest import EXAMPLE
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_influence.render.chart import component_chart, nice_range, score_chart
from mkdocs_influence.render.pages import TABLE_WEEKS, history_body, history_html
from mkdocs_influence.settings import Settings
from mkdocs_influence.shells.pipeline import report

REPORT = report(EXAMPLE / "influence-data", Settings(site_name="Madder & Weld", site_url="https://madder-and-weld.example/"))


def long_report(years: int = 3) -> dict[str, Any]:
    """The example's report with ``years`` of weekly history and a formula change a year ago."""
    data = copy.deepcopy(REPORT)
    last = dt.date.fromisoformat(data["history"][-1]["date"])
    template = data["history"][-1]
    rows = []
    for i in range(years * 52, -1, -1):
        day = last - dt.timedelta(weeks=i)
        value = 20 + 25 * (1 - i / (years * 52)) + (i % 5) * 0.3
        row = {**copy.deepcopy(template), "date": day.isoformat(), "value": value, "score": round(value)}
        row["formula"] = "v1" if i > 52 else "v2"
        row["reconstructed"] = i > 100
        rows.append(row)
    data["history"] = rows
    data["formula"] = "v2"
    data["formula_changes"] = [{"formula": "v2", "since": (last - dt.timedelta(weeks=52)).isoformat()}]
    return data


def _page(data: dict[str, Any]) -> str:
    return history_body(data, lambda item: "../" + item["path"] if item.get("path") else "", "influence score: 44")


def _y_labels(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r'text-anchor="end">([\d.]+)</text>', svg)]


def test_the_score_comes_first_large_with_its_change_and_reason() -> None:
    page = _page(REPORT)
    first = page.index('class="influence-score"')
    assert first < page.index("<svg") and first < page.index('src="badge.svg"') < page.index('class="influence-chart"')
    assert f'<strong class="influence-score">{REPORT["score"]}</strong>' in page
    delta = REPORT["changes"]["30"]["change"]  # the explanation's own change, as "Why it moved" shows it
    assert f"up {delta:.1f} in 30 days" in page
    assert re.search(r'<p class="influence-reason">Mostly \w+: .+\.</p>', page)
    assert 'src="card.svg"' in page and "Embed code" in page


def test_score_chart_is_fitted_to_its_data() -> None:
    svg = score_chart(REPORT["history"], days=30)
    values = [r["value"] for r in REPORT["history"][-5:]]
    labels = _y_labels(svg)
    assert labels[0] <= min(values) and labels[-1] >= max(values)
    assert labels[-1] - labels[0] <= 2 * (max(values) - min(values)) + 2, labels  # not 0–100
    assert "viewBox" not in svg and 'font-size="12"' in svg  # labels stay 12 px at any width
    dates = re.findall(r'<text x="[\d.]+%" y="[\d.]+" text-anchor="\w+">([^<]+)</text>', svg)
    assert len(dates) >= 3, dates


def test_every_point_carries_its_value() -> None:
    rows = REPORT["history"]
    svg = score_chart(rows)
    titles = re.findall(r"<circle [^>]*><title>Week ending ([^<]+)</title></circle>", svg)
    assert len(titles) == len(rows)
    version = f" (version {rows[-1]['formula'].lstrip('v')})" if len(REPORT["formula_changes"]) else ""
    assert titles[-1] == f"20 Nov 2026: score{version} {round(rows[-1]['value'], 1):g}"
    current = [r for r in rows if r["formula"] == REPORT["formula"]]  # the parts are charted for the current formula
    spark = component_chart(rows, "reach", "Reach", REPORT["formula"])
    assert len(re.findall(r"<title>Week ending", spark)) == len(current)
    reach = [r["components"]["reach"] for r in current]
    labels = _y_labels(spark)
    assert labels[0] <= min(reach) and max(reach) <= labels[-1] < 15  # not scaled to its 15-point maximum


def test_ranges_are_offered_only_when_they_differ() -> None:
    short = _page(REPORT)  # 203 days of history
    assert "All time" in short and "Last 90 days" in short and "Last 365 days" not in short
    long = _page(long_report())
    assert all(name in long for name in ("All time", "Last 365 days", "Last 90 days", "Last 30 days"))


def test_long_history_stays_light() -> None:
    data = long_report(6)
    page = _page(data)
    assert len(re.findall(r"<tr><th scope=\"row\">", page)) == TABLE_WEEKS + len(data["components"]) - 1
    assert "history.csv</a>" in page
    svg = score_chart(data["history"])
    assert svg.count("<circle") <= 130  # thinned: every week is in history.csv
    assert len(page.encode()) < 200_000, len(page.encode())


def test_formula_changes_are_annotated_in_words() -> None:
    data = long_report()
    svg = score_chart(data["history"], data["formula_changes"])
    assert re.search(r"formula version 2 from \d+ \w{3} \d{4}</text>", svg)
    assert "score (version 1)" in svg and "score (version 2)" in svg
    page = _page(data)
    assert "reconstructed</em>: weeks before the first real observation" in page
    assert "dotted vertical line marks each change of formula" in page


def test_plain_words_and_plurals() -> None:
    page = _page(REPORT)
    assert f"formula version {REPORT['formula'].lstrip('v')}" in page and "formula <code>" not in page
    assert "new data last fetched" not in page and "last new data 20 Nov 2026" in page
    assert not re.search(r"\d{4}-W\d\d", page) and "week of " in page
    assert "Blog posts: 14 posts" in page and "Mastodon: 14 posts, 331 followers" in page
    assert not re.search(r"\b1 (quotes|replies|likes|reposts|posts|weeks)\b", page)
    assert "<table class" not in page  # the theme styles the tables


def test_standalone_page_has_a_main_landmark() -> None:
    page = history_html(REPORT)
    assert page.count("<main>") == 1 and page.index("<main>") < page.index("<h1>") < page.index("</main>")


@given(st.lists(st.floats(0, 100), min_size=1, max_size=50))
def test_nice_range_encloses_the_data(values: list[float]) -> None:
    ticks = nice_range(values)
    assert 2 <= len(ticks) <= 7
    assert ticks[0] <= min(values) + 1e-9 and ticks[-1] >= max(values) - 1e-9
    assert ticks[0] >= 0 and ticks[-1] <= 100
    assert ticks[-1] - ticks[0] <= max(10.0, 3 * (max(values) - min(values)))
