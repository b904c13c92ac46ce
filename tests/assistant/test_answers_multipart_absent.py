"""A part of a multi-part question that the documents do not answer is said to be absent,
while the other parts keep their answers and citations (on the real documents)."""

from __future__ import annotations

from .test_answers import assert_well_cited

ABSENT = "các văn bản hiện có không nêu nội dung này"


def test_a_part_the_documents_do_not_answer_is_said_absent(corpus_app):
    a = corpus_app.ask(
        "Viện Hàn lâm hỗ trợ cán bộ đi làm việc, thực tập có thời hạn ở những đâu, "
        "và mỗi năm cử tối đa bao nhiêu người?"
    )
    assert not a.abstained
    assert "doanh nghiệp trong và ngoài nước" in a.answer  # the present part, answered
    assert f"Về «Mỗi năm cử tối đa bao nhiêu người»: {ABSENT}." in a.answer
    assert "Phụ lục I" not in " ".join(c.label for c in a.citations)  # no heading line for the absent part
    assert [c.doc_id for c in a.citations] == ["kh-vhl"]
    assert_well_cited(a)


def test_parts_that_are_both_answered_stay_answered(corpus_app):
    a = corpus_app.ask("Nghị quyết 57 do ai ký? Ký ngày nào?")
    assert not a.abstained and ABSENT not in a.answer
    assert "Tô Lâm" in a.answer and "22/12/2024" in a.answer
    assert_well_cited(a)
