"""Counts and lists asked in phrasings the eval was not tuned on (issue 10): a count followed
by a request for its items ("… ? Kể tên giúp mình.", "…, kể ra") is one ask; a count of a
heading the question names by its own words, whatever noun it counts with ("phần tổ chức
thực hiện … bao nhiêu đầu mối"); nouns that go on past a stop word ("nhóm chính sách")."""

from __future__ import annotations

import pytest

from assistant.multipart import split_asks


@pytest.mark.parametrize(
    "question, query",
    [
        (
            "Kế hoạch 01 có bao nhiêu sáng kiến đột phá? Kể tên giúp mình.",
            "Kế hoạch 01 có bao nhiêu sáng kiến đột phá?",
        ),
        ("nq57 có mấy quan điểm chỉ đạo, kể ra", "nq57 có mấy quan điểm chỉ đạo?"),
        ("Phụ lục II gồm mấy phần? Liệt kê ngắn gọn.", "Phụ lục II gồm mấy phần?"),
        (
            "Nghị quyết 57 nêu mấy quan điểm chỉ đạo, đó là những quan điểm nào?",
            "Nghị quyết 57 nêu mấy quan điểm chỉ đạo?",
        ),
    ],
)
def test_a_count_and_a_request_for_its_items_is_one_ask(corpus_app, question, query):
    parts = split_asks(question, corpus_app.answerer.mentions)
    assert len(parts) == 1 and parts[0].query == query
    assert parts[0].text == question


def test_a_list_tail_after_an_ask_that_is_no_count_is_not_an_ask_of_its_own(corpus_app):
    parts = split_asks("Ai ký Nghị quyết 03? Ký ngày nào? Kể ra giúp mình.", corpus_app.answerer.mentions)
    assert [p.text for p in parts] == ["Ai ký Nghị quyết 03?", "Ký ngày nào?"]


@pytest.mark.parametrize(
    "question, said, items",
    [
        # the heading named by its words, the items counted whatever the noun
        ("phần tổ chức thực hiện của nq57 giao việc cho bao nhiêu đầu mối? kể ra", "gồm 6 đầu mối", 6),
        # "chính sách" goes on past the stop word "chính"
        ("Luật Công nghiệp công nghệ số cần bổ sung mấy nhóm chính sách tháo gỡ điểm nghẽn theo NQ03?", "gồm 3", 3),
        # a period named by its span of years ("2. Giai đoạn 2028 - 2030: Tăng tốc, …")
        (
            "Giai đoạn 2028 - 2030 trong lộ trình của KH01 có bao nhiêu trọng tâm? Liệt kê ngắn gọn.",
            "gồm 9 trọng tâm",
            9,
        ),
        # "mấy việc": a generic noun, the items of the heading named
        ("Nội dung của Sáng kiến 16 trong Phụ lục I KH01 gồm mấy việc, kể ra?", "gồm 6 việc", 6),
        (
            "Phụ lục I của KH01 đưa ra tổng cộng bao nhiêu tiêu chí để chọn và ưu tiên sáng kiến đột phá? Kể tên giúp mình.",
            "gồm 6 tiêu chí",
            6,
        ),
    ],
)
def test_a_count_in_unseen_words_is_read_from_the_tree(corpus_app, question, said, items):
    a = corpus_app.ask(question)
    lines = a.answer.split("\n")
    assert not a.abstained and said in lines[0], a.answer[:200]
    assert sum(ln.startswith("- ") for ln in lines) == items


@pytest.mark.parametrize(
    "question",
    [
        "Nghị quyết 57 đặt mục tiêu đến năm 2030 đào tạo được bao nhiêu kỹ sư bán dẫn?",  # "Đến năm 2030": too common
        "Nghị quyết 20 đặt mục tiêu giá trị sản phẩm công nghệ cao chiếm bao nhiêu trong tổng giá trị sản xuất công nghiệp?",
    ],
)
def test_a_heading_the_question_only_touches_is_not_counted(corpus_app, question):
    a = corpus_app.ask(question)
    assert " gồm " not in a.answer.split("\n")[0]


def test_where_asked_in_the_plural_is_an_ask_of_its_own(corpus_app):
    # "ở những đâu" asks where as "ở đâu" does: the question has two asks
    parts = split_asks(
        "Viện Hàn lâm hỗ trợ cán bộ đi làm việc, thực tập có thời hạn ở những đâu, và mỗi năm cử tối đa bao nhiêu người?",
        corpus_app.answerer.mentions,
    )
    assert [p.text for p in parts] == [
        "Viện Hàn lâm hỗ trợ cán bộ đi làm việc, thực tập có thời hạn ở những đâu?",
        "Mỗi năm cử tối đa bao nhiêu người?",
    ]
