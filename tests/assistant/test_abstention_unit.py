"""A figure asked in a unit or magnitude the text does not use is refused with the nearest
clauses (intent.toml magnitude_asked / magnitude, money_asked; assistant/intent.py
has_asked_value), on the real documents; the same figure asked in the text's own unit is
answered:

- "bao nhiêu nghìn người" of "12 người trên một vạn dân" (a rate, not a count in thousands);
- "bao nhiêu tỷ đồng" of "2% GDP" or "ít nhất 3% tổng chi ngân sách" (a share, not an amount);
- "bao nhiêu nghìn thiết bị" of "khoảng 20%/năm".
"""

from __future__ import annotations

from assistant import intent


def test_a_magnitude_asked_needs_a_figure_of_that_size():
    rate = ["Nguồn nhân lực nghiên cứu khoa học đạt 12 người trên một vạn dân"]
    assert not intent.has_asked_value("dat bao nhieu nghin nguoi", rate)
    assert intent.has_asked_value("dat bao nhieu nguoi tren mot van dan", rate)
    assert intent.has_asked_value("dao tao bao nhieu nghin ky su", ["đào tạo 100.000 kỹ sư"])
    assert intent.MAGNITUDE.search("ket noi hang ti thiet bi")  # in words: abstention.counted_in_words


def test_a_count_in_thousands_of_a_rate_is_refused(corpus_app):
    a = corpus_app.ask(
        "Nghị quyết 57 đặt mục tiêu năm 2030 có bao nhiêu nghìn người làm nghiên cứu khoa học, phát triển công nghệ?"
    )
    assert a.abstained and a.citations == [] and a.contexts
    assert "nq57:II.1.-3" in [c.chunk_id for c in a.contexts]  # the clause of the rate is among the nearest


def test_the_rate_in_its_own_unit_is_answered(corpus_app):
    a = corpus_app.ask(
        "Nghị quyết 57 đặt mục tiêu năm 2030 nhân lực nghiên cứu khoa học đạt bao nhiêu người trên một vạn dân?"
    )
    assert not a.abstained and "12 người trên một vạn dân" in a.answer


def test_an_amount_asked_of_a_share_is_refused(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 57, kinh phí chi cho R&D đến năm 2030 là bao nhiêu tỷ đồng?")
    assert a.abstained and a.contexts
    a = corpus_app.ask("Theo Nghị quyết 57, kinh phí chi cho R&D đến năm 2030 chiếm bao nhiêu phần trăm GDP?")
    assert not a.abstained and "2% GDP" in a.answer


def test_a_count_of_a_yearly_rate_is_refused(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 20, đến năm 2020 mỗi năm phải đổi mới bao nhiêu nghìn thiết bị?")
    assert a.abstained and a.contexts
