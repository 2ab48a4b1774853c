"""How a network walk fails and says so: a stop that keeps what was read, an HTTP error status,
and the one line that names an item skipped.

Pure words and exceptions, no I/O: :mod:`.http` raises them, every network source catches them
(``keep_or_raise`` keeps a walk's pages, ``skipped`` words one bad item so it never fails the source).
"""

from __future__ import annotations

from ..errors import ActivityError, SourceError
from .redact import clip


class Stopped(SourceError):
    """This request gave nothing usable (a limit, a rate limit, a server that keeps failing).

    Raised on a source's first request, the source fails and keeps the ledger's data; raised
    mid-walk, the source keeps the pages it had read (:meth:`partial`).
    """

    def __init__(self, source: str, reason: str, suffix: str = "; kept the earlier data") -> None:
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}{suffix}")

    @property
    def partial(self) -> str:
        return f"{self.source}: {self.reason}: kept what was read"


class HttpStatus(Stopped):
    """A 4xx answer; sources turn 401/403/404 into a message that says how to fix it."""

    def __init__(self, source: str, status: int, url: str, detail: str) -> None:
        self.status, self.url, self.detail = status, url, detail
        hint = {401: "the server wants authentication (check the token)", 403: "access was refused (check the token)"}.get(
            status, ""
        )
        reason = f"HTTP {status} from {url}" + (f": {detail}" if detail else "") + (f"; {hint}" if hint else "")
        super().__init__(source, reason, "")


def keep_or_raise(exc: Stopped, read: int) -> str:
    """The warning for a walk stopped after ``read`` items; with nothing read, the source fails."""
    if not read:
        raise exc
    return exc.partial


def reason(exc: BaseException) -> str:
    """A few words for an exception no check foresaw (never a class name alone, never a traceback)."""
    for kind, words in (
        (RecursionError, "nested too deeply"),
        (MemoryError, "too large"),
        (UnicodeError, "text in an unreadable encoding"),
        (OverflowError, "a number out of range"),
        (KeyError, "a field is missing"),
        ((TypeError, AttributeError, IndexError), "a value of an unexpected type"),
        (ValueError, "an unreadable value"),
    ):
        if isinstance(exc, kind):
            return words
    return f"an unexpected {type(exc).__name__}"


def item_name(item: object, key: str, index: int) -> str:
    """How a warning names an item: its id when it has a plain one, else its position."""
    value = item.get(key) if isinstance(item, dict) else None
    if isinstance(value, str | int) and not isinstance(value, bool):
        return clip(str(value), 40)
    return f"#{index + 1}"


def skipped(exc: Exception, where: str) -> str:
    """Why one item was skipped, in one line naming it."""
    return clip(exc.message, 300) if isinstance(exc, SourceError | ActivityError) else f"{where}: {reason(exc)}"
