"""Write entries into data/catalog.toml, keeping its comments, order and layout (tomlkit):
append new ones, update or remove one in place.

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
FIELDS = (
    "id",
    "file",
    "short",
    "title",
    "issuer",
    "date",
    "kind",
    "authority",
    "cite_as",
    "seed",
    "aliases",
    "implements",
)
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
                raise BadInputError(
                    f"danh mục {path} đã có văn bản mã '{existing.get('id')}' (tệp {existing.get('file')})"
                )
        listed.append(entry_table(entry, note))
    # one blank line before each entry, as the hand-written ones have
    _write_atomic(path, re.sub(r"(?<=[^\n])\n\[\[document\]\]", "\n\n[[document]]", tomlkit.dumps(doc)))


def remove_entry(path: Path, doc_id: str) -> bool:
    """Take a document's entry out of the catalog file, with the comment lines written just
    above it (after the blank line that ends the entry before); every other line stays.
    False when the file lists no such id."""
    import tomlkit
    from tomlkit.items import Comment, Whitespace

    doc = tomlkit.parse(path.read_text("utf-8"))
    listed = doc.get("document")
    if listed is None:
        return False
    at = next((i for i, e in enumerate(listed) if e.get("id") == doc_id), None)
    if at is None:
        return False
    if at > 0:  # "# about the next entry" lines end the body of the entry before
        body = listed[at - 1].value.body
        while body and isinstance(body[-1][1], Comment):
            body.pop()
        if body and isinstance(body[-1][1], Whitespace) and body[-1][1].as_string().count("\n") > 1:
            body[-1] = (None, Whitespace("\n"))
    last = at == len(listed) - 1
    del listed[at]
    text = tomlkit.dumps(doc)
    _write_atomic(path, text.rstrip("\n") + "\n" if last else text)  # no blank line left at the end
    return True


def update_entry(path: Path, doc_id: str, entry: DocumentInfo) -> list[str]:
    """Give the entry of doc_id the fields of entry (its id may change too): only the
    fields that differ are rewritten, in place; an emptied optional field is dropped, a new
    one added at the end of the entry. Returns the names of the fields changed."""
    import tomlkit

    doc = tomlkit.parse(path.read_text("utf-8"))
    listed = doc.get("document") or []
    table = next((e for e in listed if e.get("id") == doc_id), None)
    if table is None:
        raise BadInputError(f"danh mục {path} không có văn bản mã '{doc_id}'")
    for other in listed:
        if other is not table and (other.get("id") == entry.id or other.get("file") == entry.file):
            raise BadInputError(f"danh mục {path} đã có văn bản mã '{other.get('id')}' (tệp {other.get('file')})")
    changed = []
    for key in FIELDS:
        value = getattr(entry, key)
        value = list(value) if isinstance(value, tuple) else value
        if key in OPTIONAL and not value:
            if key in table:
                del table[key]
                changed.append(key)
        elif table.get(key) != value:
            table[key] = value
            changed.append(key)
    if changed:
        _write_atomic(path, tomlkit.dumps(doc))
    return changed


def snapshot(path: Path) -> str | None:
    """The catalog file's text (None when there is none), to put back with restore()."""
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return None


def restore(path: Path, text: str | None) -> None:
    """Put the catalog file back as snapshot() read it."""
    if text is None:
        path.unlink(missing_ok=True)
    else:
        _write_atomic(path, text)


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
