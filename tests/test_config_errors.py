"""Every option with a wrong type, an unknown key, a bad URL or an unreadable path gives
one line that names the key and says what is expected (CLI); the plugin says the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import mkdocs_build, write_site

from mkdocs_influence.shells.cli import main

CASES = [
    ("enabled: maybe", "enabled"),
    ("data_dir: 42", "data_dir"),
    ("as_of: someday", "as_of: expected YYYY-MM-DD"),
    ("post_badge: sideways", "post_badge"),
    ("sources: blog", "sources: expected a list"),
    ("sources: [myspace]", "sources[0]: unknown source 'myspace'"),
    ("sources: [{file: ''}]", "sources[0].file: expected a non-empty string"),
    ("sources: [{blog: x}]", "sources[0].blog: takes no value"),
    ("sources: [{mastodon: '@a@b.example', colour: red}]", "unknown option 'sources[0].colour' (expected one of base_url,"),
    ("sources: [{mastodon: '@a@b.example', base_url: 'ftp://x'}]", "sources[0].base_url: expected an http:// or https:// URL"),
    ("sources: [{mastodon: '@a@b.example', token_env: 'abc def'}]", "sources[0].token_env: expected the NAME"),
    ("sources: [{devto: me, refresh_days: -1}]", "sources[0].refresh_days: expected a whole number"),
    ("sources: [{bluesky: me.example, refresh_days: lots}]", "sources[0].refresh_days"),
    ("sources: [blog, blog]", "'blog' is configured twice"),
    ("topics: [python]", "topics: expected a mapping"),
    ("topics: {colour: blue}", "unknown option 'topics.colour' (expected one of aliases, allow,"),
    ("topics: {max: 0}", "topics.max: expected a whole number of at least 1"),
    ("topics: {max: ten}", "topics.max: expected int"),
    ("topics: {allow: [1, 2]}", "topics.allow: expected a list of strings"),
    ("topics: {aliases: {py: 3}}", "topics.aliases"),
    ("badge: {style: round}", "badge.style: expected one of"),
    ("badge: {color: 'url(#x)'}", "badge.color: invalid colour"),
    ("badge: {label: [a]}", "badge.label: expected str"),
    ("badge: {size: 3}", "unknown option 'badge.size' (expected one of card_theme, color, label, style)"),
    ("sources: [{file: missing.json}]", "activity file"),
    ("sources: [{x-archive: nowhere/}]", "x-archive: failed — no data/tweets.js"),
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


@pytest.mark.parametrize(
    ("data_dir", "file", "message"),
    [
        ("data", "data", "{root}/data is a file, not a folder: move it or set data_dir"),
        (
            "notes/data",
            "notes",
            "{root}/notes is a file, not a folder, so the data folder {root}/notes/data cannot be made: move it or set data_dir",
        ),
    ],
)
def test_data_folder_that_is_a_file_says_what_to_do(tmp_path: Path, data_dir: str, file: str, message: str) -> None:
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": f"site_name: X\nplugins:\n  - influence:\n      data_dir: {data_dir}\n",
            "docs/blog/posts/a.md": "---\ndate: 2026-01-01\n---\n# A\n",
        },
    )
    (tmp_path / file).write_text("a file, not a folder")
    for command in ("update", "report", "doctor"):
        result = CliRunner().invoke(main, [command, "-f", str(config)])
        assert (result.exit_code, result.output) == (1, "Error: " + message.format(root=tmp_path) + "\n")
    proc = mkdocs_build(config, "--no-strict", check=False)  # the build says the same, never "no data folder yet"
    assert proc.returncode != 0 and message.format(root=tmp_path) in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("option", "expected"), [CASES[5], CASES[9], CASES[20]])
def test_plugin_error_names_the_key(tmp_path: Path, option: str, expected: str) -> None:
    config = write_site(
        tmp_path, {"mkdocs.yml": f"site_name: X\nplugins:\n  - influence:\n      {option}\n", "docs/index.md": "# X\n"}
    )
    proc = mkdocs_build(config, check=False)
    assert proc.returncode != 0 and expected in proc.stderr and "Traceback" not in proc.stderr


# --- unknown options: the key's path and the nearest valid name, everywhere -----------------

UNKNOWN = [
    ("topic: {max: 3}", "unknown option 'topic' — did you mean 'topics'?"),
    ("topics: {alow: [Indigo]}", "unknown option 'topics.alow' — did you mean 'topics.allow'?"),
    ("badge: {colour: red}", "unknown option 'badge.colour' — did you mean 'badge.color'?"),
    (
        "sources: [{mastodon: '@a@b.example', token: T}]",
        "unknown option 'sources[0].token' — did you mean 'sources[0].token_env'?",
    ),
    ("sources: [{blog: null, base_url: 'https://x.example'}]", "unknown option 'sources[0].base_url' (none is allowed here)"),
    ("datadir: data", "unknown option 'datadir' — did you mean 'data_dir'?"),
]


@pytest.mark.parametrize(("option", "message"), UNKNOWN)
def test_cli_refuses_unknown_options_with_the_nearest_name(tmp_path: Path, option: str, message: str) -> None:
    config = write_site(
        tmp_path, {"mkdocs.yml": f"site_name: X\nplugins:\n  - influence:\n      {option}\n", "docs/index.md": "# X\n"}
    )
    result = CliRunner().invoke(main, ["report", "-f", str(config)])
    assert (result.exit_code, result.output) == (1, f"Error: {config}: {message}\n")


def test_unknown_source_kind_gets_the_nearest_name(tmp_path: Path) -> None:
    files = {"mkdocs.yml": "site_name: X\nplugins:\n  - influence:\n      sources: [blog, mastodn]\n", "docs/index.md": "# X\n"}
    config = write_site(tmp_path, files)
    result = CliRunner().invoke(main, ["report", "-f", str(config)])
    message = "sources[1]: unknown source 'mastodn' — did you mean 'mastodon'?"
    assert (result.exit_code, result.output) == (1, f"Error: {config}: Plugin 'influence' option 'sources': {message}\n")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("site_nme: X", "unknown option 'site_nme' — did you mean 'site_name'?"),
        ("posts: blog", "unknown option 'posts' — did you mean 'posts_dir'?"),
        *UNKNOWN,
    ],
)
def test_standalone_config_refuses_unknown_keys(tmp_path: Path, option: str, message: str) -> None:
    config = tmp_path / "influence.yml"
    config.write_text(f"site_name: X\n{option}\n")
    result = CliRunner().invoke(main, ["report", "-f", str(config)])
    assert (result.exit_code, result.output) == (1, f"Error: {config}: {message}\n")


@pytest.mark.slow
def test_mkdocs_warns_about_unknown_options_and_strict_fails(tmp_path: Path) -> None:
    """MkDocs' own rule: an unknown key is a warning naming it (with the nearest name); --strict fails."""
    import subprocess
    import sys

    from conftest import mkdocs_env

    post = "---\ndate: 2026-01-01\n---\n# A\n\nText.\n"
    config = write_site(tmp_path, {"mkdocs.yml": "site_name: X\nplugins:\n  - influence\n", "docs/blog/posts/a.md": post})
    assert CliRunner().invoke(main, ["update", "-f", str(config), "--as-of", "2026-02-01"]).exit_code == 0
    config.write_text("site_name: X\nplugins:\n  - influence:\n      topic: {max: 3}\n      badge: {colour: red}\n")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=mkdocs_env(), cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Plugin 'influence' option 'topic': unknown option 'topic' — did you mean 'topics'?" in proc.stderr
    assert "unknown option 'badge.colour' — did you mean 'badge.color'?" in proc.stderr
    strict = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, env=mkdocs_env(), cwd=tmp_path, timeout=300)
    assert strict.returncode == 1 and "Aborted with 2 configuration warnings in 'strict' mode!" in strict.stdout
    assert "unknown option 'topic' — did you mean 'topics'?" in strict.stderr
