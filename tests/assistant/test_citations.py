"""assistant/citations.py: every cited sentence gets an exact quote and a measured support;
markers to no source are dropped; a figure is never taken on trust."""

from __future__ import annotations

from assistant.citations import best_quote, check, split_sentences, support
from assistant.generation.base import Draft, DraftSentence, Source
from retrieval.types import Chunk

TEXT = (
    "1. Đến năm 2030: Tiềm lực, trình độ khoa học, công nghệ đạt trình độ tiên tiến.\n"
    "- Kinh phí chi cho nghiên cứu phát triển (R&D) đạt 2% GDP.\n"
    "- Bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ."
)


def _source(number: int = 1, text: str = TEXT, cid: str = "nq:II.1") -> Source:
    chunk = Chunk(cid, "nq", "57-NQ/TW", cid.split(":")[1], f"Nghị quyết 57-NQ/TW, {cid}", "number", text, 0, len(text))
    return Source(number, chunk, rank=1)


def test_support_needs_every_figure_of_the_sentence():
    evidence = TEXT
    assert support("Chi cho R&D đạt 2% GDP.", evidence) > 0.5
    assert support("Chi cho R&D đạt 5% GDP.", evidence) == 0.0  # 5% is not in the evidence
    assert support("Chi cho R&D đạt 5% GDP.", evidence) < support("Chi cho R&D đạt 2% GDP.", evidence)


def test_best_quote_is_the_supporting_sentence_of_the_chunk():
    a, b = best_quote("Ngân sách dành ít nhất 3% tổng chi cho khoa học.", TEXT)
    assert "3% tổng chi ngân sách" in TEXT[a:b] and "R&D" not in TEXT[a:b]


def test_check_quotes_exactly_and_numbers_citations_in_order():
    draft = Draft(
        [
            DraftSentence("Kinh phí cho R&D đạt 2% GDP.", [1]),
            DraftSentence("Ngân sách dành ít nhất 3% tổng chi cho khoa học, công nghệ.", [1, 7]),
        ]
    )
    checked = check(draft, [_source()])
    assert checked.dropped_markers == 1  # [7] points to no source
    assert [c.marker for c in checked.citations] == [1, 2]
    for c in checked.citations:
        assert c.quote and c.text[c.quote_start : c.quote_start + len(c.quote)] == c.quote
    assert "2% GDP" in checked.citations[0].quote and "3%" in checked.citations[1].quote
    assert checked.supported_ratio == 1.0


def test_an_unsupported_figure_lowers_the_supported_ratio():
    draft = Draft([DraftSentence("Kinh phí cho R&D đạt 2% GDP.", [1]), DraftSentence("Chi 9% ngân sách.", [1])])
    checked = check(draft, [_source()])
    assert [s.supported for s in checked.claims] == [True, False]
    assert checked.supported_ratio == 0.5


def test_split_sentences_keeps_markers_written_after_the_full_stop():
    sentences = split_sentences("Kinh phí R&D đạt 2% GDP. [1] Ngân sách ít nhất 3% [2].\n- Một ý liệt kê [1]\nCác ý:")
    assert [(s.text, s.markers) for s in sentences] == [
        ("Kinh phí R&D đạt 2% GDP.", [1]),
        ("Ngân sách ít nhất 3%.", [2]),
        ("Một ý liệt kê", [1]),
        ("Các ý:", []),
    ]
    assert sentences[2].bullet and sentences[3].framing
