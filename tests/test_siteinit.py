"""``influence init --generator`` reads the site's URL and title as the generator reads its own config
(TOML, YAML or JSON; Hugo's config folder; Jekyll's ``url`` + ``baseurl``), never by pattern."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkdocs_influence.shells.siteinit import init_site, site_config

SHAPES = [
    ("hugo", {"hugo.yaml": "baseURL: https://blog.example/\ntitle: Dye Notes\nparams:\n  title: Other\n"}),
    (  # Hugo's config folder; a per-language baseURL is not the site's
        "hugo",
        {
            "config/_default/hugo.toml": 'baseURL = "https://blog.example/"\ntitle = "Dye Notes"\n'
            '[languages.fr]\n  baseURL = "https://fr.blog.example/"\n  title = "Notes"\n'
        },
    ),
    ("hugo", {"hugo.json": '{"baseURL": "https://blog.example/", "title": "Dye Notes"}'}),
    ("hugo", {"config.toml": 'title = "Dye Notes"\nbaseURL = "https://blog.example/"  # the live site\n'}),
    ("jekyll", {"_config.yml": "title: >-\n  Dye Notes\nurl: 'https://blog.example'\nbaseurl: blog\n"}),
    ("jekyll", {"_config.yaml": 'url: "https://blog.example/"\nbaseurl: "/blog/"\ntitle: "Dye Notes" # the name\n'}),
    ("zensical", {"zensical.toml": '[project]\nsite_name = "Dye Notes"\nsite_url = "https://blog.example/"\n'}),
]


@pytest.mark.parametrize(("generator", "files"), SHAPES)
def test_init_reads_the_site_config_as_its_generator_does(tmp_path: Path, generator: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    url, title = site_config(generator, tmp_path)
    assert title == "Dye Notes"
    assert url.rstrip("/") == ("https://blog.example/blog" if generator == "jekyll" else "https://blog.example")
    init_site(generator, tmp_path)
    written = yaml.safe_load((tmp_path / "influence.yml").read_text("utf-8"))
    assert (written["site_url"], written["site_name"], written["generator"]) == (url, "Dye Notes", generator)


def test_a_hugo_site_without_a_top_level_base_url_gets_none(tmp_path: Path) -> None:
    """Only the top-level ``baseURL`` is the site's (one under a table is not), and a relative one is no address."""
    (tmp_path / "config.toml").write_text('title = "T"\n[languages.fr]\nbaseURL = "https://fr.example/"\n', "utf-8")
    assert site_config("hugo", tmp_path) == ("", "T")
    (tmp_path / "config.toml").write_text('baseURL = "/"\n', "utf-8")
    assert site_config("hugo", tmp_path) == ("", "")
    init_site("hugo", tmp_path)
    assert "# site_url: " in (tmp_path / "influence.yml").read_text("utf-8")
