"""Chroma server mode (TROLY_CHROMA_URL) against a real `chroma run`: the ingest writes a
generation to the server and switches its pointer last; a reader on another machine (an
empty index folder of its own) answers from it exactly as the embedded index does; a new
generation is noticed without a restart and old ones go only after the grace period; the
Chroma server killed during queries (503 with a Vietnamese message from the API, one line
from the CLI, recovery once it is back, without restarting the app); an ingest killed
halfway (the previous generation still served, its leftovers removed later)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT
from tests.support.corpus import SOURCES, make_settings
from tests.support.ui import troly_env

QUESTION = "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?"
UNASKED = (
    "Kinh tế số phải chiếm bao nhiêu phần trăm GDP vào năm 2030?",
    "Đến năm 2045 kinh tế số chiếm tối thiểu bao nhiêu phần trăm GDP?",
)
QUERIES = ["muc tieu den nam 2030", "Bộ Khoa học và Công nghệ chủ trì nhiệm vụ gì?", QUESTION]


def server_app(tmp: Path, chroma, **kw) -> Assistant:
    """An Assistant in Chroma server mode whose index folder holds only its local copies."""
    kw.setdefault("chroma_grace_s", 600.0)
    return Assistant(make_settings(tmp, chroma_url=chroma.url, **kw), retire_grace_s=0.0)


@pytest.fixture(scope="module")
def indexed(chroma, tmp_path_factory):
    """The corpus ingested once into the module's Chroma server."""
    app = server_app(tmp_path_factory.mktemp("writer"), chroma)
    report = app.ingest(progress=False)
    assert not report.errors and report.chunks > 800
    return report


def wait_for(predicate, timeout: float = 60.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(step)
    raise AssertionError("condition not met before the deadline")


def test_the_server_holds_the_generation_and_a_fresh_reader_answers_like_the_embedded_index(
    indexed, chroma, corpus_app, tmp_path
):
    gen = indexed.generation
    assert chroma.pointer() == gen
    assert {f"troly-{gen}", f"troly-{gen}-files", "troly-pointer"} <= set(chroma.collections())
    assert chroma.client().get_collection(f"troly-{gen}").count() == indexed.chunks

    reader = server_app(tmp_path, chroma)  # nothing in its index folder: all of it comes from the server
    answer = reader.ask(QUESTION)
    assert "2% GDP" in answer.answer and answer.citations
    assert [c.id for c in reader.table.chunks] == [c.id for c in corpus_app.table.chunks]
    for query in QUERIES:  # the server's dense search ranks as the embedded exact one does
        assert [h.chunk.id for h in reader.search(query, 8)] == [h.chunk.id for h in corpus_app.search(query, 8)]
    copies = list(reader.index_dir.root.glob("gen-*"))
    assert [p.name for p in copies] == [gen] and (copies[0] / "lexical").is_dir()
    assert not (copies[0] / "chroma").exists() and not (copies[0] / "vectors.npy").exists()
    reader.close()


def test_the_evaluation_gate_passed_on_one_machine_is_seen_by_every_replica(indexed, chroma, tmp_path):
    from eval.gate import gate_status, record_gate

    writer, replica = server_app(tmp_path / "writer", chroma), server_app(tmp_path / "replica", chroma)
    assert gate_status(replica)[0] is False
    results = {
        "gate": {"passed": True, "failures": []},
        "created": "2026-12-01T10:00:00",
        "config": {
            "index_generation": writer.generation,
            "embedder": writer.embedder.name,
            "generator": writer.answerer.generator.name,
        },
    }
    record_gate(writer, results, tmp_path / "report")
    ok, message = gate_status(replica)  # `troly ui` on another machine opens
    assert ok, message
    writer.close()
    replica.close()


def test_a_new_generation_is_noticed_without_restart_and_the_old_one_goes_after_the_grace(
    indexed, chroma, tmp_path, sources_copy
):
    reader = server_app(tmp_path / "reader", chroma)
    first = reader.generation
    assert reader.search("Nghị quyết 20-NQ/TW ban hành năm nào?", 3)
    extra = tmp_path / "ke-hoach-thu.txt"
    extra.write_text(
        "KẾ HOẠCH THỬ NGHIỆM\n\nI. MỤC TIÊU\n\n1. Xây dựng 77 phòng thí nghiệm lượng tử "
        "dùng chung cho các viện nghiên cứu trước năm 2031.\n",
        "utf-8",
    )
    writer = server_app(tmp_path / "writer", chroma, sources=sources_copy)
    report = writer.ingest([extra], progress=False)
    assert report.added and chroma.pointer() == report.generation != first

    # the reader switches at its next question (the pointer is read at most once a second)
    hits = wait_for(lambda: reader.refresh() or reader.generation == report.generation, timeout=30)
    assert hits and reader.generation == report.generation
    # the new document is served: its clause is found in it (a text without an official header is
    # "secondary", ranked after the official texts when nothing restricts the search)
    assert (
        "77 phòng thí nghiệm lượng tử"
        in reader.search("phòng thí nghiệm lượng tử", 1, doc="ke-hoach-thu")[0].chunk.text
    )
    assert f"troly-{first}" in chroma.collections()  # retired, but within the grace period

    # an ingest with no grace left removes it (both collections, and its retirement record)
    quick = server_app(tmp_path / "writer", chroma, sources=sources_copy, chroma_grace_s=0.0)
    removed = quick.ingest(progress=False, rebuild=True).generation
    names = chroma.collections()
    assert f"troly-{first}" not in names and f"troly-{first}-files" not in names
    assert f"troly-{report.generation}" not in names and f"troly-{removed}" in names
    wait_for(lambda: reader.refresh() or reader.generation == removed, timeout=30)
    assert reader.generation == removed
    assert reader.search("phòng thí nghiệm lượng tử", 1)
    reader.close()
    assert [p.name for p in reader.index_dir.root.glob("gen-*")] == [removed]  # old local copies let go


def test_the_chroma_server_killed_during_queries(indexed, chroma, start_server, tmp_path, corpus_app):
    server = start_server(
        TROLY_CHROMA_URL=chroma.url, TROLY_INDEX_DIR=str(tmp_path / "replica"), TROLY_CHROMA_TIMEOUT="5"
    )
    client = server.client()
    ask = lambda: client.chat.completions.create(  # noqa: E731
        model="troly-nghiquyet", messages=[{"role": "user", "content": QUESTION}]
    )
    assert "2% GDP" in ask().choices[0].message.content

    chroma.kill()
    try:
        # a question not asked before (an answered one may come from the search cache,
        # retrieval/search_cache.py, which needs no Chroma)
        reply = httpx.post(
            server.url + "/v1/chat/completions",
            headers=server.headers(),
            timeout=60,
            json={"model": "troly-nghiquyet", "messages": [{"role": "user", "content": UNASKED[0]}]},
        )
        assert reply.status_code == 503 and reply.headers.get("retry-after")
        error = reply.json()["error"]
        assert error["code"] == "backend_unavailable" and error["type"] == "service_unavailable"
        assert "máy chủ Chroma" in error["message"] and "thử lại" in error["message"]
        ready = httpx.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 503 and "Chroma" in ready.json()["checks"]["vectors"]
        assert httpx.get(server.url + "/healthz").status_code == 200  # the process itself is fine
        docs = httpx.get(server.url + "/v1/documents", headers=server.headers(), timeout=30)
        assert docs.status_code == 200 and docs.json()["data"]  # the local copy still lists them

        env = dict(
            troly_env(corpus_app, tmp_path / "cli.sqlite3"),
            TROLY_CHROMA_URL=chroma.url,
            TROLY_INDEX_DIR=str(tmp_path / "cli-index"),
            PATH=os.environ.get("PATH", ""),
        )
        cli = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", QUESTION],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 1 and cli.stdout == ""
        lines = cli.stderr.strip().splitlines()
        assert len(lines) == 1 and "máy chủ Chroma" in lines[0] and "Traceback" not in cli.stderr
    finally:
        chroma.start()

    # back without restarting the app: the next questions are answered again
    done = wait_for(lambda: _answered(server, UNASKED[1]), timeout=60, step=0.5)
    assert "50%" in done
    assert httpx.get(server.url + "/readyz", timeout=30).status_code == 200


def _answered(server, question: str = QUESTION) -> str | None:
    reply = httpx.post(
        server.url + "/v1/chat/completions",
        headers=server.headers(),
        timeout=60,
        json={"model": "troly-nghiquyet", "messages": [{"role": "user", "content": question}]},
    )
    return reply.json()["choices"][0]["message"]["content"] if reply.status_code == 200 else None


def test_an_ingest_killed_halfway_leaves_the_previous_generation_served(indexed, chroma, tmp_path, corpus_app):
    reader = server_app(tmp_path / "reader", chroma)
    live = reader.generation
    before = set(chroma.collections())
    env = dict(
        troly_env(corpus_app, tmp_path / "ingest.sqlite3"),
        TROLY_CHROMA_URL=chroma.url,
        TROLY_INDEX_DIR=str(tmp_path / "ingest-index"),
        TROLY_SOURCES_DIR=str(SOURCES),
        PATH=os.environ.get("PATH", ""),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "--rebuild", "--quiet"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # frozen as soon as its new collection appears on the server: it is writing vectors
        wait_for(lambda: set(chroma.collections()) - before or proc.poll() is not None, timeout=120, step=0.02)
        proc.send_signal(signal.SIGSTOP)
        assert proc.poll() is None, "the ingest finished before it could be stopped halfway"
        partial = set(chroma.collections()) - before
        assert partial and chroma.pointer() == live  # written, not published
        answer = reader.ask(QUESTION)  # served from the previous generation meanwhile
        assert "2% GDP" in answer.answer and reader.generation == live
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert chroma.pointer() == live
    reader.refresh()
    assert reader.generation == live and "2% GDP" in reader.ask(QUESTION).answer

    # the next ingest publishes; the leftovers go once they are older than the grace
    fresh = server_app(tmp_path / "next", chroma, chroma_grace_s=0.0).ingest(progress=False, rebuild=True)
    assert chroma.pointer() == fresh.generation
    assert not partial & set(chroma.collections())
    reader.close()
