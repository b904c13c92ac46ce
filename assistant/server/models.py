"""The API's request models and the checks every request body goes through.

``parse_body(raw, Model, limits)`` turns raw bytes into a validated model or raises an
``ApiError`` (400/404) whose Vietnamese message names the field: invalid UTF-8, not JSON,
wrong JSON types, empty or over-long questions, control characters, HTML/script markup,
prompt injection (patterns in resources/unsafe_input.toml), unknown model. Nothing else can
escape: the hypothesis test in tests/server feeds it arbitrary JSON.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..types import Message
from .errors import ApiError

RESOURCES = Path(__file__).resolve().parent / "resources"
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


@dataclass(frozen=True)
class Limits:
    """What a request may hold (from Settings)."""

    model: str
    max_question_chars: int = 4000
    max_messages: int = 200


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class ContentPart(_Strict):
    type: str
    text: str | None = None


class ChatMessageIn(_Strict):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None


class StreamOptions(_Strict):
    include_usage: bool = False


class ChatRequest(_Strict):
    """POST /v1/chat/completions, the OpenAI fields we read plus our own extras
    (``doc``: restrict to one document; ``conversation_id``/``store``: keep the turn)."""

    model: str
    messages: list[ChatMessageIn]
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = 1
    doc: str | None = None
    conversation_id: str | None = None
    store: bool | None = None


class SearchRequest(_Strict):
    """POST /v1/search: ranked clauses, as ``troly search --json``."""

    query: str
    k: int = Field(default=8, ge=1, le=50)
    doc: str | None = None


class FeedbackRequest(_Strict):
    """POST /v1/feedback on a stored answer (``troly.conversation_id`` / ``message_index``)."""

    conversation_id: str
    message_index: int = Field(ge=0)
    rating: Literal[1, -1] | None = None
    comment: str | None = Field(default=None, max_length=2000)


# -- turning bytes into a model ------------------------------------------------------

FIELD_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "string_type": "phải là chuỗi văn bản",
    "bool_type": "phải là true hoặc false",
    "int_type": "phải là số nguyên",
    "list_type": "phải là một danh sách",
    "model_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "literal_error": "giá trị không được chấp nhận",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
    "string_too_long": "quá dài",
}


def _param(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "list[ContentPart]", "none", "int") or "[" in str(part):
            continue  # the branch of a union, not a field
        else:
            out += ("." if out else "") + str(part)
    return out


def _validation_error(exc: ValidationError) -> ApiError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    param = _param(tuple(first["loc"]))
    # a union (content: str | list) reports one error per branch: say what is allowed
    if param.endswith("content") and first["type"] in ("string_type", "list_type", "model_type"):
        return ApiError(400, f"'{param}' phải là chuỗi văn bản hoặc danh sách các phần văn bản", param)
    if first["type"] == "literal_error" and param.endswith("role"):
        return ApiError(400, f"'{param}' phải là 'user', 'assistant' hoặc 'system'", param)
    what = FIELD_MESSAGES.get(first["type"], "giá trị không hợp lệ")
    return ApiError(400, f"'{param or 'body'}' {what}", param or None)


def parse_body(raw: bytes, model: type[BaseModel]) -> Any:
    """Bytes → model, or ApiError 400 saying what is wrong."""
    if not raw.strip():
        raise ApiError(400, "thân yêu cầu trống; hãy gửi một đối tượng JSON", code="empty_body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "thân yêu cầu không phải văn bản UTF-8 hợp lệ", code="invalid_utf8") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ApiError(400, "thân yêu cầu không phải JSON hợp lệ", code="invalid_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "thân yêu cầu phải là một đối tượng JSON {...}", code="invalid_json")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc) from None
    except RecursionError:
        raise ApiError(400, "đối tượng JSON lồng nhau quá sâu", code="invalid_json") from None


# -- the content of a question --------------------------------------------------------


@lru_cache(maxsize=1)
def _rules():
    from retrieval.rules import load_rules

    return load_rules("unsafe_input", RESOURCES)


def check_text(text: str, param: str, max_chars: int) -> str:
    """A user's text, or ApiError: empty, too long, control characters, markup, injection."""
    if not text.strip():
        raise ApiError(400, "câu hỏi trống; hãy nhập nội dung cần hỏi", param, "empty_question")
    if len(text) > max_chars:
        raise ApiError(400, f"câu hỏi quá dài ({len(text)} ký tự, tối đa {max_chars})", param, "question_too_long")
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in ALLOWED_CONTROLS for ch in text):
        raise ApiError(
            400, "câu hỏi chứa ký tự điều khiển không hợp lệ; hãy gửi văn bản thuần", param, "control_characters"
        )
    rules = _rules()
    if rules.search("markup", text):
        raise ApiError(400, "câu hỏi chứa mã HTML/script; hãy gửi câu hỏi dạng văn bản thuần", param, "markup")
    if rules.search("injection", text):
        raise ApiError(
            400,
            "câu hỏi yêu cầu trợ lý bỏ qua hoặc tiết lộ quy tắc của mình (prompt injection); "
            "hãy hỏi về nội dung các văn bản",
            param,
            "prompt_injection",
        )
    return text.strip()


def _content(msg: ChatMessageIn, param: str) -> str:
    if msg.content is None:
        return ""
    if isinstance(msg.content, str):
        return msg.content
    texts = []
    for n, part in enumerate(msg.content):
        if part.type != "text" or part.text is None:
            raise ApiError(
                400, f"'{param}[{n}]': chỉ nhận nội dung văn bản (type 'text')", f"{param}[{n}]", "unsupported_content"
            )
        texts.append(part.text)
    return "\n".join(texts)


@dataclass
class ChatTurn:
    """What the assistant is asked: the question and the conversation before it."""

    question: str
    history: list[Message]


def chat_turn(req: ChatRequest, limits: Limits) -> ChatTurn:
    """The checked question and history of a chat request (system messages are ignored:
    the assistant keeps its own rules)."""
    if req.model != limits.model:
        raise ApiError(
            404, f"không có mô hình '{req.model[:80]}'; mô hình hợp lệ: {limits.model}", "model", "model_not_found"
        )
    if req.n != 1:
        raise ApiError(400, "'n' chỉ nhận giá trị 1", "n")
    if not req.messages:
        raise ApiError(400, "'messages' trống; hãy gửi ít nhất một tin nhắn của người dùng", "messages")
    if len(req.messages) > limits.max_messages:
        raise ApiError(400, f"quá nhiều tin nhắn ({len(req.messages)}, tối đa {limits.max_messages})", "messages")
    turns: list[tuple[int, Message]] = []
    for n, msg in enumerate(req.messages):
        if msg.role in ("user", "assistant"):
            turns.append((n, Message(msg.role, _content(msg, f"messages[{n}].content"))))
    if not turns or turns[-1][1].role != "user":
        raise ApiError(400, "tin nhắn cuối cùng phải là câu hỏi của người dùng (role 'user')", "messages")
    # Only the new question is checked: the earlier turns are what the client shows, and a
    # refused question kept there by a front end must not block the rest of the chat.
    n, last = turns[-1]
    question = check_text(last.content, f"messages[{n}].content", limits.max_question_chars)
    return ChatTurn(question, [m for _, m in turns[:-1] if m.content.strip()])
