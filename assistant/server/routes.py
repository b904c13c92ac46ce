"""The API's endpoints. Each reads its body through ``models.parse_body`` (clear 4xx in the
OpenAI format), authenticates and rate-limits under /v1, and computes answers in the
answer pool; the store is touched only for turns kept on purpose (``store`` or
``conversation_id``) and for feedback, so a database outage never stops an answer."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from retrieval.errors import TrolyError

from ..feedback import CONVERSATION_ID, ChatMessage, StoreUnavailableError, new_conversation_id
from ..types import Answer, Context
from .auth import Principal
from .errors import ApiError, from_troly
from .logs import LOGGER
from .models import ChatRequest, FeedbackRequest, SearchRequest, chat_turn, check_text, parse_body

router = APIRouter()
log = logging.getLogger(LOGGER)
_PIECE = re.compile(r"\S+\s*|\s+")
WORDS_PER_PIECE = 6


def _rt(request: Request):
    return request.app.state.runtime


def _principal(request: Request) -> Principal:
    """Authenticate, then take a rate-limit token; the user goes into the access log."""
    rt = _rt(request)
    who = rt.keys.authenticate(request.headers.get("authorization"), request.client.host if request.client else "")
    request.state.log["user"] = who.user
    rt.limiter.check(who.client)
    return who


async def _ready(rt) -> None:
    """503 until the index is loaded (one more try when it failed, e.g. before an ingest)."""
    if rt.ready:
        return
    if rt.error != "đang nạp chỉ mục" and await anyio.to_thread.run_sync(rt.warm):
        return
    message = "máy chủ đang nạp chỉ mục; hãy thử lại sau ít giây" if rt.error == "đang nạp chỉ mục" else rt.error
    raise ApiError(503, message, code="not_ready", headers={"Retry-After": "5"})


# -- health ---------------------------------------------------------------------------


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: the index is loaded and, in Chroma server mode, the Chroma server answers
    (503 otherwise: no question can be answered without it); the database is reported too,
    but an unreachable one does not make the replica unready: answers are still served."""
    rt = _rt(request)
    checks: dict[str, Any] = {"index": "ok" if rt.ready else f"chưa sẵn sàng: {rt.error}"}
    ready = rt.ready
    if rt.settings.chroma_url:
        checks["vectors"] = await _vectors_check(rt)
        ready = ready and checks["vectors"] == "ok"
    try:
        with anyio.fail_after(5):
            await anyio.to_thread.run_sync(rt.store.ping)
        checks["database"] = "ok"
    except (StoreUnavailableError, TimeoutError) as exc:
        checks["database"] = f"không kết nối được: {exc}" if str(exc) else "không kết nối được"
    checks["generator"] = rt.settings.generator
    status = "ok" if ready and checks["database"] == "ok" else ("degraded" if ready else "unavailable")
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)


async def _vectors_check(rt) -> str:
    """ "ok", or why the Chroma server holding the index cannot be reached."""
    try:
        with anyio.fail_after(rt.settings.chroma_timeout + 2):
            await anyio.to_thread.run_sync(lambda: rt.assistant.index_dir.ping())
        return "ok"
    except TrolyError as exc:
        return str(exc)
    except TimeoutError:
        return f"máy chủ Chroma {rt.settings.chroma_url} không trả lời"


# -- models, documents, search ----------------------------------------------------------


@router.get("/v1/models")
async def models(request: Request) -> dict[str, Any]:
    _principal(request)
    rt = _rt(request)
    return {
        "object": "list",
        "data": [{"id": rt.settings.serve_model, "object": "model", "created": 0, "owned_by": "troly-nghiquyet"}],
    }


@router.get("/v1/documents")
async def documents(request: Request) -> dict[str, Any]:
    """The indexed documents, as ``troly docs --json``."""
    _principal(request)
    rt = _rt(request)
    await _ready(rt)
    stats = await anyio.to_thread.run_sync(rt.assistant.documents)
    return {
        "object": "list",
        "data": [s.as_dict() for s in stats],
    }


@router.post("/v1/search")
async def search(request: Request) -> dict[str, Any]:
    """Ranked clauses for a query, as ``troly search --json``."""
    _principal(request)
    rt = _rt(request)
    req = parse_body(await request.body(), SearchRequest)
    query = check_text(req.query, "query", rt.settings.max_question_chars)
    await _ready(rt)
    hits = await rt.pool.search(query, req.k, req.doc)
    return {"results": [Context.from_hit(h).to_json() for h in hits]}


# -- chat -------------------------------------------------------------------------------


def content_of(answer: Answer) -> str:
    """The message text: the answer with its [n] markers, after the notice when the LLM
    failed and the extractive answer stands in (front ends show only the text)."""
    return f"{answer.notice}\n\n{answer.answer}" if answer.notice else answer.answer


def pieces(text: str) -> list[str]:
    """The text in pieces of a few words (markers stay whole), for streaming."""
    words = _PIECE.findall(text)
    return ["".join(words[i : i + WORDS_PER_PIECE]) for i in range(0, len(words), WORDS_PER_PIECE)] or [""]


def _usage(prompt: list[str], completion: str) -> dict[str, int]:
    from retrieval.tokens import count_tokens

    p, c = sum(count_tokens(t) for t in prompt), count_tokens(completion)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _extra(answer: Answer, kept: dict[str, Any]) -> dict[str, Any]:
    """Our fields beside the OpenAI ones: the citations, and how the answer was made."""
    troly = {
        "abstained": answer.abstained,
        "standalone_question": answer.standalone_question,
        "notice": answer.notice,
        "backend": answer.to_json()["backend"],
        "timings_ms": answer.to_json()["timings_ms"],
        **kept,
    }
    return {"citations": [c.to_json() for c in answer.citations], "troly": troly}


async def _conversation(rt, req: ChatRequest, who: Principal) -> dict[str, Any] | None:
    """Where to keep this turn, checked before answering: {conversation_id, next index},
    404 for another user's conversation, or a note when the database is down."""
    if not (req.store or req.conversation_id):
        return None
    conv_id = req.conversation_id or new_conversation_id()
    if not CONVERSATION_ID.match(conv_id):
        raise ApiError(400, "'conversation_id' phải gồm 6–64 ký tự chữ, số, '-' hoặc '_'", "conversation_id")
    try:
        exists, owner = await anyio.to_thread.run_sync(rt.store.owner, conv_id)
        if exists and owner != who.user:
            raise ApiError(404, "không tìm thấy cuộc trò chuyện", "conversation_id", "conversation_not_found")
        conv = await anyio.to_thread.run_sync(rt.store.load_conversation, conv_id, who.user) if exists else None
    except StoreUnavailableError as exc:
        return {"conversation_id": conv_id, "next": None, "error": str(exc)}
    return {"conversation_id": conv_id, "next": len(conv.messages) if conv else 0, "error": None}


async def _keep(
    rt, where: dict[str, Any] | None, question: str, answer: Answer, doc: str | None, user: str | None
) -> dict[str, Any]:
    """Store the turn; what the client is told about it."""
    if where is None:
        return {}
    out = {"conversation_id": where["conversation_id"], "stored": False}
    if where["error"]:
        return dict(out, store_error=where["error"])
    idx = where["next"]

    def save() -> None:
        rt.store.save_message(where["conversation_id"], idx, ChatMessage("user", question), doc, user)
        rt.store.save_message(
            where["conversation_id"], idx + 1, ChatMessage("assistant", answer.answer, answer), doc, user
        )

    try:
        await anyio.to_thread.run_sync(save)
    except (StoreUnavailableError, TrolyError) as exc:
        log.warning("turn not stored", extra={"fields": {"reason": str(exc)}})
        return dict(out, store_error=str(exc))
    return dict(out, stored=True, message_index=idx + 1)


@router.post("/v1/chat/completions")
async def chat_completions(request: Request):
    """OpenAI chat completions: the last user message is the question, the user/assistant
    messages before it the conversation."""
    who = _principal(request)
    rt = _rt(request)
    req = parse_body(await request.body(), ChatRequest)
    turn = chat_turn(req, rt.limits)
    await _ready(rt)
    doc = rt.assistant.document(req.doc).id if req.doc else None  # 400 for an unknown document, up front
    fields = request.state.log
    fields.update(question_chars=len(turn.question), turns=len(turn.history), stream=req.stream)
    if rt.settings.log_questions:
        fields["question"] = turn.question
    where = await _conversation(rt, req, who)
    base = {"id": "chatcmpl-" + uuid.uuid4().hex[:24], "created": int(time.time()), "model": req.model}
    if req.stream:
        rt.pool.check()
        include_usage = bool(req.stream_options and req.stream_options.include_usage)
        return StreamingResponse(
            _stream(rt, req, turn, doc, who, where, base, include_usage, fields),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = await rt.pool.ask(turn.question, turn.history, doc)
    _log_answer(fields, answer)
    kept = await _keep(rt, where, turn.question, answer, doc, who.user)
    content = content_of(answer)
    body = dict(
        base,
        object="chat.completion",
        choices=[
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        usage=_usage([turn.question] + [m.content for m in turn.history], content),
        **_extra(answer, kept),
    )
    return JSONResponse(body)


def _log_answer(fields: dict[str, Any], answer: Answer) -> None:
    fields.update(
        abstained=answer.abstained,
        citations=len(answer.citations),
        generator=answer.backend.get("generator"),
        fallback=bool(answer.notice),
        answer_ms=round(answer.timings_ms.get("total", 0.0), 1),
    )


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(
    rt,
    req: ChatRequest,
    turn,
    doc,
    who: Principal,
    where,
    base: dict[str, Any],
    include_usage: bool,
    fields: dict[str, Any],
) -> AsyncIterator[str]:
    """Server-sent events: the role first (at once), then the checked answer's text in
    pieces, then a last chunk with finish_reason and the citations. The text is sent once
    it is checked against the clauses, so what is streamed is what is cited."""

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
        return dict(
            base,
            object="chat.completion.chunk",
            choices=[{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        )

    yield _sse(chunk({"role": "assistant", "content": ""}))
    try:
        answer = await rt.pool.ask(turn.question, turn.history, doc)
    except ApiError as exc:
        fields["stream_error"] = exc.code
        yield _sse(exc.body())
        yield "data: [DONE]\n\n"
        return
    except TrolyError as exc:
        err = from_troly(exc)
        fields["stream_error"] = err.code
        yield _sse(err.body())
        yield "data: [DONE]\n\n"
        return
    _log_answer(fields, answer)
    content = content_of(answer)
    for piece in pieces(content):
        yield _sse(chunk({"content": piece}))
    kept = await _keep(rt, where, turn.question, answer, doc, who.user)
    yield _sse(chunk({}, "stop", **_extra(answer, kept)))
    if include_usage:
        yield _sse(
            dict(
                base,
                object="chat.completion.chunk",
                choices=[],
                usage=_usage([turn.question] + [m.content for m in turn.history], content),
            )
        )
    yield "data: [DONE]\n\n"


# -- conversations and feedback ---------------------------------------------------------


@router.get("/v1/conversations/{conversation_id}")
async def conversation(conversation_id: str, request: Request) -> dict[str, Any]:
    """A stored conversation of the caller (404 for anyone else's)."""
    who = _principal(request)
    rt = _rt(request)
    conv = await anyio.to_thread.run_sync(rt.store.load_conversation, conversation_id, who.user)
    if conv is None:
        raise ApiError(404, "không tìm thấy cuộc trò chuyện", "conversation_id", "conversation_not_found")
    return {
        "id": conv.id,
        "title": conv.title,
        "doc": conv.doc,
        "created": conv.created,
        "messages": [
            {
                "index": i,
                "role": m.role,
                "content": m.content,
                "citations": [c.to_json() for c in m.answer.citations] if m.answer else [],
            }
            for i, m in enumerate(conv.messages)
        ],
    }


@router.post("/v1/feedback")
async def feedback(request: Request) -> dict[str, Any]:
    """👍/👎 (rating 1/-1, null clears) and/or a comment on a stored answer. Answered 200
    only once it is committed; 503 with the reason when the database is down."""
    who = _principal(request)
    rt = _rt(request)
    req = parse_body(await request.body(), FeedbackRequest)
    if "rating" not in req.model_fields_set and req.comment is None:
        raise ApiError(400, "hãy gửi 'rating' (1 hoặc -1) hoặc 'comment'", "rating")
    conv = await anyio.to_thread.run_sync(rt.store.load_conversation, req.conversation_id, who.user)
    if conv is None:
        raise ApiError(404, "không tìm thấy cuộc trò chuyện", "conversation_id", "conversation_not_found")
    idx = req.message_index
    if idx >= len(conv.messages) or conv.messages[idx].answer is None or idx == 0:
        raise ApiError(400, f"lượt {idx} không phải một câu trả lời của trợ lý", "message_index")
    msg = conv.messages[idx]
    view = {k: v for k, v in rt.settings.public_view().items() if k not in ("api_keys", "database_url")}
    context = {
        "question": conv.messages[idx - 1].content,
        "history": [m.to_message() for m in conv.messages[: idx - 1]],
        "answer": msg.answer,
        "config": dict(view, backend=msg.answer.backend, surface="api"),
        "user": who.user,
    }

    def save() -> None:
        if "rating" in req.model_fields_set:
            rt.store.rate(req.conversation_id, idx, req.rating, **context)
        if req.comment is not None:
            rt.store.comment(req.conversation_id, idx, req.comment, **context)

    await anyio.to_thread.run_sync(save)
    return {"ok": True, "conversation_id": req.conversation_id, "message_index": idx}
