"""A re-run reads only the posts that changed: each post file's reading, keyed by its bytes.

Reading a Material post costs its YAML front matter and its identity (the URL as Material
builds it, the title as MkDocs renders it): ~0.2 ms a post, most of a no-change
``influence update``. For a generator whose reading depends on nothing but the file and the
site's settings (``pure = True``: MkDocs/Material, where only ``draft: true`` hides a post),
the result is kept in ``.cache/influence/posts-<generator>.json``, keyed by the file's path
and a hash of its bytes (not its modification time: a fresh CI checkout gives every file a
new one). The whole cache belongs to one fingerprint of the site's settings and this
package's version, so a changed ``post_url_format``, site URL or Markdown set-up reads every
post again. Generators whose readings depend on the date (future or expired posts: Hugo,
Jekyll, Eleventy) are not cached. The cache never fails a run: an unreadable or foreign file
is no cache; it is written atomically and only when it changed. It holds the blogger's own
posts' titles, URLs and tags, like the ledger — never anyone else's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import InfluenceError
from ..store.activity import Post, post_data, post_from_data
from ..store.fileio import atomic_write, read_cached_json

VERSION = 1  # bump when a reader's output for the same file and settings changes
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def stable(value: Any) -> Any:
    """``value`` as plain data that is the same in every process (functions by their names)."""
    if isinstance(value, dict):
        return {str(k): stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Path):
        return value.as_posix()
    if callable(value):
        inner = getattr(value, "func", None)  # functools.partial: its function and arguments
        if inner is not None:
            return ["partial", stable(inner), stable(getattr(value, "args", ())), stable(getattr(value, "keywords", {}))]
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    if hasattr(value, "__dataclass_fields__"):
        return [type(value).__name__, stable({k: getattr(value, k) for k in value.__dataclass_fields__})]
    return _ADDRESS.sub("", f"{type(value).__name__}:{value!r}")


def _versions() -> list[str]:
    """The packages that turn a file into a title and a URL (Markdown and its extensions, MkDocs,
    Material's slugs): an upgrade reads every post again. Taken from the installed distributions'
    folder names (``name-version.dist-info``), which is what changes on an upgrade, without reading
    each one's metadata file (~3 ms a package); ``importlib.metadata`` where there is no such folder."""
    wanted = ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "babel")
    installed: dict[str, str] = {}
    for folder in sys.path:
        with contextlib.suppress(OSError), os.scandir(folder or ".") as entries:
            for entry in entries:
                if entry.name.endswith(".dist-info"):
                    name, _, version = entry.name[: -len(".dist-info")].partition("-")
                    installed.setdefault(_NAME.sub("-", name).lower(), version)
    found = []
    for name in wanted:
        version = installed.get(name)
        if version is None:
            from importlib import metadata

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                found.append(f"{name}: none")
                continue
        found.append(f"{name}=={version}")
    return found


_NAME = re.compile(r"[-_.]+")


def fingerprint(generator: str, site: Any) -> str:
    from .. import __version__

    data = json.dumps([VERSION, __version__, generator, _versions(), stable(site)], sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _post_data(post: Post, text: str) -> dict[str, Any] | None:
    """The reading as plain data, the body kept as where it starts in the file's text (a suffix)."""
    if not text.endswith(post.text):
        return None  # not a plain suffix: not cached
    return {**post_data(post), "text": "", "body_at": len(text) - len(post.text)}


def _post(data: dict[str, Any], text: str) -> Post:
    return post_from_data(data, text=text[int(data["body_at"]) :])


class PostCache:
    """Readings by (file name, hash of its text); ``None`` readings (drafts) are kept too."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.hits = 0
        found = read_cached_json(path)
        if isinstance(found, dict) and found.get("key") == key and isinstance(found.get("posts"), dict):
            self.old = found["posts"]

    def read(self, reader: Any, path: Path, name: str) -> Post | None:
        """``reader.read(path)``, or its cached reading when the file's text is unchanged."""
        try:
            text = path.read_text("utf-8-sig")  # as the readers read it (universal newlines)
        except (OSError, UnicodeDecodeError):
            return reader.read(path)  # the reader says what is wrong with the file
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        entry = self.old.get(name)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == digest:
            try:
                post = None if entry[1] is None else _post(entry[1], text)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # a damaged entry: read the file again
            else:
                self.new[name] = entry
                self.hits += 1
                return post
        post = reader.read(path)
        data = None if post is None else _post_data(post, text)
        if (post is None or data is not None) and not getattr(reader, "notes", ()):
            self.new[name] = [digest, data]  # not when the reader had to fall back (e.g. Markdown extensions missing)
        return post

    def save(self) -> None:
        """Keep the readings of this run's files only (deleted posts leave the cache)."""
        if self.path is None or self.new == self.old:
            return
        text = json.dumps({"key": self.key, "posts": self.new}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError, InfluenceError):  # a cache that cannot be written is no cache
            atomic_write(self.path, text.encode("utf-8"))


def for_site(gen: Any, site: Any) -> PostCache | None:
    """The cache of ``gen``'s readings for ``site``; None for a generator whose readings depend on the date."""
    if not getattr(gen, "pure", False):
        return None
    path = Path(site.config_dir) / ".cache" / "influence" / f"posts-{gen.name}.json"
    return PostCache(path, fingerprint(gen.name, site))
