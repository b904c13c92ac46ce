"""A writable copy of the corpus (sources, catalog, index) for tests that add, replace or
remove documents, and a snapshot of everything a citation of a document rests on."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.api import Assistant
from retrieval.vectors import read_vectors
from tests.support.corpus import DATA, SOURCES, make_settings

HEADERS = Path(__file__).resolve().parent.parent / "retrieval" / "headers"


def writable_corpus(tmp: Path, corpus_app: Assistant, **settings) -> Assistant:
    """An Assistant over copies of data/sources, data/catalog.toml and the corpus index
    (never the real files: the tests write them)."""
    shutil.copytree(SOURCES, tmp / "sources")
    shutil.copyfile(DATA / "catalog.toml", tmp / "catalog.toml")
    shutil.copytree(corpus_app.settings.index, tmp / "index")
    s = make_settings(tmp, tmp / "sources", **settings).model_copy(update={"catalog_path": tmp / "catalog.toml"})
    return Assistant(s)


def citable(app: Assistant) -> dict[str, list[tuple]]:
    """Per document: each chunk's id, label, path, text, offsets, page and OCR mark, and its
    vector (as bytes), in order: what a citation of it and its retrieval rest on."""
    app.refresh()
    vectors = read_vectors(app.table.generation)
    out: dict[str, list[tuple]] = {}
    for c in app.table.chunks:
        out.setdefault(c.doc_id, []).append(
            (c.id, c.label, c.path, c.text, c.start, c.end, c.page, c.ocr, c.breadcrumb, vectors[c.id].tobytes())
        )
    return out


def plan_docx(path: Path) -> Path:
    """The synthetic province plan (headers/kh-ubnd-bac-ninh.txt) as a Word file, one
    paragraph a line (the header's two columns kept as a tab, as Word users type them)."""
    import docx

    document = docx.Document()
    for line in (HEADERS / "kh-ubnd-bac-ninh.txt").read_text("utf-8").splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path
