"""Slots of an ask the clauses found must support (assistant/abstention.py, intent.py):

- what "bao nhiêu" counts: a noun pair no document writes nor the synonym resource knows
  ("bao nhiêu phi công"), or a measured unit no document writes ("bao nhiêu km/h", "MW"), is
  refused; a classifier, a function word or a short form people type ("bao nhiêu dn") is not
  such a unit;
- a province asked ("ở tỉnh nào") needs a clause found that names one;
- a programme, scheme or fund named with its capital ("Đề án phát triển du lịch cộng đồng")
  needs a clause found that holds half its word pairs; a lower-case "một quỹ riêng" names
  none (read so, the check costs no wrong refusal on dev or val; any head cost one on val).

Each family is also measured over generated probes (tests/assistant/test_abstention_probes.py:
near_topic, near_year_doc, near_figure, near_programme and their twins).
"""

from __future__ import annotations

import pytest

from assistant import intent
from assistant.abstention import name_words


@pytest.mark.parametrize(
    "question",
    [
        "Sáng kiến 29 về đường sắt cao tốc Bắc - Nam trong Kế hoạch 01 đặt tốc độ thiết kế bao nhiêu km/h?",
        "lo phan ung nguyen tu co nho o sang kien 28 kh01 co cong suat bao nhieu MW",
        "Đến năm 2030 Việt Nam cần có tối thiểu bao nhiêu phi công công nghệ số ngang tầm các nước tiên tiến?",
        "Ba khu công nghệ cao quốc gia mà Nghị quyết 20 muốn tập trung nguồn lực xây dựng là những khu nào, ở tỉnh nào?",
    ],
)
def test_an_unsupported_slot_is_refused(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained and a.citations == [] and a.contexts


@pytest.mark.parametrize(
    "question, fact",
    [
        (
            "Đến năm 2030 Việt Nam cần có tối thiểu bao nhiêu doanh nghiệp công nghệ số ngang tầm các nước tiên tiến?",
            "5 doanh nghiệp",
        ),
        ("đến 2030 phải có bao nhiêu dn công nghệ số ngang tầm các nước tiên tiến?", "5 doanh nghiệp"),
    ],
)
def test_the_supported_ask_is_answered(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer


def test_a_unit_is_no_function_word_classifier_nor_short_form():
    known = lambda w: False  # noqa: E731 - as if the documents wrote none of them
    assert intent._unknown_unit("km", known) and intent._unknown_unit("mw", known)
    assert not any(intent._unknown_unit(w, known) for w in ("dn", "mot", "khong", "cai"))


def test_a_province_is_asked_and_named():
    assert intent.PLACE_ASKED.search("la nhung khu nao, o tinh nao?")
    assert not intent.PLACE_ASKED.search("cac tinh, thanh pho truc thuoc trung uong")
    assert intent.names_place(["Khu công nghệ cao Hòa Lạc (Hà Nội)"]) and not intent.names_place(["các tỉnh"])


def test_a_programme_name_ends_at_the_question_words():
    assert name_words("Đề án phát triển thể thao thành tích cao được Nghị quyết 20 nhắc tới như thế nào?") == [
        "phat trien the thao thanh tich cao"
    ]
    assert name_words("Viện Hàn lâm có lập một quỹ riêng để cấp tiền không?") == []  # no capital, one word
    assert name_words("Viện Hàn lâm có lập một đề án phát triển du lịch cộng đồng không?") == []  # no capital
    assert name_words("quy dau tu mao hiem duoc thanh lap the nao") == []  # typed without marks


@pytest.mark.parametrize(
    "question",
    [
        "nq20 năm 2012 ai ký ban hành vậy?",  # Nghị quyết 20 as held carries no signature
        "Hội đồng Tư vấn quốc gia về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số do ai làm Chủ tịch?",
        "sáng kiến 27 công nghệ gen chữa bệnh nhắm vào chữa những bệnh cụ thể nào, ung thư hay tiểu đường?",
    ],
)
def test_a_signer_post_or_offered_value_the_texts_lack_is_refused(corpus_app, question):
    assert corpus_app.ask(question).abstained


@pytest.mark.parametrize(
    "question, fact",
    [
        ("ai ký nghị quyết 03 của chính phủ vậy", "Nguyễn Hòa Bình"),
        ("Ban Chỉ đạo Trung ương do ai làm Trưởng ban?", "Tổng Bí thư"),
    ],
)
def test_a_signer_or_post_the_texts_hold_is_answered(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer


def test_the_signed_documents_are_those_with_a_signature(corpus_app):
    from assistant.abstention import signed_documents

    signed = signed_documents(corpus_app.answerer.searcher.table.chunks)
    assert {"nq57", "nq03", "kl69", "kh01"} <= signed and "nq20" not in signed


def test_a_capitalised_programme_the_texts_lack_is_refused(corpus_app):
    a = corpus_app.ask(
        "Đề án phát triển thể thao thành tích cao được Nghị quyết 20 và Nghị quyết 57 nhắc tới như thế nào?"
    )
    assert a.abstained
    a = corpus_app.ask("Quỹ đầu tư mạo hiểm được Nghị quyết 20 và Nghị quyết 57 nhắc tới như thế nào?")
    assert not a.abstained and "quỹ đầu tư mạo hiểm" in a.answer


def test_a_review_event_no_clause_found_states_is_refused(corpus_app):
    # "sơ kết", "tổng kết", "giữa kỳ": the texts say these in these words when they say them
    assert corpus_app.ask("Kế hoạch của Viện Hàn lâm dự kiến tổ chức đánh giá giữa kỳ vào năm nào?").abstained
    a = corpus_app.ask("Kết luận 69 yêu cầu sơ kết, tổng kết những gì?")
    assert not a.abstained and "sơ kết" in a.answer


def test_a_target_of_the_paragraphs_year_is_not_the_sections_vision(corpus_app):
    # Nghị quyết 20: "Đến năm 2020, … giá trị giao dịch … tăng 15%/năm" under "… đến năm 2020 và
    # tầm nhìn đến năm 2030": the figure is 2020's
    asked = "Nghị quyết 20 đặt mục tiêu đến năm {} giá trị giao dịch của thị trường khoa học và công nghệ tăng bao nhiêu phần trăm mỗi năm?"
    assert corpus_app.ask(asked.format(2030)).abstained
    a = corpus_app.ask(asked.format(2020))
    assert not a.abstained and "15%" in a.answer


def test_who_leads_a_numbered_part_is_asked_of_its_own_clauses(corpus_app):
    # Kế hoạch 01 names no lead ministry for its initiatives: another text's ministry is no answer
    assert corpus_app.ask("Sáng kiến 4 trong Kế hoạch 01 do bộ nào chủ trì?").abstained
    a = corpus_app.ask("Theo Nghị quyết 57 thì Trung tâm an ninh mạng quốc gia thuộc bộ nào?")
    assert not a.abstained and "Bộ Công an" in a.answer
