"""Structured JSON logs, one object a line on stderr: the server's events and one access
record per request (method, path, status, milliseconds, request id, user, question
length). Never a key, a password or the Authorization header; the question text only
when ``TROLY_LOG_QUESTIONS`` is on."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import datetime, timezone
from typing import Any

LOGGER = "troly.server"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object; extra={"fields": {...}} adds fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        data.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """logging.config dict for uvicorn and the app: everything through JsonFormatter."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "assistant.server.logs.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            LOGGER: {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


def request_id(headers: dict[bytes, bytes]) -> str:
    """The client's X-Request-ID when it is a sane token, else a new one."""
    given = headers.get(b"x-request-id", b"").decode("latin-1")
    return given if _REQUEST_ID.match(given) else secrets.token_hex(8)


class AccessLog:
    """Pure ASGI middleware: a request id on every request and response, and one JSON
    access record when the response ends (streaming responses included). Handlers add
    fields to ``request.state.log`` (a dict)."""

    def __init__(self, app):
        self.app = app
        self.log = logging.getLogger(LOGGER)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        rid = request_id(dict(scope.get("headers") or []))
        state = scope.setdefault("state", {})
        state["request_id"], state["log"] = rid, {}
        status = [500]

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            fields = {
                "request_id": rid,
                "method": scope["method"],
                "path": scope["path"],
                "status": status[0],
                "ms": round((time.perf_counter() - t0) * 1000, 1),
                "client": (scope.get("client") or ("", 0))[0],
            }
            fields.update(state.get("log") or {})
            if scope["path"] not in ("/healthz", "/readyz") or status[0] >= 400:
                self.log.info("request", extra={"fields": fields})
