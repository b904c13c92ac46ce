"""Trợ lý Nghị quyết: the public API every shell (CLI, Streamlit, eval) uses.

``from assistant import Assistant, Settings, Answer`` and so on. The names load lazily
(PEP 562), so importing one plain-data module of the package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Assistant": "assistant.api",
    "ClauseView": "assistant.api",
    "DocumentStats": "assistant.api",
    "check_text": "assistant.api",
    "PromptLibrary": "assistant.prompting",
    "read_jsonl": "assistant.jsonl",
    "Settings": "assistant.settings",
    "load_settings": "assistant.settings",
    "Answer": "assistant.types",
    "Citation": "assistant.types",
    "Context": "assistant.types",
    "Message": "assistant.types",
    "Chunk": "assistant.types",
    "DocumentInfo": "assistant.types",
    "Hit": "assistant.types",
    "TrolyError": "assistant.errors",
    "BadInputError": "assistant.errors",
    "DocumentError": "assistant.errors",
    "IndexMissingError": "assistant.errors",
    "BackendUnavailableError": "assistant.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
