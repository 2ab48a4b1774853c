"""Where the history page's links and files point, however the site is served.

The page is always at ``<root>/influence/``. A post's URL in the ledger is absolute (under
the site's address) or relative to the site's root (``2024/10/14/x.html``, when no address
is configured), so it cannot be used as an ``href`` as it is: from ``/influence/`` that
resolves to ``/influence/2024/…``. :class:`Addresses` turns it into a link that works from
the page: root-relative (``/blog/2024/…``) when the path the site is served under is known —
which also holds under a theme's ``<base href>`` (hugo-rapid-theme sets one), where a
relative link would resolve against the site's root instead of the page — else relative to
the page (``../2024/…``), right wherever the site is served as long as nothing sets
``<base>`` (MkDocs, Zensical and the standalone page do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from badges import clean_text

PAGE_DIR = "influence/"  # the page's folder under the site's root (the bundle's too)


def safe_url(url: str) -> str:
    """Only http(s) and relative URLs survive; anything else (``javascript:`` …) becomes ''."""
    url = clean_text(url).strip()
    if re.match(r"https?://[^\s<>\"']+$", url) or re.match(r"[\w./~%-]*(#[\w-]*)?$", url):
        return url
    return ""


def absolute(site_url: str) -> str:
    """``site_url`` as a base ending in ``/`` when it is an absolute http(s) address, else ''."""
    url = safe_url(site_url)
    return url.rstrip("/") + "/" if url.startswith(("http://", "https://")) and urlsplit(url).netloc else ""


@dataclass(frozen=True)
class Addresses:
    """How the page at ``<root>/influence/`` addresses the site.

    ``site_url``: the site's absolute address ('' when unknown): embed code for other sites
    needs it, and a post under it is linked as a site path. ``root``: the path the site is
    served under (``/blog/``) when known, for root-relative links (robust to ``<base>``);
    None links relative to the page. ``setting``: the key that sets the address and its file, named when it is missing."""

    site_url: str = ""
    root: str | None = None
    setting: tuple[str, str] = ("site_url", "mkdocs.yml")  # (key, its file); the default is the MkDocs plugin's

    @property
    def here(self) -> str:
        """What the page's own files (``badge.svg``, ``history.csv``…) are prefixed with."""
        return "" if self.root is None else self.root + PAGE_DIR

    def href(self, url: str) -> str:
        """The link to ``url`` (absolute, or relative to the site's root) from the page; '' for an unsafe one."""
        url = safe_url(url)
        if not url:
            return ""
        base = absolute(self.site_url)
        if url.startswith(("http://", "https://")):
            if self.root is None or not base or not (url + "/").startswith(base):
                return url  # another site's page, or no root to make it a site path
            url = url[len(base) :]
        rel = url.lstrip("/")
        if self.root is not None:
            return self.root + rel
        return base + rel if base else "../" + rel

    def link(self, item: dict[str, object]) -> str:
        """:meth:`href` of an item of the report (a post, a topic's post, a mover)."""
        return self.href(str(item.get("url", "")))
