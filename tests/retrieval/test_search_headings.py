"""The heading a clause stands under, brought in after it, when the question asks what that
heading says of the clause: which stage or group it belongs to, who does it, when. On the real
documents (Kế hoạch 01-KH/BCĐTW, Mục IV and V)."""

from __future__ import annotations

from retrieval.search import _RULES


def top_clauses(app, query, k=5):
    return [(h.chunk.doc_id, h.chunk.path) for h in app.search(query, k)]


def test_which_stage_is_asked_even_when_the_question_reads_like_a_list(corpus_app):
    # "các văn bản … giai đoạn nào" matches the list family too; the stage is what is asked:
    # the item ("- Hoàn thành việc sửa đổi …") and its heading "1. Giai đoạn 2025 - 2027 …"
    question = (
        "Việc hoàn thành sửa đổi các văn bản quy phạm pháp luật theo mô hình chính quyền 3 cấp nằm trong giai đoạn nào?"
    )
    assert _RULES.search("enumeration", question) and _RULES.search("belongs_to", question)
    ids = top_clauses(corpus_app, question, 2)
    assert ids == [("kh01", "IV.1.-10"), ("kh01", "IV.1")]


def test_placed_into_a_stage_is_asked_as_belonging_to_it(corpus_app):
    question = "Triển khai mạnh mẽ các chương trình truyền thông, phổ biến kiến thức được xếp vào giai đoạn nào của lộ trình Kế hoạch 01?"
    assert _RULES.search("belongs_to", question).group("unit") == "giai doan"
    ids = top_clauses(corpus_app, question, 3)
    assert ("kh01", "IV.1") in ids and ("kh01", "IV.1.-2") in ids


def test_who_question_gets_the_heading_that_names_the_body(corpus_app):
    # "- Chỉ đạo, định hướng, phê duyệt và tháo gỡ …" stands under "a) Trách nhiệm của
    # Thường trực Ban Chỉ đạo Trung ương": the item says what, its heading says who
    ids = top_clauses(
        corpus_app, "Ai phê duyệt và tháo gỡ kịp thời các rào cản cho việc điều chỉnh Kế hoạch hành động chiến lược?", 2
    )
    assert ids == [("kh01", "V.1.a.-1"), ("kh01", "V.1.a")]
    # the item opens with "Tổ chức thực hiện các hoạt động của Ban Chỉ đạo …": a body named
    # inside it is not who does it; "c) Trách nhiệm của Cơ quan Thường trực và Tổ Giúp việc …" is
    question = "Cơ quan nào tổ chức đánh giá, tổng hợp các báo cáo tổng kết hằng quý, hằng năm của Ban Chỉ đạo?"
    assert top_clauses(corpus_app, question, 2) == [("kh01", "V.1.c.-1"), ("kh01", "V.1.c")]


def test_who_question_leaves_an_item_that_opens_with_its_body(corpus_app):
    searcher = corpus_app.searcher
    rows = {c.id: i for i, c in enumerate(searcher.table.chunks)}
    top = rows["kh01:V.1.a.-1"]
    named = next(
        i for i, c in enumerate(searcher.table.chunks) if searcher._bodies.match(searcher._lead[i]) and c.parent_id
    )
    assert searcher._with_body_heading([named, top], {named: 1.0, top: 0.9}) == [named, top]
    ranked = searcher._with_body_heading([top, named], {top: 1.0, named: 0.9})
    assert ranked[:2] == [top, rows["kh01:V.1.a"]]


def test_who_asked_is_not_the_technology_ai():
    for question in ["nghi quyet 57 noi gi ve ai", "ứng dụng AI trong y tế", "AI là gì"]:
        assert not _RULES.search("who_asked", question), question
    for question in ["Ai chủ trì việc này?", "việc này giao cho ai", "Bộ nào theo dõi, đôn đốc?"]:
        assert _RULES.search("who_asked", question), question


def test_when_question_gets_the_heading_that_dates_the_item(corpus_app):
    # "- Hoàn thành việc sửa đổi …" says no year; its heading "1. Giai đoạn 2025 - 2027: …" does
    question = "Thời hạn nào để hoàn thành sửa đổi văn bản quy phạm pháp luật theo mô hình chính quyền 3 cấp?"
    assert _RULES.search("when_asked", question)
    assert top_clauses(corpus_app, question, 2) == [("kh01", "IV.1.-10"), ("kh01", "IV.1")]
    # "- Quy mô kinh tế số đạt tối thiểu 30% GDP …" stands under "1. Đến năm 2030"
    ids = top_clauses(corpus_app, "Nghị quyết 57 đặt mục tiêu kinh tế số đạt 30% GDP vào năm nào?", 2)
    assert ids == [("nq57", "II.1.-2"), ("nq57", "II.1")]


def test_when_question_leaves_an_item_that_states_its_year(corpus_app):
    searcher = corpus_app.searcher
    rows = {c.id: i for i, c in enumerate(searcher.table.chunks)}
    dated = rows["kh01:IV.1.-1"]  # "… có thời hạn hoàn thành trong năm 2025 …"
    assert "2025" in searcher.table.chunks[dated].text
    other = rows["kh01:V.1.a.-1"]
    assert searcher._with_dated_heading([dated, other], {dated: 1.0, other: 0.9}) == [dated, other]
    assert not _RULES.search("when_asked", "Nghị quyết 57 giao Bộ Tài chính nhiệm vụ gì?")


def test_which_stage_asked_without_a_belonging_verb_gets_the_dated_heading(corpus_app):
    # "… vào giai đoạn nào?": no "thuộc / nằm trong"; the stage heading ("2. Giai đoạn 2028 -
    # 2030: …") above "- Hiện đại hoá hạ tầng toàn diện: Phủ sóng 5G, 6G …" dates it
    question = "Kế hoạch 01 đặt việc thí điểm hạ tầng 6G vào giai đoạn nào?"
    assert _RULES.search("when_asked", question) and not _RULES.search("belongs_to", question)
    assert top_clauses(corpus_app, question, 2) == [("kh01", "IV.2.-2"), ("kh01", "IV.2")]
