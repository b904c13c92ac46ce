"""Fixtures for the trainer toolkit: the real corpus's Studio (indexed once per session)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def studio(corpus_app):
    return corpus_app.studio


@pytest.fixture(scope="session")
def table(corpus_app):
    return corpus_app.table


def chunk_text(table, cite) -> str:
    return table.by_id[cite.chunk_id].text
