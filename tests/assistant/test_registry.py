"""The backend registry (assistant/registry.py) and one contract every registered backend
of a role must meet, whatever it is (haystack's DocumentStore test mixins are the model):
a new backend added to the registry is checked here without a new test."""

from __future__ import annotations

import math
import re

import pytest

from assistant.api import Assistant
from assistant.protocols import Condenser, Embedder, Generator, Retriever, VectorStore
from assistant.registry import CONDENSERS, EMBEDDERS, GENERATORS, OFFLINE_ALIASES, ROLES, VECTOR_STORES
from retrieval.embedding import EmbedderSpec
from retrieval.errors import UnknownBackendError
from tests.support.corpus import make_settings

QUESTION = "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?"


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TROLY_OPENAI_API_KEY", "TROLY_OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize("role", list(ROLES.values()), ids=list(ROLES))
def test_unknown_names_list_the_valid_ones(role):
    with pytest.raises(UnknownBackendError) as info:
        role.resolve("khong-co-ten-nay")
    assert all(name in str(info.value) for name in role.names())


@pytest.mark.parametrize("role", list(ROLES.values()), ids=list(ROLES))
def test_offline_aliases_mean_the_default_in_every_role(role):
    for alias in OFFLINE_ALIASES:
        assert role.resolve(alias) == role.default
        assert role.resolve(alias.upper()) == role.default
    assert role.default in role.names()
    assert all(target in role.names() for target in role.aliases.values())


def test_the_offline_defaults_are_the_settings_defaults(tmp_path):
    s = make_settings(tmp_path)
    assert EMBEDDERS.resolve(s.embedder) == "hashing"
    assert GENERATORS.resolve(s.generator) == "extractive"
    assert CONDENSERS.resolve(s.condenser) == "rules"
    assert isinstance(VECTOR_STORES.make("local", s), VectorStore)


def test_chroma_server_mode_needs_its_url(tmp_path):
    with pytest.raises(UnknownBackendError, match="TROLY_CHROMA_URL"):
        VECTOR_STORES.make("chroma-server", make_settings(tmp_path))


def _spec(fake_openai) -> EmbedderSpec:
    return EmbedderSpec(model="emb-test", base_url=fake_openai.base_url, api_key="sk-test", max_retries=0)


@pytest.mark.parametrize("name", EMBEDDERS.names())
def test_every_embedder_meets_the_contract(name, fake_openai):
    embedder = EMBEDDERS.make(name, _spec(fake_openai))
    assert isinstance(embedder, Embedder)
    assert embedder.name and embedder.version
    texts = ["Nghị quyết 57-NQ/TW về khoa học, công nghệ", "chuyển đổi số quốc gia", ""]
    vectors = embedder.embed_documents(texts)
    assert len(vectors) == len(texts)
    dim = len(vectors[0])
    assert dim > 0 and all(len(v) == dim for v in vectors)
    assert all(math.isfinite(x) for v in vectors for x in v)
    query = embedder.embed_query(texts[0])
    assert len(query) == dim
    assert embedder.embed_query(texts[0]) == query  # the same text, the same vector


def _assistant(corpus_app: Assistant, fake_openai, **kw) -> Assistant:
    settings = make_settings(
        corpus_app.settings.data_dir,
        openai_base_url=fake_openai.base_url,
        openai_api_key="sk-test",
        max_retries=0,
        request_timeout=5,
        **kw,
    )
    return Assistant(settings)


def _cite_first_source(body: dict) -> str:
    """The fake chat model's reply: the first sentence of source 1, cited [1]."""
    user = body["messages"][-1]["content"]
    text = re.search(r'<nguon so="1"[^>]*>\n(.*?)\n</nguon>', user, re.S).group(1)
    sentence = re.split(r"(?<=[.;:])\s", text.strip().splitlines()[-1])[0].rstrip(".;:")
    return f"{sentence} [1]."


@pytest.mark.parametrize("name", GENERATORS.names())
def test_every_generator_answers_through_the_api_with_exact_citations(name, corpus_app, fake_openai):
    fake_openai.chat_handler = _cite_first_source
    app = _assistant(corpus_app, fake_openai, generator=name)
    assert isinstance(app.answerer.generator, Generator)
    answer = app.ask(QUESTION)
    assert answer.backend["generator"] == GENERATORS.resolve(name)
    assert not answer.abstained and answer.citations
    for c in answer.citations:
        assert c.quote and c.quote in c.text
        assert f"[{c.marker}]" in answer.answer


@pytest.mark.parametrize("name", CONDENSERS.names())
def test_every_condenser_keeps_a_standalone_question(name, corpus_app, fake_openai):
    fake_openai.chat_handler = lambda body: QUESTION
    app = _assistant(corpus_app, fake_openai, condenser=name)
    condenser = app.answerer.condenser
    assert isinstance(condenser, Condenser)
    assert condenser.condense(QUESTION, []) == QUESTION  # nothing to resolve: left as it is


def test_the_searcher_is_a_retriever(corpus_app):
    assert isinstance(corpus_app.searcher, Retriever)
    hits = corpus_app.searcher.search(QUESTION, 3)
    assert 0 < len(hits) <= 3
