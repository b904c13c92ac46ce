"""Load and overload (issue 16 item 5): answers are computed in arrival order behind a
bounded queue; beyond it a request is refused at once with 503 ``server_busy`` in the
OpenAI format (never a hang) and answered again once the queue drains. With
``--workers 2`` one HTTP process feeds two answer processes (assistant/server/answers.py):
the same answers as one process, the same refusals, and an answer process that dies is
replaced without restarting the server. (How fast is measured by ``make load``, never by a
test.)"""

from __future__ import annotations

import asyncio
import time

import httpx
import psutil
import pytest

from assistant.server.answers import ThreadAnswers
from assistant.server.errors import ApiError

QUESTION = "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?"
MODEL = "troly-nghiquyet"
BODY = {"model": MODEL, "messages": [{"role": "user", "content": QUESTION}]}


def _busy_reply_is_clean(reply: httpx.Response) -> None:
    assert reply.status_code == 503 and int(reply.headers["retry-after"]) > 0
    error = reply.json()["error"]
    assert error["type"] == "service_unavailable" and error["code"] == "server_busy"
    assert "quá tải" in error["message"] or "khởi động lại" in error["message"]


def test_a_full_queue_refuses_at_once_and_answers_in_arrival_order(corpus_app):
    pool = ThreadAnswers(corpus_app, threads=1, queue=2)  # one computing, two waiting
    finished: list[int] = []

    async def one(n: int):
        try:
            answer = await pool.ask(QUESTION, [], None)
        except ApiError as exc:
            return exc
        finished.append(n)
        return answer

    async def burst():
        return await asyncio.gather(*(one(n) for n in range(6)))

    results = asyncio.run(burst())
    refused = [n for n, r in enumerate(results) if isinstance(r, ApiError)]
    assert refused == [3, 4, 5], results
    for n in refused:
        err = results[n]
        assert err.status == 503 and err.code == "server_busy" and err.headers["Retry-After"]
        assert err.body()["error"]["type"] == "service_unavailable"
    assert finished == [0, 1, 2]  # first come, first served
    assert pool.waiting == 0
    assert asyncio.run(pool.ask(QUESTION, [], None)).citations  # drained: admitted again


@pytest.fixture(scope="module")
def two_processes(start_server):
    """`troly serve --workers 2` with no queue beyond its two answer slots and no rate limit.
    The answer cache is off: a repeated question would be replayed in a millisecond and
    never keep a slot busy, so no request would meet a full server."""
    return start_server(
        args=("--workers", "2"), TROLY_SERVE_QUEUE="0", TROLY_RATE_LIMIT_PER_MINUTE="0", TROLY_ANSWER_CACHE="0"
    )


def _answer_processes(server) -> list[psutil.Process]:
    found = []
    for p in psutil.Process(server.proc.pid).children():
        try:
            if "spawn_main" in " ".join(p.cmdline()):
                found.append(p)
        except psutil.NoSuchProcess:  # a child that ended while being listed
            continue
    return found


def _gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:  # already reaped by the server
        return True


def test_answer_processes_give_the_answers_of_one_process(server, two_processes):
    assert len(_answer_processes(two_processes)) == 2
    messages = [{"role": "user", "content": QUESTION}]
    one = server.client().chat.completions.create(model=MODEL, messages=messages)
    two = two_processes.client().chat.completions.create(model=MODEL, messages=messages)
    assert two.choices[0].message.content == one.choices[0].message.content
    assert two.model_extra["citations"] == one.model_extra["citations"] and one.model_extra["citations"]
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in two_processes.client().chat.completions.create(model=MODEL, messages=messages, stream=True)
        if chunk.choices
    )
    assert streamed == one.choices[0].message.content
    query = {"query": "chi cho nghiên cứu phát triển", "k": 50}  # a reply of > 16 KB: two writes on the pipe
    hits = [
        httpx.post(s.url + "/v1/search", json=query, headers=s.headers(), timeout=60) for s in (server, two_processes)
    ]
    assert hits[0].json() == hits[1].json() and len(hits[1].json()["results"]) == 50
    bad = two_processes.client().with_options(max_retries=0)
    with pytest.raises(Exception) as refused:  # a product error raised in an answer process: a clear 400
        bad.chat.completions.create(model=MODEL, messages=messages, extra_body={"doc": "không-có-văn-bản-này"})
    assert getattr(refused.value, "status_code", None) == 400


async def _flood(url: str, headers: dict[str, str], n: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(120.0), limits=httpx.Limits(max_connections=n)) as http:
        await asyncio.gather(*(http.get(url + "/healthz") for _ in range(n)))  # connections open first
        return await asyncio.gather(
            *(http.post(url + "/v1/chat/completions", json=BODY, headers=headers) for _ in range(n))
        )


def test_overload_is_refused_at_once_in_the_openai_format_then_served(two_processes):
    busy: list[httpx.Response] = []
    for _ in range(5):  # 24 requests at once against 2 slots and no queue: some are refused
        replies = asyncio.run(_flood(two_processes.url, two_processes.headers(), 24))
        assert {r.status_code for r in replies} <= {200, 503}, [r.text for r in replies if r.status_code != 200]
        busy = [r for r in replies if r.status_code == 503]
        if busy:
            break
    assert busy, "24 requests at once were all admitted by 2 answer slots without a queue"
    assert any(r.status_code == 200 for r in replies)
    for reply in busy:
        _busy_reply_is_clean(reply)
    again = httpx.post(
        two_processes.url + "/v1/chat/completions", json=BODY, headers=two_processes.headers(), timeout=120
    )
    assert again.status_code == 200 and "2% GDP" in again.json()["choices"][0]["message"]["content"]
    assert httpx.get(two_processes.url + "/healthz", timeout=30).status_code == 200


def test_an_answer_process_that_dies_is_replaced(two_processes):
    victim = _answer_processes(two_processes)[0]
    victim.kill()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _gone(victim):
        time.sleep(0.1)
    statuses = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        reply = httpx.post(
            two_processes.url + "/v1/chat/completions", json=BODY, headers=two_processes.headers(), timeout=180
        )
        statuses.append(reply.status_code)
        if reply.status_code == 200:
            break
        _busy_reply_is_clean(reply)  # the request that met the dead process: 503, nothing else
        time.sleep(0.5)
    assert statuses[-1] == 200, statuses
    assert "2% GDP" in reply.json()["choices"][0]["message"]["content"]
    alive = _answer_processes(two_processes)
    assert alive and victim.pid not in [p.pid for p in alive]
