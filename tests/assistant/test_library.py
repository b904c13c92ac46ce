"""Adding, removing and replacing documents on a copy of the real corpus: every other
document keeps its chunks byte for byte (ids, labels, text, offsets, vectors), the removed
one is unreachable, a replaced one keeps its id (its entry kept, or updated in place with
the catalog's comments and order), and a refused or failed change leaves the sources, the
catalog and the live generation as they were."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.cli import main
from retrieval.catalog import Catalog
from retrieval.errors import BadInputError
from retrieval.index import IndexDir
from tests.support.library import HEADERS, citable, writable_corpus

PLAN = HEADERS / "kh-ubnd-bac-ninh.txt"


@pytest.fixture
def lib(tmp_path, corpus_app):
    return writable_corpus(tmp_path, corpus_app)


def add_plan(app, path=PLAN):
    proposals, errors = app.propose_entries([path])
    assert not errors and [p.entry.id for p in proposals] == ["kh12"]
    report = app.ingest_new([path], proposals, progress=False)
    assert report.added == ["kh12"] and not report.errors
    return report


def without(snapshot: dict, *doc_ids: str) -> dict:
    return {d: v for d, v in snapshot.items() if d not in doc_ids}


def test_adding_a_document_keeps_every_other_documents_chunks(lib):
    before = citable(lib)
    stages: list[tuple[str, float]] = []
    proposals, _ = lib.propose_entries([PLAN])
    lib.ingest_new([PLAN], proposals, progress=False, on_progress=lambda stage, share: stages.append((stage, share)))
    after = citable(lib)
    assert without(after, "kh12") == before
    assert after["kh12"][0][0].startswith("kh12:")
    names = [s for s, _ in stages]
    assert any(n.startswith("Đọc và phân tích kh-ubnd-bac-ninh.txt") for n in names)
    assert "Nhúng văn bản" in names and "Ghi chỉ mục" in names
    assert all(0.0 <= share <= 1.0 for _, share in stages) and stages[-1][1] == 1.0


def test_remove_keeps_the_others_and_makes_the_document_unreachable(lib, capsys, monkeypatch):
    catalog_path = lib.settings.catalog
    text_before = catalog_path.read_text("utf-8")
    before = citable(lib)
    done = lib.remove("69-KL/TW", progress=False)
    assert done.report.removed == ["kl69"] and not done.report.errors
    after = citable(lib)
    assert after == without(before, "kl69")  # ids, labels, texts, offsets and vectors of the others
    # the entry went, and only its lines: the others, their comments and their order stay
    text_after = catalog_path.read_text("utf-8")
    block = text_before[text_before.index('[[document]]\nid = "kl69"') : text_before.index('[[document]]\nid = "nq20"')]
    assert text_after == text_before.replace(block, "")
    assert Catalog.load(catalog_path).by_id("kl69") is None
    # the file is set aside, not lost
    assert not (lib.settings.sources / "kl-69-tw.md").exists()
    assert done.aside.parent == lib.settings.data_dir / "removed" and done.aside.read_bytes()
    # unreachable: by name, by search, in the document list, in the CLI
    with pytest.raises(BadInputError, match="không có văn bản 'kl69'"):
        lib.document("kl69")
    hits = lib.search("Kết luận 69 tiếp tục thực hiện Nghị quyết 20 về phát triển khoa học và công nghệ", 20)
    assert hits and all(h.chunk.doc_id != "kl69" for h in hits)
    assert "kl69" not in {s.doc.id for s in lib.documents()}
    for key, value in (
        ("DATA_DIR", lib.settings.data_dir),
        ("SOURCES_DIR", lib.settings.sources),
        ("CATALOG_PATH", catalog_path),
        ("INDEX_DIR", lib.settings.index),
    ):
        monkeypatch.setenv(f"TROLY_{key}", str(value))
    monkeypatch.setenv("TROLY_CONFIG", str(lib.settings.data_dir / "none.toml"))
    assert main(["show", "kl69", "I"]) == 2
    assert "không có văn bản 'kl69'" in capsys.readouterr().err
    # a citation of another document still opens
    assert main(["show", "57-NQ/TW", "III.2"]) == 0


def test_cli_remove_says_where_the_file_went_and_what_names_it(lib, monkeypatch, capsys):
    add_plan(lib)  # kh12 implements nq57 and nq03
    for key, value in (
        ("DATA_DIR", lib.settings.data_dir),
        ("SOURCES_DIR", lib.settings.sources),
        ("CATALOG_PATH", lib.settings.catalog),
        ("INDEX_DIR", lib.settings.index),
    ):
        monkeypatch.setenv(f"TROLY_{key}", str(value))
    monkeypatch.setenv("TROLY_CONFIG", str(lib.settings.data_dir / "none.toml"))
    before = citable(lib)
    assert main(["remove", "--quiet", "nq03"]) == 0
    out = capsys.readouterr()
    assert "Đã gỡ 03/NQ-CP (nq03) khỏi chỉ mục và danh mục; tệp nguồn chuyển vào" in out.out
    assert "Lưu ý: 12/KH-UBND ghi là thực hiện hoặc căn cứ 03/NQ-CP (trường implements)" in out.err
    assert citable(lib) == without(before, "nq03")
    assert main(["remove", "--quiet", "khong-co"]) == 2
    assert capsys.readouterr().err.startswith("Lỗi: không có văn bản 'khong-co'")


def test_removing_an_uploaded_document_removes_its_entry_with_its_comment(lib):
    text = lib.settings.catalog.read_text("utf-8")
    add_plan(lib)
    assert "# Đề xuất tự động" in lib.settings.catalog.read_text("utf-8")
    lib.remove("kh12", progress=False)
    assert lib.settings.catalog.read_text("utf-8") == text  # back to the byte


def test_replace_by_cli_keeps_the_entry_and_says_how_the_new_header_differs(lib, tmp_path, monkeypatch, capsys):
    add_plan(lib)
    for key, value in (
        ("DATA_DIR", lib.settings.data_dir),
        ("SOURCES_DIR", lib.settings.sources),
        ("CATALOG_PATH", lib.settings.catalog),
        ("INDEX_DIR", lib.settings.index),
    ):
        monkeypatch.setenv(f"TROLY_{key}", str(value))
    monkeypatch.setenv("TROLY_CONFIG", str(tmp_path / "none.toml"))
    newer = tmp_path / "new" / PLAN.name
    newer.parent.mkdir()
    newer.write_text(
        PLAN.read_text("utf-8")
        .replace("ngày 15 tháng 3 năm 2025", "ngày 20 tháng 4 năm 2025")
        .replace("cơ chế thử nghiệm có kiểm soát", "cơ chế thử nghiệm có kiểm soát (bản sửa đổi)"),
        "utf-8",
    )
    catalog_text = lib.settings.catalog.read_text("utf-8")
    before = citable(lib)
    assert main(["ingest", "--quiet", "--replace", str(newer)]) == 0
    out = capsys.readouterr().out
    assert "Thay tệp kh-ubnd-bac-ninh.txt của 12/KH-UBND: giữ mục danh mục 'kh12'" in out
    assert "ngày ban hành: 2025-04-20 (danh mục: 2025-03-15)" in out
    assert "Đề xuất mục danh mục" not in out  # no second entry proposed for a listed file
    assert lib.settings.catalog.read_text("utf-8") == catalog_text  # the entry is kept
    after = citable(lib)
    assert without(after, "kh12") == without(before, "kh12")
    assert [c[0] for c in after["kh12"]] == [c[0] for c in before["kh12"]]  # same clauses, same ids
    assert any("bản sửa đổi" in c[3] for c in after["kh12"])


def test_replace_with_a_file_of_another_name_updates_the_entry_in_place(lib, tmp_path):
    add_plan(lib)
    newer = tmp_path / "kh12-sua-doi.txt"
    newer.write_text(PLAN.read_text("utf-8").replace("ngày 15 tháng 3 năm 2025", "ngày 20 tháng 4 năm 2025"), "utf-8")
    text = lib.settings.catalog.read_text("utf-8")
    before = citable(lib)
    kept = lib.catalog.by_id("kh12")
    from dataclasses import replace

    done = lib.replace_document("kh12", newer, replace(kept, date="2025-04-20"), progress=False)
    assert done.accepted and done.report.updated == ["kh12"]
    assert without(citable(lib), "kh12") == without(before, "kh12")
    # only the two changed lines differ; the entry stays where it was, with its comment
    expected = text.replace('file = "kh-ubnd-bac-ninh.txt"', 'file = "kh12-sua-doi.txt"').replace(
        'date = "2025-03-15"', 'date = "2025-04-20"'
    )
    assert lib.settings.catalog.read_text("utf-8") == expected
    assert (lib.settings.sources / "kh12-sua-doi.txt").exists()
    assert not (lib.settings.sources / "kh-ubnd-bac-ninh.txt").exists()
    assert done.aside.read_text("utf-8") == PLAN.read_text("utf-8")
    assert lib.document("kh12").file == "kh12-sua-doi.txt"


def test_a_replacement_held_back_changes_nothing(lib, tmp_path):
    tiny = tmp_path / "nq-57-tw.md"
    tiny.write_text("Nghị quyết 57 (bản rút gọn).\n", "utf-8")
    sources = sorted((p.name, p.read_bytes()) for p in lib.settings.sources.iterdir())
    catalog = lib.settings.catalog.read_text("utf-8")
    generation = lib.index_dir.current_name()
    done = lib.replace_document("nq57", tiny, progress=False)
    assert not done.accepted and done.report.kept == ["nq57"]
    assert "giữ bản đã lập chỉ mục" in done.report.errors[0][1]
    assert sorted((p.name, p.read_bytes()) for p in lib.settings.sources.iterdir()) == sources
    assert lib.settings.catalog.read_text("utf-8") == catalog
    assert lib.index_dir.current_name() == generation
    assert list((lib.settings.data_dir / "removed").glob("*")) == []  # nothing set aside (or no folder at all)


def test_a_replacement_cannot_take_another_documents_file_name(lib, tmp_path):
    other = tmp_path / "nq-03-cp.txt"
    other.write_text("I- MỤC TIÊU\n1. Nội dung mới.\n", "utf-8")
    with pytest.raises(BadInputError, match="đã có tệp nq-03-cp.txt của văn bản 03/NQ-CP"):
        lib.replace_document("kl69", other, progress=False)


def test_a_failed_publish_leaves_the_catalog_and_the_sources_as_they_were(lib, monkeypatch):
    catalog = lib.settings.catalog.read_text("utf-8")
    generation = lib.index_dir.current_name()

    def broken(self, gen):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(IndexDir, "publish", broken)
    proposals, _ = lib.propose_entries([PLAN])
    with pytest.raises(BadInputError):
        lib.ingest_new([PLAN], proposals, progress=False)
    assert lib.settings.catalog.read_text("utf-8") == catalog
    assert lib.index_dir.current_name() == generation
    with pytest.raises(BadInputError):
        lib.remove("kl69", progress=False)
    assert lib.settings.catalog.read_text("utf-8") == catalog
    assert (lib.settings.sources / "kl-69-tw.md").exists()  # put back
    assert lib.document("kl69").short == "69-KL/TW"


def test_a_catalog_write_refused_under_the_lock_publishes_nothing(lib):
    """Two uploads proposing the same id: the second one's entry is refused when it is
    written, so its generation never goes live and its file does not stay in the sources."""
    proposals, _ = lib.propose_entries([PLAN])
    add_plan(lib)
    twin = lib.settings.data_dir / "twin" / "kh12-ban-sao.txt"
    twin.parent.mkdir()
    shutil.copyfile(PLAN, twin)
    generation = lib.index_dir.current_name()
    proposals[0].path = twin
    proposals[0].entry = __import__("dataclasses").replace(proposals[0].entry, file=twin.name)
    with pytest.raises(BadInputError, match="đã có văn bản mã 'kh12'"):
        lib.ingest_new([twin], proposals, progress=False)
    assert lib.index_dir.current_name() == generation
    assert not (lib.settings.sources / twin.name).exists()


def test_another_process_reads_the_new_catalog_when_it_switches(lib, corpus_app):
    """A long-lived reader (the UI, a server) switching to the new generation reads the
    catalog written with it: the new document's entry, not a made-up one."""
    from assistant.api import Assistant

    reader = Assistant(lib.settings)
    assert reader.search("mục tiêu đến năm 2030", 1)  # it reads the generation live before
    add_plan(lib)
    assert reader.refresh()
    doc = reader.document("12/KH-UBND")  # as the entry written names it
    assert (doc.id, doc.issuer) == ("kh12", "Ủy ban nhân dân tỉnh Bắc Ninh")
    hits = reader.search("cơ chế thử nghiệm có kiểm soát trên địa bàn tỉnh Bắc Ninh", 3)
    assert hits[0].chunk.label == "Kế hoạch 12/KH-UBND, Mục II, điểm 1"
    reader.close()


def test_docs_json_lists_the_new_document(lib, monkeypatch, capsys):
    add_plan(lib)
    for key, value in (
        ("DATA_DIR", lib.settings.data_dir),
        ("SOURCES_DIR", lib.settings.sources),
        ("CATALOG_PATH", lib.settings.catalog),
        ("INDEX_DIR", lib.settings.index),
    ):
        monkeypatch.setenv(f"TROLY_{key}", str(value))
    monkeypatch.setenv("TROLY_CONFIG", str(lib.settings.data_dir / "none.toml"))
    assert main(["docs", "--json"]) == 0
    docs = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert docs["kh12"]["chunks"] == 12 and docs["kh12"]["kind"] == "Kế hoạch"


def test_a_new_entry_never_takes_the_id_of_an_unlisted_document(lib):
    """A file dropped into the sources without an entry is indexed as 'kh12' (its stem); a
    plan proposing 'kh12' gets another id, so the unlisted document keeps its chunk ids."""
    (lib.settings.sources / "kh12.txt").write_text("I- MỤC TIÊU\n1. Một ghi chú nội bộ về chuyển đổi số.\n", "utf-8")
    lib.ingest(progress=False)
    before = citable(lib)
    assert "kh12" in before
    proposals, _ = lib.propose_entries([PLAN])
    assert proposals[0].entry.id == "kh12-ubnd"
    lib.ingest_new([PLAN], proposals, progress=False)
    assert without(citable(lib), "kh12-ubnd") == before
