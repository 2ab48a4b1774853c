"""The words a reader sees in a post: markup of every generator removed before term extraction.

Front matter left in the body, code (fenced, indented, highlight shortcodes, ``<pre>``), HTML,
shortcodes and template tags (``{{< … >}}``, ``{% … %}``), images, URLs, file names, link
targets and character references; links to people (author pages, social profiles) with their
text, which is someone's name; bold labels ("**Key Takeaway:**"), which are the post's
structure. Regexes whose branches start with a literal (the engine skips to candidates); URLs
and file names are looked for only where they may be.
"""

from __future__ import annotations

import html
import re

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
_MARKS = (
    # every part bounded (500 characters): text with many openers and no closer costs linear time, not quadratic
    r"\{\{.{0,500}?\}\}|\{%.{0,500}?%\}"  # shortcodes and template tags: {{< … >}} {{% … %}} {{ … }} {% … %}
    r"|!\[[^\]]{0,500}\](?:\([^)]{0,500}\)|\[[^\]]{0,500}\])?"  # images, alt text included ("image_1", "screenshot")
    r"|`[^`\n]{0,500}`|<[^>\n]{1,500}>|\]\([^)]{0,500}\)|\{[^}\n]{0,500}\}|@[\w.-]+"  # code, HTML, link targets, @handles
    # a bold label of two words or more ("**Key Takeaway:**", "**The Fix**:", "__Read more:__"): a post's
    # structure, never its subject ("**Docker:**", a glossary's term, stays)
    r"|\*\*_?[^*\s]{1,40} [^*\n]{1,40}?:_?\*\*|\*\*[^*\s]{1,40} [^*\n]{1,40}?\*\*:|__[^_\s]{1,40} [^_\n]{1,40}?:__"
)
_URLS = r"|https?:\S+|ftp:\S+|mailto:\S+|www\.\S+"
_NOISE_ONLY = re.compile(_MARKS)  # every branch starts with a literal: fast
_NOISE = re.compile(_MARKS + _URLS, re.I)
_NOISE_LOWER = re.compile(_MARKS + _URLS)  # the same on lower-case text: case-sensitive, so 3-5x faster
_URL_START = ("http", "ftp:", "mailto:", "www.")
_BLOCK_STARTS = "`~{<"  # what every branch of _BLOCKS starts with: prose without them has nothing to remove
_NOISE_STARTS = ("{", "![", "`", "<", "](", "@", "**", "__")  # the same for _MARKS
_EXTENSION = r"\.(?:png|jpe?g|gif|svg|webp|pdf|md|html?|ya?ml|json|toml|xml|csv|py|js|ts|rb|go|rs|sh|css|scss)\b"
_HAS_FILE = re.compile(_EXTENSION, re.I)
_FILE = re.compile(r"[\w/.-]*" + _EXTENSION, re.I)  # file names (slow to scan for: only where _HAS_FILE found one)
#: A link to a person's page (an author, speaker or team page: one name after the folder; a social
#: profile): its text is a person's name, never the post's subject, and no one else's name becomes a
#: topic (docs/privacy.md). Every part is bounded, so hostile text cannot make it backtrack for long.
_SEGMENT = r"[^/)\s<>\"']{1,100}"
_PERSON = rf"(?:[^/)\s<>\"']{{0,100}}/){{0,8}}(?:authors?|people|persons?|team|speakers?|members?|profiles?|u)/{_SEGMENT}/?"
_PROFILE = (
    rf"https?://(?:www\.)?(?:twitter\.com|x\.com|bsky\.app/profile|linkedin\.com/in|instagram\.com|facebook\.com)/{_SEGMENT}/?"
    rf"|https?://{_SEGMENT}/@{_SEGMENT}/?"  # a fediverse profile
)
_PEOPLE = re.compile(
    rf"\[[^\]\n]{{1,200}}\]\(\s{{0,5}}<?(?:{_PERSON}|{_PROFILE})>?(?:\s{{1,5}}\"[^\"\n]{{0,200}}\")?\s{{0,5}}\)"
    rf"|<a\s[^<>]{{0,300}}?href\s*=\s*[\"'](?:{_PERSON}|{_PROFILE})[\"'][^<>]{{0,300}}>.{{0,500}}?</a\s*>",
    re.I | re.S,
)
#: Lower-case text that may hold such a link (a gate: the regex runs only then).
_PEOPLE_HINTS = ("author", "people/", "person", "team/", "speaker", "member", "profile", "u/", "/@")
_PEOPLE_HINTS += ("twitter.com/", "x.com/", "linkedin.com/in", "instagram.com/", "facebook.com/")
_REFERENCE = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)  # reference link definitions
#: A byline or credit: "by" ("thanks to", "thank you", "credit to") and full names, two capitalised
#: words or more each ("by Jane Doe", "Photo by Ana de la Cruz on Unsplash", "thanks to Jane Doe, Li
#: Wei, and Kara Woo"): someone's name, never the post's subject (docs/privacy.md). "by Docker" stays;
#: a product of two capitalised words after "by" ("by GitHub Actions") goes too. Every part bounded.
_NAME = r"(?:[A-ZÀ-ÖØ-Þ]\.|[A-ZÀ-ÖØ-Þ][\w'’-]{0,30})"  # a capitalised word, or an initial ("J.")
_FULL_NAME = rf"{_NAME}(?:[ \t]{{1,3}}(?:(?:de|da|di|du|van|von|der|den|del|la|le)[ \t]{{1,3}}){{0,2}}{_NAME}){{1,4}}"
_CREDIT = r"(?:[Bb]y|[Tt]hanks[ \t]{1,3}to|[Tt]hank[ \t]{1,3}you,?|[Cc]redits?[ \t]{1,3}to)[ \t]{1,3}"
_CREDITED = rf"{_CREDIT}{_FULL_NAME}(?:[ \t]{{0,3}}(?:,|&|\band\b)[ \t]{{0,3}}(?:and[ \t]{{1,3}})?{_FULL_NAME}){{0,10}}"
_BYLINE = re.compile(rf"(?<![\w-]){_CREDITED}")  # the definition; :func:`_without_credits` applies it fast
_BYLINE_AT = re.compile(_CREDITED)  # matched only where a credit word starts after no word character
_WORD_BEFORE = re.compile(r"[\w-]")
_CREDIT_WORDS = ("by", "thank", "credit")  # how every branch of _CREDIT starts, in lower case


def plain_text(markdown: str) -> str:
    """Markdown/HTML of any generator to the words a reader sees: front matter left in the
    body, code (fenced, indented, highlight shortcodes, ``<pre>``), HTML tags and comments,
    shortcodes and template tags, images, URLs, file names, link targets and character
    references removed, and links to people (their names) removed whole."""
    front = _FRONT.match(markdown)
    text = markdown[front.end() :] if front else markdown
    text = _BLOCKS.sub(" ", text) if any(c in text for c in _BLOCK_STARTS) else text
    text = _INDENTED.sub("\n\n", text) if "\n\n " in text or "\n\n\t" in text else text
    text = _REFERENCE.sub(" ", text) if "]:" in text else text
    text = html.unescape(text) if "&" in text else text  # first: "&#x0040;name" is an @handle too
    low = text.lower()
    if any(h in low for h in _PEOPLE_HINTS):
        text = _PEOPLE.sub(" ", text)
        low = text.lower()
    credited = _without_credits(text, low)
    if credited is not text:
        text, low = credited, credited.lower()
    text = _without_noise(text, low)
    return _FILE.sub(" ", text) if _HAS_FILE.search(text) else text


def _without_credits(text: str, low: str) -> str:
    """``_BYLINE.sub(" ", text)``, fast: the regex is tried only where a credit word starts (found with
    ``str.find`` in the lower-case ``low``), not at every character (a lookbehind defeats the engine's
    prefix scan; tests/test_markup_not_subjects.py checks they agree)."""
    if len(low) != len(text):
        return _BYLINE.sub(" ", text)
    starts = []
    for word in _CREDIT_WORDS:
        at = low.find(word)
        while at != -1:
            if not (at and _WORD_BEFORE.match(low, at - 1)):
                starts.append(at)
            at = low.find(word, at + 1)
    kept, end = [], 0
    for at in sorted(starts):
        found = _BYLINE_AT.match(text, at) if at >= end else None
        if found:
            kept.append(text[end:at])
            end = found.end()
    return text if not kept else " ".join([*kept, text[end:]])


def _without_noise(text: str, low: str) -> str:
    """``_NOISE.sub(" ", text)``, fast: URLs are looked for only where one may be, and then in the
    lower-case text ``low`` (same places when lowering keeps the length), which needs no IGNORECASE."""
    if not any(u in low for u in _URL_START):
        return _NOISE_ONLY.sub(" ", text) if any(m in text for m in _NOISE_STARTS) else text
    if len(low) != len(text):
        return _NOISE.sub(" ", text)
    kept, start = [], 0
    for found in _NOISE_LOWER.finditer(low):
        kept.append(text[start : found.start()])
        start = found.end()
    kept.append(text[start:])
    return " ".join(kept)
