"""Shared fixtures. Every test runs with the internet unreachable: any connection to a
non-loopback address fails loudly, so nothing can silently download a model or file."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from assistant.api import Assistant
from tests.support.corpus import DATA, SOURCES, clause_of, make_settings
from tests.support.fake_openai import fake_openai  # noqa: F401 - the fixture, for every test module
from tests.support.ui import troly_env


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or self.family == socket.AF_UNIX
        ):
            raise OSError(f"network access to {address!r} is forbidden in tests")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _real_data_untouched():
    """No test writes the product's own catalog or sources (they write copies): a test that
    adds, replaces or removes a document through data/catalog.toml fails here."""
    catalog = (DATA / "catalog.toml").read_bytes()
    sources = sorted(p.name for p in SOURCES.iterdir())
    yield
    assert (DATA / "catalog.toml").read_bytes() == catalog, "a test changed data/catalog.toml; give it a copy"
    assert sorted(p.name for p in SOURCES.iterdir()) == sources, "a test changed data/sources; give it a copy"


@pytest.fixture(scope="session")
def corpus_app(tmp_path_factory) -> Assistant:
    """The real corpus ingested once with the offline defaults."""
    tmp = tmp_path_factory.mktemp("corpus")
    app = Assistant(make_settings(tmp))
    report = app.ingest(progress=False)
    assert not report.errors, report.errors
    return app


@pytest.fixture
def clause(corpus_app):
    """clause("57-NQ/TW", "II.1.-3") -> the chunk of that clause in the ingested corpus."""
    return lambda doc, path: clause_of(corpus_app, doc, path)


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of data/sources."""
    dest = tmp_path / "sources"
    shutil.copytree(SOURCES, dest)
    return dest


# -- the Streamlit pages in AppTest (tests/ui, tests/studio) ------------------------------


@pytest.fixture
def feedback_db(tmp_path) -> Path:
    return tmp_path / "feedback.sqlite3"


@pytest.fixture
def ui_env(monkeypatch, corpus_app, feedback_db) -> dict[str, str]:
    """The process environment the AppTest scripts read their Settings from."""
    env = troly_env(corpus_app, feedback_db)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("TROLY_EMBEDDER", "TROLY_GENERATOR", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    return env
