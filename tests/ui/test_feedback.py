"""The SQLite store of conversations and feedback."""

from __future__ import annotations

import json
import threading

from assistant.feedback import ChatMessage, FeedbackStore, answer_from_dict, answer_to_dict, new_conversation_id
from assistant.types import Answer, Citation, Context, Message

CONFIG = {"generator": "extractive", "embedder": "hashing", "openai_api_key": "chưa đặt"}


def make_answer(text: str = "Đến năm 2030 [1]") -> Answer:
    cite = Citation(
        1,
        "nq57:II.1",
        "nq57",
        "57-NQ/TW",
        "II.1",
        "Nghị quyết 57-NQ/TW, Mục II, điểm 1",
        "Đến năm 2030",
        "1. Đến năm 2030",
        authority="official",
        quote_start=3,
    )
    ctx = Context("nq57:II.1", "nq57", "57-NQ/TW", "II.1", cite.label, cite.text, 0.5)
    return Answer(
        "Mục tiêu?",
        "Mục tiêu 2030?",
        text,
        False,
        [cite],
        [ctx],
        {"embedder": "hashing", "generator": "extractive"},
        {"total": 12.0},
    )


def store_turns(store: FeedbackStore, conv: str, *pairs: tuple[str, Answer]) -> None:
    idx = 0
    for question, answer in pairs:
        store.save_message(conv, idx, ChatMessage("user", question), doc="nq57")
        store.save_message(conv, idx + 1, ChatMessage("assistant", answer.answer, answer))
        idx += 2


def test_answer_round_trips_with_every_citation_field():
    answer = make_answer()
    again = answer_from_dict(json.loads(json.dumps(answer_to_dict(answer))))
    assert again == answer
    assert again.citations[0].quote_start == 3 and again.citations[0].authority == "official"


def test_conversation_survives_a_restart(tmp_path):
    path = tmp_path / "sub" / "fb.sqlite3"
    conv = new_conversation_id()
    store_turns(FeedbackStore(path), conv, ("Mục tiêu 2030?", make_answer()), ("Còn 2045?", make_answer("B [1]")))
    loaded = FeedbackStore(path).load_conversation(conv)  # a new store: the app restarted
    assert loaded.title == "Mục tiêu 2030?" and loaded.doc == "nq57"
    assert [m.role for m in loaded.messages] == ["user", "assistant", "user", "assistant"]
    assert loaded.messages[3].answer.citations == make_answer().citations
    assert loaded.messages[0].answer is None


def test_unknown_or_malformed_conversation_ids(store):
    assert store.load_conversation(new_conversation_id()) is None
    assert store.load_conversation("x' OR 1=1 --") is None
    assert store.load_conversation("") is None


def test_one_feedback_record_per_answer(store):
    conv, answer = new_conversation_id(), make_answer()
    history = [Message("user", "Trước?"), Message("assistant", "Đáp [1]")]
    store.rate(conv, 3, 1, "Mục tiêu?", history, answer, CONFIG)
    store.comment(conv, 3, "  Thiếu điểm 2.  ", "Mục tiêu?", history, answer, CONFIG)
    store.rate(conv, 3, -1, "Mục tiêu?", history, answer, CONFIG)
    [record] = store.export_feedback()
    assert record["rating"] == -1 and record["comment"] == "Thiếu điểm 2."
    assert store.feedback_for(conv) == {3: {"rating": -1, "comment": "Thiếu điểm 2."}}


def test_export_has_the_fields_the_evaluation_reads(store):
    conv, answer = new_conversation_id(), make_answer()
    store.rate(conv, 1, 1, "Mục tiêu?", [Message("user", "Chào")], answer, CONFIG)
    store.rate(conv, 3, None, "Khác?", [], answer, CONFIG)  # a rating cleared again
    records = [json.loads(line) for line in store.export_jsonl().splitlines()]
    assert len(records) == 2
    first = records[0]
    assert {"question", "history", "answer", "citations", "rating", "comment", "created", "config"} <= set(first)
    assert first["history"] == [{"role": "user", "content": "Chào"}]
    assert first["citations"][0]["quote"] == "Đến năm 2030" and first["citations"][0]["doc_id"] == "nq57"
    assert first["config"] == CONFIG and first["created"].endswith("+00:00")
    assert records[1]["rating"] is None


def test_sessions_on_threads_share_one_store(store):
    conv, answer = new_conversation_id(), make_answer()

    def rate(i: int) -> None:
        store.rate(conv, i, 1, f"Câu {i}?", [], answer, CONFIG)

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.export_feedback()) == 20


def test_cli_exports_feedback_for_evaluation_cases(tmp_path, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.feedback import FeedbackStore

    monkeypatch.setenv("TROLY_FEEDBACK_DB", str(tmp_path / "fb.sqlite3"))
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.rate(new_conversation_id(), 1, -1, "Mục tiêu?", [], make_answer(), CONFIG)
    out = tmp_path / "fb.jsonl"
    assert main(["feedback", "--out", str(out)]) == 0
    [record] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["rating"] == -1 and record["question"] == "Mục tiêu?"
