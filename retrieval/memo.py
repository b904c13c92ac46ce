"""A bounded memo for work that repeats from question to question (issue 13): a value is
computed once per key and kept; the keys come from questions, so the memo is bounded rather
than left to grow in a long-running server.

It keeps two generations of at most ``limit // 2`` keys each (never more than ``limit``
values in all): when the newer is full it becomes the older and the oldest is dropped, and
a key found in the older is carried into the newer. Emptied at once when full (as it was
once), a memo smaller than a batch's keys lost its hot keys several times a pass (perf,
issue 13: the evidence scorer's per-chunk scores); now a key used again within about half
the memo's size of other keys is never computed again."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class Memo:
    """At most ``limit`` values by key, in two generations (see the module)."""

    __slots__ = ("limit", "_half", "_values", "_older")

    def __init__(self, limit: int):
        self.limit = limit
        self._half = max(1, limit // 2)
        self._values: dict[Hashable, Any] = {}  # the newer generation
        self._older: dict[Hashable, Any] = {}

    def __len__(self) -> int:
        return len(self._values) + len(self._older)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        try:
            return self._values[key]
        except KeyError:
            pass
        value = self._older.pop(key, _MISSING)  # one look-up (the server reads from several threads)
        return self.put(key, compute() if value is _MISSING else value)

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` (replacing what was there) and return it."""
        values = self._values
        if key not in values:
            self._older.pop(key, None)
            if len(values) >= self._half:
                self._older, self._values = (values if self.limit > 1 else {}), {}
                values = self._values
        values[key] = value
        return value


def memo_of(owner: object, name: str, limit: int) -> Memo:
    """The memo kept on ``owner`` under ``name``, made on first use (so it is neither built
    in a constructor other code owns nor carried by an object pickled before its first use)."""
    memo = owner.__dict__.get(name)
    if memo is None:
        memo = owner.__dict__[name] = Memo(limit)
    return memo
