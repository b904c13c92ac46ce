"""Bad requests of the toolkit, as one-line Vietnamese messages."""

from __future__ import annotations

from pathlib import Path

from retrieval.errors import BadInputError


def unsupported(path: Path, extensions: tuple[str, ...]) -> BadInputError:
    """The output file's extension names no format this artifact is exported to."""
    return BadInputError(f"không xuất được tệp '{path.name}': định dạng hỗ trợ là {', '.join(extensions)}")
