"""Trợ lý Nghị quyết — the chat page.

A thin top-to-bottom script over the public API (assistant.api.Assistant). st.session_state
is the only state; conversations and feedback are persisted in SQLite (assistant.feedback)
so that ?c=<id> brings a conversation back after a reload, a shared link or a restart.
HTML comes from assistant.ui_render, which escapes every document and user string.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

import streamlit as st

from assistant import export
from assistant import ui_render as ui
from assistant.errors import IndexMissingError, TrolyError
from assistant.feedback import ChatMessage, Conversation, FeedbackStore, UserStore, new_conversation_id
from assistant.server import signin  # issue 16: OpenID Connect sign-in, off by default
from ui_shell import fail, get_assistant, load_settings

st.set_page_config(page_title="Trợ lý Nghị quyết", page_icon=ui.FAVICON)
STREAM_INTERVAL_S = 0.08
st.html(ui.CSS)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_resource(show_spinner=False)
def get_store(path: str) -> FeedbackStore:
    return FeedbackStore(path)


def ensure_index(app) -> None:
    """Load the index; build it with visible progress when it does not exist yet."""
    try:
        _ = app.answerer  # loads the index (and the searcher) once
        return
    except IndexMissingError:
        pass
    except TrolyError as exc:
        fail(str(exc))
    label = "Chưa có chỉ mục: đang nạp và lập chỉ mục các văn bản (lần đầu mất vài giây)…"
    with st.status(label, expanded=True) as status:
        try:
            report = app.ingest(progress=False)
            _ = app.answerer  # loads the index (and the searcher) once
        except TrolyError as exc:
            status.update(label="Không lập được chỉ mục", state="error")
            fail(str(exc))
        for err in getattr(report, "errors", []) or []:
            st.warning(str(err))
        status.update(label="Đã lập chỉ mục xong", state="complete", expanded=False)


def start_session(store: FeedbackStore, doc_ids: set[str]) -> None:
    """First run of a session: a new conversation, or the one named by ?c=."""
    if "messages" in st.session_state:
        return
    st.session_state.messages, st.session_state.saved = [], {}
    st.session_state.conv_id = new_conversation_id()
    wanted = st.query_params.get("c")
    if not wanted:
        return
    conv = store.load_conversation(wanted)
    if conv is None:
        st.session_state.flash = "Không tìm thấy cuộc trò chuyện trong liên kết; đã mở cuộc trò chuyện mới."
        del st.query_params["c"]
        return
    st.session_state.conv_id, st.session_state.messages = conv.id, conv.messages
    st.session_state.saved = store.feedback_for(conv.id)
    if conv.doc in doc_ids:
        st.session_state.doc_filter = conv.doc


def new_conversation() -> None:
    st.session_state.messages, st.session_state.saved = [], {}
    st.session_state.conv_id = new_conversation_id()
    st.query_params.pop("c", None)


def ask_later(question: str) -> None:
    st.session_state.pending = question


def sidebar(app, stats) -> None:
    names = {s.doc.id: s.doc.short for s in stats}
    generator, embedder = ui.backend_summary(app.settings.public_view())
    with st.sidebar:
        st.page_link("streamlit_app.py", label="Trò chuyện", icon=":material/forum:")
        conv = {"c": st.session_state.conv_id} if st.session_state.messages else None
        st.page_link("pages/1_Van_ban.py", label="Văn bản", icon=":material/description:", query_params=conv)
        st.page_link("pages/2_Tap_huan.py", label="Tập huấn", icon=":material/school:")
        st.selectbox(
            "Phạm vi câu hỏi",
            [""] + [s.doc.id for s in stats if s.chunks],
            key="doc_filter",
            format_func=lambda d: names.get(d, d) if d else "Tất cả văn bản",
        )
        st.button("Cuộc trò chuyện mới", icon=":material/add_comment:", on_click=new_conversation, width="stretch")
        st.markdown("**Cấu hình đang dùng**")
        st.caption(f"Trả lời: {generator}  \nTìm kiếm: {embedder}")
        st.toggle(
            "Chi tiết cho người đánh giá",
            key="show_details",
            help="Hiện thời gian trả lời, cách trả lời và câu hỏi đầy đủ dưới mỗi câu trả lời",
        )
        built = datetime.fromtimestamp(app.built_at).strftime("%d/%m/%Y %H:%M")
        st.markdown("**Chỉ mục**")
        st.caption(
            f"{sum(1 for s in stats if s.chunks)} văn bản · {sum(s.chunks for s in stats)} điều khoản  \n"
            f"Lập lúc {built}"
        )
        st.page_link(
            "pages/3_Them_van_ban.py",
            label="Thêm văn bản",
            icon=":material/upload_file:",
            disabled=not app.settings.uploads,
        )  # issue 15


def show_answer(answer, conv_id: str, expanded: bool, slot=None) -> None:
    """The answer (its direct answer first, a long list folded), then its citation cards;
    a refusal shows its sentence and the nearest clauses once, as cards. Timings and
    backends only in the evaluators' details line (sidebar switch)."""
    refused = answer.abstained and not answer.citations
    text = ui.refusal_text(answer.answer) if refused and answer.contexts else answer.answer
    (slot or st).markdown(ui.answer_html(text, answer.citations, conv_id), unsafe_allow_html=True)
    if answer.notice and answer.notice not in answer.answer:  # the answer's first line says it now
        st.info(answer.notice)
    if answer.citations:
        with st.expander(f"Trích dẫn ({len(answer.citations)})", expanded=expanded):
            cards = "".join(ui.citation_card_html(c, conv_id) for c in answer.citations)
            st.markdown(cards, unsafe_allow_html=True)
    elif refused and answer.contexts:
        with st.expander("Điều khoản gần nhất", expanded=expanded):
            cards = "".join(ui.context_card_html(c, conv_id) for c in answer.contexts[:3])
            st.markdown(cards, unsafe_allow_html=True)
    if st.session_state.get("show_details"):
        st.caption(ui.details_line(answer))


def feedback_context(idx: int, config: dict) -> dict:
    """What a feedback record stores besides the rating: question, history before it,
    answer, and the configuration with the backends that really answered."""
    msgs = st.session_state.messages
    answer = msgs[idx].answer
    return {
        "question": msgs[idx - 1].content if idx else "",
        "answer": answer,
        "history": [m.to_message() for m in msgs[: max(idx - 1, 0)]],
        "config": dict(config, backend=answer.backend),
    }


def save_rating(store: FeedbackStore, config: dict, idx: int, key: str) -> None:
    rating = {1: 1, 0: -1}.get(st.session_state.get(key))
    store.rate(st.session_state.conv_id, idx, rating, **feedback_context(idx, config))
    st.session_state.saved.setdefault(idx, {})["rating"] = rating
    st.toast("Cảm ơn bạn đã đánh giá câu trả lời!")


def feedback_widgets(store: FeedbackStore, config: dict, idx: int) -> None:
    """Thumbs up/down and an optional comment for the answer at turn idx."""
    conv_id = st.session_state.conv_id
    saved = st.session_state.saved.get(idx, {})
    key = f"fb_{conv_id}_{idx}"
    st.feedback(
        "thumbs",
        key=key,
        default={1: 1, -1: 0}.get(saved.get("rating")),
        on_change=save_rating,
        args=(store, config, idx, key),
    )
    with st.expander("Góp ý cho câu trả lời này"):
        with st.form(key=f"cf_{conv_id}_{idx}", border=False):
            text = st.text_area(
                "Nhận xét (không bắt buộc)", value=saved.get("comment") or "", max_chars=2000, key=f"cm_{conv_id}_{idx}"
            )
            if st.form_submit_button("Gửi góp ý"):
                store.comment(conv_id, idx, text, **feedback_context(idx, config))
                st.session_state.saved.setdefault(idx, {})["comment"] = text
                st.toast("Đã lưu góp ý, cảm ơn bạn!")


def show_message(store: FeedbackStore, config: dict, idx: int, msg: ChatMessage, last: bool) -> None:
    with st.chat_message(msg.role):
        if msg.role == "user" or msg.answer is None:
            st.markdown(ui.plain_html(msg.content), unsafe_allow_html=True)
            return
        show_answer(msg.answer, st.session_state.conv_id, expanded=last)
        feedback_widgets(store, config, idx)


def ask(app, store: FeedbackStore, config: dict, question: str) -> None:
    """One turn: show the question, stream the answer, persist both, show cards and feedback."""
    msgs, conv_id = st.session_state.messages, st.session_state.conv_id
    history = [m.to_message() for m in msgs]
    doc = st.session_state.get("doc_filter") or None
    with st.chat_message("user"):
        st.markdown(ui.plain_html(question), unsafe_allow_html=True)
    with st.chat_message("assistant"):
        slot, streamed, shown = st.empty(), [], [0.0]

        def on_text(piece: str) -> None:
            # redraw at most ~12 times a second: one delta per word costs the server dearly
            streamed.append(piece)
            now = time.monotonic()
            if now - shown[0] >= STREAM_INTERVAL_S:
                shown[0] = now
                slot.markdown(ui.answer_html("".join(streamed)), unsafe_allow_html=True)

        try:
            answer = app.ask(question, history, doc=doc, on_text=on_text)
        except TrolyError as exc:
            slot.empty()
            fail(str(exc))
        for message in (ChatMessage("user", question), ChatMessage("assistant", answer.answer, answer)):
            msgs.append(message)
            store.save_message(conv_id, len(msgs) - 1, message, doc)
        st.query_params["c"] = conv_id
        show_answer(answer, conv_id, expanded=True, slot=slot)
        feedback_widgets(store, config, len(msgs) - 1)


def starters() -> None:
    st.markdown("**Gợi ý câu hỏi để bắt đầu:**")
    cols = st.columns(2)
    for i, q in enumerate(ui.STARTER_QUESTIONS):
        cols[i % 2].button(q, key=f"starter_{i}", on_click=ask_later, args=(q,), width="stretch", wrap=True)


def app_base() -> str:
    """The app's address as the browser sees it, for links that leave the page."""
    fallback = f"http://{st.get_option('browser.serverAddress')}:{st.get_option('server.port')}/"
    return ui.base_url(st.context.url, fallback)


def export_buttons() -> None:
    msgs = st.session_state.messages
    if not msgs:
        return
    conv = Conversation(st.session_state.conv_id, msgs[0].content[:80], created=0.0, messages=msgs)
    base = app_base()
    with st.sidebar:
        st.markdown("**Xuất cuộc trò chuyện**")
        # Deferred: the files are built only when a button is clicked.
        st.download_button(
            "Tải Markdown",
            data=lambda: export.to_markdown(conv, base),
            mime="text/markdown",
            file_name=export.filename(conv, "md"),
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
        st.download_button(
            "Tải Word (DOCX)",
            data=lambda: export.to_docx(conv, base),
            mime=DOCX_MIME,
            file_name=export.filename(conv, "docx"),
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


# -- the page, top to bottom ---------------------------------------------------------------
settings = load_settings()
user = signin.current_user(settings)  # issue 16: None without sign-in; else signed in or stopped here
app = get_assistant(settings)
# issue 16: the database of Settings (SQLite file or PostgreSQL), seen as this user's
store = UserStore(get_store(settings.database), user, on_unavailable=st.warning)
ensure_index(app)
try:
    stats = app.documents()
except TrolyError as exc:
    fail(str(exc))
config = settings.public_view()
start_session(store, {s.doc.id for s in stats})
sidebar(app, stats)

st.title("Trợ lý Nghị quyết")
if os.environ.get("TROLY_GATE_OVERRIDDEN"):  # set by `troly ui --bo-qua-gate`
    st.warning("Chỉ mục này chưa qua ngưỡng đánh giá chất lượng: " + os.environ["TROLY_GATE_OVERRIDDEN"])
st.caption(
    "Hỏi đáp về Nghị quyết 57-NQ/TW và các văn bản triển khai. "
    "Mỗi câu trả lời dẫn tới đúng điều, khoản, điểm của văn bản gốc — bấm [n] để mở điều khoản."
)
if "flash" in st.session_state:
    st.warning(st.session_state.pop("flash"))

messages = st.session_state.messages
for i, m in enumerate(messages):
    show_message(store, config, i, m, last=i == len(messages) - 1)

question = st.chat_input("Nhập câu hỏi về nghị quyết…", max_chars=2000)
question = question or st.session_state.pop("pending", None)
if question:
    ask(app, store, config, question)
elif not messages:
    starters()
export_buttons()
