"""One exception tree for everything a user can cause (sqlite-utils/mkdocs habit).

The library raises these; the CLI shows their message on one line (exit 1) and the
plugin re-raises them as ``PluginError``. Programming mistakes stay ``ValueError``/
``TypeError`` and are never caught here.
"""

from __future__ import annotations

import click


class InfluenceError(click.ClickException):
    """Base of every user-facing error: the message says what, where and why."""


class ConfigError(InfluenceError):
    """The configuration (``mkdocs.yml`` plugin block or ``influence.yml``) is wrong."""


class ActivityError(InfluenceError):
    """An activity file, post or front matter cannot be read."""


class LedgerError(InfluenceError):
    """The data folder cannot be read or written."""


class SourceError(InfluenceError):
    """A source could not deliver its data (network, account, rate limit)."""
