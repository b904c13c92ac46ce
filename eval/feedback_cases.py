"""Users' feedback turned into evaluation cases.

The UI exports one JSON object per line: ``{question, history, answer, citations, rating,
comment, created, config}``. Each becomes a case in the format of eval/questions.jsonl
(plus a ``feedback`` block and a ``review`` flag), appended to a cases file:

* thumbs up: a regression case whose gold evidence is what the approved answer quoted;
* thumbs down (or an unknown rating): ``"review": true`` with no gold yet; an evaluator
  writes the gold evidence and key facts (or sets ``"answerable": false``) and removes
  the flag. ``troly eval --questions FILE`` skips cases still marked for review.

A case already in the file (same question and history) is not added twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import read_jsonl

from .dataset import QUESTIONS

CASES = QUESTIONS.with_name("feedback_cases.jsonl")
_UP = {"1", "+1", "up", "thumbs_up", "thumbsup", "like", "good", "tốt", "👍", "true", "positive"}
_DOWN = {"-1", "0", "down", "thumbs_down", "thumbsdown", "dislike", "bad", "xấu", "chưa tốt", "👎", "false", "negative"}


def rating_of(value: Any) -> str:
    """ "up", "down" or "unknown" from the many ways a rating can be written."""
    key = str(value).strip().lower()
    if key in _UP:
        return "up"
    if key in _DOWN:
        return "down"
    return "unknown"


def case_id(question: str, history: list[dict]) -> str:
    """A stable id from the question and its conversation."""
    text = json.dumps([question.strip(), [[m.get("role"), m.get("content")] for m in history]], ensure_ascii=False)
    return "fb-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def case_from_feedback(record: dict[str, Any]) -> dict[str, Any]:
    """One evaluation case from one feedback record."""
    question = str(record.get("question") or "").strip()
    if not question:
        raise ValueError("bản ghi không có câu hỏi")
    history = [{"role": m.get("role", "user"), "content": m.get("content", "")} for m in record.get("history") or []]
    rating = rating_of(record.get("rating"))
    citations = [c for c in record.get("citations") or [] if isinstance(c, dict)]
    gold = []
    if rating == "up":
        for c in citations:
            if c.get("doc_id") and c.get("quote"):
                gold.append({"doc": c["doc_id"], "evidence": c["quote"]})
    return {
        "id": case_id(question, history),
        "type": "multi_turn" if history else "feedback",
        "question": question,
        "history": history,
        "answerable": True,
        "gold": gold,
        "key_facts": [],
        "review": rating != "up" or not gold,
        "feedback": {
            "rating": rating,
            "comment": str(record.get("comment") or ""),
            "created": record.get("created"),
            "answer": record.get("answer", ""),
            "citations": [c.get("label", "") for c in citations],
            "config": record.get("config") or {},
        },
    }


def read_feedback(path: Path) -> list[dict[str, Any]]:
    """The records of a feedback export (JSONL)."""
    missing = f"không tìm thấy tệp phản hồi {path}; hãy xuất phản hồi từ giao diện trước"
    return [data for _, data in read_jsonl(path, missing=missing)]


@dataclass
class CasesReport:
    added: list[str] = field(default_factory=list)
    for_review: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)  # records that could not become a case


def append_cases(records: list[dict[str, Any]], path: Path = CASES) -> CasesReport:
    """Turn records into cases and append the new ones to path."""
    existing = {data.get("id") for _, data in read_jsonl(path)} if path.exists() else set()
    report = CasesReport()
    lines = []
    for n, record in enumerate(records, 1):
        try:
            case = case_from_feedback(record)
        except ValueError as exc:
            report.skipped.append(f"bản ghi {n}: {exc}")
            continue
        if case["id"] in existing:
            report.duplicates += 1
            continue
        existing.add(case["id"])
        lines.append(json.dumps(case, ensure_ascii=False))
        report.added.append(case["id"])
        if case["review"]:
            report.for_review.append(case["id"])
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            if path.stat().st_size and not path.read_text("utf-8").endswith("\n"):
                f.write("\n")
            f.write("\n".join(lines) + "\n")
    return report
