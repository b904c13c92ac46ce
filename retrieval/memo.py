"""A bounded memo for work that repeats from question to question (issue 13): a value is
computed once per key and kept; the keys come from questions, so the memo is bounded rather
than left to grow in a long-running server.

Full, it once emptied itself: a memo a little smaller than a batch's keys then lost its hot
keys several times a pass (perf, issue 13: the evidence scorer's per-chunk scores). Now it
lets go of its least recently used value: a key in use stays while new keys pass through,
and a batch of up to ``limit`` keys is computed once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class Memo:
    """At most ``limit`` values by key (at least one), the least recently used let go first."""

    __slots__ = ("limit", "_values")

    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        values = self._values
        got = values.get(key, _MISSING)
        if got is _MISSING:
            return self.put(key, compute())
        try:
            values.move_to_end(key)
        except KeyError:  # let go by another thread meanwhile (the server asks from several)
            pass
        return got

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` (replacing what was there) and return it."""
        values = self._values
        values[key] = value
        values.move_to_end(key)
        while len(values) > max(1, self.limit):
            try:
                values.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                break
        return value


def memo_of(owner: object, name: str, limit: int) -> Memo:
    """The memo kept on ``owner`` under ``name``, made on first use (so it is neither built
    in a constructor other code owns nor carried by an object pickled before its first use)."""
    memo = owner.__dict__.get(name)
    if memo is None:
        memo = owner.__dict__[name] = Memo(limit)
    return memo
