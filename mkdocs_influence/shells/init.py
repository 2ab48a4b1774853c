"""``influence init``: adopt the tool in an existing MkDocs blog in one command.

Adds the ``influence`` plugin to ``mkdocs.yml`` and keeps every other byte: the file is
parsed with ruamel.yaml's round-trip parser, whose events carry exact positions whatever
the style (block or flow lists, plugins as a mapping, anchors, comments, ``!ENV`` and
``!!python/name:`` tags, which are never constructed), and one entry is spliced in at
the end of the plugin collection. Re-dumping the document instead would re-indent and
re-wrap it. The result is parsed again and must equal the original plus that one entry,
or nothing is written. A site that inherits its plugins (``INHERIT:``) gets a ``plugins``
of its own: an inherited list is copied (a list here replaces the inherited one, as
MkDocs merges), an inherited mapping gets ``influence: {}`` (mappings merge). The file
keeps its mode. Running it again changes nothing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from ..errors import ConfigError
from ..store.fileio import atomic_write

NAME = "influence"
MKDOCS_DEFAULT = "search"  # what MkDocs enables when a config has no plugins key
MAX_INHERIT = 10  # files an INHERIT chain is followed through


@dataclass(frozen=True)
class Plugins:
    """Where the ``plugins`` value sits in a document's event list."""

    key: int  # index of the key event
    start: int  # index of the value's first event
    end: int  # index after the value's last event


def parse(text: str, where: str = "mkdocs.yml") -> list[Event]:
    """The document's events (positions included); a YAML error is one clear line."""
    try:
        return list(YAML(typ="rt").parse(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{where} is not valid YAML{at}: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML: {exc}") from None


def skip(events: list[Event], i: int) -> int:
    """Index after the node that starts at ``events[i]``."""
    if not isinstance(events[i], CollectionStartEvent):
        return i + 1
    depth = 0
    while True:
        if isinstance(events[i], CollectionStartEvent):
            depth += 1
        elif isinstance(events[i], (SequenceEndEvent, MappingEndEvent)):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def items(events: list[Event], start: int) -> list[tuple[int, int]]:
    """(first, end) event ranges of a collection's entries (a mapping's entry is key + value)."""
    out, i = [], start + 1
    per = 2 if isinstance(events[start], MappingStartEvent) else 1
    while not isinstance(events[i], (SequenceEndEvent, MappingEndEvent)):
        first = i
        for _ in range(per):
            i = skip(events, i)
        out.append((first, i))
    return out


def root_keys(events: list[Event], where: str) -> dict[str, list[tuple[int, int]]]:
    """Top-level keys → their (key index, value index) occurrences."""
    if len(events) < 3 or not isinstance(events[2], MappingStartEvent):
        raise ConfigError(f"{where} is not a YAML mapping of settings")
    keys: dict[str, list[tuple[int, int]]] = {}
    for first, _ in items(events, 2):
        key = events[first]
        if isinstance(key, ScalarEvent):
            keys.setdefault(key.value, []).append((first, skip(events, first)))
    return keys


def find_plugins(events: list[Event], where: str) -> Plugins | None:
    found = root_keys(events, where).get("plugins", [])
    if len(found) > 1:
        raise ConfigError(f"{where} has {len(found)} 'plugins:' keys and YAML keeps only the last: merge them into one")
    if not found:
        return None
    key, value = found[0]
    node = events[value]
    if not isinstance(node, (SequenceStartEvent, MappingStartEvent)) or node.tag is not None:
        at = f"line {events[key].start_mark.line + 1}"
        if isinstance(node, ScalarEvent) and node.tag is None and node.value in ("", "~", "null"):
            raise ConfigError(f"{where}: plugins is empty ({at}): list them, e.g. plugins: [search, {NAME}]")
        raise ConfigError(f"{where}: plugins is not a plain list or mapping ({at}: an alias or a tag): add '{NAME}' by hand")
    return Plugins(key, value, skip(events, value))


def entry_name(events: list[Event], first: int, mapping: bool) -> str | None:
    """A plugin entry's name: ``- name``, ``- name: {…}``, or a mapping's key."""
    node = events[first]
    if not mapping and isinstance(node, MappingStartEvent):
        node = events[first + 1]
    return node.value if isinstance(node, ScalarEvent) else None


def names(events: list[Event], plugins: Plugins) -> list[str | None]:
    mapping = isinstance(events[plugins.start], MappingStartEvent)
    found = [entry_name(events, first, mapping) for first, _ in items(events, plugins.start)]
    return [n for n in found if n != "<<"]  # a merge key is not a plugin


def _lines(text: str) -> list[str]:
    """Lines with their ends, split where YAML splits them (so event line numbers index it)."""
    out, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "\r\n\x85\u2028\u2029":
            i += 2 if text.startswith("\r\n", i) else 1
            out.append(text[start:i])
            start = i
        else:
            i += 1
    if start < len(text):
        out.append(text[start:])
    return out


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _after_last_content_line(text: str, first_line: int, stop_line: int, deeper_than: int = -1) -> int:
    """Offset of the end of the last non-blank, non-comment line in [first_line, stop_line).

    Comment lines right below it that are indented deeper than ``deeper_than`` (commented-out
    options of the last entry) stay with it.
    """
    lines = _lines(text)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    last = first_line
    stop_line = min(stop_line, len(lines))
    for n in range(first_line, stop_line):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            last = n
    while last + 1 < stop_line and lines[last + 1].strip().startswith("#"):
        if len(lines[last + 1]) - len(lines[last + 1].lstrip()) <= deeper_than:
            break
        last += 1
    return offsets[last] + len(lines[last].rstrip("\r\n\x85\u2028\u2029"))


def _block_prefix(text: str, event: Event, mapping: bool) -> str:
    """The indentation (and ``- ``) that the collection's first entry is written with."""
    line = _lines(text)[event.start_mark.line]
    col = event.start_mark.column
    if mapping:
        return " " * col
    dash = line.rfind("-", 0, col)
    if dash < 0 or line[:dash].strip() or line[dash + 1 : col].strip():
        raise ConfigError(
            f"cannot tell how the plugins list is indented (line {event.start_mark.line + 1}): add '{NAME}' by hand"
        )
    return " " * dash + "-" + line[dash + 1 : col]


def splice(text: str, events: list[Event], plugins: Plugins, entry: str = "") -> str:
    """``text`` with one entry added at the end of the plugin collection (or of another top-level
    collection ``plugins`` locates: ``entry``, written as given, is the new item)."""
    start = events[plugins.start]
    mapping = isinstance(start, MappingStartEvent)
    entry = entry or (f"{NAME}: {{}}" if mapping else NAME)
    entries = items(events, plugins.start)
    if start.flow_style:
        close = events[plugins.end - 1].start_mark.index  # the ] or }
        if not entries:
            at = start.end_mark.index
            return text[:at] + entry + text[at:]
        at = events[entries[-1][1] - 1].end_mark.index
        between = text[at:close].split("#")[0]
        if "," in between:  # a trailing comma: [a, b, ]
            at += between.index(",") + 1
            return text[:at] + " " + entry + text[at:]
        return text[:at] + ", " + entry + text[at:]
    if not entries:
        raise ConfigError(f"the plugins collection is empty (line {start.start_mark.line + 1}): add '{NAME}' by hand")
    nxt = events[plugins.end]  # the next top-level key, or the end of the root mapping
    stop = nxt.start_mark.line + (0 if isinstance(nxt, ScalarEvent) or nxt.start_mark.column == 0 else 1)
    prefix = _block_prefix(text, events[entries[0][0]], mapping)
    at = _after_last_content_line(text, events[entries[-1][0]].start_mark.line, stop, len(prefix) - len(prefix.lstrip()))
    return text[:at] + _newline(text) + prefix + entry + text[at:]


def signature(events: list[Event]) -> list[tuple]:
    return [(type(e).__name__, getattr(e, "value", None), getattr(e, "tag", None), getattr(e, "anchor", None)) for e in events]


def _without(events: list[Event], first: int, end: int) -> list[Event]:
    return events[:first] + events[end:]


def _verified(old: str, new: str, where: str, appended: bool) -> str:
    """``new`` if it parses to ``old`` plus the influence entry (or plus a whole plugins key)."""
    old_events, new_events = parse(old, where), parse(new, where)
    plugins = find_plugins(new_events, where)
    ok = plugins is not None and NAME in names(new_events, plugins)
    if ok and plugins is not None:
        if appended:
            rest = _without(new_events, plugins.key, plugins.end)
        else:
            mapping = isinstance(new_events[plugins.start], MappingStartEvent)
            first, end = next(r for r in items(new_events, plugins.start) if entry_name(new_events, r[0], mapping) == NAME)
            rest = _without(new_events, first, end)
        ok = signature(rest) == signature(old_events)
    if not ok:
        raise ConfigError(f"could not add '{NAME}' to {where} without changing anything else: add it to plugins by hand")
    return new


def add_plugin(
    text: str, inherited: Callable[[str], str | None] | None = None, where: str = "mkdocs.yml"
) -> tuple[str, str | None]:
    """``mkdocs.yml`` text with the influence plugin enabled, and a note for the user (or None).

    ``inherited(path)`` returns the text of a file named by ``INHERIT:`` (None if unreadable).
    Unchanged text means the plugin was already enabled.
    """
    events = parse(text, where)
    plugins = find_plugins(events, where)
    if plugins is not None:
        if NAME in names(events, plugins):
            return text, None
        return _verified(text, splice(text, events, plugins), where, appended=False), None
    parent = _inherited_plugins(events, inherited, where)
    if parent is not None and NAME in parent[1]:
        return text, None
    nl = _newline(text)
    if parent is None:
        block, note = f"plugins:{nl}  - {MKDOCS_DEFAULT}{nl}  - {NAME}{nl}", None
    elif parent[2]:  # an inherited mapping merges with ours
        block, note = f"plugins:{nl}  {NAME}: {{}}{nl}", None
    else:
        block = parent[0]
        listed = ", ".join(n or "?" for n in parent[1])
        note = f"plugins came from INHERIT as a list, which a list here replaces: copied them ({listed}) and added {NAME}"
    body = text if not text or text.endswith(("\n", "\r")) else text + nl
    return _verified(text, body + nl + block, where, appended=True), note


def inheritance(
    events: list[Event], where: str, inherited: Callable[[str], str | None] | None
) -> Iterator[tuple[str, str, list[Event]]]:
    """The files a config ``INHERIT``s, nearest first: (name, text, events), at most 10 deep.

    Each ``INHERIT:`` is relative to the file that names it, as MkDocs reads it; names are given
    relative to the config's folder, to ``inherited(name)`` (None: unreadable, a ConfigError)."""
    name = ""
    for _ in range(MAX_INHERIT):
        found = root_keys(events, where).get("INHERIT", [])
        value = events[found[-1][1]] if found and inherited is not None else None
        if not isinstance(value, ScalarEvent):
            return
        name = posixpath.normpath(posixpath.join(posixpath.dirname(name), value.value))
        text = inherited(name)
        if text is None:
            raise ConfigError(f"{where} inherits {value.value}, which cannot be read")
        events, where = parse(text, name), name
        yield name, text, events


def _parent(
    events: list[Event], inherited: Callable[[str], str | None] | None, where: str
) -> tuple[str, list[Event], Plugins, str] | None:
    """The nearest inherited document that has plugins: (its text, events, plugins, name)."""
    for name, text, parent_events in inheritance(events, where, inherited):
        plugins = find_plugins(parent_events, name)
        if plugins is not None:
            return text, parent_events, plugins, name
    return None


def _inherited_plugins(
    events: list[Event], inherited: Callable[[str], str | None] | None, where: str
) -> tuple[str, list[str | None], bool] | None:
    """The nearest inherited plugins: (a ``plugins:`` block with influence added, their names, is a mapping)."""
    found = _parent(events, inherited, where)
    if found is None:
        return None
    text, parent_events, plugins, name = found
    listed = names(parent_events, plugins)
    mapping = isinstance(parent_events[plugins.start], MappingStartEvent)
    if mapping or NAME in listed:
        return "", listed, mapping
    key = parent_events[plugins.key].start_mark
    if key.column or any(isinstance(e, AliasEvent) for e in parent_events[plugins.start : plugins.end]):
        raise ConfigError(f"the plugins inherited from {name} use anchors or odd indentation: add '{NAME}' by hand")
    nxt = parent_events[plugins.end]
    stop = nxt.start_mark.line + (0 if isinstance(nxt, ScalarEvent) or nxt.start_mark.column == 0 else 1)
    snippet = text[key.index : _after_last_content_line(text, key.line, stop)] + _newline(text)
    block, _ = add_plugin(snippet, None, name)
    return block, listed, False


def reader(config_file: Path) -> Callable[[str], str | None]:
    """Reads a file :func:`inheritance` names (relative to the config's folder)."""

    def read(name: str) -> str | None:
        try:
            return (config_file.parent / name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read


def _read(config_file: Path) -> str:
    if not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")
    try:
        return config_file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{config_file} is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {config_file}: {exc.strerror or exc}") from None


def configured_plugins(config_file: Path) -> list[str]:
    """The plugin names MkDocs will load for this config (``INHERIT`` followed; default: search)."""
    events = parse(_read(config_file), config_file.name)
    own = find_plugins(events, config_file.name)
    mine = [n for n in names(events, own) if n] if own is not None else []
    if own is not None and isinstance(events[own.start], SequenceStartEvent):
        return mine  # a list replaces an inherited one
    parent = _parent(events, reader(config_file), config_file.name)
    inherited = [n for n in names(parent[1], parent[2]) if n] if parent is not None else ([] if own else [MKDOCS_DEFAULT])
    return [*inherited, *(n for n in mine if n not in inherited)]


def enable(config_file: Path) -> list[str]:
    """Add the plugin to ``config_file`` in place, keeping its mode; what was done, one line each."""
    config_file = config_file.resolve()  # a linked mkdocs.yml is edited where it lives
    text = _read(config_file)
    new, note = add_plugin(text, reader(config_file), config_file.name)
    if new == text:
        return []
    rewrite(config_file, new)
    return [f"added the {NAME} plugin to {config_file}", *([note] if note else [])]


def rewrite(path: Path, text: str) -> None:
    """Replace a config file the user owns, atomically, keeping its mode."""
    mode = path.stat().st_mode & 0o7777
    atomic_write(path, text.encode("utf-8"))
    path.chmod(mode)  # a rename-based write would otherwise leave the temporary file's mode


def init(config_file: Path, ci: str | None) -> list[str]:
    """Apply the changes; return what was done, one line each (empty: nothing to do)."""
    from .recipe import write_recipe

    done = enable(config_file)
    if ci is not None:
        done += write_recipe(config_file, ci)
    return done
