"""``influence init``: adopt the tool in an existing MkDocs blog in one command.

Edits ``mkdocs.yml`` as text (so its comments, order and custom tags survive): adds
``- influence`` to ``plugins`` (creating the list, with ``search`` kept, if there is none)
and writes a CI recipe. Running it again changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ConfigError
from .fileio import atomic_write
from .pages import templates_dir

CI_FILES = {"github": Path(".github/workflows/influence.yml"), "gitlab": Path(".gitlab-ci.yml")}
_PLUGINS = re.compile(r"^plugins:[ \t]*(#.*)?$", re.M)
_HAS = re.compile(r"^[ \t]*-[ \t]*[\"']?influence[\"']?[ \t]*:?[ \t]*(#.*)?$", re.M)


def add_plugin(text: str) -> str:
    """``mkdocs.yml`` text with the influence plugin enabled (unchanged if it already is)."""
    m = _PLUGINS.search(text)
    if m is None:
        return text.rstrip("\n") + "\n\nplugins:\n  - search\n  - influence\n"
    block_start = m.end() + 1
    lines = text[block_start:].split("\n")
    indent, end = None, block_start
    offset = block_start
    for line in lines:
        stripped = line.strip()
        if stripped and not line[0].isspace() and not stripped.startswith("#"):
            break  # the next top-level key
        if stripped.startswith("- ") and indent is None:
            indent = line[: len(line) - len(line.lstrip())]
        if stripped and not stripped.startswith("#"):
            end = offset + len(line)
        offset += len(line) + 1
    if _HAS.search(text[block_start:end]):
        return text
    if indent is None:  # "plugins:" followed by a flow list or nothing we understand
        if re.search(r"^plugins:[ \t]*\[", text, re.M):
            raise ConfigError("plugins is a [flow, list]: add 'influence' to it by hand")
        indent = "  "
        end = m.end()
    return text[:end] + f"\n{indent}- influence" + text[end:]


def init(config_file: Path, ci: str | None) -> list[str]:
    """Apply the changes; return what was done, one line each (empty: nothing to do)."""
    if not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")
    done = []
    text = config_file.read_text("utf-8")
    if atomic_write(config_file, add_plugin(text).encode("utf-8")):
        done.append(f"added the influence plugin to {config_file}")
    if ci is not None:
        target = config_file.parent / CI_FILES[ci]
        recipe = (templates_dir() / "ci" / f"{ci}.yml").read_bytes()
        if target.exists() and target.read_bytes() != recipe:
            done.append(f"{target} exists and differs: left alone (the recipe is in docs/ci.md)")
        elif atomic_write(target, recipe):
            done.append(f"wrote {target}")
    return done
