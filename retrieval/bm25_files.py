"""A saved bm25s index read back without importing bm25s (issue 13: cold start).

bm25s precomputes every (term, clause) score at indexing time and saves them as a sparse
matrix (CSC: ``data``, ``indices``, ``indptr`` .npy files) beside its vocabulary and
parameters; a query's scores are then the sums of its terms' columns. Importing bm25s
itself (which pulls in tqdm, asyncio, importlib.metadata, concurrent.futures and orjson)
cost a cold `troly ask` about a tenth of a second before any work, for those few lines.
So the reader maps the files bm25s wrote and sums the columns exactly as bm25s's numpy
backend does (``BM25._compute_relevance_from_scores``: float32 ``np.add.at`` per query
term, in the query's order), so the scores are the same to the bit
(tests/retrieval/test_bm25_files.py compares them with bm25s's own). The ingest saves
the index it builds through this class too (retrieval/bm25_build.py: the files bm25s
would write, byte for byte, without importing it); an index this reader does not
know how to read (another backend, a method with a non-occurrence array it lacks) is
loaded by bm25s itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PARAMS = "params.index.json"
VOCAB = "vocab.index.json"
ARRAYS = ("data", "indices", "indptr")  # <name>.csc.index.npy
NONOCCURRENCE = "nonoccurrence_array.index.npy"
# methods whose scores need the non-occurrence array (bm25s.BM25.methods_requiring_nonoccurrence)
_WITH_NONOCCURRENCE = ("bm25l", "bm25+")


class StoredBM25:
    """The part of ``bm25s.BM25`` the search uses (``vocab_dict``, ``scores``,
    ``get_scores``) over the files of a saved index."""

    def __init__(self, params: dict[str, Any], vocab: dict[str, int], arrays: dict[str, Any], nonoccurrence=None):
        import numpy as np

        self.params = params
        self.vocab_dict = vocab
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        self.scores = {**arrays, "num_docs": int(params["num_docs"])}
        self.nonoccurrence_array = nonoccurrence

    @classmethod
    def readable(cls, params: dict[str, Any]) -> bool:
        """Whether this reader scores an index saved with these parameters as bm25s would."""
        return params.get("backend", "numpy") == "numpy" and "num_docs" in params

    @classmethod
    def load(cls, folder: Path) -> StoredBM25 | None:
        """The index saved in ``folder``, or None when this reader does not read it (bm25s
        then loads it)."""
        import numpy as np

        params = json.loads((folder / PARAMS).read_text("utf-8"))
        if not cls.readable(params):
            return None
        vocab = json.loads((folder / VOCAB).read_text("utf-8"))
        arrays = {name: np.load(folder / f"{name}.csc.index.npy", mmap_mode="r") for name in ARRAYS}
        nonoccurrence = None
        if params.get("method") in _WITH_NONOCCURRENCE:
            path = folder / NONOCCURRENCE
            if not path.exists():
                return None
            nonoccurrence = np.load(path)
        return cls(params, vocab, arrays, nonoccurrence)

    def save(self, folder: str | Path, **_: Any) -> None:
        """The same files again, in ``folder`` (a loaded index saved elsewhere)."""
        import numpy as np

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        params = {**self.params, "num_docs": self.scores["num_docs"]}
        (folder / PARAMS).write_text(json.dumps(params, indent=4), "utf-8")
        # (compact, as bm25s writes it with orjson)
        (folder / VOCAB).write_text(json.dumps(self.vocab_dict, ensure_ascii=False, separators=(",", ":")), "utf-8")
        for name in ARRAYS:
            np.save(folder / f"{name}.csc.index.npy", np.asarray(self.scores[name]))
        if self.nonoccurrence_array is not None:
            np.save(folder / NONOCCURRENCE, self.nonoccurrence_array)

    def get_tokens_ids(self, tokens: list[str]) -> list[int]:
        return [self.vocab_dict[t] for t in tokens if t in self.vocab_dict]

    def get_scores(self, tokens: list[str]):
        """Every clause's BM25 score for the query ``tokens`` (those outside the vocabulary
        count for nothing): ``bm25s.BM25.get_scores``."""
        import numpy as np

        ids = np.asarray(self.get_tokens_ids(tokens), dtype=self.int_dtype)
        # perf (issue 13, fast9): sliced as plain arrays over the same mapped memory (a
        # memmap's slice costs twice the slice of the array it maps, twice per term)
        data, indices, indptr = (np.asarray(self.scores[name]) for name in ARRAYS)
        if int(ids.max(initial=0)) >= len(indptr) - 1:
            raise ValueError("a query token id is outside the index")
        starts, ends = indptr[ids], indptr[ids + 1]
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        # perf (issue 13, fast9): the terms' columns end to end, added by one np.add.at (which
        # adds in the order given: each clause's score is the same sum, term after term)
        lengths = (ends - starts).astype(np.intp)
        if len(lengths):
            at = np.repeat(starts.astype(np.intp) - np.cumsum(lengths) + lengths, lengths)
            at += np.arange(len(at))
            np.add.at(scores, indices[at], data[at])
        if self.nonoccurrence_array is not None:
            scores += self.nonoccurrence_array[ids].sum()
        return scores
