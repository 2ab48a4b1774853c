"""The CLI as a user sees it: exit codes and the exact one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_influence.shells.cli import main

ACTIVITY = {
    "audience": [{"source": "mastodon", "date": "2026-11-01", "followers": 1200}],
    "posts": [
        {
            "id": f"p{i}",
            "source": "blog",
            "url": f"https://example.org/p{i}/",
            "title": f"Sock knitting part {i}",
            "published": f"2026-{m:02d}-03T10:00:00Z",
            "tags": ["knitting"],
            "text": "Sock knitting with hand-dyed wool. Sock knitting again.",
            "metrics": {"comments": 3, "reposts": 2, "likes": 10},
        }
        for i, m in enumerate([6, 7, 8, 9, 10], start=1)
    ],
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture
def activity(tmp_path: Path) -> Path:
    path = tmp_path / "activity.json"
    path.write_text(json.dumps(ACTIVITY))
    return path


def test_score_json_has_the_documented_keys(activity: Path) -> None:
    code, out = run("score", "--activity", str(activity), "--as-of", "2026-11-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert sorted(data) == ["components", "formula", "score", "topics"]
    assert data["formula"] == "v2" and 1 <= data["score"] <= 100
    assert sum(c["points"] for c in data["components"].values()) == pytest.approx(data["score"], abs=0.5)
    assert [t["name"] for t in data["topics"]][:1] == ["knitting"]


def test_score_is_byte_identical_across_runs(activity: Path) -> None:
    outs = {run("score", "--activity", str(activity), "--as-of", "2026-11-01", "--json")[1] for _ in range(3)}
    assert len(outs) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-13-01"], "Invalid value for --as-of: expected YYYY-MM-DD"),
        (["--as-of", "yesterday"], "Invalid value for --as-of: expected YYYY-MM-DD"),
    ],
)
def test_bad_date_is_a_usage_error(activity: Path, args: list[str], message: str) -> None:
    code, out = run("score", "--activity", str(activity), *args)
    assert code == 2 and message in out


def test_missing_activity_file(tmp_path: Path) -> None:
    code, out = run("score", "--activity", str(tmp_path / "nope.json"), "--as-of", "2026-11-01")
    assert code == 1
    assert out == f"Error: activity file {tmp_path / 'nope.json'} does not exist\n"


def test_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"posts": [\n  {"id": 1,}\n]}')
    code, out = run("score", "--activity", str(path), "--as-of", "2026-11-01")
    assert code == 1
    assert out.startswith(f"Error: {path}: invalid JSON at line 2") and out.count("\n") == 1


def test_unknown_metric_names_the_field(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(ACTIVITY))
    bad["posts"][1]["metrics"]["shares"] = 4
    path = tmp_path / "a.json"
    path.write_text(json.dumps(bad))
    code, out = run("score", "--activity", str(path), "--as-of", "2026-11-01")
    assert code == 1
    assert "posts[1].metrics.shares: unknown metric" in out


def test_missing_metrics_are_zero(tmp_path: Path) -> None:
    data = {"posts": [{"id": "x", "title": "t", "published": "2026-10-01"}]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    code, out = run("score", "--activity", str(path), "--as-of", "2026-11-01", "--json")
    assert code == 0
    assert json.loads(out)["components"]["conversation"]["points"] == 0


def test_update_without_config(tmp_path: Path) -> None:
    code, out = run("update", "-f", str(tmp_path / "mkdocs.yml"))
    assert code == 1 and out == f"Error: config file {tmp_path / 'mkdocs.yml'} does not exist\n"


def test_update_without_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    code, out = run("update", "-f", str(tmp_path / "mkdocs.yml"))
    assert code == 1 and "the influence plugin is not enabled" in out


def test_badge_command_svg_and_png(tmp_path: Path) -> None:
    code, _ = run("badge", "influence", "57", "-o", str(tmp_path / "b.svg"))
    assert code == 0 and (tmp_path / "b.svg").read_text().startswith("<svg")
    code, _ = run("badge", "influence", "57", "-o", str(tmp_path / "b.png"), "--scale", "2")
    assert code == 0 and (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


def test_badge_command_errors(tmp_path: Path) -> None:
    code, out = run("badge", "a", "b", "-o", str(tmp_path / "b.gif"))
    assert code == 2 and ".svg or .png" in out
    code, out = run("badge", "a", "b", "-o", str(tmp_path / "b.svg"), "--color", "url(#x)")
    assert code == 1 and out.startswith("Error: invalid colour 'url(#x)'")
    code, out = run("badge", "a", "b", "-o", str(tmp_path / "b.svg"), "--style", "round")
    assert code == 1 and "unknown style 'round'" in out


@pytest.mark.parametrize("command", ["update", "score", "badge", "report"])
def test_help_everywhere(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0 and "Usage:" in out


# --- every message reads as a sentence -------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "word", "expected"), [(0, "post", "0 posts"), (1, "post", "1 post"), (2, "post", "2 posts"), (1, "reply", "1 reply")]
)
def test_plural(n: int, word: str, expected: str) -> None:
    from mkdocs_influence.wording import counted, plural

    assert plural(n, word) == expected
    assert counted(1, "replies") == "1 reply" and counted(2, "replies") == "2 replies" and counted(1, "likes") == "1 like"


@pytest.mark.parametrize(
    ("outcome", "line"),
    [
        ({"status": "ok", "posts": 1}, "blog: 1 post"),
        ({"status": "ok", "posts": 2, "warnings": ("w",)}, "blog: 2 posts (1 warning)"),
        ({"status": "ok", "posts": 0, "warnings": ("w", "v")}, "blog: 0 posts (2 warnings)"),
        ({"status": "failed", "message": "blog: HTTP 503 from example.org"}, "blog: failed — HTTP 503 from example.org"),
        ({"status": "failed", "message": "activity file a.json is missing"}, "blog: failed — activity file a.json is missing"),
        ({"status": "skipped", "message": "offline: kept the ledger's data"}, "blog: skipped — offline: kept the ledger's data"),
    ],
)
def test_outcome_lines_name_the_source_once(outcome: dict, line: str) -> None:
    from mkdocs_influence.shells.cli import _outcome_line
    from mkdocs_influence.shells.pipeline import SourceOutcome

    assert _outcome_line(SourceOutcome("blog", **outcome), verbose=False) == line


def test_update_and_report_say_1_post(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs" / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "docs" / "blog" / "posts" / "a.md").write_text("---\ndate: 2026-01-01\n---\n# A\n\nText.\n")
    config.write_text("site_name: X\nplugins:\n  - influence\n")
    code, out = run("update", "-f", str(config), "--as-of", "2026-02-01")
    assert (code, out) == (0, f"blog: 1 post\nledger updated: {tmp_path / 'influence-data'}\n")
    code, out = run("report", "-f", str(config))
    assert code == 0 and out.splitlines()[0].endswith(", 1 post)")


def test_report_says_what_happened_to_each_source_its_data_does_not_speak_for(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs" / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "docs" / "blog" / "posts" / "a.md").write_text("---\ndate: 2026-01-01\n---\n# A\n\nText.\n")
    config.write_text("site_name: X\nsite_url: https://b.example/\nplugins:\n  - influence:\n      sources: [blog, hackernews]\n")
    assert run("update", "-f", str(config), "--offline", "--as-of", "2026-02-01")[0] == 0
    code, out = run("report", "-f", str(config))
    lines = out.splitlines()
    assert code == 0 and "  hackernews: not read yet (offline run)" in lines, out
    assert any(line.startswith("Engagement is not measured yet") for line in lines)
    assert not any(line.startswith("  blog:") for line in lines)  # its data speaks for it


def test_no_success_line_when_every_source_failed(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nplugins:\n  - influence:\n      sources: [{x-archive: nowhere}]\n")
    code, out = run("update", "-f", str(config))
    assert code == 1
    assert out == (
        f"x-archive: failed — no data/tweets.js in {tmp_path / 'nowhere'}\n"
        "Error: every source failed; the ledger keeps its earlier data\n"
    )


# --- config discovery ----------------------------------------------------------------------------

STANDALONE = "site_name: S\ndata_dir: {data}\nsources: [blog]\n"


def _missing_data(folder: Path) -> str:
    return f"Error: no influence data in {folder}: run `influence update` first (or set data_dir)\n"


@pytest.mark.parametrize(
    ("present", "found"),
    [
        (["mkdocs.yml", "mkdocs.yaml", "influence.yml"], "mkdocs.yml"),
        (["mkdocs.yaml", "influence.yml"], "mkdocs.yaml"),
        (["influence.yml", "influence.yaml"], "influence.yml"),
        (["influence.yaml"], "influence.yaml"),
    ],
)
def test_default_config_is_found_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, present: list, found: str) -> None:
    (tmp_path / "docs").mkdir()
    for name in present:
        data = f"data-{name.replace('.', '-')}"
        text = STANDALONE.format(data=data)
        if name.startswith("mkdocs"):
            text = f"site_name: M\nplugins:\n  - influence:\n      data_dir: {data}\n"
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert run("report") == (1, _missing_data(tmp_path / f"data-{found.replace('.', '-')}"))


def test_no_config_lists_what_was_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    looked = "mkdocs.yml, mkdocs.yaml, influence.yml, influence.yaml"
    assert run("report") == (1, f"Error: no config file in {tmp_path}: looked for {looked} (name one with -f)\n")


def test_f_accepts_a_standalone_config_of_any_name(tmp_path: Path) -> None:
    (tmp_path / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "blog" / "posts" / "a.md").write_text("---\ndate: 2026-01-01\n---\n# A\n\nText.\n")
    config = tmp_path / "site-influence.yml"
    config.write_text(STANDALONE.format(data="d"))
    assert run("update", "-f", str(config), "--as-of", "2026-02-01") == (0, f"blog: 1 post\nledger updated: {tmp_path / 'd'}\n")


def test_f_reads_an_mkdocs_config_of_any_name_through_mkdocs(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    config = tmp_path / "site.yml"
    config.write_text("site_name: M\ntheme: {name: mkdocs}\n")  # MkDocs-only key, no plugin
    assert run("report", "-f", str(config)) == (
        1,
        f"Error: {config}: the influence plugin is not enabled (add '- influence' under plugins)\n",
    )


def test_f_with_a_folder_says_to_name_the_file(tmp_path: Path) -> None:
    assert run("report", "-f", str(tmp_path)) == (
        1,
        f"Error: {tmp_path} is a folder: name the config file in it (mkdocs.yml or influence.yml)\n",
    )


# --- explain: the numbers shown add up --------------------------------------------------------

_NUMBER = re.compile(r"\(([+-]\d+\.\d)\)(?=; |$)")


@pytest.mark.parametrize("start", ["2026-05-01", "2026-06-01", "2026-08-15", "2026-10-01", "2026-11-13", "2026-11-19"])
def test_explain_lines_add_up(start: str) -> None:
    import datetime as dt

    from conftest import EXAMPLE

    from mkdocs_influence.model.explain import explain, to_text
    from mkdocs_influence.store.ledger import load

    text = to_text(explain(load(EXAMPLE / "influence-data"), dt.date.fromisoformat(start), dt.date(2026, 11, 20)))
    head, *lines = text.splitlines()
    ends = re.search(r"\((\d+\.\d) → (\d+\.\d), ([+-]\d+\.\d)\)", head)
    assert ends, head
    a, b, change = (float(x) for x in ends.groups())
    assert round(b - a, 1) == change  # the difference is the one of the ends shown
    listed = 0.0
    for line in lines:
        m = re.match(r"([+-]\d+\.\d) (\w+): (.*)$", line)
        if not m:
            continue
        listed += float(m[1])
        if m[2] == "other":  # changes under the noise level, and rounding
            continue
        parts = _NUMBER.findall(m[3])
        assert parts and round(sum(float(p) for p in parts), 1) == float(m[1]), line  # movers + "and N more"
    assert round(listed, 1) == change, text
    if start == "2026-06-01":
        assert re.search(r"; and \d+ more \([+-]\d+\.\d\)$", lines[0]), lines[0]


def test_topics_lists_catch_all_labels_apart_after_the_subjects(tmp_path: Path) -> None:
    """Found by trying it on real blogs: "TIL 10.5%" printed after "JavaScript 0.9%" looked unsorted."""
    posts = [
        {**post, "id": f"{post['id']}-{n}", "published": f"2026-{m:02d}-0{n + 1}T10:00:00Z", "tags": ["knitting", "TIL"]}
        for n in range(3)
        for post, m in zip(ACTIVITY["posts"], [6, 7, 8, 9, 10], strict=True)
    ]
    (tmp_path / "activity.json").write_text(json.dumps({"posts": posts}))
    config = tmp_path / "influence.yml"
    config.write_text(f"site_name: S\ndata_dir: {tmp_path / 'data'}\nsources: [{{file: activity.json}}]\n")
    assert run("update", "-f", str(config), "--offline")[0] == 0
    code, out = run("topics", "-f", str(config))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("knitting "), out
    header = lines.index("series and formats (what kind of post, not its subject):")
    assert lines[header + 1].startswith("TIL ") and all(not line.startswith("TIL") for line in lines[:header])
