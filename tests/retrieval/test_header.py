"""Catalog entries read from document headers: the seed documents against their
hand-written catalog entries, synthetic headers of other kinds, and the catalog file
written by `troly ingest FILE` (comments and order kept)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.cli import main
from retrieval.catalog import Catalog
from retrieval.catalog_edit import append_entries
from retrieval.errors import BadInputError
from retrieval.header import header_tables, read_header
from retrieval.loading import load
from retrieval.normalize import normalize
from retrieval.proposal import propose
from retrieval.rules import load_rules
from retrieval.truecase import truecase
from tests.support.corpus import DATA, SOURCES

HEADERS = Path(__file__).parent / "headers"
CATALOG = Catalog.load(DATA / "catalog.toml")


def _propose(path: Path, catalog: Catalog):
    loaded = load(path)
    return propose(normalize(loaded.text).text, path.name, catalog, raw=loaded.text)


@pytest.mark.parametrize("doc", [d for d in CATALOG.documents if d.authority == "official"], ids=lambda d: d.id)
def test_seed_header_matches_the_hand_written_entry(doc):
    """Read as if new (its own entry left out of the catalog): number, date, issuer, kind."""
    others = Catalog([d for d in CATALOG.documents if d.id != doc.id])
    entry = _propose(SOURCES / doc.file, others).entry
    assert (entry.short, entry.date, entry.issuer, entry.kind) == (doc.short, doc.date, doc.issuer, doc.kind)
    assert entry.authority == "official"
    # the catalog names the VHL plan by its issuer; read as new, it is named by its number (116/QĐ-VHL)
    assert entry.id == {"kh-vhl": "kh116"}.get(doc.id, doc.id)


@pytest.mark.parametrize("doc", [d for d in CATALOG.documents if d.authority != "official"], ids=lambda d: d.id)
def test_documents_without_a_header_are_not_made_official(doc):
    """Commentary and news carry no administrative header: no number, no issuer, never
    'official'; their kind and issuer are the catalog editor's words, not the text's."""
    others = Catalog([d for d in CATALOG.documents if d.id != doc.id])
    p = _propose(SOURCES / doc.file, others)
    assert p.entry.authority == "secondary" and p.entry.kind == "Tài liệu" and p.entry.issuer == ""
    assert p.entry.date == doc.date  # "" for the essays, the page's "date 2025-01" for the news item


def test_implemented_documents_are_resolved_against_the_catalog():
    others = Catalog([d for d in CATALOG.documents if d.id != "kh-vhl"])
    p = _propose(SOURCES / "kh-vhl.txt", others)
    assert p.entry.implements == ("nq03", "nq57")
    assert "106/2022/NĐ-CP" in p.unresolved  # a decree the catalog does not hold
    assert _propose(
        SOURCES / "kl-69-tw.md", Catalog([d for d in CATALOG.documents if d.id != "kl69"])
    ).entry.implements == ("nq20",)


def test_a_garbled_header_number_is_taken_from_the_attachment_line():
    """kh-vhl's header reads 'Số: M6/QĐ-VHL' (a stamp over the number); the attached plan's
    '(Kèm theo Quyết định số 116/QĐ-VHL …)' has the same codes and a real number."""
    h = read_header(normalize(load(SOURCES / "kh-vhl.txt").text).text)
    assert h.number.text == "116/QĐ-VHL" and h.attached_to == "Quyết định số 116/QĐ-VHL"
    assert h.date == "2025-01-24"  # the header's date, not the attachment line's typo (24/04)


SYNTHETIC = {
    "kh-ubnd-bac-ninh.txt": dict(
        id="kh12",
        short="12/KH-UBND",
        kind="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Bắc Ninh",
        date="2025-03-15",
        implements=("nq57", "nq03"),
        cite_as="Kế hoạch 12/KH-UBND",
    ),
    "qd-bkhcn.txt": dict(
        id="qd345",
        short="345/QĐ-BKHCN",
        kind="Quyết định",
        issuer="Bộ Khoa học và Công nghệ",
        date="2025-02-20",
        implements=("nq03", "nq57"),
        cite_as="Quyết định 345/QĐ-BKHCN",
    ),
    "cv-btttt.txt": dict(
        id="cv1234",
        short="1234/BTTTT-KHTC",
        kind="Công văn",
        issuer="Bộ Thông tin và Truyền thông",
        date="2025-04-05",
        implements=("nq57", "kh01"),
        cite_as="Công văn 1234/BTTTT-KHTC",
    ),
    "ct-ttg.txt": dict(
        id="ct07",
        short="07/CT-TTg",
        kind="Chỉ thị",
        issuer="Thủ tướng Chính phủ",
        date="2025-03-14",
        implements=("nq57", "nq03"),
        cite_as="Chỉ thị 07/CT-TTg",
    ),
    "tt-bkhcn.txt": dict(
        id="tt15-2025",
        short="15/2025/TT-BKHCN",
        kind="Thông tư",
        issuer="Bộ Khoa học và Công nghệ",
        date="2025-06-30",
        implements=("nq57",),
        cite_as="Thông tư 15/2025/TT-BKHCN",
    ),
    "kh-kem-qd-so-khcn.txt": dict(
        id="kh88",
        short="88/QĐ-SKHCN",
        kind="Kế hoạch",
        issuer="Sở Khoa học và Công nghệ tỉnh Nghệ An",
        date="2025-02-10",
        implements=("nq57",),
        cite_as="Kế hoạch kèm theo Quyết định 88/QĐ-SKHCN",
    ),
}


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_header_of_another_kind(name):
    entry = _propose(HEADERS / name, CATALOG).entry
    assert {k: getattr(entry, k) for k in SYNTHETIC[name]} == SYNTHETIC[name]
    assert entry.authority == "official"


def test_title_and_aliases_follow_the_catalog_conventions():
    p = _propose(HEADERS / "kh-ubnd-bac-ninh.txt", CATALOG)
    assert p.entry.title.startswith(
        "Kế hoạch số 12/KH-UBND ngày 15/03/2025 của Ủy ban nhân dân tỉnh Bắc Ninh thực hiện Nghị quyết"
    )
    assert {"KH 12/KH-UBND", "Kế hoạch 12", "KH 12", "KH12", "Kế hoạch số 12"} <= set(p.entry.aliases)
    text = p.describe()
    assert "số hiệu: 12/KH-UBND — dòng “Số: 12/KH-UBND”" in text and "Bắc Ninh, ngày 15 tháng 3 năm 2025" in text


def test_ids_and_aliases_stay_clear_of_other_documents():
    """kh01 proposed again beside its own entry: a new id, and its numbered aliases dropped."""
    p = _propose(SOURCES / "kh-01-bcdtw.txt", CATALOG)
    assert p.entry.id == "kh01-bcdtw"
    assert "Kế hoạch 01" in p.dropped_aliases and "Kế hoạch 01" not in p.entry.aliases


def test_truecase_uses_the_documents_own_spelling():
    text = "Giao Ủy ban nhân dân tỉnh Bắc Ninh và Bộ Khoa học và Công nghệ phối hợp; khoa học phát triển."
    assert truecase("ỦY BAN NHÂN DÂN TỈNH BẮC NINH", text) == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert truecase("BỘ KHOA HỌC VÀ CÔNG NGHỆ", text) == "Bộ Khoa học và Công nghệ"
    assert truecase("HỘI NGHỊ KHOÁ XI", "") == "Hội nghị khoá XI"


def test_every_kind_is_recognized_by_the_patterns():
    rules = load_rules("header")
    for kind in header_tables().kinds:
        assert rules.pattern("doc_ref").match(f"{kind} số 12/KH-UBND"), kind
        assert rules.pattern("kind_heading").match(kind.upper()), kind
    assert set(header_tables().kind_codes.values()) <= set(header_tables().kinds)


def test_appended_entry_keeps_the_catalog_file_and_reads_back(tmp_path):
    path = tmp_path / "catalog.toml"
    shutil.copyfile(DATA / "catalog.toml", path)
    before = path.read_text("utf-8")
    entry = _propose(HEADERS / "ct-ttg.txt", CATALOG).entry
    append_entries(path, [entry])
    after = path.read_text("utf-8")
    assert after.startswith(before)  # comments, order and layout untouched
    assert "\n\n[[document]]\n# Đề xuất tự động" in after[len(before) - 1 :]
    assert Catalog.load(path).by_id("ct07") == entry
    with pytest.raises(BadInputError, match="đã có văn bản mã 'ct07'"):
        append_entries(path, [entry])
    assert path.read_text("utf-8") == after


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder with one seed source and a copy of the catalog, for the CLI."""
    (tmp_path / "sources").mkdir()
    shutil.copyfile(SOURCES / "kh-vhl.txt", tmp_path / "sources" / "kh-vhl.txt")
    shutil.copyfile(DATA / "catalog.toml", tmp_path / "catalog.toml")
    shutil.copyfile(DATA / "calibration.json", tmp_path / "calibration.json")
    for name, value in (
        ("DATA_DIR", tmp_path),
        ("SOURCES_DIR", tmp_path / "sources"),
        ("CATALOG_PATH", tmp_path / "catalog.toml"),
        ("INDEX_DIR", tmp_path / "index"),
    ):
        monkeypatch.setenv(f"TROLY_{name}", str(value))
    return tmp_path


def test_cli_catalog_only_shows_the_entry_and_changes_nothing(data_dir, capsys):
    before = (data_dir / "catalog.toml").read_text("utf-8")
    assert main(["ingest", "--quiet", "--catalog-only", str(HEADERS / "kh-ubnd-bac-ninh.txt")]) == 0
    out = capsys.readouterr().out
    assert "Đề xuất mục danh mục cho kh-ubnd-bac-ninh.txt (mã kh12)" in out
    shown = tomllib.loads(out[out.index("[[document]]") :])["document"][0]
    assert shown["short"] == "12/KH-UBND" and shown["implements"] == ["nq57", "nq03"]
    assert (data_dir / "catalog.toml").read_text("utf-8") == before
    assert not (data_dir / "index").exists() and not (data_dir / "sources" / "kh-ubnd-bac-ninh.txt").exists()


def test_cli_ingest_writes_the_entry_and_the_document_is_cited_by_it(data_dir, capsys):
    assert main(["ingest", "--quiet", str(HEADERS / "kh-ubnd-bac-ninh.txt")]) == 0
    out = capsys.readouterr().out
    assert "Đã ghi 1 mục mới vào" in out
    catalog = Catalog.load(data_dir / "catalog.toml")
    assert catalog.by_id("kh12").issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert main(["search", "--json", "-k", "3", "cơ chế thử nghiệm có kiểm soát trên địa bàn tỉnh Bắc Ninh"]) == 0
    top = __import__("json").loads(capsys.readouterr().out)["results"][0]
    assert (top["doc_id"], top["clause"]) == ("kh12", "II.1")
    assert top["label"] == "Kế hoạch 12/KH-UBND, Mục II, điểm 1"
    # ingesting it again finds it listed: no second proposal, no second entry
    assert main(["ingest", "--quiet", str(HEADERS / "kh-ubnd-bac-ninh.txt")]) == 0
    assert "Đề xuất" not in capsys.readouterr().out
    assert (data_dir / "catalog.toml").read_text("utf-8").count('id = "kh12"') == 1


def test_cli_refused_file_leaves_the_catalog_alone(data_dir, capsys):
    empty = data_dir / "trong.txt"
    empty.write_text("", "utf-8")
    before = (data_dir / "catalog.toml").read_text("utf-8")
    assert main(["ingest", "--quiet", str(empty)]) == 2
    assert "tệp rỗng" in capsys.readouterr().err
    assert (data_dir / "catalog.toml").read_text("utf-8") == before
