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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
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

    def forget_cache(self) -> None:
        """Let go of the syllables' and bigrams' features kept so far (a memo: the vectors
        do not change). perf (issue 13, ingest peak memory): an ingest's texts fill them
        with every bigram of the corpus (~170 MB at 100,000 distinct clauses), kept through
        the rest of the ingest and after it; a question's few are made again as it asks."""
        self._syllable_cache.clear()
        self._pair_cache.clear()

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
        ``_vector`` divides it: the rows are its vectors, bit for bit."""
        import numpy as np

        n, dim = len(texts), self.dim
        if not n:
            return np.zeros((0, dim), dtype=np.float32)
        buckets: list[int] = []
        weights: list[float] = []
        lengths: list[int] = []
        for text in texts:
            b, w = self._features(text)
            buckets += b
            weights += w
            lengths.append(len(b))
        rows = np.repeat(np.arange(n, dtype=np.int64) * dim, lengths)
        cells = np.asarray(buckets, dtype=np.int64) + rows
        matrix = np.bincount(cells, weights=weights, minlength=n * dim).astype(np.float32).reshape(n, dim)
        matrix = np.sign(matrix) * np.sqrt(np.abs(matrix))
        norm = np.linalg.norm
        for vec in matrix:
            length = float(norm(vec))
            if length:
                vec /= length
        return matrix

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


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
