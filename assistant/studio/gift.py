"""Quizzes in Moodle GIFT, the plain-text format Vietnamese LMSs import: one question per
block, the answer key inside braces, the clause label and quote as feedback. The special
characters ~ = # { } : and the backslash are escaped wherever text is written."""

from __future__ import annotations

import re

from .types import Question, Quiz

_SPECIAL = re.compile(r"([\\~=#{}:])")


def escape(text: str) -> str:
    """Text made literal for GIFT (one line: newlines become spaces)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _source(q: Question) -> str:
    return f"Nguồn: {q.cite.label} — “{q.cite.quote}”"


def question_gift(q: Question, number: int, prefix: str) -> str:
    title = escape(f"{prefix} câu {number}")
    lines = [f"// {escape(q.cite.label)}", f"::{title}::{escape(q.stem)} {{"]
    if q.answer < 0:
        answers = [q.answer_text]
        bare = q.answer_text.rstrip("%").strip()
        if bare != q.answer_text and bare:
            answers.append(bare)
        lines += [f"={escape(a)}" for a in answers]
    else:
        for i, option in enumerate(q.options):
            mark = "=" if i == q.answer else "~"
            feedback = "Đúng." if i == q.answer else "Chưa đúng."
            lines.append(f"{mark}{escape(option)}#{escape(feedback)}")
    lines.append(f"####{escape(_source(q))}")
    lines.append("}")
    return "\n".join(lines)


def quiz_gift(quiz: Quiz) -> str:
    prefix = f"{quiz.doc_short} {quiz.clause}".strip()
    head = [f"// Câu hỏi ôn tập: {escape(quiz.title)} ({escape(prefix)})", f"$CATEGORY: {escape(prefix)}", ""]
    blocks = [question_gift(q, i, prefix) for i, q in enumerate(quiz.questions, 1)]
    return "\n".join(head) + "\n\n".join(blocks) + "\n"
