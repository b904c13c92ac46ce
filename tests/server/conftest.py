"""Fixtures for the API tests: real ``troly serve`` processes on free loopback ports over
the corpus indexed once by ``corpus_app``, driven with the real openai client; a real
PostgreSQL (Debian's packages, see scripts/postgres_test_setup.sh) started in a temporary
folder when a test needs one, and a real Chroma server (``chroma run``) per test module
that needs one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import PROJECT_ROOT
from tests.server.chroma import ChromaProcess, chroma_binary
from tests.server.pg import PostgresServer, postgres_missing
from tests.support.streamlit import free_port
from tests.support.ui import troly_env

KEYS = {
    "alice@example.test": "key-alice-0123456789",
    "bob@example.test": "key-bob-0123456789",
    "carol@example.test": "key-carol-0123456789",
}


class ServeProcess:
    """One `troly serve` subprocess; its JSON logs go to a file the tests can read."""

    def __init__(self, env: dict[str, str], log_path: Path, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.args = args
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TROLY_", "OPENAI_"))}
        self.env.update(env)
        self._log = open(log_path, "wb")
        self._spawn()

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port), *self.args],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def restart(self, between: Callable[[], None] | None = None) -> ServeProcess:
        """Stopped gracefully (SIGTERM), then (after between(), if given) started again on
        the same port and logs."""
        self.stop(keep_log=True)
        if between is not None:
            between()
        self._spawn()
        return self

    def wait_ready(self, timeout: float = 180.0) -> ServeProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"troly serve exited {self.proc.returncode}:\n{self.logs_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"troly serve not ready after {timeout} s:\n{self.logs_text()[-3000:]}")

    def wait_alive(self, timeout: float = 180.0) -> ServeProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"troly serve exited {self.proc.returncode}:\n{self.logs_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"troly serve not alive after {timeout} s:\n{self.logs_text()[-3000:]}")

    def logs_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text("utf-8", errors="replace")

    def log_records(self) -> list[dict]:
        out = []
        for line in self.logs_text().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def wait_record(self, predicate, timeout: float = 20.0) -> dict:
        """The first JSON log record matching predicate (access records are written just
        after the response has gone out)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in self.log_records() if predicate(r)]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError("no such log record")

    def stop(self, timeout: float = 30.0, keep_log: bool = False) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if not keep_log:
            self._log.close()
        return self.proc.returncode

    def client(self, user: str | None = "alice@example.test", **kw):
        from openai import OpenAI

        key = KEYS[user] if user else "none"
        kw.setdefault("timeout", 60)
        return OpenAI(base_url=self.url + "/v1", api_key=key, max_retries=0, **kw)

    def headers(self, user: str = "alice@example.test") -> dict[str, str]:
        return {"Authorization": f"Bearer {KEYS[user]}"}


def serve_env(corpus_app, tmp: Path, **extra: str) -> dict[str, str]:
    env = troly_env(corpus_app, tmp / "feedback.sqlite3")
    env.update(
        {"TROLY_API_KEYS": json.dumps(KEYS), "TROLY_RATE_LIMIT_PER_MINUTE": "600", "TROLY_RATE_LIMIT_BURST": "60"}
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def start_server(tmp_path_factory, corpus_app):
    """A factory of started servers (each stopped at the end of the session)."""
    started: list[ServeProcess] = []

    def start(ready: bool = True, args: tuple[str, ...] = (), **extra: str) -> ServeProcess:
        """Started (with more command-line args, e.g. ("--workers", "2")), and ready (or,
        with ready=False, only answering /healthz)."""
        tmp = tmp_path_factory.mktemp("serve")
        server = ServeProcess(serve_env(corpus_app, tmp, **extra), tmp / "serve.log", args)
        started.append(server)
        return server.wait_ready() if ready else server.wait_alive()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(start_server) -> ServeProcess:
    """The shared server: API keys for alice, bob and carol, SQLite feedback database."""
    return start_server()


@pytest.fixture(scope="module")
def chroma(tmp_path_factory) -> Iterator[ChromaProcess]:
    """A real Chroma server (`chroma run`) for the test module, stopped after."""
    if chroma_binary() is None:
        pytest.skip("không có lệnh `chroma` (gói chromadb) để chạy máy chủ Chroma")
    server = ChromaProcess(tmp_path_factory.mktemp("chroma") / "data", free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> Iterator[PostgresServer]:
    """A real PostgreSQL on a free loopback port in a temporary folder, stopped after."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    pg = PostgresServer(tmp_path_factory.mktemp("pg"), free_port())
    pg.start()
    yield pg
    pg.stop()
