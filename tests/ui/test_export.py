"""Conversation export to Markdown and DOCX, citations included."""

from __future__ import annotations

import io

from docx import Document

from assistant import export
from assistant.feedback import ChatMessage, Conversation
from assistant.types import Answer, Context

from .test_feedback import make_answer


def conversation() -> Conversation:
    abstained = Answer(
        "Giá vàng?",
        "Giá vàng?",
        "Các văn bản hiện có không nêu thông tin…",
        True,
        contexts=[
            Context(
                "kh01:I.2",
                "kh01",
                "01-KH/BCĐTW",
                "I.2",
                "Kế hoạch 01-KH/BCĐTW, Mục I, điểm 2",
                "2. Mục tiêu",
                0.1,
                "official",
            )
        ],
    )
    return Conversation(
        "abc123def",
        "Mục tiêu 2030?",
        created=1_735_000_000.0,
        messages=[
            ChatMessage("user", "Mục tiêu 2030? <script>alert(1)</script>"),
            ChatMessage("assistant", make_answer().answer, make_answer()),
            ChatMessage("user", "Giá vàng?"),
            ChatMessage("assistant", abstained.answer, abstained),
        ],
    )


def test_markdown_has_turns_and_citations():
    text = export.to_markdown(conversation())
    assert text.startswith("# Trợ lý Nghị quyết")
    assert "### Hỏi" in text and "### Trả lời" in text and "Đến năm 2030 [1]" in text
    assert "**[1] Nghị quyết 57-NQ/TW, Mục II, điểm 1** (chính thức) — trích: “Đến năm 2030”" in text
    assert "> 1. Đến năm 2030" in text
    assert "**Điều khoản gần nhất:**" in text and "Kế hoạch 01-KH/BCĐTW, Mục I, điểm 2 (chính thức)" in text


def test_markdown_makes_html_inert():
    text = export.to_markdown(conversation())
    assert "<script>" not in text and "\\<script\\>alert(1)\\</script\\>" in text


def test_docx_has_turns_and_citations():
    doc = Document(io.BytesIO(export.to_docx(conversation())))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "Trợ lý Nghị quyết — cuộc trò chuyện"
    assert "Mục tiêu 2030? <script>alert(1)</script>" in paragraphs
    assert "[1] Nghị quyết 57-NQ/TW, Mục II, điểm 1 (chính thức) — trích: “Đến năm 2030”" in paragraphs
    assert "1. Đến năm 2030" in paragraphs
    assert "Kế hoạch 01-KH/BCĐTW, Mục I, điểm 2 (chính thức)" in paragraphs


def test_docx_drops_characters_word_cannot_store():
    conv = Conversation("abc123def", "x", messages=[ChatMessage("user", "a\x00b\x01c")])
    doc = Document(io.BytesIO(export.to_docx(conv)))
    assert "abc" in [p.text for p in doc.paragraphs]


def test_file_names_are_safe():
    assert export.filename(conversation(), "md") == "troly-mục-tiêu-2030.md"
    assert export.filename(Conversation("abc123def", "../../etc"), "docx") == "troly-etc.docx"
    assert export.filename(Conversation("abc123def", "???"), "md") == "troly-abc123def.md"
