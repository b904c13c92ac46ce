"""The document catalog (data/catalog.toml): one entry per source document."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInputError
from .types import DocumentInfo

AUTHORITIES = ("official", "secondary", "commentary")


@dataclass
class Catalog:
    """Documents by id, with lookups by file name and by short name."""

    documents: list[DocumentInfo]

    @classmethod
    def load(cls, path: Path) -> Catalog:
        """Read and validate a catalog file."""
        if not path.exists():
            raise BadInputError(f"không tìm thấy danh mục văn bản {path}")
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise BadInputError(f"danh mục {path} sai cú pháp TOML: {exc}") from None
        docs = []
        for entry in data.get("document", []):
            entry = dict(entry)
            entry["aliases"] = tuple(entry.get("aliases", ()))
            entry["implements"] = tuple(entry.get("implements", ()))
            try:
                doc = DocumentInfo(**entry)
            except TypeError as exc:
                raise BadInputError(f"mục trong danh mục {path} không hợp lệ: {exc}") from None
            if doc.authority not in AUTHORITIES:
                raise BadInputError(f"văn bản {doc.id}: authority phải là một trong {', '.join(AUTHORITIES)}")
            docs.append(doc)
        return cls(docs)

    def by_file(self, name: str) -> DocumentInfo | None:
        return next((d for d in self.documents if d.file == name), None)

    def by_id(self, doc_id: str) -> DocumentInfo | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def find(self, name: str) -> DocumentInfo | None:
        """A document by id, short name or file name (case-insensitive)."""
        key = name.strip().casefold()
        for d in self.documents:
            if key in (d.id.casefold(), d.short.casefold(), d.file.casefold()):
                return d
        return None

    def for_unlisted(self, path: Path) -> DocumentInfo:
        """A catalog entry made up for a source file the catalog does not list."""
        stem = path.stem
        return DocumentInfo(
            id=stem, file=path.name, short=stem, title=stem, issuer="", date="", kind="Tài liệu",
            authority="secondary", cite_as=f"Tài liệu {stem}",
        )
