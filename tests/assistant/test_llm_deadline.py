"""An LLM endpoint that is down, hung or slow (issue 11, item 10): one overall deadline per
answer (connection, reading and retries together), then the extractive answer, whose JSON
says that the extractive generator answered and whose first line says why."""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest

from assistant.api import Assistant
from assistant.cli import main
from assistant.prompting import PromptLibrary
from assistant.settings import PROJECT_ROOT
from tests.support.corpus import DATA, make_settings
from tests.support.fake_openai import down_url

QUESTION = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"
FIGURE = "30% GDP"
CHAT = "/v1/chat/completions"
NOTICE = PromptLibrary(PROJECT_ROOT / "prompts").get("notice_fallback").text.split("{")[0]  # "Lưu ý: "
CONTRACT = ["question", "standalone_question", "answer", "abstained", "citations", "contexts", "backend", "timings_ms"]
_BLOCK = re.compile(r'<nguon so="(\d+)" trich_dan="([^"]*)">\n(.*?)\n</nguon>', re.S)
SLACK_S = 6.0  # what a busy 2-core machine may add to a deadline


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TROLY_OPENAI_API_KEY", "TROLY_OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    server.close()
    for conn in held:
        conn.close()


def llm_app(corpus_app: Assistant, url: str, **kw) -> Assistant:
    opts = {"generator": "openai", "openai_base_url": url, "openai_api_key": "sk-test", **kw}
    app = Assistant(make_settings(corpus_app.settings.data_dir, **opts))
    _ = app.answerer.generator.client  # import langchain now: the test times the answer only
    return app


def assert_fell_back(answer, reason: str) -> None:
    assert answer.backend["generator"] == "extractive"  # what really answered
    first, rest = answer.answer.split("\n", 1)
    assert first == answer.notice and first.startswith(NOTICE) and reason in first
    assert FIGURE in rest and not answer.abstained and answer.citations


def timed(fn):
    t0 = time.monotonic()
    result = fn()
    return result, time.monotonic() - t0


def test_a_server_that_never_replies_costs_the_deadline_not_timeout_times_retries(corpus_app, silent_server):
    app = llm_app(corpus_app, silent_server, llm_deadline=2, request_timeout=30, max_retries=2)
    for stream in (False, True):
        answer, seconds = timed(lambda: app.ask(QUESTION, on_text=(lambda t: None) if stream else None))
        assert seconds < 2 + SLACK_S, seconds
        assert_fell_back(answer, "hết thời gian chờ")


def test_a_hung_request_is_cut_at_the_deadline(corpus_app, fake_openai):
    fake_openai.hang_seconds = 10
    fake_openai.fail("hang", times=None, path=CHAT)
    answer, seconds = timed(
        lambda: llm_app(corpus_app, fake_openai.base_url, llm_deadline=1.5, request_timeout=30, max_retries=3).ask(
            QUESTION
        )
    )
    assert seconds < 1.5 + SLACK_S, seconds
    assert_fell_back(answer, "hết thời gian chờ")


def test_retries_stop_at_the_deadline(corpus_app, fake_openai):
    fake_openai.fail("500", times=None, path=CHAT)
    answer, seconds = timed(
        lambda: llm_app(corpus_app, fake_openai.base_url, llm_deadline=2, max_retries=50).ask(QUESTION)
    )
    # the retry count proves the deadline stopped them (50 retries with backoff take minutes);
    # the time bound is wide because each retry costs CPU on a busy machine (8.6 s seen at load 12)
    assert 2 <= fake_openai.count(CHAT) <= 6 and seconds < 2 + 2 * SLACK_S
    assert_fell_back(answer, "HTTP 500")


def test_a_refused_connection_falls_back_at_once(corpus_app):
    answer, seconds = timed(lambda: llm_app(corpus_app, down_url(), max_retries=1).ask(QUESTION))
    assert seconds < 3 + SLACK_S
    assert_fell_back(answer, "không kết nối được")


def test_a_slow_server_within_the_deadline_still_answers(corpus_app, fake_openai):
    def slow(body: dict) -> str:
        time.sleep(1.0)
        sources = _BLOCK.findall(body["messages"][-1]["content"])
        number = next(n for n, label, text in sources if FIGURE in text and "57-NQ/TW" in label)
        return f"Quy mô kinh tế số đạt tối thiểu 30% GDP [{number}]."

    fake_openai.chat_handler = slow
    app = llm_app(corpus_app, fake_openai.base_url, llm_deadline=12)
    for on_text in (None, lambda t: None):
        answer = app.ask(QUESTION, on_text=on_text)
        assert answer.backend["generator"] == "openai" and answer.notice == ""
        assert answer.answer.startswith("Quy mô kinh tế số đạt tối thiểu 30% GDP")


def test_a_slow_stream_past_the_deadline_is_replaced(corpus_app, fake_openai):
    fake_openai.chat_handler = lambda body: time.sleep(5) or "Quá muộn."
    streamed: list[str] = []
    answer, seconds = timed(
        lambda: llm_app(corpus_app, fake_openai.base_url, llm_deadline=1.5).ask(QUESTION, on_text=streamed.append)
    )
    assert seconds < 1.5 + SLACK_S
    assert_fell_back(answer, "hết thời gian chờ")
    assert answer.notice in "".join(streamed)


def test_json_contract_unchanged_and_says_what_answered(corpus_app, monkeypatch, capsys, tmp_path):
    s = corpus_app.settings
    for key, value in {
        "TROLY_DATA_DIR": s.data_dir,
        "TROLY_SOURCES_DIR": s.sources,
        "TROLY_INDEX_DIR": s.index,
        "TROLY_CATALOG_PATH": DATA / "catalog.toml",
        "TROLY_ABSTAIN_THRESHOLD": s.abstain_threshold,
        "TROLY_CONFIG": tmp_path / "none.toml",
        "TROLY_GENERATOR": "openai",
        "OPENAI_BASE_URL": down_url(),
        "OPENAI_API_KEY": "sk-test",
        "TROLY_MAX_RETRIES": 0,
    }.items():
        monkeypatch.setenv(key, str(value))
    assert main(["ask", "--json", QUESTION]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == CONTRACT
    assert list(data["backend"]) == ["embedder", "generator"] and data["backend"]["generator"] == "extractive"
    assert data["answer"].startswith(NOTICE + "không kết nối được") and FIGURE in data["answer"]
    assert all(isinstance(data["timings_ms"][k], float) for k in ("retrieve", "generate", "total"))
