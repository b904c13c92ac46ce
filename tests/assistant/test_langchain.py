"""The LangChain fit (assistant/langchain_adapters.py, retrieval/embedding.py) checked by
LangChain's own standard suites from ``langchain-tests``, plus composition of the chain."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.langchain_adapters import AnswerChain, TrolyRetriever
from assistant.types import Answer
from retrieval.embedding import HashingEmbedder, OpenAIEmbedder

QUESTION = "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?"


class TestTrolyRetrieverStandard(RetrieversIntegrationTests):
    """LangChain's RetrieversIntegrationTests over the real corpus."""

    @pytest.fixture(autouse=True)
    def _corpus(self, corpus_app):
        type(self).app = corpus_app

    @property
    def retriever_constructor(self) -> type[TrolyRetriever]:
        return TrolyRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"app": type(self).app}

    @property
    def retriever_query_example(self) -> str:
        return QUESTION


class TestHashingEmbedderUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[HashingEmbedder]:
        return HashingEmbedder

    @property
    def embedding_model_params(self) -> dict:
        return {"dim": 256}


class TestHashingEmbedderIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[HashingEmbedder]:
        return HashingEmbedder

    @property
    def embedding_model_params(self) -> dict:
        return {"dim": 256}


class TestOpenAIEmbedderIntegration(EmbeddingsIntegrationTests):
    """Against the fake OpenAI-compatible server (tests/support/fake_openai.py)."""

    @pytest.fixture(autouse=True)
    def _server(self, fake_openai):
        type(self).base_url = fake_openai.base_url

    @property
    def embeddings_class(self) -> type[OpenAIEmbedder]:
        return OpenAIEmbedder

    @property
    def embedding_model_params(self) -> dict:
        return {"model": "emb-test", "base_url": type(self).base_url, "api_key": "sk-test", "max_retries": 0}


def test_retriever_documents_carry_the_clause(corpus_app):
    docs = TrolyRetriever(app=corpus_app, k=4, doc="57-NQ/TW").invoke(QUESTION)
    assert len(docs) == 4
    hits = corpus_app.search(QUESTION, 4, "57-NQ/TW")
    assert [d.id for d in docs] == [h.chunk.id for h in hits]
    assert all(d.metadata["doc_short"] == "57-NQ/TW" and d.metadata["label"] for d in docs)


def test_the_answer_chain_is_the_public_ask(corpus_app):
    chain = AnswerChain(corpus_app)
    answer = chain.invoke(QUESTION)
    assert isinstance(answer, Answer)
    expected = corpus_app.ask(QUESTION)
    assert answer.answer == expected.answer
    assert [c.chunk_id for c in answer.citations] == [c.chunk_id for c in expected.citations]


def test_the_answer_chain_composes_with_langchain(corpus_app):
    follow_up = "Còn về chuyển đổi số thì sao?"
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "…"}]
    pipeline = (
        RunnableLambda(lambda q: {"question": q, "history": history})
        | AnswerChain(corpus_app)
        | RunnableLambda(lambda a: a.to_json())
    )
    (out,) = pipeline.batch([follow_up])
    assert out["question"] == follow_up and out["standalone_question"] != follow_up
    direct = corpus_app.ask(follow_up, [])
    assert out["standalone_question"] != direct.standalone_question  # the history was used


def test_retriever_feeds_a_langchain_pipeline(corpus_app):
    labels = TrolyRetriever(app=corpus_app, k=2) | RunnableLambda(lambda docs: [d.metadata["label"] for d in docs])
    out = labels.invoke(QUESTION)
    assert len(out) == 2 and all(isinstance(x, str) and x for x in out)
    assert all(isinstance(d, Document) for d in TrolyRetriever(app=corpus_app, k=2).invoke(QUESTION))
