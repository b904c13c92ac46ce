"""Error hierarchy shared by every layer. Messages are Vietnamese and say how to fix the
problem; they become user-facing text only at the boundary (CLI, UI)."""


class TrolyError(Exception):
    """Base class for every error this product raises on purpose."""


class BadInputError(TrolyError):
    """The user gave something we cannot use (exit code 2)."""


class DocumentError(BadInputError):
    """One source document could not be read; the others still ingest."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"không đọc được tệp {path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownBackendError(BadInputError):
    """A backend name that no registry knows."""

    def __init__(self, role: str, name: str, valid: list[str]):
        super().__init__(f"không có {role} tên '{name}'; các lựa chọn hợp lệ: {', '.join(sorted(valid))}")


class IndexMismatchError(TrolyError):
    """The index was built by another embedder than the one configured."""


class IndexMissingError(TrolyError):
    """No index yet: the user must run `troly ingest`."""


class IndexUnavailableError(BadInputError):
    """The index folder cannot be read or written (permissions, read-only disk, not a folder)."""


class IndexCorruptError(TrolyError):
    """A file of the live generation cannot be parsed: the index must be rebuilt."""


class BackendUnavailableError(TrolyError):
    """An external service (OpenAI-compatible endpoint, Chroma server) failed."""
