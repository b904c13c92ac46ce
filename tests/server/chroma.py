"""A real Chroma server for the tests: ``chroma run`` (shipped with the chromadb wheel) on
127.0.0.1, a free port and a temporary data folder; killed, stopped and started again on
the same folder and port by the fault tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def chroma_binary() -> str | None:
    here = Path(sys.executable).parent / "chroma"
    return str(here) if here.exists() else shutil.which("chroma")


class ChromaProcess:
    """One `chroma run`; ``url`` is what TROLY_CHROMA_URL takes."""

    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 60.0) -> ChromaProcess:
        binary = chroma_binary()
        assert binary, "chroma (from the chromadb package) is not installed"
        self._log = open(self.path.parent / f"chroma-{self.port}.log", "ab")
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        self.proc = subprocess.Popen(
            [binary, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/api/v2/heartbeat", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"chroma run not ready after {timeout} s")

    def kill(self) -> None:
        """Killed outright (SIGKILL): nothing flushed, connections dropped."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)
        if self._log:
            self._log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._log:
            self._log.close()

    def client(self):
        import chromadb

        return chromadb.HttpClient(
            host="127.0.0.1", port=self.port, settings=chromadb.Settings(anonymized_telemetry=False)
        )

    def collections(self) -> list[str]:
        return sorted(c.name for c in self.client().list_collections())

    def pointer(self, prefix: str = "troly") -> str | None:
        got = self.client().get_collection(f"{prefix}-pointer").get(ids=["current"], include=["metadatas"])
        return got["metadatas"][0]["generation"] if got["ids"] else None
