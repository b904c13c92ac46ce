"""A contact asked ("qua địa chỉ email nào", "trang web nào", "số điện thoại là gì") needs an
address of that kind in the clauses found (assistant/intent.py unwritten_contact; rules
email_asked/email, web_asked/web_address, phone_asked/phone in retrieval/resources/rules/intent.toml),
on the real documents: Kế hoạch 01 sets monthly reports to the Ban Chỉ đạo and writes the
monitoring system's web address ("https: //nq57.vn") but no e-mail address or phone number, so
the clause about the reports answers no e-mail asked (it was answered from that clause)."""

from __future__ import annotations

import pytest

from assistant.intent import unwritten_contact
from retrieval.text import fold


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 01 yêu cầu các đảng ủy gửi báo cáo hằng tháng cho Ban Chỉ đạo Trung ương vào hộp thư điện tử nào?",
        "Báo cáo định kỳ gửi Ban Chỉ đạo Trung ương theo Kế hoạch 01 được gửi tới email nào?",
    ],
)
def test_an_email_no_clause_writes_is_refused(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained, a.answer


def test_a_web_address_the_plan_writes_is_answered(corpus_app):
    a = corpus_app.ask("Theo Kế hoạch 01, các chỉ tiêu được cập nhật trên hệ thống giám sát tại trang web nào?")
    assert not a.abstained and "nq57.vn" in a.answer, a.answer


def test_a_contact_needs_its_own_kind_of_address():
    text = fold("cập nhật trên Hệ thống giám sát tại địa chỉ https: //nq57.vn.")
    assert unwritten_contact(fold("báo cáo gửi qua địa chỉ email nào"), [text])
    assert not unwritten_contact(fold("hệ thống đặt tại trang web nào"), [text])
    assert unwritten_contact(fold("số điện thoại liên hệ là gì"), [text])
    assert not unwritten_contact(fold("số điện thoại liên hệ là gì"), ["Điện thoại: 024.3823.4567"])
    assert not unwritten_contact(fold("Kế hoạch 01 giao những nhiệm vụ gì"), [text])
