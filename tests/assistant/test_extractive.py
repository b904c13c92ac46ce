"""assistant/generation/extractive.py: the offline generator answers only with sentences
quoted from its sources, each citing the source it quotes."""

from __future__ import annotations

import pytest

from assistant.generation.base import GenerationRequest, Source
from assistant.registry import GENERATORS

QUESTION = (
    "Hằng năm phải bố trí tối thiểu bao nhiêu phần trăm tổng chi ngân sách cho khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số?"
)


@pytest.fixture
def extractive(corpus_app):
    """Built as the Assistant builds it (assistant/api.py), over the corpus's BM25 statistics."""
    lexical = corpus_app.searcher.lexical
    return GENERATORS.make(
        "extractive",
        prompts=corpus_app.prompts,
        tokens=lambda text: lexical.analyzer.tokens(text, query=True),
        idf=lexical.idf,
        known=lambda t: t in lexical.doc_freq,
    )


def _request(clause, *paths) -> GenerationRequest:
    sources = [Source(n, clause("57-NQ/TW", p), rank=n) for n, p in enumerate(paths, 1)]
    return GenerationRequest(question=QUESTION, sources=sources, focus=QUESTION)


def test_every_claim_is_a_quote_of_the_source_it_cites(extractive, clause):
    request = _request(clause, "II.1.-3", "II.1.-2")
    draft = extractive.generate(request)
    claims = [s for s in draft.sentences if not s.framing]
    assert claims and all(s.markers for s in claims)
    by_number = {s.number: s.chunk for s in request.sources}
    for s in claims:
        for n in s.markers:
            assert n in by_number
            if n in s.quotes:
                assert s.quotes[n] in by_number[n].text
    assert any("3%" in s.text for s in claims)  # the figure asked for, from the right dash


def test_streaming_sends_the_same_text(extractive, clause):
    request = _request(clause, "II.1.-3")
    pieces: list[str] = []
    streamed = extractive.stream(request, pieces.append)
    assert [s.text for s in streamed.sentences] == [s.text for s in extractive.generate(request).sentences]
    assert all(s.text in "".join(pieces) for s in streamed.sentences)
