"""Quizzes over every section of the corpus: every question's answer is written in its
clause and no other option is (checked here independently of the generator's own checks),
and the GIFT export parses under a strict syntax check."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from assistant.studio.bodies import BodyIndex
from assistant.studio.docs import quiz_docx
from assistant.studio.gift import quiz_gift
from retrieval.text import fold


def sections(studio):
    """Every clause of an official document that has sub-clauses, and every whole document."""
    corpus = studio.corpus
    out = []
    for doc in corpus.official():
        out.append(doc.short)
        out += [f"{doc.short} {n.path}" for n in corpus.roots[doc.id].walk() if n.chunks and n.children]
    return out


@pytest.fixture(scope="module")
def quizzes(studio):
    return {ref: studio.quiz(ref, None) for ref in sections(studio)}


# -- an independent reading of "stated in the clause" ---------------------------------------
def _nums(text):
    return {
        (n.lstrip("0") or "0") if n.isdigit() else n
        for n in (x.replace(",", ".") for x in re.findall(r"\d+(?:[.,]\d+)*", text))
    }


def _dates(text):
    pairs = {(int(d), int(m)) for d, m in re.findall(r"(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})\b", text)}
    return pairs | {int(y) for y in re.findall(r"(?:năm\s+|/)((?:19|20)\d{2})\b", text)}


def _words(text):
    return {w for w in re.findall(r"\w+", fold(text)) if len(w) > 1 and not w.isdigit()}


BODIES = BodyIndex.load()


def states(question, option, scope) -> bool:
    kind = question.kind
    if kind in ("figure", "fill"):
        return bool(_nums(option)) and _nums(option) <= _nums(scope)
    if kind == "deadline":
        return bool(_dates(option)) and _dates(option) <= _dates(scope)
    if kind == "body":
        named = {m.body.name for m in BODIES.mentions(scope)}
        return any(part in named for part in option.split("; "))
    if option in scope:
        return True
    words = _words(option)  # a list item is stated when one sentence of the clause says most of it
    sentences = [s for line in scope.split("\n") for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return any(len(words & _words(s)) / len(words) >= 0.6 for s in sentences)


def test_every_question_has_exactly_one_option_stated_by_its_clause(studio, table, quizzes):
    total = 0
    for ref, quiz in quizzes.items():
        for q in quiz.questions:
            total += 1
            chunk = table.by_id[q.cite.chunk_id]
            assert chunk.text[q.cite.quote_start : q.cite.quote_start + len(q.cite.quote)] == q.cite.quote
            assert q.answer_text and q.answer_text in q.cite.quote, (ref, q.stem)
            scope = "\n".join(table.by_id[i].text for i in q.scope)
            if q.answer < 0:  # fill-in: one blank, its answer in the clause
                assert q.stem.count("_____") == 1 and q.answer_text in chunk.text
                continue
            assert len(q.options) >= 3 and len({fold(o) for o in q.options}) == len(q.options)
            if q.kind in ("figure", "deadline"):
                assert all(re.search(r"\d", o) for o in q.options), q.options
            stated = [i for i, o in enumerate(q.options) if states(q, o, scope)]
            assert stated == [q.answer], (ref, q.stem, q.options, q.answer)
    assert total >= 300, total


def test_each_kind_of_question_is_made(quizzes):
    kinds = {q.kind for quiz in quizzes.values() for q in quiz.questions}
    assert {"figure", "fill", "deadline", "body", "member"} <= kinds


def test_n_questions_of_mixed_kinds_from_a_section(studio):
    quiz = studio.quiz("57-NQ/TW II.1", 6)
    assert len(quiz.questions) == 6 and len({q.kind for q in quiz.questions}) >= 2
    assert quiz.candidates >= 6 and quiz.rejected == sum(quiz.reasons.values())
    again = studio.quiz("57-NQ/TW II.1", 6)
    assert [q.stem for q in again.questions] == [q.stem for q in quiz.questions]  # deterministic


# -- GIFT ------------------------------------------------------------------------------------
SPECIAL = set("~=#{}:")


def unescape_strict(text: str, where: str) -> str:
    """Unescape GIFT text, failing on any special character left unescaped."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            assert i + 1 < len(text) and text[i + 1] in SPECIAL | {"\\", "n"}, f"bad escape in {where}: {text!r}"
            out.append(text[i + 1])
            i += 2
            continue
        assert c not in SPECIAL, f"unescaped {c!r} in {where}: {text!r}"
        out.append(c)
        i += 1
    return "".join(out)


def split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """(mark, text) pieces of an answer block, split at unescaped marks."""
    pieces, cur, mark, i = [], [], "", 0
    while i < len(text):
        if text[i] == "\\":
            cur.append(text[i : i + 2])
            i += 2
            continue
        if text.startswith("####", i):
            pieces.append((mark, "".join(cur)))
            mark, cur, i = "####", [], i + 4
            continue
        if text[i] in marks:
            pieces.append((mark, "".join(cur)))
            mark, cur, i = text[i], [], i + 1
            continue
        cur.append(text[i])
        i += 1
    pieces.append((mark, "".join(cur)))
    return [(m, t) for m, t in pieces if m or t.strip()]


def parse_gift(source: str) -> list[dict]:
    """A strict GIFT reader: comments, $CATEGORY, then blocks '::title::text {answers}'."""
    questions = []
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = [ln for ln in block.split("\n") if not ln.startswith("//")]
        if lines and lines[0].startswith("$CATEGORY:"):
            lines = lines[1:]
        body = "\n".join(lines).strip()
        if not body:
            continue
        m = re.fullmatch(r"::((?:\\.|[^:\\])*)::(.*)", body, re.S)
        assert m, f"no ::title:: in {body[:80]!r}"
        title, rest = m.groups()
        opens = [i for i in range(len(rest)) if rest[i] == "{" and (i == 0 or rest[i - 1] != "\\")]
        closes = [i for i in range(len(rest)) if rest[i] == "}" and (i == 0 or rest[i - 1] != "\\")]
        assert len(opens) == 1 and len(closes) == 1 and opens[0] < closes[0], f"braces in {rest[:80]!r}"
        stem, answers, after = rest[: opens[0]], rest[opens[0] + 1 : closes[0]], rest[closes[0] + 1 :]
        assert not after.strip(), after
        parts = split_unescaped(answers, "=~#")
        options, general = [], None
        for mark, text in parts:
            if mark in "=~":
                assert mark, f"text before the first answer: {text!r}"
                options.append(
                    {"correct": mark == "=", "text": unescape_strict(text.strip(), "answer"), "feedback": None}
                )
            elif mark == "#":
                assert options and options[-1]["feedback"] is None, "feedback without an answer"
                options[-1]["feedback"] = unescape_strict(text.strip(), "feedback")
            elif mark == "####":
                general = unescape_strict(text.strip(), "general feedback")
        assert options, "no answer"
        questions.append(
            {
                "title": unescape_strict(title, "title"),
                "stem": unescape_strict(stem.strip(), "stem"),
                "options": options,
                "general": general,
            }
        )
    return questions


def test_gift_export_parses_and_keeps_the_answers_and_citations(studio, quizzes):
    for ref in ("03/NQ-CP II.1", "57-NQ/TW II.1", "03/NQ-CP III", "01-KH/BCĐTW V.2"):
        quiz = quizzes[ref]
        parsed = parse_gift(quiz_gift(quiz))
        assert len(parsed) == len(quiz.questions)
        for q, p in zip(quiz.questions, parsed):
            assert p["stem"] == " ".join(q.stem.split())
            assert q.cite.label in p["general"] and " ".join(q.cite.quote.split()) in p["general"]
            if q.answer < 0:
                assert all(o["correct"] for o in p["options"]) and p["options"][0]["text"] == q.answer_text
            else:
                assert [o["text"] for o in p["options"]] == [" ".join(o.split()) for o in q.options]
                assert [o["correct"] for o in p["options"]].count(True) == 1 and p["options"][q.answer]["correct"]


def test_gift_escapes_every_special_character():
    from assistant.studio.gift import escape

    raw = "a~b=c#d{e}f:g\\h"
    assert unescape_strict(escape(raw), "test") == raw
    with pytest.raises(AssertionError):
        unescape_strict("tỉ lệ: 50%", "test")


def test_docx_quiz_has_the_answer_key_with_citations(quizzes):
    quiz = quizzes["57-NQ/TW II.1"]
    doc = Document(io.BytesIO(quiz_docx(quiz)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert quiz.questions[0].stem in text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert quiz.questions[0].cite.label in cells and f"“{quiz.questions[0].cite.quote}”" in cells
