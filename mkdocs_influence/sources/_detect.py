"""Finding a giscus or utterances set-up in the site's own templates, so it needs no configuration.

Material documents comments as an ``overrides/partials/comments.html`` holding giscus'
``<script src="https://giscus.app/client.js" data-repo=… data-category=… data-mapping=…>``;
utterances' script is ``utteranc.es/client.js`` with ``repo=`` and ``issue-term=``. Any
``.html`` template under the config folder counts (the built site, dependencies and hidden
folders are skipped; at most :data:`MAX_FILES` files of :data:`MAX_BYTES` each are read, among
:data:`MAX_ENTRIES` entries).
A ``data-repo`` that is a template expression (``{{ … }}``) is not a repository: not used.
Themes that take the set-up from the site's config (Jekyll's Chirpy and Minimal Mistakes, Hugo's
Stack, LoveIt, FixIt) are read there first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import SourceSpec

MAX_FILES = 2000
MAX_BYTES = 256 << 10
MAX_ENTRIES = 50_000  # files and folders looked at: a huge repository costs a bounded walk
SKIP = frozenset({"site", "public", "_site", "node_modules", "venv", "__pycache__", "influence-data", "build", "dist"})
_SCRIPT = re.compile(r"<script\b[^>]*?(giscus\.app/client\.js|utteranc\.es/client\.js)[^>]*>", re.I | re.S)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_MAPPINGS = {"pathname", "url", "title", "og:title", "specific", "number"}


def _templates(root: Path) -> list[Path]:
    found: list[Path] = []
    looked = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP)
        found += [Path(folder) / f for f in sorted(files) if f.endswith((".html", ".htm", ".j2", ".jinja", ".njk", ".liquid"))]
        looked += len(dirs) + len(files)
        if len(found) >= MAX_FILES or looked >= MAX_ENTRIES:
            break
    return found[:MAX_FILES]


def parse_script(text: str) -> SourceSpec | None:
    """The source a giscus or utterances ``<script>`` in ``text`` describes, or None."""
    for match in _SCRIPT.finditer(text):
        attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(match.group(0))}
        giscus = "giscus" in match.group(1).lower()
        repo = (attrs.get("data-repo") if giscus else attrs.get("repo")) or ""
        if not _REPO.fullmatch(repo.strip()):
            continue
        options = {}
        mapping = attrs.get("data-mapping") if giscus else attrs.get("issue-term")
        if not giscus and attrs.get("issue-number"):
            mapping = "number"
        if mapping in _MAPPINGS:
            options["mapping"] = mapping
        category = attrs.get("data-category") if giscus else attrs.get("label")
        if category and "{" not in category:
            options["category"] = category
        return SourceSpec("giscus" if giscus else "utterances", repo.strip(), options)
    return None


_KEYS = {
    "giscus": {
        "repo": ("repo",),
        "mapping": ("mapping", "discussion_term", "discussionterm"),
        "category": ("category", "category_name", "categoryname"),
    },
    "utterances": {"repo": ("repo",), "mapping": ("issue_term", "issueterm", "issue-term"), "category": ("label",)},
}
_OFF = {"enabled": False, "enable": False}


def _lower(value: object) -> dict[str, object]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _configured(node: object, repository: str, depth: int = 0) -> SourceSpec | None:
    """A ``giscus:``/``utterances:`` table in a site config, as popular themes write it: Chirpy and
    Minimal Mistakes (Jekyll: ``comments.provider`` + ``comments.giscus``, the repository in the
    top-level ``repository``), Stack (Hugo: ``params.comments``), LoveIt/FixIt (``params.page.comment``).
    A table whose ``provider`` names another system, or that is switched off, does not count."""
    table = _lower(node)
    if not table or depth > 6:
        return None
    provider = str(table.get("provider") or "").strip().lower()
    if any(table.get(k) is v for k, v in _OFF.items()) or ("provider" in table and not provider):
        return None  # switched off; Chirpy: "keeping [provider] empty means disabled"
    for kind, keys in _KEYS.items():
        sub = _lower(table.get(kind))
        if not sub or (provider and provider != kind) or any(sub.get(k) is v for k, v in _OFF.items()):
            continue
        repo = str(next((sub[k] for k in keys["repo"] if sub.get(k)), repository) or "").strip()
        if not _REPO.fullmatch(repo) or "{" in repo:
            continue
        options: dict[str, str] = {}
        mapping = next((str(sub[k]) for k in keys["mapping"] if sub.get(k)), "")
        if mapping in _MAPPINGS:
            options["mapping"] = mapping
        category = next((str(sub[k]) for k in keys["category"] if sub.get(k)), "")
        if category and "{" not in category:
            options["category"] = category
        return SourceSpec(kind, repo, options)
    for value in table.values():
        found = _configured(value, repository, depth + 1) if isinstance(value, dict) else None
        if found is not None:
            return found
    return None


def _site_configs(root: Path) -> list[dict[str, object]]:
    """The Hugo and Jekyll configs in ``root``, read by the generators' own readers."""
    from ..generators import HUGO_CONFIGS

    configs = []
    if any((root / n).is_file() for n in HUGO_CONFIGS) or (root / "config" / "_default").is_dir():
        from ..generators import hugo  # only for a Hugo site: an MkDocs build does not pay the import

        configs.append(hugo.site_config(root))
    if (root / "_config.yml").is_file() or (root / "_config.yaml").is_file():
        from ..generators import jekyll

        configs.append(jekyll.site_config(root))
    return [cfg for cfg in configs if cfg]


def detect_comments(root: Path) -> SourceSpec | None:
    """The giscus or utterances set-up of the site: from its config's comments table, else the
    first one among its templates (sorted paths); None when there is none."""
    for cfg in _site_configs(root):
        found = _configured(cfg, str(cfg.get("repository") or ""))
        if found is not None:
            return found
    try:
        paths = _templates(root)
    except OSError:
        return None
    for path in paths:
        try:
            with path.open("rb") as fh:
                text = fh.read(MAX_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        if "client.js" in text:
            spec = parse_script(text)
            if spec is not None:
                return spec
    return None
