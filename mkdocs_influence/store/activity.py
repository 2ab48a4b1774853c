"""What a source delivers: the blogger's posts with their counts, and audience sizes.

Also the documented *activity file* format, so any data can be brought in::

    {"audience": [{"source": "mastodon", "date": "2026-11-01", "followers": 1200}],
     "posts": [{"id": "…", "source": "blog", "url": "…", "title": "…",
                "published": "2026-10-03T10:00:00Z", "tags": ["knitting"], "text": "…",
                "metrics": {"comments": 3, "replies": 0, "reposts": 2, "likes": 10, "quotes": 0}}]}

Unknown metric names are an error naming the field (a typo in a hand-written file should
be seen); missing ones are 0. Count *values* follow the one rule every source follows
(:func:`checked_count`, applied where counts enter the ledger): a whole number from 0 to
:data:`MAX_COUNT`; anything else is dropped there with a warning, the rest of the post kept.
Optional post fields: ``lang`` (a BCP 47-like tag, default ``en``) and ``measured``
(default true; false for posts whose interactions nobody counted, so they do not lower
the engagement average). Dates must fall in :data:`YEARS`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from badges import clean_text

from ..errors import ActivityError, shown

#: Every count the model knows, most conversational first.
METRICS = ("comments", "replies", "mentions", "quotes", "reposts", "bookmarks", "likes", "points", "views")
#: The largest count or follower number believed: more than any account has (about 10^9),
#: small enough that every formula stays finite. Larger values are dropped, not clipped.
MAX_COUNT = 10**12
#: Years a post or an observation may carry; outside them a date is refused (a typo or an attack).
YEARS = (1990, 2100)
#: A BCP 47-like language tag: 2-3 letters, then up to 6 subtags of 1-8 letters or digits.
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}")


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
    #: counts as the source read them; :func:`checked` decides which the ledger believes
    metrics: Mapping[str, int] = field(default_factory=dict)
    #: False when the source cannot see interactions (this site's own files, plain
    #: feeds): such posts count for rhythm and topics, not in the engagement average.
    measured: bool = True

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


def post_data(post: Post) -> dict[str, Any]:
    """``post`` as plain JSON data for a cache (every field); :func:`post_from_data` reads it back."""
    return {
        "source": post.source,
        "id": post.id,
        "title": post.title,
        "published": post.published.isoformat(),
        "url": post.url,
        "tags": list(post.tags),
        "lang": post.lang,
        "text": post.text,
        "path": post.path,
        "metrics": dict(post.metrics),
        "measured": post.measured,
    }


def post_from_data(data: Mapping[str, Any], **given: Any) -> Post:
    """A post from :func:`post_data`'s data; ``given`` fields win (a cache that keeps the text
    elsewhere); raises KeyError, TypeError or ValueError on damaged data."""
    fields = {**data, **given}
    return Post(
        source=str(fields["source"]),
        id=str(fields["id"]),
        title=str(fields["title"]),
        published=dt.datetime.fromisoformat(fields["published"]),
        url=str(fields["url"]),
        tags=tuple(str(t) for t in fields["tags"]),
        lang=str(fields["lang"]),
        text=str(fields["text"]),
        path=str(fields.get("path", "")),
        metrics=dict(fields.get("metrics") or {}),
        measured=bool(fields.get("measured", True)),
    )


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


def checked_count(value: Any) -> str | None:
    """Why ``value`` is not a count (a whole number from 0 to :data:`MAX_COUNT`), or None when it is.

    The one rule for every count and follower number, wherever it comes from. Floats,
    booleans and text are refused too: a source reads numbers, this decides what they mean.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and not math.isfinite(value):
            return "not a finite number"
        return f"not a whole number ({type(value).__name__})"
    if value < 0:
        return "negative"
    if value > MAX_COUNT:
        return "above the ceiling of 10^12"
    return None


def checked_counts(raw: Mapping[str, Any], where: str, warnings: list[str]) -> dict[str, int]:
    """The valid, non-zero counts of known metrics in ``raw``; each other one is dropped with a warning."""
    out: dict[str, int] = {}
    for name in METRICS:
        if name not in raw or raw[name] == 0:
            continue
        problem = checked_count(raw[name])
        if problem:
            warnings.append(f"{where}: {name} {shown(raw[name])} dropped ({problem})")
        else:
            out[name] = raw[name]
    return out


def checked_lang(value: Any) -> str | None:
    """``value`` when it is a BCP 47-like language tag (``en``, ``pt-BR``, ``zh-Hant-TW``), else None."""
    if isinstance(value, str) and len(value) <= 35 and _LANG.fullmatch(value):
        return value
    return None


def in_years(when: dt.datetime | dt.date) -> bool:
    """True for dates within :data:`YEARS` (inclusive)."""
    return YEARS[0] <= when.year <= YEARS[1]


def parse_datetime(value: Any, where: str) -> dt.datetime:
    """A date or ISO-8601 date-time as an aware UTC datetime (naive values are UTC).

    Only :class:`ActivityError` escapes: unreadable text, a wrong type, an offset that
    overflows, or a year outside :data:`YEARS` all name ``where``."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ActivityError(f"{where}: {shown(value)} is not an ISO-8601 date or date-time") from None
    else:
        raise ActivityError(f"{where}: expected a date, got {type(value).__name__}")
    if not in_years(parsed):
        raise ActivityError(f"{where}: {parsed.year} is outside the years {YEARS[0]}-{YEARS[1]}")
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        return parsed.astimezone(dt.timezone.utc)
    except (OverflowError, ValueError, TypeError):  # a strange tzinfo object
        raise ActivityError(f"{where}: {shown(value)} cannot be read as a UTC time") from None


def parse_date(value: Any, where: str) -> dt.date:
    """A calendar date from ``YYYY-MM-DD`` (or a date-time, whose UTC date is taken)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_datetime(value, where).date()


def parse_metrics(raw: Any, where: str) -> dict[str, Any]:
    """A metrics mapping with known names (an unknown name is an error); values as written.

    Values are checked where counts enter the ledger (:func:`checked_counts`), so a bad
    value in a file is dropped with a warning like a bad value from an API."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ActivityError(f"{where}: expected an object of counts, got {type(raw).__name__}")
    for name in raw:
        if name not in METRICS:
            raise ActivityError(f"{where}.{shown(name, quote=False)}: unknown metric (expected one of {', '.join(METRICS)})")
    return {name: value for name, value in raw.items() if value != 0}


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
        raise ActivityError(f"{where}.measured: expected true or false, got {shown(measured)}")
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
    if followers is None:
        raise ActivityError(f"{where}.followers: missing")
    source = _str(raw, "source", where) or default_source
    return Audience(source, parse_date(raw.get("date"), f"{where}.date"), followers)


def parse_activity(data: Any, origin: str, default_source: str = "file", warnings: list[str] | None = None) -> Activity:
    """Read the activity-file structure; errors name ``origin`` and the field.

    With ``warnings``, a bad post or audience sample is skipped and said there (a source
    keeps the rest of its file); without, it is an error (``influence score`` checks a file).
    A file that is not the documented structure is an error either way."""
    if not isinstance(data, Mapping):
        raise ActivityError(f"{origin}: expected a JSON object with 'posts' and/or 'audience'")
    unknown = sorted(set(data) - {"posts", "audience"})
    if unknown:
        raise ActivityError(f"{origin}: unknown key {shown(unknown[0])} (expected 'posts' and 'audience')")
    posts_raw = data.get("posts", [])
    audience_raw = data.get("audience", [])
    for key, value in (("posts", posts_raw), ("audience", audience_raw)):
        if not isinstance(value, list):
            raise ActivityError(f"{origin}: {key} must be a list")
    posts: dict[str, Post] = {}
    for i, raw in enumerate(posts_raw):
        post = _item(parse_post, raw, f"{origin}: posts[{i}]", default_source, warnings)
        if post is not None and post.key in posts:
            _fail(f"{origin}: post {shown(post.key)} appears more than once", warnings)
        elif post is not None:
            posts[post.key] = post
    audience = (
        _item(parse_audience, a, f"{origin}: audience[{i}]", default_source, warnings) for i, a in enumerate(audience_raw)
    )
    return Activity(tuple(posts.values()), tuple(a for a in audience if a is not None))


def _fail(message: str, warnings: list[str] | None) -> None:
    if warnings is None:
        raise ActivityError(message)
    warnings.append(f"skipped {message}")


def _item(parse: Any, raw: Any, where: str, default_source: str, warnings: list[str] | None) -> Any:
    """One parsed item; on error, raised (strict) or None with a warning (lenient)."""
    try:
        return parse(raw, where, default_source)
    except ActivityError as exc:
        _fail(exc.message, warnings)
        return None


def _plain(post: Post) -> bool:
    """Whether :func:`checked` would keep ``post`` exactly as it is (a quick test, not the rule)."""
    return (
        isinstance(post.published, dt.datetime)
        and in_years(post.published)
        and checked_lang(post.lang) is not None
        and isinstance(post.id, str)
        and post.id.isprintable()
        and bool(post.id.strip())
        and all(name in METRICS and type(n) is int and 0 < n <= MAX_COUNT for name, n in post.metrics.items())
    )


def checked(activity: Activity, source: str, warnings: list[str]) -> Activity:
    """``activity`` with every value the ledger cannot believe taken out, one warning each.

    The single gate between sources and the ledger: a bad count or follower number is
    dropped (the rest of its post kept), a bad language tag becomes ``en``, ids lose
    invisible characters, and a post or sample dated outside :data:`YEARS` is left out. Warnings name the source, item and field.
    """
    posts = []
    for post in activity.posts:
        if _plain(post):  # the usual case: nothing to take out, no warning to word
            posts.append(post)
            continue
        where = f"{source}: post {shown(post.id)}"
        if not isinstance(post.published, dt.datetime) or not in_years(post.published):
            warnings.append(f"{where}: skipped (published {shown(post.published)} is outside {YEARS[0]}-{YEARS[1]})")
            continue
        lang = checked_lang(post.lang)
        if lang is None:
            warnings.append(f"{where}: lang {shown(post.lang)} is not a language tag; used en")
            lang = "en"
        pid = clean_text(post.id)  # ids reach the report (post keys): no control or invisible characters
        if not pid.strip():
            warnings.append(f"{where}: skipped (no usable id)")
            continue
        metrics = checked_counts(post.metrics, where, warnings)
        if lang != post.lang or metrics != post.metrics or pid != post.id:
            post = replace(post, id=pid, lang=lang, metrics=metrics)
        posts.append(post)
    links = []
    for link in activity.links:
        metrics = checked_counts(link.metrics, f"{source}: counts for {link.source} post {shown(link.id)}", warnings)
        pid = clean_text(link.id)
        if metrics != link.metrics or pid != link.id:
            link = replace(link, id=pid, metrics=metrics)
        links.append(link)
    audience = []
    for sample in activity.audience:
        where = f"{source}: followers on {sample.source} on {sample.date}"
        problem = checked_count(sample.followers) or (None if in_years(sample.date) else "date out of range")
        if problem:
            warnings.append(f"{where}: {shown(sample.followers)} dropped ({problem})")
        else:
            audience.append(sample)
    return replace(activity, posts=tuple(posts), links=tuple(links), audience=tuple(audience))
