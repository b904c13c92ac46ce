"""Trợ lý Nghị quyết — the trainer page ("Tập huấn"): targets table and chart, timeline,
section briefing (Markdown/DOCX/PPTX), quizzes (GIFT/DOCX), who-does-what and the
implementation map, every row carrying its clause label and quote. A thin script over
Assistant.studio; st.session_state holds nothing but the widgets' values."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from assistant import ui_render as ui
from assistant.errors import BadInputError, IndexMissingError, TrolyError
from assistant.studio import docs, gift, tables
from assistant.studio.outline import task_line
from ui_shell import NO_INDEX, fail, get_assistant, load_settings

st.set_page_config(page_title="Tập huấn — Trợ lý Nghị quyết", page_icon=ui.FAVICON, layout="wide")
st.html(ui.CSS)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def load_studio():
    app = get_assistant(load_settings())
    try:
        return app.studio
    except IndexMissingError:
        fail(NO_INDEX)
    except TrolyError as exc:
        fail(str(exc))


def frame(sheet) -> pd.DataFrame:
    head, rows = sheet
    return pd.DataFrame(rows, columns=head)


def targets_tab(studio, docs_: list[str]) -> None:
    c1, c2, c3 = st.columns(3)
    doc = c1.selectbox("Văn bản", [""] + docs_, format_func=lambda d: d or "Tất cả", key="t_doc")
    years = sorted({t.year for t in studio.targets() if t.year})
    year = c2.selectbox("Năm mục tiêu", [0] + years, format_func=lambda y: str(y) if y else "Tất cả", key="t_year")
    topic = c3.text_input("Chủ đề", key="t_topic", placeholder="ví dụ: kinh tế số")
    rows = studio.targets(doc or None, year or None, topic)
    st.caption(f"{len(rows)} chỉ tiêu — mỗi dòng kèm nhãn điều khoản và câu trích nguyên văn.")
    df = frame(tables.target_sheet(rows))
    st.dataframe(df, width="stretch", hide_index=True)
    if rows:
        counts = df.assign(**{"Năm mục tiêu": df["Năm mục tiêu"].replace("", "không ghi năm").astype(str)})
        by_year = (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                x=alt.X("Năm mục tiêu:N", title="Năm mục tiêu"),
                y=alt.Y("count():Q", title="Số chỉ tiêu"),
                color=alt.Color("Văn bản:N"),
                tooltip=["Văn bản", "Năm mục tiêu", "count()"],
            )
        )
        by_doc = (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                y=alt.Y("Văn bản:N", title=None),
                x=alt.X("count():Q", title="Số chỉ tiêu"),
                color=alt.Color("Loại:N", title="Loại chỉ tiêu"),
                tooltip=["Văn bản", "Loại", "count()"],
            )
        )
        left, right = st.columns(2)
        left.altair_chart(by_year, width="stretch")
        right.altair_chart(by_doc, width="stretch")
    st.download_button("Tải Excel", tables.write_xlsx({"Chỉ tiêu": tables.target_sheet(rows)}), "chi-tieu.xlsx", XLSX)


def timeline_tab(studio, docs_: list[str]) -> None:
    doc = st.selectbox("Văn bản", [""] + docs_, format_func=lambda d: d or "Tất cả", key="m_doc")
    rows = studio.timeline(doc or None)
    dated = [m for m in rows if m.year]
    st.caption(f"{len(rows)} mốc thời gian, trong đó {len(rows) - len(dated)} mốc định kỳ.")
    if dated:
        data = pd.DataFrame(
            [
                {
                    "Bắt đầu": m.year,
                    "Kết thúc": (m.end_year or m.year) + (0 if m.end_year else 0.4),
                    "Văn bản": m.cite.doc_short,
                    "Thời điểm": m.when,
                    "Nội dung": m.text[:120],
                    "Điều khoản": m.cite.label,
                }
                for m in dated
            ]
        )
        chart = (
            alt.Chart(data)
            .mark_bar(height=14)
            .encode(
                x=alt.X("Bắt đầu:Q", title="Năm", scale=alt.Scale(zero=False)),
                x2="Kết thúc:Q",
                y=alt.Y("Văn bản:N"),
                color="Văn bản:N",
                tooltip=["Thời điểm", "Nội dung", "Điều khoản"],
            )
        )
        st.altair_chart(chart, width="stretch")
    st.dataframe(frame(tables.timeline_sheet(rows)), width="stretch", hide_index=True)


def outline_tab(studio) -> None:
    ref = st.text_input("Mục cần soạn đề cương", "57-NQ/TW III.3", key="o_ref")
    try:
        o = studio.outline(ref)
    except BadInputError as exc:
        st.error(str(exc))
        return
    if o.notice:
        st.warning(o.notice)
    elif o.reworded or o.rejected:
        st.caption(
            f"Mô hình biên tập {o.reworded} dòng (đã đối chiếu với điều khoản); "
            f"{o.rejected} dòng không khớp nên giữ nguyên văn."
        )
    c1, c2, c3 = st.columns(3)
    stem = ref.replace("/", "-").replace(" ", "_")
    c1.download_button("Tải PPTX", docs.outline_pptx(o), f"de-cuong-{stem}.pptx", PPTX)
    c2.download_button("Tải DOCX", docs.outline_docx(o), f"de-cuong-{stem}.docx", DOCX)
    c3.download_button("Tải Markdown", docs.outline_md(o), f"de-cuong-{stem}.md", "text/markdown")
    with st.container(border=True):
        st.markdown(docs.outline_md(o))


def quiz_tab(studio) -> None:
    c1, c2 = st.columns([3, 1])
    ref = c1.text_input("Mục lấy câu hỏi", "03/NQ-CP II.1", key="q_ref")
    n = c2.number_input("Số câu", 1, 50, 10, key="q_n")
    try:
        quiz = studio.quiz(ref, int(n))
    except BadInputError as exc:
        st.error(str(exc))
        return
    st.caption(
        f"{len(quiz.questions)} câu (từ {quiz.candidates} câu ứng viên; {quiz.rejected} câu bị loại vì "
        "có hơn một phương án đúng hoặc đáp án không nằm trong điều khoản)."
    )
    stem = ref.replace("/", "-").replace(" ", "_")
    c1, c2 = st.columns(2)
    c1.download_button("Tải GIFT (Moodle)", gift.quiz_gift(quiz), f"cau-hoi-{stem}.gift", "text/plain")
    c2.download_button("Tải DOCX", docs.quiz_docx(quiz), f"cau-hoi-{stem}.docx", DOCX)
    for i, q in enumerate(quiz.questions, 1):
        st.markdown(f"**Câu {i}.** {ui.esc(q.stem)}", unsafe_allow_html=True)
        for j, option in enumerate(q.options):
            st.markdown(f"- {docs.LETTERS[j]}. {ui.esc(option)}", unsafe_allow_html=True)
        with st.expander("Đáp án"):
            key = f"{docs.LETTERS[q.answer]}. " if q.answer >= 0 else ""
            st.markdown(
                f"{key}{ui.esc(q.correct)}<br><em>{ui.esc(q.cite.label)}</em>: “{ui.esc(q.cite.quote)}”",
                unsafe_allow_html=True,
            )


def roles_tab(studio) -> None:
    body = st.text_input("Cơ quan", "Bộ Khoa học và Công nghệ", key="r_body")
    try:
        named, general = studio.roles(body or None)
    except BadInputError as exc:
        st.error(str(exc))
        return
    name = studio.bodies.find(body).name if body else ""
    st.caption(
        f"{len(named)} nhiệm vụ nêu tên"
        + (f" {name}; {len(general)} nhiệm vụ giao chung cho nhóm cơ quan có {name}." if name else ".")
    )
    st.dataframe(frame(tables.task_sheet(named, name)), width="stretch", hide_index=True)
    if general:
        with st.expander(f"Nhiệm vụ giao chung ({len(general)})"):
            st.dataframe(frame(tables.task_sheet(general, name)), width="stretch", hide_index=True)
    sheets = {"Nhiệm vụ": tables.task_sheet(named, name), "Giao chung": tables.task_sheet(general, name)}
    st.download_button("Tải Excel", tables.write_xlsx(sheets), "phan-cong.xlsx", XLSX)
    for t in named[:5]:
        st.caption(f"{task_line(t)} — {t.cite.label}")


def dot(m) -> str:
    """The map as a Graphviz diagram: task groups on the left, plan units on the right."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph G {", "rankdir=LR;", 'node [shape=box, fontsize=10, fontname="DejaVu Sans"];']
    for g in m.groups:
        lines.append(f'{q(m.source + " " + g.clause)} [style=filled, fillcolor="#fff3a3"];')
        for link in g.links:
            lines.append(
                f"{q(m.source + ' ' + g.clause)} -> {q(link.plan_doc + ' ' + link.plan_clause)} "
                f"[label={q(f'{link.score:.2f}')}];"
            )
    lines.append("}")
    return "\n".join(lines)


def map_tab(studio) -> None:
    m = studio.implementation_map()
    st.caption(f"Bản đồ triển khai {m.source}: {', '.join(m.plans)}.")
    sheets = tables.map_sheets(m)
    st.graphviz_chart(dot(m), width="stretch")
    st.dataframe(frame(sheets["Bản đồ"]), width="stretch", hide_index=True)
    st.markdown("**Khoảng trống**")
    st.dataframe(frame(sheets["Khoảng trống"]), width="stretch", hide_index=True)
    st.download_button("Tải Excel", tables.write_xlsx(sheets), "ban-do-trien-khai.xlsx", XLSX)


# -- the page, top to bottom ---------------------------------------------------------------
with st.sidebar:
    st.page_link("streamlit_app.py", label="Trò chuyện", icon=":material/forum:")
    st.page_link("pages/1_Van_ban.py", label="Văn bản", icon=":material/description:")
    st.page_link("pages/2_Tap_huan.py", label="Tập huấn", icon=":material/school:")
studio = load_studio()
st.title("Tập huấn")
st.caption("Tài liệu cho người tập huấn, soạn ngoại tuyến từ các văn bản chính thức; mỗi dòng dẫn tới điều khoản gốc.")
official = [d.short for d in studio.corpus.official()]
tabs = st.tabs(["Chỉ tiêu", "Mốc thời gian", "Đề cương", "Câu hỏi", "Phân công", "Bản đồ triển khai"])
with tabs[0]:
    targets_tab(studio, official)
with tabs[1]:
    timeline_tab(studio, official)
with tabs[2]:
    outline_tab(studio)
with tabs[3]:
    quiz_tab(studio)
with tabs[4]:
    roles_tab(studio)
with tabs[5]:
    map_tab(studio)
