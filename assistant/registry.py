"""Every swappable backend, registered explicitly in this one module (no registration by
import side effect). Each role maps names to factories that import their implementation
only when called, so choosing a backend costs nothing until it is built.

The offline aliases ("offline", "default") are defined once, here, for every role; an
unknown name raises UnknownBackendError listing the valid ones. To add a backend: write
the class (it satisfies the role's Protocol in assistant/protocols.py), add one factory
below, and the contract tests (tests/assistant/test_registry.py) run it through the same
checks as the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrieval.errors import UnknownBackendError

if TYPE_CHECKING:
    from retrieval.embedding import Embedder, EmbedderSpec

    from .generation.base import Generator
    from .settings import Settings

OFFLINE_ALIASES = ("offline", "default")  # in every role: its offline default


@dataclass(frozen=True)
class Role:
    """One swappable role: its backends by name, the offline default, other aliases."""

    name: str  # as the error names it: "embedder", "generator", …
    factories: Mapping[str, Callable[..., Any]]
    default: str  # the offline backend ("offline"/"default" mean it)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted(self.factories)

    def resolve(self, name: str) -> str:
        """The registered name that name (or an alias, any case) stands for."""
        key = name.strip().lower()
        key = self.default if key in OFFLINE_ALIASES else self.aliases.get(key, key)
        if key not in self.factories:
            raise UnknownBackendError(self.name, name, self.names())
        return key

    def is_offline(self, name: str) -> bool:
        return self.resolve(name) == self.default

    def make(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self.factories[self.resolve(name)](*args, **kwargs)


# -- embedders (retrieval/embedding.py) -------------------------------------------------
def _hashing_embedder(spec: EmbedderSpec) -> Embedder:
    from retrieval.embedding import HashingEmbedder

    return HashingEmbedder()


def _openai_embedder(spec: EmbedderSpec) -> Embedder:
    from retrieval.embedding import OpenAIEmbedder

    return OpenAIEmbedder(spec.model, spec.base_url, spec.api_key, spec.batch_size, spec.timeout, spec.max_retries)


# -- generators (assistant/generation/) -------------------------------------------------
def _extractive_generator(prompts, tokens, idf, known=lambda t: True, scorer=None, **_: object) -> Generator:
    from .generation.extractive import ExtractiveGenerator

    return ExtractiveGenerator(prompts, tokens, idf, known=known, scorer=scorer)


def _openai_generator(prompts, settings: Settings, **_: object) -> Generator:
    from .generation.openai_gen import OpenAIGenerator

    return OpenAIGenerator(prompts, settings)


# -- condensers (assistant/condense.py, assistant/llm_condense.py) ----------------------
def _rule_condenser(recognizer, **_: object):
    from .condense import RuleCondenser

    return RuleCondenser(recognizer)


def _llm_condenser(recognizer, prompts, settings: Settings, **_: object):
    from .condense import RuleCondenser
    from .llm_condense import LLMCondenser

    return LLMCondenser(RuleCondenser(recognizer), prompts, settings)


# -- vector stores: where the index generations live (retrieval/index.py) ---------------
def _local_store(settings: Settings):
    from retrieval.index import IndexDir

    return IndexDir(settings.index, exact_limit=settings.dense_exact_limit)


def _chroma_server_store(settings: Settings):
    """A Chroma server every replica reads (TROLY_CHROMA_URL); the index folder keeps
    local copies of the live generation."""
    from retrieval.chroma_server import ChromaServerIndex

    if not settings.chroma_url:
        raise UnknownBackendError("vector store", "chroma-server (thiếu TROLY_CHROMA_URL)", VECTOR_STORES.names())
    return ChromaServerIndex(
        settings.chroma_url,
        settings.index,
        prefix=settings.collection_prefix,
        grace_s=settings.chroma_grace_s,
        timeout=settings.chroma_timeout,
    )


EMBEDDERS = Role(
    "embedder",
    {"hashing": _hashing_embedder, "openai": _openai_embedder},
    default="hashing",
    aliases={"hash": "hashing", "tei": "openai", "vllm": "openai", "ollama": "openai"},
)
GENERATORS = Role(
    "generator",
    {"extractive": _extractive_generator, "openai": _openai_generator},
    default="extractive",
    aliases={"llm": "openai", "vllm": "openai", "ollama": "openai"},
)
CONDENSERS = Role("condenser", {"rules": _rule_condenser, "llm": _llm_condenser}, default="rules")
VECTOR_STORES = Role(
    "vector store",
    {"local": _local_store, "chroma-server": _chroma_server_store},
    default="local",
    aliases={"chroma": "chroma-server"},
)
ROLES = {role.name: role for role in (EMBEDDERS, GENERATORS, CONDENSERS, VECTOR_STORES)}


def make_embedder(name: str, spec: EmbedderSpec | None = None) -> Embedder:
    """The embedder registered under name (or an alias)."""
    from retrieval.embedding import EmbedderSpec

    return EMBEDDERS.make(name, spec or EmbedderSpec())


def make_generator(name: str, **kwargs: Any) -> Generator:
    """The generator registered under name (or an alias); kwargs: what its factory reads."""
    return GENERATORS.make(name, **kwargs)


def make_vector_store(settings: Settings):
    """Where the index lives: a Chroma server when TROLY_CHROMA_URL is set, else the local folder."""
    return VECTOR_STORES.make("chroma-server" if settings.chroma_url else "local", settings)
