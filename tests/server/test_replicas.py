"""Several replicas against shared services on 127.0.0.1: two `troly serve` processes and
the Streamlit UI, each with an index folder of its own (as on separate machines), reading
one Chroma server and writing one PostgreSQL. An ingest through one replica is served by
both and by the UI; feedback from both and from the UI lands in one table; a replica
restarted under load behind nginx (deploy/nginx/troly.conf) fails no request."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT
from tests.server.nginx import NginxProcess, nginx_binary
from tests.support.corpus import SOURCES, make_settings
from tests.support.streamlit import free_port
from tests.support.ui import APP, troly_env

MODEL = "troly-nghiquyet"
NQ20 = "Nghị quyết 20-NQ/TW được ban hành ngày nào và về vấn đề gì?"
NQ57 = "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?"
HELD_BACK = "nq-20-tw.md"  # left out of the first ingest, ingested later through one replica


@pytest.fixture(scope="module")
def shared(chroma, postgres, tmp_path_factory):
    """The shared services, with the corpus but 20-NQ/TW indexed on the Chroma server."""
    tmp = tmp_path_factory.mktemp("replicas")
    sources = tmp / "sources"
    shutil.copytree(SOURCES, sources, ignore=shutil.ignore_patterns(HELD_BACK))
    app = Assistant(make_settings(tmp / "first", sources, chroma_url=chroma.url))
    assert not app.ingest(progress=False).errors
    app.close()
    return {"chroma": chroma.url, "db": postgres.fresh_url(), "sources": sources, "tmp": tmp}


def replica_env(shared, name: str) -> dict[str, str]:
    return {
        "TROLY_CHROMA_URL": shared["chroma"],
        "TROLY_DATABASE_URL": shared["db"],
        "TROLY_INDEX_DIR": str(shared["tmp"] / name),
        "TROLY_SOURCES_DIR": str(shared["sources"]),
    }


@pytest.fixture(scope="module")
def replicas(shared, start_server):
    return [start_server(**replica_env(shared, name)) for name in ("replica-a", "replica-b")]


@pytest.fixture
def ui(shared, corpus_app, monkeypatch):
    """The web UI's environment: the same services, an index folder of its own."""
    env = dict(troly_env(corpus_app, shared["tmp"] / "unused.sqlite3"), **replica_env(shared, "ui"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in (
        "TROLY_EMBEDDER",
        "TROLY_GENERATOR",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "TROLY_OIDC_SERVER_METADATA_URL",
    ):
        monkeypatch.delenv(key, raising=False)
    return env


def wait_for(predicate, timeout: float = 30.0, step: float = 0.3):
    """predicate's first truthy value (a replica reads the pointer at most once a second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(step)
    raise AssertionError("not served before the deadline")


def ask(server, question: str, **extra) -> dict:
    reply = httpx.post(
        server.url + "/v1/chat/completions",
        headers=server.headers(),
        timeout=60,
        json={"model": MODEL, "messages": [{"role": "user", "content": question}], **extra},
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def cited_docs(body: dict) -> set[str]:
    return {c["doc_short"] for c in body["citations"]}


def chunks_of(server, short: str) -> int:
    docs = httpx.get(server.url + "/v1/documents", headers=server.headers(), timeout=30).json()["data"]
    return next(d["chunks"] for d in docs if d["short"] == short)


def ui_turn(question: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def test_an_ingest_through_one_replica_is_served_by_both_and_the_ui(shared, replicas, corpus_app, ui, tmp_path):
    a, b = replicas
    assert chunks_of(a, "20-NQ/TW") == chunks_of(b, "20-NQ/TW") == 0
    assert "20-NQ/TW" not in cited_docs(ask(b, NQ20))

    # `troly ingest FILE` on replica A's machine (its settings, its index folder)
    env = dict(
        troly_env(corpus_app, tmp_path / "unused.sqlite3"),
        **replica_env(shared, "replica-a"),
        PATH=os.environ.get("PATH", ""),
    )
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", "--quiet", str(SOURCES / HELD_BACK)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    for server in (a, b):  # each switches to the new generation between questions, no restart
        body = wait_for(lambda: (lambda got: got if "20-NQ/TW" in cited_docs(got) else None)(ask(server, NQ20)))
        assert "20-NQ/TW" in body["choices"][0]["message"]["content"]
        assert chunks_of(server, "20-NQ/TW") > 0
    at = ui_turn(NQ20)
    assert "20-NQ/TW" in "\n".join(m.value for m in at.markdown)


def test_feedback_from_both_replicas_and_the_ui_lands_in_one_table(shared, replicas, postgres, ui):
    a, b = replicas
    convs = []
    for server in (a, b):
        troly = ask(server, NQ57, store=True)["troly"]
        assert troly["stored"] is True
        convs.append(troly["conversation_id"])
    # a conversation kept through A is continued and rated through B
    body = ask(b, "Còn tỷ lệ kinh phí từ xã hội thì sao?", conversation_id=convs[0])
    assert body["troly"]["stored"] is True and body["troly"]["message_index"] == 3
    for server, conv, idx, rating in ((b, convs[0], 3, 1), (a, convs[1], 1, -1), (b, convs[0], 1, 1)):
        reply = httpx.post(
            server.url + "/v1/feedback",
            headers=server.headers(),
            timeout=30,
            json={"conversation_id": conv, "message_index": idx, "rating": rating},
        )
        assert reply.status_code == 200, reply.text

    at = ui_turn(NQ57)
    at.feedback[0].set_value(1).run()
    assert [t for t in at.toast if "Cảm ơn" in t.value]
    ui_conv = at.session_state["conv_id"]

    db = shared["db"].rsplit("/", 1)[1]
    rows = postgres.sql_in(
        db, "SELECT conversation_id, message_idx, rating FROM feedback ORDER BY conversation_id, message_idx"
    )
    assert sorted(rows.splitlines()) == sorted(
        [f"{convs[0]}|1|1", f"{convs[0]}|3|1", f"{convs[1]}|1|-1", f"{ui_conv}|1|1"]
    )
    seen = httpx.get(f"{a.url}/v1/conversations/{convs[0]}", headers=a.headers(), timeout=30).json()
    assert len(seen["messages"]) == 4  # the turn kept through B is read back through A


@pytest.mark.skipif(nginx_binary() is None, reason="không có nginx (scripts/nginx_test_setup.sh cài gói Debian)")
def test_a_replica_restarted_under_load_behind_nginx_fails_no_request(replicas, tmp_path):
    a, b = replicas
    proxy = NginxProcess(tmp_path / "nginx", free_port(), [a.port, b.port], [free_port(), free_port()]).start()
    results: Counter = Counter()
    failures: list[str] = []
    stop = threading.Event()

    def client(n: int) -> None:
        with httpx.Client(base_url=proxy.url, headers=a.headers(), timeout=60) as http:
            while not stop.is_set():
                try:
                    reply = http.post(
                        "/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": NQ57}]}
                    )
                    ok = reply.status_code == 200 and "2% GDP" in reply.json()["choices"][0]["message"]["content"]
                    results["ok" if ok else f"http {reply.status_code}"] += 1
                    if not ok:
                        failures.append(reply.text[:300])
                except httpx.HTTPError as exc:
                    results[type(exc).__name__] += 1
                    failures.append(repr(exc))
                stop.wait(0.25)  # 3 clients at ≤ 4 requests/s each: under the config's 20 r/s per address

    threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
    try:
        for t in threads:
            t.start()
        time.sleep(2)
        served_before = results["ok"]
        # SIGTERM: in-flight requests finish, new ones go to B; A comes back as a fresh machine
        # would (no local copy of the index: it fetches it from Chroma, answering 503 meanwhile)
        a.restart(between=lambda: shutil.rmtree(a.env["TROLY_INDEX_DIR"]))
        a.wait_ready()
        mark = len(a.log_records())
        # A takes its share again once nginx tries it (it was marked failed for fail_timeout=5s)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _served_chat(a.log_records()[mark:]):
            time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(90)
        proxy.stop()
    assert served_before > 0 and results["ok"] > served_before
    assert not failures, (dict(results), failures[:5], proxy.error_log()[-2000:])
    assert _served_chat(a.log_records()[mark:])


def _served_chat(records: list[dict]) -> bool:
    return any(r.get("path") == "/v1/chat/completions" and r.get("status") == 200 for r in records)


@pytest.mark.skipif(nginx_binary() is None, reason="không có nginx (scripts/nginx_test_setup.sh cài gói Debian)")
def test_nginx_sends_a_request_refused_with_503_to_the_other_replica(replicas, start_server, tmp_path):
    """A replica that answers 503 (still loading its index, its queue full, or, here, its
    Chroma server unreachable) costs the client nothing: nginx tries the other one, POST
    included (deploy/nginx/troly.conf: proxy_next_upstream … http_503 non_idempotent)."""
    b = replicas[1]
    broken = start_server(
        TROLY_CHROMA_URL=f"http://127.0.0.1:{free_port()}",
        TROLY_CHROMA_TIMEOUT="2",
        TROLY_INDEX_DIR=str(tmp_path / "broken"),
        ready=False,
    )
    refused = httpx.post(
        broken.url + "/v1/chat/completions",
        headers=broken.headers(),
        timeout=60,
        json={"model": MODEL, "messages": [{"role": "user", "content": NQ57}]},
    )
    assert refused.status_code == 503 and "Chroma" in refused.json()["error"]["message"]
    proxy = NginxProcess(tmp_path / "nginx", free_port(), [broken.port, b.port], [free_port(), free_port()]).start()
    try:
        with httpx.Client(base_url=proxy.url, headers=b.headers(), timeout=60) as http:
            codes = [
                http.post(
                    "/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": NQ57}]}
                ).status_code
                for _ in range(6)
            ]
    finally:
        proxy.stop()
        broken.stop()
    assert codes == [200] * 6, (codes, proxy.error_log()[-2000:])
