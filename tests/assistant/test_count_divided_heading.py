"""A count asked of a heading the question names as what is divided, or of a structural
noun with a word of size, on the real documents (assistant/tree.py; rules
``partition_verbs`` and ``structural_sizes`` in retrieval/resources/rules/answers.toml):

- "chia/phân <heading> thành/làm mấy <noun>": the 5W1H analysis's "- Mốc thời gian:" holds
  "Ngắn hạn (2025)", "Trung hạn (2030)", "Dài hạn (2045)"; the noun asked ("giai đoạn") is
  not the heading's own word, the heading named as the object of the verb is the one counted
  (it was refused: no heading's noun matched and the question said more than the heading).
- "mấy điểm nhỏ", "bao nhiêu điểm lớn": the points of the heading, whatever their size
  (it was refused: "điểm nhỏ" read as a figure noun, "điểm" of a score)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "Bài 5W1H chia mốc thời gian thực hiện nghị quyết làm bao nhiêu giai đoạn?",
        "Bài phân tích 5W1H phân mốc thời gian thực hiện các mục tiêu làm mấy giai đoạn?",
    ],
)
def test_a_heading_named_as_what_is_divided_is_counted(corpus_app, question):
    answer = corpus_app.ask(question).answer
    assert "điểm 4, gạch đầu dòng thứ 1 gồm 3 giai đoạn" in answer.split("\n")[0], answer
    for year in ("2025", "2030", "2045"):
        assert year in answer, answer


@pytest.mark.parametrize(
    "question",
    [
        "Điểm 2 về đổi mới đồng bộ cơ chế quản lý, tổ chức, hoạt động khoa học và công nghệ của Nghị quyết 20 có mấy điểm nhỏ?",
        "Trong Nghị quyết 20, phần tiếp tục đổi mới mạnh mẽ, đồng bộ cơ chế quản lý, tổ chức, hoạt động khoa học và công nghệ gồm bao nhiêu điểm lớn?",
    ],
)
def test_a_structural_noun_with_a_size_counts_the_points(corpus_app, question):
    answer = corpus_app.ask(question).answer
    assert "Mục III, điểm 2 gồm 6 điểm" in answer.split("\n")[0], answer
    assert "2.6-" in answer, answer


def test_a_size_after_a_generic_noun_keeps_the_askers_noun(corpus_app):
    # "nội dung nhỏ" already counted the items; its wording stays the asker's
    answer = corpus_app.ask(
        "Nghị quyết 20 chia phần đổi mới cơ chế quản lý, tổ chức, hoạt động khoa học và công nghệ thành mấy nội dung nhỏ?"
    ).answer
    assert "gồm 6 nội dung nhỏ" in answer.split("\n")[0], answer
