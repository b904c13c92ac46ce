"""Issue 13 (wave 5): the warm path's shortcuts give exactly what the plain code gives.

The answer cache replays an exactly repeated request (same question, conversation,
document filter, generation, settings) and nothing else; the folds, supports and shares
worked out from remembered pieces equal those worked out whole, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answer_cache import AnswerCache, request_key
from assistant.api import Assistant
from assistant.citations import support, support_in
from assistant.types import Answer, Message
from retrieval.text import fold, fold_join

QUESTION = "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?"


def _plain(answer: Answer) -> dict:
    got = answer.to_json()
    got.pop("timings_ms")
    return got


def test_a_repeated_request_gets_the_same_answer_as_a_fresh_computation(corpus_app):
    app = Assistant(corpus_app.settings)
    uncached = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    history = [Message("user", "Nghị quyết 57 nói gì về kinh tế số?"), Message("assistant", "…")]
    for question, hist in [(QUESTION, []), ("Còn đến năm 2045 thì sao?", history), (QUESTION, history)]:
        first = app.ask(question, hist)
        again = app.ask(question, hist)
        assert again is not first  # each caller its own copy
        assert _plain(again) == _plain(first) == _plain(uncached.ask(question, hist))
        again.citations.clear()  # what a caller does to its copy stays with it
        assert _plain(app.ask(question, hist)) == _plain(first)
    loaded = app._current()  # noqa: SLF001 - the generation's own cache is what is checked
    assert loaded.answers is not None and len(loaded.answers) == 3  # the three requests, each once


def test_the_cache_is_off_when_asked_and_for_a_backend_that_is_not_offline(corpus_app):
    off = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    llm = Assistant(corpus_app.settings.model_copy(update={"generator": "openai"}))
    for app in (off, llm):
        assert app._answers_of(app._current()) is None  # noqa: SLF001


def test_the_cache_is_bounded_and_keeps_no_answer_with_a_notice():
    cache = AnswerCache(2)
    answers = [Answer(f"q{i}", f"q{i}", f"a{i}", False) for i in range(3)]
    for i, a in enumerate(answers):
        cache.put(request_key(a.question, [], None), a)
    assert len(cache) == 2 and cache.get(request_key("q0", [], None)) is None
    assert cache.get(request_key("q2", [], None)).answer == "a2"
    cache.put(request_key("q9", [], None), Answer("q9", "q9", "a9", False, notice="dự phòng"))
    assert cache.get(request_key("q9", [], None)) is None
    # the conversation and the document filter are part of the request
    keys = {
        request_key("q", [], None),
        request_key("q", [Message("user", "x")], None),
        request_key("q", [Message("assistant", "x")], None),
        request_key("q", [], ["57-NQ/TW"]),
    }
    assert len(keys) == 4


TEXT = st.text(alphabet=st.sampled_from("aăâđeêioôơuưyAĐÊƠ ÁẠẢÃàằẵệ\u0301\u0323Σσİıßŉ-/.,:0123456789\n"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=5))
def test_fold_join_is_the_fold_of_the_joined_texts(texts):
    assert fold_join(texts) == fold(" ".join(texts))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(TEXT, min_size=1, max_size=4))
def test_support_from_remembered_parts_is_the_support_of_the_joined_evidence(sentence, parts):
    assert support_in(sentence, parts) == support(sentence, " ".join(parts))


def test_fold_join_and_support_on_the_corpus(corpus_app):
    chunks = corpus_app.table.chunks
    for i in range(0, len(chunks) - 3, 7):
        texts = [c.embedding_text() for c in chunks[i : i + 3]]
        assert fold_join(texts) == fold(" ".join(texts))
        sentence = chunks[i + 3].text.split("\n")[0]
        assert support_in(sentence, texts) == support(sentence, " ".join(texts))


def test_shares_by_field_equal_the_shares_of_each_field(corpus_app):
    profiles = corpus_app.searcher.profiles
    rng = np.random.default_rng(5)
    size = len(profiles.vocab) + 1
    fields = ("text", "crumb", "parent", "items", "lead")
    for rows in [list(range(len(profiles))), list(rng.permutation(len(profiles))[:40]), [0], [5, 5, 3]]:
        weights = np.where(rng.random(size) < 0.05, rng.random(size), 0.0)
        together = profiles.shares_by_field(fields, rows, weights).reshape(len(fields), len(rows))
        for field, got in zip(fields, together):
            assert np.array_equal(got, profiles.shares(field, rows, weights))
