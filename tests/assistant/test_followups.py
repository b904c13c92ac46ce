"""Follow-ups answered end to end on the real documents: the condensed question steers
the search and the evidence, so the answer is about the new slot, not the old one."""

from __future__ import annotations

from assistant.types import Message

GDP_2030 = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"


def test_the_2045_follow_up_answers_50_not_30(corpus_app):
    first = corpus_app.ask(GDP_2030)
    assert "30% GDP" in first.answer
    history = [Message("user", GDP_2030), Message("assistant", first.answer)]
    follow = corpus_app.ask("Còn năm 2045 thì sao?", history)
    assert follow.standalone_question == GDP_2030.replace("2030", "2045")
    assert "50% GDP" in follow.answer
    assert "30% GDP" not in follow.answer
    assert all(
        "Đến năm 2030" not in " ".join(c.breadcrumb)
        for c in [corpus_app.table.by_id[x.chunk_id] for x in follow.citations]
    )


def test_a_reference_to_the_previous_answer_is_resolved(corpus_app):
    first = corpus_app.ask("Sáng kiến 26 trong Kế hoạch 01 là gì?")
    history = [Message("user", "Sáng kiến 26 trong Kế hoạch 01 là gì?"), Message("assistant", first.answer)]
    follow = corpus_app.ask("Sáng kiến đó do ai chủ trì?", history)
    assert follow.standalone_question.startswith("Sáng kiến 26")
    assert any(c.doc_id == "kh01" for c in follow.contexts[:3])
