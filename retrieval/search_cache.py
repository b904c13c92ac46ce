"""The hybrid search with its results remembered (issue 13).

A search is a pure function of (query, k, docs) over one index generation, and the
same searches come back: a question and its condensed follow-ups, the parts of a
multi-part question, the UI re-running a page, popular questions asked by many users.
The searcher belongs to one generation (a new generation gets a new searcher), so a
remembered result is never stale; the key holds the searcher's config and parts too. Each caller gets its own Hit objects.
"""

from __future__ import annotations

from collections import OrderedDict

from .search import HybridSearcher
from .types import Hit


class CachedSearcher(HybridSearcher):
    """HybridSearcher whose results are kept in an LRU of ``cache_size`` searches."""

    cache_size = 2048

    def search(self, query: str, k: int = 8, docs: list[str] | None = None) -> list[Hit]:
        memo: OrderedDict = self.__dict__.setdefault("_results", OrderedDict())
        # what the search reads besides its arguments, should a caller swap it (a tuning script)
        key = (query, k, tuple(docs) if docs else None, self.config, id(self.lexical), id(self.dense))
        hits = memo.get(key)
        if hits is None:
            hits = memo[key] = super().search(query, k, docs)
            if len(memo) > self.cache_size:
                memo.popitem(last=False)
        else:
            memo.move_to_end(key)
        return [Hit(h.chunk, h.score, dict(h.ranks)) for h in hits]
