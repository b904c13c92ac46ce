"""Words that only frame a count ("có tất cả bao nhiêu", "tổng cộng mấy") and the asked noun
itself, written with its tone marks, say nothing of the count's subject: they do not make a
heading's items look like the wrong subject (tree._subject_elsewhere; answers.toml
count_frame), on the real documents.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, said",
    [
        ("Kết luận 69 có tất cả bao nhiêu điểm?", "gồm 7 điểm"),
        ("Kết luận 69 có tổng cộng bao nhiêu điểm?", "gồm 7 điểm"),
        ("Nghị quyết 20 có tất cả mấy phần?", "gồm 3 phần"),
        ("Mục III của Nghị quyết 57 có tất cả mấy điểm?", "gồm 7 điểm"),
    ],
)
def test_a_count_framed_by_tat_ca(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0]
