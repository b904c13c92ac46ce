"""The ingest writes the Chroma collection in a child process while it goes on
(retrieval/chroma_writer.py, issue 13): the ingest itself never imports chromadb, the
published generation has its whole collection, and a failed write publishes nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import retrieval.chroma_writer as chroma_writer
from assistant.api import Assistant
from retrieval.errors import IndexUnavailableError
from retrieval.index import CHROMA_DIR, COLLECTION
from tests.support.corpus import make_settings


def test_the_ingest_leaves_chromadb_to_its_child_and_publishes_the_whole_collection(tmp_path, sources_copy):
    settings = make_settings(tmp_path, sources_copy)
    code = (
        "import json,sys\nfrom pathlib import Path\nfrom assistant.api import Assistant\n"
        "from tests.support.corpus import make_settings\n"
        f"app=Assistant(make_settings(Path({str(tmp_path)!r}), Path({str(sources_copy)!r})))\n"
        "r=app.ingest(progress=False)\n"
        "print(json.dumps([r.chunks, 'chromadb' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=600)
    chunks, imported = json.loads(out.stdout.splitlines()[-1])
    assert chunks > 500 and not imported

    import chromadb

    app = Assistant(settings)
    gen = app.index_dir.current()
    collection = chromadb.PersistentClient(path=str(gen / CHROMA_DIR)).get_collection(COLLECTION)
    ids = [json.loads(line)["id"] for line in (gen / "chunks.jsonl").read_text("utf-8").splitlines()]
    assert collection.count() == chunks == len(ids)
    assert set(collection.get(include=[])["ids"]) == set(ids)
    assert app.ask("Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?").citations


def test_a_failed_collection_write_fails_the_ingest_and_publishes_nothing(tmp_path, sources_copy, monkeypatch):
    monkeypatch.setattr(chroma_writer, "CHILD", "import sys\nsys.stdin.readline()\nsys.exit('đĩa đầy')")
    app = Assistant(make_settings(tmp_path, sources_copy))
    with pytest.raises(IndexUnavailableError, match="đĩa đầy"):
        app.ingest(progress=False)
    assert app.index_dir.current() is None


def test_above_the_exact_limit_the_idle_writer_is_let_go(tmp_path, sources_copy):
    # the generation gets dense cells, no collection: the writer started before parsing is stopped
    app = Assistant(make_settings(tmp_path, sources_copy, dense_exact_limit=100))
    report = app.ingest(progress=False)
    gen = app.index_dir.current()
    assert report.chunks > 100 and not (gen / CHROMA_DIR).exists()
    assert app.ask("Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?").citations


def test_the_kept_cl100k_ranks_are_the_decoded_ones_and_a_damaged_file_is_decoded_again(tmp_path, monkeypatch):
    from binascii import a2b_base64

    from retrieval import tokens

    data = (tokens.cache_dir() / tokens.CL100K_CACHE_NAME).read_bytes()
    decoded = {a2b_base64(t): int(r) for t, r in (line.split() for line in data.splitlines() if line)}
    kept = tmp_path / "__pycache__" / "cl100k.marshal"
    monkeypatch.setattr(tokens, "_ranks_file", lambda: kept)
    assert tokens._ranks(data) == decoded and kept.exists()  # decoded, then kept
    assert tokens._ranks(data) == decoded  # read back from the kept file
    kept.write_bytes(b"\0garbage")
    assert tokens._ranks(data) == decoded
    import marshal

    kept.write_bytes(marshal.dumps(("another sha", {b"a": 0})))  # kept for other bytes: not used
    assert tokens._ranks(data) == decoded


def test_the_ingest_keeps_the_opcodes_of_the_patterns_a_searcher_compiles_when_it_opens(
    corpus_app, tmp_path, monkeypatch
):
    import re

    from retrieval import regex_cache

    monkeypatch.setattr(regex_cache, "FILE", tmp_path / "patterns.marshal")
    monkeypatch.setattr(regex_cache, "FOLDER", tmp_path)
    monkeypatch.setattr(regex_cache, "_loaded", None)
    extra = regex_cache.open_path_sources(corpus_app.catalog.documents)
    assert len(extra) > 20 and regex_cache.refresh(extra)
    monkeypatch.setattr(regex_cache, "_loaded", None)  # as the next process reads it
    assert set(extra) <= set(regex_cache._read())
    for source in extra:
        assert regex_cache.compile_pattern(source) == re.compile(source)
    assert regex_cache.refresh() and set(extra) <= set(regex_cache._read())  # make bytecode keeps them
    assert regex_cache.refresh([]) and not set(extra) & set(regex_cache._read())  # another catalog's ingest
