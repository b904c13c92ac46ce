"""Feedback exported by the UI becomes evaluation cases; thumbs down ones await review."""

from __future__ import annotations

import json

import pytest

from eval.feedback_cases import append_cases, case_from_feedback, rating_of, read_feedback
from eval.runner import load_cases
from retrieval.errors import BadInputError

UP = {
    "question": "Quy mô kinh tế số đến năm 2030?",
    "history": [],
    "answer": "Đạt tối thiểu 30% GDP [1].",
    "citations": [
        {
            "marker": 1,
            "doc_id": "nq57",
            "label": "Nghị quyết 57-NQ/TW, Mục II, điểm 2",
            "quote": "Quy mô kinh tế số đạt tối thiểu 30% GDP",
        }
    ],
    "rating": "up",
    "comment": "",
    "created": "2025-06-01T10:00:00",
    "config": {"generator": "extractive"},
}
DOWN = {
    "question": "còn năm 2045 thì sao?",
    "history": [{"role": "user", "content": "Mục tiêu 2030 của NQ57?"}, {"role": "assistant", "content": "..."}],
    "answer": "Các văn bản hiện có không nêu...",
    "citations": [],
    "rating": -1,
    "comment": "Sai: tài liệu có nói về 2045",
    "created": "2025-06-02T09:00:00",
    "config": {},
}


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


def test_ratings():
    assert [rating_of(v) for v in ("up", 1, "👍", True, "down", -1, 0, "👎", False, None, "?")] == ["up"] * 4 + [
        "down"
    ] * 5 + ["unknown"] * 2


def test_case_from_feedback():
    up = case_from_feedback(UP)
    assert up["gold"] == [{"doc": "nq57", "evidence": "Quy mô kinh tế số đạt tối thiểu 30% GDP"}]
    assert up["review"] is False and up["type"] == "feedback" and up["answerable"] is True
    down = case_from_feedback(DOWN)
    assert down["review"] is True and down["gold"] == [] and down["type"] == "multi_turn"
    assert down["history"] == DOWN["history"]
    assert down["feedback"]["comment"] == "Sai: tài liệu có nói về 2045" and down["feedback"]["rating"] == "down"
    assert case_from_feedback(dict(DOWN))["id"] == down["id"] != up["id"]


def test_append_cases_and_load_them(tmp_path):
    feedback = write_jsonl(tmp_path / "feedback.jsonl", [UP, DOWN, {"question": "  ", "rating": "up"}])
    cases = tmp_path / "cases.jsonl"
    report = append_cases(read_feedback(feedback), cases)
    assert len(report.added) == 2 and len(report.for_review) == 1 and len(report.skipped) == 1
    again = append_cases(read_feedback(feedback), cases)
    assert again.added == [] and again.duplicates == 2
    assert len(cases.read_text("utf-8").splitlines()) == 2
    questions, skipped = load_cases(cases)
    assert [q.question for q in questions] == [UP["question"]] and skipped == 1
    assert questions[0].gold[0].doc == "nq57"
    everything, _ = load_cases(cases, include_review=True)
    assert len(everything) == 2


def test_bad_feedback_file(tmp_path):
    with pytest.raises(BadInputError, match="không tìm thấy"):
        read_feedback(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "a"}\n{not json\n', "utf-8")
    with pytest.raises(BadInputError, match="dòng 2"):
        read_feedback(bad)
