"""Who does what on the real documents, and body names normalized."""

from __future__ import annotations

import pytest

from retrieval.errors import BadInputError
from tests.support.studio import assert_exact


def test_science_ministry_tasks_include_03_and_abbreviations_agree(studio):
    named, general = studio.roles("Bộ Khoa học và Công nghệ")
    again, _ = studio.roles("Bộ KH&CN")
    assert [t.cite.chunk_id for t in named] == [t.cite.chunk_id for t in again]
    by_clause = {(t.cite.doc_short, t.cite.clause): t for t in named}
    lead = by_clause[("03/NQ-CP", "III.4")]
    assert lead.role_of("Bộ Khoa học và Công nghệ") == "chủ trì"
    assert lead.lead == ["Bộ Khoa học và Công nghệ", "Bộ Thông tin và Truyền thông"]
    assert lead.coordinate == ["Các bộ, ngành, địa phương"]
    report = by_clause[("03/NQ-CP", "III.3")]
    assert report.role_of("Bộ Khoa học và Công nghệ") == "nhận báo cáo" and "15/06" in report.deadline
    assert general and all(t.general for t in general)  # tasks given to "các bộ, …"


def test_lead_coordinate_and_deadline_in_57(studio):
    tasks = {t.cite.clause: t for t in studio.roles()[0] if t.cite.doc_short == "57-NQ/TW"}
    assert tasks["IV.5"].lead == ["Ban Tuyên giáo Trung ương"] and tasks["IV.5"].coordinate == ["Các cơ quan liên quan"]
    assert tasks["IV.3"].deadline == "2025" and tasks["IV.3"].coordinate == ["Đảng đoàn Quốc hội"]
    assert tasks["IV.6"].lead == ["Văn phòng Trung ương Đảng"] and "Bộ Chính trị" in tasks["IV.6"].report_to


def test_items_take_the_bodies_of_the_clause_that_assigns_them(studio):
    tasks = {(t.cite.doc_short, t.cite.clause): t for t in studio.roles()[0]}
    item = tasks[("03/NQ-CP", "II.1.a")]
    assert item.general and "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ" in item.lead
    assert item.assigned_by is not None and "các nhiệm vụ sau đây" in item.assigned_by.quote
    heading = tasks[("01-KH/BCĐTW", "V.1.a.-1")]
    assert heading.lead == ["Thường trực Ban Chỉ đạo Trung ương"] and heading.assigned_by.clause == "V.1.a"


def test_a_name_the_document_defines_is_the_same_body(studio):
    tasks = [t for t in studio.roles()[0] if t.cite.doc_short == "116/QĐ-VHL" and t.cite.clause == "III.3"]
    assert tasks[0].report_to == ["Viện Hàn lâm Khoa học và Công nghệ Việt Nam"]  # "Viện Hàn lâm" in the text


def test_every_task_quotes_its_clause(studio, table):
    tasks = studio.roles()[0]
    assert len(tasks) >= 100
    for t in tasks:
        assert_exact(table, t.cite)
        assert [*t.lead, *t.coordinate, *t.report_to], t  # it names a body
        if t.assigned_by:
            assert_exact(table, t.assigned_by)


def test_an_unknown_body_is_a_clear_error(studio):
    with pytest.raises(BadInputError, match="không nhận ra cơ quan"):
        studio.roles("Bộ Không Tồn Tại Nào")
