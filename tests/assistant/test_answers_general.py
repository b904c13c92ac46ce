"""Answer mechanisms that must hold on questions nobody tuned for, on the real documents:
the signer from the signature block, table rows and headings holding the asked value,
counts said by a sentence or by the structure, which group a clause belongs to, and
refusals of names and tasks the documents know nothing of."""

from __future__ import annotations

import pytest

from assistant.types import Message

from .test_answers import assert_well_cited

SCOPE_START = "Tôi là Trợ lý Nghị quyết"


@pytest.mark.parametrize(
    "question, signer",
    [
        ("ai ký nq 03/NQ-CP vậy", "Nguyễn Hòa Bình"),
        ("Ai ký Kết luận 69?", "Trương Thị Mai"),
        ("Nghị quyết 57 do ai ký?", "Tô Lâm"),
    ],
)
def test_who_signed_is_answered_with_the_signer(corpus_app, question, signer):
    a = corpus_app.ask(question)
    assert not a.abstained and signer in a.answer
    assert signer in a.citations[0].quote  # the signature block (or sentence) is the first claim
    assert "Điều 2" not in a.answer.split("\n")[0]
    assert_well_cited(a)


def test_a_table_row_holds_the_value_in_its_own_cell(corpus_app):
    a = corpus_app.ask("Theo Phụ lục I của Viện Hàn lâm, mỗi năm cần thu hút bao nhiêu nhà khoa học trẻ?")
    assert not a.abstained and "20 - 30 cán bộ/năm" in a.answer
    assert a.citations[0].clause.startswith("PL1.I.")


def test_a_sentence_under_a_dated_heading_answers_when(corpus_app):
    a = corpus_app.ask("mạng 5G bao giờ phủ khắp cả nước vậy?")
    assert not a.abstained and "5G" in a.answer


def test_a_count_said_by_a_sentence_is_not_read_from_a_heading(corpus_app):
    a = corpus_app.ask("Đến năm 2030 có bao nhiêu tổ chức khoa học và công nghệ được xếp hạng khu vực và thế giới?")
    assert not a.abstained and "40 - 50 tổ chức" in a.answer
    assert "gồm 2" not in a.answer  # not the two items of "V. TỔ CHỨC THỰC HIỆN"


@pytest.mark.parametrize(
    "question, count",
    [
        ("Tổ chức thực hiện của Nghị quyết 57 gồm mấy điểm?", "gồm 6 điểm"),
        ("Kết luận 69 có bao nhiêu điểm?", "gồm 7 điểm"),
    ],
)
def test_structural_nouns_count_the_items_of_a_heading(corpus_app, question, count):
    a = corpus_app.ask(question)
    assert not a.abstained and count in a.answer
    assert_well_cited(a)


def test_a_heading_missing_the_asked_number_gives_way_to_the_sentence(corpus_app):
    a = corpus_app.ask("kh01 sk10 noi dung gom nhung chuong trinh gi")
    assert not a.abstained and "Sáng kiến 22" not in a.answer
    assert any(c.clause.startswith("PL1.III.C.10") for c in a.citations)


def test_which_group_a_clause_belongs_to_follows_the_tree(corpus_app):
    history = [
        Message("user", "Nghị quyết 03 có thí điểm bản sao số không?"),
        Message("assistant", "Có: thí điểm triển khai bản sao số cho một số thành phố trực thuộc Trung ương."),
    ]
    a = corpus_app.ask("việc này thuộc nhóm nhiệm vụ nào trong chương trình?", history)
    assert not a.abstained and "hoàn thiện hạ tầng" in a.answer
    assert [c.clause for c in a.citations][:2] == ["II.3", "II.3.i"]
    b = corpus_app.ask("Sáng kiến 4 nằm trong hệ thống nào?")
    assert "Hệ thống 2" in b.answer and b.citations[0].clause == "II.2"


def test_a_name_no_document_uses_is_refused(corpus_app):
    a = corpus_app.ask("Viện Hàn lâm đặt chỉ tiêu mỗi năm nộp bao nhiêu đơn sáng chế quốc tế theo Hiệp ước PCT?")
    assert a.abstained and a.citations == []
    b = corpus_app.ask("tỷ lệ vay lại ODA cho trường ĐH công lập nq03")  # a typed abbreviation is no name
    assert not b.abstained


def test_a_yes_no_question_with_plural_may_is_no_count(corpus_app):
    a = corpus_app.ask("Hồi 2012 Trung ương có cấm nhập máy móc đồ cũ, lạc hậu từ nước ngoài về không?")
    assert not a.abstained and "nhập công nghệ lạc hậu" in a.answer  # one ask; 2012 is Nghị quyết 20's year


@pytest.mark.parametrize(
    "message", ["Bạn có thể viết email xin nghỉ phép giúp tôi không?", "Giúp tôi soạn thư mời họp lớp"]
)
def test_a_task_for_the_assistant_gets_the_scope_message(corpus_app, message):
    a = corpus_app.ask(message)
    assert a.abstained and a.citations == [] and a.answer.startswith(SCOPE_START)


def test_a_count_of_something_no_clause_counts_is_refused(corpus_app):
    a = corpus_app.ask("Nghị quyết 57 yêu cầu xây dựng bao nhiêu trung tâm đổi mới sáng tạo quốc gia ở mỗi tỉnh?")
    assert a.abstained  # "trong tầm của Trung tâm" is no count in words
