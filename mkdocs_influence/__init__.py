"""mkdocs-influence: a blogger-owned influence score, computed at build time.

Data flows one way: ``sources`` → ``ledger`` (observations) → ``model`` (score and topics,
pure functions of ledger + date) → ``report`` (plain data) → renderers (``badges``,
``pages``, ``bundle``) → shells (``cli`` writes a bundle, ``plugin`` injects it).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
