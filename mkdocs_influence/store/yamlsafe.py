"""YAML read with alias expansion bounded: a "billion laughs" file is refused, not expanded.

PyYAML shares aliased nodes, so a bomb loads small, but anything that walks the result
(validation, ``repr`` in an error, MkDocs' config checks) meets 10^9 items. Real configs
use anchors (a shared ``nav`` block, repeated extension options), so anchors are allowed:
the document's node graph is composed first and the number of nodes its aliases would add
when expanded is counted, without expanding; more than :data:`MAX_ALIAS_NODES` is refused,
as are aliases that refer to themselves and nesting deeper than :data:`MAX_DEPTH`.

The C loader (libyaml) is used where PyYAML has it: it parses front matter several times
faster. It composes aliases into the same shared node objects as the pure-Python loader,
so the bound holds unchanged; it stops nesting past 1,000 levels itself (a scanner error,
reported here as :class:`YAMLRefused`) instead of recursing in Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

#: Most nodes that aliases may add to a document when expanded (a real mkdocs.yml adds tens).
MAX_ALIAS_NODES = 10_000
#: Deepest nesting of lists and mappings (a real config nests fewer than 10 levels).
MAX_DEPTH = 100


#: libyaml where available (same node graph, several times faster); pure Python otherwise.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YAMLRefused(yaml.YAMLError):
    """The document is well-formed but too big once its aliases are expanded, or too deep."""


def check(node: yaml.Node | None) -> None:
    """Refuse a composed document whose aliases would expand past :data:`MAX_ALIAS_NODES`.

    The expanded size of each distinct node is computed once (iteratively, memoised by
    identity), so the cost is the size of the file, not of the expansion."""
    if node is None:
        return
    size: dict[int, int] = {}
    unique = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 0, False)]
    open_nodes: set[int] = set()
    while stack:
        current, depth, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise YAMLRefused("an alias refers to the node that contains it (endless expansion)")
        if depth > MAX_DEPTH:
            raise YAMLRefused(f"nested more than {MAX_DEPTH} levels deep")
        unique += 1
        open_nodes.add(key)
        stack.append((current, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)
        if any(id(c) in open_nodes for c in children):
            raise YAMLRefused("an alias refers to the node that contains it (endless expansion)")
    added = size[id(node)] - unique
    if added > MAX_ALIAS_NODES:
        raise YAMLRefused(f"its aliases expand to more than {MAX_ALIAS_NODES:,} extra values (a YAML bomb?)")


def _plain(text: str) -> bool:
    """Whether :func:`check` has nothing to find in ``text``, without composing a walk: no alias
    (``*``), and nesting that cannot reach :data:`MAX_DEPTH`. Each level of nesting starts at a
    deeper indentation or at a ``-``, ``?``, ``[`` or ``{`` (a mapping under a key may add one
    more level at the same column), so twice their count plus the deepest indentation bounds
    the depth from above. Front matter is almost always plain: it is read thousands of times."""
    if "*" in text:
        return False
    marks = text.count("-") + text.count("?") + text.count("[") + text.count("{")
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return 2 * (marks + indent + 1) < MAX_DEPTH


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _compose(loader: yaml.SafeLoader) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except RecursionError:
        raise YAMLRefused(f"nested more than {MAX_DEPTH} levels deep") from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit (1,000 levels)
            raise YAMLRefused(f"nested more than {MAX_DEPTH} levels deep") from None
        raise


def load(text: str) -> Any:
    """``yaml.safe_load`` with aliases bounded; errors are :class:`yaml.YAMLError` (or :class:`YAMLRefused`)."""
    loader = Loader(text)
    try:
        node = _compose(loader)
        if not _plain(text):
            check(node)
        try:
            return None if node is None else loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. a timestamp 2026-02-30
            raise yaml.YAMLError(f"unreadable value ({exc})") from None
    finally:
        loader.dispose()


def precheck(text: str) -> None:
    """Check a document another program will load: compose only, so its custom tags
    (``!ENV``, ``!relative``, ``!!python/name:``) need no constructor here."""
    loader = Loader(text)
    try:
        check(_compose(loader))
    finally:
        loader.dispose()


def precheck_file(path: Path) -> None:
    """Refuse a YAML bomb in ``path`` (``mkdocs.yml``) before MkDocs' loader sees it.

    Other problems (unreadable, invalid YAML) are left for MkDocs to report in its words."""
    try:
        precheck(path.read_text("utf-8"))
    except YAMLRefused as exc:
        raise ConfigError(f"{path}: refused: {exc}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return
