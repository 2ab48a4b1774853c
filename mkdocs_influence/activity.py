"""What a source delivers: the blogger's posts with their counts, and audience sizes.

Also the documented *activity file* format, so any data can be brought in::

    {"audience": [{"source": "mastodon", "date": "2026-11-01", "followers": 1200}],
     "posts": [{"id": "…", "source": "blog", "url": "…", "title": "…",
                "published": "2026-10-03T10:00:00Z", "tags": ["knitting"], "text": "…",
                "metrics": {"comments": 3, "replies": 0, "reposts": 2, "likes": 10, "quotes": 0}}]}

Unknown metric names are an error naming the field; missing ones are 0. Optional post
fields: ``lang`` (default ``en``) and ``measured`` (default true; false for posts whose
interactions nobody counted, so they do not lower the engagement average).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ActivityError

#: Every count the model knows, most conversational first.
METRICS = ("comments", "replies", "mentions", "quotes", "reposts", "bookmarks", "likes")


@dataclass(frozen=True)
class Post:
    """One of the blogger's own posts, as a source saw it."""

    source: str
    id: str
    title: str
    published: dt.datetime
    url: str = ""
    tags: tuple[str, ...] = ()
    lang: str = "en"
    text: str = ""
    path: str = ""  # docs-relative Markdown path, for posts of this site
    metrics: Mapping[str, int] = field(default_factory=dict)
    #: False when the source cannot see interactions (this site's own files, plain
    #: feeds): such posts count for rhythm and topics, not in the engagement average.
    measured: bool = True

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


@dataclass(frozen=True)
class Audience:
    """How many people follow the blogger on one source, on one day."""

    source: str
    date: dt.date
    followers: int


@dataclass(frozen=True)
class Link:
    """Counts a source saw for a post of *another* source (webmentions for blog posts)."""

    source: str
    id: str
    metrics: Mapping[str, int]


@dataclass(frozen=True)
class Activity:
    """Everything one source delivered in one run."""

    posts: tuple[Post, ...] = ()
    audience: tuple[Audience, ...] = ()
    links: tuple[Link, ...] = ()
    #: cursors the source needs next time (e.g. ``since_id``), kept in the ledger
    state: Mapping[str, Any] = field(default_factory=dict)


def parse_datetime(value: Any, where: str) -> dt.datetime:
    """A date or ISO-8601 date-time as an aware UTC datetime (naive values are UTC)."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ActivityError(f"{where}: {value!r} is not an ISO-8601 date or date-time") from None
    else:
        raise ActivityError(f"{where}: expected a date, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def parse_date(value: Any, where: str) -> dt.date:
    """A calendar date from ``YYYY-MM-DD`` (or a date-time, whose UTC date is taken)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_datetime(value, where).date()


def parse_metrics(raw: Any, where: str) -> dict[str, int]:
    """Validate a metrics mapping: known names, non-negative integers; zeros dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ActivityError(f"{where}: expected an object of counts, got {type(raw).__name__}")
    out: dict[str, int] = {}
    for name, value in raw.items():
        if name not in METRICS:
            raise ActivityError(f"{where}.{name}: unknown metric (expected one of {', '.join(METRICS)})")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ActivityError(f"{where}.{name}: expected a non-negative integer, got {value!r}")
        if value:
            out[name] = value
    return out


def _str(raw: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise ActivityError(f"{where}.{key}: missing")
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ActivityError(f"{where}.{key}: expected text, got {type(value).__name__}")
    return str(value)


def parse_tags(raw: Any, where: str) -> tuple[str, ...]:
    """A list of tag strings (a single string is one tag); blanks dropped."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(t, (str, int)) and not isinstance(t, bool) for t in raw):
        raise ActivityError(f"{where}: expected a list of strings")
    return tuple(str(t).strip() for t in raw if str(t).strip())


def parse_post(raw: Any, where: str, default_source: str) -> Post:
    if not isinstance(raw, Mapping):
        raise ActivityError(f"{where}: expected an object, got {type(raw).__name__}")
    source = _str(raw, "source", where) or default_source
    measured = raw.get("measured", True)
    if not isinstance(measured, bool):
        raise ActivityError(f"{where}.measured: expected true or false, got {measured!r}")
    return Post(
        source=source,
        id=_str(raw, "id", where, required=True),
        title=_str(raw, "title", where),
        published=parse_datetime(raw.get("published"), f"{where}.published"),
        url=_str(raw, "url", where),
        tags=parse_tags(raw.get("tags"), f"{where}.tags"),
        lang=_str(raw, "lang", where) or "en",
        text=_str(raw, "text", where),
        metrics=parse_metrics(raw.get("metrics"), f"{where}.metrics"),
        measured=measured,
    )


def parse_audience(raw: Any, where: str, default_source: str) -> Audience:
    if not isinstance(raw, Mapping):
        raise ActivityError(f"{where}: expected an object, got {type(raw).__name__}")
    followers = raw.get("followers")
    if isinstance(followers, bool) or not isinstance(followers, int) or followers < 0:
        raise ActivityError(f"{where}.followers: expected a non-negative integer, got {followers!r}")
    source = _str(raw, "source", where) or default_source
    return Audience(source, parse_date(raw.get("date"), f"{where}.date"), followers)


def parse_activity(data: Any, origin: str, default_source: str = "file") -> Activity:
    """Read the activity-file structure; errors name ``origin`` and the field."""
    if not isinstance(data, Mapping):
        raise ActivityError(f"{origin}: expected a JSON object with 'posts' and/or 'audience'")
    unknown = sorted(set(data) - {"posts", "audience"})
    if unknown:
        raise ActivityError(f"{origin}: unknown key {unknown[0]!r} (expected 'posts' and 'audience')")
    posts_raw = data.get("posts", [])
    audience_raw = data.get("audience", [])
    for key, value in (("posts", posts_raw), ("audience", audience_raw)):
        if not isinstance(value, list):
            raise ActivityError(f"{origin}: {key} must be a list")
    posts = tuple(parse_post(p, f"{origin}: posts[{i}]", default_source) for i, p in enumerate(posts_raw))
    keys = [p.key for p in posts]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ActivityError(f"{origin}: post {dup!r} appears more than once")
    audience = tuple(parse_audience(a, f"{origin}: audience[{i}]", default_source) for i, a in enumerate(audience_raw))
    return Activity(posts, audience)
