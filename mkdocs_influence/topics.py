"""Topics: what the blogger is read and answered about, with the posts that prove it.

Topic weights use v1's interaction weights whatever the score formula, so a score
formula change never reshuffles topics. Signals per post: the author's tags and categories (full weight) and the post's own
candidate terms (a fraction, so text alone rarely outranks what the author said).
Each post counts ``recency x (1 + log2(1 + interactions))``: answered posts weigh more,
with diminishing returns; recency halves every two years, so topics fade slowly.

The author's words win: a tag is a candidate whatever a stopword list says ("Go"), and
is shown in the author's spelling ("API", "Open Source") even where the text uses the
word more often in lower case.

A topic needs evidence: at least ``min_posts`` posts spread over ``min_months`` calendar
months, and those posts must carry at least ``min_share`` of all posts' weight (recency x
engagement). No post holds more than half of a topic's weight: the largest share is capped
at the sum of the others, so one post, however viral, never makes a topic.

Catch-all labels ("General", "Tutorial", "Series", "TIL", "notes", …, or a tag on more
than half of all posts) say what kind of post it is, not what it is about: they are listed
after the subject topics, marked ``catch_all``.
Curation: ``deny`` always wins; ``allow`` overrides every other filter (stopwords, the
site's name, catch-all, thresholds, the cap) for a topic with at least one post;
``catch_all`` names more catch-all labels; ``aliases`` merge names.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .formula import V1
from .ledger import PostView, Snapshot
from .score import age_days, interactions
from .settings import TopicSettings
from .text import BOILERPLATE, MAX_SPECIFICITY, specificity, stopwords, topic_key

TAG_WEIGHT = 1.0
TERM_WEIGHT = 0.5  # the best possible term of an untagged post counts half as much as a tag
TAGGED_TERM_WEIGHT = 0.15  # where the author tagged the post, their words mostly decide
TERM_FULL_COUNT = 3  # a term used this often in a post speaks for it fully (tuned on bench/topics_eval.py)
MIN_STRENGTH = 0.02  # a weaker signal (a common word said once) is no evidence at all
HALF_LIFE_DAYS = 730.0
SPECIFICITY_POWER = 2.0  # squared: a common word ("file", "release") must be used far more to count
#: Labels that say what kind of post it is, not its subject (merge keys, see :func:`topic_key`).
CATCH_ALL_NAMES = frozenset(
    topic_key(n)
    for n in (
        "general uncategorized uncategorised misc miscellaneous other others random default featured archive "
        "tutorial howto how-to guide tips tip til series notes note news announcement update meta personal "
        "life thoughts musings rambling opinion journal diary weekly monthly links roundup blogging"
    ).split()
)
CATCH_ALL_SHARE = 0.5  # a tag on more than half of all posts, absent from the text of most, is a label
MAX_CATCH_ALLS = 3


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
    catch_all: bool = False  # a label for a kind of post ("General", "TIL"), listed after the subjects

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weight": self.weight,
            "catch_all": self.catch_all,
            "posts": [
                {"key": s.key, "title": s.title, "url": s.url, "path": s.path, "date": s.date, "contribution": s.contribution}
                for s in self.posts
            ],
        }


def _post_weight(post: PostView, snap: Snapshot) -> float:
    recency = 0.5 ** (age_days(post, snap.as_of) / HALF_LIFE_DAYS)
    return recency * (1.0 + math.log2(1.0 + interactions(post.metrics, V1)))


def _term_strength(term: str, count: int, lang: str, tagged: bool) -> float:
    base = TAGGED_TERM_WEIGHT if tagged else TERM_WEIGHT
    return base * min(count, TERM_FULL_COUNT) / TERM_FULL_COUNT * (specificity(term, lang) / MAX_SPECIFICITY) ** SPECIFICITY_POWER


def _signals(post: PostView, settings: TopicSettings) -> list[tuple[str, float, bool]]:
    """Candidate names of one post: (name, strength, is the author's tag), tags first; weak terms left out."""
    out = [(tag, TAG_WEIGHT, True) for tag in dict.fromkeys(post.tags)]
    if settings.use_text:
        tagged = bool(post.tags)
        for term, count in post.terms.items():
            strength = _term_strength(term, count, post.lang, tagged)
            if strength >= MIN_STRENGTH:
                out.append((term, strength, False))
    return out


@lru_cache(maxsize=4096)
def _word_keys(tag: str) -> tuple[str, ...]:
    return tuple(k for k in (topic_key(w) for w in tag.replace("-", " ").split()) if k)


def _said(post: PostView) -> str:
    """The post's terms as one lower-case text: a tag is said when one of its words occurs in it ("dye" says "natural dye")."""
    return " ".join(post.terms).casefold()


def _all_stopwords(raw_name: str, stop: frozenset[str]) -> bool:
    """Asked once per distinct name (``extract`` remembers the answer)."""
    return stop.issuperset(raw_name.casefold().lstrip("#").split())


class _Evidence:
    """What one topic has gathered so far: posts, months, their weight, its largest amount, its best five posts."""

    __slots__ = ("largest", "months", "posts", "reach", "spoken", "tagged", "top", "total")
    TOP = 5

    def __init__(self) -> None:
        self.posts = 0
        self.tagged = 0  # posts where it is the author's tag
        self.spoken = 0  # of those, posts whose text says it too
        self.months: set[tuple[int, int]] = set()
        self.reach = 0.0  # the supporting posts' own weights, for the min_share test
        self.total = 0.0
        self.largest = 0.0
        self.top: list[tuple[float, int, PostView]] = []  # min-heap of (amount, -key order, post)

    def add(self, post: PostView, amount: float, post_weight: float, month: tuple[int, int], rank: int, how: int) -> None:
        """``how``: bit 1 the author tagged it, bit 2 the text says it."""
        self.posts += 1
        self.tagged += how & 1
        self.spoken += how == 3
        self.months.add(month)
        self.reach += post_weight
        self.total += amount
        self.largest = max(self.largest, amount)
        entry = (amount, -rank, post)
        if len(self.top) < self.TOP:
            heapq.heappush(self.top, entry)
        elif entry[:2] > self.top[0][:2]:
            heapq.heapreplace(self.top, entry)

    def capped(self, uncapped: bool) -> tuple[float, float]:
        """(weight, largest amount) once the largest is capped at the sum of the others."""
        rest = self.total - self.largest
        if uncapped or self.largest <= rest:
            return self.total, self.largest
        return 2 * rest, rest


def _label_by_use(ev: _Evidence, posts: int) -> bool:
    """A tag on more than half of all posts whose text, on at least half of them, says none of its words ("Series")."""
    return ev.tagged > CATCH_ALL_SHARE * posts and ev.spoken <= CATCH_ALL_SHARE * ev.tagged


def _display(key: str, tags: Counter[str], terms: Counter[str], chosen: dict[str, str]) -> str:
    """The author's spelling: an alias target or ``allow`` entry as written, else the most used
    tag spelling, else the most used term. Ties: words with spaces (not #HashTags), capitalised, alphabetical."""
    if key in chosen:
        return chosen[key]
    counted = tags or terms
    return sorted(counted.items(), key=lambda kv: (-kv[1], " " not in kv[0], kv[0].islower(), kv[0]))[0][0]


def _spellings(
    snap: Snapshot, settings: TopicSettings, resolved: dict[tuple[str, bool], dict[str, str | None]], keys: list[str]
) -> dict[str, tuple[Counter[str], Counter[str]]]:
    """How the author spells each of ``keys``: (as tags, as terms) -> uses, over the same signals
    :func:`extract` read (a second pass: only the topics shown keep counters, not every candidate)."""
    names: dict[str, tuple[Counter[str], Counter[str]]] = {key: (Counter(), Counter()) for key in keys}
    for post in snap.posts:
        as_tag = resolved.get((post.lang, True), {})
        for tag in dict.fromkeys(post.tags):
            key = as_tag.get(tag)
            if key in names:
                names[key][0][tag.lstrip("#")] += 1
        if settings.use_text:
            as_term, tagged = resolved.get((post.lang, False), {}), bool(post.tags)
            for term, count in post.terms.items():
                key = as_term.get(term)
                if key in names and _term_strength(term, count, post.lang, tagged) >= MIN_STRENGTH:
                    names[key][1][term.lstrip("#")] += 1
    return names


def extract(snap: Snapshot, settings: TopicSettings = TopicSettings(), site_name: str = "") -> tuple[Topic, ...]:
    """The subject topics of ``snap``, strongest first (then by name), then up to three catch-all labels."""
    aliases = {topic_key(k): topic_key(v) for k, v in settings.aliases.items()}
    chosen = {topic_key(a): a.lstrip("#") for a in sorted(settings.allow)}
    chosen.update({topic_key(v): v.lstrip("#") for v in sorted(settings.aliases.values())})
    deny = {topic_key(d) for d in settings.deny}
    allow = {aliases.get(k, k) for k in map(topic_key, settings.allow)}
    catch_all = (CATCH_ALL_NAMES | {topic_key(c) for c in settings.catch_all}) - allow
    banned = {topic_key(site_name)} if site_name else set()
    weight: dict[str, float] = {}  # plain dicts: a Counter's missing key costs a Python call, and most keys are new
    evidence: dict[str, _Evidence] = {}
    # keys seen on one post so far (most candidates): that post's place in ``seen`` x 4 + ``how``; its amount is the weight
    pending: dict[str, int] = {}
    seen: list[tuple[PostView, float, tuple[int, int], int]] = []  # (post, its weight, month, rank)
    all_posts = 0.0
    # (language, is a tag) -> name -> merge key, or None when the name cannot be a topic
    resolved: dict[tuple[str, bool], dict[str, str | None]] = {}
    boiler: set[str] = set()  # tags made of blog words only ("blog", "read more"): labels
    order = {key: i for i, key in enumerate(sorted(p.key for p in snap.posts))}  # ties between posts: by key
    for post in snap.posts:
        pw = _post_weight(post, snap)
        all_posts += pw
        best: dict[str, tuple[float, int]] = {}  # a post supports a topic once, with its strongest name
        said: str | None = None
        known = (resolved.setdefault((post.lang, True), {}), resolved.setdefault((post.lang, False), {}))
        for raw_name, strength, tag in _signals(post, settings):
            found = known[not tag].get(raw_name, "")
            if found == "":
                key = topic_key(raw_name)
                key = aliases.get(key, key)
                filtered = key in banned or (not tag and _all_stopwords(raw_name, stopwords(post.lang)))
                rejected = not key or key in deny or (filtered and key not in allow)
                if tag and key not in allow and _all_stopwords(raw_name, BOILERPLATE):
                    boiler.add(key)
                found = known[not tag][raw_name] = None if rejected else key
            if found is None:
                continue
            before, how = best.get(found, (0.0, 0))
            if tag and said is None:
                said = _said(post)
            says = 2 if not tag or (said and any(k in said for k in _word_keys(raw_name))) else 0
            best[found] = (max(pw * strength, before), how | (1 if tag else 0) | says)
        month = (post.published.year, post.published.month)
        seen.append((post, pw, month, order[post.key]))
        for key, (amount, how) in best.items():
            prior = weight.get(key)
            weight[key] = (0.0 if prior is None else prior) + amount
            found_for = evidence.get(key)
            if found_for is None:
                first = pending.pop(key, None)
                if first is None:  # most candidates have one post: no evidence object for them yet
                    pending[key] = (len(seen) - 1) * 4 + how
                    continue
                found_for = evidence[key] = _Evidence()
                p, w, m, r = seen[first >> 2]
                found_for.add(p, prior or 0.0, w, m, r, first & 3)  # a pending key's weight is its one amount
            found_for.add(post, amount, pw, month, order[post.key], how)
    if settings.min_posts <= 1 or allow:
        for key, first in pending.items():
            if settings.min_posts <= 1 or key in allow:
                evidence[key] = _Evidence()
                p, w, m, r = seen[first >> 2]
                evidence[key].add(p, weight[key], w, m, r, first & 3)
    total = sum(weight.values())
    subjects: list[Topic] = []
    labels: list[Topic] = []
    for key in weight:
        ev = evidence.get(key)
        if ev is None or (ev.posts < settings.min_posts and key not in allow):
            continue  # the cheapest test first: most candidates have one or two posts
        reach = ev.reach / all_posts if all_posts else 0.0
        strong = ev.posts >= settings.min_posts and len(ev.months) >= settings.min_months and reach >= settings.min_share
        if not strong and key not in allow:
            continue
        w, largest = ev.capped(uncapped=key in allow)
        if w <= 0.0:
            continue
        ranked = sorted(((min(a, largest), r, p) for a, r, p in ev.top), key=lambda e: e[:2], reverse=True)
        shown = tuple(Support(p.key, p.title, p.url, p.path, p.published.date().isoformat(), a / w) for a, _, p in ranked)
        is_label = key in catch_all or key in boiler or (key not in allow and _label_by_use(ev, len(snap.posts)))
        if is_label and not ev.tagged:
            continue  # "guide" or "roundup" in the text alone: neither a subject nor the author's label
        (labels if is_label else subjects).append(Topic(key, w / total if total else 0.0, shown, is_label))
    names = _spellings(snap, settings, resolved, [t.name for t in (*subjects, *labels)])
    subjects = [replace(t, name=_display(t.name, *names[t.name], chosen)) for t in subjects]
    labels = [replace(t, name=_display(t.name, *names[t.name], chosen)) for t in labels]
    subjects.sort(key=lambda t: (-t.weight, t.name.casefold()))
    labels.sort(key=lambda t: (-t.weight, t.name.casefold()))
    return (*subjects[: settings.max], *labels[:MAX_CATCH_ALLS])
