"""The weekly history's score, kept up to date from one date to the next.

:func:`.score.points` looks at every post for every date: O(weeks × posts), 10 M post
evaluations for 20,000 posts over ten years. Here the same formula is maintained from
the posts that changed between two dates (:meth:`.ledger.LedgerIndex.steps`), so a date
costs O(changes × log posts):

- Decay is separable: ``0.5 ** ((end - t) / h) == 2 ** ((t - t0) / h) * 2 ** (-(end - t0) / h)``.
  Each post keeps the first factor; the second is common to all posts of a date and
  cancels out of the engagement average's ratio.
- The outlier cap depends on the median, so per-post sums are kept in Fenwick trees
  ordered by engagement: the median is an order statistic and "posts below the cap" a
  prefix sum; every post at or above the cap counts ``log2(1 + cap)``.
- Rhythm keeps each ISO week's latest post.
- v2's best post is a range maximum over the same engagement order (:class:`_Best`):
  below its cap the largest ``B·g``, above it the largest ``B`` times the capped log.
- v2's readers are one running sum of ``B · views`` (the same decay as posts).

Sums are kept incrementally, so the numbers agree with :func:`.score.points` to about
1e-12, not bit for bit; the history's row for the as-of date is computed exactly (it is
the headline score). Property-tested against :func:`.score.points` on random ledgers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Mapping

from ..store.ledger import PostView
from .formula import Formula
from .score import audience, interactions, reach_points, rhythm_points, split_engagement

DAY = 86400.0
#: Doublings that the separable decay factors may span before they would lose range;
#: beyond it (centuries of history) callers fall back to :func:`.score.points`.
MAX_DOUBLINGS = 900.0


class _Sums:
    """Five Fenwick trees over the same slots, updated together (one loop, not five):
    post count, B, B·g, B·g·share and B·share, where B is a post's decay factor, g its
    ``log2(1 + e)`` and share the conversation part of its interactions."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.count = [0] * (size + 1)
        self.weight = [0.0] * (size + 1)
        self.weight_log = [0.0] * (size + 1)
        self.weight_log_conv = [0.0] * (size + 1)
        self.weight_conv = [0.0] * (size + 1)

    def add(self, slot: int, count: int, b: float, g: float, share: float) -> None:
        bg = b * g
        bgs, bs = bg * share, b * share
        count_, weight, weight_log, weight_log_conv, weight_conv = (
            self.count,
            self.weight,
            self.weight_log,
            self.weight_log_conv,
            self.weight_conv,
        )
        i, size = slot + 1, self.size
        while i <= size:
            count_[i] += count
            weight[i] += b
            weight_log[i] += bg
            weight_log_conv[i] += bgs
            weight_conv[i] += bs
            i += i & -i

    @staticmethod
    def prefix(tree: list[float], slots: int) -> float:
        """Sum of the first ``slots`` slots of one tree."""
        total = 0.0
        while slots > 0:
            total += tree[slots]
            slots -= slots & -slots
        return total

    def nth(self, k: int) -> int:
        """The slot of the ``k``-th post (1-based) in slot order."""
        pos, step = 0, 1 << self.size.bit_length()
        count = self.count
        while step:
            nxt = pos + step
            if nxt <= self.size and count[nxt] < k:
                pos = nxt
                k -= count[nxt]
            step >>= 1
        return pos


_NONE = (-1.0, 0.0)


class _Best:
    """For v2's best post: per slot (engagement level) the posts' (B, share), and two
    max-segment trees over the slots: the slot's largest (B, share) and (B·g, share)."""

    def __init__(self, logs: list[float]) -> None:
        self.size = len(logs)
        self.logs = logs
        self.slots: list[list[tuple[float, float]]] = [[] for _ in logs]
        self.top_b = [_NONE] * (2 * self.size)
        self.top_bg = [_NONE] * (2 * self.size)

    def add(self, slot: int, b: float, share: float, sign: int) -> None:
        items = self.slots[slot]
        if sign > 0:
            bisect.insort(items, (b, share))
        else:
            del items[bisect.bisect_left(items, (b, share))]
        top = items[-1] if items else _NONE
        i = slot + self.size
        self.top_b[i] = top
        self.top_bg[i] = (top[0] * self.logs[slot], top[1]) if items else _NONE
        i //= 2
        while i:
            self.top_b[i] = max(self.top_b[2 * i], self.top_b[2 * i + 1])
            self.top_bg[i] = max(self.top_bg[2 * i], self.top_bg[2 * i + 1])
            i //= 2

    def _max(self, tree: list[tuple[float, float]], lo: int, hi: int) -> tuple[float, float]:
        best = _NONE
        lo, hi = lo + self.size, hi + self.size
        while lo < hi:
            if lo & 1:
                best = max(best, tree[lo])
                lo += 1
            if hi & 1:
                hi -= 1
                best = max(best, tree[hi])
            lo //= 2
            hi //= 2
        return best

    def best(self, below: int, capped_log: float) -> tuple[float, float]:
        """(largest B · log2(1 + min(e, cap)), its share) with ``below`` slots under the cap."""
        under = self._max(self.top_bg, 0, below)
        over = self._max(self.top_b, below, self.size)
        over = (over[0] * capped_log, over[1]) if over != _NONE else _NONE
        return max(under, over)


class RollingScore:
    """:func:`.score.points` for ascending dates, fed with the posts that changed.

    ``views`` are all the post views that will be fed (the Fenwick trees are indexed by
    their interaction values); ``t0`` is a timestamp at or before every publication.
    """

    def __init__(self, f: Formula, views: Iterable[PostView], t0: float) -> None:
        self.f = f
        self.t0 = t0
        self.post_scale = DAY * f.post_half_life_days
        self.week_scale = DAY * f.rhythm_half_life_days
        measured = [(v, interactions(v.metrics, f)) for v in views if v.measured or f.whole_source_measured]
        self.levels = sorted({e for _, e in measured})
        self.sums = _Sums(len(self.levels))
        # per measured view: slot, decay factor B, log2(1 + e), conversation share
        self.known: dict[int, tuple[int, float, float, float]] = {}
        for v, e in measured:
            share = interactions(v.metrics, f, f.conversation) / e if e > 0 else 0.0
            b = 2.0 ** ((v.published.timestamp() - t0) / self.post_scale)
            self.known[id(v)] = (bisect.bisect_left(self.levels, e), b, math.log2(1.0 + e), share)
        self.best = _Best([math.log2(1.0 + e) for e in self.levels]) if f.best_post_share > 0 else None
        self.view_mass = 0.0  # sum of B · views over the posts fed (v2's readers)
        self.measured = 0
        # v2 (whole_source_measured): per source, its visible posts, how many are measured, and
        # whether they are in the sums (all of them, as soon as one is measured)
        self.members: dict[str, dict[int, PostView]] = {}
        self.measured_in: dict[str, int] = {}
        self.watched: dict[str, bool] = {}
        self.weeks: dict[tuple[int, int], list[float]] = {}  # ISO week -> sorted publication times
        self.week_mass = 0.0  # sum over weeks of 2 ** ((latest - t0) / rhythm half-life)

    def update(self, before: PostView | None, after: PostView | None) -> None:
        """Replace ``before`` (None: nothing) by ``after`` (None: taken away)."""
        same_week = before is not None and after is not None and before.published == after.published
        for post, sign in ((before, -1), (after, +1)):
            if post is not None:
                if self.f.whole_source_measured:
                    self._member(post, sign)
                elif post.measured:
                    self._engaged(post, sign)
                if self.f.readers_per_follower > 0 and post.metrics.get("views"):
                    b = 2.0 ** ((post.published.timestamp() - self.t0) / self.post_scale)
                    self.view_mass += sign * b * post.metrics["views"]
                if not same_week:  # counts changed, the post stayed where it was
                    self._week(post, sign)
        if self.f.whole_source_measured:  # after both halves: a post whose counts change stays watched
            for src in {p.source for p in (before, after) if p is not None}:
                self._sync(src)

    def _member(self, post: PostView, sign: int) -> None:
        members = self.members.setdefault(post.source, {})
        if sign > 0:
            members[id(post)] = post
        else:
            del members[id(post)]
        if self.watched.get(post.source):
            self._engaged(post, sign)
        if post.measured:
            self.measured_in[post.source] = self.measured_in.get(post.source, 0) + sign

    def _sync(self, src: str) -> None:
        """All of ``src``'s posts in the sums while one of them is measured, none otherwise."""
        want = self.measured_in.get(src, 0) > 0
        if want != self.watched.get(src, False):
            self.watched[src] = want
            for post in self.members.get(src, {}).values():
                self._engaged(post, 1 if want else -1)

    def _engaged(self, post: PostView, sign: int) -> None:
        slot, b, g, share = self.known[id(post)]  # the views given to __init__ are alive: ids are theirs
        self.sums.add(slot, sign, sign * b, g, share)
        if self.best is not None:
            self.best.add(slot, b, share, sign)
        self.measured += sign

    def _week(self, post: PostView, sign: int) -> None:
        ts = post.published.timestamp()
        iso = post.published.isocalendar()
        times = self.weeks.setdefault((iso.year, iso.week), [])
        latest = times[-1] if times else None
        if sign > 0:
            bisect.insort(times, ts)
        else:
            del times[bisect.bisect_left(times, ts)]
        now = times[-1] if times else None
        if now != latest:
            if latest is not None:
                self.week_mass -= 2.0 ** ((latest - self.t0) / self.week_scale)
            if now is not None:
                self.week_mass += 2.0 ** ((now - self.t0) / self.week_scale)

    def _level(self, nth: int) -> float:
        return self.levels[self.sums.nth(nth)]

    def _engagement(self, end: float) -> tuple[float, float]:
        f, n, sums = self.f, self.measured, self.sums
        if n <= 0:
            return 0.0, 0.0
        mid = self._level(n // 2 + 1) if n % 2 else (self._level(n // 2) + self._level(n // 2 + 1)) / 2
        cap = max(f.outlier_multiple * mid, f.outlier_floor)
        below = bisect.bisect_left(self.levels, cap)  # slots of posts under the cap
        capped_log = math.log2(1.0 + cap)
        size, prefix = sums.size, sums.prefix
        all_weight = prefix(sums.weight, size)
        mass = prefix(sums.weight_log, below) + capped_log * (all_weight - prefix(sums.weight, below))
        conv_mass = prefix(sums.weight_log_conv, below) + capped_log * (
            prefix(sums.weight_conv, size) - prefix(sums.weight_conv, below)
        )
        scale = 2.0 ** (-(end - self.t0) / self.post_scale)
        if self.best is not None:
            return self._with_best(scale, mid, mass, conv_mass, all_weight)
        return split_engagement(scale * mass / (scale * all_weight + f.prior_posts), conv_mass, mass - conv_mass, f)

    def _with_best(self, scale: float, mid: float, mass: float, conv_mass: float, all_weight: float) -> tuple[float, float]:
        """v2: :func:`.score._engagement_with_best` on the running sums."""
        f, best = self.f, self.best
        assert best is not None
        share = f.best_post_share
        cap = max(f.best_post_multiple * mid, f.outlier_floor)
        top, top_share = best.best(bisect.bisect_left(self.levels, cap), math.log2(1.0 + cap))
        top = scale * top if top > 0 else 0.0
        mean = (1.0 - share) * scale / (scale * all_weight + f.prior_posts)
        conv = mean * conv_mass + share * top * top_share
        level = mean * mass + share * top
        return split_engagement(level, conv, level - conv, f)

    def points(self, as_of: dt.date, followers: Mapping[str, int]) -> tuple[float, dict[str, float]]:
        """(unrounded score, points per component) of the posts fed so far, on ``as_of``."""
        f = self.f
        end = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc).timestamp() + DAY
        conv_points, res_points = self._engagement(end)
        active = max(0.0, self.week_mass) * 2.0 ** (-(end - self.t0) / self.week_scale)
        parts = {
            "conversation": conv_points,
            "resonance": res_points,
            "reach": reach_points(audience(followers, self.view_mass * 2.0 ** (-(end - self.t0) / self.post_scale), f), f),
            "rhythm": rhythm_points(active, f),
            "base": f.max_points["base"],
        }
        return math.fsum(parts.values()), parts


def fits(f: Formula, t0: float, until: dt.date) -> bool:
    """Whether the decay factors from ``t0`` to ``until`` stay well inside float range."""
    end = dt.datetime(until.year, until.month, until.day, tzinfo=dt.timezone.utc).timestamp() + DAY
    shortest = min(f.post_half_life_days, f.rhythm_half_life_days) * DAY
    return (end - t0) / shortest <= MAX_DOUBLINGS
