"""Load-time structures derived from an index generation, kept beside it on disk.

Some of what the searcher needs of every clause (the reranker's per-clause profiles:
token sets of the text, the breadcrumb, the parent and the items) takes most of a cold
`troly ask` to compute, yet depends only on the generation's chunks and on the code that
computes it. The first process to open a generation computes it and writes it in the
index folder (``derived/``, beside the generations: an ingest's copy of a generation does
not carry it); the next ones read it back (issue 13: cold start).

The file's name carries a key of everything the value depends on: the text of its inputs
(hashed: a few milliseconds) and the source of the modules that compute it, so a changed
table or a changed feature extractor never reads an old value; one file per name is kept.
Writing is best-effort and atomic (a read-only index, a full disk: computed in memory as
before).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")

DERIVED_DIR = "derived"
FORMAT = 1  # bump when the file layout itself changes


def key_of(inputs: Iterable[str], modules: Iterable[ModuleType]) -> str:
    """A digest of the inputs (the text of what the value is computed from) and of the
    modules' source text."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}".encode())
    for part in inputs:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    for module in modules:
        source = getattr(module, "__file__", None)
        h.update(module.__name__.encode())
        if source:
            h.update(Path(source).read_bytes())
    return h.hexdigest()[:20]


def folder_of(generation: Path) -> Path:
    """Where the values derived from a generation's folder are kept: beside the generations."""
    return generation.parent / DERIVED_DIR


def cached(folder: Path, name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or the value an earlier process built under the same name and key."""
    path = folder / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - written by this module in the index folder
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a truncated or foreign file: computed again below
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(tmp, 0o644)  # as readable as the index's other files (mkstemp makes 0600)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old state or the whole file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.glob(f"{name}-*.pickle"):  # another table's or older code's: one file a name
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value


def cached_folder(
    folder: Path,
    name: str,
    key: str,
    build: Callable[[], T],
    save: Callable[[T, Path], None],
    load: Callable[[Path], T],
) -> T:
    """``cached`` for a value kept as files in a folder of its own (arrays a reader maps
    rather than reads: issue 13, a million clauses): ``load(path)`` of an earlier
    process's folder, or ``build()`` written there by ``save(value, folder)`` (atomic: the
    folder is renamed into place whole; one folder per name is kept)."""
    path = folder / f"{name}-{key}"
    if (path / "DONE").exists():
        try:
            return load(path)
        except Exception:  # noqa: BLE001 - a damaged folder: computed again below
            pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
        try:
            save(value, tmp)
            (tmp / "DONE").write_text(key, "utf-8")
            for f in [tmp, *tmp.iterdir()]:
                os.chmod(f, 0o755 if f.is_dir() else 0o644)
            if path.exists():  # a damaged one, or another process's just now
                shutil.rmtree(path, ignore_errors=True)
            os.rename(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in folder.glob(f"{name}-*"):  # another table's or older code's: one folder a name
            if old != path and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
    return value


def of_table(table, name: str, modules: Iterable[ModuleType], build: Callable[[], T], inputs: Iterable[str] = ()) -> T:
    """``cached`` for a value computed from a chunk table's texts (issue 13, scale: the
    corpus counts the first question reads took ~20 s of CPU at 100,000 clauses, in every
    process): kept beside the generations under the digest of the table's chunks file and
    the modules' source (and ``inputs``: the text of the data files it reads); a table
    held only in memory (no digest) computes it."""
    digest = getattr(table, "source_digest", None)
    if digest is None:
        return build()
    return cached(folder_of(table.generation), name, key_of([digest, *inputs], modules), build)


# -- a generation's chunk table, kept as marshal rows (issue 13: cold start) ---------------
# Parsing chunks.jsonl (a JSON object a line) cost a cold `troly ask` ~13 ms of CPU; the
# rows of its chunks (their fields' values) are kept beside the generations under the
# digest of the file's bytes, read back in a few milliseconds.


def _rows_file(folder: Path, digest: str) -> Path:
    return folder / f"table-{digest}.marshal"


def kept_rows(folder: Path, digest: str, fields: tuple[str, ...]) -> list | None:
    """The rows kept for the chunk table file whose bytes have this digest (their values in
    ``fields`` order), or None."""
    from . import kept

    rows = kept.read(_rows_file(folder, digest), (FORMAT, fields, digest))
    return rows if isinstance(rows, list) else None


def keep_rows(folder: Path, digest: str, fields: tuple[str, ...], rows: list) -> None:
    """Keep the rows of the chunk table file whose bytes have this digest (best effort; one
    file a folder: another table's is let go)."""
    from . import kept

    path = _rows_file(folder, digest)
    kept.write(path, (FORMAT, fields, digest), rows)
    try:
        for old in folder.glob("table-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
