"""Section briefings on the real documents, and their DOCX/PPTX/Markdown exports."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from pptx import Presentation

from assistant.studio.docs import outline_docx, outline_md, outline_pptx
from retrieval.errors import BadInputError
from tests.support.studio import assert_exact


def test_57_iii3_holds_its_sub_points(studio, table):
    o = studio.outline("57-NQ/TW III.3")
    assert o.title.text.startswith("Tăng cường đầu tư, hoàn thiện hạ tầng")
    points = [p for s in o.sections for p in s.points]
    clauses = [p.cite.clause for p in points]
    children = sorted({c.path for c in table.chunks if c.doc_id == "nq57" and c.path.startswith("III.3.")})
    assert children and all(c in clauses for c in children)
    for line in o.lines():
        assert_exact(table, line.cite)
        assert line.text == line.cite.quote
    assert any(t.value == "ít nhất 15% ngân sách nhà nước" for t in o.targets)
    assert o.tasks, "the responsible bodies come from Tổ chức thực hiện when the section names none"


def test_sections_with_sub_sections_get_one_section_each(studio):
    o = studio.outline("57-NQ/TW III")
    assert [s.heading.cite.clause for s in o.sections[-7:]] == [f"III.{i}" for i in range(1, 8)]
    lone = studio.outline("03/NQ-CP III.4")
    assert lone.tasks and lone.tasks[0].lead[0] == "Bộ Khoa học và Công nghệ"


def test_docx_has_a_table_of_contents_and_the_citations(studio):
    o = studio.outline("57-NQ/TW III.3")
    data = outline_docx(o)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Nghị quyết 57-NQ/TW, Mục III, điểm 3, gạch đầu dòng thứ 1" in text
    assert "Phát triển hệ thống các trung tâm nghiên cứu" in text
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "TOC \\o" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def test_pptx_one_slide_per_sub_section_with_quotes_in_the_notes(studio):
    o = studio.outline("57-NQ/TW III")
    prs = Presentation(io.BytesIO(outline_pptx(o)))
    titles = [s.shapes.title.text for s in prs.slides]
    for sec in o.sections[-7:]:
        assert any(t.startswith(sec.heading.text[:40]) for t in titles), sec.heading.text
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    point = o.sections[-1].points[0] if o.sections[-1].points else o.sections[-1].heading
    assert f"{point.cite.label}: “{point.cite.quote}”" in notes


def test_markdown_cites_every_line(studio):
    o = studio.outline("03/NQ-CP II.1")
    md = outline_md(o)
    for line in o.lines():
        assert line.cite.label in md


def test_a_clause_that_does_not_exist_is_a_clear_error(studio):
    with pytest.raises(BadInputError, match="không tìm thấy điều khoản"):
        studio.outline("57-NQ/TW IX.9")
    with pytest.raises(BadInputError, match="không có văn bản"):
        studio.outline("99-NQ/TW I")
