"""The influence score: a pure function of a ledger snapshot and a formula.

score = base + conversation + resonance + reach + rhythm (each bounded; at most 100).

- *Engagement* (conversation + resonance, up to 64 points) is a typical post's
  interactions, not their total: a recency-weighted mean over posts of
  ``log2(1 + weighted interactions)``, with each post capped at a multiple of the median
  and two imaginary silent posts in the mean. Posting more without being answered
  lowers the mean; one viral post moves it a little.
- *Reach* (up to 15) grows with the log of followers over all configured sources.
- *Rhythm* (up to 20) counts weeks with at least one post, each fading with a
  one-year half-life: regular writing counts, volume inside a week does not.

Decay is smooth (no window edges), so a week off barely moves anything. Every point
is attributed to named posts or sources (``evidence``). See ``docs/score.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import median

from . import formula as F
from .formula import Formula
from .ledger import PostView, Snapshot

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
    end = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
    return max(0.0, (end - post.published).total_seconds() / 86400.0)


def interactions(metrics: Mapping[str, int], formula: Formula, only: frozenset[str] | None = None) -> float:
    """Weighted interactions of one post (optionally only some kinds of count)."""
    return sum(formula.weights[m] * n for m, n in metrics.items() if only is None or m in only)


def _component(name: str, points: float, max_points: float, items: list[tuple[float, PostView, str]]) -> Component:
    """A component whose points are shared among ``items`` (amount, post, detail) by amount."""
    total = math.fsum(a for a, _, _ in items)
    if total <= 0:
        return Component(name, points, max_points, ())
    ranked = sorted(items, key=lambda t: (-t[0], t[1].key))
    evidence = tuple(
        Evidence(p.key, p.title, p.url, p.path, amount / total, detail)
        for amount, p, detail in ranked[:EVIDENCE_LIMIT]
        if amount > 0
    )
    shares = {p.key: amount / total for amount, p, _ in ranked if amount > 0}
    return Component(name, points, max_points, evidence, shares)


def _describe(metrics: Mapping[str, int], kinds: frozenset[str] | None = None) -> str:
    parts = [f"{n} {m}" for m, n in sorted(metrics.items()) if n and (kinds is None or m in kinds)]
    return ", ".join(parts)


def engaged_posts(snap: Snapshot) -> tuple[PostView, ...]:
    """Posts whose source reports interactions.

    A source that cannot see interactions (this site's own files, a plain feed) says
    nothing about engagement, so its posts count for rhythm but do not dilute the
    average. Decided by the source, never by the counts, so the score stays monotonic.
    """
    return tuple(p for p in snap.posts if p.measured)


def _engagement(snap: Snapshot, f: Formula) -> tuple[Component, Component]:
    posts = engaged_posts(snap)
    resonance_kinds = frozenset(f.weights) - f.conversation
    max_total = f.max_points["engagement"]
    if not posts:
        return Component("conversation", 0.0, max_total, ()), Component("resonance", 0.0, max_total, ())
    raw = [interactions(p.metrics, f) for p in posts]
    cap = max(f.outlier_multiple * median(raw), f.outlier_floor)
    weights = [0.5 ** (age_days(p, snap.as_of) / f.post_half_life_days) for p in posts]
    logs = [math.log2(1.0 + min(e, cap)) for e in raw]
    level = sum(w * g for w, g in zip(weights, logs, strict=True)) / (sum(weights) + f.prior_posts)
    b, c = f.engagement_steepness, f.engagement_half_level
    total = f.max_points["engagement"] * level**b / (level**b + c**b) if level > 0 else 0.0
    conv_items: list[tuple[float, PostView, str]] = []
    res_items: list[tuple[float, PostView, str]] = []
    for post, w, g, e in zip(posts, weights, logs, raw, strict=True):
        if e <= 0:
            continue
        conv_share = interactions(post.metrics, f, f.conversation) / e
        conv_items.append((w * g * conv_share, post, _describe(post.metrics, f.conversation)))
        res_items.append((w * g * (1 - conv_share), post, _describe(post.metrics, resonance_kinds)))
    conv_mass = math.fsum(a for a, _, _ in conv_items)
    res_mass = math.fsum(a for a, _, _ in res_items)
    mass = conv_mass + res_mass
    conv_points = total * conv_mass / mass if mass > 0 else 0.0
    res_points = max(0.0, total - conv_points)
    return (
        _component("conversation", conv_points, max_total, conv_items),
        _component("resonance", res_points, max_total, res_items),
    )


def _reach(snap: Snapshot, f: Formula) -> Component:
    total = sum(snap.followers.values())
    full = math.log10(1.0 + f.reach_full_followers)
    points = f.max_points["reach"] * min(1.0, math.log10(1.0 + total) / full)
    evidence = tuple(
        Evidence(f"source:{src}", src, "", "", n / total, f"{n} followers")
        for src, n in sorted(snap.followers.items(), key=lambda kv: (-kv[1], kv[0]))
        if total and n
    )
    shares = {e.key: e.share for e in evidence}
    return Component("reach", points, f.max_points["reach"], evidence, shares)


def _rhythm(snap: Snapshot, f: Formula) -> Component:
    latest_in_week: dict[tuple[int, int], PostView] = {}
    for post in snap.posts:  # sorted by date: the last one of a week wins
        iso = post.published.isocalendar()
        latest_in_week[(iso.year, iso.week)] = post
    items = [
        (0.5 ** (age_days(p, snap.as_of) / f.rhythm_half_life_days), p, f"week {wk[0]}-W{wk[1]:02d}")
        for wk, p in latest_in_week.items()
    ]
    active = math.fsum(a for a, _, _ in items)
    points = f.max_points["rhythm"] * active / (active + f.rhythm_half_weeks)
    return _component("rhythm", points, f.max_points["rhythm"], items)


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
