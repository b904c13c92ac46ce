"""Nothing indexed is lost by a bad input (issue 11, items 1-4, 6 and 11), on copies of the
real corpus and of its index."""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import threading

import pytest

from assistant.api import Assistant
from assistant.cli import main
from retrieval import ingest as ingest_module
from retrieval import prepare as prepare_module
from retrieval.catalog import Catalog
from retrieval.embedding import HashingEmbedder
from retrieval.errors import BadInputError
from retrieval.index import LOCK_FILE, Manifest
from retrieval.normalize import normalize
from retrieval.store import ChunkTable
from tests.support.corpus import DATA, make_settings

FIGURE = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"
OFFICIAL = sorted(["kh01", "kh-vhl", "nq03", "nq20", "nq57"])  # the files over 0.02 MB


def counts(app: Assistant) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in ChunkTable.open(app.index_dir).chunks:
        out[c.doc_id] = out.get(c.doc_id, 0) + 1
    return out


def cli_env(monkeypatch, app: Assistant) -> None:
    s = app.settings
    for key, value in {
        "TROLY_SOURCES_DIR": s.sources,
        "TROLY_INDEX_DIR": s.index,
        "TROLY_DATA_DIR": s.data_dir,
        "TROLY_CATALOG_PATH": DATA / "catalog.toml",
    }.items():
        monkeypatch.setenv(key, str(value))


# -- item 1: a rebuild keeps what fails to load -------------------------------------------


def test_rebuild_by_embedder_change_keeps_the_documents_that_fail_to_load(indexed, corpus_app):
    before = counts(indexed)
    app = Assistant(make_settings(indexed.settings.data_dir, indexed.settings.sources, max_file_mb=0.02))
    app.__dict__["embedder"] = HashingEmbedder(dim=256)  # an embedder change rebuilds on its own
    report = app.ingest(progress=False)
    assert sorted(report.kept) == OFFICIAL
    assert len(report.errors) == 5 and all("vượt giới hạn 0.02 MB" in m for _, m in report.errors)
    assert counts(app) == before  # every document still there, none at 0 chunks
    manifest = Manifest.read(app.index_dir.current() / "manifest.json")
    assert manifest.embedder_version == "1-d256" and set(manifest.documents) == set(before)
    answer = app.ask(FIGURE)  # the kept documents were embedded again: dense search works on them
    assert answer.citations and answer.citations[0].doc_short == "57-NQ/TW"
    assert "30% GDP" in answer.answer
    assert app.searcher.dense.ranking(FIGURE, 5, ["nq57"])


def test_an_ingest_that_would_empty_the_index_is_refused(indexed):
    for path in indexed.settings.sources.iterdir():
        path.unlink()
    before = indexed.index_dir.current()
    with pytest.raises(BadInputError, match="không gỡ hết chỉ mục"):
        indexed.ingest(progress=False)
    with pytest.raises(BadInputError, match="không có văn bản nào"):
        indexed.ingest(progress=False, force=True)  # forced, but nothing to publish
    assert indexed.index_dir.current() == before


# -- item 2: an implausible decoding, a shrunken or flattened version ----------------------


def test_utf16_looking_bytes_are_refused_and_the_document_kept(indexed):
    before = ChunkTable.open(indexed.index_dir).of_document("nq57")
    (indexed.settings.sources / "nq-57-tw.md").write_bytes(b"\xff\xfe\x00" + bytes(range(201)))
    report = indexed.ingest(progress=False)
    assert report.kept == ["nq57"] and not report.changed
    assert "không nhận ra bảng mã" in report.errors[0][1] and "UTF-16" in report.errors[0][1]
    assert ChunkTable.open(indexed.index_dir).of_document("nq57") == before


def test_a_shrunken_version_is_held_back_unless_forced(indexed, monkeypatch, capsys):
    path = indexed.settings.sources / "nq-57-tw.md"
    path.write_text("Nghị quyết này có hiệu lực kể từ ngày ký.\n", "utf-8")
    cli_env(monkeypatch, indexed)
    assert main(["ingest", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"bản mới chỉ còn \d+ ký tự so với [\d.]+ ký tự", err) and "--force" in err
    assert counts(indexed)["nq57"] == 59
    assert main(["ingest", "--quiet", "--force"]) == 0
    assert counts(indexed)["nq57"] == 1


def test_a_version_that_lost_its_numbering_is_held_back(indexed):
    path = indexed.settings.sources / "nq-57-tw.md"
    text = normalize(path.read_text("utf-8")).text  # the same words, every number and dash gone
    flat = re.sub(r"(?m)^(\s*)(?:[IVX]+[-.]|\d+[.)-]|[a-zđ]\)|[-+])\s*", r"\1", text)
    path.write_text(flat, "utf-8")
    report = indexed.ingest(progress=False)
    assert report.kept == ["nq57"] and "mất hết cấu trúc điều khoản" in report.errors[0][1]
    assert counts(indexed)["nq57"] == 59


# -- item 3: extra files never overwrite; same stems get their own ids ---------------------


def test_an_extra_file_never_overwrites_a_source_without_replace(indexed, tmp_path):
    source = indexed.settings.sources / "nq-57-tw.md"
    original = source.read_bytes()
    draft = tmp_path / "nhap" / "nq-57-tw.md"
    draft.parent.mkdir()
    draft.write_text("1. Bản nháp của Nghị quyết 57.\n", "utf-8")
    report = indexed.ingest([draft], progress=False)
    assert "không ghi đè" in report.errors[0][1] and "--replace" in report.errors[0][1]
    assert source.read_bytes() == original and not report.changed

    same = tmp_path / "ban-sao" / "nq-57-tw.md"  # the same bytes: nothing to refuse
    same.parent.mkdir()
    same.write_bytes(original)
    report = indexed.ingest([same], progress=False)
    assert not report.errors and not report.changed

    longer = original.decode() + "\n\n5. Một điều bổ sung về chuyển đổi số cho thử nghiệm.\n"
    draft.write_text(longer, "utf-8")
    report = indexed.ingest([draft], progress=False, replace=True)
    assert report.updated == ["nq57"] and not report.errors
    assert source.read_text("utf-8") == longer


def test_files_sharing_a_stem_both_get_indexed_under_their_own_ids(indexed):
    sources = indexed.settings.sources
    (sources / "x.txt").write_text(
        "I- MỤC TIÊU\n1. Văn bản x dạng txt về chuyển đổi số trong cơ quan nhà nước.\n", "utf-8"
    )
    (sources / "x.md").write_text(
        "I- NHIỆM VỤ\n1. Văn bản x dạng md về đổi mới sáng tạo trong doanh nghiệp.\n", "utf-8"
    )
    report = indexed.ingest(progress=False)
    assert sorted(report.added) == ["x-md", "x-txt"]
    assert not indexed.ingest(progress=False).changed  # and stays so: no endless "cập nhật 1"
    (sources / "x.md").unlink()
    report = indexed.ingest(progress=False)
    assert report.removed == ["x-md"] and not report.added  # x.txt keeps the id it was given
    assert indexed.show("x-txt", "I.1").chunks[0].text.startswith("1. Văn bản x dạng txt")


# -- item 4: documents outside the catalog are reachable ----------------------------------


def test_unlisted_and_renamed_files_are_reachable_by_id(indexed, monkeypatch, capsys):
    sources = indexed.settings.sources
    (sources / "moi.md").write_text("I- MỤC TIÊU\n1. Một văn bản mới hợp lệ về chuyển đổi số.\n", "utf-8")
    (sources / "nq-20-tw.md").rename(sources / "nghi-quyet-20.md")
    cli_env(monkeypatch, indexed)
    assert main(["ingest", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "tệp moi.md không có trong danh mục" in err and "`troly show moi`" in err
    assert "có vẻ là 20-NQ/TW (nq-20-tw.md) đổi tên" in err
    assert main(["show", "moi", "I.1"]) == 0
    assert "1. Một văn bản mới hợp lệ" in capsys.readouterr().out
    assert main(["search", "--doc", "nghi-quyet-20", "phát triển khoa học và công nghệ"]) == 0
    assert "Tài liệu nghi-quyet-20" in capsys.readouterr().out
    assert main(["ask", "--doc", "moi", "Văn bản mới nói gì về chuyển đổi số?"]) == 0
    assert any(s.doc.id == "moi" and s.chunks == 2 for s in Assistant(indexed.settings).documents())


# -- item 6: a second ingest says that it waits, and for what -----------------------------


def test_a_second_ingest_says_it_waits_for_the_first(indexed):
    holder = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with indexed.index_dir.lock():
            holder.set()
            release.wait(120)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holder.wait(30)
    s = indexed.settings
    env = dict(
        os.environ,
        TROLY_SOURCES_DIR=str(s.sources),
        TROLY_INDEX_DIR=str(s.index),
        TROLY_DATA_DIR=str(s.data_dir),
        TROLY_CATALOG_PATH=str(DATA / "catalog.toml"),
    )
    (s.sources / "moi.md").write_text("I- MỤC TIÊU\n1. Một văn bản mới hợp lệ về chuyển đổi số.\n", "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()  # said before it blocks
        assert line.startswith("Lưu ý: đang chờ lần nạp khác kết thúc")
        assert f"tiến trình {os.getpid()}" in line and str(s.index) in line
        assert proc.poll() is None  # still waiting
    finally:
        release.set()
        thread.join(30)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "thêm 1" in out


# -- item 11: parsed once, never under the lock; a bar that moves -------------------------


def test_files_are_parsed_once_and_not_under_the_lock(indexed, tmp_path, monkeypatch):
    calls: list[tuple[str, bool]] = []
    real = prepare_module.parse_file  # the ingest parses through its preparation step
    lock_path = indexed.index_dir.root / LOCK_FILE

    def lock_is_free() -> bool:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    def spy(path, *args, **kwargs):
        calls.append((path.name, lock_is_free()))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(prepare_module, "parse_file", spy)
    extra = tmp_path / "them.md"
    extra.write_text("I- MỤC TIÊU\n1. Một tệp bổ sung hợp lệ về chuyển đổi số quốc gia.\n", "utf-8")
    vhl = indexed.settings.sources / "kh-vhl.txt"
    vhl.write_text(vhl.read_text("utf-8").replace("5.000 người", "6.000 người"), "utf-8")
    report = indexed.ingest([extra], progress=False)
    assert report.added == ["them"] and report.updated == ["kh-vhl"]
    assert sorted(calls) == [("kh-vhl.txt", True), ("them.md", True)]  # once each, lock free


def test_parsing_reports_progress_as_it_goes(tmp_path):
    path = tmp_path / "dai.md"
    path.write_text(
        "\n".join(f"1. Nội dung thứ {i} về khoa học, công nghệ và đổi mới sáng tạo." for i in range(12000)), "utf-8"
    )
    seen: list[float] = []
    chunks, _ = ingest_module.parse_file(
        path, Catalog([]).for_unlisted(path), ingest_module.ChunkingOptions(), progress=seen.append
    )
    assert len(chunks) == 12000
    assert len(seen) >= 10 and seen == sorted(seen) and 0 < seen[0] and seen[-1] < 1


def test_repeated_markers_get_unique_paths(tmp_path):
    path = tmp_path / "lap.md"
    path.write_text("\n".join(["1. Một.", "1. Hai.", "1. Ba.", "2. Bốn.", "1. Năm."]), "utf-8")
    chunks = ingest_module.chunk_file(path, Catalog([]).for_unlisted(path), ingest_module.ChunkingOptions())
    assert [c.path for c in chunks] == ["1", "1~2", "1~3", "2", "1~4"]


def test_the_index_keeps_no_stale_generation_after_ingests(indexed):
    vhl = indexed.settings.sources / "kh-vhl.txt"
    for n in range(2):
        vhl.write_text(vhl.read_text("utf-8") + f"\n\n{n + 9}. Dòng thêm số {n}.\n", "utf-8")
        indexed.ingest(progress=False)
    gens = sorted(p.name for p in indexed.index_dir.root.glob("gen-*"))
    assert gens == [indexed.index_dir.current().name]
