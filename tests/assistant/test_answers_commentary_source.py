"""A commentary named as the source ("Theo bài so sánh, Nghị quyết 20 …", "Theo bài phân
tích 5W1H, … Nghị quyết 57 …") is where the answer comes from; the resolution it discusses
is what it is asked about (retrieval/docref.py), on the real documents."""

from __future__ import annotations

import pytest


def _cites(answer, item: str) -> bool:
    return any(c.chunk_id == item or c.chunk_id.startswith(item + ".") for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("Theo bài so sánh, Nghị quyết 20 tập trung vào việc gì?", "so-sanh:2.-1.-1"),
        (
            "Theo bài phân tích 5W1H, trong ngắn hạn (năm 2025) Nghị quyết 57 cần hoàn thành những việc gì?",
            "5w1h:4.-1.-1",
        ),
    ],
)
def test_a_commentary_named_as_the_source_answers_of_the_resolution_it_discusses(corpus_app, question, item):
    answer = corpus_app.ask(question, [])
    assert not answer.abstained
    assert _cites(answer, item), [c.chunk_id for c in answer.citations]
