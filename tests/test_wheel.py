"""A wheel built from this repo, installed into a fresh venv, works as a new user's install does.

The venv is created without system site-packages, so a module the package imports but
pyproject.toml does not declare is missing there exactly as on a fresh machine (tenacity
and feedparser once were). The wheel's dependencies are installed by pip with the
machine's own pip configuration (its index or wheelhouse): a package registry is how a
user installs too, and it is the only thing this test fetches. Everything the product
itself reads comes from a loopback server (127.0.0.1) replaying tests/fixtures; no test
reaches the internet. The venv is built once per module and shared by the tests below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES, ROOT
from pytest_httpserver import HTTPServer
from test_sources_network import mastodon, mastodon_server

pytestmark = pytest.mark.slow
PACKAGES = ("mkdocs_influence", "badges")


def run(cmd: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with the wheel built from this repo, plus [example]."""
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)], tmp)
    (wheel,) = dist.glob("mkdocs_influence-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mkdocs_influence/_templates/history_body.html.j2" in names
    assert "badges/data/widths-regular.json" in names
    assert "mkdocs_influence/_templates/ci/github.yml.j2" in names
    assert "mkdocs_influence/_templates/generators/hugo/influence-badge.partial.html" in names  # init --generator
    assert not any(n.startswith(("tests/", "site-example/", "scripts/")) for n in names)
    env = tmp / "venv"
    run([sys.executable, "-m", "venv", "--clear", str(env)], tmp)
    cfg = (env / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg
    run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[example]"], tmp)
    return env


def source_modules() -> set[str]:
    """Every module of the packages as the repository has them."""
    found = set()
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found - {"mkdocs_influence.__main__"}  # runs the CLI when imported: checked with python -m


IMPORT_ALL = """
import importlib, json, pkgutil, sys
names = {}
def fail(name):
    raise
for top in sys.argv[1:]:
    pkg = importlib.import_module(top)
    names[top] = pkg.__file__
    for info in pkgutil.walk_packages(pkg.__path__, top + ".", onerror=fail):
        if info.name.endswith(".__main__"):
            continue
        names[info.name] = importlib.import_module(info.name).__file__
print(json.dumps(names))
"""


def test_every_module_imports_in_a_fresh_venv(venv: Path, tmp_path: Path) -> None:
    out = run([str(venv / "bin" / "python"), "-c", IMPORT_ALL, *PACKAGES], tmp_path)
    imported = json.loads(out)
    assert set(imported) == source_modules()  # walked the installed packages: none missing, none extra
    assert all(file.startswith(str(venv)) for file in imported.values()), "imported from outside the venv"
    assert "update" in run([str(venv / "bin" / "python"), "-m", "mkdocs_influence", "--help"], tmp_path)


def test_network_sources_update_in_a_fresh_venv(venv: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    """``influence update`` with a feed and a Mastodon source, as installed, against 127.0.0.1."""
    mastodon_server(httpserver)
    xml = (FIXTURES / "feeds/feedjira_TechCrunch_wordpress_rss.xml").read_bytes()
    httpserver.expect_request("/feed/", query_string={"paged": "2"}).respond_with_data("", status=404)
    httpserver.expect_request("/feed/").respond_with_data(xml, content_type="application/rss+xml")
    assert httpserver.host == "localhost" or httpserver.host.startswith("127.")
    sources = [{"feed": httpserver.url_for("/feed/")}, mastodon(httpserver)]
    (tmp_path / "influence.yml").write_text(
        json.dumps({"site_name": "Wheel", "site_url": "https://blog.example/", "docs_dir": ".", "sources": sources}),
        encoding="utf-8",
    )
    out = run([str(venv / "bin" / "influence"), "update", "-f", "influence.yml", "--as-of", "2026-11-22"], tmp_path)
    assert "failed" not in out, out
    paths = {req.path for req, _ in httpserver.log}
    assert "/feed/" in paths and "/api/v1/accounts/lookup" in paths
    lines = (tmp_path / "influence-data" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    posts = [json.loads(line)["source"] for line in lines if '"kind":"post"' in line]
    assert posts.count("feed") == 20 and posts.count("mastodon") == 10  # every recorded item, from both sources


def test_wheel_in_fresh_venv_builds_the_example(venv: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-example"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    run([str(venv / "bin" / "influence"), "update", "-f", "mkdocs.yml", "--offline", "--as-of", "2026-11-20"], site)
    run([str(venv / "bin" / "mkdocs"), "build", "--strict"], site)
    page = (site / "site" / "influence" / "index.html").read_text()
    assert "Score over time" in page
    assert (site / "site" / "influence" / "badge@2x.png").read_bytes().startswith(b"\x89PNG")
