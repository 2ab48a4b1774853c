"""The MkDocs plugin: a thin shell over :mod:`.pipeline`, :mod:`.bundle` and :mod:`.pages`.

It never fetches: it reads the data folder that ``influence update`` wrote (before the
first update, :func:`.pipeline.preview` computes the report in memory and writes nothing),
adds the bundle under ``influence/`` with ``File.generated``, turns ``<!-- influence:… -->``
markers in pages' rendered HTML into images, adds ``post_badge`` to posts' HTML and fills
the history page. It never changes a page's Markdown.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..config import InfluenceConfig, check_data_folder, data_dir, report_settings, source_specs
from ..errors import InfluenceError
from ..render.bundle import BadgeSettings, alt_text, render_cached
from ..render.links import Addresses
from ..render.markers import Problem, line_of, post_badge_html, replace_markers
from ..render.pages import history_body_cached, history_markdown, social_meta
from ..site import SiteInfo, from_mkdocs
from .pipeline import has_data, preview
from .pipeline import report as build_report

if TYPE_CHECKING:
    from ..settings import Settings
    from ..sources import SourceSpec

log = logging.getLogger("mkdocs.plugins.influence")

PREFIX = "influence"
_FROM_PAGE = Addresses()  # links from the page at influence/ (MkDocs sets no <base>): ../<path> for a site path
PAGE_SRC = f"{PREFIX}/index.md"
PAGE_PLACEHOLDER = "<!-- influence:page -->"
# Where a post's content starts: blank space and HTML comments, then (maybe) its title heading.
_LEAD = re.compile(r"\A(?:\s|<!--.*?-->)*", re.S)


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
        self.discussions: dict[str, Any] = {}
        self.home_url = f"{PREFIX}/"  # the history page's URL, once MkDocs has the files

    def on_config(self, config: Any) -> None:
        if not self.config.enabled:
            return
        self.folder = data_dir(config, self.config)
        site = from_mkdocs(config)
        specs = source_specs(self.config, site.site_url, site.config_dir)  # once: the defaults look at the site's files
        settings = report_settings(config, self.config, specs)
        try:
            check_data_folder(self.folder)
            if has_data(self.folder):
                self.report = build_report(self.folder, settings, self.config.as_of, _cache_dir(config))
            else:
                self.report = self._preview(site, settings, specs)
            if self.config.post_discussions != "none" or self.config.post_discussions_index:
                from ..render.discussions import from_report  # the report's, cached: no ledger read at build time

                self.discussions = from_report(self.report)
        except InfluenceError as exc:
            raise PluginError(f"influence: {exc.message}") from None
        self.post_dir = site.blog.post_dir.rstrip("/") + "/"  # normalised: "posts/" for blog_dir "."

    def _preview(self, site: SiteInfo, settings: Settings, specs: list[SourceSpec]) -> dict[str, Any]:
        """A fresh clone whose data folder is not committed yet still builds: one warning
        (an error under ``--strict``, MkDocs' rule), a score from what needs no network, and
        nothing written to the data folder."""
        what = "no data folder yet at" if not self.folder or not self.folder.exists() else "no ledger yet in"
        log.warning(
            f"influence: {what} {self.folder}; showing a score computed from this site's own files only "
            "(no network sources) — run `influence update` and commit the folder"
        )
        report, notes = preview(site, specs, settings, self.config.as_of)
        for note in notes:
            log.info(f"influence: {note}")
        return report

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.report is None:
            return files
        for name, content in render_cached(self.report, self._badge(), _cache_dir(config)).items():
            files.append(File.generated(config, f"{PREFIX}/{name}", content=content))
        # Built, linked from every badge, but not added to an automatic nav: a plugin should not
        # rearrange the site's menu. List ``influence/index.md`` in ``nav`` to show it there.
        content = history_markdown(config.site_name or "", PAGE_PLACEHOLDER, front_matter=True)
        page = File.generated(config, PAGE_SRC, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(page)
        return files

    # Late, whatever the plugins' order: markers and a post's badge are added only after other
    # plugins have read the page (Material's blog counts images for a post's read time; caption
    # plugins number a page's own figures, and leave ours alone).
    @event_priority(-50)
    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled or self.report is None:
            return html
        if page.file.src_uri != PAGE_SRC:
            if "influence:" in html:  # most pages: nothing to do
                html = self._markers(html, page, files)
            return self._post_discussions(self._post_badge(html, page, files), page)

        def link(item: dict[str, Any]) -> str:
            found = files.get_file_from_path(item["path"]) if item.get("path") else None
            if found is not None:
                return get_relative_url(found.url, page.url)
            return _FROM_PAGE.href(str(item.get("url", "")))  # no file here: another site's post, or one since removed

        alt = alt_text(self.report, self._badge())
        body = history_body_cached(self.report, link, alt, _cache_dir(config), self._badge())
        return html.replace(PAGE_PLACEHOLDER, body)

    def _markers(self, html: str, page: Page, files: Files) -> str:
        """Markers the author wrote (not those shown in code); a wrong one is a warning naming the
        file and line, which ``mkdocs build --strict`` turns into an error."""
        html, problems = self._replace(html, page.url, files)
        source, start = (page.file.content_string if problems else ""), 0
        for problem in problems:
            line, start = line_of(source, problem.comment, start)
            where = f"{page.file.src_uri}:{line}" if line else page.file.src_uri
            log.warning(f"influence: {where}: {problem.message}; the marker was left out")
        return html

    def _replace(self, html: str, page_url: str, files: Files | None) -> tuple[str, list[Problem]]:
        home = files.get_file_from_path(PAGE_SRC) if files is not None else None
        self.home_url = home.url if home is not None else self.home_url
        return replace_markers(
            html,
            lambda name: get_relative_url(f"{PREFIX}/{name}", page_url),
            get_relative_url(self.home_url, page_url),
            alt_text(self.report, self._badge()),  # type: ignore[arg-type]
            self.report,  # type: ignore[arg-type]
        )

    # After Material's blog has rendered a view's excerpts (at -100): markers in an excerpt
    # show on the blog index too, with URLs relative to the index (wrong ones were reported
    # on the post itself).
    @event_priority(-150)
    def on_page_context(self, context: Any, *, page: Page, config: Any, nav: Any) -> Any:
        if not self.config.enabled or self.report is None:
            return context
        for excerpt in context.get("posts") or ():
            content = getattr(excerpt, "content", None)
            if isinstance(content, str) and "influence:" in content:
                excerpt.content = self._replace(content, page.url, None)[0]
            if self.config.post_discussions_index and isinstance(content, str):
                excerpt.content = self._index_counts(excerpt.content, excerpt, page)
        return context

    def _index_counts(self, html: str, excerpt: Any, page: Page) -> str:
        """``post_discussions_index``: the short counts at the end of a post's excerpt on the blog's
        index, archive and category pages (Material renders each excerpt again for each view)."""
        places = self.discussions.get(excerpt.file.src_uri) if self.discussions else None
        if not places or "influence-discussions--short" in html:
            return html
        from ..render.discussions import MATERIAL_COMMENTS, short_html

        comments = get_relative_url(excerpt.url, page.url) + MATERIAL_COMMENTS
        return f"{html.rstrip()}\n{short_html(places, comments)}\n"

    def _post_badge(self, html: str, page: Page, files: Files) -> str:
        """``post_badge``: the badge on a blog post, added to its rendered HTML.

        Added after rendering, not to the Markdown, so the post's title (MkDocs and Material
        take it from a first ``#`` heading), its excerpt (rendered from the Markdown) and its
        table of contents stay exactly as without the plugin; ``data-search-exclude`` keeps
        it out of Material's search index. ``top`` goes after the title heading (or first,
        when the post's title comes from front matter or its file name); ``bottom`` before
        the footnotes.
        """
        if self.config.post_badge == "none" or not page.file.src_uri.startswith(self.post_dir):
            return html
        home = files.get_file_from_path(PAGE_SRC)
        href = get_relative_url(home.url if home else f"{PREFIX}/", page.url)
        badge = post_badge_html(get_relative_url(f"{PREFIX}/badge.svg", page.url), href, alt_text(self.report, self._badge()))
        if self.config.post_badge == "bottom":
            at = html.rfind('<div class="footnote">')
            at = len(html) if at < 0 else at
            return f"{html[:at].rstrip()}\n{badge}\n{html[at:]}"
        at = _LEAD.match(html).end()  # type: ignore[union-attr]
        end = html.find("</h1>", at) if html.startswith("<h1", at) else -1
        at = end + len("</h1>") if end >= 0 else at
        return f"{html[:at]}\n{badge}\n{html[at:]}"

    def _post_discussions(self, html: str, page: Page) -> str:
        """``post_discussions: bottom``: where the post was discussed, before its footnotes."""
        if not self.discussions or self.config.post_discussions == "none":  # off, or nobody discussed a post: import nothing
            return html
        from ..render.discussions import line_html

        line = line_html(self.discussions.get(page.file.src_uri, ()))
        if not line:
            return html
        at = html.rfind('<div class="footnote">')
        at = len(html) if at < 0 else at
        return f"{html[:at].rstrip()}\n{line}\n{html[at:]}"

    # Before Material's social plugin decides (at -100) whether to make a post's card.
    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        """``social_preview: posts`` replaces Material's social card on blog posts (one
        ``og:image`` per page): its card is turned off for posts, the way the history page's
        front matter does, unless a post's own front matter sets ``social: {cards: …}``."""
        if self._previews_posts(page):
            social = page.meta.get("social")
            if not (isinstance(social, dict) and "cards" in social):
                page.meta["social"] = {**(social if isinstance(social, dict) else {}), "cards": False}
        return markdown

    def _previews_posts(self, page: Page) -> bool:
        on = self.config.enabled and self.report is not None and self.config.social_preview == "posts"
        return on and page.file.src_uri.startswith(self.post_dir)

    def _post_preview(self, output: str, page: Page, config: Any) -> str:
        """A post's own preview (``social_preview: posts``): its title, the site's name and the
        badge, written to ``influence/posts/`` (rendered ahead by ``influence update``) with one
        set of tags. A page that already has an ``og:image`` (its own, or Material's card kept
        by its front matter) keeps it: ours yields. Image and URL need ``site_url``."""
        if 'property="og:image"' in output or "property='og:image'" in output:
            return output
        from ..render.bundle import post_preview_name, post_preview_png
        from ..render.pages import meta_tags, score_description
        from ..store.fileio import atomic_write

        # report: set (see _previews_posts); MkDocs keeps a heading's entities in page.title ("Q&amp;A"),
        # the ledger (and so the preview update renders ahead) has the text
        report, settings, title = self.report or {}, self._badge(), html.unescape(page.title or "")
        base = (config.site_url or "").rstrip("/")
        image = ""
        if base:
            name = post_preview_name(page.file.src_uri)
            try:
                atomic_write(Path(config.site_dir) / PREFIX / name, post_preview_png(report, title, settings, _cache_dir(config)))
            except InfluenceError as exc:
                raise PluginError(f"influence: {exc.message}") from None
            image = f"{base}/{PREFIX}/{name}"
        description = str(page.meta.get("description") or config.site_description or score_description(report))
        alt = f"{title} — {config.site_name or ''}: {alt_text(report, settings)}"
        tags = meta_tags(title, description, (page.canonical_url or "") if base else "", image, alt, kind="article")
        return output.replace("</head>", tags + "</head>", 1)

    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        """The history page's social preview: one set of Open Graph and Twitter tags with
        ``og.png`` (its front matter turns Material's social card off for this page only;
        every other page keeps Material's). Image and URL need ``site_url``."""
        if self._previews_posts(page):
            return self._post_preview(output, page, config)
        if not self.config.enabled or self.report is None or page.file.src_uri != PAGE_SRC:
            return output
        base = (config.site_url or "").rstrip("/")
        image = f"{base}/{PREFIX}/og.png" if base else ""
        url = (page.canonical_url or "") if base else ""
        alt = alt_text(self.report, self._badge())
        meta = social_meta(self.report, config.site_name or "", url, image, alt)
        return output.replace("</head>", meta + "</head>", 1)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        # A data folder that does not exist yet cannot be watched: restart `mkdocs serve`
        # after the first `influence update`.
        if self.config.enabled and self.folder is not None and self.folder.is_dir():
            server.watch(str(self.folder))
        return server

    def _badge(self) -> BadgeSettings:
        return self.config.badge or BadgeSettings()
