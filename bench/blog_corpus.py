"""Turn a checkout of a real blog into a topic-evaluation corpus, read by the product's own readers.

    python bench/blog_corpus.py SITE OUT --generator hugo [--docs-dir D] [--posts-dir P] [--as-of YYYY-MM-DD]

Reads SITE's posts exactly as ``influence update`` does (the ``blog`` source over
``mkdocs_influence/generators``, configured as a standalone ``influence.yml`` would configure it:
``generator``, ``docs_dir``, ``posts_dir``) and writes ``OUT.tags.json`` (an activity file: title,
published, tags and categories as the reader gives them, text) and ``OUT.gold.json`` (the author's
ten most-used tags, ``top10``, and every tag's post count, ``counts``), the shape of the corpora in
``../shared/eval/`` that ``bench/topics_eval.py`` reads. Tags are counted by the topics' merge key
(case, separators, plurals), shown in their most used spelling; a tag on every post (Eleventy's
collection tag, ``blog-post``) is counted but not in ``top10``. Posts dated after ``--as-of``
(default: today) are left out as the generator would; output is sorted, so the same site and date
give byte-identical files. Nothing is written into SITE (the reader's cache goes to a temporary
folder), and the corpus is evaluation data: keep it out of the project. An MkDocs site is read
without loading its ``mkdocs.yml`` (its plugins need not be installed), so post URLs are file
paths rather than Material's dated ones; topics do not use URLs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs_influence.config import load_standalone
from mkdocs_influence.sources import Context
from mkdocs_influence.sources.blog import BlogSource
from mkdocs_influence.store.activity import post_data
from mkdocs_influence.store.fileio import atomic_write
from mkdocs_influence.terms.text import topic_key


def read_site(site: Path, generator: str, docs_dir: str, posts_dir: str, as_of: dt.date) -> tuple[list[dict], list[str]]:
    """(posts as activity-file entries sorted by date and id, the reader's warnings)."""
    lines = [f"generator: {generator}", f"docs_dir: {json.dumps(str((site / docs_dir).resolve()))}"]
    lines += [f"posts_dir: {json.dumps(posts_dir)}"] if posts_dir else []
    with tempfile.TemporaryDirectory() as tmp:  # the config (and the reader's cache) live outside the site
        config = Path(tmp) / "influence.yml"
        config.write_text("\n".join(lines) + "\n", "utf-8")
        result = BlogSource().collect(Context(load_standalone(config).site, as_of, offline=True))
    posts = []
    for post in sorted(result.activity.posts, key=lambda p: (p.published, p.id)):
        data = post_data(post)
        del data["path"]
        posts.append(data)
    return posts, list(result.warnings)


def gold(posts: list[dict]) -> dict:
    """The author's tags by post count (a tag counts once per post), each in its most used spelling."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for post in posts:
        keys = set()
        for tag in post["tags"]:
            key = topic_key(tag) or tag.casefold()
            keys.add(key)
            spellings.setdefault(key, Counter())[tag] += 1
        counts.update(keys)
    named = [(min(spellings[k].items(), key=lambda s: (-s[1], s[0]))[0], n) for k, n in counts.items()]
    named.sort(key=lambda item: (-item[1], item[0].casefold(), item[0]))
    subjects = [name for name, n in named if n < len(posts)]  # a tag on every post marks a collection
    return {"top10": subjects[:10], "counts": [[name, n] for name, n in named]}


def write(out: Path, posts: list[dict]) -> tuple[Path, Path]:
    corpus, gold_path = out.with_name(out.name + ".tags.json"), out.with_name(out.name + ".gold.json")
    for path, data in ((corpus, {"audience": [], "posts": posts}), (gold_path, gold(posts))):
        atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return corpus, gold_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="the blog's checkout (its root: where hugo.toml, _config.yml… are)")
    parser.add_argument("out", type=Path, help="writes OUT.tags.json and OUT.gold.json")
    parser.add_argument("--generator", required=True, help="mkdocs, hugo, jekyll, eleventy… (as influence.yml's generator:)")
    parser.add_argument("--docs-dir", default=".", help="influence.yml's docs_dir, relative to SITE (MkDocs: docs)")
    parser.add_argument("--posts-dir", default="", help="influence.yml's posts_dir (MkDocs: the blog plugin's post_dir)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today(), help="the run's date (default: today)")
    args = parser.parse_args()
    posts, warnings = read_site(args.site, args.generator, args.docs_dir, args.posts_dir, args.as_of)
    for warning in warnings:
        print(warning, file=sys.stderr)
    corpus, gold_path = write(args.out, posts)
    tagged = sum(1 for p in posts if p["tags"])
    top = gold(posts)["counts"][:10]
    print(f"{len(posts)} posts ({tagged} tagged), {len(warnings)} warnings → {corpus}, {gold_path}")
    print("top 10 tags: " + ", ".join(f"{name} ({n})" for name, n in top))


if __name__ == "__main__":
    main()
