"""The batch file of `troly ask --batch`: one JSON object a line,
``{"question": "...", "history": [{"role": "user"|"assistant", "content": "..."}]}``.

The whole file is checked before the first question is answered, so a bad line costs
nothing and is named in one line (its number and what is wrong with it); nothing is
printed for a file that is only half usable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from retrieval.errors import BadInputError

from .types import Message

MAX_LINE_CHARS = 1_000_000  # one question with its history; far above any real one
MAX_DEPTH = 20  # nesting of a line's JSON (a line is an object holding a list of objects)


def read_batch(path: Path) -> list[tuple[str, list[Message]]]:
    """Every (question, history) of a batch file, or a BadInputError naming the bad line."""
    requests = []
    for n, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        try:
            requests.append(parse_line(line))
        except BadInputError as exc:
            raise BadInputError(f"{path}, dòng {n}: {exc}") from None
    return requests


def _lines(path: Path) -> list[str]:
    if path.is_dir():
        raise BadInputError(f"{path} là một thư mục; hãy chỉ ra một tệp .jsonl")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"không tìm thấy tệp {path}") from None
    except OSError as exc:
        raise BadInputError(f"không đọc được tệp {path} ({exc.strerror or type(exc).__name__})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(f"{path} được lưu dạng UTF-16; hãy lưu lại tệp dưới dạng UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM (Windows Notepad): harmless, dropped
        data = data[3:]
    lines = data.split(b"\n")
    out = []
    for n, raw in enumerate(lines, 1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BadInputError(
                f"{path}, dòng {n}: không phải UTF-8 hợp lệ (byte 0x{raw[exc.start]:02x} ở vị trí {exc.start + 1}); "
                "hãy lưu lại tệp dưới dạng UTF-8"
            ) from None
    return out


def parse_line(line: str) -> tuple[str, list[Message]]:
    """One request of a batch file, checked: a BadInputError says what is wrong."""
    if len(line) > MAX_LINE_CHARS:
        raise BadInputError(f"dòng dài quá {MAX_LINE_CHARS:,} ký tự".replace(",", "."))
    if _depth(line) > MAX_DEPTH:
        raise BadInputError(f"JSON lồng quá sâu (quá {MAX_DEPTH} tầng)")
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise BadInputError("JSON có số nguyên quá dài (hơn 4.300 chữ số)") from None
    except RecursionError:
        raise BadInputError(f"JSON lồng quá sâu (quá {MAX_DEPTH} tầng)") from None
    if not isinstance(item, dict):
        raise BadInputError(f"mỗi dòng phải là một đối tượng JSON {{\"question\": ...}}, không phải {_kind(item)}")
    if "question" not in item:
        raise BadInputError("thiếu trường 'question'")
    question = item["question"]
    if not isinstance(question, str):
        raise BadInputError(f"trường 'question' phải là chuỗi, không phải {_kind(question)}")
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
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str) for t in items
    ):
        raise BadInputError("'history' phải là danh sách các {\"role\": \"user\"|\"assistant\", \"content\": \"...\"}")
    return [Message(t["role"], t["content"]) for t in items]


def _check_strings(*texts: str) -> None:
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadInputError(
                f"chứa ký tự không hợp lệ (nửa cặp thay thế U+{ord(text[exc.start]):04X}); hãy sửa chuỗi \\u đó"
            ) from None


def _depth(line: str) -> int:
    """Deepest nesting of brackets outside strings (cheap: no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _kind(value: Any) -> str:
    return {bool: "giá trị đúng/sai", int: "số", float: "số", list: "danh sách", dict: "đối tượng",
            type(None): "null"}.get(type(value), type(value).__name__)
