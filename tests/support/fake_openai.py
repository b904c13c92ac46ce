"""A fake OpenAI-compatible HTTP server for tests (standard library only).

It stands in for OpenAI, vLLM, Ollama and TEI so that the real ``openai`` client and
``langchain-openai`` can be exercised over real HTTP on 127.0.0.1:

* ``POST /v1/embeddings``: deterministic bag-of-hashed-words vectors (float or base64);
* ``POST /v1/chat/completions``: non-streaming and streaming (SSE) replies, whose text
  comes from a pluggable ``chat_handler(request_json) -> str``;
* ``GET /v1/models``: one model.

Every request is recorded (method, path, headers, parsed JSON body) and counted per path.
Failures can be injected at runtime for the next N requests or always: HTTP 429, HTTP 500,
a hang, a malformed JSON body, a dropped connection.

Usage::

    with FakeOpenAI() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        server.fail("429", times=1)
        ...
        assert server.count("/v1/embeddings") == 2

or through the ``fake_openai`` pytest fixture defined at the bottom of this module
(import it into a test module or a conftest).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import socket
import struct
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DEFAULT_REPLY = "Đây là câu trả lời mẫu từ máy chủ giả lập."
DEFAULT_MODEL = "fake-model"
FAILURE_MODES = ("429", "500", "hang", "malformed", "drop")
MAX_HANG_SECONDS = 10.0

_WORD = re.compile(r"\w+", re.UNICODE)


def fake_vector(text: str, dim: int = 64) -> list[float]:
    """Deterministic embedding: signed hashed bag of lower-cased words, L2-normalized.

    Identical texts give identical vectors; texts sharing words have a higher cosine.
    A text with no word gets a fixed unit vector.
    """
    vec = [0.0] * dim
    for word in _WORD.findall(text.lower()):
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        h = int.from_bytes(digest, "little")
        vec[h % dim] += 1.0 if (h >> 63) & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vec))
    if not norm:
        vec[0] = 1.0
        return vec
    return [v / norm for v in vec]


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]  # header names lower-cased
    body: Any  # parsed JSON, or None when the body was empty or not JSON
    raw: bytes = b""

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def api_key(self) -> str | None:
        auth = self.authorization or ""
        return auth[len("Bearer ") :] if auth.startswith("Bearer ") else None


@dataclass
class _Failure:
    mode: str
    remaining: int | None  # None: always
    path: str | None  # None: any path


@dataclass
class FakeOpenAI:
    """The server object: start/stop it, or use it as a context manager."""

    dim: int = 64
    model: str = DEFAULT_MODEL
    hang_seconds: float = 3.0  # how long a "hang" failure holds the request (capped at 10 s)
    retry_after_ms: int | None = 10  # extra `retry-after-ms` header on 429 so retries are fast
    chat_handler: Callable[[dict[str, Any]], str] = field(default=lambda request: DEFAULT_REPLY)
    stream_piece_chars: int = 8  # streamed replies are cut into pieces this long

    def __post_init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.counts: Counter[str] = Counter()
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.block_on_close = True  # server_close() joins the request threads
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-openai-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # wakes up hanging handlers
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=MAX_HANG_SECONDS + 2)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give an OpenAI client as ``base_url``."""
        return self.url + "/v1"

    # --- test controls ---------------------------------------------------------------

    def fail(self, mode: str, times: int | None = 1, path: str | None = None) -> None:
        """Make the next ``times`` requests (``None``: all) fail with ``mode``.

        ``mode`` is one of "429", "500", "hang", "malformed", "drop"; ``path`` limits the
        failure to one path (e.g. "/v1/embeddings"). Failures queue up in order.
        """
        if mode not in FAILURE_MODES:
            raise ValueError(f"unknown failure mode {mode!r}; use one of {FAILURE_MODES}")
        with self._lock:
            self._failures.append(_Failure(mode, times, path))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def reset(self) -> None:
        """Forget recorded requests, counts and pending failures."""
        with self._lock:
            self.requests.clear()
            self.counts.clear()
            self._failures.clear()

    def count(self, path: str) -> int:
        with self._lock:
            return self.counts[path]

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    @property
    def last(self) -> RecordedRequest:
        with self._lock:
            return self.requests[-1]

    def vector(self, text: str) -> list[float]:
        """The vector this server returns for ``text``."""
        return fake_vector(text, self.dim)

    # --- used by the handler ---------------------------------------------------------

    def _record(self, request: RecordedRequest) -> str | None:
        """Record a request; return the failure mode to apply to it, if any."""
        with self._lock:
            self.requests.append(request)
            self.counts[request.path] += 1
            for failure in self._failures:
                if failure.path is not None and failure.path != request.path:
                    continue
                if failure.remaining is not None:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                return failure.mode
        return None

    def _hang(self) -> None:
        self._stopping.wait(min(self.hang_seconds, MAX_HANG_SECONDS))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeOpenAI  # set on the bound subclass

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # --- plumbing --------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_bytes(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers)

    def _send_bytes(
        self, status: int, data: bytes, headers: dict[str, str] | None = None, content_type: str = "application/json"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _error(self, status: int, message: str, err_type: str, headers: dict[str, str] | None = None) -> None:
        self._send_json(status, {"error": {"message": message, "type": err_type, "param": None, "code": None}}, headers)

    def _drop(self) -> None:
        """Close the connection without any response (abortive close: RST)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def _dispatch(self, method: str) -> None:
        raw = self._read_body() if method == "POST" else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0]
        request = RecordedRequest(method, path, {k.lower(): v for k, v in self.headers.items()}, body, raw)
        failure = self.fake._record(request)
        try:
            if failure is not None:
                self._apply_failure(failure)
                return
            route = _ROUTES.get((method, path))
            if route is None:
                self._error(404, f"no route {method} {path}", "invalid_request_error")
                return
            if method == "POST" and not isinstance(body, dict):
                self._error(400, "request body must be a JSON object", "invalid_request_error")
                return
            route(self, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    def _apply_failure(self, mode: str) -> None:
        if mode == "429":
            headers = {"Retry-After": "0"}
            if self.fake.retry_after_ms is not None:
                headers["retry-after-ms"] = str(self.fake.retry_after_ms)
            self._error(429, "Rate limit reached (fake)", "rate_limit_error", headers)
        elif mode == "500":
            self._error(500, "Internal server error (fake)", "server_error")
        elif mode == "hang":
            self.fake._hang()
            self._drop()  # the client has timed out by now; answer nothing
        elif mode == "malformed":
            self._send_bytes(200, b'{"object": "list", "data": [ {not json')
        elif mode == "drop":
            self._drop()

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    # --- routes ----------------------------------------------------------------------

    def _models(self, body: Any) -> None:
        self._send_json(
            200,
            {
                "object": "list",
                "data": [{"id": self.fake.model, "object": "model", "created": 1700000000, "owned_by": "fake"}],
            },
        )

    def _embeddings(self, body: dict[str, Any]) -> None:
        inputs = body.get("input")
        if isinstance(inputs, str) or (isinstance(inputs, list) and inputs and isinstance(inputs[0], int)):
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs:
            self._error(400, "'input' must be a non-empty string or list", "invalid_request_error")
            return
        texts = [" ".join(f"tok{t}" for t in item) if isinstance(item, list) else str(item) for item in inputs]
        b64 = body.get("encoding_format") == "base64"
        data = []
        for i, text in enumerate(texts):
            vec = fake_vector(text, self.fake.dim)
            emb: Any = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode("ascii") if b64 else vec
            data.append({"object": "embedding", "index": i, "embedding": emb})
        tokens = sum(len(_WORD.findall(t)) or 1 for t in texts)
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model") or self.fake.model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        reply = self.fake.chat_handler(body)
        model = body.get("model") or self.fake.model
        cid = "chatcmpl-" + uuid.uuid4().hex[:12]
        created = int(time.time())
        prompt_tokens = sum(len(_WORD.findall(str(m.get("content") or ""))) for m in body.get("messages") or [])
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(_WORD.findall(reply)),
            "total_tokens": prompt_tokens + len(_WORD.findall(reply)),
        }
        if not body.get("stream"):
            self._send_json(
                200,
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply},
                            "finish_reason": "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": usage,
                },
            )
            return
        self._stream_chat(
            cid, created, model, reply, usage, bool((body.get("stream_options") or {}).get("include_usage"))
        )

    def _stream_chat(
        self, cid: str, created: int, model: str, reply: str, usage: dict[str, int], include_usage: bool
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            }

        step = max(1, self.fake.stream_piece_chars)
        events: list[dict[str, Any]] = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": reply[i : i + step]}) for i in range(0, len(reply), step)]
        events.append(chunk({}, "stop"))
        if include_usage:
            events.append(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": usage,
                }
            )
        for event in events:
            self._write_chunk(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode("utf-8"))
        self._write_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()


_ROUTES: dict[tuple[str, str], Callable[[_Handler, Any], None]] = {
    ("GET", "/v1/models"): _Handler._models,
    ("POST", "/v1/embeddings"): _Handler._embeddings,
    ("POST", "/v1/chat/completions"): _Handler._chat,
}


def down_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # the port was free a moment ago and nothing listens on it now
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A started FakeOpenAI, stopped after the test."""
    with FakeOpenAI() as server:
        yield server
