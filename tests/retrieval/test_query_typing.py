"""Chat typing the search reads through: slips of fast typing mended against the documents'
syllables (retrieval/spelling.py) and English terms followed by the documents' Vietnamese
(QuestionReader.english over query.toml ``english`` and ``ai_term``)."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from retrieval.query import QuestionReader
from retrieval.spelling import Speller
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def _speller(df: dict[str, int]) -> Speller:
    shape = QuestionReader().rules.pattern("syllable")
    return Speller(df, syllable=lambda w: bool(shape.match(w)))


def test_a_slip_is_mended_only_where_a_neighbour_makes_a_known_pair():
    df = {"chuyen": 9, "doi": 9, "so": 9, "chuyen_doi": 5, "doi_so": 5, "chuyen_gia": 3, "gia": 4}
    speller = _speller(df)
    assert speller.correct("chuyn doi so la gi") == "chuyen doi so la gi"
    assert speller.correct("chuyeen gia") == "chuyen gia"  # doubled letter
    assert speller.correct("chueyn doi") == "chuyen doi"  # two letters swapped
    # no neighbour forms a pair the documents use: left as typed
    assert speller.correct("chuyn bong") == "chuyn bong"
    # a word of a real syllable's shape is taken as typed, though the documents lack it
    assert speller.correct("lot top doi so") == "lot top doi so"


def test_the_speller_keeps_what_the_reader_writes_out_and_what_is_no_word():
    df = {"startup": 0, "start": 3, "start_up": 1, "nq": 5, "nq_57": 5}
    speller = Speller({"stat": 2, "stat_up": 2}, keep={"startup"}.__contains__)
    assert speller.correct("startup up") == "startup up"
    assert _speller(df).correct("nq57 ve 2030") == "nq57 ve 2030"


def test_mending_real_questions_on_the_corpus(corpus_app):
    s = corpus_app.searcher
    assert s.speller.correct("nhiem vu trogn diem quoc gia") == "nhiem vu trong diem quoc gia"
    assert s.speller.correct("ban chi dao trng uong") == "ban chi dao trung uong"
    # a slip that leaves a syllable's letters but not Vietnamese spelling ("c" never before
    # "i", "ng" never before "e"): mended as the other slips are
    assert s.speller.correct("du lieu cong nghe cien luoc") == "du lieu cong nghe chien luoc"
    assert s.speller.correct("ngien cuu khoa hoc") == "nghien cuu khoa hoc"
    # correctly typed questions, with or without tone marks, are not touched
    for q in ("Nghị quyết 57 có nói về bóng đá không?", "nq57 muốn vn lọt top bao nhiêu nước", "ai ký nq 03"):
        assert s.speller.correct(q) == q


@pytest.mark.parametrize(
    "typed, read",
    [
        ("startup được hỗ trợ gì", "startup (khởi nghiệp sáng tạo) được hỗ trợ gì"),
        ("xây data center ở đâu", "xây data center (trung tâm dữ liệu) ở đâu"),
        ("muc tieu ai 2030", "muc tieu AI 2030"),
        ("ứng dụng ai trong y tế", "ứng dụng AI trong y tế"),
        # "ai" asking who is left alone
        ("ai ký nghị quyết 03", "ai ký nghị quyết 03"),
        ("việc này giao cho ai?", "việc này giao cho ai?"),
    ],
)
def test_english_terms_are_followed_by_the_documents_words(reader, typed, read):
    assert reader.english(typed) == read


def test_a_typed_slip_or_english_term_still_finds_its_clause(corpus_app):
    s = corpus_app.searcher
    ids = [h.chunk.id for h in s.search("nhiem vu trogn diem quoc gia ve khoa hoc co ban", 5)]
    plain = [h.chunk.id for h in s.search("nhiem vu trong diem quoc gia ve khoa hoc co ban", 5)]
    assert ids[:3] == plain[:3]
