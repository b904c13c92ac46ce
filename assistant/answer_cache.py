"""Answers to exactly repeated requests, remembered (issue 13).

An offline answer is a pure function of the request (question, conversation, document
filter), the index generation and the settings: the same question asked again by the
same or another user, a page re-run, a batch with repeats get the answer computed the
first time. The cache belongs to one loaded generation (assistant/api.py keeps it next to
that generation's answerer), so an ingest never serves a stale answer, and the settings
are fixed for the Assistant that owns it. Only offline backends are cached: an LLM's
answer or a fallback after a failed call is never replayed. Each caller gets its own copy;
its timings are those of the lookup, not of the first computation.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from .types import Answer, Message

# the parts of an Answerer an answer is computed by: one swapped (a test's recording
# generator, a tuning script's searcher) is another computation
_PARTS = ("generator", "extractive", "condenser", "searcher", "policy", "scope", "tree", "refusals", "config")


def request_key(question: str, history: list[Message], docs: list[str] | None, answerer: Any = None) -> Hashable:
    """What an answer depends on besides the generation and the settings: the request, and
    the answerer's parts by identity (the cache keeps them, so an identity is not reused)."""
    parts = tuple(getattr(answerer, p, None) for p in _PARTS) if answerer is not None else ()
    return (
        question,
        tuple((m.role, m.content) for m in history),
        tuple(docs) if docs else None,
        _Identity(parts),
    )


class _Identity:
    """Objects compared by identity (whatever their own equality), held while the key lives."""

    __slots__ = ("objects", "_ids")

    def __init__(self, objects: tuple):
        self.objects = objects
        self._ids = tuple(id(o) for o in objects)

    def __hash__(self) -> int:
        return hash(self._ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and self._ids == other._ids


class AnswerCache:
    """An LRU of at most ``size`` answers, safe to share between threads."""

    def __init__(self, size: int):
        self.size = size
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        """A copy of the answer kept for key, or None."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                return None
            self._answers.move_to_end(key)
        return copy.deepcopy(answer)

    def put(self, key: Hashable, answer: Answer) -> None:
        """Keep a copy of answer (one with a notice, e.g. a fallback, is not kept)."""
        if answer.notice or self.size <= 0:
            return
        kept = copy.deepcopy(answer)
        with self._lock:
            self._answers[key] = kept
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
