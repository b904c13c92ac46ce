"""A generation's vectors for reading, and Chroma's in-process state.

Readers take the exact matrix from ``vectors.npy`` (chunk order, float32), written by the
ingest beside the Chroma collection, so they never open Chroma's files: chromadb rewrites
them on every open, which is not safe while other processes read them and fails on a
read-only disk. Above the dense search's exact limit a generation has dense cells instead
(retrieval/cells.py, an IVF the ingest builds); the collection is opened only for an
approximate query over a generation without them, and by the ingest that writes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import IndexCorruptError, IndexUnavailableError
from .index import CHROMA_DIR, COLLECTION, LEXICAL, VECTORS, chroma_client, read_chunks

EAGER_ROWS = 20_000  # vectors from which each document's rows are found when opened (scale, issue 13)


def forget_chroma(path: Path) -> None:
    """Close the in-process Chroma system of a generation no longer read (best effort:
    chromadb keeps one per path for the life of the process otherwise)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        system = SharedSystemClient._identifier_to_system.pop(str(path), None)  # noqa: SLF001
        if system is not None:
            system.stop()
    except Exception:  # noqa: BLE001 - a cache we do not own; never fail a reader for it
        pass


def write_vector_rows(gen: Path, rows: Iterable[Any], count: int, dim: int) -> None:
    """vectors.npy written a row at a time (float32, count x dim), so the ingest never holds
    a second copy of every vector to save them."""
    import numpy as np

    tmp = gen / (VECTORS + ".tmp")
    header = {
        "descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
        "fortran_order": False,
        "shape": (count, dim),
    }
    written = 0
    with open(tmp, "wb") as f:
        np.lib.format.write_array_header_1_0(f, header)
        for row in rows:
            f.write(np.asarray(row, dtype=np.float32).tobytes())
            written += 1
    if written != count:
        raise ValueError(f"{written} vectors written, {count} expected")
    os.replace(tmp, gen / VECTORS)


class VectorFile:
    """A generation's vectors.npy read a slice at a time: ``matrix[i:j]`` reads those rows
    from the file (nothing mapped, so what was read does not stay in memory)."""

    def __init__(self, path: Path):
        import numpy as np

        self.path = path
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read(f)
            self._offset = f.tell()
        if fortran or dtype != np.float32 or len(shape) != 2:
            raise IndexCorruptError(f"{VECTORS} không phải ma trận float32; hãy chạy `troly ingest --rebuild`")
        self.shape = shape

    def __len__(self) -> int:
        return int(self.shape[0])

    def __getitem__(self, rows: slice):
        import numpy as np

        start, stop, step = rows.indices(len(self))
        if step != 1:
            raise ValueError("only contiguous slices are read")
        dim = self.shape[1]
        with open(self.path, "rb") as f:
            f.seek(self._offset + start * dim * 4)
            data = np.fromfile(f, dtype=np.float32, count=max(0, stop - start) * dim)
        return data.reshape(-1, dim)


def read_vectors(gen: Path) -> dict[str, Any]:
    """Chunk id -> vector of a generation (empty when it has none: rebuilt then)."""
    import numpy as np

    try:
        matrix = np.load(gen / VECTORS)
        ids = [c.id for c in read_chunks(gen)]
    except (OSError, ValueError):
        return {}
    return dict(zip(ids, matrix)) if len(ids) == len(matrix) else {}


class GenerationVectors:
    """A generation's vectors in the shape of the Chroma collection the dense search asks
    (count, get, query): the matrix from vectors.npy, the collection only for a query."""

    def __init__(self, gen: Path, ids: list[str], matrix):
        self.gen, self.ids, self.matrix = gen, ids, matrix
        self._collection: Any = None  # a chromadb Collection, opened on the first query
        self._rows: dict[str, list[int]] | None = None  # doc id -> its rows
        if len(ids) > EAGER_ROWS:  # scale (issue 13): when opened, not on a question
            self._doc_rows()

    def count(self) -> int:
        return len(self.ids)

    def cells(self):
        """The generation's dense cells (retrieval/cells.py), or None when it has none (the
        approximate search then asks the Chroma collection)."""
        from .cells import DenseCells, has_cells

        if not has_cells(self.gen):
            return None
        try:
            return DenseCells(self.gen)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexCorruptError(
                f"không đọc được các ô vectơ của chỉ mục ({type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
            ) from None

    def get(self, include=("embeddings",), **_: Any) -> dict[str, Any]:
        return {"ids": list(self.ids), "embeddings": self.matrix}

    def query(self, **kwargs: Any) -> dict[str, Any]:
        """Chroma's query: the approximate (HNSW) search over every vector; a search within
        documents (``where`` on doc_id) is exact over their rows of the matrix (the
        collection keeps no per-chunk fields, and a filtered HNSW query can return fewer)."""
        docs = _where_docs(kwargs.get("where"))
        if docs is not None:
            return self._within(docs, kwargs["query_embeddings"], int(kwargs.get("n_results", 10)))
        if self._collection is None:
            self._collection = open_collection(self.gen)
        return self._collection.query(**kwargs)

    def _within(self, docs: list[str], queries, n: int) -> dict[str, Any]:
        import numpy as np

        by_doc = self._doc_rows()
        rows = np.array(sorted(r for d in dict.fromkeys(docs) for r in by_doc.get(d, ())), dtype=np.intp)
        out: dict[str, Any] = {"ids": [], "distances": []}
        m = np.asarray(self.matrix[rows], dtype=np.float32)  # (read once for every query)
        row_norms = self._norms(rows, m)
        for query in queries:
            q = np.asarray(query, dtype=np.float32)
            norms = row_norms * (np.linalg.norm(q) or 1.0)
            dist = 1.0 - (m @ q) / np.where(norms == 0, 1.0, norms)
            order = np.argsort(dist, kind="stable")[:n]
            out["ids"].append([self.ids[rows[i]] for i in order])
            out["distances"].append(dist[order].tolist())
        return out

    def _doc_rows(self) -> dict[str, list[int]]:
        """Doc id -> its rows (a chunk id is "<doc id>:<path>")."""
        if self._rows is None:
            self._rows = {}
            for row, chunk_id in enumerate(self.ids):
                self._rows.setdefault(chunk_id.split(":", 1)[0], []).append(row)
        return self._rows

    def _norms(self, rows, m):
        """The rows' norms (``m`` holds them), each computed once: a row's norm is the same
        whichever rows it is computed with. perf (issue 13, scale: the rows of the
        documents asked, question after question)."""
        import numpy as np

        known = self.__dict__.get("_known")
        if known is None:
            known = self._known = np.full(len(self.ids), np.nan, dtype=np.float32)
        got = known[rows]
        missing = np.isnan(got)
        if missing.any():
            got[missing] = known[rows[missing]] = np.linalg.norm(m[missing], axis=1)
        return got


def _where_docs(where: dict[str, Any] | None) -> list[str] | None:
    """The document ids of a ``{"doc_id": d}`` / ``{"doc_id": {"$in": [...]}}`` filter."""
    if not where or set(where) != {"doc_id"}:
        return None
    value = where["doc_id"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"$in"}:
        return list(value["$in"])
    return None


def open_vectors(gen: Path, ids: list[str]):
    """What the dense search reads for a generation: its vector file, or (generations built
    before there was one) its Chroma collection."""
    import numpy as np

    try:
        matrix = np.load(gen / VECTORS, mmap_mode="r")
    except FileNotFoundError:
        return open_collection(gen)
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"không đọc được {VECTORS} của chỉ mục ({type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
        ) from None
    if matrix.ndim != 2 or len(matrix) != len(ids):
        raise IndexCorruptError(f"{VECTORS} không khớp bảng đoạn của chỉ mục; hãy chạy `troly ingest --rebuild`")
    return GenerationVectors(gen, ids, matrix)


def open_collection(gen: Path):
    """The Chroma collection of a generation, for reading; failures as one-line errors."""
    try:
        return chroma_client(gen / CHROMA_DIR).get_collection(COLLECTION)
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own types, sqlite's and OSError
        if "readonly" in str(exc).replace("-", "").replace(" ", "").lower():
            raise IndexUnavailableError(
                f"không mở được kho vectơ {gen / CHROMA_DIR}: Chroma cần quyền ghi vào thư mục chỉ mục "
                "(đang chỉ đọc); hãy cho quyền ghi hoặc chép chỉ mục sang chỗ ghi được rồi đặt TROLY_INDEX_DIR"
            ) from None
        raise IndexCorruptError(
            f"không mở được kho vectơ của chỉ mục ({type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
        ) from None


def open_lexical(gen: Path):
    """The BM25 index of a generation; failures as one-line errors."""
    from .lexical import LexicalIndex

    try:
        return LexicalIndex.load(gen / LEXICAL)
    except Exception as exc:  # noqa: BLE001 - bm25s/numpy/json on damaged files
        raise IndexCorruptError(
            f"không đọc được chỉ mục từ khoá ({type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
        ) from None
