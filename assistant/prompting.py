"""Prompts and fixed Vietnamese answer templates, read from prompts/ as files.

A template declares its variables by using them ({question}, {sources}); rendering with a
variable missing, or with one the template does not use, fails loudly.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import TrolyError


class PromptError(TrolyError):
    """A template is missing or rendered with the wrong variables."""


@dataclass(frozen=True)
class Template:
    name: str
    text: str

    @property
    def variables(self) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(self.text) if f}

    def render(self, **values: object) -> str:
        missing = self.variables - values.keys()
        extra = values.keys() - self.variables
        if missing or extra:
            raise PromptError(f"mẫu '{self.name}': thiếu biến {sorted(missing)}, thừa biến {sorted(extra)}")
        return self.text.format(**values)


class PromptLibrary:
    """Templates by name (file stem), loaded lazily from a folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._cache: dict[str, Template] = {}

    def get(self, name: str) -> Template:
        if name not in self._cache:
            path = self.folder / f"{name}.txt"
            if not path.exists():
                raise PromptError(f"không tìm thấy mẫu '{name}' trong {self.folder}")
            self._cache[name] = Template(name, path.read_text("utf-8").rstrip("\n"))
        return self._cache[name]

    def render(self, name: str, **values: object) -> str:
        return self.get(name).render(**values)
