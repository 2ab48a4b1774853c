"""``influence init``: the plugin is added whatever the YAML style, and nothing else changes.

Configs come from tests/fixtures/init (a real Material config, and configs written in the
shape of real blogs' ones; provenance in tests/fixtures/README.md). Each result is loaded
the way MkDocs loads it (``mkdocs.utils.yaml.yaml_load``: ``!ENV``, ``!!python/name``,
``INHERIT``) and must list every original plugin plus influence.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load

from mkdocs_influence.shells.cli import main
from mkdocs_influence.shells.init import add_plugin

CONFIGS = FIXTURES / "init"
REAL_SHAPED = sorted(p.name for p in CONFIGS.glob("*.yml") if not p.name.startswith("inherit-"))


def plugin_names(config: Path) -> list[str]:
    with config.open("rb") as fh:
        plugins = yaml_load(fh).get("plugins", ["search"])
    if isinstance(plugins, dict):
        return list(plugins)
    return [next(iter(p)) if isinstance(p, dict) else p for p in plugins]


def init(config: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["init", "-f", str(config), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts."""
    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


@pytest.mark.parametrize("name", REAL_SHAPED)
def test_init_adds_one_entry_to_real_shaped_configs(tmp_path: Path, name: str) -> None:
    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIGS / name, config)
    config.chmod(0o755)
    before_text, before_plugins = config.read_text("utf-8"), plugin_names(config)
    assert "influence" not in before_plugins
    out = init(config)
    assert out.startswith("added the influence plugin to")
    after = config.read_text("utf-8")
    assert plugin_names(config) == [*before_plugins, "influence"]
    removed, added = changed_lines(before_text, after)
    assert len(added) == 1 and "influence" in added[0]
    if removed:  # a flow collection: the one line gains ", influence"
        assert len(removed) == 1 and added[0].replace(", influence: {}", "").replace(", influence", "") == removed[0]
    else:
        assert added[0].strip() in ("- influence", "influence: {}")
    assert config.stat().st_mode & 0o7777 == 0o755
    assert init(config) == "nothing to do: already set up\n"
    assert config.read_text("utf-8") == after


def test_flow_list_keeps_the_blog(tmp_path: Path) -> None:
    """The reported defect: a second plugins block was appended and YAML kept only it."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nplugins: [search, blog]\n")
    init(config)
    assert config.read_text() == "site_name: X\nplugins: [search, blog, influence]\n"
    assert yaml.safe_load(config.read_text())["plugins"] == ["search", "blog", "influence"]


def test_a_linked_config_is_edited_where_it_lives(tmp_path: Path) -> None:
    """Some sites keep mkdocs.yml elsewhere and link it: the target changes, the link stays."""
    real = tmp_path / "shared" / "mkdocs.yml"
    real.parent.mkdir()
    real.write_text("site_name: X\nplugins:\n  - blog\n")
    link = tmp_path / "mkdocs.yml"
    link.symlink_to(real)
    init(link)
    assert link.is_symlink() and real.read_text() == "site_name: X\nplugins:\n  - blog\n  - influence\n"


def test_flow_config_loads_in_mkdocs(tmp_path: Path) -> None:
    """The full MkDocs validation (plugins really loaded), not only the YAML."""
    from mkdocs.config import load_config

    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIGS / "flow-env.yml", config)
    (tmp_path / "docs").mkdir()
    init(config)
    loaded = load_config(str(config))
    assert {"material/search", "material/blog", "material/tags", "influence"} <= set(loaded["plugins"])


def test_inherited_list_is_copied_and_the_base_left_alone(tmp_path: Path) -> None:
    shutil.copy(CONFIGS / "inherit-base.yml", tmp_path / "base.yml")
    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIGS / "inherit-child.yml", config)
    base = (tmp_path / "base.yml").read_bytes()
    before = config.read_text()
    out = init(config)
    assert "copied them (search, blog, tags)" in out
    assert (tmp_path / "base.yml").read_bytes() == base
    assert config.read_text().startswith(before)
    assert plugin_names(config) == ["search", "blog", "tags", "influence"]
    with config.open("rb") as fh:
        assert yaml_load(fh)["plugins"][1] == {"blog": {"blog_dir": "blog"}}  # options kept
    assert init(config) == "nothing to do: already set up\n"


def test_inherited_mapping_merges(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("plugins:\n  search: {}\n  blog: {}\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nsite_name: X\n")
    init(config)
    assert config.read_text() == "INHERIT: base.yml\nsite_name: X\n\nplugins:\n  influence: {}\n"
    assert plugin_names(config) == ["search", "blog", "influence"]


def test_no_plugins_keeps_search(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X")  # no newline at the end either
    init(config)
    assert yaml.safe_load(config.read_text())["plugins"] == ["search", "influence"]
    assert config.read_text().startswith("site_name: X\n")


def test_crlf_and_comments_kept(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    lines = [
        "# My blog",
        "site_name: Wool   # keep",
        "plugins:",
        "    # the blog",
        "    - blog:",
        "        post_date_format: short",
    ]
    text = "\r\n".join(lines) + "\r\n"
    config.write_bytes(text.encode())
    init(config)
    assert config.read_bytes() == (text + "    - influence\r\n").encode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plugins:\n  - search\nplugins: [blog]\n", "2 'plugins:' keys"),
        ("base: &p [search]\nplugins: *p\n", "plugins is not a plain list or mapping"),
        ("plugins: !ENV PLUGINS\n", "plugins is not a plain list or mapping"),
        ("plugins: !ENV [PLUGINS, [search]]\n", "plugins is not a plain list or mapping"),
        ("site_name: [unclosed\n", "is not valid YAML (line 2)"),
        ("site_name: X\nplugins:\ntheme: material\n", "plugins is empty (line 2)"),
        ("- a\n- b\n", "is not a YAML mapping"),
    ],
)
def test_unworkable_configs_are_refused_untouched(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    result = CliRunner().invoke(main, ["init", "-f", str(config)])
    assert result.exit_code == 1 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert config.read_text() == text


# --- property: any style, any indentation -------------------------------------------

NAMES = st.lists(
    st.sampled_from(["search", "blog", "tags", "rss", "social", "minify", "material/privacy"]), max_size=5, unique=True
)


def render(names: list[str], style: str, indent: int, comment: bool, nl: str, after: bool) -> str:
    pad = " " * indent
    if style == "flow":
        body = "plugins: [" + ", ".join(names) + "]" + ("  # mine" if comment else "") + nl
    elif style == "flowmap":
        body = "plugins: {" + ", ".join(f"{n}: {{}}" for n in names) + "}" + nl
    elif style == "mapping":
        body = "plugins:" + nl + "".join(f"{pad}{n}:{nl}{pad}{pad}enabled: true{nl}" for n in names)
    else:
        dash = "" if style == "indentless" else pad
        entries = [f"{dash}- {n}" + (f"  # {n}" if comment else "") + nl for n in names]
        body = "plugins:" + nl + "".join(entries) + (f"{dash}# - later{nl}" if comment else "")
    return "site_name: Prop" + nl + body + (f"{nl}# next{nl}markdown_extensions: [toc]{nl}" if after else "")


@settings(max_examples=150, deadline=None)
@given(
    names=NAMES.filter(bool),
    style=st.sampled_from(["flow", "flowmap", "mapping", "block", "indentless"]),
    indent=st.sampled_from([2, 4]),
    comment=st.booleans(),
    nl=st.sampled_from(["\n", "\r\n"]),
    after=st.booleans(),
)
def test_any_style_gets_exactly_one_entry(names: list[str], style: str, indent: int, comment: bool, nl: str, after: bool) -> None:
    text = render(names, style, indent, comment, nl, after)
    new, note = add_plugin(text)
    assert note is None
    loaded = yaml.safe_load(new)["plugins"]
    assert list(loaded) == [*names, "influence"]
    removed, added = changed_lines(text, new)
    assert len(added) == 1 and len(removed) <= 1
    assert add_plugin(new) == (new, None)  # idempotent


# --- the CI recipe --------------------------------------------------------------------


def site(tmp_path: Path, config: str = "site_name: X\ntheme: {name: material}\nplugins: [search, blog, rss]\n") -> Path:
    (tmp_path / "mkdocs.yml").write_text(config)
    return tmp_path / "mkdocs.yml"


def workflow(tmp_path: Path) -> dict:
    return yaml.safe_load((tmp_path / ".github/workflows/influence.yml").read_text())


def install_step(tmp_path: Path) -> str:
    steps = workflow(tmp_path)["jobs"]["update-and-deploy"]["steps"]
    return next(s["run"] for s in steps if s.get("name") == "Install").strip()


def python_of(tmp_path: Path) -> str:
    steps = workflow(tmp_path)["jobs"]["update-and-deploy"]["steps"]
    return next(s["with"]["python-version"] for s in steps if s.get("uses", "").startswith("actions/setup-python"))


def test_github_recipe_is_valid_yaml_with_the_expected_steps(tmp_path: Path) -> None:
    out = init(site(tmp_path), "--ci", "github")
    flow = workflow(tmp_path)
    assert set(flow[True if True in flow else "on"]) == {"schedule", "workflow_dispatch"}  # YAML 1.1 reads "on" as True
    steps = flow["jobs"]["update-and-deploy"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert uses[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    runs = [s["run"].strip() for s in steps if "run" in s]
    assert runs[0] == "pip install mkdocs-influence mkdocs-material mkdocs-rss-plugin"
    assert runs[1] == "influence update -f mkdocs.yml"
    assert "git add influence-data" in runs[2] and "git status --porcelain -- influence-data" in runs[2]
    assert runs[3] == "mkdocs build --strict -f mkdocs.yml"
    assert steps[1]["with"] == {"python-version": "3.12", "cache": "pip", "cache-dependency-path": "mkdocs.yml\n"}
    assert "${{ secrets.WEBMENTION_IO_TOKEN }}" in (tmp_path / ".github/workflows/influence.yml").read_text()
    assert "Python 3.12 (no version declared" in out and "plugins named in mkdocs.yml" in out


def test_gitlab_recipe_is_valid_yaml(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.11.9\n")
    init(site(tmp_path), "--ci", "gitlab")
    job = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())["pages"]
    assert job["image"] == "python:3.11"
    assert [s.strip() for s in job["script"]][:2] == [
        "pip install mkdocs-influence mkdocs-material mkdocs-rss-plugin",
        "influence update -f mkdocs.yml",
    ]
    assert job["script"][-1] == "mkdocs build --strict -f mkdocs.yml --site-dir public"


def test_requirements_files_are_installed(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("mkdocs-material==9.5.0\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "requirements-docs.txt").write_text("mkdocs-rss-plugin\n")
    out = init(site(tmp_path), "--ci", "github")
    assert install_step(tmp_path) == "pip install -r docs/requirements-docs.txt -r requirements.txt mkdocs-influence"
    assert "docs/requirements-docs.txt, requirements.txt" in out
    steps = workflow(tmp_path)["jobs"]["update-and-deploy"]["steps"]
    assert steps[1]["with"]["cache-dependency-path"].split() == ["docs/requirements-docs.txt", "requirements.txt"]


def test_requirements_naming_the_tool_are_not_doubled(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("mkdocs-material\nmkdocs_influence>=0.1\n")
    init(site(tmp_path), "--ci", "github")
    assert install_step(tmp_path) == "pip install -r requirements.txt"


def test_pyproject_dependencies_are_installed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "blog"\nrequires-python = ">=3.9,<3.12"\n'
        'dependencies = ["mkdocs-material[imaging]>=9.5", "tomli; python_version < \'3.11\'"]\n'
    )
    out = init(site(tmp_path), "--ci", "github")
    quoted = "'tomli; python_version < '\"'\"'3.11'\"'\"''"  # shlex.quote of a marker with quotes
    assert install_step(tmp_path) == f"pip install 'mkdocs-material[imaging]>=9.5' {quoted} mkdocs-influence"
    assert python_of(tmp_path) == "3.11"  # the newest the range allows
    assert "requires-python '>=3.9,<3.12', the newest it allows" in out


def test_plugins_are_mapped_and_unknown_ones_listed(tmp_path: Path) -> None:
    config = (
        "theme:\n  name: windmill\nplugins:\n  - search\n  - material/social\n  - minify:\n      minify_html: true\n  - my-own\n"
    )
    out = init(site(tmp_path, config), "--ci", "github")
    assert install_step(tmp_path) == "pip install mkdocs-influence 'mkdocs-material[imaging]' mkdocs-minify-plugin"
    assert "add the packages of these plugins to the install step: my-own, the theme windmill" in out


def test_inherited_plugins_count(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("theme: material\nplugins:\n  rss: {}\n")
    init(site(tmp_path, "INHERIT: base.yml\nplugins:\n  glightbox: {}\n"), "--ci", "github")
    assert install_step(tmp_path) == "pip install mkdocs-glightbox mkdocs-influence mkdocs-material mkdocs-rss-plugin"


def test_inherit_chain_is_followed_relative_to_each_file_as_mkdocs_does(tmp_path: Path) -> None:
    """``INHERIT`` names a file relative to the file naming it: a chain through a subfolder is read
    through, the same way for the plugins, the theme and site_dir (one walk)."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "base.yml").write_text("INHERIT: common.yml\nsite_name: X\n")
    (tmp_path / "config" / "common.yml").write_text("theme:\n  name: material\nsite_dir: public\nplugins:\n  - rss\n")
    config = site(tmp_path, "INHERIT: config/base.yml\ntheme:\n  features: [navigation.tabs]\n")
    init(config, "--ci", "github")
    assert plugin_names(config) == ["rss", "influence"]
    with config.open("rb") as fh:
        assert yaml_load(fh)["theme"]["name"] == "material"  # MkDocs reads the same chain
    assert install_step(tmp_path) == "pip install mkdocs-influence mkdocs-material mkdocs-rss-plugin"
    steps = workflow(tmp_path)["jobs"]["update-and-deploy"]["steps"]
    assert any(s.get("with", {}).get("path") == "public" for s in steps)


SETUP_PYTHON_310 = (
    "jobs:\n  b:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: 3.10\n"
)


@pytest.mark.parametrize(
    ("files", "python", "source"),
    [
        ({".python-version": "3.13.1\n"}, "3.13", ".python-version"),
        ({"runtime.txt": "python-3.10.12\n"}, "3.10", "runtime.txt"),
        ({".github/workflows/docs.yml": SETUP_PYTHON_310}, "3.10", "docs.yml"),  # unquoted 3.10 read as written
        (
            {".github/workflows/ci.yaml": "jobs:\n  t:\n    strategy: {matrix: {python-version: ['3.10', '3.12', '3.11']}}\n"},
            "3.12",
            "ci.yaml",
        ),
        ({"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n'}, "3.13", "requires-python"),
        ({".python-version": "3.8\n"}, "3.10", "needs 3.10 or later"),
        ({".python-version": "system\n"}, "3.12", "no version declared"),
        ({".python-version": "3.11\n", "pyproject.toml": '[project]\nrequires-python = ">=3.12"\n'}, "3.11", ".python-version"),
    ],
)
def test_python_version_detection(tmp_path: Path, files: dict[str, str], python: str, source: str) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    out = init(site(tmp_path), "--ci", "github")
    assert python_of(tmp_path) == python
    assert source in out


def test_recipe_is_deterministic_and_an_existing_one_is_left_alone(tmp_path: Path) -> None:
    config = site(tmp_path)
    init(config, "--ci", "github")
    first = (tmp_path / ".github/workflows/influence.yml").read_bytes()
    assert init(config, "--ci", "github") == "nothing to do: already set up\n"
    (tmp_path / ".github/workflows/influence.yml").write_text("# mine\n")
    (tmp_path / "requirements.txt").write_text("mkdocs\n")
    assert "exists and differs: left alone" in init(config, "--ci", "github")
    assert (tmp_path / ".github/workflows/influence.yml").read_text() == "# mine\n"
    (tmp_path / ".github/workflows/influence.yml").unlink()
    (tmp_path / "requirements.txt").unlink()
    init(config, "--ci", "github")
    assert (tmp_path / ".github/workflows/influence.yml").read_bytes() == first


def test_the_example_workflow_is_what_init_writes_for_it(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    from mkdocs_influence.shells.recipe import plan, render

    committed = (EXAMPLE / ".github/workflows/influence.yml").read_text()
    assert committed == render(plan(EXAMPLE / "mkdocs.yml"), "github")
