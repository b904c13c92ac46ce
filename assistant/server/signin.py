"""Sign-in for shared deployments: the web UI behind OpenID Connect through Streamlit's
``st.login``, the provider taken from Settings (``TROLY_OIDC_*``); off unless
``TROLY_OIDC_SERVER_METADATA_URL`` is set, so the single-machine default is unchanged.

Streamlit reads its provider from a secrets file: ``streamlit_args`` writes one from the
settings (mode 0600, under ``<data_dir>/.auth/``) and hands it to ``streamlit run`` as
``--secrets.files``. A signed-in user is named by the e-mail claim (else ``sub``), the same
names the API's bearer keys map to (``TROLY_API_KEYS``), so a user's conversations and
feedback are theirs on both surfaces.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..settings import Settings


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_server_metadata_url)


def _auth_dir(settings: Settings) -> Path:
    path = settings.data_dir / ".auth"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def cookie_secret(settings: Settings) -> str:
    """The secret signing the identity cookie: from settings (every replica behind the load
    balancer must share it), else generated once and kept under the data folder."""
    if settings.oidc_cookie_secret is not None:
        return settings.oidc_cookie_secret.get_secret_value()
    path = _auth_dir(settings) / "cookie_secret"
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(32))
    return path.read_text("utf-8").strip()


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def secrets_toml(settings: Settings) -> str:
    """The [auth] section Streamlit's st.login reads."""
    from retrieval.errors import BadInputError

    missing = [
        name
        for name, value in (
            ("TROLY_OIDC_CLIENT_ID", settings.oidc_client_id),
            ("TROLY_OIDC_CLIENT_SECRET", settings.oidc_client_secret),
        )
        if not value
    ]
    if missing:
        raise BadInputError(f"đăng nhập OIDC đã bật (TROLY_OIDC_SERVER_METADATA_URL) nhưng thiếu {', '.join(missing)}")
    secret = settings.oidc_client_secret
    assert secret is not None and settings.oidc_client_id and settings.oidc_server_metadata_url  # checked above
    fields = {
        "redirect_uri": settings.oidc_redirect_uri,
        "cookie_secret": cookie_secret(settings),
        "client_id": settings.oidc_client_id,
        "client_secret": secret.get_secret_value(),
        "server_metadata_url": settings.oidc_server_metadata_url,
    }
    return (
        "[auth]\n"
        + "".join(f"{k} = {_toml_str(v)}\n" for k, v in fields.items())
        + f"client_kwargs = {{ prompt = {_toml_str(settings.oidc_prompt)} }}\n"
    )


def streamlit_args(settings: Settings) -> list[str]:
    """Extra `streamlit run` arguments: the secrets file with the provider, when sign-in is on."""
    if not enabled(settings):
        return []
    path = _auth_dir(settings) / "streamlit-secrets.toml"
    _write_private(path, secrets_toml(settings))
    return ["--secrets.files", str(path)]


def user_name(info) -> str | None:
    """The user id of st.user: the e-mail claim, else the subject."""
    return info.get("email") or info.get("sub")


def current_user(settings: Settings) -> str | None:
    """None without sign-in. With it, the signed-in user; a visitor who is not signed in
    gets the sign-in page and the run stops there."""
    import streamlit as st

    if not enabled(settings):
        return None
    if not st.user.is_logged_in:
        st.title("Trợ lý Nghị quyết")
        st.info("Hãy đăng nhập để hỏi đáp và xem lại các cuộc trò chuyện của bạn.")
        st.button("Đăng nhập", icon=":material/login:", on_click=st.login, type="primary")
        st.stop()
    user = user_name(st.user)
    with st.sidebar:
        st.caption(f"Đã đăng nhập: {user}")
        st.button("Đăng xuất", icon=":material/logout:", on_click=st.logout)
    return user
