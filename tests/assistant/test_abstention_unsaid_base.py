"""A figure asked of a subject whose words after the asked value's slot name another base
than the one its sentence gives (assistant/abstention.py unsaid_base): "bao nhiêu phần trăm
tổng [kim ngạch xuất khẩu]" where Nghị quyết 20 sets "khoảng 40% tổng giá trị sản xuất
công nghiệp" is refused with the nearest clauses; asked of the base the text writes, it is
answered. On the real documents."""

from __future__ import annotations


def test_a_share_of_another_base_is_refused(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 20, đến năm 2020 sản phẩm công nghệ cao phải chiếm bao nhiêu phần trăm tổng kim ngạch xuất khẩu?"
    )
    assert a.abstained and a.citations == [] and a.contexts


def test_a_share_of_another_budget_is_refused(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 20, đầu tư của nhà nước cho khoa học và công nghệ phải bảo đảm tối thiểu bao nhiêu "
        "phần trăm tổng chi ngân sách địa phương hằng năm?"
    )
    assert a.abstained and a.citations == []


def test_the_share_of_the_written_base_is_answered(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 20, đến năm 2020 sản phẩm công nghệ cao và sản phẩm ứng dụng công nghệ cao đạt bao nhiêu "
        "phần trăm tổng giá trị sản xuất công nghiệp?"
    )
    assert not a.abstained and "40%" in a.answer
    b = corpus_app.ask(
        "Theo Nghị quyết 20, đầu tư của nhà nước cho khoa học và công nghệ phải bảo đảm tối thiểu bao nhiêu "
        "phần trăm tổng chi ngân sách nhà nước hằng năm?"
    )
    assert not b.abstained and "2%" in b.answer
