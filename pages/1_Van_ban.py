"""Trợ lý Nghị quyết — the document viewer.

Reachable by URL so a citation link can be shared: ?doc=<id or short name>&clause=<path>
(e.g. ?doc=nq57&clause=III.2), optionally &doan=<chunk id>&hl=<start>-<end> (the quoted
sentence to mark), &q=<words to find, accents optional> and &c=<conversation id> (the
conversation the link came from, for the way back). Shows the table of contents as
a tree (sidebar), the selected clause, the whole text with one anchor per clause, and a search
inside the document.
"""

from __future__ import annotations

import re

import streamlit as st

from assistant import ui_render as ui
from assistant.errors import TrolyError
from ui_shell import fail, load_settings, open_assistant

st.set_page_config(page_title="Văn bản — Trợ lý Nghị quyết", page_icon=ui.FAVICON, layout="wide")
st.html(ui.CSS)


def shown(param: str) -> str:
    """A URL parameter safe to echo in Markdown (a shared link must not inject links)."""
    return re.sub(r"[^\w .,/-]", "", param or "")[:80]


def load_app():
    return open_assistant(load_settings())


def pick_document(stats):
    """The document named by ?doc= (id, short name or file name), else the first one."""
    docs = [s.doc for s in stats if s.chunks]
    raw = st.query_params.get("doc", "").strip()
    for doc in docs:
        if raw.casefold() in (doc.id.casefold(), doc.short.casefold(), doc.file.casefold()):
            return doc, docs
    if raw:
        st.warning(f"Không có văn bản '{shown(raw)}'; đang hiển thị văn bản đầu tiên.")
    return docs[0], docs


def change_document() -> None:
    st.query_params.clear()
    st.query_params["doc"] = st.session_state.viewer_doc
    if st.session_state.get("viewer_conv"):
        st.query_params["c"] = st.session_state.viewer_conv


def change_query() -> None:
    q = st.session_state.viewer_q.strip()
    if q:
        st.query_params["q"] = q
    else:
        st.query_params.pop("q", None)


def sidebar(stats, doc_id: str, ids: list[str]) -> None:
    names = {s.doc.id: f"{s.doc.short} — {s.chunks} đoạn" for s in stats}
    conv = st.query_params.get("c", "")
    st.session_state.viewer_conv = conv
    with st.sidebar:
        st.page_link(
            "streamlit_app.py", label="Trò chuyện", icon=":material/forum:", query_params={"c": conv} if conv else None
        )
        st.page_link("pages/1_Van_ban.py", label="Văn bản", icon=":material/description:")
        st.page_link("pages/2_Tap_huan.py", label="Tập huấn", icon=":material/school:")
        st.session_state.viewer_doc = doc_id  # the URL decides; the widget follows it
        st.selectbox("Văn bản", ids, key="viewer_doc", format_func=names.get, on_change=change_document)


def header(doc) -> None:
    st.title(doc.short)
    st.markdown(f"{ui.esc(doc.title)}{ui.badge(doc.authority)}", unsafe_allow_html=True)
    meta = " · ".join(x for x in (doc.kind, doc.issuer, doc.date) if x)
    st.caption(f"{meta}  \nCách trích dẫn: {doc.cite_as}")


def app_base() -> str:
    """The app's address as the browser sees it (for a link shared outside the app)."""
    fallback = f"http://{st.get_option('browser.serverAddress')}:{st.get_option('server.port')}/"
    return ui.base_url(st.context.url, fallback)


def selected_clause(app, doc, clause: str, query: str, quote) -> None:
    chunks = app.clause_chunks(doc.id, clause)
    if not chunks:
        st.warning(f"Không tìm thấy điều khoản '{shown(clause)}' trong {doc.short}; xem mục lục ở thanh bên.")
        return
    st.subheader(chunks[0].label.split(" (phần")[0])
    if chunks[0].breadcrumb:
        st.caption(" › ".join(chunks[0].breadcrumb))
    st.markdown(ui.clause_html(chunks, query, quote), unsafe_allow_html=True)
    st.caption("Liên kết chia sẻ điều khoản này:")
    st.code(ui.viewer_url(doc.id, clause, base=app_base(), quote=quote), language=None)


def search_box(app, doc, query: str) -> None:
    st.session_state.viewer_q = query  # the URL decides; the widget follows it
    st.text_input(
        "Tìm trong văn bản",
        key="viewer_q",
        on_change=change_query,
        placeholder="ví dụ: kinh tế số, nhân lực chất lượng cao…",
    )
    if not query:
        return
    try:
        hits = app.search(query, 8, doc.id)
    except TrolyError as exc:
        st.error(str(exc))
        return
    if not hits:
        st.info("Không tìm thấy đoạn nào phù hợp trong văn bản này.")
        return
    rows = [
        f'<li><a href="#{ui.anchor_id(h.chunk.id)}">{ui.esc(h.chunk.label)}</a> — '
        f'<a href="{ui.esc(ui.viewer_url(doc.id, h.chunk.path, query=query))}" target="_self">mở</a>'
        f"<br>{ui.highlight_terms(ui.heading(h.chunk, 200), query)}</li>"
        for h in hits
    ]
    st.markdown(f'<div class="troly-search"><ol>{"".join(rows)}</ol></div>', unsafe_allow_html=True)


# -- the page, top to bottom ---------------------------------------------------------------
app = load_app()
try:
    stats = app.documents()
except TrolyError as exc:
    fail(str(exc))
if not any(s.chunks for s in stats):
    fail("Chỉ mục chưa có văn bản nào; hãy thêm tệp vào data/sources rồi chạy `troly ingest`.")
doc, docs = pick_document(stats)
sidebar(stats, doc.id, [d.id for d in docs])
clause = st.query_params.get("clause", "").strip()
query = st.query_params.get("q", "").strip()
quote = ui.parse_quote(st.query_params.get("doan", ""), st.query_params.get("hl", ""))

header(doc)
if clause:
    selected_clause(app, doc, clause, query, quote)
search_box(app, doc, query)

chunks = app.table_of_contents(doc.id)
with st.sidebar:
    st.markdown("**Mục lục**")
    st.markdown(ui.toc_html(chunks, clause), unsafe_allow_html=True)
st.subheader("Toàn văn")
st.markdown(ui.document_html(chunks, doc.id, clause, query, quote), unsafe_allow_html=True)
