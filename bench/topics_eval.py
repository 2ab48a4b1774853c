"""Evaluate topic extraction on a real blog with its author's tags (see docs/topics.md).

    python bench/topics_eval.py ../shared/eval/ngeor.tags.json ../shared/eval/ngeor.gold.json [--with-tags]

Hides the tags (unless --with-tags), runs the real pipeline (activity → ledger → topics)
and reports how many of the top-5 and top-10 topics match the author's top-10 tags
(case-folded; singular/plural and substring matches count), any stopword in the top 10,
and the speed in posts per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_influence.model.topics import TopicSettings, extract
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import parse_activity
from mkdocs_influence.terms.text import STOPWORDS, topic_key


def matches(topic: str, gold: list[str]) -> bool:
    t = topic_key(topic)
    for g in gold:
        k = topic_key(g)
        if t and k and (t == k or t in k or k in t):
            return True
    return False


def evaluate(corpus: Path, gold_path: Path, with_tags: bool) -> dict:
    data = json.loads(corpus.read_text())
    for i, post in enumerate(data["posts"]):
        post["id"] = f"{i}:{post['id']}"  # the corpora repeat a few ids
        if not with_tags:
            post["tags"] = []
    gold = json.loads(gold_path.read_text())["top10"]
    started = time.perf_counter()
    activity = parse_activity(data, corpus.name)
    as_of = max(p.published for p in activity.posts).date() + dt.timedelta(days=1)
    ledger = L.observe(L.Ledger(), "file", activity, as_of, complete=False)
    topics = extract(L.snapshot(ledger, as_of), TopicSettings(max=10))
    elapsed = time.perf_counter() - started
    names = [t.name for t in topics]
    stop = set().union(*STOPWORDS.values())
    return {
        "corpus": corpus.stem,
        "with_tags": with_tags,
        "posts": len(activity.posts),
        "top10": names,
        "gold": gold,
        "hits_top5": sum(matches(n, gold) for n in names[:5]),
        "hits_top10": sum(matches(n, gold) for n in names[:10]),
        "stopwords_in_top10": [n for n in names if n.casefold() in stop],
        "posts_per_second": round(len(activity.posts) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--with-tags", action="store_true")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.corpus, args.gold, args.with_tags), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
