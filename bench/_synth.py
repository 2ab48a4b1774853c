"""Deterministic synthetic blogs and ledgers for the benchmarks (fixed seeds)."""

from __future__ import annotations

import datetime as dt
import random

from mkdocs_influence import ledger as L
from mkdocs_influence.activity import Activity, Audience, Post

WORDS = (
    "wool dye madder weld indigo socks heel yarn skein mordant alum iron walnut onion garden knit colour python docker "
    "static site generator markdown theme plugin build deploy feed mastodon bluesky badge score history chart"
).split()


def posts(n: int, years: float, seed: int = 7, start: dt.date = dt.date(2016, 1, 1)) -> list[Post]:
    rng = random.Random(seed)
    span = years * 365.25 * 86400
    out = []
    for i in range(n):
        when = dt.datetime.combine(start, dt.time(), dt.timezone.utc) + dt.timedelta(seconds=span * i / n)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 400)))
        metrics = {"replies": rng.randint(0, 12), "reposts": rng.randint(0, 8), "likes": rng.randint(0, 60)}
        out.append(
            Post(
                "mastodon",
                f"{seed}-{i}",
                f"Post {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                when,
                url=f"https://social.example/@me/{i}",
                tags=(rng.choice(WORDS[:12]),),
                text=text,
                metrics=metrics,
            )
        )
    return out


def ledger(n: int, years: float, observations: int = 4, seed: int = 7) -> L.Ledger:
    """A ledger of ``n`` posts over ``years``, observed ``observations`` times (counts growing)."""
    all_posts = posts(n, years, seed)
    end = all_posts[-1].published.date() + dt.timedelta(days=1)
    led = L.Ledger()
    for k in range(observations):
        day = end + dt.timedelta(days=7 * k)
        grown = [Post(**{**p.__dict__, "metrics": {m: v + k for m, v in p.metrics.items()}}) for p in all_posts]
        led = L.observe(led, "mastodon", Activity(tuple(grown), (Audience("mastodon", day, 1000 + 50 * k),)), day, complete=False)
    return led
