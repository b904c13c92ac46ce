"""Retrieval comparison (not a test): the evaluation questions through
  1. a plain LangChain pipeline: RecursiveCharacterTextSplitter(1000, 200) into Chroma
     with the same offline embedder, similarity search;
  2. BM25 alone: bm25s with its default tokenizer over our clause chunks;
  3. ours: hybrid search with document recognition, fusion and reranking.
Prints recall@1/@5/@10 and MRR overall and by question type, side by side.

    python scripts/compare_baselines.py
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import bm25s
import chromadb
from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Message
from eval.dataset import load_questions
from eval.retrieval import KS, evaluate_retrieval
from retrieval.types import Chunk, Hit


def langchain_baseline(app: Assistant, tmp: Path):
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    texts, metas = [], []
    for doc in app.catalog.documents:
        text = app.table.document_text(doc.id)
        for piece in splitter.create_documents([text], metadatas=[{"doc_id": doc.id}]):
            start = piece.metadata["start_index"]
            texts.append(piece.page_content)
            metas.append({"doc_id": doc.id, "start": start, "end": start + len(piece.page_content)})
    client = chromadb.PersistentClient(path=str(tmp / "lc"), settings=chromadb.Settings(anonymized_telemetry=False))
    store = Chroma(collection_name="baseline", embedding_function=app.embedder, client=client)
    store.add_texts(texts, metas)

    def search(query: str, k: int):
        out = []
        for d in store.similarity_search(query, k=k):
            m = d.metadata
            chunk = Chunk(
                id=f"{m['doc_id']}@{m['start']}",
                doc_id=m["doc_id"],
                doc_short="",
                path="",
                label="",
                kind="window",
                text=d.page_content,
                start=m["start"],
                end=m["end"],
            )
            out.append(Hit(chunk, 0.0))
        return out

    return search


def bm25_baseline(app: Assistant):
    chunks = app.table.chunks
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([c.text for c in chunks], show_progress=False), show_progress=False)

    def search(query: str, k: int):
        docs, scores = retriever.retrieve(bm25s.tokenize([query], show_progress=False), k=k, show_progress=False)
        return [Hit(chunks[int(i)], float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]

    return search


def main() -> None:
    settings = Settings()
    app = Assistant(settings)
    questions = load_questions()
    condense = lambda q, h: app.condense(q, [Message(**t) for t in h])  # noqa: E731
    empty_children = replace(app.table)
    empty_children.children = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            "LangChain 1000/200": evaluate_retrieval(
                langchain_baseline(app, Path(tmp)), condense, empty_children, questions
            ),
            "BM25 alone": evaluate_retrieval(bm25_baseline(app), condense, empty_children, questions),
            "Trợ lý (hybrid)": evaluate_retrieval(lambda q, k: app.search(q, k), condense, app.table, questions),
        }
    metrics = [f"recall@{k}" for k in KS] + ["mrr"]
    names = list(runs)
    print(f"{'loại câu hỏi':<16}{'chỉ số':<10}" + "".join(f"{n:>20}" for n in names))
    types = ["(tất cả)"] + sorted(runs[names[0]].by_type())
    for t in types:
        rows = {n: (r.metrics() if t == "(tất cả)" else r.by_type()[t]) for n, r in runs.items()}
        for m in metrics:
            print(f"{t:<16}{m:<10}" + "".join(f"{rows[n][m]:>20.3f}" for n in names))


if __name__ == "__main__":
    main()
