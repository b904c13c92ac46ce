"""A heading asked by its topic words is the deepest one whose own line says them
(assistant/tree.py TreeAnswerer._topic_heading), not its parent about the noun whose topic
words stand only in the line above it, on the real documents: Nghị quyết 20's "III- NHIỆM
VỤ VÀ GIẢI PHÁP" (6 items) sits under "B- ĐỊNH HƯỚNG PHÁT TRIỂN KHOA HỌC …", while "3- Triển
khai các định hướng nhiệm vụ khoa học và công nghệ chủ yếu" (3 items) is the one named."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "Về định hướng nhiệm vụ khoa học, Nghị quyết 20 đề ra bao nhiêu nhiệm vụ?",
        "Phần nói về định hướng nhiệm vụ khoa học trong Nghị quyết 20 có mấy nhiệm vụ?",
    ],
)
def test_the_heading_whose_own_line_names_the_topic_is_counted(corpus_app, question):
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert "Mục III, điểm 3 gồm 3" in opening, opening


def test_a_count_of_the_documents_noun_alone_keeps_its_section(corpus_app):
    opening = corpus_app.ask("Nghị quyết 20 có bao nhiêu nhiệm vụ và giải pháp?").answer.split("\n")[0]
    assert "Mục III gồm 6" in opening, opening


def test_a_count_of_groups_keeps_the_heading_of_the_groups(corpus_app):
    # "nhóm" counts the groups ("A- Nhóm sáng kiến …"): no group's own line is the topic
    opening = corpus_app.ask("kh01 có mấy nhóm danh sách?").answer.split("\n")[0]
    assert "Phụ lục I, Mục III gồm 6" in opening, opening


@pytest.mark.parametrize(
    "question",
    [
        "Kể tên các nhiệm vụ về gỡ điểm nghẽn của Nghị quyết 03.",
        "Phần nói về gỡ điểm nghẽn trong Nghị quyết 03 có mấy nhiệm vụ?",
    ],
)
def test_a_lettered_point_deep_under_the_tasks_heading_is_a_group_of_them(corpus_app, question):
    # "II. NHIỆM VỤ CỤ THỂ" › "2. Khẩn trương …" › "g) Bổ sung các chính sách tháo gỡ điểm nghẽn …"
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert "Mục II, điểm 2, tiết g" in opening, opening
