"""A place named in a count ("Phần C Phụ lục I … có mấy sáng kiến?") answers with its own items
when the counted noun is the one they open with ("Sáng kiến 10: …"), not with the headings about
the noun elsewhere (assistant/tree.py _place_plan, ITEMS_OPEN_SHARE), on the real documents; a
place whose items open otherwise ("Mục II" of Kế hoạch 01 holds Hệ thống 1–6) still leaves the
count to the headings about the noun.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, said, first",
    [
        ("Phần C Phụ lục I Kế hoạch 01 có mấy sáng kiến?", "gồm 6 sáng kiến", "Sáng kiến 10"),
        ("kh01 phan g muc III phu luc I co bao nhieu sang kien", "gồm 5 sáng kiến", "Sáng kiến 26"),
    ],
)
def test_a_place_counted_by_its_items_noun(corpus_app, question, said, first):
    a = corpus_app.ask(question)
    opening = a.answer.split("\n")[0]
    assert not a.abstained and said in opening and first in a.answer


def test_a_place_whose_items_are_other_parts_leaves_the_noun_to_its_headings(corpus_app):
    a = corpus_app.ask("Mục II của Kế hoạch 01 có bao nhiêu sáng kiến?")
    assert "Mục II gồm" not in a.answer.split("\n")[0]
