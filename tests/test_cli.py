"""The CLI as a user sees it: exit codes and the exact one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_influence.cli import main

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
    assert data["formula"] == "v1" and 1 <= data["score"] <= 100
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
