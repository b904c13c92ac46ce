"""Helpers the tests share (fixtures live in tests/conftest.py): where the product's data
is, settings over a temporary folder, and finding a clause as a reader cites it."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "data"
SOURCES = DATA / "sources"


def make_settings(tmp: Path, sources: Path = SOURCES, **kw) -> Settings:
    """Settings over a temporary data folder, with the calibrated abstention threshold."""
    calibration = json.loads((DATA / "calibration.json").read_text("utf-8"))
    kw.setdefault("abstain_threshold", calibration["abstain_threshold"])
    return Settings(
        data_dir=tmp, sources_dir=sources, catalog_path=DATA / "catalog.toml", index_dir=tmp / "index", **kw
    )


def clause_of(app: Assistant, doc: str, path: str):
    """The (first part of the) chunk of one clause, found as a reader cites it: the document's
    short name or id and the clause path `troly show` prints. Tests find clauses this way
    rather than pinning generated chunk ids."""
    chunks = [c for c in app.clause_chunks(app.document(doc).id, path) if c.path == path]
    assert chunks, f"no clause {path} in {doc}"
    return chunks[0]
