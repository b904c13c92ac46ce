"""Fixtures for the UI tests: environment variables that point the Streamlit pages at the
corpus indexed once by ``corpus_app``, with a fresh feedback database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.feedback import FeedbackStore
from assistant.settings import PROJECT_ROOT

APP = PROJECT_ROOT / "streamlit_app.py"
VIEWER = "pages/1_Van_ban.py"


def troly_env(app: Assistant, feedback_db: Path) -> dict[str, str]:
    """TROLY_* variables under which Settings() rebuilds app's configuration."""
    s = app.settings
    return {
        "TROLY_DATA_DIR": str(s.data_dir),
        "TROLY_SOURCES_DIR": str(s.sources),
        "TROLY_CATALOG_PATH": str(s.catalog),
        "TROLY_INDEX_DIR": str(s.index),
        "TROLY_FEEDBACK_DB": str(feedback_db),
        "TROLY_CONFIG": str(feedback_db.parent / "no-troly.toml"),
    }


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


@pytest.fixture
def store(feedback_db) -> FeedbackStore:
    return FeedbackStore(feedback_db)
