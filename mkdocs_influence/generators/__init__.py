"""Static-site generators: where each keeps its posts and what URL it gives them.

One module per generator, each defining ``GENERATOR`` (the :class:`Generator` protocol);
adding a generator is adding a file here. :func:`read` is the one loop over a generator's
post files: a file that cannot be read is skipped with a warning naming it and the
generator's rule, and a run that skips more than half of the posts it found fails.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import ActivityError, ConfigError, shown

if TYPE_CHECKING:
    from ..site import SiteInfo
    from ..store.activity import Post


#: Hugo's config file names (here, not in hugo.py: finding them must not import a reader)
HUGO_CONFIGS = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))


class Skip(ActivityError):
    """One post file that cannot be read; ``rule`` is the generator's rule it broke."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


class Reader(Protocol):
    """One run's view of a site: its post files, and each one read."""

    def files(self) -> Sequence[Path]: ...

    def read(self, path: Path) -> Post | None:
        """The post, or None when the generator would not publish it (draft, future, expired)."""
        ...


class Generator(Protocol):
    name: str
    #: other names ``generator:`` accepts for it (zensical, properdocs are MkDocs sites)
    aliases: tuple[str, ...]
    #: files at a site's root that mark it as this generator's
    markers: tuple[str, ...]
    #: a post's reading depends only on its file and the site's settings, never on the date,
    #: so a re-run may reuse it (generators/_postcache.py)
    pure: bool

    def reader(self, site: SiteInfo, now: dt.datetime) -> Reader: ...

    def folders(self, root: Path) -> Folders:
        """Where the generator, as configured in ``root``, takes content and copies static files from."""
        ...


@dataclass(frozen=True)
class Folders:
    content: Path  # rendered pages (Hugo's contentDir, Jekyll's source, Eleventy's dir.input)
    static: Path  # copied as-is (Hugo's first staticDir; the content folder for the others)
    #: the path the generator serves the site under (``/blog/``: Hugo's ``baseURL``, Jekyll's
    #: ``baseurl``, Eleventy's ``pathPrefix``), None when its config does not say
    path: str | None = None


def _modules() -> dict[str, Generator]:
    found: dict[str, Generator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            gen = importlib.import_module(f"{__name__}.{info.name}").GENERATOR
            found[gen.name] = gen
    return found


_ALL: dict[str, Generator] | None = None


def all_generators() -> dict[str, Generator]:
    global _ALL
    if _ALL is None:
        _ALL = _modules()
    return _ALL


def names() -> tuple[str, ...]:
    """Every name ``generator:`` accepts."""
    return tuple(sorted({n for g in all_generators().values() for n in (g.name, *g.aliases)}))


def get(name: str) -> Generator:
    for gen in all_generators().values():
        if name == gen.name or name in gen.aliases:
            return gen
    raise ConfigError(f"generator: unknown {shown(name)} (expected one of {', '.join(names())})")


#: the order markers are looked for; an MkDocs config wins over a stray _config.yml
_ORDER = ("mkdocs", "hugo", "jekyll", "eleventy")


def detect(root: Path) -> str:
    """The generator whose marker file is in ``root`` (``hugo.toml`` → hugo…); "" when none is."""
    gens = all_generators()
    for name in (*_ORDER, *sorted(set(gens) - set(_ORDER))):
        gen = gens.get(name)
        for marker in gen.markers if gen else ():
            if (root / marker).is_file() and getattr(gen, "confirms", lambda _: True)(root / marker):
                return "zensical" if marker == "zensical.toml" else name
    return ""


@dataclass(frozen=True)
class Reading:
    posts: tuple[Post, ...]
    warnings: tuple[str, ...]
    found: int
    skipped: int
    #: what makes post URLs wrong (a permalink the reader could not read): said without -v
    alerts: tuple[str, ...] = ()


def read(gen: Generator, site: SiteInfo, now: dt.datetime) -> Reading:
    """Every post of the site as ``gen`` publishes it; raises :class:`ActivityError` when more
    than half of the post files found cannot be read (a wrong rule, not a few bad files)."""
    reader = gen.reader(site, now)
    posts: list[Post] = []
    warnings: list[str] = []
    rules: Counter[str] = Counter()
    first: dict[str, str] = {}  # rule → the first file's problem, for the failure message
    files = reader.files()
    root = site.docs_dir
    from ._postcache import for_site

    cache = for_site(gen, site)
    prefix = os.path.join(str(root), "")
    for path in files:
        name = _name(path, prefix, root)
        try:
            post = cache.read(reader, path, name) if cache else reader.read(path)
        except Skip as exc:
            rules[exc.rule] += 1
            first.setdefault(exc.rule, exc.message)
            warnings.append(f"skipped {exc.message} ({gen.name}: {exc.rule})")
            continue
        except ActivityError as exc:
            rules["front matter"] += 1
            first.setdefault("front matter", exc.message)
            warnings.append(f"skipped {exc.message}")
            continue
        except Exception as exc:  # one strange file never costs the other posts
            rules["unexpected"] += 1
            first.setdefault("unexpected", f"{name}: {type(exc).__name__}")
            warnings.append(f"skipped {name}: unexpected {type(exc).__name__}: {shown(str(exc), quote=False)}")
            continue
        if post is not None:
            posts.append(post)
    if cache:
        cache.save()
    warnings.extend(getattr(reader, "notes", ()))
    skipped = sum(rules.values())
    if files and skipped * 2 > len(files):
        rule, count = rules.most_common(1)[0]
        raise ActivityError(
            f"{gen.name}: skipped {skipped} of {len(files)} posts; {count} broke the rule: {rule}. "
            f"First: {shown(first[rule], 200, quote=False)}. Fix those files, or set 'generator:' in influence.yml "
            f"if this is not a {gen.name} site"
        )
    return Reading(tuple(posts), tuple(warnings), len(files), skipped, tuple(getattr(reader, "alerts", ())))


def _name(path: Path, prefix: str, root: Path) -> str:
    """``path`` relative to ``root`` (``prefix``: the root as text, with a separator), with ``/``:
    string slicing for the usual case, as ``relative_to`` costs ~3 µs a post."""
    text = str(path)
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
