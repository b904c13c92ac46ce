"""Fixtures for the trainer toolkit: the real corpus's Studio (indexed once per session)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import feedback_db, ui_env  # noqa: F401 - the page tests use the UI fixtures


@pytest.fixture(scope="session")
def studio(corpus_app):
    return corpus_app.studio


@pytest.fixture(scope="session")
def table(corpus_app):
    return corpus_app.table


def chunk_text(table, cite) -> str:
    return table.by_id[cite.chunk_id].text


def assert_exact(table, cite) -> None:
    """A citation's quote is the exact text of its chunk at its offset, and its label is the chunk's."""
    chunk = table.by_id[cite.chunk_id]
    assert chunk.text[cite.quote_start : cite.quote_start + len(cite.quote)] == cite.quote, cite
    assert cite.quote.strip(), cite
    assert chunk.label.startswith(cite.label) and cite.clause == chunk.path, cite
