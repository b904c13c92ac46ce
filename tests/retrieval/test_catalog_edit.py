"""Editing the catalog file with tomlkit: an entry removed takes only its own lines (and the
comment written just above it), an entry updated changes only the lines of the fields that
changed, everything else (comments, order, layout) stays byte for byte; the checks on an
entry a user edited in the upload page."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from assistant.intake import check_entry, differences
from retrieval.catalog import Catalog
from retrieval.catalog_edit import remove_entry, restore, snapshot, update_entry
from retrieval.errors import BadInputError
from tests.support.corpus import DATA

SAMPLE = """# The catalog.
# authority: official | secondary | commentary

[[document]]
id = "a"
file = "a.md"
short = "A"  # the short name
title = "Văn bản A"
issuer = ""
date = ""
kind = "Tài liệu"
authority = "secondary"
cite_as = "Tài liệu A"

# B came from the seed file; keep it first among the plans
[[document]]
id = "b"
file = "b.md"
short = "B"
title = "Văn bản B"
issuer = ""
date = ""
kind = "Tài liệu"
authority = "secondary"
cite_as = "Tài liệu B"
aliases = ["bê"]

[[document]]
id = "c"
file = "c.md"
short = "C"
title = "Văn bản C"
issuer = ""
date = ""
kind = "Tài liệu"
authority = "secondary"
cite_as = "Tài liệu C"
"""


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text(SAMPLE, "utf-8")
    return path


def block(text: str, doc_id: str) -> str:
    start = text.index(f'[[document]]\nid = "{doc_id}"')
    end = text.find("[[document]]", start + 1)
    return text[start : end if end >= 0 else len(text)]


def test_removing_an_entry_takes_its_lines_and_the_comment_above_it(sample):
    assert remove_entry(sample, "b")
    assert sample.read_text("utf-8") == SAMPLE.replace(
        "# B came from the seed file; keep it first among the plans\n" + block(SAMPLE, "b"), ""
    )
    assert [d.id for d in Catalog.load(sample).documents] == ["a", "c"]


def test_removing_the_first_and_the_last_entries(sample):
    assert remove_entry(sample, "a")
    assert sample.read_text("utf-8").startswith("# The catalog.\n# authority: official | secondary | commentary\n\n")
    assert remove_entry(sample, "c")
    text = sample.read_text("utf-8")
    assert text.endswith('aliases = ["bê"]\n') and [d.id for d in Catalog.load(sample).documents] == ["b"]
    assert not remove_entry(sample, "c")  # no such id: the file is left alone
    assert sample.read_text("utf-8") == text


def test_every_entry_of_the_real_catalog_can_be_removed_alone(tmp_path):
    """Each removal leaves exactly the other entries, equal field for field, in order."""
    original = Catalog.load(DATA / "catalog.toml")
    for doc in original.documents:
        path = tmp_path / "catalog.toml"
        shutil.copyfile(DATA / "catalog.toml", path)
        assert remove_entry(path, doc.id)
        assert Catalog.load(path).documents == [d for d in original.documents if d.id != doc.id]
        assert path.read_text("utf-8").startswith((DATA / "catalog.toml").read_text("utf-8")[:200])


def test_updating_an_entry_rewrites_only_the_fields_that_changed(sample):
    b = Catalog.load(sample).by_id("b")
    changed = update_entry(sample, "b", replace(b, date="2025-04-20", aliases=(), implements=("a",)))
    assert changed == ["date", "aliases", "implements"]
    text = sample.read_text("utf-8")
    assert (
        text.replace('date = "2025-04-20"', 'date = ""').replace('implements = ["a"]\n', 'aliases = ["bê"]\n') == SAMPLE
    )
    assert block(text, "a") == block(SAMPLE, "a") and block(text, "c") == block(SAMPLE, "c")
    a = Catalog.load(sample).by_id("a")
    assert update_entry(sample, "a", replace(a, short="A mới")) == ["short"]
    assert 'short = "A mới"  # the short name' in sample.read_text("utf-8")  # the line's comment stays
    assert update_entry(sample, "a", replace(a, short="A mới")) == []


def test_an_update_cannot_take_another_entrys_id_or_file(sample):
    b = Catalog.load(sample).by_id("b")
    with pytest.raises(BadInputError, match="đã có văn bản mã 'c'"):
        update_entry(sample, "b", replace(b, file="c.md"))
    with pytest.raises(BadInputError, match="không có văn bản mã 'x'"):
        update_entry(sample, "x", b)
    assert sample.read_text("utf-8") == SAMPLE


def test_snapshot_and_restore(sample, tmp_path):
    before = snapshot(sample)
    remove_entry(sample, "a")
    restore(sample, before)
    assert sample.read_text("utf-8") == SAMPLE
    missing = tmp_path / "none.toml"
    assert snapshot(missing) is None
    missing.write_text("x", "utf-8")
    restore(missing, None)
    assert not missing.exists()


CATALOG = Catalog.load(DATA / "catalog.toml")


def test_an_edited_entry_is_checked_for_what_would_break_lookups_and_labels():
    good = replace(
        CATALOG.by_id("kl69"),
        id="kh12",
        file="kh12.txt",
        short="12/KH-UBND",
        aliases=("KH 12",),
        implements=("nq57",),
        date="2025-03-15",
    )
    assert check_entry(good, CATALOG) == []
    cases = {
        "mã không được để trống": replace(good, id=""),
        "mã 'kh 12' chỉ gồm chữ không dấu": replace(good, id="kh 12"),
        "mã 'nq57' đã là mã của văn bản khác": replace(good, id="nq57"),
        "tệp nq-57-tw.md đã thuộc văn bản khác": replace(good, file="nq-57-tw.md"),
        "ngày ban hành '15/03/2025' phải có dạng": replace(good, date="15/03/2025"),
        "ngày ban hành '2025-02-30'": replace(good, date="2025-02-30"),
        "loại nguồn phải là một trong": replace(good, authority="chính thức"),
        "tên '57-NQ/TW' đã dùng cho văn bản 57-NQ/TW": replace(good, short="57-NQ/TW"),
        "tên 'NQ 57' đã dùng cho văn bản 57-NQ/TW": replace(good, aliases=("NQ 57",)),
        "'thực hiện / căn cứ' nêu mã 'nq99' không có trong danh mục": replace(good, implements=("nq99",)),
        "cách trích dẫn không được để trống": replace(good, cite_as=" "),
        "tiêu đề phải nằm trên một dòng": replace(good, title="a\nb"),
    }
    for expected, entry in cases.items():
        problems = check_entry(entry, CATALOG)
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert check_entry(replace(CATALOG.by_id("kl69"), date="2024"), CATALOG, keep="kl69") == []


def test_differences_name_only_what_the_new_header_tells_otherwise():
    kept = CATALOG.by_id("kl69")
    assert differences(kept, replace(kept, date="2024-02-01", issuer="", title="khác")) == [
        ("ngày ban hành", "2024-01-11", "2024-02-01")
    ]
