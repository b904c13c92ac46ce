"""HTML pieces for the Streamlit pages, kept free of Streamlit so they can be unit-tested.

Every string that comes from a document or a user goes through ``esc`` before it is
placed in HTML. The HTML is handed to ``st.markdown(..., unsafe_allow_html=True)``, which
parses Markdown first: the output never contains a raw newline, so the whole fragment
stays one raw HTML block and no Markdown syntax inside document text is interpreted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from retrieval.text import fold, fold_aligned, nfc
from retrieval.types import Chunk

from .settings import PROJECT_ROOT
from .types import AUTHORITIES, AUTHORITY_LABELS, Citation, Context

VIEWER_PAGE = "Van_ban"  # URL path of pages/1_Van_ban.py
FAVICON = str(PROJECT_ROOT / "assets" / "favicon.png")  # shipped: no icon is fetched from outside

AUTHORITY = {a: (AUTHORITY_LABELS[a], a) for a in AUTHORITIES}  # authority -> (badge text, CSS class)

STARTER_QUESTIONS = [
    "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?",
    "Nghị quyết 57 đặt ra những quan điểm chỉ đạo nào?",
    "Chương trình hành động 03/NQ-CP giao những nhiệm vụ gì về chuyển đổi số?",
    "Kế hoạch 01-KH/BCĐTW đặt ra chỉ tiêu gì về kinh tế số?",
]

CSS = """<style>
.troly-answer p{margin:0 0 .4rem 0}
.troly-answer ul{margin:0 0 .4rem 1.2rem}
a.troly-marker{font-weight:600;text-decoration:none;padding:0 .1rem}
.troly-card{border:1px solid rgba(128,128,128,.35);border-radius:.5rem;padding:.6rem .8rem;margin:.4rem 0}
.troly-card-head{font-weight:600;margin-bottom:.3rem}
.troly-card-text{font-size:.92rem;line-height:1.45}
.troly-card-foot{font-size:.85rem;margin-top:.35rem}
.troly-card mark,.troly-doc mark,.troly-clause mark{background:#fff3a3;color:inherit;padding:0 .1rem}
.troly-badge{display:inline-block;font-size:.72rem;font-weight:600;border-radius:.6rem;padding:.05rem .5rem;
  margin-left:.4rem;vertical-align:middle}
.troly-badge.official{background:#d8f0dc;color:#1b5e20}
.troly-badge.secondary{background:#fff1cc;color:#7a5200}
.troly-badge.commentary{background:#ececec;color:#424242}
.troly-toc details{margin-left:.8rem}
.troly-toc summary,.troly-toc .leaf{font-size:.9rem;padding:.05rem 0}
.troly-toc .leaf{margin-left:1.9rem}
.troly-toc a.cur{font-weight:700}
.troly-doc .seg{padding:.15rem .3rem;border-radius:.3rem;scroll-margin-top:4rem}
.troly-doc .seg.current{background:rgba(255,214,0,.18);border-left:3px solid #f0b400}
.troly-doc .path{font-size:.75rem;opacity:.6;margin-right:.4rem;text-decoration:none}
.troly-clause{border-left:4px solid #f0b400;padding:.5rem .8rem;margin:.5rem 0;background:rgba(255,214,0,.08)}
.troly-answer p.troly-direct{font-weight:600}
.troly-answer details.troly-more summary{cursor:pointer;font-size:.92rem;margin:.2rem 0 .4rem 0}
.troly-doc mark.quote,.troly-clause mark.quote{background:#ffd54f}
</style>"""


def esc(text: str) -> str:
    """HTML-escape text and turn line breaks into <br> (no raw line end survives: a lone
    \r is a line end to Markdown too, and would end the raw HTML block)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=True).replace("\n", "<br>")


def badge(authority: str) -> str:
    """The authority badge: chính thức / thứ cấp / bình luận."""
    text, css = AUTHORITY.get(authority, (authority or "không rõ", "commentary"))
    return f'<span class="troly-badge {css}">{esc(text)}</span>'


def viewer_url(
    doc_id: str,
    clause: str = "",
    conversation: str = "",
    query: str = "",
    base: str = "",
    quote: tuple[str, int, int] | None = None,
) -> str:
    """Link to the document viewer (?doc=nq57&clause=III.2): relative inside the app,
    absolute when base (the app's address) is given, for a link shared or exported.
    quote = (chunk id, start, end) asks the viewer to mark the quoted sentence."""
    params = {"doc": doc_id}
    if clause:
        params["clause"] = clause
    if quote:
        params["doan"] = quote[0]
        params["hl"] = f"{quote[1]}-{quote[2]}"
    if query:
        params["q"] = query
    if conversation:
        params["c"] = conversation
    return f"{base}{VIEWER_PAGE}?{urlencode(params)}"


def citation_url(c: Citation, conversation: str = "", base: str = "") -> str:
    """The viewer link of a citation, marking its quote."""
    return viewer_url(
        c.doc_id,
        c.clause,
        conversation,
        base=base,
        quote=(c.chunk_id, c.quote_start, c.quote_start + len(c.quote)) if c.quote else None,
    )


def base_url(page_url: str | None, fallback: str = "http://localhost:8501/") -> str:
    """The app's address ending in "/", from the page's URL in the browser
    (st.context.url: "http://host:8501/Van_ban" → "http://host:8501/")."""
    if not page_url:
        return fallback if fallback.endswith("/") else fallback + "/"
    url = page_url.split("?", 1)[0].split("#", 1)[0]
    if url.rstrip("/").endswith("/" + VIEWER_PAGE):
        url = url.rstrip("/")[: -len(VIEWER_PAGE)]
    return url if url.endswith("/") else url + "/"


def anchor_id(chunk_id: str) -> str:
    """A DOM id for a chunk (chunk ids hold ':' '#' '.' which CSS selectors dislike)."""
    return "c-" + re.sub(r"[^0-9A-Za-z_-]", "_", chunk_id)


def highlight(text: str, start: int, length: int) -> str:
    """Escaped text with text[start:start+length] wrapped in <mark>."""
    if length <= 0 or start < 0 or start + length > len(text):
        return esc(text)
    end = start + length
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def highlight_quote(text: str, quote: str, start: int) -> str:
    """Highlight a citation's quote; trusts quote_start only when it really points at it."""
    if quote and text[start : start + len(quote)] != quote:
        start = text.find(quote)
    return highlight(text, start, len(quote)) if quote and start >= 0 else esc(text)


def term_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where query occurs in text, case- and accent-insensitively ("kinh te so" finds
    "kinh tế số"); when the phrase does not occur, each of its words (2+ letters)."""
    query = " ".join((query or "").split())
    if not query:
        return []
    folded = fold_aligned(nfc(text)) if text == nfc(text) else fold_aligned(text)
    phrase = r"\s+".join(re.escape(w) for w in fold(query).split())
    spans = [m.span() for m in re.finditer(rf"(?<!\w){phrase}(?!\w)", folded)]
    if not spans:
        words = [w for w in fold(query).split() if len(w) >= 2]
        spans = sorted(m.span() for w in words for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", folded))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def mark_spans(text: str, spans: Sequence[tuple[int, int]], quote: tuple[int, int] | None = None) -> str:
    """Escaped text with the given spans wrapped in <mark>, and the quote span (the cited
    sentence) in <mark class="quote">, which wins where they overlap."""
    marks = [(a, b, "") for a, b in spans if not (quote and a < quote[1] and b > quote[0])]
    if quote and 0 <= quote[0] < quote[1] <= len(text):
        marks.append((quote[0], quote[1], ' class="quote"'))
    parts, last = [], 0
    for a, b, cls in sorted(marks):
        if a < last or b > len(text) or a >= b:
            continue
        parts.append(esc(text[last:a]) + f"<mark{cls}>" + esc(text[a:b]) + "</mark>")
        last = b
    return "".join(parts) + esc(text[last:])


def parse_quote(doan: str, hl: str) -> tuple[str, int, int] | None:
    """The (chunk id, start, end) of the ?doan=…&hl=start-end parameters, or None."""
    m = re.fullmatch(r"(\d{1,6})-(\d{1,6})", (hl or "").strip())
    if not doan or not m or int(m.group(1)) >= int(m.group(2)):
        return None
    return doan, int(m.group(1)), int(m.group(2))


def _quote_in(chunk: Chunk, quote: tuple[str, int, int] | None) -> tuple[int, int] | None:
    return (quote[1], quote[2]) if quote and quote[0] == chunk.id else None


def highlight_terms(text: str, query: str) -> str:
    """Escaped text with every occurrence of query marked, accents and case ignored."""
    return mark_spans(text, term_spans(text, query))


def link_markers(escaped: str, citations: Sequence[Citation], conversation: str = "") -> str:
    """Turn [n] markers of already escaped text into links to the cited clause."""
    by_marker = {c.marker: c for c in citations}

    def link(m: re.Match) -> str:
        c = by_marker.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        href = esc(citation_url(c, conversation))
        return (
            f'<a class="troly-marker" href="{href}" target="_blank" rel="noopener" '
            f'title="{esc(c.label)}">[{c.marker}]</a>'
        )

    return re.sub(r"\[(\d+)\]", link, escaped)


FOLD_AFTER = 8  # list items shown before the rest of a long list is folded


def answer_html(
    text: str, citations: Sequence[Citation] = (), conversation: str = "", fold_after: int = FOLD_AFTER
) -> str:
    """An answer as HTML: paragraphs, '- ' lines as a list, [n] markers as links. The
    first statement (the direct answer) stands out; a long list shows its first items
    and folds the rest under "Xem thêm"."""
    blocks: list[str] = []
    items: list[str] = []
    shown_items, direct_done = 0, False
    folded: list[str] = []

    def flush() -> None:
        nonlocal items
        if items:
            (folded if folded_started() else blocks).append("<ul>" + "".join(items) + "</ul>")
            items = []

    def folded_started() -> bool:
        return shown_items > fold_after

    lines = (text or "").splitlines()
    total_items = sum(1 for line in lines if line.lstrip().startswith("- "))
    for line in lines:
        if line.lstrip().startswith("- "):
            if total_items > fold_after + 2 and shown_items == fold_after:
                flush()
            shown_items += 1
            items.append("<li>" + link_markers(esc(line.lstrip()[2:]), citations, conversation) + "</li>")
            continue
        flush()
        if line.strip():
            statement = bool(re.search(r"\[\d+\]\s*$", line)) and not direct_done
            cls = ' class="troly-direct"' if statement else ""
            direct_done = direct_done or statement
            (folded if folded_started() else blocks).append(
                f"<p{cls}>" + link_markers(esc(line), citations, conversation) + "</p>"
            )
    flush()
    if folded:
        more = total_items - fold_after
        blocks.append(f'<details class="troly-more"><summary>Xem thêm {more} mục</summary>{"".join(folded)}</details>')
    return '<div class="troly-answer">' + "".join(blocks) + "</div>"


def refusal_text(text: str) -> str:
    """What a refusal shows above its nearest-clause cards: its sentence, not the list of
    clauses again (the JSON answer keeps both)."""
    head = []
    for line in (text or "").splitlines():
        if line.lstrip().startswith("- "):
            break
        head.append(line)
    return "\n".join(head).strip().rstrip(":").rstrip() + ("." if head and head[-1].rstrip().endswith(":") else "")


def details_line(answer) -> str:
    """The evaluators' line under an answer: time, the backends, the standalone question."""
    backend, total = answer.backend, answer.timings_ms.get("total", 0.0)
    line = f"{total:.0f} ms · trả lời: {backend.get('generator', '')} · tìm kiếm: {backend.get('embedder', '')}"
    if answer.standalone_question and answer.standalone_question != answer.question:
        line += f" · câu hỏi đầy đủ: {answer.standalone_question}"
    return line


def plain_html(text: str) -> str:
    """User text shown exactly as typed (escaped, line breaks kept)."""
    return '<div class="troly-user">' + esc(text) + "</div>"


def _card(head: str, body: str, href: str, anchor: str = "") -> str:
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return (
        f'<div class="troly-card"{ident}><div class="troly-card-head">{head}</div>'
        f'<div class="troly-card-text">{body}</div><div class="troly-card-foot">'
        f'<a href="{esc(href)}" target="_blank" rel="noopener">Mở điều khoản trong văn bản ↗</a></div></div>'
    )


def citation_card_html(c: Citation, conversation: str = "") -> str:
    """A citation card: [n] label, authority badge, clause text with the quote marked."""
    head = f"[{c.marker}] {esc(c.label)}{badge(c.authority)}"
    body = highlight_quote(c.text, c.quote, c.quote_start)
    return _card(head, body, citation_url(c, conversation), f"cite-{c.marker}")


def context_card_html(ctx: Context, conversation: str = "", limit: int = 600) -> str:
    """A nearest clause shown under an abstained answer (text shortened to limit)."""
    text = ctx.text if len(ctx.text) <= limit else ctx.text[: limit - 1].rstrip() + "…"
    head = f"{esc(ctx.label)}{badge(ctx.authority)}"
    return _card(head, esc(text), viewer_url(ctx.doc_id, ctx.clause, conversation))


# -- document viewer ------------------------------------------------------------------


def heading(chunk: Chunk, limit: int = 90) -> str:
    """A short title for a chunk in the table of contents: its first line."""
    first = (chunk.text.strip().splitlines() or [chunk.path])[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def toc_html(chunks: Sequence[Chunk], current: str = "") -> str:
    """The table of contents as a tree of <details> (no script); links jump to anchors.
    The parts of a split clause appear once; branches on the way to current are open."""
    firsts = [c for c in chunks if c.part <= 1]
    kids: dict[str, list[Chunk]] = {}
    ids = {c.id for c in firsts}
    for c in firsts:
        kids.setdefault(c.parent_id if c.parent_id in ids else "", []).append(c)

    def node(c: Chunk) -> str:
        cls = ' class="cur"' if current and c.path == current else ""
        link = f'<a href="#{anchor_id(c.id)}"{cls} title="{esc(c.label)}">{esc(heading(c))}</a>'
        children = kids.get(c.id, [])
        if not children:
            return f'<div class="leaf">{link}</div>'
        on_the_way = current and (current == c.path or current.startswith(c.path + "."))
        is_open = " open" if on_the_way or c.kind == "title" else ""  # a part's title holds its sections
        return f"<details{is_open}><summary>{link}</summary>{''.join(node(k) for k in children)}</details>"

    return '<div class="troly-toc">' + "".join(node(c) for c in kids.get("", [])) + "</div>"


def document_html(
    chunks: Sequence[Chunk], doc_id: str, current: str = "", query: str = "", quote: tuple[str, int, int] | None = None
) -> str:
    """The whole document, one anchored segment per chunk, in document order; segments of
    the current clause are marked, occurrences of query highlighted, the quoted sentence
    of a citation marked. A chunk lying inside the previous one (a table row inside its
    table) only contributes its anchor."""
    segs, end = [], 0
    for c in chunks:
        anchor = f'id="{anchor_id(c.id)}"'
        if c.start < end:
            segs.append(f"<span {anchor}></span>")
            continue
        end = c.end
        mine = current and (c.path == current or c.path.startswith(current + "."))
        share = esc(viewer_url(doc_id, c.path))
        segs.append(
            f'<div {anchor} class="seg{" current" if mine else ""}">'
            f'<a class="path" href="{share}" target="_self" title="{esc(c.label)}">§ {esc(c.path)}</a>'
            f"{mark_spans(c.text, term_spans(c.text, query), _quote_in(c, quote))}</div>"
        )
    return '<div class="troly-doc">' + "".join(segs) + "</div>"


def clause_html(chunks: Iterable[Chunk], query: str = "", quote: tuple[str, int, int] | None = None) -> str:
    """A selected clause (its chunks and sub-items) in a highlighted box, the quoted
    sentence of a citation marked."""
    parts, end = [], 0
    for c in chunks:
        if c.start >= end:  # skip a row already shown inside its table
            parts.append(mark_spans(c.text, term_spans(c.text, query), _quote_in(c, quote)))
            end = c.end
    body = "<br>".join(parts)
    return f'<div class="troly-clause">{body}</div>'


# -- sidebar text ---------------------------------------------------------------------

OFFLINE_GENERATORS = ("extractive", "offline", "default")


def backend_summary(view: dict) -> tuple[str, str]:
    """(generator, embedder) in words, from Settings.public_view() (which holds no secret)."""
    endpoint = view.get("openai_base_url") or "OpenAI"
    gen = str(view.get("generator", ""))
    generator = (
        "trích xuất từ văn bản (ngoại tuyến)"
        if gen in OFFLINE_GENERATORS
        else f"{gen}: {view.get('chat_model')} qua {endpoint}"
    )
    emb = str(view.get("embedder", ""))
    embedder = "hashing (ngoại tuyến)" if emb == "hashing" else f"{emb}: {view.get('embedding_model')} qua {endpoint}"
    return generator, embedder
