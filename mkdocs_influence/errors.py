"""One exception tree for everything a user can cause (sqlite-utils/mkdocs habit).

The library raises these; the CLI shows their message on one line (exit 1) and the
plugin re-raises them as ``PluginError``. Programming mistakes stay ``ValueError``/
``TypeError`` and are never caught here.
"""

from __future__ import annotations

import reprlib
from typing import Any

import click

#: Most characters of one value an error message shows (a hostile file can hold megabytes).
SHOWN = 80
#: Most characters of a whole message: a last guard for values shown without :func:`shown`.
MESSAGE_LIMIT = 500
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = SHOWN


def shown(value: Any, limit: int = SHOWN, *, quote: bool = True) -> str:
    """``value`` for an error message: its ``repr`` (or ``str``), cut to ``limit`` characters.

    Only the first ``limit`` characters are ever formatted, so a huge string costs nothing."""
    if isinstance(value, str):
        head = value[: limit + 1]
        text = repr(head) if quote else head
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        text = f"{'-' if value < 0 else ''}a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    else:  # reprlib looks at a few items of a few levels: a shared-alias YAML bomb stays cheap
        text = _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InfluenceError(click.ClickException):
    """Base of every user-facing error: the message says what, where and why."""

    def __init__(self, message: str) -> None:
        if len(message) > MESSAGE_LIMIT:
            message = message[: MESSAGE_LIMIT - 1] + "…"
        super().__init__(message)


class ConfigError(InfluenceError):
    """The configuration (``mkdocs.yml`` plugin block or ``influence.yml``) is wrong."""


class ActivityError(InfluenceError):
    """An activity file, post or front matter cannot be read."""


class LedgerError(InfluenceError):
    """The data folder cannot be read or written."""


class SourceError(InfluenceError):
    """A source could not deliver its data (network, account, rate limit)."""
