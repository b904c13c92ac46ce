"""Write entries into data/catalog.toml, keeping its comments, order and layout (tomlkit).

Reading stays in catalog.py (tomllib, validated); this module only changes the file, and
writes it whole through a temporary file so a reader never sees half an entry.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import BadInputError
from .types import DocumentInfo

# Field order of a hand-written entry; empty optional fields are left out.
FIELDS = ("id", "file", "short", "title", "issuer", "date", "kind", "authority", "cite_as", "seed",
          "aliases", "implements")
OPTIONAL = {"seed", "aliases", "implements"}
NOTE = "Đề xuất tự động từ phần đầu văn bản (troly ingest); hãy kiểm tra lại."


def entry_table(entry: DocumentInfo, note: str = NOTE):
    """One ``[[document]]`` table, fields in the catalog's order, with a comment line."""
    import tomlkit

    table = tomlkit.table()
    if note:
        table.add(tomlkit.comment(note))
    for key in FIELDS:
        value = getattr(entry, key)
        if key in OPTIONAL and not value:
            continue
        table.add(key, list(value) if isinstance(value, tuple) else value)
    return table


def entry_toml(entry: DocumentInfo, note: str = NOTE) -> str:
    """The entry as TOML text, as append_entries would write it."""
    import tomlkit

    doc = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(entry_table(entry, note))
    doc["document"] = aot
    return tomlkit.dumps(doc)


def append_entries(path: Path, entries: list[DocumentInfo], note: str = NOTE) -> None:
    """Append entries to the catalog file; an id or file already listed is refused."""
    import tomlkit

    if not entries:
        return
    text = path.read_text("utf-8") if path.exists() else ""
    doc = tomlkit.parse(text)
    if "document" not in doc:
        doc["document"] = tomlkit.aot()
    listed = doc["document"]
    for entry in entries:
        for existing in listed:
            if existing.get("id") == entry.id or existing.get("file") == entry.file:
                raise BadInputError(f"danh mục {path} đã có văn bản mã '{existing.get('id')}' (tệp {existing.get('file')})")
        listed.append(entry_table(entry, note))
    # one blank line before each entry, as the hand-written ones have
    _write_atomic(path, re.sub(r"(?<=[^\n])\n\[\[document\]\]", "\n\n[[document]]", tomlkit.dumps(doc)))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
