"""`troly serve` driven with the real openai client: answers with [n] markers and their
citations, streaming equal to the plain answer, models/search/documents/health, stored
turns and feedback that belong to the caller, JSON logs without secrets."""

from __future__ import annotations

import re

import httpx
import openai
import pytest

QUESTION = "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?"
MODEL = "troly-nghiquyet"


def _markers(text: str) -> set[int]:
    return {int(m) for m in re.findall(r"\[(\d+)\]", text)}


def test_an_answer_cites_the_clause_behind_it(server):
    done = server.client().chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}])
    content = done.choices[0].message.content
    citations = done.model_extra["citations"]
    assert "2% GDP" in content and done.choices[0].finish_reason == "stop"
    assert _markers(content) == {c["marker"] for c in citations} and citations
    for c in citations:
        assert c["quote"] in c["text"] and c["doc_short"] and c["label"]
    assert any(c["doc_short"] == "57-NQ/TW" and "2% GDP" in c["quote"] for c in citations)
    troly = done.model_extra["troly"]
    assert troly["abstained"] is False and troly["backend"]["generator"] == "extractive"
    assert done.usage.prompt_tokens > 0 and done.usage.completion_tokens > 0


def test_streaming_sends_the_same_answer_then_its_citations(server):
    client = server.client()
    plain = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}])
    chunks = list(
        client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": QUESTION}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert sum(1 for c in chunks if c.choices and c.choices[0].delta.content) > 3  # really in pieces
    last = [c for c in chunks if c.choices][-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] == plain.model_extra["citations"]
    assert chunks[-1].usage.total_tokens > 0


def test_a_follow_up_uses_the_conversation(server):
    client = server.client()
    first = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Mục tiêu đến năm 2045 của Nghị quyết 57 là gì?"}]
    )
    follow = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Mục tiêu đến năm 2045 của Nghị quyết 57 là gì?"},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": [{"type": "text", "text": "Còn đến năm 2030 thì sao?"}]},
        ],
    )
    troly = follow.model_extra["troly"]
    assert "2030" in troly["standalone_question"] and "57" in troly["standalone_question"]
    assert follow.model_extra["citations"]


def test_a_question_outside_the_documents_is_refused_without_citations(server):
    done = server.client().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Giá vàng hôm nay bao nhiêu?"}]
    )
    assert done.model_extra["troly"]["abstained"] is True and done.model_extra["citations"] == []


def test_models_documents_search_and_health(server):
    client = server.client()
    assert [m.id for m in client.models.list()] == [MODEL]
    docs = httpx.get(server.url + "/v1/documents", headers=server.headers()).json()["data"]
    assert any(d["short"] == "57-NQ/TW" and d["chunks"] > 0 for d in docs)
    found = httpx.post(
        server.url + "/v1/search",
        headers=server.headers(),
        json={"query": "chi cho nghiên cứu phát triển 2% GDP", "k": 3, "doc": "57-NQ/TW"},
    ).json()
    assert len(found["results"]) == 3 and all(r["doc_short"] == "57-NQ/TW" for r in found["results"])
    assert {"chunk_id", "doc_id", "doc_short", "clause", "label", "text", "score"} == set(found["results"][0])
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    ready = httpx.get(server.url + "/readyz").json()
    assert ready["status"] == "ok" and ready["checks"]["index"] == "ok" and ready["checks"]["database"] == "ok"


def test_one_document_only(server):
    done = server.client().chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Mục tiêu đến năm 2030 là gì?"}],
        extra_body={"doc": "03/NQ-CP"},
    )
    assert {c["doc_short"] for c in done.model_extra["citations"]} <= {"03/NQ-CP"}
    with pytest.raises(openai.BadRequestError, match="không có văn bản"):
        server.client().chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": QUESTION}], extra_body={"doc": "99-XX"}
        )


def test_stored_turns_and_feedback_belong_to_the_caller(server):
    alice, bob = server.client(), server.client("bob@example.test")
    done = alice.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": QUESTION}], extra_body={"store": True}
    )
    kept = done.model_extra["troly"]
    assert kept["stored"] is True and kept["message_index"] == 1
    conv = kept["conversation_id"]
    again = alice.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": done.choices[0].message.content},
            {"role": "user", "content": "Còn mục tiêu đến năm 2045?"},
        ],
        extra_body={"conversation_id": conv},
    )
    assert again.model_extra["troly"]["message_index"] == 3

    mine = httpx.get(f"{server.url}/v1/conversations/{conv}", headers=server.headers())
    assert mine.status_code == 200 and [m["role"] for m in mine.json()["messages"]] == ["user", "assistant"] * 2
    assert (
        httpx.get(f"{server.url}/v1/conversations/{conv}", headers=server.headers("bob@example.test")).status_code
        == 404
    )
    with pytest.raises(openai.NotFoundError, match="không tìm thấy cuộc trò chuyện"):
        bob.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": QUESTION}], extra_body={"conversation_id": conv}
        )

    rated = httpx.post(
        server.url + "/v1/feedback",
        headers=server.headers(),
        json={"conversation_id": conv, "message_index": 1, "rating": -1, "comment": "Thiếu ý."},
    )
    assert rated.status_code == 200 and rated.json()["ok"] is True
    assert (
        httpx.post(
            server.url + "/v1/feedback",
            headers=server.headers("bob@example.test"),
            json={"conversation_id": conv, "message_index": 1, "rating": 1},
        ).status_code
        == 404
    )
    assert (
        httpx.post(
            server.url + "/v1/feedback",
            headers=server.headers(),
            json={"conversation_id": conv, "message_index": 2, "rating": 1},
        ).status_code
        == 400
    )


def test_logs_are_json_without_keys_or_question_text(server):
    server.client().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": QUESTION}], extra_headers={"X-Request-ID": "test-req-42"}
    )
    record = server.wait_record(lambda r: r.get("request_id") == "test-req-42")
    text = server.logs_text()
    assert all(key not in text for key in ("key-alice-0123456789", "key-bob-0123456789"))
    assert QUESTION not in text
    assert record["user"] == "alice@example.test" and record["status"] == 200
    assert record["question_chars"] == len(QUESTION) and record["citations"] > 0 and record["ms"] > 0
