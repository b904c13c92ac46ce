"""Opening the searcher over one index generation. What lies where inside a generation
(the BM25 folder, the Chroma folder) stays in retrieval: the assistant makes one call."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import derived
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
    lexical = open_lexical(table.generation)
    # a HybridSearcher that remembers its results (retrieval/search_cache.py)
    return CachedSearcher(
        table,
        lexical,
        dense,
        DocumentRecognizer(list(documents)),
        profiles=clause_profiles(table, lexical),
        twins=clause_twins(table),
    )


def clause_profiles(table: ChunkTable, lexical):
    """The reranker's per-clause profiles of a generation, computed by the first process
    that opens it and read back by the next ones (retrieval/derived.py; issue 13)."""
    import json

    from . import features, text, types
    from . import lexical as lexical_module

    inputs = [json.dumps(lexical.analyzer.to_json(), ensure_ascii=False, sort_keys=True)]
    inputs += [repr((c.id, c.parent_id, c.context, c.text, c.breadcrumb)) for c in table.chunks]
    key = derived.key_of(inputs, [features, text, types, lexical_module])
    return derived.cached(
        derived.folder_of(table.generation),
        "profiles",
        key,
        lambda: features.Profiles(table.chunks, table.children, table.by_id, lexical.analyzer.tokens),
    )


def clause_twins(table: ChunkTable) -> dict[int, list[int]]:
    """The generation's twin clauses (retrieval/twins.py), computed by the first process that
    opens it and read back by the next ones, like the profiles (issue 13: cold start)."""
    from . import search, text, twins

    inputs = [repr((c.id, c.parent_id, c.doc_id, c.path, c.kind, c.boilerplate, c.text)) for c in table.chunks]
    key = derived.key_of(inputs, [search, text, twins])
    return derived.cached(derived.folder_of(table.generation), "twins", key, lambda: search.clause_twins(table.chunks))


def close_generation(generation: Path) -> None:
    """Let go of what this process opened over a generation no longer read."""
    forget_chroma(generation / CHROMA_DIR)
