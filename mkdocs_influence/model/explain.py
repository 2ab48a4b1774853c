"""Why the score moved between two dates: per component, the posts or sources that moved it.

Plain words, signed numbers, no alarm: a drop is reported exactly like a rise, with its
reasons ("+2.1 conversation: 'Dyeing with onion skins' got 14 more replies").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..wording import counted, plural
from . import formula as F
from .formula import Formula

if TYPE_CHECKING:  # the history page imports the wording below at build time: no ledger/score import for it
    from ..store.ledger import Ledger, LedgerIndex, PostView, Snapshot
    from .score import Score

MOVERS = 3
NOISE = 0.05  # changes smaller than this many points are not worth a line


def _changes(before: Mapping[str, int], after: Mapping[str, int], kinds: frozenset[str]) -> str:
    parts = []
    for kind in sorted((set(before) | set(after)) & kinds):
        diff = after.get(kind, 0) - before.get(kind, 0)
        if diff:
            parts.append(counted(diff, kind).replace(" ", " more ", 1) if diff > 0 and kind in before else counted(diff, kind))
    return ", ".join(parts)


def _title(post: PostView) -> str:
    return f"'{post.title[:57]}…'" if len(post.title) > 60 else f"'{post.title}'"


def _reason(
    component: str, key: str, old: PostView | None, new: PostView | None, ends: tuple[Snapshot, Snapshot], f: Formula
) -> str:
    start, end = ends
    if key.startswith("source:"):
        src = key.split(":", 1)[1]
        return f"{src} followers {start.followers.get(src, 0)} → {end.followers.get(src, 0)}"
    post = new or old
    assert post is not None
    if new is None:
        return f"{_title(post)} is no longer listed"
    was, now = (old.metrics if old else {}).get("views", 0), new.metrics.get("views", 0)
    if component == "reach" and was != now:  # v2: readers, from the views an analytics source counts per post
        return f"{_title(post)} views {was} → {now}"
    if component == "rhythm":
        return f"{_title(post)} is a new week of writing" if old is None else f"the week of {_title(post)} is further back"
    kinds = f.conversation if component == "conversation" else frozenset(f.weights) - f.conversation
    kinds = frozenset() if component == "reach" else kinds
    changed = _changes(old.metrics if old else {}, new.metrics, kinds)
    if old is None:
        return f"{_title(post)} is new" + (f" with {changed}" if changed else "")
    if changed:
        return f"{_title(post)} got {changed}"
    return f"{_title(post)} is unchanged; its weight shifts with age and with the other posts"


def explain(
    ledger: Ledger | LedgerIndex,
    start: dt.date,
    end: dt.date,
    formula: Formula | None = None,
    scored: dict[dt.date, tuple[Snapshot, Score]] | None = None,
) -> dict[str, Any]:
    """What changed from ``start`` to ``end``, as plain data (see :func:`to_text`).

    ``scored`` keeps snapshots and scores by date (under ``formula``) between calls, so
    several windows ending on one date evaluate that date once.
    """
    from ..store.ledger import LedgerIndex
    from .score import compute

    formula = formula or F.CURRENT
    index = ledger if isinstance(ledger, LedgerIndex) else LedgerIndex(ledger)
    scored = {} if scored is None else scored
    for day in (start, end):
        if day not in scored:
            snap = index.snapshot(day)
            scored[day] = (snap, compute(snap, formula))
    (a, sa), (b, sb) = scored[start], scored[end]
    before = {p.key: p for p in a.posts}
    after = {p.key: p for p in b.posts}
    components = []
    for ca, cb in zip(sa.components, sb.components, strict=True):
        delta = cb.points - ca.points
        keys = set(ca.shares) | set(cb.shares)
        moves = sorted(((cb.contribution(k) - ca.contribution(k), k) for k in keys), key=lambda t: (-abs(t[0]), t[1]))
        shown = [(d, k) for d, k in moves[:MOVERS] if abs(d) >= NOISE]
        movers = [
            {"key": k, "delta": d, "reason": _reason(ca.name, k, before.get(k), after.get(k), (a, b), formula)} for d, k in shown
        ]
        change = _one(_one(cb.points) - _one(ca.points))
        # what the movers leave of the change as shown, so that the line adds up
        more = {
            "count": sum(1 for d, _ in moves if d) - len(shown),
            "change": _one(change - math.fsum(_one(d) for d, _ in shown)),
        }
        components.append(
            {
                "name": ca.name,
                "from": ca.points,
                "to": cb.points,
                "delta": delta,
                "change": change,
                "movers": movers,
                "more": more,
            }
        )
    components.sort(key=lambda c: (-abs(c["delta"]), c["name"]))
    change = _one(_one(sb.value) - _one(sa.value))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "formula": formula.id,
        "score_from": sa.rounded,
        "score_to": sb.rounded,
        "value_from": sa.value,
        "value_to": sb.value,
        "change": change,
        #: what the listed components leave of the change (changes under NOISE, rounding)
        "other": _one(change - math.fsum(c["change"] for c in components if abs(c["change"]) >= NOISE)),
        "new_posts": sorted(set(after) - set(before)),
        "components": components,
    }


def _one(x: float) -> float:
    """A value as shown, to one decimal. Every "change" in the data is a difference between
    shown values, so the ends and their difference agree, each component's movers plus
    "and N more" add up to its change, and the components plus "other" to the score's."""
    return round(x, 1) + 0.0  # + 0.0: no "-0.0"


def rest_words(comp: Mapping[str, Any]) -> str:
    """What a component's named movers leave of its change, in words: ``and 3 more``,
    ``and rounding``; with no mover named, ``66 small changes`` (each under :data:`NOISE`) or ``rounding``."""
    count = comp["more"]["count"]
    if comp["movers"]:
        return f"and {count} more" if count else "and rounding"
    return plural(count, "small change") if count else "rounding"


def component_parts(comp: Mapping[str, Any]) -> list[str]:
    """A component's line after its change: each named mover with its points, then what they
    leave (:func:`rest_words`). One wording for ``influence explain`` and the history page."""
    parts = [f"{m['reason']} ({m['delta']:+.1f})" for m in comp["movers"]]
    rest = comp["more"]["change"]
    if abs(rest) >= NOISE or not parts:
        parts.append(f"{rest_words(comp)} ({rest:+.1f})")
    return parts


def why_lines(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The lines under the score's, as (head, text): ``("+2.1 conversation", "'Dyeing…' got 14
    more replies (+2.1)")``, then ``other``; ``("", "Nothing moved …")`` when nothing did.
    ``influence explain`` and the history page both print these, so they say the same."""
    out = [
        (f"{c['change']:+.1f} {c['name']}", "; ".join(component_parts(c)))
        for c in data["components"]
        if abs(c["change"]) >= NOISE
    ]
    if abs(data["other"]) >= NOISE:
        out.append((f"{data['other']:+.1f} other", f"changes under {NOISE} point and rounding"))
    return out or [("", "Nothing moved by more than a twentieth of a point.")]


def to_text(data: Mapping[str, Any]) -> str:
    """The explanation as lines a person reads (numbers to one decimal; see :func:`_one`)."""
    period = f"from {data['from']} to {data['to']}, formula {data['formula']}"
    ends = f"{data['value_from']:.1f} → {data['value_to']:.1f}, {data['change']:+.1f}"
    lines = [f"Score {data['score_from']} → {data['score_to']} ({ends}) {period}."]
    lines += [f"{head}: {text}" if head else text for head, text in why_lines(data)]
    if data["new_posts"]:
        lines.append(f"{plural(len(data['new_posts']), 'new post')} in this period.")
    return "\n".join(lines) + "\n"
