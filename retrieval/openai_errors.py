"""The one mapper from openai/httpx failures to one-line Vietnamese messages, shared by
every client of an OpenAI-compatible endpoint (the embedder, the generator, the condenser,
the evaluation judge). The server's own message is never copied: it may echo the key."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def openai_error_message(exc: BaseException, service: str, timeout_s: float | None = None) -> str | None:
    """What went wrong talking to ``service`` (e.g. "máy chủ embedding"), or None when exc is
    not an openai/httpx failure nor a malformed reply; timeout_s: the wait, when worth saying."""
    import httpx
    import openai

    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):  # a subclass: first
        waited = f" trong {timeout_s:g} giây" if timeout_s is not None else " kịp"
        return f"{service} không trả lời{waited} (hết thời gian chờ)"
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
        return f"không kết nối được {service}; hãy kiểm tra OPENAI_BASE_URL"
    if isinstance(exc, openai.RateLimitError):
        return f"{service} đang quá tải (HTTP 429) dù đã thử lại"
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return f"{service} từ chối khoá API (HTTP {exc.status_code}); hãy kiểm tra OPENAI_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return (
            f"{service} không có mô hình hoặc địa chỉ đã cấu hình (HTTP 404); "
            "hãy kiểm tra TROLY_CHAT_MODEL và OPENAI_BASE_URL"
        )
    if isinstance(exc, openai.APIStatusError):
        return f"{service} báo lỗi HTTP {exc.status_code}"
    if isinstance(exc, (openai.APIError, httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError)):
        # a 200 reply that is not valid JSON/SSE or not shaped like the API's response
        log.debug("malformed reply from %s: %s", service, exc.__class__.__name__)
        return f"{service} trả về dữ liệu không hợp lệ"
    return None
