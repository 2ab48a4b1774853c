"""Deterministic synthetic blogs and ledgers for the benchmarks (fixed seeds)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from functools import lru_cache
from pathlib import Path

from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Post

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


@lru_cache(maxsize=1)
def _zipf_words() -> tuple[list[str], list[float]]:
    words, weights = [], []
    table = Path(__file__).resolve().parent.parent / "mkdocs_influence" / "terms" / "data" / "zipf-en.tsv"
    for line in table.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, zipf = line.partition("\t")
            words.append(word)
            weights.append(10 ** float(zipf))
    return words, weights


def prose(n: int, seed: int = 21) -> list[dict]:
    """``n`` posts of prose-like text: words drawn from the shipped English frequency table,
    weighted by frequency (so "the" is common and "madder" rare), two subject words per post
    woven in, sentences and paragraphs; title and tags name the subjects."""
    rng = random.Random(seed)
    words, weights = _zipf_words()
    cumulative = list(itertools.accumulate(weights))  # once: choices() would sum 40,000 weights per call
    subjects = "wool madder weld indigo docker kubernetes python tidyverse ggplot2 maven teamcity mastodon".split()
    posts = []
    for i in range(n):
        topic = rng.sample(subjects, 2)
        paragraphs = []
        for _ in range(rng.randint(3, 9)):  # ~80 words a paragraph: 160-720 words a post
            sentences = []
            for _ in range(rng.randint(2, 6)):
                said = rng.choices(words, cum_weights=cumulative, k=rng.randint(8, 25))
                if rng.random() < 0.5:
                    said[rng.randrange(len(said))] = rng.choice(topic)
                sentences.append(" ".join(said).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        posts.append({"title": f"{topic[0].title()} and {topic[1]}, part {i}", "tags": topic, "text": "\n\n".join(paragraphs)})
    return posts


def corpus(path: Path, n: int) -> list[dict]:
    """``n`` posts cycled from an activity file of real posts (each copy made distinct by a numbered sentence)."""
    real = json.loads(path.read_text("utf-8"))["posts"]
    out = []
    for i in range(n):
        src = real[i % len(real)]
        text = f"{src.get('text', '')}\n\nCopy number {i} of this post."
        out.append({"title": src.get("title") or f"Post {i}", "tags": list(src.get("tags") or [])[:6], "text": text})
    return out
