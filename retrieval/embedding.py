"""Embedders: one small interface, implementations chosen by name from one registry.

``hashing`` is the offline default: signed feature hashing of accent-folded syllables,
syllable bigrams and character n-grams, plus the accented syllables, L2-normalized. It
needs no model and no network, and is deterministic across processes. ``openai`` calls
any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, TEI, Ollama) through
langchain-openai. Both are langchain ``Embeddings``, so langchain-chroma can use them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import BackendUnavailableError, BadInputError
from .openai_errors import openai_error_message
from .text import fold, words


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors; ``name`` and ``version`` are recorded in the index."""

    name: str
    version: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    h = zlib.crc32(feature.encode("utf-8"))
    return h % dim, (1.0 if (h >> 31) & 1 else -1.0)


class HashingEmbedder(Embeddings):
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
        self._syllable_cache: dict[str, tuple[str, list[tuple[int, float]]]] = {}
        self._pair_cache: dict[tuple[str, str], tuple[int, float]] = {}

    def _syllable(self, syl: str) -> tuple[str, list[tuple[int, float]]]:
        hit = self._syllable_cache.get(syl)
        if hit is None:
            folded = fold(syl)
            feats = [(b, w) for b, w in [_bucket("u:" + folded, self.dim)]]
            if folded != syl:
                b, w = _bucket("a:" + syl, self.dim)
                feats.append((b, 0.5 * w))
            padded = f"<{folded}>"
            for i in range(max(1, len(padded) - 3)):
                b, w = _bucket("c:" + padded[i:i + 4], self.dim)
                feats.append((b, 0.25 * w))
            hit = self._syllable_cache[syl] = (folded, feats)
        return hit

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        prev = None
        for syl in words(text):
            folded, feats = self._syllable(syl)
            for b, w in feats:
                vec[b] += w
            if prev is not None:
                pair = (prev, folded)
                bw = self._pair_cache.get(pair)
                if bw is None:
                    bw = self._pair_cache[pair] = _bucket("b:" + prev + "_" + folded, self.dim)
                vec[bw[0]] += bw[1]
            prev = folded
        # sublinear damping keeps long chunks from drowning short ones
        vec = np.sign(vec) * np.sqrt(np.abs(vec))
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


class OpenAIEmbedder(Embeddings):
    """Any OpenAI-compatible embeddings endpoint, through langchain-openai."""

    name = "openai"

    def __init__(self, model: str, base_url: str | None, api_key: str | None, batch_size: int = 64,
                 timeout: float = 30.0, max_retries: int = 2):
        from langchain_openai import OpenAIEmbeddings

        if not api_key and not base_url:
            raise BadInputError(
                "embedder 'openai' cần OPENAI_API_KEY (hoặc OPENAI_BASE_URL tới máy chủ tương thích OpenAI)"
            )
        self.model = model
        self.version = model
        self._client = OpenAIEmbeddings(
            model=model,
            base_url=base_url,
            api_key=api_key or "not-needed",
            chunk_size=batch_size,
            timeout=timeout,
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
