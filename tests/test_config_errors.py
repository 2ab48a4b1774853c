"""Every option with a wrong type, an unknown key, a bad URL or an unreadable path gives
one line that names the key and says what is expected (CLI); the plugin says the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import mkdocs_build, write_site

from mkdocs_influence.cli import main

CASES = [
    ("enabled: maybe", "enabled"),
    ("data_dir: 42", "data_dir"),
    ("as_of: someday", "as_of: expected YYYY-MM-DD"),
    ("post_badge: sideways", "post_badge"),
    ("sources: blog", "sources: expected a list"),
    ("sources: [myspace]", "sources[0]: unknown source 'myspace'"),
    ("sources: [{file: ''}]", "sources[0].file: expected a non-empty string"),
    ("sources: [{blog: x}]", "sources[0].blog: takes no value"),
    ("sources: [{mastodon: '@a@b.example', colour: red}]", "sources[0].colour: unknown option for mastodon"),
    ("sources: [{mastodon: '@a@b.example', base_url: 'ftp://x'}]", "sources[0].base_url: expected an http:// or https:// URL"),
    ("sources: [{mastodon: '@a@b.example', token_env: 'abc def'}]", "sources[0].token_env: expected the NAME"),
    ("sources: [{devto: me, refresh_days: -1}]", "sources[0].refresh_days: expected a whole number"),
    ("sources: [{bluesky: me.example, refresh_days: lots}]", "sources[0].refresh_days"),
    ("sources: [blog, blog]", "'blog' is configured twice"),
    ("topics: [python]", "topics: expected a mapping"),
    ("topics: {colour: blue}", "topics.colour: unknown option"),
    ("topics: {max: 0}", "topics.max: expected a whole number of at least 1"),
    ("topics: {max: ten}", "topics.max: expected int"),
    ("topics: {allow: [1, 2]}", "topics.allow: expected a list of strings"),
    ("topics: {aliases: {py: 3}}", "topics.aliases"),
    ("badge: {style: round}", "badge.style: expected one of"),
    ("badge: {color: 'url(#x)'}", "badge.color: invalid colour"),
    ("badge: {label: [a]}", "badge.label: expected str"),
    ("badge: {size: 3}", "badge.size: unknown option"),
    ("sources: [{file: missing.json}]", "activity file"),
    ("sources: [{x-archive: nowhere/}]", "x-archive: no data/tweets.js"),
]


@pytest.mark.parametrize(("option", "expected"), CASES)
def test_cli_names_the_key(tmp_path: Path, option: str, expected: str) -> None:
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": f"site_name: X\nplugins:\n  - influence:\n      {option}\n",
            "docs/blog/posts/a.md": "---\ndate: 2026-01-01\n---\n# A\n",
        },
    )
    result = CliRunner().invoke(main, ["update", "-f", str(config)])
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_unreadable_data_folder(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": "site_name: X\nplugins:\n  - influence:\n      data_dir: data\n",
            "docs/blog/posts/a.md": "---\ndate: 2026-01-01\n---\n# A\n",
        },
    )
    (tmp_path / "data").write_text("a file, not a folder")
    result = CliRunner().invoke(main, ["update", "-f", str(config)])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot use the data folder ")


@pytest.mark.slow
@pytest.mark.parametrize(("option", "expected"), [CASES[5], CASES[9], CASES[20]])
def test_plugin_error_names_the_key(tmp_path: Path, option: str, expected: str) -> None:
    config = write_site(
        tmp_path, {"mkdocs.yml": f"site_name: X\nplugins:\n  - influence:\n      {option}\n", "docs/index.md": "# X\n"}
    )
    proc = mkdocs_build(config, check=False)
    assert proc.returncode != 0 and expected in proc.stderr and "Traceback" not in proc.stderr
