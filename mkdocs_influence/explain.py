"""Why the score moved between two dates: per component, the posts or sources that moved it.

Plain words, signed numbers, no alarm: a drop is reported exactly like a rise, with its
reasons ("+2.1 conversation: 'Dyeing with onion skins' got 14 more replies").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import formula as F
from .formula import Formula
from .ledger import Ledger, LedgerIndex, PostView, Snapshot
from .score import Score, compute

MOVERS = 3
NOISE = 0.05  # changes smaller than this many points are not worth a line


def _plural(n: int, word: str) -> str:
    if n == 1 and word.endswith("s"):
        word = word[:-1]
    return f"{n} {word}"


def _changes(before: Mapping[str, int], after: Mapping[str, int], kinds: frozenset[str]) -> str:
    parts = []
    for kind in sorted((set(before) | set(after)) & kinds):
        diff = after.get(kind, 0) - before.get(kind, 0)
        if diff:
            if diff > 0 and kind in before:
                parts.append(f"{diff} more {kind if diff > 1 or not kind.endswith('s') else kind[:-1]}")
            else:
                parts.append(_plural(diff, kind))
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
        movers = [
            {"key": k, "delta": d, "reason": _reason(ca.name, k, before.get(k), after.get(k), (a, b), formula)}
            for d, k in moves[:MOVERS]
            if abs(d) >= NOISE
        ]
        components.append({"name": ca.name, "from": ca.points, "to": cb.points, "delta": delta, "movers": movers})
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


def to_text(data: Mapping[str, Any]) -> str:
    """The explanation as lines a person reads."""
    change = data["value_to"] - data["value_from"]
    period = f"from {data['from']} to {data['to']}, formula {data['formula']}"
    lines = [f"Score {data['score_from']} → {data['score_to']} ({change:+.1f}) {period}."]
    shown = 0
    for comp in data["components"]:
        if abs(comp["delta"]) < NOISE:
            continue
        shown += 1
        reasons = "; ".join(f"{m['reason']} ({m['delta']:+.1f})" for m in comp["movers"]) or "many small changes"
        lines.append(f"{comp['delta']:+.1f} {comp['name']}: {reasons}")
    if not shown:
        lines.append("Nothing moved by more than a twentieth of a point.")
    if data["new_posts"]:
        lines.append(f"{len(data['new_posts'])} new posts in this period.")
    return "\n".join(lines) + "\n"
