"""Fixtures for the UI tests (the environment fixtures ``feedback_db``/``ui_env`` that the
studio page tests share live in the root conftest)."""

from __future__ import annotations

import pytest

from assistant.feedback import FeedbackStore


@pytest.fixture
def store(feedback_db) -> FeedbackStore:
    return FeedbackStore(feedback_db)
