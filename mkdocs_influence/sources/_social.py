"""Helpers shared by the social sources: plain text without other people, titles, paging stops."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import SourceError, shown
from ..net.fail import item_name, skipped
from ..store.activity import Activity, Audience, Post, parse_datetime
from . import Context, Result

if TYPE_CHECKING:
    from ..net.http import Http

_MENTION_LINK = re.compile(r'<a [^>]*class="[^"]*\bmention\b[^"]*"[^>]*>.*?</a>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_HANDLE = re.compile(r"(?<![\w/])@[\w.-]+(?:@[\w-]+(?:\.[\w-]+)+)?")
_URL = re.compile(r"https?://\S+")
_NUMBER = re.compile(r"\s*-?\d{1,20}\s*")  # the X archive writes counts as strings


def own_text(text: str, *, is_html: bool = False) -> str:
    """The blogger's own words: HTML removed, and every @mention of another person dropped."""
    if is_html:
        text = _MENTION_LINK.sub(" ", text)
        text = re.sub(r"<br\s*/?>|</p>", "\n", text, flags=re.I)
        text = html.unescape(_TAG.sub("", text))
    text = _HANDLE.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def title_from(text: str, limit: int = 90) -> str:
    """A post title from its first line (social posts have none)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = _URL.sub("", first).strip() or "(untitled post)"
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def when(value: object, where: str) -> dt.datetime:
    """Lenient timestamps (Bluesky's client-set precision varies)."""
    if isinstance(value, str):
        value = re.sub(r"(\.\d{6})\d+", r"\1", value.strip())
    try:
        return parse_datetime(value, where)
    except Exception as exc:
        raise SourceError(f"{where}: unreadable date {shown(value)}") from exc


def counts(raw: Mapping[str, object], where: str) -> dict[str, object]:
    """A post's interaction counts as an API gave them: numbers kept as read (the X
    archive's numeric strings become integers), empty ones dropped.

    Never refuses: whether a value is a believable count is decided in one place, where
    counts enter the ledger (:func:`mkdocs_influence.store.activity.checked_counts`), which
    drops a bad one with a warning and keeps the rest of the post."""
    out: dict[str, object] = {}
    for name, value in raw.items():
        if isinstance(value, str) and _NUMBER.fullmatch(value):
            value = int(value)
        if value not in (None, 0, ""):
            out[name] = value
    return out


def page_posts(
    http: Http,
    items: list[Any],
    source: str,
    kind: str,
    parse: Callable[[Any, str], Post | None],
    warnings: list[str],
    name: Callable[[Any, int], str] = lambda item, i: item_name(item, "id", i),
) -> Iterator[Post]:
    """A page's posts in order, as ``parse(item, where)`` reads them (None: not a post, e.g. a boost);
    one bad item is a warning naming it (``devto: skipped an article: …``), never the source's failure."""
    for i, item in enumerate(http.take(items)):
        where = f"{source}: {kind} {name(item, i)}"
        try:
            post = parse(item, where)
        except Exception as exc:  # one bad item never fails the source
            warnings.append(f"{source}: skipped {'an' if kind[0] in 'aeiou' else 'a'} {kind}: {skipped(exc, where)}")
            continue
        if post is not None:
            yield post


def known_and_old(ids: Iterable[str], known: set[str], dates: Iterable[dt.datetime], cutoff: dt.datetime) -> bool:
    """True when a page holds nothing new and nothing recent enough to refresh: stop paging."""
    ids, dates = list(ids), list(dates)
    return bool(ids) and all(i in known for i in ids) and min(dates) < cutoff


def timeline_result(
    name: str,
    ctx: Context,
    posts: dict[str, Post],
    followers: Any,
    refresh: dict,
    resume: tuple[str | None, object],
    warnings: list[str],
) -> Result:
    """A walked timeline's result: its posts, today's follower count (missing: 0) and its state — the sweep's, and
    ``resume`` (where this walk stopped, what was saved) whenever a walk stopped now or before."""
    stopped, saved = resume
    if stopped or saved is not None:
        refresh["resume"] = stopped
    audience = (Audience(name, ctx.as_of, 0 if followers is None else followers),)
    return Result(Activity(tuple(posts.values()), audience, state=refresh), tuple(warnings))
