"""The errors of the public API (one hierarchy, defined in retrieval/errors.py): shells and
eval catch these from here, so they never reach past the assistant into retrieval."""

from retrieval.errors import (
    BackendUnavailableError,
    BadInputError,
    DocumentError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexUnavailableError,
    TrolyError,
    UnknownBackendError,
)
from retrieval.openai_errors import openai_error_message

__all__ = [
    "BackendUnavailableError",
    "BadInputError",
    "DocumentError",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexMissingError",
    "IndexUnavailableError",
    "TrolyError",
    "UnknownBackendError",
    "openai_error_message",
]
