"""The batch file of `troly ask --batch`: one JSON object a line,
``{"question": "...", "history": [{"role": "user"|"assistant", "content": "..."}]}``.

The whole file is checked before the first question is answered, so a bad line costs
nothing and is named in one line (its number and what is wrong with it); nothing is
printed for a file that is only half usable.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.errors import BadInputError

from .jsonl import kind, parse_object, read_lines
from .types import Message


def read_batch(path: Path) -> list[tuple[str, list[Message]]]:
    """Every (question, history) of a batch file, or a BadInputError naming the bad line."""
    requests = []
    for n, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        try:
            requests.append(parse_line(line))
        except BadInputError as exc:
            raise BadInputError(f"{path}, dòng {n}: {exc}") from None
    return requests


def parse_line(line: str) -> tuple[str, list[Message]]:
    """One request of a batch file, checked: a BadInputError says what is wrong."""
    item = parse_object(line)
    if "question" not in item:
        raise BadInputError("thiếu trường 'question'")
    question = item["question"]
    if not isinstance(question, str):
        raise BadInputError(f"trường 'question' phải là chuỗi, không phải {kind(question)}")
    if not question.strip():
        raise BadInputError("trường 'question' trống")
    history = parse_history(item.get("history"))
    _check_strings(question, *[m.content for m in history])
    return question, history


def parse_history(items: object) -> list[Message]:
    """A conversation given as [{"role": "user"|"assistant", "content": "..."}]."""
    if items is None:
        return []
    if not isinstance(items, list) or not all(
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
        for t in items
    ):
        raise BadInputError('\'history\' phải là danh sách các {"role": "user"|"assistant", "content": "..."}')
    return [Message(t["role"], t["content"]) for t in items]


def _check_strings(*texts: str) -> None:
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadInputError(
                f"chứa ký tự không hợp lệ (nửa cặp thay thế U+{ord(text[exc.start]):04X}); hãy sửa chuỗi \\u đó"
            ) from None
