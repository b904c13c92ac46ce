"""Ingest is idempotent, incremental, atomic, and survives bad input without loss."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from assistant.api import Assistant
from assistant.cli import main
from retrieval.index import IndexDir, read_chunks
from retrieval.store import ChunkTable
from tests.support.corpus import DATA, clause_of, make_settings


def snapshot(app: Assistant) -> dict[str, str]:
    return {c.id: c.text for c in ChunkTable.open(app.index_dir).chunks}


def test_second_ingest_changes_nothing(tmp_path, sources_copy):
    app = Assistant(make_settings(tmp_path, sources_copy))
    first = app.ingest(progress=False)
    assert first.changed and len(first.added) == 9 and not first.errors
    gen = app.index_dir.current()
    second = app.ingest(progress=False)
    assert not second.changed and sorted(second.unchanged) == sorted(first.added)
    assert app.index_dir.current() == gen and second.chunks == first.chunks


def test_changed_file_replaces_only_its_chunks_and_removed_file_goes(tmp_path, sources_copy):
    app = Assistant(make_settings(tmp_path, sources_copy))
    app.ingest(progress=False)
    before = snapshot(app)
    vhl = sources_copy / "kh-vhl.txt"
    vhl.write_text(vhl.read_text("utf-8").replace("5.000 người", "6.000 người"), "utf-8")
    (sources_copy / "tin-nq-03-cp.txt").unlink()
    report = app.ingest(progress=False)
    assert report.updated == ["kh-vhl"] and report.removed == ["tin-nq03"] and not report.added
    after = snapshot(app)
    assert not ChunkTable.open(app.index_dir).of_document("tin-nq03")
    changed = {k for k in after if after[k] != before.get(k)}
    scientists = clause_of(app, "kh-vhl", "PL1.I.3")  # the table row that changed
    assert "6.000 người" in scientists.text and changed == {scientists.id}
    # the vector store agrees with the chunk table: every chunk, the changed one re-embedded
    import numpy as np

    from retrieval.index import vector_store

    store = vector_store(app.index_dir.current(), app.embedder)
    assert store._collection.count() == len(after)
    got = store._collection.get(ids=[scientists.id], include=["embeddings"])
    expected = app.embedder.embed_documents([scientists.embedding_text()])[0]
    assert np.allclose(got["embeddings"][0], expected, atol=1e-6)


def test_bad_inputs_reported_rest_ingested_nothing_lost(tmp_path, sources_copy, capsys, monkeypatch):
    settings = make_settings(tmp_path, sources_copy)
    Assistant(settings).ingest(progress=False)
    (sources_copy / "nq-57-tw.md").write_bytes(b"\xff\xfe\x00" + bytes(range(200)))  # now unreadable
    (sources_copy / "rong.txt").write_bytes(b"")
    (sources_copy / "bang.xlsx").write_bytes(b"PK")
    (sources_copy / "moi.md").write_text("I- MỤC TIÊU\n1. Một văn bản mới hợp lệ về chuyển đổi số.\n", "utf-8")
    for key, value in {
        "TROLY_SOURCES_DIR": sources_copy,
        "TROLY_INDEX_DIR": tmp_path / "index",
        "TROLY_CATALOG_PATH": DATA / "catalog.toml",
    }.items():
        monkeypatch.setenv(key, str(value))
    code = main(["ingest", "--quiet", str(tmp_path / "khong-co.pdf")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    errors = [line for line in err if line.startswith("Lỗi:")]
    assert len(errors) == 4 and all(line.startswith("Lỗi: không đọc được tệp") for line in errors)
    assert any("khong-co.pdf" in line for line in errors) and any("rong.txt" in line for line in errors)
    notes = [line for line in err if not line.startswith("Lỗi:")]
    assert notes == [
        "Lưu ý: tệp moi.md không có trong danh mục văn bản; đã nạp với mã 'moi' (xem bằng `troly show moi`)",
        "Lưu ý: giữ nguyên bản đã lập chỉ mục trước của 1 văn bản không nạp được bản mới: 57-NQ/TW",
    ]
    table = ChunkTable.open(IndexDir(tmp_path / "index"))
    kept = next(c for c in table.of_document("nq57") if c.path == "III.2")
    assert kept.text.startswith("2. Khẩn trương")  # kept from before
    assert "I.1" in [c.path for c in table.of_document("moi")]


def test_embedder_change_rebuilds_instead_of_mixing(tmp_path, sources_copy):
    app = Assistant(make_settings(tmp_path, sources_copy))
    app.ingest(progress=False)
    import pytest

    from retrieval.embedding import HashingEmbedder
    from retrieval.errors import IndexMismatchError
    from retrieval.index import Manifest, check_embedder

    manifest = Manifest.read(app.index_dir.current() / "manifest.json")
    with pytest.raises(IndexMismatchError, match="troly ingest"):
        check_embedder(manifest, HashingEmbedder(dim=256))
    app.__dict__["embedder"] = HashingEmbedder(dim=256)
    report = app.ingest(progress=False)
    assert len(report.added) == 9
    assert Manifest.read(app.index_dir.current() / "manifest.json").embedder_version == "1-d256"


def test_ingest_killed_halfway_leaves_previous_index_usable(tmp_path, sources_copy):
    settings = make_settings(tmp_path, sources_copy)
    app = Assistant(settings)
    app.ingest(progress=False)
    live = app.index_dir.current()
    before = snapshot(app)
    big = "\n\n".join((sources_copy / "kh-01-bcdtw.txt").read_text("utf-8") for _ in range(10))
    (sources_copy / "lon.txt").write_text(big, "utf-8")
    env = dict(
        os.environ,
        TROLY_SOURCES_DIR=str(sources_copy),
        TROLY_INDEX_DIR=str(tmp_path / "index"),
        TROLY_CATALOG_PATH=str(DATA / "catalog.toml"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    building = None
    while time.time() < deadline and building is None:
        gens = [g for g in (tmp_path / "index").glob("gen-*") if g != live and (g / "chroma").exists()]
        building = gens[0] if gens else None
        time.sleep(0.05)
    assert building is not None, "the ingest never started a new generation"
    time.sleep(0.5)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert app.index_dir.current() == live
    assert snapshot(Assistant(settings)) == before
    assert read_chunks(live)
    # the next ingest completes and clears the leftover generation
    report = Assistant(settings).ingest(progress=False)
    assert report.added == ["lon"]
    assert sorted(p.name for p in (tmp_path / "index").glob("gen-*")) == [app.index_dir.current().name]
