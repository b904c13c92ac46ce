"""A field of a numbered part, on the real documents: "Mục tiêu cụ thể của Sáng kiến 7 là
gì?", "nội dung của sáng kiến 4", asked directly or as a follow-up ("mục tiêu cụ thể của
sáng kiến đó là gì?"), is answered from that part's item labelled so ("- Mục tiêu: …"),
not from another heading that says "mục tiêu cụ thể" or another initiative's "Nội dung:"."""

from __future__ import annotations

import pytest

from assistant.types import Message
from retrieval.part_fields import part_fields

# (question, the part's item its answer must cite first among the appendix's items)
DIRECT = [
    ("Mục tiêu cụ thể của Sáng kiến 7 là gì?", "kh01:PL1.III.B.7.-1"),
    ("Mục tiêu cụ thể của Sáng kiến 20 là gì?", "kh01:PL1.III.D.20.-1"),
    ("Nội dung cụ thể của Sáng kiến 4 là gì?", "kh01:PL1.III.B.4.-2"),
    ("Nội dung của Sáng kiến 13 gồm những gì?", "kh01:PL1.III.C.13.-2"),
    ("sang kien 19 co muc tieu gi", "kh01:PL1.III.D.19.-1"),
]
FOLLOW = [
    ("Sáng kiến 4 trong KH01 là gì?", "nội dung cụ thể của sáng kiến đó ở phụ lục là gì?", "kh01:PL1.III.B.4.-2"),
    ("Sáng kiến 7 trong Kế hoạch 01 là gì?", "mục tiêu cụ thể của sáng kiến đó là gì?", "kh01:PL1.III.B.7.-1"),
    ("Sáng kiến 22 là gì?", "còn mục tiêu của nó?", "kh01:PL1.III.E.22.-1"),
]


def _cites(answer, item: str) -> bool:
    return any(c.chunk_id == item or c.chunk_id.startswith(item + ".") for c in answer.citations)


@pytest.mark.parametrize(("question", "item"), DIRECT)
def test_a_field_of_a_named_initiative_is_its_labelled_item(corpus_app, question, item):
    answer = corpus_app.ask(question, [])
    assert not answer.abstained
    assert _cites(answer, item), [c.chunk_id for c in answer.citations]


@pytest.mark.parametrize(("first", "question", "item"), FOLLOW)
def test_a_field_asked_of_the_initiative_the_last_turn_named(corpus_app, first, question, item):
    history = [Message("user", first), Message("assistant", corpus_app.ask(first, []).answer)]
    answer = corpus_app.ask(question, history)
    assert not answer.abstained
    assert _cites(answer, item), (answer.standalone_question, [c.chunk_id for c in answer.citations])


def test_the_lookup_needs_the_part_and_a_label_it_holds(corpus_app):
    searcher = corpus_app.searcher  # a HybridSearcher: its table, leads and rules
    args = (searcher.table, searcher._lead, searcher._row)
    rules = searcher.reader.rules
    found = part_fields(*args, "muc tieu cu the cua sang kien 7 la gi", rules)
    assert [c.id for c in found] == ["kh01:PL1.III.B.7.-1"]
    assert part_fields(*args, "sang kien 7 la gi", rules) == []  # no label asked
    assert part_fields(*args, "muc tieu cu the den nam 2030", rules) == []  # no part named
    assert part_fields(*args, "muc tieu cua sang kien 7", rules, ["nq57"]) == []  # another document's part
