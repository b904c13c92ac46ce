"""A bounded memo for work that repeats from question to question (issue 13): a value is
computed once per key and kept; the keys come from questions, so when the memo is full it is
emptied rather than left to grow in a long-running server."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """At most ``limit`` values by key; full, it starts over (cheap, and the hot keys return)."""

    __slots__ = ("limit", "_values")

    def __init__(self, limit: int):
        self.limit = limit
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        try:
            return self._values[key]
        except KeyError:
            pass
        return self.put(key, compute())

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` (replacing what was there) and return it."""
        if key not in self._values and len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = value
        return value


def memo_of(owner: object, name: str, limit: int) -> Memo:
    """The memo kept on ``owner`` under ``name``, made on first use (so it is neither built
    in a constructor other code owns nor carried by an object pickled before its first use)."""
    memo = owner.__dict__.get(name)
    if memo is None:
        memo = owner.__dict__[name] = Memo(limit)
    return memo
