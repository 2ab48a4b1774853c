"""mkdocs-influence: a blogger-owned influence score, computed at build time.

Data flows one way: ``sources`` → ``store.ledger`` (observations) → ``model`` (score and topics,
pure functions of ledger + date) → ``model.report`` (plain data) → renderers (``badges``,
``render``) → ``shells`` (``cli`` writes a bundle, ``plugin`` injects it). docs/architecture.md maps the folders.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
