"""A wheel built from this repo, installed into a fresh venv, builds the example site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_wheel_in_fresh_venv_builds_the_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)], tmp_path)
    (wheel,) = dist.glob("mkdocs_influence-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mkdocs_influence/_templates/history_body.html.j2" in names
    assert "badges/data/widths-regular.json" in names
    assert not any(n.startswith(("tests/", "site-example/")) for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    py = venv / "bin" / "python"
    run([str(py), "-m", "pip", "install", "-q", f"{wheel}[example]"], tmp_path)
    site = tmp_path / "site-example"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    where = run([str(py), "-c", "import mkdocs_influence, badges; print(mkdocs_influence.__file__, badges.__file__)"], tmp_path)
    assert str(venv) in where and str(ROOT) not in where
    run([str(venv / "bin" / "influence"), "update", "-f", "mkdocs.yml", "--offline", "--as-of", "2026-11-20"], site)
    run([str(venv / "bin" / "mkdocs"), "build", "--strict"], site)
    page = (site / "site" / "influence" / "index.html").read_text()
    assert "Score over time" in page
    assert (site / "site" / "influence" / "badge@2x.png").read_bytes().startswith(b"\x89PNG")
