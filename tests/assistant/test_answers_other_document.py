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
