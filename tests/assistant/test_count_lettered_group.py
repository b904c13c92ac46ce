"""One group of a list grouped by letters, named by its letter ("Nhóm E … có mấy sáng kiến",
"Phần C … gồm những sáng kiến nào"), is answered with that group's own items, not the whole
list's (answers.toml lettered_group, tree._lettered_group), on the real documents.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, said, first, other",
    [
        ("Nhóm E ở Phụ lục I Kế hoạch 01 có mấy sáng kiến?", "gồm 5 sáng kiến", "Sáng kiến 21", "Sáng kiến 1:"),
        (
            "nhom a trong danh sach sang kien dot pha kh01 co bao nhieu sang kien",
            "gồm 3 sáng kiến",
            "Sáng kiến 1",
            "Sáng kiến 4",
        ),
    ],
)
def test_the_group_named_by_its_letter_is_counted(corpus_app, question, said, first, other):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0]
    assert first in a.answer and other not in a.answer
