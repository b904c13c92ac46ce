"""Writing a new generation's files: vectors (the Chroma collection of record, written by a
child process meanwhile for a local index, and vectors.npy beside it), the chunk table, each document's text, the BM25 index, then the
manifest last (a generation without one is never read). Each file is written once; a kept
document's text is linked from the live generation, not copied."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .index import LEXICAL, MANIFEST, TEXTS, VECTORS, Generations, IndexDir, Manifest, write_chunks
from .ingest_plan import LiveState, Plan, old_text
from .lexical import Analyzer, LexicalIndex
from .memory import release
from .prepare import Preparation
from .types import Chunk
from .vectors import VectorFile, write_vector_rows


def write_generation(
    index: Generations,
    gen: Path,
    embedder,
    work: Preparation,
    chunks: list[Chunk],
    texts: dict[str, str | None],
    plan: Plan,
    live: LiveState,
) -> LexicalIndex:
    """Every file of the generation gen, the manifest last. The vectors go to vectors.npy a
    row at a time and Chroma reads them back from it a batch at a time, so no step holds
    a second copy of them (at 100,000 chunks a copy is 400 MB). Returns the BM25 index
    written (the ingest derives the searcher's values with its analyzer: perf, issue 13)."""
    write_chunk_vectors(index, gen, work, chunks, live, plan)
    work.forget_vectors()
    # perf (issue 13, memory): what each step let go handed back before the next one (retrieval/memory.py)
    release()
    work.report("Ghi chỉ mục", 0.0)
    if isinstance(index, IndexDir) and not index.writes_collection(len(chunks)):
        work.cancel_collection_writer()  # (dense cells, no collection: a child started on a wrong guess stops)
        index.write_collection(gen, chunks, VectorFile(gen / VECTORS), embedder, work.progress)
    elif isinstance(index, IndexDir):  # a child process writes the collection (retrieval/chroma_writer.py)
        work.start_collection_writer()  # (the ingest started it before parsing, when it guessed a collection)
        index.write_collection(
            gen, chunks, VectorFile(gen / VECTORS), embedder, work.progress, writer=work.collection_writer
        )
    else:
        index.write_collection(gen, chunks, VectorFile(gen / VECTORS), embedder, work.progress)
    work.report("Ghi chỉ mục", 1.0)
    release()
    write_chunks(gen, chunks)
    write_texts(gen, texts, live)
    # (each clause's breadcrumb, context and text: its embedding_text, the shared parts read once)
    parts = [(" › ".join(c.breadcrumb), c.context, c.text) for c in chunks]
    analyzer = Analyzer.for_corpus_parts(parts)
    lexical = LexicalIndex.build_parts(parts, analyzer, keep=True)  # (its analysis read by the profiles)
    lexical.save(gen / LEXICAL)
    del parts
    release()
    write_manifest(gen, embedder, plan, live)
    return lexical


def write_chunk_vectors(
    index: Generations, gen: Path, work: Preparation, chunks: list[Chunk], live: LiveState, plan: Plan
) -> None:
    """vectors.npy in chunk order: a kept chunk's vector from the live generation (same
    embedder), a new one's from this ingest's embedding."""
    known = index.vectors_of(live.path) if live.reuse and live.path is not None else {}
    kept = {c.id: known[c.id] for c in chunks if c.doc_id not in plan.fresh and c.id in known}
    del known
    work.embed([c for c in chunks if c.id not in kept])

    def vector(c: Chunk):
        return kept[c.id] if c.id in kept else work.vector_of(c)

    dim = len(vector(chunks[0])) if chunks else 1
    write_vector_rows(gen, (vector(c) for c in chunks), len(chunks), dim)


def write_texts(gen: Path, texts: dict[str, str | None], live: LiveState) -> None:
    """Each document's normalized text; a kept one (None) is a hard link to the live
    generation's file (generation files are never changed in place), or a copy."""
    folder = gen / TEXTS
    folder.mkdir(exist_ok=True)
    for doc_id, text in texts.items():
        target = folder / f"{doc_id}.txt"
        if text is None and live.path is not None:
            try:
                os.link(live.path / TEXTS / f"{doc_id}.txt", target)
                continue
            except OSError:
                text = old_text(live.path, doc_id)
        target.write_text(text or "", "utf-8")


def write_manifest(gen: Path, embedder, plan: Plan, live: LiveState) -> None:
    """What the generation holds: the kept documents' entries, then the fresh ones'."""
    documents = {d: e for d, e in live.documents.items() if d in plan.keep}
    for doc_id, src in plan.fresh.items():
        documents[doc_id] = {
            "file": src.name,
            "sha256": src.digest,
            "bytes_sha256": src.data_sha,
            "chunks": len(src.chunks or []),
        }
    Manifest(embedder.name, embedder.version, documents, time.time()).write(gen / MANIFEST)
