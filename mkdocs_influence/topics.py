"""Topics: what the blogger is read and answered about, with the posts that prove it.

Topic weights use v1's interaction weights whatever the score formula, so a score
formula change never reshuffles topics. Signals per post: the author's tags and categories (full weight) and the post's own
candidate terms (a fraction, so text alone rarely outranks what the author said).
Each post counts ``recency x (1 + log2(1 + interactions))``: answered posts weigh more,
with diminishing returns; recency halves every two years, so topics fade slowly.

A topic needs evidence: at least ``min_posts`` posts spread over ``min_months`` calendar
months, and those posts must carry at least ``min_share`` of all posts' weight (recency x
engagement). One post, however viral, never makes one.
Curation: ``deny`` always wins; ``allow`` admits a topic that has *some* evidence (at
least one post) even below the thresholds; ``aliases`` merge names.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .formula import V1
from .ledger import PostView, Snapshot
from .score import age_days, interactions
from .settings import TopicSettings
from .text import MAX_SPECIFICITY, specificity, stopwords, topic_key

TAG_WEIGHT = 1.0
TERM_WEIGHT = 0.5  # the best possible term of an untagged post counts half as much as a tag
TAGGED_TERM_WEIGHT = 0.15  # where the author tagged the post, their words mostly decide
TERM_FULL_COUNT = 4  # a term used this often in a post speaks for it fully
HALF_LIFE_DAYS = 730.0
SPECIFICITY_POWER = 2.0  # squared: a common word ("file", "release") must be used far more to count


@dataclass(frozen=True)
class Support:
    key: str
    title: str
    url: str
    path: str
    date: str
    contribution: float


@dataclass(frozen=True)
class Topic:
    name: str
    weight: float  # share of all topic weight, 0..1
    posts: tuple[Support, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": self.weight,
            "posts": [
                {"key": s.key, "title": s.title, "url": s.url, "path": s.path, "date": s.date, "contribution": s.contribution}
                for s in self.posts
            ],
        }


def _post_weight(post: PostView, snap: Snapshot) -> float:
    recency = 0.5 ** (age_days(post, snap.as_of) / HALF_LIFE_DAYS)
    return recency * (1.0 + math.log2(1.0 + interactions(post.metrics, V1)))


def _signals(post: PostView, settings: TopicSettings) -> dict[str, float]:
    """Candidate names of one post with their strength (tags 1, terms a fraction)."""
    out: dict[str, float] = {}
    for tag in post.tags:
        out[tag] = max(out.get(tag, 0.0), TAG_WEIGHT)
    if settings.use_text:
        stop = stopwords(post.lang)
        for term, count in post.terms.items():
            if term not in stop:
                base = TAGGED_TERM_WEIGHT if post.tags else TERM_WEIGHT
                strength = (
                    base
                    * min(count, TERM_FULL_COUNT)
                    / TERM_FULL_COUNT
                    * (specificity(term, post.lang) / MAX_SPECIFICITY) ** SPECIFICITY_POWER
                )
                out.setdefault(term, strength)
    return out


@lru_cache(maxsize=65536)
def _words(raw_name: str) -> tuple[str, ...]:
    return tuple(raw_name.casefold().lstrip("#").split())


def _all_stopwords(raw_name: str, stop: frozenset[str]) -> bool:
    return all(w in stop for w in _words(raw_name))


class _Evidence:
    """What one topic has gathered so far: posts, months, their weight, its best five posts."""

    __slots__ = ("months", "posts", "reach", "top")
    TOP = 5

    def __init__(self) -> None:
        self.posts = 0
        self.months: set[tuple[int, int]] = set()
        self.reach = 0.0  # the supporting posts' own weights, for the min_share test
        self.top: list[tuple[float, int, PostView]] = []  # min-heap of (amount, -key order, post)

    def add(self, post: PostView, amount: float, post_weight: float, month: tuple[int, int], rank: int) -> None:
        self.posts += 1
        self.months.add(month)
        self.reach += post_weight
        entry = (amount, -rank, post)
        if len(self.top) < self.TOP:
            heapq.heappush(self.top, entry)
        elif entry[:2] > self.top[0][:2]:
            heapq.heapreplace(self.top, entry)


def extract(snap: Snapshot, settings: TopicSettings = TopicSettings(), site_name: str = "") -> tuple[Topic, ...]:
    """The topics of ``snap``, strongest first (then by name)."""
    aliases = {topic_key(k): topic_key(v) for k, v in settings.aliases.items()}
    deny = {topic_key(d) for d in settings.deny}
    allow = {topic_key(a) for a in settings.allow}
    banned = {topic_key(site_name)} if site_name else set()
    weight: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    evidence: dict[str, _Evidence] = {}
    all_posts = 0.0
    # (name, language) -> (merge key, display name), or None when the name cannot be a topic
    resolved: dict[tuple[str, str], tuple[str, str] | None] = {}
    order = {key: i for i, key in enumerate(sorted(p.key for p in snap.posts))}  # ties between posts: by key
    for post in snap.posts:
        pw = _post_weight(post, snap)
        all_posts += pw
        best: dict[str, float] = {}  # a post supports a topic once, with its strongest name
        for raw_name, strength in _signals(post, settings).items():
            found = resolved.get((raw_name, post.lang), ())
            if found == ():
                key = topic_key(raw_name)
                key = aliases.get(key, key)
                rejected = not key or key in deny or key in banned or _all_stopwords(raw_name, stopwords(post.lang))
                display = settings.aliases.get(raw_name, raw_name).lstrip("#")
                found = resolved[(raw_name, post.lang)] = None if rejected else (key, display)
            if found is None:
                continue
            key, display = found
            amount = pw * strength
            if amount > best.get(key, 0.0):
                best[key] = amount
            counted = names.get(key)
            if counted is None:
                counted = names[key] = Counter()
            counted[display] += 1
        month = (post.published.year, post.published.month)
        for key, amount in best.items():
            weight[key] += amount
            found_for = evidence.get(key)
            if found_for is None:
                found_for = evidence[key] = _Evidence()
            found_for.add(post, amount, pw, month, order[post.key])
    total = sum(weight.values())
    chosen: list[Topic] = []
    for key, w in weight.items():
        ev = evidence[key]
        if ev.posts < settings.min_posts and key not in allow:
            continue  # the cheapest test first: most candidates have one or two posts
        reach = ev.reach / all_posts if all_posts else 0.0
        strong = ev.posts >= settings.min_posts and len(ev.months) >= settings.min_months and reach >= settings.min_share
        if not strong and key not in allow:
            continue
        ranked = sorted(ev.top, reverse=True)
        shown = tuple(Support(p.key, p.title, p.url, p.path, p.published.date().isoformat(), a / w) for a, _, p in ranked)
        # Most used spelling; on ties, words with spaces (not #HashTags), capitalised, alphabetical.
        name = sorted(names[key].items(), key=lambda kv: (-kv[1], " " not in kv[0], kv[0].islower(), kv[0]))[0][0]
        chosen.append(Topic(name, w / total if total else 0.0, shown))
    chosen.sort(key=lambda t: (-t.weight, t.name.casefold()))
    return tuple(chosen[: settings.max])
