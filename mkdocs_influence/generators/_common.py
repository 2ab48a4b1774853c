"""What every generator reads the same way: front matter (YAML ``---``, TOML ``+++``,
JSON ``{``), dates, slugs and ``:token`` permalink templates — once, not per generator."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..store import yamlsafe
from ..store.activity import Post
from . import Skip

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_YAML = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_TOML = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?\r?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
_TYPED = re.compile(r"\A---(json|yaml|js|javascript|toml)[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_JS_CONST = re.compile(r"^\s*(?:const|let|var)\s+(\w+)\s*=\s*(.+?);?\s*$", re.M)


class _Bad(ValueError):
    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.line = line


_TAB_GAP = re.compile(r"(?<=\S)[ \t]*\t[ \t]*(?=#|$)", re.M)
_TAB_AFTER_KEY = re.compile(r"^([ ]*[^\s#:'\"][^:\n]*:)\t[ \t]*", re.M)


def _yaml(text: str) -> Any:
    try:
        try:
            return yamlsafe.load(text) or {}
        except yaml.YAMLError:  # a tab after "key:" or before a comment: Go's and Ruby's YAML read it, PyYAML not
            if "\t" not in text:
                raise
            return yamlsafe.load(_TAB_AFTER_KEY.sub(r"\1 ", _TAB_GAP.sub(" ", text))) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _Bad(str(getattr(exc, "problem", None) or exc), mark.line + 2 if mark is not None else None) from None


def _toml(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(str(exc)) from None


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise _Bad(exc.msg, exc.lineno + 1) from None


def _js(text: str) -> Any:
    """Eleventy's JavaScript front matter, read only where it is plain ``const x = <JSON literal>``."""
    out = {}
    for name, value in _JS_CONST.findall(text):
        value = value.strip()
        if value.startswith("'") and value.endswith("'"):
            value = json.dumps(value[1:-1])
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(f"{name}: only plain values are read from JavaScript front matter") from None
    return out


_PARSERS = {"yaml": _yaml, "toml": _toml, "json": _json, "js": _js, "javascript": _js}


ALL_FORMATS = ("yaml", "toml", "json", "js")


def split(
    text: str, where: str, rule: str, formats: tuple[str, ...] = ALL_FORMATS, *, json_object: bool = False
) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a content file, for the ``formats`` the generator reads;
    unreadable front matter is a :class:`Skip` naming ``where`` (and the line) and ``rule``.
    ``json_object``: a leading ``{…}`` object is front matter (Hugo)."""
    kind, raw, end = "", "", 0
    if (m := _TYPED.match(text)) and m.group(1).replace("javascript", "js") in formats:
        kind, raw, end = m.group(1), m.group(2) or "", m.end()
    elif (m := _YAML.match(text)) and "yaml" in formats:
        kind, raw, end = "yaml", m.group(1) or "", m.end()
    elif (m := _TOML.match(text)) and "toml" in formats:
        kind, raw, end = "toml", m.group(1) or "", m.end()
    elif json_object and text.startswith("{"):
        try:
            meta, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise Skip(f"{where} line {exc.lineno}: invalid front matter (JSON: {exc.msg})", rule) from None
        return _mapping(meta, where, "JSON", rule), text[end:].lstrip("\r\n")
    else:
        return {}, text
    try:
        meta = _PARSERS[kind](raw)
    except ValueError as exc:
        line = f" line {exc.line}" if getattr(exc, "line", None) else ""
        problem = " ".join(str(exc).split())[:200]
        raise Skip(f"{where}{line}: invalid front matter ({kind.upper()}: {problem})", rule) from None
    return _mapping(meta, where, kind.upper(), rule), text[end:]


def _mapping(meta: Any, where: str, kind: str, rule: str) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise Skip(f"{where}: {kind} front matter must be a mapping, not {type(meta).__name__}", rule)
    return meta


def lower_keys(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Keys case-folded, as Hugo reads them (``Date`` is ``date``); the first spelling wins."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        out.setdefault(str(key).lower(), value)
    return out


def read_text(path: Path, where: str, rule: str) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Skip(f"{where}: cannot read ({exc})", rule) from None


def load_config(path: Path) -> dict[str, Any]:
    """A site config by its extension (``.toml``, ``.yaml``/``.yml``, ``.json``); {} when it cannot be read."""
    try:
        text = path.read_text("utf-8-sig")
        kind = {".yml": "yaml", ".yaml": "yaml", ".toml": "toml", ".json": "json"}[path.suffix]
        data = _PARSERS[kind](text)
    except (OSError, UnicodeDecodeError, KeyError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def parse_date(value: Any, where: str, rule: str, tz: dt.tzinfo = dt.timezone.utc) -> dt.datetime:
    """A front-matter date as an aware datetime in its own offset (naive values are in ``tz``):
    the offset is kept because generators put the local year/month/day in URLs."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = re.sub(r"^(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", value.strip())
        text = re.sub(r"(\d)[ ]+(?=\d{2}:)", r"\1T", text, count=1)  # "2019-03-05 10:00" as ISO
        text = re.sub(r"[ ]*([+-]\d{2})(\d{2})$", r"\1:\2", text)  # "+0100" as "+01:00"
        text = re.sub(r"[ ]*(Z|UTC)$", "+00:00", text)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise Skip(f"{where}: date {value[:60]!r} is not a date (YYYY-MM-DD, optionally a time)", rule) from None
    else:
        raise Skip(f"{where}: date must be a date, not {type(value).__name__}", rule)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def zone(name: Any) -> dt.tzinfo:
    """A site's ``timeZone``/``timezone`` setting; UTC when absent or unknown."""
    if isinstance(name, str) and name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:
            return dt.timezone.utc
    return dt.timezone.utc


def fill(template: str, values: Mapping[str, str]) -> str:
    """``:token`` placeholders of a permalink template replaced; longest names first, so
    ``:slugorfilename`` is not read as ``:slug``. Unknown tokens stay as written."""
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile(":(" + "|".join(re.escape(n) for n in names) + r")(?![\w])" if names else r"(?!x)x")
    return pattern.sub(lambda m: values[m.group(1)], template)


def hugo_urlize(text: str, lower: bool = True) -> str:
    """Hugo's path sanitising (``MakePath``): spaces become ``-``, characters that are not
    letters, digits, marks or ``._-/\\#+~`` are dropped, and the result is lower-cased."""
    out = []
    for ch in text.strip():
        if ch.isspace():
            out.append("-")
        elif ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in "._-/\\#+~%":
            out.append(ch)
    path = "".join(out)
    return path.lower() if lower else path


def jekyll_slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: runs of characters outside the mode's set become ``-``."""
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    elif mode == "pretty":
        slug = re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text)  # '_' is kept (as Jekyll 4 does)
    elif mode == "ascii":
        slug = re.sub(r"[^a-zA-Z0-9]+", "-", text)
    else:
        slug = re.sub(r"[\W_]+", "-", text)
    slug = slug.strip("-")
    return slug if cased else slug.lower()


def truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def blog_post(
    *, where: str, title: str, date: dt.datetime, base: str, url: str, tags: tuple[str, ...], lang: str, text: str, path: str
) -> Post:
    """A post read from a static-site generator's source: published in UTC, its root-relative ``url`` appended to
    ``base``, or made relative without one — so Jekyll and Eleventy address pages the same way."""
    return Post(
        source="blog",
        id=where,
        title=title,
        published=date.astimezone(dt.timezone.utc),
        url=(base.rstrip("/") + "/" + url.lstrip("/")) if base else url.lstrip("/"),
        tags=tags,
        lang=lang,
        text=text,
        path=path,
        measured=False,
    )
