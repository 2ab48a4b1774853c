"""The MkDocs plugin: a thin shell over :mod:`.pipeline`, :mod:`.bundle` and :mod:`.pages`.

It never fetches: it reads the data folder that ``influence update`` wrote, adds the
bundle under ``influence/`` with ``File.generated``, turns ``<!-- influence:badge -->``
markers into the badge image and fills the history page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .bundle import BadgeSettings, alt_text, render
from .config import InfluenceConfig, data_dir
from .errors import InfluenceError
from .pages import history_body, safe_url
from .pipeline import report as build_report
from .report import Settings

PREFIX = "influence"
PAGE_SRC = f"{PREFIX}/index.md"
MARKER = re.compile(r"<!--\s*influence:badge\s*-->")


class InfluencePlugin(BasePlugin[InfluenceConfig]):
    """``plugins: [influence]`` — see docs/config.md for the options."""

    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None
        self.folder: Path | None = None
        self.files: Files | None = None

    def on_config(self, config: Any) -> None:
        if not self.config.enabled:
            return
        self.folder = data_dir(config, self.config)
        try:
            settings = Settings(topics=self.config.topics, site_name=config.site_name or "")
            self.report = build_report(self.folder, settings, self.config.as_of)
        except InfluenceError as exc:
            raise PluginError(f"influence: {exc.message}") from None

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.report is None:
            return files
        cache = Path(config.config_file_path).resolve().parent / ".cache" / "influence" if config.config_file_path else None
        for name, content in render(self.report, self._badge(), png_cache=cache).items():
            files.append(File.generated(config, f"{PREFIX}/{name}", content=content))
        title = "Influence" + (f" of {config.site_name}" if config.site_name else "")
        files.append(File.generated(config, PAGE_SRC, content=f"# {title}\n\n<!-- influence:page -->\n"))
        self.files = files
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled or self.report is None:
            return markdown
        target = posixpath.relpath(f"{PREFIX}/badge.svg", posixpath.dirname(page.file.src_uri) or ".")
        alt = alt_text(self.report, self._badge()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return MARKER.sub(f"![{alt}]({target})", markdown)

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled or self.report is None or page.file.src_uri != PAGE_SRC:
            return html

        def link(item: dict[str, Any]) -> str:
            found = files.get_file_from_path(item["path"]) if item.get("path") else None
            if found is not None:
                return get_relative_url(found.url, page.url)
            return safe_url(item.get("url", ""))

        return html.replace("<!-- influence:page -->", history_body(self.report, link))

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if self.config.enabled and self.folder is not None:
            server.watch(str(self.folder))
        return server

    def _badge(self) -> BadgeSettings:
        return self.config.badge or BadgeSettings()
