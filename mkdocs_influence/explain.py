"""Why the score moved between two dates: per component, the posts or sources that moved it.

Plain words, signed numbers, no alarm: a drop is reported exactly like a rise, with its
reasons ("+2.1 conversation: 'Dyeing with onion skins' got 14 more replies").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from . import formula as F
from .formula import Formula
from .ledger import Ledger, LedgerIndex, PostView, Snapshot
from .score import Score, compute
from .wording import plural

MOVERS = 3
NOISE = 0.05  # changes smaller than this many points are not worth a line


def _count(n: int, kind: str) -> str:
    """A metric's count in words: ``1 reply``, ``3 likes`` (metric names are plurals)."""
    return plural(n, "reply" if kind == "replies" else kind.removesuffix("s"), kind)


def _changes(before: Mapping[str, int], after: Mapping[str, int], kinds: frozenset[str]) -> str:
    parts = []
    for kind in sorted((set(before) | set(after)) & kinds):
        diff = after.get(kind, 0) - before.get(kind, 0)
        if diff:
            parts.append(_count(diff, kind).replace(" ", " more ", 1) if diff > 0 and kind in before else _count(diff, kind))
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
    if component == "rhythm":
        return f"{_title(post)} is a new week of writing" if old is None else f"the week of {_title(post)} is further back"
    kinds = f.conversation if component == "conversation" else frozenset(f.weights) - f.conversation
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
        # the rest, so the movers and "N more" add up to the component's change
        more = {"count": sum(1 for d, _ in moves if d) - len(shown), "delta": delta - math.fsum(d for d, _ in shown)}
        components.append({"name": ca.name, "from": ca.points, "to": cb.points, "delta": delta, "movers": movers, "more": more})
    components.sort(key=lambda c: (-abs(c["delta"]), c["name"]))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "formula": formula.id,
        "score_from": sa.rounded,
        "score_to": sb.rounded,
        "value_from": sa.value,
        "value_to": sb.value,
        "new_posts": sorted(set(after) - set(before)),
        "components": components,
    }


def _one(x: float) -> float:
    """A value as shown, to one decimal (differences are taken between shown values, so they add up)."""
    return round(x, 1) + 0.0  # no "-0.0"


def to_text(data: Mapping[str, Any]) -> str:
    """The explanation as lines a person reads.

    Every number is shown to one decimal and every difference is taken between shown values:
    the ends and their difference agree, each component's movers plus "and N more" add up
    to its change, and the components plus "other changes" add up to the score's.
    """
    start, end = _one(data["value_from"]), _one(data["value_to"])
    period = f"from {data['from']} to {data['to']}, formula {data['formula']}"
    lines = [f"Score {data['score_from']} → {data['score_to']} ({start:.1f} → {end:.1f}, {_one(end - start):+.1f}) {period}."]
    listed = 0.0
    for comp in data["components"]:
        change = _one(_one(comp["to"]) - _one(comp["from"]))
        if abs(change) < NOISE:
            continue
        listed += change
        parts = [f"{m['reason']} ({_one(m['delta']):+.1f})" for m in comp["movers"]]
        rest = _one(change - math.fsum(_one(m["delta"]) for m in comp["movers"]))
        count = comp.get("more", {}).get("count", 0)
        if abs(rest) >= NOISE or not parts:
            small = plural(count, "small change") if count else "small changes"
            what = small if not parts else f"and {count} more" if count else "and rounding"
            parts.append(f"{what} ({rest:+.1f})")
        lines.append(f"{change:+.1f} {comp['name']}: " + "; ".join(parts))
    other = _one(end - start - listed)
    if abs(other) >= NOISE:
        lines.append(f"{other:+.1f} other: changes under {NOISE} point and rounding")
    if len(lines) == 1:
        lines.append("Nothing moved by more than a twentieth of a point.")
    if data["new_posts"]:
        lines.append(f"{plural(len(data['new_posts']), 'new post')} in this period.")
    return "\n".join(lines) + "\n"
