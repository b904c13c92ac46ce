"""How a count's noun is read and matched to the documents' headings, on the real documents:
a compound that ends in a stop word stays whole (answers.toml noun_pairs: "lý do", "hiện
tại", "trực thuộc"); a noun after "và" early in a heading is one of its head nouns
(assistant/doctree.py heads_with: "Đột phá và lý do cần Nghị quyết 57"); a section title
that names the noun after its first words lists them (TreeAnswerer._work_shape), while a
title opening with the noun still names one thing ("CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ")."""

from __future__ import annotations

import pytest

from assistant.doctree import heads_with


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Bài so sánh nêu mấy lý do đột phá cho thấy cần có Nghị quyết 57?", "gồm 3 lý do đột phá"),
        ("bai so sanh neu may ly do can co nq57", "gồm 3 lý do"),
        ("5w1h nêu mấy hạn chế hiện tại", "gồm 3 hạn chế hiện tại"),
        ("Kế hoạch 01 giao trách nhiệm cho bao nhiêu đảng ủy trực thuộc Trung ương?", "gồm 6 đảng ủy trực thuộc"),
    ],
)
def test_a_compound_noun_ending_in_a_stop_word_is_counted_whole(corpus_app, question, expected):
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert expected in opening, opening


def test_a_noun_after_and_early_in_a_heading_is_its_head_noun():
    assert heads_with("dot pha va ly do can nghi quyet 57".split(), "ly do")
    assert heads_with("nhiem vu va giai phap".split(), "giai phap")
    # late in the line, after a verb phrase: merely named, not the list's noun
    assert not heads_with("tang cuong dau tu phat trien ha tang va ly do".split(), "ly do")


def test_a_title_opening_with_the_noun_is_not_a_list_of_it(corpus_app):
    opening = corpus_app.ask("Chương trình hành động của Chính phủ có mấy chương trình?").answer.split("\n")[0]
    assert "gồm" not in opening or "CHƯƠNG TRÌNH HÀNH ĐỘNG" not in opening, opening


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Theo bài so sánh, Nghị quyết 20 còn hạn chế về mấy mặt?", "gồm 3 mặt"),
        ("bai so sanh noi nq20 con han che ve may mat", "gạch đầu dòng thứ 1 gồm 3"),
    ],
)
def test_mat_counts_a_headings_items_as_a_generic_noun(corpus_app, question, expected):
    # answers.toml counted_parts: "mặt" (aspect), like "khía cạnh", "mảng": the items counted
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert expected in opening, opening
