"""When each post's counts were last confirmed, and which posts a run re-reads to keep them fresh.

The social sources re-read their newest posts on every run; older posts are *re-confirmed*
in sweeps: every :data:`CONFIRM_DAYS` days a sweep re-reads every known post, oldest
published first, in batches (Bluesky ``getPosts``, 25 a request; Mastodon
``statuses?id[]=``, 20). The sweep is one small ``state`` line per source in the ledger —
``{"started": day, "upto": "<published>|<id>", "done": bool, "previous": day}`` — not a
date per post, so a blog of 2,000 posts adds one line a month, and a sweep stopped by a
limit resumes from ``upto`` on the next run.

A post's counts were confirmed on the latest of: the day its values last changed (its own
ledger lines), the day the sweep that covered it started (``started`` if its key is at or
before ``upto``, else ``previous``). A new sweep starts as soon as any post's confirmation
is :data:`CONFIRM_DAYS` old, so every count is at most that old after a run. (A sweep that
needs several runs dates all its posts by the day it started: freshness is under-stated,
never over-stated.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..store.ledger import Ledger, latest_posts, state

CONFIRM_DAYS = 30
STATE = "refresh"


#: every count of a source that re-reads its whole history is re-read this often (deletions, edits)
FULL_DAYS = 30


def full_read_due(ledger: Ledger, source: str, as_of: dt.date) -> bool:
    """Whether ``source``'s whole history is due to be read again (its ``full_read`` state is
    :data:`FULL_DAYS` old, or missing)."""
    last = state(ledger, source, "full_read")
    return not isinstance(last, str) or last <= (as_of - dt.timedelta(days=FULL_DAYS)).isoformat()


def refresh_cutoff(as_of: dt.date, days: int) -> dt.datetime:
    """Midnight UTC ``days`` before ``as_of``: posts newer than this are re-read on every run."""
    return dt.datetime.combine(as_of, dt.time(), dt.timezone.utc) - dt.timedelta(days=days)


def _sweep(ledger: Ledger, source: str) -> dict[str, Any]:
    raw = state(ledger, source, STATE)
    return raw if isinstance(raw, dict) else {}


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _keys(ledger: Ledger, source: str) -> list[tuple[str, str]]:
    """(sort key, id) of every post still listed, oldest published first."""
    posts = latest_posts(ledger, source)
    return sorted((f"{rec.data.get('published', '')}|{pid}", pid) for pid, rec in posts.items() if not rec.data.get("removed"))


def confirmed(ledger: Ledger, source: str) -> dict[str, dt.date]:
    """The day each post's counts were last confirmed (see the module docstring)."""
    sweep = _sweep(ledger, source)
    started, previous, upto = _day(sweep.get("started")), _day(sweep.get("previous")), sweep.get("upto")
    changed: dict[str, dt.date] = {}
    for rec in ledger.records:
        if rec.source == source and rec.kind in ("post", "metrics") and not (rec.kind == "metrics" and rec.data.get("via")):
            changed[rec.id] = max(changed.get(rec.id, rec.observed), rec.observed)
    out = {}
    for key, pid in _keys(ledger, source):
        covered = isinstance(upto, str) and key <= upto
        swept = started if covered else previous
        out[pid] = max(d for d in (changed.get(pid), swept, dt.date.min) if d is not None)
    return out


@dataclass(frozen=True)
class Plan:
    """The posts one run re-reads (``ids``, in order) and the sweep state after reading some of them."""

    order: tuple[tuple[str, str], ...]  # (key, id) of the sweep's remaining posts, skipped ones included
    ids: tuple[str, ...]  # the ones to read: ``order`` without the posts this run's walk already read
    started: str
    previous: str | None
    upto: str | None  # where the sweep stood before this run

    def state_after(self, read: int) -> dict[str, Any]:
        """The sweep once the first ``read`` of :attr:`ids` were confirmed (a stopped run resumes there)."""
        upto = self.upto
        if read >= len(self.ids):
            upto = self.order[-1][0] if self.order else upto
        else:
            position = next(i for i, (_, pid) in enumerate(self.order) if pid == self.ids[read])
            upto = self.order[position - 1][0] if position else upto
        return {"started": self.started, "upto": upto, "done": read >= len(self.ids), "previous": self.previous}


def plan(ledger: Ledger, source: str, as_of: dt.date, read_now: set[str]) -> Plan | None:
    """What this run re-reads: the rest of an unfinished sweep, a new sweep when a count is
    :data:`CONFIRM_DAYS` old, or nothing (None)."""
    sweep = _sweep(ledger, source)
    keys = _keys(ledger, source)
    if sweep and not sweep.get("done") and isinstance(sweep.get("started"), str):
        upto = sweep.get("upto") if isinstance(sweep.get("upto"), str) else None
        order = [(k, pid) for k, pid in keys if upto is None or k > upto]
        started, previous = sweep["started"], sweep.get("previous")
    else:
        ages = confirmed(ledger, source)
        if sweep and (not ages or min(ages.values()) > as_of - dt.timedelta(days=CONFIRM_DAYS)):
            return None
        order, upto = keys, None
        started, previous = as_of.isoformat(), sweep.get("started") if isinstance(sweep.get("started"), str) else None
    ids = tuple(pid for _, pid in order if pid not in read_now)
    return Plan(tuple(order), ids, started, previous, upto)


def batches(ids: tuple[str, ...], size: int) -> list[tuple[str, ...]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


async def walk_on(
    walk: Callable[[str | None, Callable[..., bool]], Awaitable[str | None]],
    old: Callable[..., bool],
    to_end: Callable[..., bool],
    resume: str | None,
) -> str | None:
    """Walk a timeline from the newest page until ``old`` posts; then, if a limit stopped an earlier run's walk at
    ``resume``, the rest of that walk (``to_end``). ``walk(start, done)`` returns where a limit stopped it, or None.

    The place the next run resumes from, or None when the walk reached the end: stopped again with an older
    place saved, the older one — the pages between were read before."""
    stopped = await walk(None, old)
    if stopped is None and resume:
        return await walk(resume, to_end)
    if stopped is not None and resume:
        return resume
    return stopped
