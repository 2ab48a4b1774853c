"""The influence score: a pure function of a ledger snapshot and a formula.

score = base + conversation + resonance + reach + rhythm (each bounded; at most 100).

- *Engagement* (conversation + resonance, up to 64 points) is a typical post's
  interactions, not their total: a recency-weighted mean over posts of
  ``log2(1 + weighted interactions)``, with each post capped at a multiple of the median
  and two imaginary silent posts in the mean. Posting more without being answered
  lowers the mean; one viral post moves it a little.
  From v2, a small share of the level is the best post's own (capped far higher), so a
  post discussed well beyond the usual shows without one post carrying the score.
- *Reach* (up to 15) grows with the log of the audience: followers over all configured
  sources and, from v2, readers a month (views per post from an analytics source).
- *Rhythm* (up to 20) counts weeks with at least one post, each fading (90-day half-life
  in v1, one year in v2): regular writing counts, volume inside a week does not, and in
  v2 one more week adds under a point (posting without being answered does not pay).

Decay is smooth (no window edges), so a week off barely moves anything. Every point
is attributed to named posts or sources (``evidence``). See ``docs/score.md``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from ..store.ledger import PostView, Snapshot
from ..wording import counted, day_label, plural
from . import formula as F
from .formula import Formula

EVIDENCE_LIMIT = 5


@dataclass(frozen=True)
class Evidence:
    """A post (or a source, for reach) and its share of a component's points."""

    key: str
    title: str
    url: str
    path: str
    share: float
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "url": self.url,
            "path": self.path,
            "share": self.share,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Component:
    name: str
    points: float
    max_points: float
    evidence: tuple[Evidence, ...]  # the top contributors, for people
    #: every contributor's share of ``points`` (post or ``source:`` key), for ``explain``
    shares: Mapping[str, float] = field(default_factory=dict)

    def contribution(self, key: str) -> float:
        return self.points * self.shares.get(key, 0.0)

    def to_dict(self) -> dict[str, object]:
        return {"points": self.points, "max": self.max_points, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Score:
    formula: str
    value: float  # unrounded: exactly the sum of the components' points
    components: tuple[Component, ...]

    @property
    def rounded(self) -> int:
        return max(1, min(100, math.floor(self.value + 0.5)))

    def points(self) -> dict[str, float]:
        return {c.name: c.points for c in self.components}


def age_days(post: PostView, as_of: dt.date) -> float:
    """Days from a post's publication to the end of ``as_of`` (UTC); never negative."""
    end = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc).timestamp() + 86400.0
    return max(0.0, (end - post.published.timestamp()) / 86400.0)


def interactions(metrics: Mapping[str, int], formula: Formula, only: frozenset[str] | None = None) -> float:
    """Weighted interactions of one post (optionally only some kinds of count). Counts the
    formula does not weigh (v1: points, views) are ignored, so an older formula's history
    is unchanged by the counts newer sources bring."""
    w = formula.weights
    return sum(w[m] * n for m, n in metrics.items() if m in w and (only is None or m in only))


#: Days in a month, for "readers a month".
MONTH_DAYS = 365.25 / 12


def readers(views: float, f: Formula) -> float:
    """Readers a month from ``views``, the recency-weighted sum of views per post: a post's
    weight lives ``post_half_life_days / ln 2`` days on average, so a blog read by R people
    a month accumulates about R times that many months of weighted views."""
    return views * MONTH_DAYS * math.log(2.0) / f.post_half_life_days if f.readers_per_follower > 0 else 0.0


def _component(
    name: str, points: float, max_points: float, items: list[tuple[float, PostView]], detail: Callable[[PostView], str]
) -> Component:
    """A component whose points are shared among ``items`` (amount, post) by amount; the
    top contributors are described by ``detail`` (only they: it builds text)."""
    total = math.fsum(a for a, _ in items)
    if total <= 0:
        return Component(name, points, max_points, ())
    top = heapq.nsmallest(EVIDENCE_LIMIT, items, key=lambda t: (-t[0], t[1].key))
    evidence = tuple(Evidence(p.key, p.title, p.url, p.path, amount / total, detail(p)) for amount, p in top if amount > 0)
    shares = {p.key: amount / total for amount, p in items if amount > 0}
    return Component(name, points, max_points, evidence, shares)


def _describe(metrics: Mapping[str, int], kinds: frozenset[str] | None = None) -> str:
    parts = [counted(n, m) for m, n in sorted(metrics.items()) if n and (kinds is None or m in kinds)]
    return ", ".join(parts)


def engaged_posts(snap: Snapshot, f: Formula | None = None) -> tuple[PostView, ...]:
    """Posts whose source reports interactions.

    A source that cannot see interactions (this site's own files, a plain feed) says
    nothing about engagement, so its posts count for rhythm but do not dilute the
    average. Decided by the source, never by the counts, so the score stays monotonic.
    From v2 (``whole_source_measured``), once another source counts answers to some of
    a source's posts, all of that source's posts are in.
    """
    if f is not None and f.whole_source_measured:
        sources = watched(snap.posts)
        return tuple(p for p in snap.posts if p.source in sources)
    return tuple(p for p in snap.posts if p.measured)


def watched(posts: Sequence[PostView]) -> frozenset[str]:
    """The sources with at least one measured post."""
    return frozenset(p.source for p in posts if p.measured)


def decay(age: float, half_life: float) -> float:
    return 0.5 ** (age / half_life)


def engagement_kernel(
    raw: Sequence[float], conv: Sequence[float], weights: Sequence[float], f: Formula
) -> tuple[float, float, list[float], list[float]]:
    """The engagement formula on plain numbers, one entry per measured post:
    (conversation points, resonance points, each post's conversation and resonance amounts)."""
    if not raw:
        return 0.0, 0.0, [], []
    mid = median(raw)
    cap = max(f.outlier_multiple * mid, f.outlier_floor)
    logs = [math.log2(1.0 + (e if e < cap else cap)) for e in raw]
    if f.best_post_share > 0:
        return _engagement_with_best(raw, conv, weights, logs, mid, f)
    level = math.fsum(w * g for w, g in zip(weights, logs, strict=True)) / (math.fsum(weights) + f.prior_posts)
    conv_amounts = [w * g * (cv / e) if e > 0 else 0.0 for w, g, e, cv in zip(weights, logs, raw, conv, strict=True)]
    res_amounts = [w * g - ca if e > 0 else 0.0 for w, g, e, ca in zip(weights, logs, raw, conv_amounts, strict=True)]
    return (*split_engagement(level, math.fsum(conv_amounts), math.fsum(res_amounts), f), conv_amounts, res_amounts)


def _engagement_with_best(
    raw: Sequence[float], conv: Sequence[float], weights: Sequence[float], logs: Sequence[float], mid: float, f: Formula
) -> tuple[float, float, list[float], list[float]]:
    """The v2 kernel: level = (1 - share) x the typical post's level + share x the best post's.

    The best post is the one with the largest ``w · log2(1 + min(e, best cap))`` (ties: the
    more conversational one); its part is split by its own kinds of interaction."""
    share = f.best_post_share
    denom = math.fsum(weights) + f.prior_posts
    conv_shares = [cv / e if e > 0 else 0.0 for e, cv in zip(raw, conv, strict=True)]
    best_cap = max(f.best_post_multiple * mid, f.outlier_floor)
    best, best_share, best_at = best_post(raw, conv_shares, weights, best_cap)
    scale = (1.0 - share) / denom
    mean_part = [scale * w * g for w, g in zip(weights, logs, strict=True)]
    conv_amounts = [a * s for a, s in zip(mean_part, conv_shares, strict=True)]
    res_amounts = [a - ca for a, ca in zip(mean_part, conv_amounts, strict=True)]
    if best_at >= 0:
        conv_amounts[best_at] += share * best * best_share
        res_amounts[best_at] += share * best * (1.0 - best_share)
    conv_mass, res_mass = math.fsum(conv_amounts), math.fsum(res_amounts)
    level = math.fsum(mean_part) + share * best
    return (*split_engagement(level, conv_mass, res_mass, f), conv_amounts, res_amounts)


def best_post(
    raw: Sequence[float], conv_shares: Sequence[float], weights: Sequence[float], cap: float
) -> tuple[float, float, int]:
    """(w · log2(1 + min(e, cap)), its conversation share, its index) of the best post; -1 if none has any."""
    best, best_share, best_at = 0.0, 0.0, -1
    for i, (e, s, w) in enumerate(zip(raw, conv_shares, weights, strict=True)):
        value = w * math.log2(1.0 + (e if e < cap else cap))
        if value > best or (value == best and value > 0 and s > best_share):
            best, best_share, best_at = value, s, i
    return best, best_share, best_at


def split_engagement(level: float, conv_mass: float, res_mass: float, f: Formula) -> tuple[float, float]:
    """(conversation, resonance) points of an engagement ``level``, split by the two masses."""
    b, c = f.engagement_steepness, f.engagement_half_level
    total = f.max_points["engagement"] * level**b / (level**b + c**b) if level > 0 else 0.0
    mass = conv_mass + res_mass
    conv_points = total * conv_mass / mass if mass > 0 else 0.0
    return conv_points, max(0.0, total - conv_points)


def reach_points(audience: float, f: Formula) -> float:
    """Points of an audience (followers, plus readers a month as followers from v2), on a log scale."""
    full = math.log10(1.0 + f.reach_full_followers)
    return f.max_points["reach"] * min(1.0, math.log10(1.0 + audience) / full)


def audience(followers: Mapping[str, int], views: float, f: Formula) -> float:
    """Followers on all sources plus readers a month counted as followers (v2)."""
    total = float(sum(followers.values()))
    return total + readers(views, f) / f.readers_per_follower if f.readers_per_follower > 0 else total


def rhythm_points(active: float, f: Formula) -> float:
    return f.max_points["rhythm"] * active / (active + f.rhythm_half_weeks)


def _week(post: PostView) -> tuple[int, int]:
    iso = post.published.isocalendar()
    return (iso.year, iso.week)


def _week_label(post: PostView) -> str:
    """``week of 16 Nov 2026`` (its Monday): plain words, not an ISO week number."""
    day = post.published.date() if isinstance(post.published, dt.datetime) else post.published
    monday = day - dt.timedelta(days=day.weekday())
    return f"week of {day_label(monday)}"


def _active_weeks(posts: Sequence[PostView], as_of: dt.date, f: Formula) -> list[tuple[float, PostView]]:
    """(decayed weight, the week's latest post) for each week with a post."""
    latest_in_week: dict[tuple[int, int], PostView] = {}
    for post in posts:  # sorted by date: the last one of a week wins
        latest_in_week[_week(post)] = post
    return [(decay(age_days(p, as_of), f.rhythm_half_life_days), p) for p in latest_in_week.values()]


def _engagement(snap: Snapshot, f: Formula) -> tuple[Component, Component]:
    posts = engaged_posts(snap, f)
    resonance_kinds = frozenset(f.weights) - f.conversation
    max_total = f.max_points["engagement"]
    raw = [interactions(p.metrics, f) for p in posts]
    conv = [interactions(p.metrics, f, f.conversation) for p in posts]
    weights = [decay(age_days(p, snap.as_of), f.post_half_life_days) for p in posts]
    conv_points, res_points, conv_amounts, res_amounts = engagement_kernel(raw, conv, weights, f)
    return (
        _component(
            "conversation",
            conv_points,
            max_total,
            list(zip(conv_amounts, posts, strict=True)),
            lambda p: _describe(p.metrics, f.conversation),
        ),
        _component(
            "resonance",
            res_points,
            max_total,
            list(zip(res_amounts, posts, strict=True)),
            lambda p: _describe(p.metrics, resonance_kinds),
        ),
    )


def _reach(snap: Snapshot, f: Formula) -> Component:
    """Followers per source and (v2) readers per post, each with its share of the audience."""
    read = [p for p in snap.posts if p.metrics.get("views")] if f.readers_per_follower > 0 else []
    views = [(decay(age_days(p, snap.as_of), f.post_half_life_days) * p.metrics["views"], p) for p in read]
    weighted = math.fsum(v for v, _ in views)
    total = audience(snap.followers, weighted, f)
    items = [(float(n), f"source:{src}", src, plural(n, "follower")) for src, n in snap.followers.items() if n]
    if weighted > 0:
        per_view = readers(1.0, f) / f.readers_per_follower
        items += [(v * per_view, p.key, p.title, counted(p.metrics["views"], "views")) for v, p in views if v > 0]
    posts = {p.key: p for p in snap.posts}
    top = heapq.nsmallest(EVIDENCE_LIMIT, items, key=lambda t: (-t[0], t[1])) if total > 0 else []
    evidence = tuple(
        Evidence(key, title, posts[key].url if key in posts else "", posts[key].path if key in posts else "", n / total, detail)
        for n, key, title, detail in top
    )
    shares = {key: n / total for n, key, _, _ in items} if total > 0 else {}
    return Component("reach", reach_points(total, f), f.max_points["reach"], evidence, shares)


def _rhythm(snap: Snapshot, f: Formula) -> Component:
    items = _active_weeks(snap.posts, snap.as_of, f)
    active = math.fsum(a for a, _ in items)
    return _component("rhythm", rhythm_points(active, f), f.max_points["rhythm"], items, _week_label)


Memo = dict[str, dict[int, tuple[PostView, float, float, tuple[int, int], float]]]


def points(snap: Snapshot, formula: Formula | None = None, memo: Memo | None = None) -> tuple[float, dict[str, float]]:
    """(unrounded score, points per component) without the evidence: the history's fast path.

    Same numbers as :func:`compute` (the same kernels and arithmetic, in the same order).
    ``memo`` keeps per-post values between dates when post views are reused (``LedgerIndex``).
    """
    f = formula or F.CURRENT
    cache = ({} if memo is None else memo).setdefault(f.id, {})
    end = dt.datetime(snap.as_of.year, snap.as_of.month, snap.as_of.day, tzinfo=dt.timezone.utc).timestamp() + 86400.0
    known = []
    for p in snap.posts:
        found = cache.get(id(p))
        if found is None or found[0] is not p:
            found = cache[id(p)] = (
                p,
                interactions(p.metrics, f),
                interactions(p.metrics, f, f.conversation),
                _week(p),
                p.published.timestamp(),
            )
        known.append(found)
    if f.whole_source_measured:
        sources = watched(snap.posts)
        measured = [k for k in known if k[0].source in sources]
    else:
        measured = [k for k in known if k[0].measured]
    weights = [decay(max(0.0, (end - k[4]) / 86400.0), f.post_half_life_days) for k in measured]
    conv_points, res_points, _, _ = engagement_kernel([k[1] for k in measured], [k[2] for k in measured], weights, f)
    latest_in_week = {k[3]: k[4] for k in known}  # sorted by date: the last one of a week wins
    active = math.fsum(decay(max(0.0, (end - ts) / 86400.0), f.rhythm_half_life_days) for ts in latest_in_week.values())
    views = 0.0
    if f.readers_per_follower > 0:
        views = math.fsum(
            decay(max(0.0, (end - k[4]) / 86400.0), f.post_half_life_days) * k[0].metrics.get("views", 0) for k in known
        )
    parts = {
        "conversation": conv_points,
        "resonance": res_points,
        "reach": reach_points(audience(snap.followers, views, f), f),
        "rhythm": rhythm_points(active, f),
        "base": f.max_points["base"],
    }
    return math.fsum(parts.values()), parts


def compute(snap: Snapshot, formula: Formula | None = None) -> Score:
    """The score of ``snap`` under ``formula`` (default: the current one); the parts sum to ``value``."""
    formula = formula or F.CURRENT
    conversation, resonance = _engagement(snap, formula)
    parts = (
        conversation,
        resonance,
        _reach(snap, formula),
        _rhythm(snap, formula),
        Component("base", formula.max_points["base"], formula.max_points["base"], ()),
    )
    value = math.fsum(c.points for c in parts)
    return Score(formula.id, value, parts)
