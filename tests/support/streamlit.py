"""Starting the Streamlit UI for browser and sign-in tests: a free loopback port, the
command line, the environment without the developer's own TROLY_*/OPENAI_* settings, and
the running UI itself (started, waited for, stopped)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT


def free_port() -> int:
    """A port nothing listens on now (bound to 0, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(app: Path, port: int, *extra: str) -> list[str]:
    """`streamlit run APP` headless on 127.0.0.1:PORT, no usage stats, no file watcher."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra,
    ]  # fmt: skip


def clean_env() -> dict[str, str]:
    """This process's environment less its TROLY_* and OPENAI_* variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TROLY_", "OPENAI_"))}


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float = 120.0) -> None:
    """Until Streamlit's health check answers; fails with the log's end when it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not answer on {url} within {timeout:.0f} s")


@contextmanager
def running_ui(app: Path, env: dict[str, str], log: Path, timeout: float = 120.0) -> Iterator[str]:
    """`streamlit run APP` on a free port with ``env`` (output to ``log``): its URL once it
    answers; terminated (killed if it hangs) on leaving."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(streamlit_command(app, port), cwd=PROJECT_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, log, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
