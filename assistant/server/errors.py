"""Errors in the OpenAI format, with Vietnamese messages:
``{"error": {"message", "type", "param", "code"}}`` and the matching HTTP status."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from retrieval.errors import BackendUnavailableError, BadInputError, IndexMissingError, TrolyError

TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error answered to the client as it is (status, Vietnamese message, param, code)."""

    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.message, self.param, self.code)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def error_body(status: int, message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": TYPES.get(status, "invalid_request_error"), "param": param, "code": code}
    }


def from_troly(exc: TrolyError) -> ApiError:
    """A product error as an API error: bad input 400, a missing index or a failed
    backend 503 (the client may retry), anything else 500."""
    if isinstance(exc, BadInputError):
        return ApiError(400, str(exc), code="bad_input")
    if isinstance(exc, IndexMissingError):
        return ApiError(503, str(exc), code="index_missing", headers={"Retry-After": "10"})
    if isinstance(exc, BackendUnavailableError):
        return ApiError(503, str(exc), code="backend_unavailable", headers={"Retry-After": "5"})
    return ApiError(500, str(exc), code="internal_error")


HTTP_MESSAGES = {
    404: "không có đường dẫn này; xem /v1/models, /v1/chat/completions, /v1/search, /v1/documents",
    405: "phương thức HTTP không được hỗ trợ ở đường dẫn này",
}


def install(app) -> None:
    """Every error the app can meet answered in the OpenAI format."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        request.state.error_code = exc.code
        return exc.response()

    @app.exception_handler(TrolyError)
    async def _troly(request: Request, exc: TrolyError) -> JSONResponse:
        return await _api(request, from_troly(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return await _api(request, ApiError(exc.status_code, message, headers=dict(exc.headers or {})))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await _api(request, ApiError(400, "tham số không hợp lệ"))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        import logging

        logging.getLogger("troly.server").exception(
            "internal error", extra={"fields": {"request_id": getattr(request.state, "request_id", None)}}
        )
        rid = getattr(request.state, "request_id", "")
        return await _api(
            request,
            ApiError(500, f"lỗi nội bộ; hãy báo lại cho nhóm phát triển (mã yêu cầu {rid})", code="internal_error"),
        )
