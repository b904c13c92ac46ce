"""Search benchmark (not a test): warm p50/p95 latency on the corpus, and on a synthetic
index of N chunks (copies of the corpus's chunks under new document ids): build time,
p50/p95 search latency and peak memory.

    python scripts/bench_search.py [--chunks 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings
from eval.dataset import load_questions
from retrieval.docref import DocumentRecognizer
from retrieval.index import CHROMA_DIR, COLLECTION, Manifest, chroma_client, chunk_metadata, vector_store
from retrieval.lexical import Analyzer, LexicalIndex
from retrieval.search import DenseIndex, HybridSearcher
from retrieval.store import ChunkTable


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def time_queries(search, queries: list[str], rounds: int = 3) -> list[float]:
    search(queries[0])  # warm
    out = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            search(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=100_000, help="0: only the corpus")
    args = parser.parse_args()
    app = Assistant(Settings())
    queries = [q.question for q in load_questions()]
    p50, p95 = percentiles(time_queries(lambda q: app.search(q, 8), queries))
    print(f"Kho văn bản ({len(app.table.chunks)} đoạn): tìm kiếm p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    if args.chunks <= 0:
        return
    base = app.table.chunks
    copies = args.chunks // len(base) + 1
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp)
        t0 = time.perf_counter()
        chunks = []
        for i in range(copies):
            for c in base:
                if len(chunks) == args.chunks:
                    break
                chunks.append(
                    dataclasses.replace(
                        c,
                        id=f"{c.id}@{i}",
                        doc_id=f"{c.doc_id}-{i}",
                        parent_id=f"{c.parent_id}@{i}" if c.parent_id else "",
                    )
                )
        texts = [c.embedding_text() for c in chunks]
        lexical = LexicalIndex.build(texts, Analyzer.for_corpus(texts))
        t_lex = time.perf_counter() - t0
        store = vector_store(gen, app.embedder)
        for i in range(0, len(chunks), 2000):
            part = chunks[i : i + 2000]
            store.add_texts(
                [c.embedding_text() for c in part], [chunk_metadata(c) for c in part], ids=[c.id for c in part]
            )
        build = time.perf_counter() - t0
        table = ChunkTable(gen, Manifest(app.embedder.name, app.embedder.version), chunks)
        collection = chroma_client(gen / CHROMA_DIR).get_collection(COLLECTION)
        searcher = HybridSearcher(
            table, lexical, DenseIndex(collection, app.embedder, table), DocumentRecognizer(app.catalog.documents)
        )
        p50, p95 = percentiles(time_queries(lambda q: searcher.search(q, 8), queries, rounds=1))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"Chỉ mục tổng hợp {len(chunks)} đoạn: lập trong {build:.1f} s (BM25 {t_lex:.1f} s), "
            f"tìm kiếm p50 {p50:.1f} ms, p95 {p95:.1f} ms, bộ nhớ đỉnh {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
