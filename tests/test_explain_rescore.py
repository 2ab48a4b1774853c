"""``influence explain`` says why the score moved; ``rescore`` switches formula visibly."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner
from conftest import write_site

from mkdocs_influence.model import formula as F
from mkdocs_influence.shells.cli import main

ALARM = re.compile(r"\b(fell|dropped|drop|warning|alert|decline|lost)\b|!", re.I)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def site(tmp_path: Path) -> Path:
    activity = {
        "audience": [{"source": "mastodon", "date": "2026-09-01", "followers": 100}],
        "posts": [
            {
                "id": f"p{i}",
                "source": "mastodon",
                "title": f"Post {i}",
                "published": f"2026-{m:02d}-10",
                "metrics": {"replies": 2, "likes": 3},
            }
            for i, m in enumerate([6, 7, 8, 9], start=1)
        ],
    }
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\nplugins:\n  - influence:\n      sources: [{file: activity.json}]\n",
            "docs/index.md": "# T\n",
            "activity.json": json.dumps(activity),
        },
    )
    run("update", "-f", str(config), "--as-of", "2026-10-01")
    activity["posts"][0]["metrics"]["replies"] = 16  # 'Post 1' got 14 more replies
    activity["posts"].append(
        {
            "id": "p5",
            "source": "mastodon",
            "title": "Dyeing with onion skins",
            "published": "2026-10-20",
            "metrics": {"replies": 5},
        }
    )
    activity["audience"].append({"source": "mastodon", "date": "2026-11-01", "followers": 90})
    (tmp_path / "activity.json").write_text(json.dumps(activity))
    run("update", "-f", str(config), "--as-of", "2026-11-01")
    return config


def test_explain_names_components_and_posts(site: Path) -> None:
    out = run("explain", "-f", str(site), "--from", "2026-10-01", "--to", "2026-11-01")
    assert out.startswith("Score ")
    assert "conversation: " in out
    assert "'Post 1' got 14 more replies" in out
    assert "'Dyeing with onion skins' is new with 5 replies" in out
    assert "mastodon followers 100 → 90" in out  # a drop is said plainly
    assert not ALARM.search(out)


def test_explain_json_adds_up(site: Path) -> None:
    data = json.loads(run("explain", "-f", str(site), "--from", "2026-10-01", "--to", "2026-11-01", "--json"))
    total = sum(c["delta"] for c in data["components"])
    assert total == pytest.approx(data["value_to"] - data["value_from"], abs=1e-9)
    assert data["new_posts"] == ["mastodon:p5"]


def test_explain_rejects_reversed_dates(site: Path) -> None:
    result = CliRunner().invoke(main, ["explain", "-f", str(site), "--from", "2026-11-02", "--to", "2026-11-01"])
    assert result.exit_code == 2 and "must not be after --to" in result.output


def test_rescore_marks_a_formula_change(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "already computed under formula v2" in run("rescore", "-f", str(site))
    v3 = dataclasses.replace(
        F.V2, id="v3", max_points=MappingProxyType({"base": 1.0, "engagement": 70.0, "reach": 9.0, "rhythm": 20.0})
    )
    monkeypatch.setattr(F, "CURRENT", v3)
    monkeypatch.setattr(F, "FORMULAS", MappingProxyType({"v1": F.V1, "v2": F.V2, "v3": v3}))
    out = run("rescore", "-f", str(site), "--as-of", "2026-11-01")
    assert "formula v3 is current from 2026-11-01" in out and "was " in out
    report = json.loads(run("report", "-f", str(site), "--json"))
    assert report["formula"] == "v3"
    assert report["formula_changes"] == [{"formula": "v3", "since": "2026-11-01"}]
    by_formula = {f: [r["date"] for r in report["history"] if r["formula"] == f] for f in ("v2", "v3")}
    # the new formula covers the whole history; the old line is kept up to the change
    assert by_formula["v3"][0] == by_formula["v2"][0] and by_formula["v2"][-1] < "2026-11-01"
    epochs = json.loads((site.parent / "influence-data" / "formulas.json").read_text())
    assert [e["formula"] for e in epochs["epochs"]] == ["v2", "v3"]
    # rescoring again changes nothing
    assert "already computed under formula v3" in run("rescore", "-f", str(site))
