"""Bearer keys mapped to users (``Settings.api_keys``: {user: key}).

Every presented key is compared with every configured key in constant time
(``hmac.compare_digest`` over SHA-256 digests, so neither the length nor the position of
a match shows in the timing). No keys configured: the API is open (a single machine on
127.0.0.1) and requests have no user. Keys never reach a log or an error message."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from .errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="troly"'}


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user named by the key, or nobody in particular (no auth)."""

    user: str | None
    client: str  # the rate-limit bucket: user, else client address


class KeyRing:
    """The configured keys, as digests."""

    def __init__(self, keys: dict[str, str]):
        self._keys = [(user, _digest(key)) for user, key in keys.items() if key]

    @classmethod
    def from_settings(cls, settings) -> KeyRing:
        return cls({user: secret.get_secret_value() for user, secret in settings.api_keys.items()})

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def user_for(self, key: str) -> str | None:
        digest, found = _digest(key), None
        for user, known in self._keys:  # no early exit: every key is compared
            if hmac.compare_digest(digest, known):
                found = user
        return found

    def authenticate(self, authorization: str | None, client_host: str) -> Principal:
        """The principal of a request, or ApiError 401."""
        if not self.enabled:
            return Principal(None, client_host)
        scheme, _, key = (authorization or "").partition(" ")
        if not authorization:
            raise ApiError(
                401,
                "thiếu khoá API; hãy gửi tiêu đề 'Authorization: Bearer <khoá>'",
                code="missing_api_key",
                headers=CHALLENGE,
            )
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(
                401, "tiêu đề Authorization phải có dạng 'Bearer <khoá>'", code="invalid_api_key", headers=CHALLENGE
            )
        user = self.user_for(key.strip())
        if user is None:
            raise ApiError(401, "khoá API không hợp lệ", code="invalid_api_key", headers=CHALLENGE)
        return Principal(user, "user:" + user)
