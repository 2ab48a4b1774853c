"""The published constants of each score formula, with their id.

Changing any number here without a new id is caught by the golden-report test: a
formula change must be visible (see ``docs/score.md`` and ``influence rescore``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Formula:
    """Every constant the score uses. See ``docs/score.md`` for the meaning of each."""

    id: str
    #: Points of one unit of each count; conversation is worth most.
    weights: Mapping[str, float]
    #: Counts that make up the *conversation* component (the rest is *resonance*).
    conversation: frozenset[str]
    #: Maximum points of each component; they add up to 100.
    max_points: Mapping[str, float]
    #: A post's weight halves every ``post_half_life_days`` (no window edge).
    post_half_life_days: float
    #: Imaginary silent posts every average starts with: a few posts count for less.
    prior_posts: float
    #: One post counts at most ``outlier_multiple`` x the median post's engagement
    #: (and at least ``outlier_floor``), so one viral post stays bounded.
    outlier_multiple: float
    outlier_floor: float
    #: Engagement level (log2 of 1 + weighted interactions per post) at which half of
    #: the engagement points are earned, and the steepness of that curve.
    engagement_half_level: float
    engagement_steepness: float
    #: Followers (all sources together) at which reach is full, on a log scale.
    reach_full_followers: float
    #: Active weeks: each week with a post counts 1, halving every this many days.
    rhythm_half_life_days: float
    #: Active (decayed) weeks at which half of the rhythm points are earned.
    rhythm_half_weeks: float
    extra: Mapping[str, float] = field(default_factory=dict)
    #: Share of the engagement level that is the best post's (recency-weighted) level, so
    #: a post discussed far beyond the usual shows; 0 in v1 (a typical post only).
    best_post_share: float = 0.0
    #: The best post counts at most this multiple of the median post's interactions.
    best_post_multiple: float = 0.0
    #: Readers (views counted per post by an analytics source) count for reach: this many
    #: readers a month weigh like one follower; 0 in v1 (views are ignored).
    readers_per_follower: float = 0.0
    #: Once another source counts answers to some of a source's posts (Hacker News found
    #: one, webmentions another), all that source's posts are in the engagement average:
    #: the rest were looked for and not discussed, a zero rather than unknown. v1: only
    #: the posts that have such counts.
    whole_source_measured: bool = False


V1 = Formula(
    id="v1",
    weights=MappingProxyType(
        {"comments": 4.0, "replies": 4.0, "mentions": 3.0, "quotes": 3.0, "reposts": 2.0, "bookmarks": 2.0, "likes": 1.0}
    ),
    conversation=frozenset({"comments", "replies", "mentions", "quotes"}),
    max_points=MappingProxyType({"base": 1.0, "engagement": 64.0, "reach": 15.0, "rhythm": 20.0}),
    post_half_life_days=365.0,
    prior_posts=2.0,
    outlier_multiple=4.0,
    outlier_floor=8.0,
    engagement_half_level=6.5,
    engagement_steepness=3.0,
    reach_full_followers=100_000.0,
    rhythm_half_life_days=90.0,
    rhythm_half_weeks=2.0,
)


def fingerprint(f: Formula) -> str:
    """A stable text of every constant (sets and mappings sorted): same in every process."""
    fields = {}
    for name, value in vars(f).items():
        if isinstance(value, Mapping):
            value = sorted(value.items())
        elif isinstance(value, (set, frozenset)):
            value = sorted(value)
        fields[name] = value
    return repr(sorted(fields.items()))


V2 = Formula(
    id="v2",
    weights=MappingProxyType(
        {
            "comments": 4.0,
            "replies": 4.0,
            "mentions": 3.0,
            "quotes": 3.0,
            "reposts": 2.0,
            "bookmarks": 2.0,
            "likes": 1.0,
            "points": 1.0,  # an upvote on Hacker News, Lobsters or Reddit: resonance, like a like
        }
    ),
    conversation=frozenset({"comments", "replies", "mentions", "quotes"}),
    max_points=MappingProxyType({"base": 1.0, "engagement": 64.0, "reach": 15.0, "rhythm": 20.0}),
    post_half_life_days=365.0,
    prior_posts=2.0,
    outlier_multiple=4.0,
    outlier_floor=8.0,
    engagement_half_level=5.0,
    engagement_steepness=3.0,
    reach_full_followers=100_000.0,
    rhythm_half_life_days=365.0,
    rhythm_half_weeks=26.0,
    best_post_share=0.06,
    best_post_multiple=32.0,
    readers_per_follower=1.0,
    whole_source_measured=True,
)

CURRENT = V2
FORMULAS: Mapping[str, Formula] = MappingProxyType({f.id: f for f in (V1, V2)})

#: The components a report lists, in order; engagement points are split between
#: conversation and resonance by what kind of interactions earned them.
COMPONENTS = ("conversation", "resonance", "reach", "rhythm", "base")
