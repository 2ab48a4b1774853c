"""The settings the core takes from configuration, as plain frozen values.

Kept apart from the modules that use them so that reading a configuration imports
nothing heavy (``mkdocs build`` pays for every import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicSettings:
    """The ``topics:`` configuration (see docs/config.md)."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    catch_all: tuple[str, ...] = ()  # more labels for a kind of post, shown after the subjects (docs/topics.md)
    aliases: Mapping[str, str] = field(default_factory=dict)
    max: int = 10
    min_posts: int = 3
    min_months: int = 2
    min_share: float = 0.02
    use_text: bool = True


@dataclass(frozen=True)
class Settings:
    topics: TopicSettings = field(default_factory=TopicSettings)
    site_name: str = ""
    site_url: str = ""  # for absolute URLs in embed snippets and the standalone page
    #: the configured source kinds: the report counts only their data (None: all the ledger holds)
    sources: tuple[str, ...] | None = None


@dataclass(frozen=True)
class BadgeSettings:
    """The ``badge:`` configuration."""

    label: str = "influence"
    style: str = "flat"
    color: str | None = None
    #: card.svg's colours: light and dark suit any page (both have a border); auto follows the viewer's OS
    card_theme: str = "light"


def parse_as_of(value: str | None, what: str = "as_of") -> dt.date | None:
    """``None``/``latest`` → None (the ledger's newest date), ``today``, or ``YYYY-MM-DD``."""
    if value in (None, "", "latest"):
        return None
    if value == "today":
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        from .errors import ConfigError, shown  # only on the error path: this module imports nothing heavy

        raise ConfigError(f"{what}: expected YYYY-MM-DD, 'latest' or 'today', got {shown(value)}") from None
