"""Words and phrases out of post text, for topics. Offline, no model, per language.

A post's text is reduced at ingestion to its candidate *terms* (single words and
two-word phrases that neither start nor end with a stopword) with counts; only those
are kept in the ledger, never the full text.
"""

from __future__ import annotations

import hashlib
import heapq
import html
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from badges import clean_text

#: Changes whenever term extraction does, so every post is analysed again once (see :func:`text_digest`).
TERMS_VERSION = 2
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
_FRONT = re.compile(r"(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)  # left in the body
# Every branch starts with a literal character, so the engine skips ahead to candidates fast.
_BLOCKS = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)"  # fenced code
    r"|\{%-?\s*(?:highlight|raw|codeblock|comment)\b.*?\{%-?\s*end\w*\s*-?%\}"  # Jekyll code / raw blocks
    r"|\{\{[<%]\s*(?:highlight|code)\b.*?\{\{[<%]\s*/\s*(?:highlight|code)\s*[>%]\}\}"  # Hugo code shortcodes
    r"|<(script|style|pre|code|svg|math)\b.*?</\1\s*>"  # code-like HTML elements
    r"|<!--.*?(?:-->|\Z)",  # HTML comments
    re.S | re.I,
)
_INDENTED = re.compile(r"\n\n(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+")  # indented code after a blank line
_NOISE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}"  # shortcodes and template tags: {{< … >}} {{% … %}} {{ … }} {% … %}
    r"|!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?"  # images, alt text included ("image_1", "screenshot")
    r"|`[^`\n]*`|<[^>\n]+>|\]\([^)]*\)|\{[^}\n]*\}|@[\w.-]+"  # code, HTML, link targets, @handles
    r"|https?:\S+|ftp:\S+|mailto:\S+|www\.\S+",  # URLs
    re.I,
)
_EXTENSION = r"\.(?:png|jpe?g|gif|svg|webp|pdf|md|html?|ya?ml|json|toml|xml|csv|py|js|ts|rb|go|rs|sh|css|scss)\b"
_HAS_FILE = re.compile(_EXTENSION, re.I)
_FILE = re.compile(r"[\w/.-]*" + _EXTENSION, re.I)  # file names (slow to scan for: only where _HAS_FILE found one)
_REFERENCE = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)  # reference link definitions
#: Names of languages and platforms spelled with symbols ("C#", ".NET", "C++"): kept whole.
_SYMBOLIC = r"(?:c\+\+|[cf]#|\.net)(?![\w#+])"
_WORD = re.compile(_SYMBOLIC + r"|[^\W_][\w'’-]*[^\W_]|[^\W_]", re.U | re.I)
_SPECIAL = frozenset({"c++", "c#", "f#", ".net"})


def stopwords(lang: str) -> frozenset[str]:
    """Stopwords for a language code (``en``, ``el``, ``en-GB`` …); English when unknown."""
    return STOPWORDS.get(lang.split("-")[0].lower(), STOPWORDS["en"])


@lru_cache(maxsize=16)
def _all_stopwords(lang: str) -> frozenset[str]:
    """The language's stopwords and every other shipped list's: a post marked English may be in
    Greek, and the scripts never collide (a new Latin-script list would need care)."""
    return stopwords(lang).union(*STOPWORDS.values())


def plain_text(markdown: str) -> str:
    """Markdown/HTML of any generator to the words a reader sees: front matter left in the
    body, code (fenced, indented, highlight shortcodes, ``<pre>``), HTML tags and comments,
    shortcodes and template tags, images, URLs, file names, link targets and character
    references removed."""
    front = _FRONT.match(markdown)
    text = _BLOCKS.sub(" ", markdown[front.end() :] if front else markdown)
    text = _INDENTED.sub("\n\n", text) if "\n\n " in text or "\n\n\t" in text else text
    text = _REFERENCE.sub(" ", text) if "]:" in text else text
    text = html.unescape(text) if "&" in text else text  # first: "&#x0040;name" is an @handle too
    text = _NOISE.sub(" ", text)
    return _FILE.sub(" ", text) if _HAS_FILE.search(text) else text


def words(text: str) -> list[str]:
    """Lower-cased words; apostrophes normalised, numbers kept (filtered later)."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return [w.casefold() for w in _WORD.findall(text)]


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
    A word the author capitalises mid-sentence (a term kept as "Java", "Go") is a name,
    at least :data:`NAME_SPECIFICITY` whatever its everyday frequency (coffee, islands).
    """
    parts = term.split(" ")
    spec = sum(_word_specificity(p, lang) for p in parts) / len(parts)
    return min(MAX_SPECIFICITY, spec + (1.0 if len(parts) > 1 else 0.0))


@lru_cache(maxsize=16384)
def _word_specificity(word: str, lang: str) -> float:
    table = _zipf_table(lang.split("-")[0].lower()) or _zipf_table("en")
    folded = word.lower()
    value = min(MAX_SPECIFICITY, max(0.0, 6.5 - table.get(folded, RARE_ZIPF)))
    return max(value, NAME_SPECIFICITY) if word != folded else value


NAME_SPECIFICITY = 4.0


def extract_terms(text: str, lang: str = "en", limit: int = 30, title: str = "") -> dict[str, int]:
    """The post's ``limit`` best candidate terms with their counts, in the author's spelling.

    Candidates are single words and two-word phrases that neither start nor end with a
    stopword and do not cross punctuation; a generic word (:data:`GENERIC`) alone, or a phrase
    of two, is none. A title word counts :data:`TITLE_COUNT` times. A word written capitalised
    in most of its places inside a sentence keeps that spelling ("Java", "GitHub"); others are
    lower case. Ranked by count x :func:`specificity` (so "docker" beats "file"), ties
    alphabetically, so the result is deterministic; only the best ``limit`` are ordered (a heap).
    """
    useful = _useful_words(lang)
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    inside: Counter[str] = Counter()  # places of a word inside sentences
    capitals: dict[str, Counter[str]] = {}  # … and its capitalised spellings there
    for part, each in ((title, TITLE_COUNT), (plain_text(text), 1)):
        tokens, lowered, starts = _tokens(unicodedata.normalize("NFC", part).replace("’", "'"))
        for word in [w for w in set(lowered) if w not in useful]:
            useful[word] = _useful(word, useful.stop)
        seq = [w if useful[w] else "" for w in lowered]  # "" breaks phrases (stopwords, sentence ends)
        found = Counter(seq)  # counted in C, then cleaned
        found.pop("", None)
        inside.update(found)
        inside.subtract(seq[i] for i in starts)
        if part.lower() != part:  # capitals: only words written with one, inside a sentence
            written = Counter(tokens)
            written.subtract(tokens[i] for i in starts)
            for token in {t for t in written if t != t.lower()}:
                word = token.lower()
                if useful[word] and written[token] > 0:
                    capitals.setdefault(word, Counter())[token] += written[token]
        for word in GENERIC.intersection(found):
            del found[word]
        found_pairs = Counter(itertools.pairwise(seq))
        for key, n in found.items():
            singles[key] += n * each
        for pair, n in found_pairs.items():
            a, b = pair
            if a and b and not (a in GENERIC and b in GENERIC):
                pairs[pair] += n * each
    names = {w: _spelling(c, inside[w]) for w, c in capitals.items()}
    known = _specificities(lang)
    spec = {w: known[w] if w in known else known.add(w) for w in inside}
    for word, name in names.items():
        if name:
            spec[word] = max(spec[word], NAME_SPECIFICITY)
    # (-score, words, count): plain tuples, so the heap compares without calling Python code
    best = heapq.nsmallest(limit, [(-c * spec[w], (w, ""), c) for w, c in singles.items()])
    # a phrase scores at most count x 5: only those that could beat the last of the best words are scored
    bar = -best[-1][0] / MAX_SPECIFICITY if len(best) == limit else 0.0
    phrases = [(-c * min(MAX_SPECIFICITY, (spec[a] + spec[b]) / 2 + 1.0), (a, b), c) for (a, b), c in pairs.items() if c >= bar]
    best = heapq.nsmallest(limit, best + phrases)
    return {" ".join(names.get(w) or w for w in ws if w): c for _, ws, c in best}


class _Specificities(dict):  # type: ignore[type-arg]
    """word -> its specificity in one language (lower case: everyday frequency only); bounded."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def add(self, word: str) -> float:
        value = self[word] = _word_specificity.__wrapped__(word, self.lang)
        return value


_SPECIFICITIES: dict[str, _Specificities] = {}


def _specificities(lang: str) -> _Specificities:
    table = _SPECIFICITIES.get(lang)
    if table is None or len(table) > 100_000:
        table = _SPECIFICITIES[lang] = _Specificities(lang)
    return table


class _Useful(dict):  # type: ignore[type-arg]
    """word -> can it start or end a term, for one language; grows with the vocabulary, bounded."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__({"": False})
        self.stop = stop


_USEFUL: dict[str, _Useful] = {}


def _useful_words(lang: str) -> _Useful:
    table = _USEFUL.get(lang)
    if table is None or len(table) > 100_000:  # a bound on memory, not a cache anyone relies on
        table = _USEFUL[lang] = _Useful(_all_stopwords(lang))
    return table


def _tokens(text: str) -> tuple[list[str], list[str], list[int]]:
    """The words of ``text`` as written and in lower case (not casefold: Greek keeps its final
    sigma), with a sentence's ending punctuation as a token, and where each sentence starts."""
    tokens = _TOKEN.findall(text)
    lowered = _TOKEN.findall(text.lower())  # the same places, in C
    if len(lowered) != len(tokens):  # a rare letter whose lower case is longer ("İ")
        lowered = [t.lower() for t in tokens]
    starts = [0] if tokens else []
    starts += [i + 1 for i, t in enumerate(tokens) if t in _ENDS]
    if starts and starts[-1] >= len(tokens):
        starts.pop()
    return tokens, lowered, starts


def _spelling(capitalised: Counter[str], places: int) -> str:
    """The most used capitalised spelling when most places inside sentences use one, else ''."""
    if sum(capitalised.values()) * 2 <= places:
        return ""
    return min((-n, s) for s, n in capitalised.items())[1]


_SENTENCE = re.compile(r"[.!?;:,()\[\]\n\"“”|*]+(?=\s|$)|[!?;:,()\[\]\n\"“”|*]+")
#: A word, or one punctuation mark that ends a sentence (as in :data:`_SENTENCE`): one scan, every branch
#: starting with a character class, so the engine does not try lookbehinds at every position.
_TOKEN = re.compile(r"(?:c\+\+|[cf]#|\.net)(?![\w#+])|[^\W_][\w'’-]*[^\W_]|[^\W_]|\.(?=\s|$)|[!?;:,()\[\]\n\"“”|*]", re.I)
_ENDS = frozenset('.!?;:,()[]\n"“”|*')


def text_digest(title: str, text: str, lang: str) -> str:
    """What a post's terms depend on, hashed: the same digest means the same terms
    (:data:`TERMS_VERSION` changes when the extraction does)."""
    digest = hashlib.sha256(f"{TERMS_VERSION}\0{lang}\0{title}\0".encode("utf-8", "surrogatepass"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def post_terms(title: str, text: str, lang: str, previous: Mapping[str, Any] | None) -> tuple[str, dict[str, int]]:
    """(digest, terms) of a post; a post recorded earlier with the same digest is not analysed again."""
    digest = text_digest(title, text, lang)
    if previous is not None and previous.get("text_sha") == digest and isinstance(previous.get("terms", {}), Mapping):
        return digest, dict(previous.get("terms", {}))
    return digest, extract_terms(clean_text(text), lang, title=clean_text(title))


_SEPARATORS = re.compile(r"[\s_\-/]+")
_VERSION = re.compile(r"(?<=[a-z])\d+$")


@lru_cache(maxsize=65536)
def topic_key(name: str) -> str:
    """The merge key of a topic name: case, '#', separators, simple plurals and version digits folded.

    >>> topic_key("#Python3") == topic_key("python") == topic_key("Pythons")
    True
    >>> topic_key("#SockKnitting") == topic_key("sock knitting")
    True
    """
    if name.isascii() and name.replace(" ", "").isalpha():  # most names: plain words, nothing to normalise
        parts = name.lower().split()
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
