"""Fixtures for the retrieval tests: a copy of the corpus and of its index, ingested once."""

from __future__ import annotations

import shutil

import pytest

from assistant.api import Assistant
from tests.conftest import make_settings


@pytest.fixture
def indexed(tmp_path, corpus_app, sources_copy) -> Assistant:
    """An Assistant over a writable copy of data/sources and of the corpus index (so a test
    starts from a published generation without ingesting the corpus again)."""
    shutil.copytree(corpus_app.settings.index, tmp_path / "index")
    return Assistant(make_settings(tmp_path, sources_copy))
