"""Sign-in end to end: a real OpenID Connect provider (the npm package oidc-provider,
pinned in tests/server/oidc, started by this test on 127.0.0.1), the real Streamlit server
with the provider from TROLY_OIDC_* settings, and browser-less sessions speaking
Streamlit's websocket protocol with the identity cookie the provider's sign-in left.
A visitor gets only the sign-in page; a signed-in user's conversation belongs to them, and
another user's ?c= link does not open it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from assistant.feedback import FeedbackStore
from assistant.settings import PROJECT_ROOT, Settings
from tests.support.streamlit import clean_env, free_port, streamlit_command
from tests.support.ui import troly_env

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_SECRET = "test-client-secret-0123456789"


def _node_missing() -> str | None:
    if not shutil.which("node"):
        return "không có Node.js (scripts/oidc_test_setup.sh cài gói Debian nodejs)"
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        return "chưa cài oidc-provider (bash scripts/oidc_test_setup.sh chạy npm ci trong tests/server/oidc)"
    return None


def _wait(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited {proc.returncode}")
        try:
            if httpx.get(url, timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout} s")


class Session:
    """One browser-less tab (Streamlit's BackMsg/ForwardMsg protocol over its websocket)."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None, query: str = ""):
        from websockets.sync.client import connect

        cookies = cookies or {}
        headers = {"Origin": base}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        # the browser's script passes the XSRF cookie back as the second subprotocol
        protocols = ["streamlit"] + ([cookies["_streamlit_xsrf"]] if "_streamlit_xsrf" in cookies else [])
        self.ws = connect(
            base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            open_timeout=60,
        )
        self.query = query
        self.last: list = []

    def run(self, widget=None) -> list:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        if widget is not None:
            widget(msg.rerun_script.widget_states.widgets.add())
        self.ws.send(msg.SerializeToString())
        out = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=120))
            out.append(fwd)
            if fwd.WhichOneof("type") == "script_finished":
                self.last = out
                return out

    def elements(self, kind: str | None = None):
        for m in self.last:
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                el = m.delta.new_element
                if kind is None or el.WhichOneof("type") == kind:
                    yield el

    def texts(self) -> str:
        parts = []
        for el in self.elements():
            kind = el.WhichOneof("type")
            if kind == "markdown":
                parts.append(el.markdown.body)
            elif kind == "alert":
                parts.append(el.alert.body)
            elif kind == "button":
                parts.append(el.button.label)
        return "\n".join(parts)

    def click(self, label: str) -> list:
        [button] = [e.button for e in self.elements("button") if e.button.label == label]

        def set_trigger(w) -> None:
            w.id, w.trigger_value = button.id, True

        return self.run(set_trigger)

    def ask(self, text: str) -> list:
        [box] = [e.chat_input for e in self.elements("chat_input")]

        def set_text(w) -> None:
            w.id = box.id
            w.chat_input_value.data = text

        return self.run(set_text)

    def close(self) -> None:
        self.ws.close()


def _form(html: str) -> tuple[str, dict[str, str]]:
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
    fields = {unescape(n): unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)}
    return action, fields


def sign_in(base: str, login_url: str, login: str) -> dict[str, str]:
    """Follow the OIDC flow from the app's login URL through the provider's login and
    consent pages back to the app; the cookies the browser would then hold."""
    with httpx.Client(follow_redirects=True, timeout=60) as browser:
        page = browser.get(urljoin(base, login_url))
        trail = [str(r.url) for r in page.history] + [str(page.url)]
        for _ in range(4):  # login, then consent
            if str(page.url).rstrip("/") == base:
                break
            assert page.status_code == 200 and "<form" in page.text, (page.status_code, page.text[:500])
            action, fields = _form(page.text)
            if 'name="login"' in page.text:
                fields.update(login=login, password="mật khẩu bất kỳ")
            page = browser.post(urljoin(str(page.url), action), data=fields)
            trail.extend([str(r.url) for r in page.history] + [str(page.url)])
        assert str(page.url).rstrip("/") == base, page.url
        browser.get(base + "/_stcore/health")  # as the page's script does: sets the XSRF cookie
        jar = {
            c.name: c.value
            for c in browser.cookies.jar
            if c.domain.startswith("127.0.0.1") and c.port in (None, base.rsplit(":", 1)[1])
        }
        assert any(name.startswith("_streamlit_user") for name in jar), (
            jar,
            trail,
            [c.name for c in browser.cookies.jar],
        )
        return jar


@pytest.fixture(scope="module")
def signed_in_ui(corpus_app, tmp_path_factory):
    reason = _node_missing()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("signin")
    oidc_port, ui_port = free_port(), free_port()
    base = f"http://127.0.0.1:{ui_port}"
    oidc = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=OIDC_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(
            os.environ,
            OIDC_PORT=str(oidc_port),
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
            OIDC_REDIRECT_URI=f"{base}/oauth2callback",
        ),
    )
    env = troly_env(corpus_app, tmp / "feedback.sqlite3")
    env.update(
        TROLY_OIDC_SERVER_METADATA_URL=f"http://127.0.0.1:{oidc_port}/.well-known/openid-configuration",
        TROLY_OIDC_CLIENT_ID="troly-ui",
        TROLY_OIDC_CLIENT_SECRET=CLIENT_SECRET,
        TROLY_OIDC_REDIRECT_URI=f"{base}/oauth2callback",
        TROLY_OIDC_COOKIE_SECRET="c" * 40,
        TROLY_OIDC_PROMPT="login",
    )  # oidc-provider does not know Streamlit's default select_account
    from assistant.server.signin import streamlit_args

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        args = streamlit_args(Settings())
    finally:
        os.environ.clear()
        os.environ.update(saved)
    full = clean_env()
    full.update(env)
    ui = subprocess.Popen(
        streamlit_command(PROJECT_ROOT / "streamlit_app.py", ui_port, *args),
        cwd=PROJECT_ROOT,
        env=full,
        stdout=open(tmp / "ui.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://127.0.0.1:{oidc_port}/.well-known/openid-configuration", oidc)
        _wait(base + "/_stcore/health", ui)
        yield base, FeedbackStore(tmp / "feedback.sqlite3")
    finally:
        for proc in (ui, oidc):
            proc.terminate()
            proc.wait(20)


def _login_url(base: str) -> str:
    visitor = Session(base)
    try:
        visitor.run()
        assert "Đăng nhập" in visitor.texts() and not list(visitor.elements("chat_input"))
        redirects = [m.auth_redirect.url for m in visitor.click("Đăng nhập") if m.WhichOneof("type") == "auth_redirect"]
        assert redirects and "/auth/login" in redirects[0]
        return redirects[0]
    finally:
        visitor.close()


def test_a_visitor_signs_in_and_sees_only_their_own_conversations(signed_in_ui):
    base, store = signed_in_ui
    alice_cookie = sign_in(base, _login_url(base), "alice")
    alice = Session(base, alice_cookie)
    try:
        alice.run()
        assert "alice@example.test" in alice.texts()
        alice.ask("Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?")
        assert "2% GDP" in alice.texts()
    finally:
        alice.close()
    [conv_id] = [row for row in _conversations(store)]
    assert store.load_conversation(conv_id, "alice@example.test").messages[1].answer.citations

    bob_cookie = sign_in(base, _login_url(base), "bob")
    bob = Session(base, bob_cookie, query=f"c={conv_id}")
    try:
        bob.run()
        assert "bob@example.test" in bob.texts() and "Không tìm thấy cuộc trò chuyện" in bob.texts()
        assert "2% GDP" not in bob.texts()
    finally:
        bob.close()
    again = Session(base, alice_cookie, query=f"c={conv_id}")
    try:
        again.run()
        assert "2% GDP" in again.texts()
    finally:
        again.close()


def _conversations(store: FeedbackStore) -> list[str]:
    from sqlalchemy import select

    from assistant.migrations.schema import conversations

    with store.engine.connect() as conn:
        return [
            r.id
            for r in conn.execute(select(conversations.c.id, conversations.c.user_id)).all()
            if r.user_id == "alice@example.test"
        ]
