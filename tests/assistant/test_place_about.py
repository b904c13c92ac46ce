"""A place asked ("ở thành phố nào") is named by a clause about the asked thing
(assistant/abstention.py AbstentionPolicy._about), on the real documents: the clauses found
must hold the ask's rarest word of two syllables ("bảo tàng") and name a city; a city named
in a clause about another thing found beside it ("sàn giao dịch công nghệ … tại Hà Nội") is no
answer, and the question about that other thing is answered with its cities. Where a thing is
built or set up ("được đặt ở đâu") is asked the same way.
"""

from __future__ import annotations


def test_a_place_named_only_for_another_thing_is_refused(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 20, các bảo tàng khoa học và công nghệ được đặt ở thành phố nào?")
    assert a.abstained and a.citations == [] and a.contexts


def test_the_place_of_the_thing_asked_is_answered(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 20, sàn giao dịch công nghệ quốc gia được xây ở thành phố nào?")
    assert not a.abstained and "Hà Nội" in a.answer and "Đà Nẵng" in a.answer


def test_where_a_thing_is_set_up_needs_a_place(corpus_app):
    a = corpus_app.ask("Trung tâm dữ liệu quốc gia theo Nghị quyết 57 được đặt ở đâu?")
    assert a.abstained and a.citations == []
    a = corpus_app.ask("Theo Nghị quyết 20, sàn giao dịch công nghệ quốc gia được xây dựng ở đâu?")
    assert not a.abstained and "Hà Nội" in a.answer
