"""The document catalog (data/catalog.toml): one entry per source document."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInputError
from .types import DocumentInfo

AUTHORITIES = ("official", "secondary", "commentary")
# What each authority is called in Vietnamese: the one table the CLI, the UI and the exports use.
AUTHORITY_LABELS = {"official": "chính thức", "secondary": "thứ cấp", "commentary": "bình luận"}


def authority_label(authority: str) -> str:
    """The Vietnamese name of an authority (the raw value when it is not one we know)."""
    return AUTHORITY_LABELS.get(authority, authority)


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

    @property
    def ids(self) -> set[str]:
        return {d.id for d in self.documents}

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

    def for_unlisted(self, path: Path, doc_id: str | None = None) -> DocumentInfo:
        """A catalog entry made up for a source file the catalog does not list."""
        stem = path.stem
        return DocumentInfo(
            id=doc_id or stem,
            file=path.name,
            short=doc_id or stem,
            title=stem,
            issuer="",
            date="",
            kind="Tài liệu",
            authority="secondary",
            cite_as=f"Tài liệu {stem}",
        )

    def resolve(self, names: Iterable[str], previous: Mapping[str, str] | None = None) -> dict[str, DocumentInfo]:
        """The document of each source file name: its catalog entry, or one made up for a
        file the catalog does not list, with an id no other document has. An unlisted file
        keeps the id it was indexed under before (previous: file name -> id); a new one gets
        its stem, or stem-extension when two files share a stem (x.txt, x.md)."""
        listed = {d.file: d for d in self.documents}
        names = list(dict.fromkeys(names))
        unlisted = sorted(n for n in names if n not in listed)
        taken = set(self.ids)
        ids: dict[str, str] = {}
        for name in unlisted:  # ids already given keep their owner
            old = (previous or {}).get(name)
            if old and old not in taken:
                ids[name] = old
                taken.add(old)
        stems = Counter(Path(n).stem for n in unlisted)
        for name in unlisted:
            if name in ids:
                continue
            path = Path(name)
            ident = path.stem
            if stems[ident] > 1 or ident in taken:
                ident = f"{path.stem}-{path.suffix.lstrip('.').lower() or 'tep'}"
            base, n = ident, 2
            while ident in taken:
                ident, n = f"{base}-{n}", n + 1
            ids[name] = ident
            taken.add(ident)
        return {n: listed[n] if n in listed else self.for_unlisted(Path(n), ids[n]) for n in names}

    def with_indexed(self, files: Mapping[str, str]) -> Catalog:
        """This catalog plus the unlisted documents an index holds (doc id -> file name), so
        that `troly show <id>` and `--doc <id>` reach them too."""
        known = self.ids
        extra = [self.for_unlisted(Path(f), d) for d, f in sorted(files.items()) if d not in known]
        return Catalog(self.documents + extra) if extra else self
