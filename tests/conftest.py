"""Shared helpers: copies of the example site, real MkDocs builds, small ledgers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "site-example"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def mkdocs_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("CI", None)  # keep Material's CI-only behaviour out of the way
    return env


def mkdocs_build(config: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """A real ``mkdocs build`` through MkDocs' own CLI, in a subprocess."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=mkdocs_env(), cwd=config.parent, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def influence(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The installed ``influence`` command, as a user runs it."""
    cmd = [sys.executable, "-m", "mkdocs_influence", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=mkdocs_env(), cwd=cwd, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"influence {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A private copy of ``site-example`` (its committed data folder included)."""
    dest = tmp_path / "site-example"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    return dest


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """A writable copy of ``tests/fixtures/<name>`` (the fixture files may be read-only)."""
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    return site


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def utc(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def _no_default_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """No test reaches the internet: the keyless sources on by default when ``site_url`` is set
    (Hacker News, Lobsters) are off unless a test is marked ``keyless_defaults``."""
    if "keyless_defaults" not in request.keywords:
        monkeypatch.setattr("mkdocs_influence.sources.KEYLESS", ())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "keyless_defaults: keep Hacker News and Lobsters on by default (see _no_default_network)")
