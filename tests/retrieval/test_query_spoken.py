"""Spoken and regional words typed in a chat (query.toml maps.spoken, which_may): written as
the documents write them when typed with their tone marks, left alone otherwise."""

from __future__ import annotations

import pytest

from retrieval.query import QuestionReader


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader()


@pytest.mark.parametrize(
    "typed, read",
    [
        ("xài tiền mặt được nhiêu phần trăm?", "sử dụng tiền mặt được bao nhiêu phần trăm?"),
        ("Bộ nào mần cái này, hổng thấy ghi", "Bộ nào làm cái này, không thấy ghi"),
        ("tụi em kêu sinh viên vô học", "chúng em yêu cầu sinh viên vào học"),
        # "cái vụ X": the spoken topic marker of X, dropped
        ("Cái vụ học bổng thì sao", "Học bổng thì sao"),
        # "mấy X gì": which ones (những), not how many
        ("giao Bộ Y tế mần mấy việc gì", "giao Bộ Y tế làm những việc gì"),
        ("là mấy cái gì", "là những cái gì"),
        # spoken particles closing the ask, and teen-code short forms
        ("quỹ lấy tiền từ đâu á?", "quỹ lấy tiền từ đâu?"),
        ("học mấy ngành gì nè", "học những ngành gì"),
        ("kb nhiệm vụ này ai lm", "không biết nhiệm vụ này ai làm"),
        ("kb nvu nay ai lm", "khong biet nhiem vu nay ai lam"),
    ],
)
def test_spoken_words_are_read_as_the_documents_write(reader, typed, read):
    assert reader.read(typed) == read
    assert reader.read(read) == read  # idempotent


@pytest.mark.parametrize(
    "typed",
    [
        "bao nhiêu phần trăm",  # "nhiêu" of "bao nhiêu"
        "kêu gọi đầu tư vô tuyến",  # "kêu gọi", Sino-Vietnamese "vô"
        "thiệt hại do thiên tai",
        "có mấy sáng kiến?",  # a count stays a count
        "mấy nhóm, gồm những nhóm nào",
        "may tinh nao",  # typed plain: "máy tính"
        "xai tien vo hoc",  # typed plain: other words may be meant
        "nhóm 3 nước dẫn đầu Đông Nam Á?",  # "Á" of Đông Nam Á is no particle
        "các nước đông nam á",
    ],
)
def test_other_words_are_left_alone(reader, typed):
    assert reader.read(typed) == typed


def test_a_greeting_sentence_before_the_askers_context_is_dropped(reader):
    typed = (
        "Chào bạn! Mình là phóng viên mảng công nghệ. Đang viết bài về bán dẫn. "
        "Kế hoạch 01 có sáng kiến nào về bán dẫn không, tên là gì?"
    )
    assert reader.read(typed) == "Kế hoạch 01 có sáng kiến nào về bán dẫn không, tên là gì?"


@pytest.mark.parametrize(
    "typed, read",
    [
        ("nq57 đặt mục tiêu gì về 5g, em chưa đọc kịp, ad tóm giúp em", "nghị quyết 57 đặt mục tiêu gì về 5g"),
        ("ai ký nq57? cảm ơn ad nhiều", "ai ký nghị quyết 57?"),
        # a request that is itself the ask stays
        ("Ai giải thích giúp em vì sao?", "Ai giải thích giúp em vì sao?"),
    ],
)
def test_a_request_or_thanks_closing_the_ask_is_dropped(reader, typed, read):
    assert reader.read(typed) == read
