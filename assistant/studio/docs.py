"""Briefings and quizzes as documents: Markdown, DOCX (python-docx, with a table of contents)
and PPTX slides (python-pptx, one slide per sub-section, the quotes and their labels in
the speaker notes). Every line is followed by its clause label; a line that is not itself
the quote carries the quote too."""

from __future__ import annotations

import io
from pathlib import Path

from .errors import unsupported
from .outline import task_line
from .types import Cite, Outline, OutlineLine, Quiz

LETTERS = "ABCDEFGH"
SLIDE_POINTS = 7  # bullets per slide; more go on a continuation slide
SLIDE_CHARS = 180


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>").replace("*", "\\*")


def cite_text(cite: Cite, line: str = "") -> str:
    """'[label]' or '[label] “quote”' when the line is not the quote itself."""
    return f"[{cite.label}]" if line == cite.quote else f"[{cite.label}] “{cite.quote}”"


def _target_line(t) -> str:
    year = f" (năm {t.year})" if t.year else ""
    return f"{t.indicator}: {t.value}{year}"


# -- Markdown ----------------------------------------------------------------------------
def outline_md(o: Outline) -> str:
    lines = [
        f"# {_md(o.title.text)}",
        "",
        f"*{_md(o.doc_short)} {o.clause} — {cite_text(o.title.cite, o.title.text)}*",
        "",
    ]
    if o.breadcrumb:
        lines += ["> " + _md(" › ".join(o.breadcrumb)), ""]
    for s in o.sections:
        lines += [f"## {_md(s.heading.text)}", "", f"*{_md(cite_text(s.heading.cite, s.heading.text))}*", ""]
        for p in s.points:
            lines.append(f"{'  ' * p.level}- {_md(p.text)} — *{_md(cite_text(p.cite, p.text))}*")
        lines.append("")
    if o.targets:
        lines += ["## Chỉ tiêu", ""]
        lines += [f"- {_md(_target_line(t))} — *{_md(cite_text(t.cite))}*" for t in o.targets]
        lines.append("")
    if o.tasks:
        lines += ["## Trách nhiệm thực hiện", ""]
        lines += [f"- {_md(task_line(t))} — *{_md(cite_text(t.cite))}*" for t in o.tasks]
        lines.append("")
    return "\n".join(lines)


def quiz_md(q: Quiz) -> str:
    lines = [f"# Câu hỏi ôn tập: {_md(q.title)}", "", f"*{_md(q.doc_short)} {q.clause} — {len(q.questions)} câu*", ""]
    for i, x in enumerate(q.questions, 1):
        lines += [f"**Câu {i}.** {_md(x.stem)}", ""]
        lines += [f"- {LETTERS[j]}. {_md(o)}" for j, o in enumerate(x.options)]
        lines.append("")
    lines += ["## Đáp án", ""]
    for i, x in enumerate(q.questions, 1):
        key = f"{LETTERS[x.answer]}. " if x.answer >= 0 else ""
        lines.append(f"{i}. {key}{_md(x.correct)} — *{_md(cite_text(x.cite))}*")
    return "\n".join(lines) + "\n"


# -- DOCX --------------------------------------------------------------------------------
def _toc(doc, headings: list[str]) -> None:
    """A Word table-of-contents field, pre-filled with the headings so that it reads right
    before Word refreshes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.add_paragraph("Mục lục", style="TOC Heading" if "TOC Heading" in [s.name for s in doc.styles] else None)
    first = doc.add_paragraph()

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run = first.add_run()
        run._r.append(el)

    fld("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    first.add_run()._r.append(instr)
    fld("separate")
    first.add_run(headings[0] if headings else "")
    for h in headings[1:]:
        doc.add_paragraph(h)
    end = doc.add_paragraph()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    end.add_run()._r.append(el)


def _cited(doc, line: OutlineLine | str, cite: Cite, style: str | None = "List Bullet", level: int = 0):
    text = line.text if isinstance(line, OutlineLine) else line
    p = doc.add_paragraph(style=style if level == 0 or style is None else "List Bullet 2")
    p.add_run(text)
    r = p.add_run(f" — {cite_text(cite, text)}")
    r.italic = True
    return p


def outline_docx(o: Outline) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(o.title.text, 0)
    meta = doc.add_paragraph()
    meta.add_run(f"{o.doc_short} {o.clause} — {cite_text(o.title.cite, o.title.text)}").italic = True
    headings = (
        [s.heading.text for s in o.sections]
        + (["Chỉ tiêu"] if o.targets else [])
        + (["Trách nhiệm thực hiện"] if o.tasks else [])
    )
    _toc(doc, headings)
    for s in o.sections:
        doc.add_heading(s.heading.text, 1)
        doc.add_paragraph().add_run(cite_text(s.heading.cite, s.heading.text)).italic = True
        for p in s.points:
            _cited(doc, p, p.cite, level=p.level)
    if o.targets:
        doc.add_heading("Chỉ tiêu", 1)
        for t in o.targets:
            _cited(doc, _target_line(t), t.cite)
    if o.tasks:
        doc.add_heading("Trách nhiệm thực hiện", 1)
        for task in o.tasks:
            _cited(doc, task_line(task), task.cite)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def quiz_docx(q: Quiz) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(f"Câu hỏi ôn tập: {q.title}", 0)
    doc.add_paragraph(f"{q.doc_short} {q.clause} — {len(q.questions)} câu")
    for i, x in enumerate(q.questions, 1):
        p = doc.add_paragraph()
        p.add_run(f"Câu {i}. ").bold = True
        p.add_run(x.stem)
        for j, o in enumerate(x.options):
            doc.add_paragraph(f"{LETTERS[j]}. {o}", style="List Bullet")
    doc.add_page_break()
    doc.add_heading("Đáp án", 1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Câu", "Đáp án", "Điều khoản", "Trích dẫn")):
        cell.text = text
    for i, x in enumerate(q.questions, 1):
        key = f"{LETTERS[x.answer]}. " if x.answer >= 0 else ""
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = str(i), key + x.correct, x.cite.label, f"“{x.cite.quote}”"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- PPTX --------------------------------------------------------------------------------
def _short(text: str) -> str:
    return text if len(text) <= SLIDE_CHARS else text[: SLIDE_CHARS - 1].rstrip() + "…"


def _slide(prs, title: str, lines: list[tuple[str, int, Cite]]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = _short(title)
    body = slide.placeholders[1].text_frame
    body.clear()
    for i, (text, level, _) in enumerate(lines):
        para = body.paragraphs[0] if i == 0 else body.add_paragraph()
        para.text, para.level = _short(text), level
    notes = slide.notes_slide.notes_text_frame
    notes.text = "\n".join(f"{cite.label}: “{cite.quote}”" for _, _, cite in lines)


def outline_pptx(o: Outline) -> bytes:
    from pptx import Presentation
    from pptx.util import Pt

    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = _short(o.title.text)
    title.placeholders[1].text = f"{o.doc_short} {o.clause}" + (f"\n{' › '.join(o.breadcrumb)}" if o.breadcrumb else "")
    title.notes_slide.notes_text_frame.text = f"{o.title.cite.label}: “{o.title.cite.quote}”"
    for s in o.sections:
        lines = [(p.text, p.level, p.cite) for p in s.points] or [(s.heading.text, 0, s.heading.cite)]
        for start in range(0, len(lines), SLIDE_POINTS):
            head = s.heading.text if start == 0 else f"{s.heading.text} (tiếp)"
            _slide(prs, head, lines[start : start + SLIDE_POINTS])
    if o.targets:
        lines = [(_target_line(t), 0, t.cite) for t in o.targets]
        for start in range(0, len(lines), SLIDE_POINTS):
            _slide(prs, "Chỉ tiêu" if start == 0 else "Chỉ tiêu (tiếp)", lines[start : start + SLIDE_POINTS])
    if o.tasks:
        lines = [(task_line(t), 0, t.cite) for t in o.tasks]
        for start in range(0, len(lines), SLIDE_POINTS):
            _slide(
                prs,
                "Trách nhiệm thực hiện" if start == 0 else "Trách nhiệm thực hiện (tiếp)",
                lines[start : start + SLIDE_POINTS],
            )
    for slide in prs.slides:
        for shape in slide.placeholders:
            for para in shape.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(28 if shape.placeholder_format.idx == 0 else 16)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def save_outline(path: Path, o: Outline) -> None:
    ext = path.suffix.lower()
    if ext == ".md":
        path.write_text(outline_md(o), "utf-8")
    elif ext == ".docx":
        path.write_bytes(outline_docx(o))
    elif ext == ".pptx":
        path.write_bytes(outline_pptx(o))
    else:
        raise unsupported(path, (".md", ".docx", ".pptx"))


def save_quiz(path: Path, q: Quiz) -> None:
    from .gift import quiz_gift

    ext = path.suffix.lower()
    if ext == ".md":
        path.write_text(quiz_md(q), "utf-8")
    elif ext == ".docx":
        path.write_bytes(quiz_docx(q))
    elif ext in (".gift", ".txt"):
        path.write_text(quiz_gift(q), "utf-8")
    else:
        raise unsupported(path, (".gift", ".docx", ".md"))
