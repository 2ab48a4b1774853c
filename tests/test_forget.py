"""Only the sources configured now count; a removed source's data stays in the ledger, unused,
listed by ``influence doctor``, until ``influence forget`` removes it (after a backup)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import utc, write_site

from mkdocs_influence.model.report import build, source_names
from mkdocs_influence.settings import Settings
from mkdocs_influence.shells.cli import main
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Link, Post
from mkdocs_influence.store.fileio import locked

DAY = dt.date(2026, 11, 20)


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def without_file_source(site: Path) -> Path:
    config = site / "mkdocs.yml"
    text = config.read_text()
    assert "        - file: activity.json\n" in text
    config.write_text(text.replace("        - file: activity.json\n", ""))
    return config


def test_a_removed_source_no_longer_counts_then_forget_removes_it(example_site: Path, tmp_path: Path) -> None:
    config = example_site / "mkdocs.yml"
    before = json.loads(run("report", "-f", str(config), "--json"))
    assert before["sources"]["mastodon"]["followers"] == 331 and before["posts"] == 28

    without_file_source(example_site)
    after = json.loads(run("report", "-f", str(config), "--json"))
    assert set(after["sources"]) == {"blog"} and after["posts"] == 14
    assert after["score"] < before["score"] and after["components"]["reach"]["points"] == 0
    # the page and the badge come from the same report
    out = tmp_path / "bundle"
    run("update", "-f", str(config), "--offline", "--as-of", "2026-11-20", "--bundle", str(out))
    assert json.loads((out / "score.json").read_text())["score"] == after["score"]
    assert f'aria-label="influence: {after["score"]}"' in (out / "badge.svg").read_text()
    assert "mastodon" not in (out / "index.html").read_text() and "331" not in (out / "index.html").read_text()

    # the data stays in the ledger, unused, and doctor says so
    folder = example_site / "influence-data"
    ledger_before = (folder / "ledger.jsonl").read_bytes()
    assert b'"source":"mastodon"' in ledger_before
    lines = run("doctor", "-f", str(config)).splitlines()
    assert lines[-1] == (
        "ledger holds data of sources no longer configured: file (no posts), mastodon (14 posts, 331 followers)"
        " — `influence forget SOURCE` removes one"
    )

    out_text = run("forget", "-f", str(config), "mastodon")
    ledger_file = folder / "ledger.jsonl"
    assert out_text == f"forgot mastodon: removed 31 ledger lines from {ledger_file} (backup: {ledger_file}.bak1)\n"
    assert (folder / "ledger.jsonl.bak1").read_bytes() == ledger_before
    assert b'"source":"mastodon"' not in ledger_file.read_bytes()
    assert json.loads(run("report", "-f", str(config), "--json"))["score"] == after["score"]
    assert run("doctor", "-f", str(config)).splitlines()[-1] == (
        "ledger holds data of sources no longer configured: file (no posts) — `influence forget file` removes it"
    )
    run("forget", "-f", str(config), "file")
    assert (folder / "ledger.jsonl.bak2").is_file()  # a second backup, never overwriting the first
    assert run("doctor", "-f", str(config)) == f"{ledger_file}: no problems found\n"


def test_forget_refuses_a_configured_source_unless_forced(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    out = run("forget", "-f", str(config), "blog", code=1)
    assert out == (
        "Error: blog is still configured: remove it from sources first (or the next update brings it back), or use --force\n"
    )
    out = run("forget", "-f", str(config), "mastodon", code=1)  # brought by the configured activity file
    assert out.startswith("Error: mastodon is still configured")
    assert "forgot blog: removed" in run("forget", "-f", str(config), "blog", "--force")
    sources = json.loads(run("report", "-f", str(config), "--json"))["sources"]
    assert sources.keys() == {"blog", "file", "mastodon"} and sources["blog"] == {"posts": 0, "status": "not read yet"}
    runs = json.loads((example_site / "influence-data" / "runs.json").read_text())["sources"]
    assert "blog" not in runs and "file" in runs  # what it read is gone, and so is its last run


def test_forget_an_unknown_name_suggests_the_nearest(example_site: Path) -> None:
    config = without_file_source(example_site)
    ledger_file = example_site / "influence-data" / "ledger.jsonl"
    before = ledger_file.read_bytes()
    out = run("forget", "-f", str(config), "mastodn", code=1)
    assert out == f"Error: {ledger_file}: unknown source 'mastodn' — did you mean 'mastodon'?\n"
    assert ledger_file.read_bytes() == before and not list(ledger_file.parent.glob("*.bak*"))


def test_doctor_and_forget_read_the_ledger_once(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One parse of the ledger per command: the check doctor shows is the ledger it lists unused
    sources from, and forget removes from the ledger it looked the name up in."""
    config = without_file_source(example_site)
    lines = len((example_site / "influence-data" / "ledger.jsonl").read_text().splitlines()) - 1  # the header
    parsed = []
    real = L._parse_line
    monkeypatch.setattr(L, "_parse_line", lambda *a, **k: parsed.append(1) or real(*a, **k))
    assert "ledger holds data of sources no longer configured" in run("doctor", "-f", str(config))
    assert len(parsed) == lines
    parsed.clear()
    assert "forgot mastodon: removed 31 ledger lines" in run("forget", "-f", str(config), "mastodon")
    assert len(parsed) == lines


def test_doctor_names_bytes_that_are_not_utf8_and_repair_rewrites_them(example_site: Path) -> None:
    """What ``update`` cannot read, doctor does not call healthy: it says where, and --repair fixes it."""
    config = example_site / "mkdocs.yml"
    ledger_file = example_site / "influence-data" / "ledger.jsonl"
    data = ledger_file.read_bytes()
    at = data.index(b'"title":"') + len(b'"title":"')
    ledger_file.write_bytes(data[:at] + b"\xff" + data[at:])
    out = run("doctor", "-f", str(config), code=1)
    assert f"{ledger_file}: not UTF-8 text at byte {at}; the bytes are replaced\n" in out
    assert "dropped: " in run("doctor", "-f", str(config), "--repair")
    assert len(L.load(ledger_file.parent).records) == len(data.splitlines()) - 1  # no line lost
    assert "no problems found" in run("doctor", "-f", str(config))


def test_forget_waits_for_no_one_under_the_lock(example_site: Path) -> None:
    config = without_file_source(example_site)
    folder = example_site / "influence-data"
    before = (folder / "ledger.jsonl").read_bytes()
    with locked(folder):
        out = run("forget", "-f", str(config), "mastodon", code=1)
    assert "is being updated by another process" in out
    assert (folder / "ledger.jsonl").read_bytes() == before


def _blog_post(i: int) -> Post:
    return Post("blog", f"p{i}", f"Post {i}", utc(2026, 6 + i, 10), url=f"/p{i}/", measured=False)


def _site_with_webmentions(tmp_path: Path) -> Path:
    """A ledger with blog posts, webmention counts on them (``via``) and a mastodon account."""
    led = L.observe(L.Ledger(), "blog", Activity(tuple(_blog_post(i) for i in range(3))), DAY, complete=True)
    links = (Link("blog", "p0", {"replies": 4, "likes": 9}), Link("blog", "p1", {"mentions": 2}))
    led = L.observe(led, "webmentions", Activity(links=links), DAY, complete=False)
    audience = (Audience("mastodon", DAY, 500),)
    led = L.observe(led, "mastodon", Activity((Post("mastodon", "t1", "Toot", utc(2026, 9, 1)),), audience), DAY, complete=False)
    L.save(tmp_path / "data", led)
    (tmp_path / "influence.yml").write_text("site_name: W\ndata_dir: data\nsources: [blog]\n")
    return tmp_path / "influence.yml"


def test_counts_of_a_removed_linking_source_no_longer_count(tmp_path: Path) -> None:
    config = _site_with_webmentions(tmp_path)
    led = L.load(tmp_path / "data")
    everything = build(led, DAY)
    configured = json.loads(run("report", "-f", str(config), "--json"))
    assert everything["components"]["conversation"]["points"] > 0
    assert configured["components"]["conversation"]["points"] == 0 and configured["sources"].keys() == {"blog"}
    assert configured["score"] < everything["score"]
    assert run("doctor", "-f", str(config)).splitlines()[-1] == (
        "ledger holds data of sources no longer configured: mastodon (1 post, 500 followers), webmentions (counts on 2 posts)"
        " — `influence forget SOURCE` removes one"
    )
    run("forget", "-f", str(config), "webmentions")
    left = L.load(tmp_path / "data")
    assert not [r for r in left.records if r.source == "webmentions" or "via" in r.data]
    assert len(L.latest_posts(left, "blog")) == 3  # the blog posts the counts were attached to stay


def test_an_activity_file_counts_the_names_it_brings(tmp_path: Path) -> None:
    """A real mastodon source removed while an activity file (bringing other names) stays configured."""
    led = L.observe(L.Ledger(), "mastodon", Activity((Post("mastodon", "t1", "Toot", utc(2026, 9, 1)),)), DAY, complete=False)
    brought = Activity((Post("journal", "j1", "Entry", utc(2026, 9, 2)),), state={"sources": ["journal"]})
    led = L.observe(led, "file", brought, DAY, complete=False)
    assert source_names(led, ("blog", "file")) == {"blog", "file", "journal"}
    # blog is configured without data: listed, "not read yet"
    assert build(led, DAY, Settings(sources=("blog", "file")))["sources"].keys() == {"blog", "file", "journal"}
    assert build(led, DAY, Settings(sources=("mastodon",)))["sources"].keys() == {"mastodon"}
    assert build(led, DAY)["sources"].keys() == {"file", "journal", "mastodon"}  # no settings: the whole ledger


def test_an_update_records_which_names_an_activity_file_brings(tmp_path: Path) -> None:
    activity = {"posts": [{"id": "t", "source": "mastodon", "title": "T", "published": "2026-09-01"}]}
    files = {
        "mkdocs.yml": "site_name: X\nplugins:\n  - influence:\n      sources: [{file: a.json}]\n",
        "docs/index.md": "# X\n",
        "a.json": json.dumps(activity),
    }
    config = write_site(tmp_path, files)
    run("update", "-f", str(config), "--as-of", "2026-10-01")
    assert L.state(L.load(tmp_path / "influence-data"), "file", "sources") == ["mastodon"]


def test_the_report_cache_follows_the_configured_sources(example_site: Path, tmp_path: Path) -> None:
    from mkdocs_influence.shells.pipeline import report

    folder, cache = example_site / "influence-data", tmp_path / "cache"
    both = report(folder, Settings(sources=("blog", "file")), None, cache)
    blog = report(folder, Settings(sources=("blog",)), None, cache)
    assert "mastodon" in both["sources"] and "mastodon" not in blog["sources"] and blog["score"] < both["score"]
    assert report(folder, Settings(sources=("blog", "file")), None, cache) == both  # read back, not mixed up
    assert len(list(cache.glob("report-*.json"))) == 1  # each entry replaces the earlier ones: a saved CI cache stays small


def test_a_removed_sources_later_data_never_dates_the_report(example_site: Path) -> None:
    """The report's default date is the newest observation of the sources configured now."""
    config = example_site / "mkdocs.yml"
    dated = json.loads(run("report", "-f", str(config), "--json"))["as_of"]
    folder = example_site / "influence-data"
    later = dt.date.fromisoformat(dated) + dt.timedelta(days=30)
    with locked(folder):
        ledger = L.load(folder)
        extra = Activity(audience=(Audience("mastodon", later, 400),))
        L.save(folder, L.observe(ledger, "file", extra, later, complete=False))
    assert json.loads(run("report", "-f", str(config), "--json"))["as_of"] == later.isoformat()
    without_file_source(example_site)
    assert json.loads(run("report", "-f", str(config), "--json"))["as_of"] == dated
