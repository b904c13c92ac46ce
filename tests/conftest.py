"""Shared fixtures. Every test runs with the internet unreachable: any connection to a
non-loopback address fails loudly, so nothing can silently download a model or file."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "data"
SOURCES = DATA / "sources"


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1") or self.family == socket.AF_UNIX):
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


def make_settings(tmp: Path, sources: Path = SOURCES, **kw) -> Settings:
    """Settings over a temporary data folder, with the calibrated abstention threshold."""
    calibration = json.loads((DATA / "calibration.json").read_text("utf-8"))
    kw.setdefault("abstain_threshold", calibration["abstain_threshold"])
    return Settings(data_dir=tmp, sources_dir=sources, catalog_path=DATA / "catalog.toml", index_dir=tmp / "index", **kw)


@pytest.fixture(scope="session")
def corpus_app(tmp_path_factory) -> Assistant:
    """The real corpus ingested once with the offline defaults."""
    tmp = tmp_path_factory.mktemp("corpus")
    app = Assistant(make_settings(tmp))
    report = app.ingest(progress=False)
    assert not report.errors, report.errors
    return app


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of data/sources."""
    dest = tmp_path / "sources"
    shutil.copytree(SOURCES, dest)
    return dest
