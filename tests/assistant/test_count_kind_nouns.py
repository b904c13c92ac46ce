"""A structural noun that names one kind of clause (answers.toml structural_kinds: "mấy điều"
the articles, "mấy phụ lục" the appendices) is answered by the clauses of that kind, even
when the question's other words ("ban hành Chương trình hành động") lean to a heading of
another kind (tree._kind_plan), on the real documents.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, said, item",
    [
        ("Nghị quyết 03/NQ-CP ban hành Chương trình hành động gồm mấy điều?", "gồm 3 điều", "Điều 3."),
        ("Quyết định 116 của Viện Hàn lâm ban hành kế hoạch thực hiện có mấy điều?", "gồm 3 điều", "Điều 2."),
        ("Kế hoạch 01 về hành động chiến lược có mấy phụ lục?", "gồm 2 phụ lục", "PHỤ LỤC II"),
    ],
)
def test_the_clauses_of_the_kind_named_are_counted(corpus_app, question, said, item):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0] and item in a.answer
