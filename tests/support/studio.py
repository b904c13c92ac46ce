"""Checks the trainer-toolkit tests share."""

from __future__ import annotations


def assert_exact(table, cite) -> None:
    """A citation's quote is the exact text of its chunk at its offset, and its label is the chunk's."""
    chunk = table.by_id[cite.chunk_id]
    assert chunk.text[cite.quote_start : cite.quote_start + len(cite.quote)] == cite.quote, cite
    assert cite.quote.strip(), cite
    assert chunk.label.startswith(cite.label) and cite.clause == chunk.path, cite
