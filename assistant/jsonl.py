"""The one reader of JSONL files (one JSON object a line): batch questions, answers to
score, evaluation questions, feedback exports. Every failure is one BadInputError naming the
file and the line (a missing file, a folder, UTF-16, invalid UTF-8, bad or too deep JSON, a
line that is not an object); a UTF-8 byte-order mark is dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.errors import BadInputError

MAX_LINE_CHARS = 1_000_000  # one record; far above any real one
MAX_DEPTH = 20  # nesting of a line's JSON (a line is an object holding a list of objects)


def read_jsonl(path: Path, missing: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; missing: the message when the file
    does not exist (default "không tìm thấy tệp <path>")."""
    if missing is not None and not path.exists():
        raise BadInputError(missing)
    for n, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        try:
            yield n, parse_object(line)
        except BadInputError as exc:
            raise BadInputError(f"{path}, dòng {n}: {exc}") from None


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (a BadInputError naming the first undecodable line)."""
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


def parse_object(line: str) -> dict[str, Any]:
    """One line's JSON object; a BadInputError says what is wrong (without the line number)."""
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
        raise BadInputError(f"mỗi dòng phải là một đối tượng JSON {{...}}, không phải {kind(item)}")
    return item


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


def kind(value: Any) -> str:
    """What a JSON value is, in Vietnamese (for error messages)."""
    return {
        bool: "giá trị đúng/sai",
        int: "số",
        float: "số",
        list: "danh sách",
        dict: "đối tượng",
        type(None): "null",
    }.get(type(value), type(value).__name__)
