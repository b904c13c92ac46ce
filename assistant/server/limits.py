"""Limits that keep one replica answering under load: the request body size (an ASGI
middleware, so an oversized body is refused before it is read whole) and a token bucket per
user or client address. The bounded queue in front of the answers (a full queue answers
503 at once instead of letting every request time out) is in answers.py."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .errors import ApiError

BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyLimit:
    """Pure ASGI middleware: 413 for a body over max_bytes (by Content-Length, or while it
    streams in); the body is buffered once and replayed to the app."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, sent = b"".join(chunks), [False]

        async def replay() -> dict[str, Any]:
            if not sent[0]:
                sent[0] = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope, send) -> None:
        from .errors import ApiError

        kb = self.max_bytes // 1024
        err = ApiError(
            413,
            f"yêu cầu quá lớn (tối đa {kb} KB); hãy rút ngắn câu hỏi hoặc lịch sử trò chuyện",
            code="request_too_large",
        )
        await err.response()(scope, _no_body, send)


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, refilled at per_minute/60 a
    second. Runs on the event loop only (no lock). per_minute 0 turns it off. Buckets
    of clients not seen for a while are dropped (at most max_clients kept)."""

    def __init__(
        self, per_minute: int, burst: int, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic
    ):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def check(self, client: str) -> None:
        """Take one token for client, or raise ApiError 429 with Retry-After."""
        if self.rate <= 0:
            return
        now = self.clock()
        tokens, last = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            wait = math.ceil((1.0 - tokens) / self.rate)
            raise ApiError(
                429,
                f"quá nhiều yêu cầu; hãy thử lại sau {wait} giây",
                code="rate_limit_exceeded",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[client] = (tokens - 1.0, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
