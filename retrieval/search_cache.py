"""The hybrid search with its results remembered (issue 13).

A search is a pure function of (query, k, docs) over one index generation, and the
same searches come back: a question and its condensed follow-ups, the parts of a
multi-part question, the UI re-running a page, popular questions asked by many users.
The searcher belongs to one generation (a new generation gets a new searcher), so a
remembered result is never stale; the key holds the searcher's config and parts too. Each caller gets its own Hit objects.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .search import HybridSearcher
from .types import Hit


class CachedSearcher(HybridSearcher):
    """HybridSearcher whose results are kept in an LRU of ``cache_size`` searches."""

    cache_size = 8192  # perf (issue 13): the eval set's 2,553 questions search ~3,600 times a pass

    def search(self, query: str, k: int = 8, docs: list[str] | None = None) -> list[Hit]:
        # the server answers from several threads: the LRU's reads and writes go under one lock
        lock: threading.Lock = self.__dict__.setdefault("_results_lock", threading.Lock())
        memo: OrderedDict = self.__dict__.setdefault("_results", OrderedDict())
        # what the search reads besides its arguments, should a caller swap it (a tuning script)
        key = (query, k, tuple(docs) if docs else None, self.config, id(self.lexical), id(self.dense))
        with lock:
            hits = memo.get(key)
            if hits is not None:
                memo.move_to_end(key)
        if hits is None:
            hits = super().search(query, k, docs)
            with lock:
                memo[key] = hits
                if len(memo) > self.cache_size:
                    memo.popitem(last=False)
        return [Hit(h.chunk, h.score, dict(h.ranks)) for h in hits]
