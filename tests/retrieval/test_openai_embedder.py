"""OpenAIEmbedder against a fake OpenAI-compatible server over real HTTP (real openai +
langchain-openai clients): results, batching, settings sent, retries and error mapping."""

from __future__ import annotations

import time

import pytest

from assistant.registry import make_embedder
from retrieval.embedding import EmbedderSpec, OpenAIEmbedder
from retrieval.errors import BackendUnavailableError, BadInputError
from tests.support.fake_openai import down_url

SECRET = "sk-test-SECRET-1234567890"
EMB = "/v1/embeddings"


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "OPENAI_PROXY", "OPENAI_ORGANIZATION"):
        monkeypatch.delenv(var, raising=False)


def embedder(server_or_url, **kw) -> OpenAIEmbedder:
    base_url = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    spec = EmbedderSpec(
        **{"model": "emb-test", "base_url": base_url, "api_key": SECRET, "max_retries": 0, "timeout": 5.0, **kw}
    )
    emb = make_embedder("openai", spec)
    assert isinstance(emb, OpenAIEmbedder)
    return emb


def assert_clean_error(exc: BaseException) -> str:
    msg = str(exc)
    assert msg and "\n" not in msg
    assert "máy chủ embedding" in msg  # Vietnamese, says which service failed
    assert SECRET not in msg and SECRET not in repr(exc)
    return msg


def test_vectors_dimension_and_determinism(fake_openai):
    emb = embedder(fake_openai)
    texts = ["Chuyển đổi số quốc gia", "Khoa học công nghệ", "Chuyển đổi số quốc gia"]
    vecs = emb.embed_documents(texts)
    assert len(vecs) == 3 and all(len(v) == 64 for v in vecs)
    assert vecs[0] == pytest.approx(vecs[2])
    assert vecs[0] == pytest.approx(fake_openai.vector(texts[0]), abs=1e-6)
    assert emb.embed_query(texts[1]) == pytest.approx(vecs[1], abs=1e-6)
    assert emb.name == "openai" and emb.version == "emb-test"


def test_batching(fake_openai):
    texts = [f"đoạn văn số {i}" for i in range(5)]
    vecs = embedder(fake_openai, batch_size=2).embed_documents(texts)
    assert vecs == [pytest.approx(fake_openai.vector(t), abs=1e-6) for t in texts]  # order kept across batches
    reqs = fake_openai.requests_to(EMB)
    assert len(reqs) == 3
    assert [r.body["input"] for r in reqs] == [texts[0:2], texts[2:4], texts[4:5]]  # raw text, not tokens


def test_model_and_api_key_reach_server(fake_openai):
    embedder(fake_openai, model="bge-m3").embed_query("xin chào")
    req = fake_openai.last
    assert req.path == EMB and req.body["model"] == "bge-m3"
    assert req.authorization == f"Bearer {SECRET}"


def test_local_server_without_api_key(fake_openai):
    emb = make_embedder("vllm", EmbedderSpec(model="m", base_url=fake_openai.base_url, api_key=None, max_retries=0))
    assert len(emb.embed_query("xin chào")) == 64
    assert fake_openai.last.api_key  # some placeholder key is sent; local servers ignore it


def test_429_once_then_success(fake_openai):
    fake_openai.fail("429", times=1)
    vecs = embedder(fake_openai, max_retries=2).embed_documents(["a b", "c d"])
    assert len(vecs) == 2
    assert fake_openai.count(EMB) == 2


def test_429_always_gives_up(fake_openai):
    fake_openai.fail("429", times=None)
    with pytest.raises(BackendUnavailableError) as info:
        embedder(fake_openai, max_retries=1).embed_query("a")
    assert "429" in assert_clean_error(info.value)
    assert fake_openai.count(EMB) == 2


def test_http_500(fake_openai):
    fake_openai.fail("500", times=None)
    with pytest.raises(BackendUnavailableError) as info:
        embedder(fake_openai).embed_documents(["a"])
    assert "HTTP 500" in assert_clean_error(info.value)


def test_server_down_is_fast():
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError) as info:
        embedder(down_url(), max_retries=0, timeout=2.0).embed_documents(["a"])
    assert time.monotonic() - start < 5.0  # a refused connection fails at once, not after retries
    assert "OPENAI_BASE_URL" in assert_clean_error(info.value)


def test_hung_server_times_out(fake_openai):
    # held 10 s (the fake's cap): failing well before proves the 1 s timeout, even on a busy machine
    fake_openai.hang_seconds = 10.0
    fake_openai.fail("hang", times=None)
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError) as info:
        embedder(fake_openai, timeout=1.0, max_retries=0).embed_query("a")
    assert time.monotonic() - start < 7.0
    assert "hết thời gian chờ" in assert_clean_error(info.value)


@pytest.mark.parametrize("mode", ["drop", "malformed"])
def test_broken_replies(fake_openai, mode):
    fake_openai.fail(mode, times=None)
    with pytest.raises(BackendUnavailableError) as info:
        embedder(fake_openai).embed_documents(["a"])
    assert_clean_error(info.value)


def test_no_key_no_base_url():
    with pytest.raises(BadInputError) as info:
        make_embedder("openai", EmbedderSpec(api_key=None, base_url=None))
    assert "OPENAI_API_KEY" in str(info.value)


def test_chroma_search_with_openai_embedder(fake_openai, tmp_path):
    from retrieval.index import vector_store

    store = vector_store(tmp_path, embedder(fake_openai))
    store.add_texts(
        [
            "phát triển khoa học công nghệ và đổi mới sáng tạo",
            "chuyển đổi số quốc gia và kinh tế số",
            "bảo vệ môi trường và ứng phó biến đổi khí hậu",
        ],
        ids=["kh", "cds", "mt"],
    )
    hits = store.similarity_search("kinh tế số và chuyển đổi số", k=3)
    assert [d.page_content for d in hits][0] == "chuyển đổi số quốc gia và kinh tế số"
    hits = store.similarity_search("biến đổi khí hậu", k=1)
    assert hits[0].page_content.startswith("bảo vệ môi trường")
    assert fake_openai.count(EMB) == 3  # one batch for the documents, one per query
