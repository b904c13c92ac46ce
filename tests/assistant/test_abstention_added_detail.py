"""A detail the ask adds to what a clause states, one that no document writes anywhere
(assistant/abstention.py unwritten_detail): "tỉ lệ doanh nghiệp [ngoài quốc doanh] có hoạt
động đổi mới sáng tạo đạt bao nhiêu" is the sentence of Nghị quyết 57 word for word but for
the added words, so its "trên 40%" is the figure of all firms, not of those asked: refused.
The same asks without the added detail are answered from that sentence.

The family is measured on the dev check set w15r (eval/questions.jsonl, ids w15r-*: near
misses of a wrong year, body, added modifier, document, figure, deadline or amount, with
answerable twins).
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "Theo Nghị quyết 57, đến năm 2030 tỉ lệ doanh nghiệp ngoài quốc doanh có hoạt động đổi mới sáng tạo đạt bao nhiêu phần trăm?",
        "Đến năm 2030, Viện Hàn lâm đặt mục tiêu có bao nhiêu nhà khoa học kiều bào làm việc tại Viện Hàn lâm?",
        "Theo Nghị quyết 20, đến năm 2020 số cán bộ khoa học và công nghệ trẻ tuổi nghiên cứu và phát triển đạt bao nhiêu người trên một vạn dân?",
        # the detail ends right before the value's verb: one syllable ("đạt") flanks it
        "Theo Nghị quyết 57, đến năm 2030 tỉ lệ sử dụng dịch vụ công trực tuyến của người khuyết tật đạt bao nhiêu phần trăm?",
    ],
)
def test_a_detail_no_document_writes_added_to_a_stated_figure_is_refused(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained and a.citations == [] and a.contexts


@pytest.mark.parametrize(
    "question, fact",
    [
        (
            "Theo Nghị quyết 57, đến năm 2030 tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt bao nhiêu phần trăm?",
            "40%",
        ),
        (
            "Theo Nghị quyết 57, đến năm 2030 tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt bao nhiêu phần trăm?",
            "80%",
        ),
        ("Đến năm 2030, Viện Hàn lâm đặt mục tiêu có bao nhiêu nhà khoa học làm việc tại Viện Hàn lâm?", "5.000"),
        (
            "Theo Nghị quyết 20, đến năm 2020 số cán bộ khoa học và công nghệ nghiên cứu và phát triển đạt bao nhiêu người trên một vạn dân?",
            "11 người",
        ),
    ],
)
def test_the_ask_without_the_added_detail_is_answered(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer
