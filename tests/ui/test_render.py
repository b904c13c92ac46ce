"""HTML helpers of the pages: escaping, highlighting, marker links, cards, table of contents."""

from __future__ import annotations

from assistant import ui_render as ui
from assistant.types import Citation, Context
from retrieval.types import Chunk

EVIL = '<script>alert(1)</script> & "x" <img src=x onerror=alert(2)>'


def cite(marker=1, text="1. Đến năm 2030", quote="Đến năm 2030", start=3, **kw) -> Citation:
    return Citation(
        marker,
        "nq57:II.1",
        "nq57",
        "57-NQ/TW",
        "II.1",
        "Nghị quyết 57-NQ/TW, Mục II, điểm 1",
        quote,
        text,
        quote_start=start,
        **kw,
    )


def chunk(cid: str, path: str, text: str, start: int, parent: str = "", part: int = 0) -> Chunk:
    return Chunk(
        cid,
        "nq57",
        "57-NQ/TW",
        path,
        f"NQ57 {path}",
        "number",
        text,
        start,
        start + len(text),
        parent_id=parent,
        part=part,
    )


def test_esc_escapes_and_keeps_one_line():
    out = ui.esc(EVIL + "\n\ndòng 2")
    assert "<" not in out.replace("<br>", "") and "\n" not in out
    assert out.endswith("<br><br>dòng 2")


def test_highlight_quote_uses_quote_start_and_checks_it():
    assert ui.highlight_quote("1. Đến năm 2030", "Đến năm 2030", 3) == "1. <mark>Đến năm 2030</mark>"
    assert ui.highlight_quote("1. Đến năm 2030", "Đến năm 2030", 0) == "1. <mark>Đến năm 2030</mark>"
    assert ui.highlight_quote("abc", "zzz", 0) == "abc"
    assert ui.highlight("a<b", 1, 1) == "a<mark>&lt;</mark>b"


def test_markers_become_links_to_the_quoted_sentence():
    out = ui.answer_html("Câu một [1][2].\n- Ý [1]\n- Ý khác [9]", [cite(1), cite(2)], "conv123")
    assert out.count('class="troly-marker"') == 3
    assert 'href="Van_ban?doc=nq57&amp;clause=II.1&amp;doan=nq57%3AII.1&amp;hl=3-15&amp;c=conv123"' in out
    assert "[9]" in out and "<ul><li>" in out and "\n" not in out


def test_the_direct_answer_stands_out_and_long_lists_fold():
    items = "\n".join(f"- Ý {i} [1]" for i in range(1, 15))
    out = ui.answer_html(f"Theo Nghị quyết 57-NQ/TW:\nCó 14 ý. [1]\n{items}", [cite(1)])
    assert '<p>Theo Nghị quyết 57-NQ/TW:</p><p class="troly-direct">Có 14 ý.' in out
    visible, folded = out.split('<details class="troly-more">')
    assert visible.count("<li>") == ui.FOLD_AFTER and folded.count("<li>") == 14 - ui.FOLD_AFTER
    assert "Xem thêm 6 mục" in folded
    assert "<details" not in ui.answer_html("Một câu. [1]\n- a [1]\n- b [1]", [cite(1)])


def test_refusal_text_keeps_the_sentence_only():
    text = 'Các văn bản hiện có không nêu thông tin. Những điều khoản gần nhất đã tìm thấy:\n- A: "x"\n- B: "y"'
    assert ui.refusal_text(text) == "Các văn bản hiện có không nêu thông tin. Những điều khoản gần nhất đã tìm thấy."


def test_search_highlight_ignores_accents_and_case():
    assert ui.highlight_terms("Quy mô kinh tế số đạt 30%", "KINH TE SO") == "Quy mô <mark>kinh tế số</mark> đạt 30%"
    assert (
        ui.highlight_terms("Nhân lực chất lượng cao", "nhan luc cao")
        == "<mark>Nhân</mark> <mark>lực</mark> chất lượng <mark>cao</mark>"
    )
    assert ui.highlight_terms("a<b", "") == "a&lt;b"


def test_quote_is_marked_apart_from_search_terms():
    out = ui.mark_spans("Đến năm 2030 đạt 30%", [(0, 3)], (13, 20))
    assert out == '<mark>Đến</mark> năm 2030 <mark class="quote">đạt 30%</mark>'
    assert ui.parse_quote("nq57:II.1", "3-15") == ("nq57:II.1", 3, 15)
    assert ui.parse_quote("nq57:II.1", "15-3") is None and ui.parse_quote("", "1-2") is None


def test_absolute_links_from_the_page_address():
    assert ui.base_url("http://host:8501/Van_ban") == "http://host:8501/"
    assert ui.base_url("https://tro-ly.gov.vn/app/") == "https://tro-ly.gov.vn/app/"
    assert ui.base_url(None) == "http://localhost:8501/"
    assert ui.viewer_url("nq57", "II.1", base="http://h/") == "http://h/Van_ban?doc=nq57&clause=II.1"


def test_answer_and_user_text_are_escaped():
    assert "<script>" not in ui.answer_html(EVIL + " [1]", [cite()])
    assert "<script>" not in ui.plain_html(EVIL) and "&lt;script&gt;" in ui.plain_html(EVIL)


def test_citation_card_escapes_document_text():
    card = ui.citation_card_html(cite(text=EVIL + " Đến năm 2030", quote="Đến năm 2030", start=len(EVIL) + 1))
    assert "<script>" not in card and "<img" not in card
    assert "<mark>Đến năm 2030</mark>" in card and "chính thức" in card and "\n" not in card


def test_badges_and_context_cards():
    assert "thứ cấp" in ui.badge("secondary") and "bình luận" in ui.badge("commentary")
    card = ui.context_card_html(Context("a", "kh01", "01", "I.2", EVIL, "x" * 1000, 0.1, "secondary"))
    assert "<script>" not in card and "…" in card and "thứ cấp" in card


def test_viewer_url_encodes_parameters():
    assert ui.viewer_url("nq57", "III.2") == "Van_ban?doc=nq57&clause=III.2"
    assert ui.viewer_url("nq57", "a&b", "c1", "kinh tế") == "Van_ban?doc=nq57&clause=a%26b&q=kinh+t%E1%BA%BF&c=c1"
    assert ui.anchor_id("nq57:t1#2") == "c-nq57_t1_2"


def test_toc_is_a_tree_open_on_the_current_branch():
    chunks = [
        chunk("nq57:I", "I", "I- QUAN ĐIỂM", 0),
        chunk("nq57:I.1", "I.1", "1. Một <b>", 13, "nq57:I"),
        chunk("nq57:II", "II", "II- MỤC TIÊU", 30),
        chunk("nq57:II.1#2", "II.1", "phần hai", 45, "nq57:II", 2),
    ]
    toc = ui.toc_html(chunks, current="I.1")
    assert toc.count("<details") == 1 and "<details open>" in toc
    assert 'href="#c-nq57_I_1"' in toc and "1. Một &lt;b&gt;" in toc
    assert "phần hai" not in toc  # only the first part of a split clause is listed
    doc = ui.document_html(chunks, "nq57", current="I", query="một")
    assert doc.count('class="seg current"') == 2 and "<mark>Một</mark>" in doc


def test_document_html_skips_rows_inside_their_table():
    table = chunk("kl69:T", "T", "| a | b |\n| 1 | 2 |", 0)
    row = chunk("kl69:T.1", "T.1", "| 1 | 2 |", 10, "kl69:T")
    doc = ui.document_html([table, row], "kl69")
    assert doc.count("| 1 | 2 |") == 1 and 'id="c-kl69_T_1"' in doc
    assert ui.clause_html([table, row]).count("| 1 | 2 |") == 1


def test_backend_summary_never_shows_a_secret():
    view = {
        "generator": "openai",
        "chat_model": "gpt-4o-mini",
        "openai_base_url": "http://127.0.0.1:8000/v1",
        "embedder": "hashing",
        "embedding_model": "x",
        "openai_api_key": "đã đặt",
    }
    generator, embedder = ui.backend_summary(view)
    assert generator == "openai: gpt-4o-mini qua http://127.0.0.1:8000/v1" and embedder == "hashing (ngoại tuyến)"
    assert ui.backend_summary({"generator": "extractive", "embedder": "hashing"})[0].endswith("(ngoại tuyến)")


def test_toc_opens_the_parts_of_a_document(corpus_app):
    toc = ui.toc_html(corpus_app.table.of_document("nq57"), current="II.1")
    assert toc.count("<details open>") >= 3  # the title part, Mục II, điểm 1
    assert "I- QUAN ĐIỂM CHỈ ĐẠO" in toc
