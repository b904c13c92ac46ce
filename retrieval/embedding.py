"""Embedders: one small interface, implementations chosen by name from one registry.

``hashing`` is the offline default: signed feature hashing of accent-folded syllables,
syllable bigrams and character n-grams, plus the accented syllables, L2-normalized. It
needs no model and no network, and is deterministic across processes. ``openai`` calls
any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, TEI, Ollama) through
langchain-openai. Both have the shape of langchain's ``Embeddings`` (embed_documents,
embed_query and their async forms), so langchain-chroma can use them, without importing
langchain_core at load (it costs a quarter of a second of every cold `troly ask`): the
classes are registered as ``Embeddings`` on first use through langchain
(``as_langchain``).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .errors import BackendUnavailableError, BadInputError
from .openai_errors import openai_error_message
from .text import fold, words

if TYPE_CHECKING:  # numpy loads when a vector is made (an ingest starts its Chroma writer first)
    import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors; ``name`` and ``version`` are recorded in the index."""

    name: str
    version: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_chain = chain.from_iterable


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    h = zlib.crc32(feature.encode("utf-8"))
    return h % dim, (1.0 if (h >> 31) & 1 else -1.0)


class _EmbeddingsShape:
    """The async half of langchain's Embeddings interface, over the sync methods (which
    every subclass defines)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, self.embed_query, text)


def as_langchain(embedder):
    """The embedder, registered as a langchain ``Embeddings`` (imports langchain_core)."""
    from langchain_core.embeddings import Embeddings

    if not isinstance(embedder, Embeddings):
        Embeddings.register(type(embedder))
    return embedder


class HashingEmbedder(_EmbeddingsShape):
    """Offline, deterministic feature-hashing embedder (the default).

    Features: accent-folded syllables (1.0), accented syllables (0.5), folded syllable
    bigrams (1.0, Vietnamese compounds are two syllables), and character 4-grams of the
    folded syllables (0.25, robust to typos and partial tone marks). Buckets are signed,
    counts damped by a square root, vectors L2-normalized.
    """

    name = "hashing"

    def __init__(self, dim: int = 1024):
        self.dim = dim
        self.version = f"1-d{dim}"
        self._syllable_cache: dict[str, tuple[str, list[int], list[float]]] = {}
        self._pair_cache: dict[tuple[str, str], tuple[int, float]] = {}
        self._table: _SyllableTable | None = None  # embed_array's numbering (an ingest's memo)

    def forget_cache(self) -> None:
        """Let go of the syllables' and bigrams' features kept so far (a memo: the vectors
        do not change). perf (issue 13, ingest peak memory): an ingest's texts fill them
        with every bigram of the corpus (~170 MB at 100,000 distinct clauses), kept through
        the rest of the ingest and after it; a question's few are made again as it asks."""
        self._syllable_cache.clear()
        self._pair_cache.clear()
        self._table = None

    def _syllable(self, syl: str) -> tuple[str, list[int], list[float]]:
        """The folded syllable, its feature buckets and their signed weights."""
        hit = self._syllable_cache.get(syl)
        if hit is None:
            folded = fold(syl)
            feats = [_bucket("u:" + folded, self.dim)]
            if folded != syl:
                b, w = _bucket("a:" + syl, self.dim)
                feats.append((b, 0.5 * w))
            padded = f"<{folded}>"
            for i in range(max(1, len(padded) - 3)):
                b, w = _bucket("c:" + padded[i : i + 4], self.dim)
                feats.append((b, 0.25 * w))
            hit = self._syllable_cache[syl] = (folded, [b for b, _ in feats], [w for _, w in feats])
        return hit

    def _features(self, text: str) -> tuple[list[int], list[float]]:
        """The text's feature buckets and their signed weights: its syllables' (from the
        syllable cache), then its bigrams' (from the pair cache). perf (issue 13): gathered
        by C-level iteration over the cached lists; the order of the features does not
        change their sums (see ``_vector``)."""
        cache = self._syllable_cache
        entries = [cache.get(s) or self._syllable(s) for s in words(text)]
        folded = list(map(_FIRST, entries))
        get = self._pair_cache.get
        bigrams = [get(p) or self._pair(p) for p in zip(folded, folded[1:])]
        buckets = list(_chain(map(_SECOND, entries)))
        weights = list(_chain(map(_THIRD, entries)))
        buckets += map(_FIRST, bigrams)
        weights += map(_SECOND, bigrams)
        return buckets, weights

    def _pair(self, pair: tuple[str, str]) -> tuple[int, float]:
        """The bucket and signed weight of a bigram of folded syllables (kept)."""
        bw = self._pair_cache[pair] = _bucket("b:" + pair[0] + "_" + pair[1], self.dim)
        return bw

    def _vector(self, text: str) -> np.ndarray:
        # perf (issue 13): the features are gathered, then summed per bucket in one call; the
        # weights (±1, ±0.5, ±0.25) and their sums are exact in float32, so the vector is the
        # one adding them one by one gave, bit for bit
        import numpy as np

        buckets, weights = self._features(text)
        vec = np.bincount(buckets, weights=weights, minlength=self.dim).astype(np.float32)
        # sublinear damping keeps long chunks from drowning short ones
        vec = np.sign(vec) * np.sqrt(np.abs(vec))
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t).tolist() for t in texts]

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """embed_documents as one float32 matrix, without the round trip through lists
        (perf, issue 13: the ingest stores float32 rows; the values are the same). The
        texts' features are summed in one call, each text's into its own row (the sums are
        exact whatever their order), damped in one go, and each row divided by its norm as
        ``_vector`` divides it: the rows are its vectors, bit for bit. perf (issue 13,
        scale): the features are gathered with array operations from a numbering of the
        syllables met (``_SyllableTable``), not text by text in Python."""
        import numpy as np

        n, dim = len(texts), self.dim
        if not n:
            return np.zeros((0, dim), dtype=np.float32)
        table = self._table
        if table is None:
            table = self._table = _SyllableTable(self)
        cells, weights = table.features(texts)
        matrix = np.bincount(cells, weights=weights, minlength=n * dim).astype(np.float32).reshape(n, dim)
        del cells, weights
        matrix = np.sign(matrix) * np.sqrt(np.abs(matrix))
        norm = np.linalg.norm
        for vec in matrix:
            length = float(norm(vec))
            if length:
                vec /= length
        return matrix

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


class _SyllableTable:
    """The syllables met by ``embed_array`` numbered, each with its features (the very
    buckets and weights of ``HashingEmbedder._syllable``) end to end in arrays, and the
    bigrams of folded syllables met, keyed ``first fold << 32 | second fold`` (sorted),
    with their buckets and weights: a batch of texts is only split into its syllables in
    Python, its features then gathered with array operations (perf, issue 13)."""

    def __init__(self, embedder: HashingEmbedder):
        import numpy as np

        self.embedder = embedder
        self.ids: dict[str, int] = {}
        self.fold_of = array("q")  # syllable -> its fold's number
        self.folds: dict[str, int] = {}
        self.fold_strings: list[str] = []
        self.start = array("q")  # syllable -> where its features start in buckets
        self.count = array("q")  # syllable -> how many features it has
        self.buckets = array("q")
        self.weights = array("d")
        self.bigram_keys = np.zeros(0, dtype=np.int64)
        self.bigram_buckets = np.zeros(0, dtype=np.int64)
        self.bigram_weights = np.zeros(0, dtype=np.float64)

    def _add(self, syl: str) -> int:
        folded, buckets, weights = self.embedder._syllable(syl)  # noqa: SLF001 - the embedder's own features
        k = self.ids[syl] = len(self.start)
        f = self.folds.get(folded)
        if f is None:
            f = self.folds[folded] = len(self.fold_strings)
            self.fold_strings.append(folded)
        self.fold_of.append(f)
        self.start.append(len(self.buckets))
        self.count.append(len(buckets))
        self.buckets.extend(buckets)
        self.weights.extend(weights)
        return k

    def _bigrams(self, keys):
        """The buckets and weights of distinct sorted bigram keys (each new one's string
        made and hashed once, as ``HashingEmbedder._pair`` makes it)."""
        import numpy as np

        known = self.bigram_keys
        at = np.searchsorted(known, keys)
        hit = at < len(known)
        hit[hit] = known[at[hit]] == keys[hit]
        buckets = np.empty(len(keys), dtype=np.int64)
        weights = np.empty(len(keys), dtype=np.float64)
        buckets[hit] = self.bigram_buckets[at[hit]]
        weights[hit] = self.bigram_weights[at[hit]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            fs, dim = self.fold_strings, self.embedder.dim
            new = keys[miss]
            made = [_bucket("b:" + fs[k >> 32] + "_" + fs[k & 0xFFFFFFFF], dim) for k in new.tolist()]
            new_buckets = np.fromiter(map(_FIRST, made), dtype=np.int64, count=len(made))
            new_weights = np.fromiter(map(_SECOND, made), dtype=np.float64, count=len(made))
            buckets[miss] = new_buckets
            weights[miss] = new_weights
            where = at[miss]  # (ascending, as the keys: the tables stay sorted)
            self.bigram_keys = np.insert(known, where, new)
            self.bigram_buckets = np.insert(self.bigram_buckets, where, new_buckets)
            self.bigram_weights = np.insert(self.bigram_weights, where, new_weights)
        return buckets, weights

    def features(self, texts: list[str]):
        """Every feature of the texts as a cell of an n x dim matrix (row * dim + bucket)
        and its signed weight: each text's syllables' and its bigrams' (``_features``'s,
        in another order: their sums are the same)."""
        import numpy as np

        ids, get = self.ids, self.ids.get
        flat = array("q")
        lengths = array("q")
        for text in texts:
            syllables = words(text)
            idx = list(map(get, syllables, repeat(-1)))
            if -1 in idx:
                idx = [k if k >= 0 else ids[w] if w in ids else self._add(w) for k, w in zip(idx, syllables)]
            flat.extend(idx)
            lengths.append(len(idx))
        n, dim = len(texts), self.embedder.dim
        s = np.frombuffer(flat, dtype=np.int64) if len(flat) else np.zeros(0, np.int64)
        per_text = np.frombuffer(lengths, dtype=np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64) * dim, per_text)  # each syllable's row, times dim
        count = np.frombuffer(self.count, dtype=np.int64)[s]
        start = np.frombuffer(self.start, dtype=np.int64)[s]
        total = int(count.sum())
        ends = np.cumsum(count)
        at = np.arange(total, dtype=np.int64) + np.repeat(start - (ends - count), count)
        del start, ends
        syl_cells = np.frombuffer(self.buckets, dtype=np.int64)[at] + np.repeat(owner, count)
        syl_weights = np.frombuffer(self.weights, dtype=np.float64)[at]
        del at, count
        if len(s) > 1:
            pair = owner[1:] == owner[:-1]
            folds = np.frombuffer(self.fold_of, dtype=np.int64)[s]
            keys = folds[:-1][pair] << 32
            keys |= folds[1:][pair]
            del folds
            distinct, inverse = np.unique(keys, return_inverse=True)
            del keys
            buckets, weights = self._bigrams(distinct)
            inverse = inverse.ravel()
            pair_cells = buckets[inverse] + owner[:-1][pair]
            pair_weights = weights[inverse]
            return np.concatenate((syl_cells, pair_cells)), np.concatenate((syl_weights, pair_weights))
        return syl_cells, syl_weights


class OpenAIEmbedder(_EmbeddingsShape):
    """Any OpenAI-compatible embeddings endpoint, through langchain-openai."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None,
        api_key: str | None,
        batch_size: int = 64,
        timeout: float = 30.0,
        max_retries: int = 2,
    ):
        from langchain_openai import OpenAIEmbeddings

        if not api_key and not base_url:
            raise BadInputError(
                "embedder 'openai' cần OPENAI_API_KEY (hoặc OPENAI_BASE_URL tới máy chủ tương thích OpenAI)"
            )
        self.model = model
        self.version = model
        self._client = OpenAIEmbeddings(
            # the field names (the model populates by name): its aliases base_url, api_key and
            # timeout are not in the signature a type checker sees
            model=model,
            openai_api_base=base_url,
            openai_api_key=api_key or "not-needed",
            chunk_size=batch_size,
            request_timeout=timeout,
            max_retries=max_retries,
            check_embedding_ctx_length=False,  # no tiktoken download; send raw text
        )

    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - mapped by the one mapper, else raised as it is
            message = openai_error_message(exc, "máy chủ embedding")
            if message is None:
                raise
            raise BackendUnavailableError(message) from None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._call(lambda: self._client.embed_documents(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._call(lambda: self._client.embed_query(text))


@dataclass(frozen=True)
class EmbedderSpec:
    """Settings an embedder factory may read."""

    model: str = "text-embedding-3-small"
    base_url: str | None = None
    api_key: str | None = None
    batch_size: int = 64
    timeout: float = 30.0
    max_retries: int = 2


# The embedders are chosen by name in assistant/registry.py (EMBEDDERS).
