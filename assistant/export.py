"""Export a conversation with its citations to Markdown or DOCX (for trainers preparing
awareness sessions). Every answer keeps its [n] markers; under it, each marker's label,
authority, the exact quote and the clause text."""

from __future__ import annotations

import io
import re
from datetime import datetime

from .feedback import ChatMessage, Conversation
from .types import Answer, authority_label

TITLE = "Trợ lý Nghị quyết — cuộc trò chuyện"


def _md(text: str) -> str:
    """Plain text made inert in Markdown viewers that render raw HTML."""
    return text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")


def _quote_block(text: str) -> str:
    return "\n".join("> " + _md(line) if line.strip() else ">" for line in text.splitlines())


def _subtitle(conv: Conversation) -> str:
    when = datetime.fromtimestamp(conv.created).strftime("%d/%m/%Y %H:%M") if conv.created else ""
    return f"Chủ đề: {conv.title}" + (f" · bắt đầu lúc {when}" if when else "")


def filename(conv: Conversation, ext: str) -> str:
    """A safe file name for the export: troly-<first words of the title>.<ext>."""
    stem = re.sub(r"[^\w]+", "-", conv.title.lower(), flags=re.UNICODE).strip("-")[:40] or conv.id
    return f"troly-{stem}.{ext}"


def _link(c, base: str) -> str:
    """The viewer link of a citation (absolute when base, the app's address, is given)."""
    from .ui_render import citation_url  # the viewer's URL scheme lives with the pages

    return citation_url(c, base=base)


def _citations_md(answer: Answer, base: str = "") -> list[str]:
    lines = []
    for c in answer.citations:
        authority = authority_label(c.authority)
        lines.append(
            f"- **[{c.marker}] {_md(c.label)}** ({authority}) — trích: “{_md(c.quote)}” "
            f"([mở điều khoản]({_link(c, base)}))"
        )
        lines.append("")
        lines.append(_quote_block(c.text))
        lines.append("")
    return lines


def _nearest_md(answer: Answer, limit: int = 3, base: str = "") -> list[str]:
    from .ui_render import viewer_url

    lines = ["**Điều khoản gần nhất:**", ""]
    for ctx in answer.contexts[:limit]:
        lines.append(
            f"- {_md(ctx.label)} ({authority_label(ctx.authority)}) "
            f"([mở điều khoản]({viewer_url(ctx.doc_id, ctx.clause, base=base)}))"
        )
    return lines + [""]


def _turn_md(msg: ChatMessage, base: str = "") -> list[str]:
    if msg.role == "user":
        return ["### Hỏi", "", _md(msg.content), ""]
    lines = ["### Trả lời", "", _md(msg.content), ""]
    if msg.answer is None:
        return lines
    if msg.answer.notice and msg.answer.notice not in msg.content:  # older answers kept it apart
        lines += [f"_{_md(msg.answer.notice)}_", ""]
    if msg.answer.citations:
        lines += ["**Trích dẫn:**", ""] + _citations_md(msg.answer, base)
    elif msg.answer.abstained and msg.answer.contexts:
        lines += _nearest_md(msg.answer, base=base)
    return lines


def to_markdown(conv: Conversation, base: str = "") -> str:
    """The conversation as Markdown, citations under each answer with their viewer links
    (absolute when base, the app's address, is given)."""
    lines = [f"# {TITLE}", "", _md(_subtitle(conv)), ""]
    for msg in conv.messages:
        lines += _turn_md(msg, base)
    return "\n".join(lines).rstrip() + "\n"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text Word can store (XML 1.0 forbids most control characters)."""
    return _XML_INVALID.sub("", text)


def _docx_citations(document, answer: Answer, base: str = "") -> None:
    document.add_paragraph("Trích dẫn:").runs[0].bold = True
    for c in answer.citations:
        p = document.add_paragraph(style="List Bullet")
        p.add_run(_x(f"[{c.marker}] {c.label}")).bold = True
        p.add_run(f" ({authority_label(c.authority)}) — trích: ")
        p.add_run(_x(f"“{c.quote}”")).italic = True
        document.add_paragraph(_x(c.text), style="Quote")
        document.add_paragraph("Mở điều khoản: " + _link(c, base))


def _docx_turn(document, msg: ChatMessage, base: str = "") -> None:
    document.add_heading("Hỏi" if msg.role == "user" else "Trả lời", level=2)
    for line in msg.content.splitlines() or [""]:
        document.add_paragraph(_x(line))
    answer = msg.answer
    if answer is None:
        return
    if answer.notice and answer.notice not in answer.answer:  # older answers kept it apart
        document.add_paragraph(_x(answer.notice)).runs[0].italic = True
    if answer.citations:
        _docx_citations(document, answer, base)
    elif answer.abstained:
        document.add_paragraph("Điều khoản gần nhất:").runs[0].bold = True
        for ctx in answer.contexts[:3]:
            document.add_paragraph(_x(f"{ctx.label} ({authority_label(ctx.authority)})"), style="List Bullet")


def to_docx(conv: Conversation, base: str = "") -> bytes:
    """The conversation as a Word document (python-docx), citations under each answer
    with their viewer links."""
    from docx import Document

    document = Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(_x(_subtitle(conv)))
    for msg in conv.messages:
        _docx_turn(document, msg, base)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
