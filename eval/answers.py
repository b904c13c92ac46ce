"""Answers produced elsewhere, read back from `troly ask --json` lines (`troly eval --score`).

Each line is one object of the JSON contract (question, standalone_question, answer,
abstained, citations, contexts, backend, timings_ms), optionally with an ``id`` naming a
question of the evaluation set; ``history`` may be given too. A line whose id matches a
question is scored against that question's gold; any other line is a question of its own
(no gold, whether it can be answered unknown), scored on the answer-only metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant import read_jsonl
from assistant.errors import BadInputError
from assistant.types import Answer, Citation, Context

from .dataset import Question


@dataclass
class ScoredLine:
    question: Question
    answer: Answer
    seconds: float
    matched: bool  # the id named a question of the set


def answer_from_json(data: dict) -> Answer:
    """An Answer from one `troly ask --json` object (extra keys ignored)."""
    cits = [
        Citation(
            marker=int(c["marker"]),
            chunk_id=str(c.get("chunk_id", "")),
            doc_id=str(c.get("doc_id", "")),
            doc_short=str(c.get("doc_short", "")),
            clause=str(c.get("clause", "")),
            label=str(c.get("label", "")),
            quote=str(c.get("quote", "")),
            text=str(c.get("text", "")),
        )
        for c in data.get("citations", [])
    ]
    ctxs = [
        Context(
            chunk_id=str(c.get("chunk_id", "")),
            doc_id=str(c.get("doc_id", "")),
            doc_short=str(c.get("doc_short", "")),
            clause=str(c.get("clause", "")),
            label=str(c.get("label", "")),
            text=str(c.get("text", "")),
            score=float(c.get("score", 0.0)),
        )
        for c in data.get("contexts", [])
    ]
    return Answer(
        question=str(data.get("question", "")),
        standalone_question=str(data.get("standalone_question", "")),
        answer=str(data["answer"]),
        abstained=bool(data.get("abstained", False)),
        citations=cits,
        contexts=ctxs,
        backend=dict(data.get("backend") or {}),
        timings_ms=dict(data.get("timings_ms") or {}),
    )


def read_answers(path: Path, questions: list[Question]) -> list[ScoredLine]:
    """The answers of a JSONL file, each with the question it answers (by id, else one
    made from the line)."""
    by_id = {q.id: q for q in questions}
    out = []
    for n, data in read_jsonl(path, missing=f"không tìm thấy tệp câu trả lời {path}"):
        try:
            if "answer" not in data:
                raise ValueError('thiếu trường "answer"')
            answer = answer_from_json(data)
        except (ValueError, TypeError, KeyError) as exc:
            raise BadInputError(
                f"{path}, dòng {n}: không đọc được câu trả lời ({exc}); mỗi dòng phải là một đối tượng "
                f"JSON như `troly ask --json` in ra"
            ) from exc
        qid = str(data.get("id") or "")
        q = by_id.get(qid)
        if q is None:
            q = Question(
                id=qid or f"dong-{n}",
                type=str(data.get("type") or "khac"),
                question=answer.question,
                history=list(data.get("history") or []),
                answerable=None,
                split="",
            )
        seconds = float((data.get("timings_ms") or {}).get("total", 0.0)) / 1000
        out.append(ScoredLine(q, answer, seconds, q.id in by_id))
    if not out:
        raise BadInputError(f"{path} không có câu trả lời nào")
    return out
