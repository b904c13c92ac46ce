"""A document named wrongly: the named document is a preference, not a filter. When it does
not hold the answer, the answer says so and comes from the one that does; when it does, it
is cited first even where another text repeats it."""

from __future__ import annotations

import pytest

OTHER_LINE = "{named} không nêu nội dung này; {other} nêu:"


@pytest.mark.parametrize(
    ("question", "named", "fact"),
    [
        ("Theo Nghị quyết 57, Sáng kiến 18 về Nền tảng IoT quốc gia có mục tiêu gì?", "Nghị quyết 57-NQ/TW", "IoT"),
        ("Theo Kết luận 69, Sáng kiến 20 về công nghệ cơ yếu dựa trên công nghệ gì?", "Kết luận 69-KL/TW", "lượng tử"),
    ],
)
def test_a_numbered_part_of_another_document_is_answered_from_it(corpus_app, question, named, fact):
    # "Sáng kiến 18" is not a part of the named text: it is Kế hoạch 01's, so it answers, saying so
    a = corpus_app.ask(question)
    assert not a.abstained, a.answer[:300]
    assert a.answer.split("\n")[0] == OTHER_LINE.format(named=named, other="Kế hoạch 01-KH/BCĐTW")
    assert fact in a.answer and {c.doc_id for c in a.citations} == {"kh01"}


def test_a_numbered_part_no_document_holds_is_still_refused(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 57, Sáng kiến 31 về vũ trụ có mục tiêu gì?")
    assert a.abstained and a.citations == []


def test_a_named_document_that_only_touches_the_topic_gives_way_to_the_one_that_answers(corpus_app):
    # Nghị quyết 57 speaks of "sàn giao dịch dữ liệu", not where the technology exchanges are built
    a = corpus_app.ask("Theo Nghị quyết 57, sàn giao dịch công nghệ quốc gia được xây dựng ở đâu?")
    assert not a.abstained
    assert a.answer.split("\n")[0].startswith("Nghị quyết 57-NQ/TW không nêu nội dung này; ")
    assert "Hà Nội" in a.answer and a.citations[0].doc_id != "nq57"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Theo Nghị quyết 57, tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt bao nhiêu?", "nq57"),
        ("Theo Kế hoạch 01, tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt bao nhiêu?", "kh01"),
    ],
)
def test_the_named_document_is_cited_first_when_another_repeats_it(corpus_app, question, named):
    # Kế hoạch 01 repeats Nghị quyết 57's 2030 targets word for word: the one named answers
    a = corpus_app.ask(question)
    assert not a.abstained and "40%" in a.answer
    assert a.citations[0].doc_id == named and "không nêu nội dung này" not in a.answer


def test_what_is_asked_about_the_named_text_itself_stays_with_it(corpus_app):
    # its conference and term: the heading of the named text, never "X không nêu"
    a = corpus_app.ask("Nghị quyết 20 là của hội nghị trung ương lần thứ mấy, khoá mấy?")
    assert not a.abstained and "không nêu nội dung này" not in a.answer
    assert {c.doc_id for c in a.citations} == {"nq20"} and "KHOÁ XI" in a.answer


def test_a_paraphrase_the_named_document_holds_is_answered_from_it(corpus_app):
    # Nghị quyết 03 does say "dịch vụ công không phụ thuộc địa giới hành chính"; Nghị quyết 57
    # says it with more of the question's words, but not clearly more: no "X không nêu"
    a = corpus_app.ask(
        "Người dân đang ở tỉnh này mà muốn làm thủ tục hành chính của tỉnh khác thì Nghị quyết 03 "
        "có hướng tới dịch vụ công kiểu đó không?"
    )
    assert "không nêu nội dung này" not in a.answer
    assert ("nq03", "II.5.đ") in {(c.doc_id, c.clause) for c in a.citations}


@pytest.fixture(scope="module")
def named_probes(corpus_app):
    """Questions made of a clause's words (retrieval/probes.py), each naming a document: its
    own (a word dropped, or a phrase written as its synonym), or one that does not hold the
    clause's rarer word pairs (``wrong_doc``). Drawn from every official document."""
    from retrieval.probes import ProbeMaker

    searcher = corpus_app.searcher
    names = {d.id: d.cite_as for d in corpus_app.catalog.documents if d.authority == "official"}
    maker = ProbeMaker(
        corpus_app.table, names, searcher.lexical.idf, lambda t: searcher.lexical.doc_freq.get(t, 0), seed=0
    )
    own, wrong = [], []
    for c in maker.rng.sample(maker.sources(), 60):
        words = maker.window(c)
        if words is None or c.doc_id not in names:
            continue
        own.append((f"Theo {names[c.doc_id]}, {' '.join(maker.dropped(words))} là gì?", c, names[c.doc_id]))
        if (s := maker.synonym(words)) is not None:
            own.append((f"Theo {names[c.doc_id]}, {s} là gì?", c, names[c.doc_id]))
        if (q := maker.wrong_doc(c, words)) is not None:
            wrong.append((q, c))
    return own, wrong


def test_the_named_document_is_said_not_to_hold_it_only_when_it_does_not(corpus_app, named_probes):
    # the "X không nêu" line is a claim about the named text: said of its own clause's words
    # (paraphrased) almost never; said of a text lacking them, with the right one cited, mostly
    own, wrong = named_probes
    assert len(own) >= 80 and len(wrong) >= 30
    false_absent = [q for q, _c, name in own if corpus_app.ask(q).answer.startswith(f"{name} không nêu")]
    assert len(false_absent) <= 0.02 * len(own), false_absent
    answers = [(corpus_app.ask(q), c) for q, c in wrong]
    said = [a for a, _c in answers if "không nêu nội dung này" in a.answer.split("\n")[0]]
    right = [a for a, c in answers if any(x.doc_id == c.doc_id for x in a.citations)]
    assert len(said) >= 0.75 * len(wrong) and len(right) >= 0.8 * len(wrong), (len(said), len(right), len(wrong))


@pytest.mark.parametrize(
    "question",
    [
        "Theo Kế hoạch của Viện Hàn lâm, báo cáo kết quả gửi trước ngày 15 tháng 6 và 01 tháng 12 phải không?",
        "vhl: các bộ gửi báo cáo trước 15/6 và 01/12 phải ko",
        "ke hoach vhl: cac bo gui bao cao truoc 15/6 va 01/12 phai ko",
    ],
)
def test_dates_the_asker_states_bring_in_the_text_that_states_them(corpus_app, question):
    # The Viện Hàn lâm plan sets 01/6 and 15/11 for its units; the dates the asker remembers
    # are Nghị quyết 03's (15 tháng 6, 01 tháng 12): the named plan is a preference, so the
    # resolution that states them answers, beside the plan's own or saying the plan does not
    a = corpus_app.ask(question)
    assert not a.abstained, a.answer[:300]
    assert "15 tháng 6" in a.answer and "01 tháng 12" in a.answer
    docs = [c.doc_id for c in a.citations]
    assert "nq03" in docs
    assert "kh-vhl" in docs or a.answer.split("\n")[0].startswith(
        "Kế hoạch của Viện Hàn lâm KH&CN Việt Nam (Quyết định 116/QĐ-VHL) không nêu nội dung này; "
    )


def test_dates_the_named_text_states_keep_the_answer_with_it(corpus_app):
    # the same ask with the plan's own dates: the plan answers alone
    a = corpus_app.ask("Theo Kế hoạch của Viện Hàn lâm, các đơn vị gửi báo cáo trước ngày 01/6 và 15/11 đúng không?")
    assert not a.abstained and "01/6 và 15/11" in a.answer
    assert {c.doc_id for c in a.citations} == {"kh-vhl"}


def test_the_figures_a_question_states_are_read_in_either_form(corpus_app):
    figures = corpus_app.searcher.reader.figures
    assert figures("trước 15/6 và 01/12") == figures("trước ngày 15 tháng 6 và ngày 01 tháng 12 năm 2025")
    assert figures("đạt 30% GDP") == figures("đạt 30 phần trăm GDP") == {("share", "30")}
    assert figures("bao nhiêu % GDP, Nghị quyết 57/NQ-TW") == frozenset()


@pytest.mark.parametrize(
    "question",
    [
        "nq57 bắt cty công nghệ nước ngoài đặt trung tâm R&D ở vn phải chi bn % doanh thu vậy",
        "Theo Kế hoạch 01, doanh nghiệp nước ngoài đặt trung tâm nghiên cứu và phát triển tại Việt Nam "
        "phải chi bao nhiêu phần trăm doanh thu?",
    ],
)
def test_a_share_whose_base_only_another_document_writes_is_answered_from_it(corpus_app, question):
    # the named text's clauses fill the results (its targets in % GDP), yet none of them writes a
    # share of "doanh thu": Nghị quyết 03 does (1% - 3% doanh thu), so it answers, saying so
    a = corpus_app.ask(question)
    assert not a.abstained, a.answer[:300]
    assert a.answer.split("\n")[0].endswith("không nêu nội dung này; Nghị quyết 03/NQ-CP nêu:")
    assert "1% - 3% doanh thu" in a.answer and a.citations[0].doc_id == "nq03"


def test_a_share_whose_base_the_named_document_writes_stays_with_it(corpus_app):
    # "bao nhiêu % GDP": Nghị quyết 57 writes shares of GDP itself, the same base as Kế hoạch 01's
    a = corpus_app.ask("Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu % GDP vào năm 2030?")
    assert not a.abstained and "không nêu nội dung này" not in a.answer
    assert a.citations[0].doc_id == "nq57" and "30%" in a.answer
