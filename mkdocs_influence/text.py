"""Words and phrases out of post text, for topics. Offline, no model, per language.

A post's text is reduced at ingestion to its candidate *terms* (single words and
two-word phrases that neither start nor end with a stopword) with counts; only those
are kept in the ledger, never the full text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """
a about above actually after again against ago all almost also although always am among an and another any anyone
anything are aren't around as at away back be became because become been before being below best better between
both but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each easy
either else enough etc even ever every everything few find first for from further get gets getting give go goes
going gone good got great had hadn't has hasn't have haven't having he her here hers herself him himself his how
however i i'd i'll i'm i've if in into is isn't it it's its itself just keep know last least less let let's like
likely little lot lots made make makes making many may maybe me might mine more most much must my myself need new
next nice no nor not nothing now of off often oh ok okay old on once one only or other others our ours ourselves out
over own part per perhaps put quite rather re really right said same say says see seem seems set several shall she
should shouldn't show since so some something sometimes soon still such sure take than that that's the their
theirs them themselves then there there's these they they're thing things think this those though through thus to
today too took toward try two under until up upon us use used using very via want was wasn't way we we'll we're
we've well went were weren't what what's when where whether which while who whom whose why will with within without
won't would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
blog blogs post posts posted read more continue article articles week weeks year years day days time times month
months yesterday tomorrow tonight morning evening link links click here via http https www com org html
acknowledgements acknowledgments thanks thank contributors contributor update updates edit edited tl;dr
""".split()
    ),
    "el": frozenset(
        """
και να το τη της την του των τα ο η οι σε με για από που ως στο στη στην στον στα στις στους ένα μια ένας είναι
θα δεν μη μην αλλά ή αν όταν όπως πως πολύ ήταν έχει έχουν αυτό αυτή αυτός αυτά αυτές αυτοί εγώ εσύ εμείς μου σου
μας σας τους τις τον τι ότι επειδή ακόμα ακόμη μόνο πιο κάθε όλα όλοι όλες καθώς μετά πριν πάνω κάτω εδώ εκεί τώρα
""".split()
    ),
}

_CODE_BLOCK = re.compile(r"```.*?```|~~~.*?~~~", re.S)
_NOISE = re.compile(r"`[^`]*`|<[^>]+>|https?://\S+|\]\([^)]*\)|\{[^}]*\}")
_WORD = re.compile(r"[^\W_][\w'’-]*[^\W_]|[^\W_]", re.U)


def stopwords(lang: str) -> frozenset[str]:
    """Stopwords for a language code (``en``, ``el``, ``en-GB`` …); English when unknown."""
    return STOPWORDS.get(lang.split("-")[0].lower(), STOPWORDS["en"])


def plain_text(markdown: str) -> str:
    """Markdown/HTML to the words a reader sees (code, tags, URLs, link targets and
    character references removed)."""
    return html.unescape(_NOISE.sub(" ", _CODE_BLOCK.sub(" ", markdown)))


def words(text: str) -> list[str]:
    """Lower-cased words; apostrophes normalised, numbers kept (filtered later)."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return [w.casefold() for w in _WORD.findall(text)]


def _useful(word: str, stop: frozenset[str]) -> bool:
    return (
        3 <= len(word) <= 30
        and word not in stop
        and not any(c.isdigit() for c in word[:1])
        and "'" not in word
        and not word.replace("-", "").isdigit()
    )


_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def zipf_languages() -> frozenset[str]:
    """The languages with a frequency table (``data/zipf-<lang>.tsv``)."""
    return frozenset(p.name[5:-4] for p in _DATA.glob("zipf-*.tsv"))


@lru_cache(maxsize=4)
def _zipf_table(lang: str) -> dict[str, float]:
    """General-language frequency (Zipf scale) of common words; see ``scripts/generate_zipf.py``.

    Only a known table's name is ever made into a path: a language code is outside input."""
    if lang not in zipf_languages():
        return {}
    path = _DATA / f"zipf-{lang}.tsv"
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.partition("\t")
            table[word] = float(value)
    return table


RARE_ZIPF = 1.5  # words missing from the table are rarer than its last entry (~2.7)
MAX_SPECIFICITY = 5.0


@lru_cache(maxsize=65536)
def specificity(term: str, lang: str = "en") -> float:
    """How specific a word or phrase is, 0 (\"the\", \"code\") to 5 (\"tidyverse\").

    ``6.5 − zipf`` clipped to 0..5: common words give little, rare ones much. A two-word
    phrase gets the mean of its words plus 1, since phrases are rarer than their words.
    """
    table = _zipf_table(lang.split("-")[0].lower()) or _zipf_table("en")
    parts = term.split(" ")
    spec = sum(min(MAX_SPECIFICITY, max(0.0, 6.5 - table.get(p, RARE_ZIPF))) for p in parts) / len(parts)
    return min(MAX_SPECIFICITY, spec + (1.0 if len(parts) > 1 else 0.0))


def extract_terms(text: str, lang: str = "en", limit: int = 30) -> dict[str, int]:
    """The post's ``limit`` best candidate terms with their counts.

    Candidates are single words and two-word phrases that neither start nor end with a
    stopword and do not cross punctuation; they are ranked by count x specificity (so
    "docker" beats "file"), ties alphabetically, so the result is deterministic.
    """
    stop = stopwords(lang)
    counts: Counter[str] = Counter()
    for sentence in re.split(r"[.!?;:,()\[\]\n\"“”]+", plain_text(text)):
        tokens = words(sentence)
        for i, word in enumerate(tokens):
            if _useful(word, stop):
                counts[word] += 1
                if i + 1 < len(tokens) and _useful(tokens[i + 1], stop):
                    counts[f"{word} {tokens[i + 1]}"] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1] * specificity(kv[0], lang), kv[0]))
    return dict(ranked[:limit])


@lru_cache(maxsize=65536)
def topic_key(name: str) -> str:
    """The merge key of a topic name: case, '#', separators, simple plurals and version digits folded.

    >>> topic_key("#Python3") == topic_key("python") == topic_key("Pythons")
    True
    >>> topic_key("#SockKnitting") == topic_key("sock knitting")
    True
    """
    text = unicodedata.normalize("NFKC", name).casefold().lstrip("#").strip()
    text = re.sub(r"[\s_\-/]+", " ", text)
    text = re.sub(r"(?<=[a-z])\d+$", "", text)
    out = []
    for word in text.split(" "):
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(word)
    return "".join(out)
