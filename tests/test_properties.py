"""Property-based tests (hypothesis): whatever bytes or text a file holds, and whatever a
batch line says, the pipeline raises only our own error types, every chunk it makes is an
exact span of the normalized text, and an ingest of such a file leaves an index that still
answers (issue 11, Proof).

Runs are deterministic (derandomize) and bounded, so they do not flake on a busy machine;
HYPOTHESIS_PROFILE=explore searches with fresh random inputs, HYPOTHESIS_SCALE=20 with
twenty times the examples.
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.api import Assistant
from assistant.batch import parse_line, read_batch
from retrieval.catalog import Catalog
from retrieval.errors import BadInputError, DocumentError, TrolyError
from retrieval.ingest import ChunkingOptions, parse_file
from retrieval.loading import SUPPORTED
from tests.support.corpus import SOURCES, make_settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
SCALE = int(os.environ.get("HYPOTHESIS_SCALE", "1"))

OPTIONS = ChunkingOptions()
FIGURE = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"

WORDS = [
    "mục tiêu",
    "nhiệm vụ",
    "khoa học",
    "công nghệ",
    "đổi mới sáng tạo",
    "chuyển đổi số",
    "30% GDP",
    "năm 2030",
    "Bộ Chính trị",
    "ĐẾN NĂM 2045",
    "R&D",
    "(KH,CN&ĐMST)",
    "[1]",
    "**",
    "\\-",
    "1\\.",
    "|",
    "\t",
    "\\geq",
    "Nơi nhận",
    "(đã ký)",
    "…",
    "ư",
    "Đ",
    ";",
    ".",
    ":",
]
MARKERS = [
    "",
    "I- ",
    "II. ",
    "IV.",
    "1. ",
    "12) ",
    "2.1- ",
    "1.2.3. ",
    "(3) ",
    "a) ",
    "đ) ",
    "- ",
    "+ ",
    "• ",
    "Điều 5. ",
    "Chương IV ",
    "Mục 2 ",
    "PHẦN I ",
    "PHỤ LỤC I",
    "Phụ lục",
    "# ",
    "### ",
    "Nơi nhận:",
    "TM. BỘ CHÍNH TRỊ",
    "[2] ",
    "| a | b |",
    "|---|---|",
    "A- ",
    "  ",
    "\t",
]
line = st.builds(
    lambda marker, words, sep: marker + sep.join(words),
    st.sampled_from(MARKERS),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8),
    st.sampled_from([" ", "\t", " | ", ""]),
)
documents = st.builds(
    lambda lines, end: end.join(lines),
    st.lists(line | st.just(""), max_size=50),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258"]


def check_chunks(chunks, text: str) -> None:
    assert chunks
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        assert text[c.start : c.end] == c.text and c.text.strip() and c.path


def parse_bytes(data: bytes, suffix: str):
    path = Path("ngau-nhien" + suffix)
    doc = Catalog([]).for_unlisted(path)
    try:
        chunks, text = parse_file(path, doc, OPTIONS, max_bytes=2_000_000, data=data)
    except DocumentError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
        return None
    check_chunks(chunks, text)
    return chunks


@settings(max_examples=150 * SCALE)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUPPORTED))
def test_random_bytes_raise_only_document_errors(data, suffix):
    parse_bytes(data, suffix)


@settings(max_examples=150 * SCALE)
@given(text=documents, encoding=st.sampled_from(ENCODINGS), suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_random_structured_text_gives_exact_chunks_or_a_document_error(text, encoding, suffix):
    parse_bytes(text.encode(encoding, errors="replace"), suffix)


def xml_safe(text: str) -> str:
    """What a .docx can hold (the writer refuses control characters)."""
    return "".join(c for c in text if c == "\t" or unicodedata.category(c) not in ("Cc", "Cs", "Co"))


@settings(max_examples=10 * SCALE)
@given(lines=st.lists(line.map(xml_safe), min_size=1, max_size=15))
def test_random_docx_gives_exact_chunks_or_a_document_error(tmp_path_factory, lines):
    from tests.support.documents import write_docx

    path = write_docx(tmp_path_factory.mktemp("docx") / "ngau-nhien.docx", lines)
    parse_bytes(path.read_bytes(), ".docx")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(exclude_categories=[]), max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["question", "history", "role", "content"]) | st.text(max_size=6), inner, max_size=4
        )
    ),
    max_leaves=25,
)
requests = st.fixed_dictionaries(
    {"question": json_values | st.text(st.characters(exclude_categories=[]), max_size=40)},
    optional={
        "history": json_values
        | st.lists(
            st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system"]), "content": json_values}),
            max_size=3,
        )
    },
)
batch_lines = (json_values | requests).map(lambda v: json.dumps(v, ensure_ascii=False)) | st.text(max_size=60)


def check_request(parsed) -> None:
    question, history = parsed
    assert isinstance(question, str) and question.strip()
    question.encode("utf-8")
    for message in history:
        assert message.role in ("user", "assistant") and isinstance(message.content, str)


@settings(max_examples=300 * SCALE)
@given(text=batch_lines)
def test_random_batch_lines_are_accepted_or_refused_with_our_error(text):
    try:
        check_request(parse_line(text))
    except BadInputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=100 * SCALE)
@given(
    lines=st.lists(batch_lines.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=40), max_size=8)
)
def test_random_batch_files_are_read_whole_or_refused_naming_a_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("batch") / "cau-hoi.jsonl"
    path.write_bytes(b"\n".join(lines))
    try:
        for parsed in read_batch(path):
            check_request(parsed)
    except BadInputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)


@pytest.fixture(scope="module")
def live_copy(tmp_path_factory, corpus_app) -> Assistant:
    """A copy of the sources and of the corpus index, shared by the examples of one test."""
    tmp = tmp_path_factory.mktemp("live")
    shutil.copytree(SOURCES, tmp / "sources")
    shutil.copytree(corpus_app.settings.index, tmp / "index")
    return Assistant(make_settings(tmp, tmp / "sources"))


@settings(max_examples=6 * SCALE, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    data=st.binary(max_size=2000) | documents.map(lambda t: t.encode("utf-8")),
    suffix=st.sampled_from([".md", ".txt", ".pdf", ".docx"]),
    target=st.sampled_from(["ngau-nhien", "nq-57-tw"]),
)
def test_an_ingest_of_a_random_file_leaves_an_index_that_answers(live_copy, data, suffix, target):
    """Random content as a new file, or as the new version of 57-NQ/TW itself."""
    sources = live_copy.settings.sources
    for old in sources.glob("ngau-nhien.*"):
        old.unlink()
    original = (SOURCES / "nq-57-tw.md").read_bytes()
    (sources / "nq-57-tw.md").write_bytes(original)
    name = f"{target}{'.md' if target == 'nq-57-tw' else suffix}"
    (sources / name).write_bytes(data)
    try:
        live_copy.ingest(progress=False)
    except TrolyError as exc:
        assert "\n" not in str(exc)
    answer = Assistant(live_copy.settings).ask(FIGURE)
    assert "30% GDP" in answer.answer and answer.citations[0].doc_short == "57-NQ/TW"
