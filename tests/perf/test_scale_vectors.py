"""Issue 13 (scale): a dense search within documents keeps each row's norm once computed
(GenerationVectors._norms) and returns the very ids and distances of the plain exact
scan, asked again and again, over any mix of documents."""

from __future__ import annotations

import numpy as np

from retrieval.vectors import open_vectors


def _plain(matrix, ids, rows, q, n):
    m = np.asarray(matrix[rows], dtype=np.float32)
    norms = np.linalg.norm(m, axis=1) * (np.linalg.norm(q) or 1.0)
    dist = 1.0 - (m @ q) / np.where(norms == 0, 1.0, norms)
    order = np.argsort(dist, kind="stable")[:n]
    return [ids[rows[i]] for i in order], dist[order].tolist()


def test_within_documents_is_the_plain_scan(corpus_app):
    table = corpus_app.table
    ids = [c.id for c in table.chunks]
    vectors = open_vectors(table.generation, ids)
    docs = sorted({c.doc_id for c in table.chunks})
    queries = corpus_app.embedder.embed_documents(["kinh tế số", "hạ tầng dữ liệu", "nhân lực chất lượng cao"])
    for pick in ([docs[0]], docs[:3], docs[1:], [docs[-1], docs[0]], docs):
        for _ in range(2):  # the second time from the remembered norms
            got = vectors.query(query_embeddings=queries, n_results=7, where={"doc_id": {"$in": pick}})
            rows = np.array(sorted(i for i, c in enumerate(table.chunks) if c.doc_id in pick), dtype=np.intp)
            for k, q in enumerate(queries):
                want = _plain(vectors.matrix, ids, rows, np.asarray(q, dtype=np.float32), 7)
                assert (got["ids"][k], got["distances"][k]) == want
