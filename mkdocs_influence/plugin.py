"""The MkDocs plugin: a thin shell over :mod:`.pipeline`, :mod:`.bundle` and :mod:`.pages`.

It never fetches: it reads the data folder that ``influence update`` wrote, adds the
bundle under ``influence/`` with ``File.generated``, turns ``<!-- influence:… -->``
markers into images and fills the history page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .bundle import BadgeSettings, alt_text, render
from .config import InfluenceConfig, data_dir, report_settings
from .errors import InfluenceError
from .markers import replace_markers
from .pages import history_body_cached, safe_url
from .pipeline import report as build_report
from .site import from_mkdocs

PREFIX = "influence"
PAGE_SRC = f"{PREFIX}/index.md"
PAGE_PLACEHOLDER = "<!-- influence:page -->"


def _cache_dir(config: Any) -> Path:
    """``.cache/influence`` beside mkdocs.yml (like Material's social cards): safe to delete."""
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    return root / ".cache" / "influence"


class InfluencePlugin(BasePlugin[InfluenceConfig]):
    """``plugins: [influence]`` — see docs/config.md for the options."""

    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None
        self.folder: Path | None = None
        self.post_dir = ""

    def on_config(self, config: Any) -> None:
        if not self.config.enabled:
            return
        self.folder = data_dir(config, self.config)
        try:
            cache = _cache_dir(config)
            self.report = build_report(self.folder, report_settings(config, self.config), self.config.as_of, cache)
        except InfluenceError as exc:
            raise PluginError(f"influence: {exc.message}") from None
        self.post_dir = from_mkdocs(config).blog.post_dir.rstrip("/") + "/"

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.report is None:
            return files
        for name, content in render(self.report, self._badge(), png_cache=_cache_dir(config)).items():
            files.append(File.generated(config, f"{PREFIX}/{name}", content=content))
        title = "Influence" + (f" of {config.site_name}" if config.site_name else "")
        # Built, linked from every badge, but not added to an automatic nav: a plugin should not
        # rearrange the site's menu. List ``influence/index.md`` in ``nav`` to show it there.
        page = File.generated(config, PAGE_SRC, content=f"# {title}\n\n{PAGE_PLACEHOLDER}\n", inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(page)
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled or self.report is None:
            return markdown
        src = page.file.src_uri
        add_badge = self.config.post_badge != "none" and src.startswith(self.post_dir)
        if not add_badge and "influence:" not in markdown:
            return markdown  # most pages: nothing to do
        if add_badge:
            marker = "<!-- influence:badge -->"
            markdown = f"{marker}\n\n{markdown}" if self.config.post_badge == "top" else f"{markdown}\n\n{marker}\n"
        prefix = posixpath.relpath(PREFIX, posixpath.dirname(src) or ".")
        return replace_markers(markdown, prefix, alt_text(self.report, self._badge()), self.report)

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled or self.report is None or page.file.src_uri != PAGE_SRC:
            return html

        def link(item: dict[str, Any]) -> str:
            found = files.get_file_from_path(item["path"]) if item.get("path") else None
            if found is not None:
                return get_relative_url(found.url, page.url)
            return safe_url(item.get("url", ""))

        body = history_body_cached(self.report, link, alt_text(self.report, self._badge()), _cache_dir(config))
        return html.replace(PAGE_PLACEHOLDER, body)

    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        """Give the history page its social preview image (needs ``site_url``)."""
        if not self.config.enabled or page.file.src_uri != PAGE_SRC or not config.site_url:
            return output
        image = safe_url(config.site_url.rstrip("/") + f"/{PREFIX}/og.png")
        meta = f'<meta property="og:image" content="{image}"><meta property="og:image:width" content="1200">'
        meta += '<meta property="og:image:height" content="630">'
        return output.replace("</head>", meta + "</head>", 1)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if self.config.enabled and self.folder is not None:
            server.watch(str(self.folder))
        return server

    def _badge(self) -> BadgeSettings:
        return self.config.badge or BadgeSettings()
