"""The CI recipe ``influence init --ci github|gitlab`` writes, fitted to the site.

A scheduled job must build the site the way the site builds today, so the recipe
installs the site's own requirements and uses its Python version. Where they come from,
first match wins:

- packages: ``requirements*.txt`` (beside ``mkdocs.yml`` or in ``docs/``), else
  ``[project] dependencies`` of ``pyproject.toml``, else the plugins (and theme) named in
  ``mkdocs.yml``, mapped to their PyPI packages by a small table; names not in the table
  are listed for the user to add. ``mkdocs-influence`` is added when missing.
- Python: ``.python-version``, ``runtime.txt``, an existing GitHub workflow's
  ``setup-python``, then ``requires-python`` (the newest supported version it allows).

Everything found is said back, with what to check. Same files in, same recipe out.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from ruamel.yaml.events import Event, MappingStartEvent, ScalarEvent, SequenceStartEvent

from ..errors import ConfigError
from ..render.pages import templates_dir
from ..store.fileio import atomic_write
from . import init as yml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CI_FILES = {"github": Path(".github/workflows/influence.yml"), "gitlab": Path(".gitlab-ci.yml")}
SUPPORTED = ("3.10", "3.11", "3.12", "3.13")  # Pythons mkdocs-influence runs on
DEFAULT_PYTHON = "3.12"
SELF = "mkdocs-influence"
BUILTIN = {"search"}  # ships with MkDocs
MATERIAL = "mkdocs-material"
# Plugin name (as written in mkdocs.yml, without a "material/" prefix) → its PyPI package.
PLUGIN_PACKAGES = {
    **dict.fromkeys(
        ("blog", "group", "info", "meta", "offline", "optimize", "privacy", "projects", "tags", "typeset"),
        MATERIAL,
    ),
    "social": f"{MATERIAL}[imaging]",
    "influence": SELF,
    "rss": "mkdocs-rss-plugin",
    "minify": "mkdocs-minify-plugin",
    "glightbox": "mkdocs-glightbox",
    "git-revision-date-localized": "mkdocs-git-revision-date-localized-plugin",
    "git-committers": "mkdocs-git-committers-plugin-2",
    "git-authors": "mkdocs-git-authors-plugin",
    "awesome-pages": "mkdocs-awesome-pages-plugin",
    "redirects": "mkdocs-redirects",
    "macros": "mkdocs-macros-plugin",
    "mkdocstrings": "mkdocstrings[python]",
    "autorefs": "mkdocs-autorefs",
    "mermaid2": "mkdocs-mermaid2-plugin",
    "i18n": "mkdocs-static-i18n",
    "table-reader": "mkdocs-table-reader-plugin",
    "markmap": "mkdocs-markmap",
    "section-index": "mkdocs-section-index",
    "literate-nav": "mkdocs-literate-nav",
    "gen-files": "mkdocs-gen-files",
    "include-markdown": "mkdocs-include-markdown-plugin",
    "exclude": "mkdocs-exclude",
    "open-in-new-tab": "mkdocs-open-in-new-tab",
    "video": "mkdocs-video",
    "mkdocs-video": "mkdocs-video",
    "statistics": "mkdocs-statistics-plugin",
    "print-site": "mkdocs-print-site-plugin",
    "swagger-ui-tag": "mkdocs-swagger-ui-tag",
    "drawio": "mkdocs-drawio",
}
THEME_PACKAGES = {"material": MATERIAL, "readthedocs": None, "mkdocs": None}
_VERSION = re.compile(r"^(?:python-?|cpython-?)?(3\.\d+)(?:[.\-+].*)?$")


@dataclass(frozen=True)
class Recipe:
    """What the recipe installs and runs, and where each choice came from."""

    python: str
    python_from: str | None  # None: nothing declared, the default is used
    packages: list[str]  # pip install arguments, already shell-quoted
    packages_from: str
    cache_paths: list[str]  # files whose hash keys the pip cache
    config: str  # the config file, relative to the site root
    unknown: list[str] = field(default_factory=list)  # plugins the table does not know
    notes: list[str] = field(default_factory=list)
    site_dir: str = "site"  # what `mkdocs build` writes (and the Pages artifact uploads)


def _short(version: str) -> str | None:
    m = _VERSION.match(version.strip())
    return m.group(1) if m else None


def _newest_allowed(spec: str) -> str | None:
    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    fits = [v for v in SUPPORTED if allowed.contains(v + ".0", prereleases=True) or allowed.contains(v, prereleases=True)]
    return fits[-1] if fits else None


def _pyproject(root: Path) -> dict:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text("utf-8")).get("project", {}) or {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return {}


def _workflow_pythons(root: Path, own: Path) -> tuple[str, str] | None:
    """The newest ``python-version`` an existing workflow gives ``setup-python``."""
    folder = root / ".github" / "workflows"
    if not folder.is_dir():
        return None
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        if path.resolve() == own.resolve():
            continue
        try:
            events = yml.parse(path.read_text("utf-8"), path.name)
        except (ConfigError, OSError, UnicodeDecodeError):
            continue
        found = []
        for i, event in enumerate(events[:-1]):
            if isinstance(event, ScalarEvent) and event.value == "python-version":
                value = events[i + 1]
                if isinstance(value, ScalarEvent):
                    found.append(value.value)
                elif isinstance(value, SequenceStartEvent):
                    end = yml.skip(events, i + 1)
                    found += [e.value for e in events[i + 2 : end] if isinstance(e, ScalarEvent)]
        versions = sorted({v for v in map(_short, found) if v}, key=lambda v: tuple(map(int, v.split("."))))
        if versions:
            return versions[-1], f"setup-python in .github/workflows/{path.name}"
    return None


def detect_python(root: Path, own_workflow: Path) -> tuple[str, str | None, list[str]]:
    """(version, where it was declared or None, notes)."""
    found: tuple[str, str] | None = None
    for name in (".python-version", "runtime.txt"):
        path = root / name
        if path.is_file() and found is None:
            lines = [ln.strip() for ln in path.read_text("utf-8", errors="replace").splitlines() if ln.strip()]
            short = _short(lines[0]) if lines else None
            if short:
                found = (short, name)
    found = found or _workflow_pythons(root, own_workflow)
    if found is None:
        spec = _pyproject(root).get("requires-python")
        newest = _newest_allowed(spec) if isinstance(spec, str) else None
        if newest:
            found = (newest, f"pyproject.toml requires-python {spec!r}, the newest it allows")
    if found is None:
        return DEFAULT_PYTHON, None, []
    version, where = found
    if tuple(map(int, version.split("."))) < (3, 10):
        note = (
            f"the site declares Python {version} ({where}); mkdocs-influence needs 3.10 or later: the recipe uses {SUPPORTED[0]}"
        )
        return SUPPORTED[0], where, [note]
    return version, where, []


def _requirement_files(root: Path) -> list[str]:
    files = sorted(
        p.relative_to(root).as_posix() for p in [*root.glob("requirements*.txt"), *root.glob("docs/requirements*.txt")]
    )
    return [f for f in files if (root / f).is_file()]


def _names_self(requirements: list[str]) -> bool:
    """Whether one of these requirement lines already installs mkdocs-influence."""
    pattern = re.compile(r"^mkdocs[-_.]influence(?![\w.-])", re.I)
    return any(pattern.match(line.strip()) for line in requirements)


def _settings(config_file: Path) -> Iterator[tuple[list[Event], dict[str, list[tuple[int, int]]]]]:
    """The config's top-level keys, then those of each file it ``INHERIT``s, nearest first: (events, keys)."""
    events = yml.parse(config_file.read_text("utf-8"), config_file.name)
    yield events, yml.root_keys(events, config_file.name)
    for name, _, parent in yml.inheritance(events, config_file.name, yml.reader(config_file)):
        yield parent, yml.root_keys(parent, name)


def _theme(config_file: Path) -> str | None:
    """The theme's name (a child's ``theme`` merges over its parent's, so a mapping without a name defers)."""
    for events, keys in _settings(config_file):
        for _key, value in keys.get("theme", [])[-1:]:
            if isinstance(events[value], ScalarEvent):
                return events[value].value
            if isinstance(events[value], MappingStartEvent):
                for first, _ in yml.items(events, value):
                    if isinstance(events[first], ScalarEvent) and events[first].value == "name":
                        name = events[first + 1]
                        return name.value if isinstance(name, ScalarEvent) else None
    return None


def _site_dir(config_file: Path) -> str:
    """``site_dir`` as the config (or the nearest file it INHERITs) sets it, relative to the repository root."""
    for events, keys in _settings(config_file):
        for _key, value in keys.get("site_dir", [])[-1:]:
            found = events[value]
            return posixpath.normpath(found.value) if isinstance(found, ScalarEvent) and found.value.strip() else "site"
    return "site"


def detect_packages(root: Path, config_file: Path) -> tuple[list[str], str, list[str], list[str]]:
    """(pip install arguments, where they came from, files keying the cache, unknown plugins)."""
    files = _requirement_files(root)
    if files:
        lines = [ln for f in files for ln in (root / f).read_text("utf-8", errors="replace").splitlines()]
        args = [a for f in files for a in ("-r", shlex.quote(f))]
        return [*args, *([] if _names_self(lines) else [SELF])], ", ".join(files), files, []
    deps = _pyproject(root).get("dependencies")
    if isinstance(deps, list) and deps and all(isinstance(d, str) for d in deps):
        args = [shlex.quote(d) for d in deps]
        return [*args, *([] if _names_self(deps) else [SELF])], "the dependencies in pyproject.toml", ["pyproject.toml"], []
    packages, unknown = {SELF}, []
    for name in yml.configured_plugins(config_file):
        bare = name.removeprefix("material/")
        if bare in BUILTIN:
            continue
        if bare in PLUGIN_PACKAGES:
            packages.add(PLUGIN_PACKAGES[bare])
        elif name not in unknown:
            unknown.append(name)
    theme = _theme(config_file)
    if theme in THEME_PACKAGES:
        packages.update(p for p in [THEME_PACKAGES[theme]] if p)
    elif theme:
        unknown.append(f"the theme {theme}")
    if f"{MATERIAL}[imaging]" in packages:
        packages.discard(MATERIAL)
    where = f"the plugins named in {config_file.name}"
    return [shlex.quote(p) for p in sorted(packages)], where, [config_file.name], unknown


def plan(config_file: Path) -> Recipe:
    """The recipe for the site whose config is ``config_file`` (its folder is the repository root)."""
    root = config_file.parent
    python, python_from, notes = detect_python(root, root / CI_FILES["github"])
    packages, packages_from, cache, unknown = detect_packages(root, config_file)
    site_dir = _site_dir(config_file)
    return Recipe(python, python_from, packages, packages_from, cache, config_file.name, unknown, notes, site_dir)


def render(recipe: Recipe, ci: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "ci")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML
        # GitHub's own ${{ … }} stays literal: the recipes use [[ … ]] and [% … %]
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
    )
    return env.get_template(f"{ci}.yml.j2").render(r=recipe, install=" ".join(recipe.packages))


def checks(recipe: Recipe, ci: str, target: Path) -> list[str]:
    """What the user should check in the recipe, one line each."""
    out = [
        f"check {target}: Python {recipe.python} "
        + (
            f"(from {recipe.python_from})"
            if recipe.python_from
            else "(no version declared: change it if your site needs another)"
        ),
        f"check {target}: it installs {recipe.packages_from}: pip install {' '.join(recipe.packages)}",
        *recipe.notes,
    ]
    if recipe.unknown:
        out.append(f"check {target}: add the packages of these plugins to the install step: {', '.join(recipe.unknown)}")
    if ci == "github":
        out.append("check the repository settings: Pages → Source: GitHub Actions; tokens a source needs go in Actions secrets")
    else:
        out.append("check the project settings: a masked PUSH_TOKEN variable (write_repository) and a pipeline schedule")
    return out


def write_recipe(config_file: Path, ci: str) -> list[str]:
    """Write the recipe unless a different one is there; what was done and what to check."""
    target = config_file.parent / CI_FILES[ci]
    recipe = plan(config_file)
    data = render(recipe, ci).encode("utf-8")
    if target.exists() and target.read_bytes() != data:
        return [f"{target} exists and differs: left alone (the recipe is in docs/ci.md)"]
    if not atomic_write(target, data):
        return []
    target.chmod(0o644)
    return [f"wrote {target}", *checks(recipe, ci, target)]
