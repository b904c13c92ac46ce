"""A body the question names that no clause found writes is refused (intent.missing_anchor
over entities.toml bodies, the Party's central boards included: "Ban Dân vận Trung ương"),
on the real documents; the body the clause names is answered.
"""

from __future__ import annotations

from assistant.intent import named_bodies


def test_the_central_boards_are_named_bodies():
    assert "ban dan van trung uong" in named_bodies("Ban Dân vận Trung ương chủ trì việc gì?")
    assert named_bodies("Ban Tuyên giáo và Dân vận Trung ương") == ["ban tuyen giao va dan van trung uong"]


def test_a_body_swapped_for_one_no_clause_names_is_refused(corpus_app):
    a = corpus_app.ask("Theo Kết luận 69, Ban Dân vận Trung ương chủ trì hướng dẫn, theo dõi việc thực hiện Kết luận?")
    assert a.abstained and a.citations == []


def test_the_body_the_clause_names_is_answered(corpus_app):
    a = corpus_app.ask("Theo Kết luận 69, cơ quan nào chủ trì hướng dẫn, theo dõi việc thực hiện Kết luận?")
    assert not a.abstained and "Ban Tuyên giáo Trung ương" in a.answer
