"""Words and phrases out of post text, for topics. Offline, no model, per language.

A post's text is reduced at ingestion to its candidate *terms* (single words and
two-word phrases that neither start nor end with a stopword) with counts; only those
are kept in the ledger, never the full text.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from badges import clean_text

from .markup import plain_text
from .tokens import END, WordTable, scan, spelling

#: Changes whenever term extraction does, so every post is analysed again once (see :func:`text_digest`).
TERMS_VERSION = 6
TITLE_COUNT = 3  # a word of the title counts as often as this in the text: the title names the subject

#: Words about the blog itself, not a subject: never a term; as a tag, a catch-all label.
BOILERPLATE = frozenset(
    """
blog blogs post posts posted read more continue article articles week weeks year years day days time times month
months yesterday tomorrow tonight morning evening link links click here via http https www com org html
acknowledgements acknowledgments thanks thank contributors contributor update updates edit edited tl;dr
""".split()
)

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
""".split()
    )
    | BOILERPLATE,
    "el": frozenset(
        """
και να το τη της την του των τα ο η οι σε με για από που ως στο στη στην στον στα στις στους ένα μια ένας είναι
θα δεν μη μην αλλά ή αν όταν όπως πως πολύ ήταν έχει έχουν αυτό αυτή αυτός αυτά αυτές αυτοί εγώ εσύ εμείς μου σου
μας σας τους τις τον τι ότι επειδή ακόμα ακόμη μόνο πιο κάθε όλα όλοι όλες καθώς μετά πριν πάνω κάτω εδώ εκεί τώρα
""".split()
    ),
}

#: Generic programming and writing words: they fit any technical post, so alone they never make a
#: term (a phrase with one specific word still does: "docker image").
GENERIC = frozenset(
    """
code codes snippet snippets function functions method methods class classes variable variables value values argument
arguments parameter parameters example examples file files folder folders directory directories project projects
output outputs input inputs data error errors bug bugs fix fixes fixed issue issues feature features version versions
release releases released install installed installation package packages library libraries command commands script
scripts line lines object objects type types struct structs string strings list lists number numbers name names
user users result results step steps approach problem problems solution solutions change changes changed support
supported tool tools image images screenshot screenshots figure figures table tables section sections chapter page
pages default option options setting settings config configuration build builds built run runs running app apps
application applications system systems server servers implementation interface module modules field fields key keys
call calls return returns true false null none item items element elements content contents source sources test
tests work works working start started end note notes following below above important simple basic first second
foo bar baz hello world deprecated deprecation repository repositories dependency dependencies column columns
row rows model models package's usage api apis workflow workflows pipeline pipelines
""".split()
)

# Markup of every generator, removed before words are read (order matters: blocks first).
_SPECIAL = frozenset({"c++", "c#", "f#", ".net"})


def stopwords(lang: str) -> frozenset[str]:
    """Stopwords for a language code (``en``, ``el``, ``en-GB`` …); English when unknown."""
    return STOPWORDS.get(lang.split("-")[0].lower(), STOPWORDS["en"])


@lru_cache(maxsize=16)
def _all_stopwords(lang: str) -> frozenset[str]:
    """The language's stopwords and every other shipped list's: a post marked English may be in
    Greek, and the scripts never collide (a new Latin-script list would need care)."""
    return stopwords(lang).union(*STOPWORDS.values())


def _useful(word: str, stop: frozenset[str]) -> bool:
    """A word that can start or end a term: not a stopword, not a number or identifier (``image_1``)."""
    return word in _SPECIAL or (
        3 <= len(word) <= 30
        and word not in stop
        and not word[0].isdigit()
        and "'" not in word
        and "_" not in word
        and not word.replace("-", "").isdigit()
    )


_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def zipf_languages() -> frozenset[str]:
    """The languages with a frequency table (``data/zipf-<lang>.tsv``)."""
    return frozenset(p.name[5:-4] for p in _DATA.glob("zipf-*.tsv"))


def _zipf_cells(lang: str) -> list[str]:
    """General-language frequency (Zipf scale) of common words, as [word, zipf, word, zipf, …];
    see ``scripts/generate_zipf.py``. Only a known table's name is ever made into a path: a
    language code is outside input."""
    if lang not in zipf_languages():
        return []
    try:
        text = (_DATA / f"zipf-{lang}.tsv").read_text("utf-8")
    except FileNotFoundError:
        return []
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):  # the header: which table, its licence
        del lines[0]
    return "\t".join(lines).split("\t")  # word<TAB>zipf per line (no word holds a tab), cut in C


RARE_ZIPF = 1.5  # words missing from the table are rarer than its last entry (~2.7)
MAX_SPECIFICITY = 5.0


def specificity(term: str, lang: str = "en") -> float:
    """How specific a word or phrase is, 0 (\"the\", \"code\") to 5 (\"tidyverse\").

    ``6.5 − zipf`` clipped to 0..5: common words give little, rare ones much. A two-word
    phrase gets the mean of its words plus 1, since phrases are rarer than their words.
    A word the author capitalises mid-sentence (a term kept as "Java", "Go") is a name,
    at least :data:`NAME_SPECIFICITY` whatever its everyday frequency (coffee, islands).
    """
    known = _specificities(lang)
    if " " not in term:
        return _word_specificity(term, known)
    parts = term.split(" ")
    return min(MAX_SPECIFICITY, sum(_word_specificity(p, known) for p in parts) / len(parts) + 1.0)


def _word_specificity(word: str, known: Mapping[str, float]) -> float:
    folded = word.lower()
    spec = known.get(folded, RARE_SPECIFICITY)
    return spec if word == folded else max(spec, NAME_SPECIFICITY)


def _from_zipf(zipf: float) -> float:
    return min(MAX_SPECIFICITY, max(0.0, 6.5 - zipf))


RARE_SPECIFICITY = _from_zipf(RARE_ZIPF)  # a word missing from the frequency table


NAME_SPECIFICITY = 4.0


def extract_terms(text: str, lang: str = "en", limit: int = 30, title: str = "") -> dict[str, int]:
    """The post's ``limit`` best candidate terms with their counts, in the author's spelling, by name.

    Candidates are single words and two-word phrases that neither start nor end with a
    stopword and do not cross punctuation; a generic word (:data:`GENERIC`) alone, or a phrase
    of two, is none. A title word counts :data:`TITLE_COUNT` times. A word written capitalised
    in most of its places inside a sentence keeps that spelling ("Java", "GitHub"); others are
    lower case. Ranked by count x :func:`specificity` (so "docker" beats "file"), ties
    alphabetically, so the result is deterministic.

    Per-token work runs in C (the text cut by :func:`tokens.scan`, ``Counter`` over the words,
    the pieces and neighbouring pairs; scores computed with ``map``); Python code only looks at
    distinct capitalised words, new vocabulary and the few candidates that rank.
    """
    table = _word_table(lang)
    parts = []  # per part: (its words, which of them do not start a sentence)
    singles: Counter[str | None] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    capitals: dict[str, Counter[str]] = {}  # word -> its capitalised spellings inside sentences
    for part, each in ((plain_text(text), 1), (title, TITLE_COUNT)):
        tokens, seq, found, value_of = scan(unicodedata.normalize("NFC", part).replace("\u2019", "'"), table)
        if not tokens:
            continue
        inside = list(map(operator.is_not, [END, *seq], _ENDS_FOREVER))  # not after a sentence end
        parts.append((seq, inside))
        both = list(map(operator.truth, seq))
        phrases = Counter(itertools.compress(itertools.pairwise(seq), map(operator.and_, both, both[1:])))  # two words in a row
        # capitalised inside a sentence (or no letters: marks, numbers, which are no words)
        for token, n in Counter(itertools.filterfalse(str.islower, itertools.compress(tokens, inside))).items():
            if token.lower() != token:
                value = value_of(token)
                if isinstance(value, str) and value:
                    name = token if len(token) == len(value) else spelling(token)
                    capitals.setdefault(value, Counter())[name] += n
        if each == 1:
            singles.update(found)  # empty so far: a copy in C
            pairs.update(phrases)
        else:
            for word, n in found.items():
                singles[word] += n * each
            for pair, n in phrases.items():
                pairs[pair] += n * each
    del singles[""], singles[END]
    known = _specificities(lang)
    names, boost = {}, {}
    if capitals:  # a word's places inside sentences, counted only when some word is capitalised there
        places: Counter[str | None] = Counter()
        for seq, inside in parts:
            places.update(itertools.compress(seq, inside))
        for word, spellings in capitals.items():
            name = _spelling(spellings, places[word])
            if name:
                names[word] = name
                boost[word] = max(known.get(word, RARE_SPECIFICITY), NAME_SPECIFICITY)
    for word in GENERIC.intersection(singles):
        del singles[word]
    return _best(singles, pairs, known, boost, names, limit)


def _best(
    singles: Counter[Any],
    pairs: Counter[tuple[str, str]],
    known: Mapping[str, float],
    boost: dict[str, float],
    names: dict[str, str],
    limit: int,
) -> dict[str, int]:
    """The ``limit`` best of words and phrases by count x specificity (a name's boosted, ties by
    the words), scored with ``map`` (C); only those at least as good as the limit-th best become
    tuples and are sorted."""
    words, counts = list(singles), list(singles.values())
    generic = map(operator.and_, map(GENERIC.__contains__, map(_FIRST, pairs)), map(GENERIC.__contains__, map(_SECOND, pairs)))
    phrases = list(itertools.compress(pairs, map(operator.not_, generic)))
    phrase_counts = list(map(pairs.__getitem__, phrases))
    left, right = _specs(map(_FIRST, phrases), known, boost), _specs(map(_SECOND, phrases), known, boost)
    # a phrase: the mean of its words' specificities plus 1, at most MAX_SPECIFICITY
    phrase_spec = map(min, _MAXES, map(operator.add, map(operator.truediv, map(operator.add, left, right), _TWOS), _ONES))
    scores = [*map(operator.mul, counts, _specs(words, known, boost)), *map(operator.mul, phrase_counts, phrase_spec)]
    ranked: Iterable[tuple[float, Any, int]] = zip(scores, words + phrases, counts + phrase_counts, strict=True)
    if len(scores) > limit:
        ranked = itertools.compress(ranked, map(operator.le, itertools.repeat(sorted(scores, reverse=True)[limit - 1]), scores))
    # ties by the words: a word is keyed (word, ""), so "docker" comes before "docker compose"
    best = sorted([(-score, key if type(key) is tuple else (key, ""), count) for score, key, count in ranked])[:limit]
    if names:
        out = {(f"{names.get(a, a)} {names.get(b, b)}" if b else names.get(a, a)): c for _, (a, b), c in best}
    else:
        out = {(f"{a} {b}" if b else a): c for _, (a, b), c in best}
    return dict(sorted(out.items()))  # the ledger's order (its lines sort keys): the same sums in memory and read back


def _specs(words: Iterable[str], known: Mapping[str, float], boost: dict[str, float]) -> Iterator[float]:
    """Each word's specificity, a name's boosted (lazily, in C)."""
    if not boost:
        return map(known.get, words, _RARES)
    words = list(words)
    return map(boost.get, words, map(known.get, words, _RARES))


_ENDS_FOREVER = itertools.repeat(END)
_MAXES = itertools.repeat(MAX_SPECIFICITY)
_TWOS = itertools.repeat(2)
_ONES = itertools.repeat(1.0)
_RARES = itertools.repeat(RARE_SPECIFICITY)
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)


@lru_cache(maxsize=64)  # language codes are outside input: bounded
def _specificities(lang: str) -> dict[str, float]:
    """lower-case word -> its specificity, for the words of the language's frequency table (everyday
    frequency only; :data:`RARE_SPECIFICITY` for every other word); English where no table is shipped."""
    base = lang.split("-")[0].lower()
    return _specificity_table(base if base in zipf_languages() else "en")


@lru_cache(maxsize=4)  # one per shipped table
def _specificity_table(lang: str) -> dict[str, float]:
    cells = _zipf_cells(lang) or _zipf_cells("en")
    zipfs = cells[1::2]
    of_value = {value: _from_zipf(float(value)) for value in set(zipfs)}  # a few hundred distinct values
    return dict(zip(cells[0::2], map(of_value.__getitem__, zipfs), strict=True))


_WORD_TABLES: dict[str, WordTable] = {}


def _word_table(lang: str) -> WordTable:
    table = _WORD_TABLES.get(lang)
    if table is None or len(table) + len(table.pieces) > 200_000:  # a bound on memory, not a cache anyone relies on
        stop = _all_stopwords(lang)
        table = _WORD_TABLES[lang] = WordTable(lambda word: _useful(word, stop))
    return table


def _spelling(capitalised: Counter[str], places: int) -> str:
    """The most used capitalised spelling when most places inside sentences use one, else ''."""
    if sum(capitalised.values()) * 2 <= places:
        return ""
    return min((-n, s) for s, n in capitalised.items())[1]


def text_digest(title: str, text: str, lang: str) -> str:
    """What a post's terms depend on, hashed: the same digest means the same terms
    (:data:`TERMS_VERSION` changes when the extraction does)."""
    digest = hashlib.sha256(f"{TERMS_VERSION}\0{lang}\0{title}\0".encode("utf-8", "surrogatepass"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def post_terms(
    title: str, text: str, lang: str, previous: Mapping[str, Any] | None, known: Mapping[str, Mapping[str, int]] | None = None
) -> tuple[str, dict[str, int]]:
    """(digest, terms) of a post; a post recorded earlier with the same digest, or whose digest
    is ``known`` (terms kept by an earlier run), is not analysed again."""
    digest = text_digest(title, text, lang)
    if previous is not None and previous.get("text_sha") == digest and isinstance(previous.get("terms", {}), Mapping):
        return digest, dict(previous.get("terms", {}))
    if known is not None and digest in known:
        return digest, dict(known[digest])
    return digest, extract_terms(_visible(text), lang, title=clean_text(title))


def _visible(text: str) -> str:
    """``text`` without what no reader sees (:func:`badges.clean_text`: controls, soft hyphens,
    zero-width and bidi characters), its line breaks kept: they end sentences and delimit
    code blocks, front matter and reference definitions for :func:`plain_text`."""
    if text.replace("\n", " ").isprintable():  # the usual case: every line is already clean
        return text
    return "\n".join(map(clean_text, text.split("\n")))


_SEPARATORS = re.compile(r"[\s_\-/]+")
_VERSION = re.compile(r"(?<=[a-z])\d+$")


def topic_key(name: str) -> str:
    """The merge key of a topic name: case, '#', separators, simple plurals and version digits folded.

    >>> topic_key("#Python3") == topic_key("python") == topic_key("Pythons")
    True
    >>> topic_key("#SockKnitting") == topic_key("sock knitting")
    True
    """
    if name.isascii() and name.replace(" ", "").isalpha():  # most names: plain words, nothing to normalise
        lowered = name.lower()
        if not lowered.endswith("s") and "s " not in lowered:  # and no word to make singular
            return lowered.replace(" ", "")
        parts = lowered.split()
    else:
        text = unicodedata.normalize("NFKC", name).casefold().lstrip("#").strip()
        text = _SEPARATORS.sub(" ", text)
        parts = _VERSION.sub("", text).split(" ")
    out = []
    for word in parts:
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(word)
    return "".join(out)
