"""The fake OpenAI-compatible server behaves like the real API for the real `openai` client."""

from __future__ import annotations

import math
import threading
import time

import openai
import pytest

from tests.support.fake_openai import DEFAULT_REPLY, FakeOpenAI, down_url


def client(server: FakeOpenAI, **kw) -> openai.OpenAI:
    kw.setdefault("max_retries", 0)
    kw.setdefault("timeout", 5.0)
    return openai.OpenAI(base_url=server.base_url, api_key="test", **kw)


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_embeddings_deterministic_and_similar(fake_openai):
    c = client(fake_openai)
    texts = ["chuyển đổi số quốc gia", "chuyển đổi số quốc gia", "chuyển đổi số doanh nghiệp", "bóng đá"]
    resp = c.embeddings.create(model="emb-x", input=texts)  # base64 by default in the client
    vecs = [d.embedding for d in resp.data]
    assert [d.index for d in resp.data] == [0, 1, 2, 3]
    assert all(len(v) == 64 for v in vecs)
    assert vecs[0] == pytest.approx(vecs[1])
    assert vecs[0] == pytest.approx(fake_openai.vector(texts[0]), abs=1e-6)
    assert cosine(vecs[0], vecs[2]) > cosine(vecs[0], vecs[3])
    assert resp.model == "emb-x" and resp.usage.total_tokens > 0
    floats = c.embeddings.create(model="emb-x", input="bóng đá", encoding_format="float")
    assert floats.data[0].embedding == pytest.approx(vecs[3], abs=1e-6)
    req = fake_openai.requests_to("/v1/embeddings")[0]
    assert req.api_key == "test" and req.body["model"] == "emb-x" and req.body["input"] == texts


def test_chat_non_stream_and_handler(fake_openai):
    c = client(fake_openai)
    resp = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "Xin chào"}])
    assert resp.choices[0].message.content == DEFAULT_REPLY
    assert resp.object == "chat.completion" and resp.usage.total_tokens > 0
    fake_openai.chat_handler = lambda req: "Bạn hỏi: " + req["messages"][-1]["content"]
    resp = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "Nghị quyết 57"}])
    assert resp.choices[0].message.content == "Bạn hỏi: Nghị quyết 57"
    assert fake_openai.last.body["messages"][-1]["content"] == "Nghị quyết 57"
    assert fake_openai.last.authorization == "Bearer test"


def test_chat_stream(fake_openai):
    fake_openai.chat_handler = lambda req: "Một câu trả lời khá dài được chia thành nhiều mảnh."
    c = client(fake_openai)
    stream = c.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hỏi"}], stream=True, stream_options={"include_usage": True}
    )
    pieces, finish, usage = [], None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish = choice.finish_reason or finish
    assert len([p for p in pieces if p]) > 3
    assert "".join(pieces) == "Một câu trả lời khá dài được chia thành nhiều mảnh."
    assert finish == "stop" and usage is not None


def test_models(fake_openai):
    assert [m.id for m in client(fake_openai).models.list()] == ["fake-model"]


def test_429_then_success_is_retried(fake_openai):
    fake_openai.fail("429", times=1)
    resp = client(fake_openai, max_retries=2).embeddings.create(model="m", input="a")
    assert len(resp.data) == 1
    assert fake_openai.count("/v1/embeddings") == 2


def test_500_surfaces(fake_openai):
    fake_openai.fail("500", times=None)
    with pytest.raises(openai.InternalServerError):
        client(fake_openai, max_retries=1).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}]
        )
    assert fake_openai.count("/v1/chat/completions") == 2  # one try, one retry
    fake_openai.clear_failures()
    assert client(fake_openai).models.list().data


def test_failure_limited_to_path(fake_openai):
    fake_openai.fail("500", times=1, path="/v1/chat/completions")
    client(fake_openai).embeddings.create(model="m", input="a")  # not affected
    with pytest.raises(openai.InternalServerError):
        client(fake_openai).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])


@pytest.mark.parametrize("mode", ["drop", "hang"])
def test_connection_failures(fake_openai, mode):
    fake_openai.hang_seconds = 2.0
    fake_openai.fail(mode, times=1)
    start = time.monotonic()
    with pytest.raises(openai.APIConnectionError) as info:  # APITimeoutError is a subclass
        client(fake_openai, timeout=0.5).embeddings.create(model="m", input="a")
    assert time.monotonic() - start < 2.0
    assert isinstance(info.value, openai.APITimeoutError) == (mode == "hang")
    assert client(fake_openai).embeddings.create(model="m", input="a").data  # next request is fine


def test_malformed_body(fake_openai):
    fake_openai.fail("malformed", times=1)
    with pytest.raises(ValueError):  # the client's JSON decoding fails (json.JSONDecodeError)
        client(fake_openai).embeddings.create(model="m", input="a", encoding_format="float")


def test_down_url_refuses():
    c = openai.OpenAI(base_url=down_url(), api_key="test", max_retries=0, timeout=2.0)
    with pytest.raises(openai.APIConnectionError):
        c.models.list()


def test_clean_shutdown_even_while_hanging():
    before = threading.active_count()
    server = FakeOpenAI(hang_seconds=10.0).start()
    server.fail("hang", times=None)
    with pytest.raises(openai.APITimeoutError):
        client(server, timeout=0.3).models.list()
    start = time.monotonic()
    server.stop()
    assert time.monotonic() - start < 2.0
    deadline = time.monotonic() + 2.0
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() <= before
