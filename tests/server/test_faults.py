"""Faults under a running `troly serve`: the LLM endpoint hanging or down (the extractive
answer within the configured timeout, with the notice), PostgreSQL down (answers still
served, feedback refused with a clear 503 and stored once it is back, nothing
acknowledged lost), and a graceful shutdown that lets the request in flight finish."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import pytest

from tests.support.fake_openai import FakeOpenAI

MODEL = "troly-nghiquyet"
QUESTION = "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?"
TIMEOUT_S = 2


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI(hang_seconds=10) as fake:
        yield fake


@pytest.fixture(scope="module")
def llm_server(start_server, llm):
    return start_server(
        TROLY_GENERATOR="openai",
        OPENAI_BASE_URL=llm.base_url,
        OPENAI_API_KEY="sk-test-secret-1",
        TROLY_REQUEST_TIMEOUT=str(TIMEOUT_S),
        TROLY_MAX_RETRIES="0",
    )


def ask(server, **kw):
    return server.client().chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}], **kw)


def test_a_hanging_llm_gives_the_extractive_answer_within_the_timeout(llm_server, llm):
    llm.fail("hang", times=None, path="/v1/chat/completions")
    t0 = time.monotonic()
    done = ask(llm_server)
    elapsed = time.monotonic() - t0
    llm.clear_failures()
    troly, content = done.model_extra["troly"], done.choices[0].message.content
    assert TIMEOUT_S * 0.8 <= elapsed < TIMEOUT_S + 8, elapsed  # it waited for the timeout, not for the hang
    assert "không trả lời kịp" in troly["notice"] and content.startswith(troly["notice"])
    assert "2% GDP" in content and done.model_extra["citations"]
    assert llm.count("/v1/chat/completions") >= 1


def test_a_hanging_llm_while_streaming(llm_server, llm):
    llm.fail("hang", times=None, path="/v1/chat/completions")
    chunks = list(ask(llm_server, stream=True))
    llm.clear_failures()
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "không trả lời kịp" in text and "2% GDP" in text
    assert [c for c in chunks if c.choices][-1].model_extra["citations"]


def test_an_llm_that_is_down_gives_the_extractive_answer_with_the_notice(llm_server, llm):
    llm.stop()  # nothing listens on its port any more: connections are refused
    try:
        t0 = time.monotonic()
        done = ask(llm_server)
        assert time.monotonic() - t0 < TIMEOUT_S + 8
        notice = done.model_extra["troly"]["notice"]
        assert "không kết nối được" in notice and done.model_extra["citations"]
        assert "sk-test-secret-1" not in llm_server.logs_text()
    finally:
        llm.start()


def test_sigterm_lets_the_request_in_flight_finish(llm_server, llm):
    llm.fail("hang", times=None, path="/v1/chat/completions")
    result: dict = {}

    def slow() -> None:
        try:
            result["reply"] = httpx.post(
                llm_server.url + "/v1/chat/completions",
                headers=llm_server.headers(),
                json={"model": MODEL, "messages": [{"role": "user", "content": QUESTION}]},
                timeout=60,
            )
        except httpx.HTTPError as exc:
            result["error"] = exc

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.8)  # the request is waiting for the hanging LLM
    code = llm_server.stop(timeout=40)
    thread.join(60)
    llm.clear_failures()
    # uvicorn re-raises the signal once it has shut down cleanly: "ended by SIGTERM"
    assert code in (0, -signal.SIGTERM), code
    assert any(r.get("event", "").startswith("Finished server process") for r in llm_server.log_records())
    assert "reply" in result, result
    assert result["reply"].status_code == 200 and result["reply"].json()["citations"]
    with pytest.raises(httpx.ConnectError):
        httpx.get(llm_server.url + "/healthz", timeout=5)


def test_postgres_down_answers_still_served_feedback_refused_then_kept(start_server, postgres):
    server = start_server(TROLY_DATABASE_URL=postgres.url)
    headers = server.headers()
    first = ask(server, extra_body={"store": True}).model_extra["troly"]
    conv = first["conversation_id"]
    assert first["stored"] is True
    ok = httpx.post(
        server.url + "/v1/feedback", headers=headers, json={"conversation_id": conv, "message_index": 1, "rating": 1}
    )
    assert ok.status_code == 200

    postgres.pause()
    try:
        done = ask(server)  # an answer needs no database
        assert done.model_extra["citations"]
        kept = ask(server, extra_body={"conversation_id": conv}).model_extra["troly"]
        assert kept["stored"] is False and "cơ sở dữ liệu" in kept["store_error"]
        refused = httpx.post(
            server.url + "/v1/feedback",
            headers=headers,
            timeout=30,
            json={"conversation_id": conv, "message_index": 1, "rating": -1, "comment": "Sai."},
        )
        assert refused.status_code == 503 and refused.headers.get("retry-after")
        assert "cơ sở dữ liệu" in refused.json()["error"]["message"]
        ready = httpx.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    finally:
        postgres.start()

    again = httpx.post(
        server.url + "/v1/feedback",
        headers=headers,
        timeout=30,
        json={"conversation_id": conv, "message_index": 1, "rating": -1, "comment": "Sai."},
    )
    assert again.status_code == 200
    rows = postgres.sql(f"SELECT rating, comment, user_id FROM feedback WHERE conversation_id = '{conv}'")
    assert rows == "-1|Sai.|alice@example.test"
    assert postgres.sql(f"SELECT count(*) FROM messages WHERE conversation_id = '{conv}'") == "2"
    assert httpx.get(server.url + "/readyz").json()["status"] == "ok"
