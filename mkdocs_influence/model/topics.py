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

from ..settings import TopicSettings
from ..store.ledger import PostView, Snapshot
from ..terms.text import BOILERPLATE, MAX_SPECIFICITY, specificity, stopwords, topic_key
from . import fragments
from .formula import V1
from .fragments import Candidate
from .score import age_days, interactions

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
        "life thoughts musings rambling opinion journal diary weekly monthly links roundup digest newsletter blogging"
    ).split()
)
_QUANTIFIERS = "multiple various different numerous diverse several many other own".split()  # "multiple touchpoints"
#: Words that add nothing to a name: "RAG systems" is a piece of "RAG", "rOpenSci news" of "rOpenSci" (see :mod:`.fragments`).
_FILLER = fragments.GENERIC_KEYS | CATCH_ALL_NAMES | {topic_key(w) for w in (*BOILERPLATE, *_QUANTIFIERS)}
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


class _Scales(dict):  # type: ignore[type-arg]
    """count -> how much of a term's strength a post using it that often earns, before specificity
    (see :class:`_Terms`): a term used :data:`TERM_FULL_COUNT` times speaks for the post fully."""

    def __init__(self, tagged: bool) -> None:
        super().__init__()
        self.base = TAGGED_TERM_WEIGHT if tagged else TERM_WEIGHT

    def __missing__(self, count: int) -> float:
        value = self[count] = self.base * min(count, TERM_FULL_COUNT) / TERM_FULL_COUNT
        return value


@lru_cache(maxsize=4096)
def _word_keys(tag: str) -> tuple[str, ...]:
    return tuple(k for k in (topic_key(w) for w in tag.replace("-", " ").split()) if k)


def _said(post: PostView) -> str:
    """The post's terms as one lower-case text: a tag is said when one of its words occurs in it ("dye" says "natural dye")."""
    return " ".join(post.terms).casefold()


def _all_stopwords(raw_name: str, stop: frozenset[str]) -> bool:
    """Asked once per distinct tag, and per term not made of plain words (``_Names`` remembers the answers)."""
    return stop.issuperset(raw_name.casefold().lstrip("#").split())


#: A post as extract() saw it: (post, its weight, month, rank by key, ``how`` of its tags' keys: see :func:`_supports`)
_Seen = tuple[PostView, float, tuple[int, int], int, dict[str, int]]


class _Evidence:
    """What one topic has gathered: posts, months, their weight, its largest amount, its best five posts.
    Made only for the keys that may be topics, from (place in ``seen``, amount) of each post in order."""

    __slots__ = ("largest", "months", "posts", "reach", "spoken", "tagged", "top", "total")
    TOP = 5

    def __init__(self, key: str, supports: list[tuple[int, float]], seen: list[_Seen]) -> None:
        self.posts = 0
        self.tagged = 0  # posts where it is the author's tag
        self.spoken = 0  # of those, posts whose text says it too
        self.months: set[tuple[int, int]] = set()
        self.reach = 0.0  # the supporting posts' own weights, for the min_share test
        self.total = 0.0
        self.largest = 0.0
        self.top: list[tuple[float, int, PostView]] = []  # min-heap of (amount, -key order, post)
        for place, amount in supports:
            self.add(seen[place], amount, key)

    def add(self, seen: _Seen, amount: float, key: str) -> None:
        post, post_weight, month, rank, hows = seen
        how = hows.get(key, 2)  # bit 1 the author tagged it, bit 2 the text says it
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


class _Names:
    """What each distinct candidate name is, asked once per name (and language, for terms): most
    names are one post's phrases, so this is most of the work. Its merge key, or None when it cannot be a topic."""

    def __init__(self, settings: TopicSettings, site_name: str) -> None:
        self.aliases = {topic_key(k): topic_key(v) for k, v in settings.aliases.items()}
        self.deny = {topic_key(d) for d in settings.deny}
        self.allow = {self.aliases.get(k, k) for k in map(topic_key, settings.allow)}
        self.banned = {topic_key(site_name)} if site_name else set()
        self.plain = not (self.aliases or self.deny or self.allow or self.banned)
        self.boiler: set[str] = set()  # tags made of blog words only ("blog", "read more"): labels
        self.tags: dict[str, str | None] = {}  # tag -> key, the same in every language
        self.scales = {False: _Scales(False), True: _Scales(True)}  # the post has tags -> its scales
        self.terms: dict[str, _Terms] = {}  # language -> its terms

    def accept(self, key: str, stopwords_only: bool) -> str | None:
        """The merge key of a name whose :func:`topic_key` is ``key``, or None: ``deny`` wins, ``allow``
        overrides the site's name and ``stopwords_only`` (a term made of stopwords only)."""
        if self.plain:  # no aliases, deny, allow nor site name: the usual case
            return key if key and not stopwords_only else None
        key = self.aliases.get(key, key)
        if not key or key in self.deny:
            return None
        return key if key in self.allow or not (key in self.banned or stopwords_only) else None

    def tag(self, tag: str) -> str | None:
        """An author's tag is a candidate whatever a stopword list says."""
        key = self.tags[tag] = self.accept(topic_key(tag), False)
        if key is not None and key not in self.allow and _all_stopwords(tag, BOILERPLATE):
            self.boiler.add(key)
        return key

    def of(self, lang: str) -> _Terms:
        table = self.terms.get(lang)
        if table is None:
            table = self.terms[lang] = _Terms(self, lang)
        return table


class _Terms(dict):  # type: ignore[type-arg]
    """term -> (factor, key) in one language: a term's strength in a post is ``scales[tagged][count] * factor``, its
    factor its specificity squared, so a common word ("file", "release") must be used far more to count.

    Most terms are one or two plain words (ASCII letters) from a smaller vocabulary: their key, specificity
    and stopword test follow from their words' (``words``, each looked up once), exactly as :func:`topic_key`,
    :func:`specificity` and :func:`_all_stopwords` compute them (tests/test_topics.py checks that they agree)."""

    def __init__(self, names: _Names, lang: str) -> None:
        super().__init__()
        self.names, self.lang, self.stop = names, lang, stopwords(lang)
        self.words = _Words(self)

    def __missing__(self, term: str) -> tuple[float, str | None]:
        first, space, second = term.partition(" ")
        a = self.words[first]
        b = self.words[second] if a is not None and space else None  # None for "b c", " b": not a plain word
        if a is not None and not space:
            key, spec, stopwords_only = a
        elif b is not None:  # two plain words: as topic_key, specificity and _all_stopwords compute it
            key, spec, stopwords_only = a[0] + b[0], min(MAX_SPECIFICITY, (a[1] + b[1]) / 2 + 1.0), a[2] and b[2]  # type: ignore[index]
        else:
            key, spec, stopwords_only = topic_key(term), specificity(term, self.lang), _all_stopwords(term, self.stop)
        found = self.names.accept(key, stopwords_only)
        value = self[term] = _CANNOT if found is None else ((spec / MAX_SPECIFICITY) ** SPECIFICITY_POWER, found)
        return value


_CANNOT = (0.0, None)  # a term that cannot be a topic: no strength, no key


class _Words(dict):  # type: ignore[type-arg]
    """plain word -> (:func:`topic_key`, :func:`specificity`, is a stopword) in one language; None for other words."""

    def __init__(self, terms: _Terms) -> None:
        super().__init__()
        self.lang, self.stop = terms.lang, terms.stop

    def __missing__(self, word: str) -> tuple[str, float, bool] | None:
        plain = word.isascii() and word.isalpha()
        value = self[word] = (topic_key(word), specificity(word, self.lang), word.lower() in self.stop) if plain else None
        return value


def _spellings(
    snap: Snapshot, settings: TopicSettings, names: _Names, keys: list[str]
) -> dict[str, tuple[Counter[str], Counter[str]]]:
    """How the author spells each of ``keys``: (as tags, as terms) -> uses, over the same signals
    :func:`extract` read (a second pass: only the topics shown keep counters, not every candidate)."""
    out: dict[str, tuple[Counter[str], Counter[str]]] = {key: (Counter(), Counter()) for key in keys}
    wanted = {lang: {t: (f, k) for t, (f, k) in terms.items() if k in out} for lang, terms in names.terms.items()}
    for post in snap.posts:
        for tag in dict.fromkeys(post.tags):
            key = names.tags.get(tag)
            if key in out:
                out[key][0][tag.lstrip("#")] += 1
        if settings.use_text:
            as_term, scales = wanted.get(post.lang, {}), names.scales[bool(post.tags)]
            for term in as_term.keys() & post.terms.keys():  # a few names of a few posts: order does not matter
                factor, key = as_term[term]
                if scales[post.terms[term]] * factor >= MIN_STRENGTH:
                    out[key][1][term.lstrip("#")] += 1  # type: ignore[index]
    return out


def _supports(post: PostView, pw: float, names: _Names, use_text: bool) -> tuple[dict[str, float], dict[str, int]]:
    """What one post supports, once per key with its strongest name: key -> amount (tags first, then
    terms, each in order), and ``how`` (bit 1 the author tagged it, bit 2 the text says it) of its tags'
    keys (a term's alone is 2). Amounts are never negative (ages and counts are not), so max() starts at 0."""
    best: dict[str, float] = {}
    hows: dict[str, int] = {}
    if post.tags:
        said: str | None = None
        for tag in dict.fromkeys(post.tags):
            key = names.tags[tag] if tag in names.tags else names.tag(tag)
            if key is None:
                continue
            if said is None:
                said = _said(post)
            says = 2 if said and any(k in said for k in _word_keys(tag)) else 0
            best[key] = max(pw * TAG_WEIGHT, best.get(key, 0.0))
            hows[key] = hows.get(key, 0) | 1 | says
    if not use_text:
        return best, hows
    known = names.of(post.lang)
    scales = names.scales[bool(post.tags)]
    got: dict[str, float] = {}
    for term, count in post.terms.items():  # the hot loop: a few dict look-ups per term of every post
        factor, key = known[term]
        strength = scales[count] * factor  # 0 for a term that cannot be a topic
        if strength >= MIN_STRENGTH:
            amount = pw * strength
            prior = got.get(key)
            if prior is None or amount > prior:
                got[key] = amount
    if not best:
        return got, hows
    both = best.keys() & got.keys()
    tagged = {key: best[key] for key in both}
    best.update(got)  # new keys in order after the tags'; the tags' own keep their place
    for key in both:
        best[key] = max(got[key], tagged[key])
        hows[key] |= 2
    return best, hows


def extract(snap: Snapshot, settings: TopicSettings = TopicSettings(), site_name: str = "") -> tuple[Topic, ...]:
    """The subject topics of ``snap``, strongest first (then by name), then up to three catch-all labels."""
    names = _Names(settings, site_name)
    allow = names.allow
    chosen = {topic_key(a): a.lstrip("#") for a in sorted(settings.allow)}
    chosen.update({topic_key(v): v.lstrip("#") for v in sorted(settings.aliases.values())})
    catch_all = (CATCH_ALL_NAMES | {topic_key(c) for c in settings.catch_all}) - allow
    weight: dict[str, float] = {}  # key -> its weight, in the order keys first appear (the total is summed in it)
    first: dict[str, int] = {}  # key -> the place in ``seen`` of its first post (most candidates have no other)
    supported: dict[str, list[tuple[int, float]]] = {}  # key -> (place in ``seen``, amount) per post, if two posts or more
    seen: list[_Seen] = []
    all_posts = 0.0
    order = {key: i for i, key in enumerate(sorted(p.key for p in snap.posts))}  # ties between posts: by key
    for post in snap.posts:
        pw = _post_weight(post, snap)
        all_posts += pw
        best, hows = _supports(post, pw, names, settings.use_text)
        place = len(seen)
        seen.append((post, pw, (post.published.year, post.published.month), order[post.key], hows))
        again = [(key, weight[key], first[key]) for key in best.keys() & weight.keys()]  # also earlier posts': few
        weight.update(best)  # the new keys in C, in this post's order; those of ``again`` are set right below
        first.update(dict.fromkeys(best, place))
        for key, prior, earlier in again:
            weight[key] = prior + best[key]
            first[key] = earlier
            if key in supported:
                supported[key].append((place, best[key]))
            else:  # a key of one post so far: its weight is its one amount
                supported[key] = [(earlier, prior), (place, best[key])]
    if settings.min_posts <= 1 or allow:
        for key in weight if settings.min_posts <= 1 else allow & weight.keys():
            if key not in supported:
                supported[key] = [(first[key], weight[key])]
    total = sum(weight.values())
    subjects: list[Topic] = []
    labels: list[Topic] = []
    evidence: dict[str, tuple[dict[int, float], bool]] = {}  # key -> (amount by place in ``seen``, the author's or allowed)
    for key in weight:
        posts = supported.get(key)
        if posts is None or (len(posts) < settings.min_posts and key not in allow):
            continue  # the cheapest test first: most candidates have one or two posts
        ev = _Evidence(key, posts, seen)
        reach = ev.reach / all_posts if all_posts else 0.0
        strong = ev.posts >= settings.min_posts and len(ev.months) >= settings.min_months and reach >= settings.min_share
        if not strong and key not in allow:
            continue
        w, largest = ev.capped(uncapped=key in allow)
        if w <= 0.0:
            continue
        ranked = sorted(((min(a, largest), r, p) for a, r, p in ev.top), key=lambda e: e[:2], reverse=True)
        shown = tuple(Support(p.key, p.title, p.url, p.path, p.published.date().isoformat(), a / w) for a, _, p in ranked)
        is_label = key in catch_all or key in names.boiler or (key not in allow and _label_by_use(ev, len(snap.posts)))
        if is_label and not ev.tagged:
            continue  # "guide" or "roundup" in the text alone: neither a subject nor the author's label
        (labels if is_label else subjects).append(Topic(key, w / total if total else 0.0, shown, is_label))
        evidence[key] = (dict(posts), bool(ev.tagged) or key in allow)
    spelt = _spellings(snap, settings, names, [t.name for t in (*subjects, *labels)])
    named = sorted(((replace(t, name=_display(t.name, *spelt[t.name], chosen)), t.name) for t in subjects), key=_rank)
    labels = [replace(t, name=_display(t.name, *spelt[t.name], chosen)) for t in labels]
    labels.sort(key=lambda t: (-t.weight, t.name.casefold()))
    whole = fragments.kept([Candidate(t.name, t.weight, *evidence[key]) for t, key in named], settings.max, _FILLER)  # pieces out
    return (*(named[i][0] for i in whole), *labels[:MAX_CATCH_ALLS])


def _rank(named: tuple[Topic, str]) -> tuple[float, str]:
    return -named[0].weight, named[0].name.casefold()
