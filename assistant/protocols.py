"""The swappable roles, one small Protocol each, side by side. The implementations are
registered by name in assistant/registry.py.

- Embedder (retrieval/embedding.py): texts to vectors; HashingEmbedder, OpenAIEmbedder.
- Retriever (retrieval/types.py): a query to ranked hits; HybridSearcher.
- VectorStore (retrieval/index.py ``Generations``): where the index generations live;
  IndexDir (a local folder), ChromaServerIndex (a Chroma server shared by replicas).
- Condenser (here): a follow-up and its conversation to a standalone question;
  RuleCondenser, LLMCondenser.
- Generator (assistant/generation/base.py): sources to a cited draft; ExtractiveGenerator,
  OpenAIGenerator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from retrieval.embedding import Embedder
from retrieval.index import Generations as VectorStore
from retrieval.types import Retriever

from .generation.base import Generator

if TYPE_CHECKING:
    from .condense import Turn

__all__ = ["Condenser", "Embedder", "Generator", "Retriever", "VectorStore"]


@runtime_checkable
class Condenser(Protocol):
    """Rewrites a follow-up question so it stands on its own."""

    def condense(self, question: str, history: list[Turn]) -> str: ...
