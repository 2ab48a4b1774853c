"""An X (Twitter) archive, imported offline: own tweets (no retweets) and the follower count.

``- x-archive: data/twitter-archive/`` (the unzipped archive; relative to mkdocs.yml)
reads ``data/tweets.js`` (or ``tweet.js``, and ``-partN`` splits) and counts the entries
of ``data/follower.js``. Only the count of followers is kept, never who they are; @handles
are removed from tweet text. Retweets and replies to other people are skipped: a reply
(``in_reply_to_status_id_str``) counts only when it answers the author's own tweet
(``in_reply_to_user_id_str`` is the ``accountId`` of ``data/account.js``); without
``account.js`` every reply is skipped.
"""

from __future__ import annotations

import email.utils
import json
from pathlib import Path

from ..errors import ActivityError, SourceError, shown
from ..store.activity import Activity, Audience, Post, parse_datetime
from . import Context, Result, SourceSpec
from ._social import counts, own_text, title_from


def read_js(path: Path) -> list:
    """The JSON array of ``window.YTD.x.partN = [...]``."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"x-archive: cannot read {path}: {exc}") from None
    body = text.split("=", 1)[1] if "=" in text.split("[", 1)[0] else text
    try:
        data = json.loads(body.strip().rstrip(";"))
    except ValueError as exc:
        raise SourceError(f"x-archive: {path.name} is not a valid archive file ({exc})") from None
    if not isinstance(data, list):
        raise SourceError(f"x-archive: {path.name} should hold a list")
    return data


def _files(folder: Path, *stems: str) -> list[Path]:
    data = folder / "data" if (folder / "data").is_dir() else folder
    found = []
    for stem in stems:
        found += sorted(data.glob(f"{stem}.js")) + sorted(data.glob(f"{stem}-part*.js"))
    return found


def _account_id(folder: Path) -> str | None:
    """The archive owner's numeric id, from ``data/account.js``."""
    for path in _files(folder, "account"):
        for entry in read_js(path):
            account = entry.get("account") if isinstance(entry, dict) else None
            if isinstance(account, dict) and isinstance(account.get("accountId"), str | int):
                return str(account["accountId"])
    return None


def tweet_post(raw: dict, where: str, author: str | None = None) -> Post | None:
    """One tweet as a post; None for retweets and replies to other people (``author``: the owner's id)."""
    tweet = raw.get("tweet", raw) if isinstance(raw, dict) else None
    if not isinstance(tweet, dict):
        raise SourceError(f"{where}: not a tweet object")
    text = str(tweet.get("full_text") or tweet.get("text") or "")
    if text.startswith("RT @"):
        return None
    if tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"):
        to = tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id")
        if author is None or str(to) != author:
            return None  # a reply to someone else: their conversation, not the author's post
    try:
        published = email.utils.parsedate_to_datetime(str(tweet["created_at"]))
    except (KeyError, TypeError, ValueError):
        raise SourceError(f"{where}: unreadable created_at") from None
    try:
        published = parse_datetime(published, f"{where}: created_at")
    except ActivityError as exc:
        raise SourceError(exc.message) from None
    pid = tweet.get("id_str") or tweet.get("id")
    if not isinstance(pid, (str, int)) or isinstance(pid, bool):
        raise SourceError(f"{where}: no id")
    own = own_text(text)
    metrics = counts({"likes": tweet.get("favorite_count"), "reposts": tweet.get("retweet_count")}, where)
    tags = [h.get("text") for h in (tweet.get("entities") or {}).get("hashtags") or () if h.get("text")]
    return Post(
        source="x-archive",
        id=str(pid),
        title=title_from(own),
        published=published,
        url="",
        tags=tuple(tags),
        lang=str(tweet.get("lang") or "en"),
        text=own,
        metrics=metrics,
    )


class XArchiveSource:
    name = "x-archive"
    complete = True
    network = False

    def __init__(self, spec: SourceSpec) -> None:
        self.path = Path(spec.target)

    def collect(self, ctx: Context) -> Result:
        folder = self.path if self.path.is_absolute() else ctx.site.config_dir / self.path
        tweet_files = _files(folder, "tweets", "tweet")
        if not tweet_files:
            raise SourceError(f"x-archive: no data/tweets.js in {folder}")
        posts: dict[str, Post] = {}
        warnings = []
        author = _account_id(folder)
        for path in tweet_files:
            for i, raw in enumerate(read_js(path)):
                where = f"x-archive: {path.name}[{i}]"
                try:
                    post = tweet_post(raw, where, author)
                except SourceError as exc:
                    warnings.append(str(exc.message))
                    continue
                except Exception as exc:  # one strange tweet never costs the others
                    warnings.append(f"{where}: skipped: unexpected {type(exc).__name__}: {shown(str(exc), quote=False)}")
                    continue
                if post is not None:
                    posts[post.id] = post
        followers = sum(len(read_js(p)) for p in _files(folder, "follower"))
        newest = max((p.published.date() for p in posts.values()), default=ctx.as_of)
        audience = (Audience("x-archive", newest, followers),) if _files(folder, "follower") else ()
        return Result(Activity(tuple(posts.values()), audience), tuple(warnings))
