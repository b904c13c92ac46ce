"""A total asked across groups that the question names without asking their number ("tổng
cộng bao nhiêu nhiệm vụ trong các nhóm", "… trong cả 6 nhóm") is the sum of every group's
items with the groups counted (answers.toml two_level_reversed; the said count of groups is
context, not an anchor: belongs_context, abstention.decide), on the real documents.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, said",
    [
        (
            "Tổng cộng có bao nhiêu sáng kiến đột phá trong các hệ thống chiến lược của Kế hoạch 01?",
            "tổng cộng 30 sáng kiến",
        ),
        ("Kế hoạch 01 có tổng cộng bao nhiêu sáng kiến trong cả 6 nhóm?", "tổng cộng 30 sáng kiến"),
        (
            "Chương trình hành động của Chính phủ có tổng cộng bao nhiêu nhiệm vụ trong các nhóm?",
            "tổng cộng 102 nhiệm vụ",
        ),
    ],
)
def test_a_total_across_the_groups_said(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0]
