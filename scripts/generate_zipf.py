"""Generate ``data/zipf-<lang>.tsv``: how common each word is in general language.

Topics rank a phrase by how often a blog uses it *and* how rare it is in general
language (the Zipf scale: 7 ≈ "the", 3 ≈ "docker", below the table ≈ very rare). The
table is derived once from the ``wordfreq`` package (its data: CC BY-SA 4.0, by Robyn
Speer and contributors; this derived table keeps that licence) so the tool needs no
57 MB dependency at run time.

Usage (from the repository root): ``pip install wordfreq && python scripts/generate_zipf.py``.
A maintainer script, outside the installed packages: ``wordfreq`` is not a runtime dependency.
"""

from __future__ import annotations

import sys
from pathlib import Path

SIZES = {"en": 40_000, "el": 15_000}
HEADER = "# word<TAB>zipf, from wordfreq {version} (data CC BY-SA 4.0, Robyn Speer et al.); top {n} words of '{lang}'\n"


def main() -> None:
    try:
        import wordfreq
    except ImportError:
        sys.exit("wordfreq is missing: pip install wordfreq")

    out_dir = Path(__file__).resolve().parent.parent / "mkdocs_influence" / "terms" / "data"
    for lang, n in SIZES.items():
        rows = []
        for word in wordfreq.top_n_list(lang, n):
            if "\t" in word or "\n" in word:
                continue
            rows.append(f"{word}\t{wordfreq.zipf_frequency(word, lang):.2f}")
        text = HEADER.format(version=getattr(wordfreq, "__version__", "3"), n=n, lang=lang) + "\n".join(rows) + "\n"
        (out_dir / f"zipf-{lang}.tsv").write_text(text, encoding="utf-8")
        print(f"zipf-{lang}.tsv: {len(rows)} words")


if __name__ == "__main__":
    main()
