"""A later ask of a multi-part question that points back at an earlier one ("quyết định
đó", "nó", "văn bản đó") is searched with its antecedent (assistant/multipart.py with the
condenser's references, assistant/condense.py)."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser
from assistant.multipart import split_asks
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


@pytest.mark.parametrize(
    "question, second",
    [
        (
            "Ai ký quyết định ban hành kế hoạch của Viện Hàn lâm, và quyết định đó có hiệu lực từ khi nào?",
            "Quyết định 116 có hiệu lực từ khi nào?",
        ),
        ("Sáng kiến 26 của KH01 là gì và nó do ai chủ trì?", "Sáng kiến 26 do ai chủ trì (theo KH01)?"),
        ("Nghị quyết 57 ban hành ngày nào và văn bản đó do ai ký?", "Nghị quyết 57 do ai ký?"),
    ],
)
def test_a_later_ask_is_searched_with_what_it_points_back_at(recognizer, question, second):
    parts = split_asks(question, recognizer.mentions, refer=RuleCondenser(recognizer).refer)
    assert len(parts) == 2
    assert parts[1].query == second
    assert parts[1].text != second  # shown as the user wrote it


def test_without_a_reference_the_ask_is_told_its_context_as_before(recognizer):
    question = "Sáng kiến 26 của KH01 là gì, và ai chủ trì thực hiện?"
    with_refer = split_asks(question, recognizer.mentions, refer=RuleCondenser(recognizer).refer)
    assert with_refer == split_asks(question, recognizer.mentions)


def test_the_decision_that_issued_a_plan_is_cited_for_its_date_of_effect(corpus_app):
    a = corpus_app.ask("Ai ký quyết định ban hành kế hoạch của Viện Hàn lâm, và quyết định đó có hiệu lực từ khi nào?")
    assert "Lê Trường Giang" in a.answer and "kể từ ngày ký" in a.answer


def test_a_comma_and_parts_asks_before_a_plain_and(recognizer):
    question = (
        "Cơ quan nào theo dõi, đánh giá kết quả thực hiện NQ57 và báo cáo định kỳ lên Bộ Chính trị, "
        "và Đảng đoàn Quốc hội có trách nhiệm gì?"
    )
    parts = [p.text for p in split_asks(question, recognizer.mentions)]
    assert parts == [
        "Cơ quan nào theo dõi, đánh giá kết quả thực hiện NQ57 và báo cáo định kỳ lên Bộ Chính trị?",
        "Đảng đoàn Quốc hội có trách nhiệm gì?",
    ]


def test_a_name_after_a_lower_case_word_starts_an_ask_of_its_own(recognizer):
    question = "Kế hoạch 01 có mấy giai đoạn cụ thể và Ban Tuyên giáo Trung ương được giao nhiệm vụ gì?"
    assert len(split_asks(question, recognizer.mentions)) == 2
    # within a name ("Khoa học và Công nghệ") there is no cut
    parts = split_asks("Bộ Khoa học và Công nghệ chủ trì việc gì?", recognizer.mentions)
    assert len(parts) == 1


def test_an_ask_ending_in_where_to_is_an_ask(recognizer):
    question = "Nghị quyết 57 đặt mục tiêu gì về kinh tế số và bộ, ngành gửi đề xuất về đâu?"
    assert len(split_asks(question, recognizer.mentions)) == 2


def test_each_ask_keeps_the_heading_its_claims_stand_under(corpus_app):
    # "giai đoạn nào": the period is the heading of the claims, not in them
    a = corpus_app.ask(
        "Nghị quyết 20 do ai ký? Trong lộ trình Kế hoạch 01, việc phủ sóng 5G, 6G toàn quốc được đặt vào giai đoạn nào?"
    )
    assert "Giai đoạn 2028 - 2030" in a.answer


@pytest.mark.parametrize(
    "question",
    [
        "Nghị quyết 57 ban hành ngày nào với lại ai là người ký?",
        "Nghị quyết 57 ban hành ngày nào. À mà ai là người ký?",
        "Nghị quyết 57 ban hành ngày nào\nai là người ký?",
        "nghi quyet 57 ban hanh ngay nao + ai la nguoi ky?",
        "Nghị quyết 57 ban hành ngày nào. Tiện hỏi luôn, ai là người ký?",
        "Nghị quyết 57 ban hành ngày nào, còn nữa: ai là người ký?",
    ],
)
def test_asks_joined_as_typed_in_a_chat_are_two(recognizer, question):
    parts = split_asks(question, recognizer.mentions)
    assert len(parts) == 2
    assert parts[1].text.lower().startswith(("ai là", "ai la"))


def test_a_sentence_about_the_askers_work_is_no_ask_of_its_own(recognizer):
    question = (
        "Tôi là trưởng phòng ở một viện, đang làm kế hoạch tuyển người cho mấy năm tới. "
        "Cho hỏi Viện Hàn lâm đặt chỉ tiêu mỗi năm bao nhiêu nhà khoa học trẻ?"
    )
    assert len(split_asks(question, recognizer.mentions)) == 1
