"""Opening the searcher over one index generation. What lies where inside a generation
(the BM25 folder, the Chroma folder) stays in retrieval: the assistant makes one call."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import derived
from .docref import DocumentRecognizer
from .index import CHROMA_DIR, Generations, check_embedder
from .search import ClauseValues, DenseIndex, HybridSearcher
from .search_cache import CachedSearcher
from .store import ChunkTable
from .twins import clause_twins
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
    digest = chunks_digest(table)
    # a HybridSearcher that remembers its results (retrieval/search_cache.py)
    return CachedSearcher(
        table,
        lexical,
        dense,
        DocumentRecognizer(list(documents)),
        profiles=clause_profiles(table, lexical, digest),
        twins=clause_twins(table),
        clauses=clause_values(table, digest),
    )


def chunks_digest(table: ChunkTable) -> str:
    """A digest of what the per-clause values read of a generation's chunks (their ids,
    parents, contexts, texts and breadcrumbs), computed once for all of them: hashing the
    chunks is most of a key's cost. A table read from (or just written to) a chunks file is
    stood for by the digest of its bytes (perf, issue 13: no hashing of every chunk)."""
    if table.source_digest is not None:
        return table.source_digest
    inputs = [repr((c.id, c.parent_id, c.context, c.text, c.breadcrumb)) for c in table.chunks]
    return derived.key_of(inputs, [])


def clause_values(table: ChunkTable, digest: str | None = None) -> ClauseValues:
    """The searcher's per-clause values of a generation (the years of the headings, the
    folded openings), computed by the first process that opens it (the ingest) and read
    back by the next ones (retrieval/derived.py; issue 13)."""
    from . import features, search, text

    digest = digest if digest is not None else chunks_digest(table)
    key = derived.key_of([digest], [search, features, text])
    return derived.cached(
        derived.folder_of(table.generation), "clauses", key, lambda: search.clause_values(table.chunks)
    )


def clause_profiles(table: ChunkTable, lexical, digest: str | None = None):
    """The reranker's per-clause profiles of a generation, computed by the first process
    that opens it and read back by the next ones (retrieval/derived.py; issue 13).
    ``digest``: the table's ``chunks_digest``, when the caller has it."""
    import json

    from . import features, text, types
    from . import lexical as lexical_module

    inputs = [json.dumps(lexical.analyzer.to_json(), ensure_ascii=False, sort_keys=True)]
    inputs += [digest if digest is not None else chunks_digest(table)]
    key = derived.key_of(inputs, [features, text, types, lexical_module])
    return derived.cached_folder(  # arrays, mapped from disk by the next processes (issue 13)
        derived.folder_of(table.generation),
        "profiles",
        key,
        lambda: features.Profiles(
            table.chunks, table.children, table.by_id, lexical.analyzer.tokens, getattr(lexical, "token_ids", None)
        ),
        lambda profiles, folder: profiles.save(folder),
        features.Profiles.load,
    )


def close_generation(generation: Path) -> None:
    """Let go of what this process opened over a generation no longer read."""
    forget_chroma(generation / CHROMA_DIR)
