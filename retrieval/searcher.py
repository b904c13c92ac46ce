"""Opening the searcher over one index generation. What lies where inside a generation
(the BM25 folder, the Chroma folder) stays in retrieval: the assistant makes one call."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .docref import DocumentRecognizer
from .index import CHROMA_DIR, Generations, check_embedder
from .search import DenseIndex, HybridSearcher
from .search_cache import CachedSearcher
from .store import ChunkTable
from .types import DocumentInfo
from .vectors import forget_chroma, open_lexical


def open_searcher(
    index_dir: Generations, table: ChunkTable, embedder, documents: Iterable[DocumentInfo]
) -> HybridSearcher:
    """The hybrid (BM25 + dense) searcher over the generation ``table`` was read from;
    IndexMismatchError when the index was built with another embedder."""
    check_embedder(table.manifest, embedder)
    collection = index_dir.open_dense(table.generation, [c.id for c in table.chunks])
    limit = index_dir.exact_limit
    dense = (
        DenseIndex(collection, embedder, table)
        if limit is None
        else DenseIndex(collection, embedder, table, exact_limit=limit)
    )
    # a HybridSearcher that remembers its results (retrieval/search_cache.py)
    return CachedSearcher(table, open_lexical(table.generation), dense, DocumentRecognizer(list(documents)))


def close_generation(generation: Path) -> None:
    """Let go of what this process opened over a generation no longer read."""
    forget_chroma(generation / CHROMA_DIR)
