"""The names of several things asked ("gồm những nước nào", "5 tạp chí … có tên là gì") must
be written by a clause found (assistant/intent.py proper_names, intent.toml names_asked; the
check in assistant/abstention.py), on the real documents: a clause that speaks of the things
without naming two of them ("mạng lưới đại diện … ở nước ngoài") is refused with the nearest
clauses; the clause that names them ("tại Hà Nội, Thành phố Hồ Chí Minh, Đà Nẵng") answers.
One thing's own name ("Sáng kiến 12 tên là gì") is no such ask.
"""

from __future__ import annotations

from assistant.intent import NAMES_ASKED, proper_names


def test_proper_names_leave_out_the_opening_word_and_the_asked_names():
    text = "Đầu tư xây dựng các sàn giao dịch công nghệ quốc gia tại Hà Nội, Thành phố Hồ Chí Minh, Đà Nẵng"
    assert {"ha noi", "ho chi minh", "da nang"} <= proper_names(text, "san giao dich o nhung thanh pho nao")
    assert "dau" not in proper_names(text, "")  # the sentence's first word
    said = "Phát triển mạng lưới đại diện khoa học và công nghệ của Việt Nam ở nước ngoài."
    assert proper_names(said, "mang luoi dai dien cua viet nam o nuoc ngoai gom nhung nuoc nao") == set()


def test_several_names_asked_not_one_things_name():
    assert NAMES_ASKED.search("mang luoi dai dien o nuoc ngoai gom nhung nuoc nao")
    assert NAMES_ASKED.search("5 tap chi dat chuan web of science co ten la gi?")
    assert not NAMES_ASKED.search("sang kien 12 cua ke hoach 01 ten la gi")
    assert not NAMES_ASKED.search("gom nhung nhiem vu nao")


def test_names_no_clause_writes_are_refused(corpus_app):
    a = corpus_app.ask(
        "Theo Kết luận 69, mạng lưới đại diện khoa học và công nghệ của Việt Nam ở nước ngoài gồm những nước nào?"
    )
    assert a.abstained and a.citations == [] and a.contexts


def test_the_names_a_clause_writes_are_answered(corpus_app):
    a = corpus_app.ask("Nghị quyết 20 xây dựng các sàn giao dịch công nghệ quốc gia ở những thành phố nào?")
    assert not a.abstained and "Hà Nội" in a.answer and "Đà Nẵng" in a.answer
