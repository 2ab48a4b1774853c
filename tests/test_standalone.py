"""Without MkDocs: an influence.yml and ``influence update --bundle DIR`` for any static site."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner
from conftest import write_site

from mkdocs_influence.shells.cli import main

POST = "---\ndate: 2026-{m:02d}-10\ntags: [hugo, static sites]\n---\n# Notes {m}\n\nHugo static sites and their themes.\n"


def test_hugo_style_site_gets_a_bundle(tmp_path: Path) -> None:
    files = {f"content/posts/p{m}.md": POST.format(m=m) for m in (6, 7, 8, 9)}
    files["influence.yml"] = "site_name: Hugo Notes\nsite_url: https://hugo.example/\ndocs_dir: content\nposts_dir: posts\n"
    config = write_site(tmp_path, files).parent / "influence.yml"
    out = tmp_path / "public" / "influence"
    result = CliRunner().invoke(main, ["update", "-f", str(config), "--as-of", "2026-10-01", "--bundle", str(out)])
    assert result.exit_code == 0, result.output
    expected = {
        "index.html",
        "badge.svg",
        "badge.png",
        "badge@2x.png",
        "card.svg",
        "card.png",
        "og.png",
        "topics.svg",
        "shields.json",
        "score.json",
        "history.json",
        "history.csv",
    }
    assert expected <= {p.name for p in out.iterdir()}
    page = (out / "index.html").read_text()
    assert page.startswith("<!doctype html>") and "Influence of Hugo Notes" in page and "prefers-color-scheme: dark" in page
    assert "https://hugo.example/influence/badge.svg" in page  # embed snippets use absolute URLs
    report = json.loads((out / "score.json").read_text())
    assert report["posts"] == 4 and [t["name"] for t in report["topics"]][:2] == ["hugo", "static sites"]
    shields = json.loads((out / "shields.json").read_text())
    assert shields["schemaVersion"] == 1 and shields["message"] == str(report["score"]) and shields["cacheSeconds"] > 0
    ET.fromstring((out / "card.svg").read_text())
    # a second run with nothing new changes no file
    again = CliRunner().invoke(main, ["update", "-f", str(config), "--as-of", "2026-10-01", "--bundle", str(out)])
    assert "ledger unchanged" in again.output and "bundle: 0 of" in again.output


def test_standalone_config_errors_name_the_key(tmp_path: Path) -> None:
    (tmp_path / "influence.yml").write_text("site_name: X\nsources: [myspace]\n")
    result = CliRunner().invoke(main, ["update", "-f", str(tmp_path / "influence.yml")])
    assert result.exit_code == 1 and "sources: sources[0]: unknown source 'myspace'" in result.output
