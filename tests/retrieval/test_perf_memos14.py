"""perf (issue 13): the shortcuts of the search's question reading answer what the plain
code answers: a rules family's search remembered by (family, text), the document aliases
tried only when the question holds every word of the alias, and a question without a year
read for none."""

from __future__ import annotations

import pytest

from eval.dataset import load_questions
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from retrieval.rules import load_rules
from retrieval.text import fold
from tests.support.corpus import DATA

_TEXTS = [
    "Nghị quyết 57 đặt mục tiêu gì đến năm 2030?",
    "nghi quyet 03/NQ-CP giao nhiem vu gi",
    "Có bao nhiêu nhiệm vụ, giải pháp?",
    "Liệt kê các nhiệm vụ chủ yếu.",
    "Ai ký Nghị quyết 57-NQ/TW?",
    "Theo Kết luận 69, Bộ Khoa học và Công nghệ có trách nhiệm gì?",
    "",
]


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


def _questions() -> list[str]:
    return [q.question for q in load_questions(split="dev")] + _TEXTS


@pytest.mark.parametrize("name", ["search", "answers", "intent", "condense", "docref"])
def test_a_remembered_search_is_the_families_own_search(name):
    rules = load_rules(name)
    for family in rules.patterns:
        pattern = rules.pattern(family)
        for text in _TEXTS:
            subject = text if family in rules.case_sensitive else fold(text)
            plain = pattern.search(subject)
            for _ in range(2):  # first read, then remembered
                got = rules.search(family, text)
                assert (got and (got.span(), got.group(0))) == (plain and (plain.span(), plain.group(0))), (
                    family,
                    text,
                )


def test_a_case_sensitive_family_is_remembered_apart_from_its_folded_text():
    rules = load_rules("intent")
    family = sorted(rules.case_sensitive)[0]
    pattern = rules.pattern(family)
    for text in ("Bộ Khoa học và Công nghệ", "bo khoa hoc va cong nghe"):
        plain = pattern.search(text)
        got = rules.search(family, text)
        assert (got and got.group(0)) == (plain and plain.group(0))


def test_the_remembered_searches_are_bounded():
    rules = load_rules("search")
    family = next(iter(rules.patterns))
    for i in range(9000):
        rules.search(family, f"câu hỏi {i}")
    assert len(rules._searched) <= 8192  # noqa: SLF001


def test_aliases_tried_by_their_words_find_what_every_alias_pattern_finds(recognizer):
    every = DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)
    n = len(every._alias_patterns)  # noqa: SLF001
    every._alias_rest = [()] * n  # noqa: SLF001 - no word looked for before a pattern
    every._by_first = _All(n)  # noqa: SLF001 - every alias's pattern run, longest first
    named = 0
    for question in _questions():
        want = every._mentions(question)  # noqa: SLF001
        assert recognizer._mentions(question) == want, question  # noqa: SLF001
        named += bool(want)
    assert named > 100  # the questions name documents


class _All(dict):
    """A first-word table that hands every alias to every word of the question."""

    def __init__(self, n: int):
        super().__init__()
        self.every = list(range(n))

    def get(self, key, default=None):
        return self.every


def test_a_question_without_a_year_asks_for_none(corpus_app):
    searcher = corpus_app.searcher
    assert searcher.asked_years("Nghị quyết 57 đặt mục tiêu gì?", []) == frozenset()
    assert searcher.asked_years("Đến năm 2045 đạt mục tiêu gì?", []) == frozenset({"2045"})
