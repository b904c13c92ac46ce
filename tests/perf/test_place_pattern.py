"""Issue 13 (warm batch p95): intent.names_place looks for every place (intent.toml
places) with one alternation compiled once, and finds a place exactly where the plain
search of each place's own pattern finds one: on every chunk of the real corpus, on texts
that name each place (at the start, inside a sentence, in capitals) and on texts where a
place stands only inside a longer word. No timing is asserted."""

from __future__ import annotations

import re

from assistant import intent
from retrieval.text import fold


def _plain(texts: list[str]) -> bool:
    places = intent._RULES.word_set("places")  # noqa: SLF001
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", fold(t).lower()) for t in texts for p in places)


def test_places_rule_is_not_empty():
    assert len(intent._RULES.word_set("places")) > 10  # noqa: SLF001


def test_same_as_each_place_on_the_corpus(corpus_app):
    texts = [c.text for c in corpus_app.table.chunks]
    found = 0
    for text in texts:
        got = intent.names_place([text])
        assert got == _plain([text]), text[:80]
        found += got
    assert 0 < found < len(texts)
    assert intent.names_place(texts) == _plain(texts)


def test_same_as_each_place_on_written_texts():
    places = sorted(intent._RULES.word_set("places"))  # noqa: SLF001
    for place in places:
        for text in (
            f"{place} triển khai",
            f"Ủy ban nhân dân {place.upper()}, các sở",
            f"tại {place}.",
            f"x{place}",
            f"{place}x",
            f"{place}_1",
        ):
            assert intent.names_place([text]) == _plain([text]), text
    assert intent.names_place(["Không nói nơi nào"]) is _plain(["Không nói nơi nào"]) is False
    assert intent.names_place([]) is False
