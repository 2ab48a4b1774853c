"""ProperDocs (MkDocs 1.x's continuation) finds the plugin by its own entry point and builds the example."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import EXAMPLE, influence, mkdocs_env

pytestmark = pytest.mark.slow


def test_the_plugin_is_declared_for_properdocs() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="properdocs.plugins")}
    assert found.get("influence") == "mkdocs_influence.shells.plugin:InfluencePlugin"


def test_properdocs_builds_the_example_with_badge_and_page(tmp_path: Path) -> None:
    root = tmp_path / "site-example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    (root / "mkdocs.yml").rename(root / "properdocs.yml")  # ProperDocs' own name for the config
    influence("update", "-f", str(root / "properdocs.yml"), "--offline", "--as-of", "2026-11-20")
    cmd = [sys.executable, "-m", "properdocs", "build", "--strict"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=mkdocs_env(), cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    page = (site / "influence" / "index.html").read_text("utf-8")
    assert "Influence of Madder" in page and "<svg" in page
    assert (site / "influence" / "badge.svg").read_bytes().startswith(b"<svg")
    post = next((site / "blog").rglob("a-year-in-colour/index.html")).read_text("utf-8")
    assert "influence:badge" not in post and 'src="../../../../../influence/badge.svg"' in post
