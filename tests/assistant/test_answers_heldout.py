"""Counts and lists in the held-out forms of scripts/probe_heldout.py (issue 10, counts and
lists on unseen questions): counts typed as in a chat, the noun first and the count word
last or with the classifier "cái" ("nhiệm vụ về … trong nq57 bn", "… có mấy cái nhiệm vụ
vậy"); and the probe families themselves, generated from the tree, each held to a floor."""

from __future__ import annotations

import re

import pytest

from assistant.doctree import DocumentTree
from assistant.evidence import question_cues
from scripts.probe_counts import build as build_counts
from scripts.probe_heldout import Probe, build, build_new, judge, names_of
from scripts.probe_tree import build as build_tree
from scripts.probe_tree import build_more, build_rows, build_totals, build_unseen


@pytest.fixture(scope="module")
def probes(corpus_app) -> list[Probe]:
    return build(DocumentTree(corpus_app.table), names_of(corpus_app))


@pytest.fixture(scope="module")
def new_probes(corpus_app) -> list[Probe]:
    return build_new(DocumentTree(corpus_app.table), names_of(corpus_app))


def _opening(answer) -> str:
    return "\n".join(answer.answer.split("\n")[:2])


@pytest.mark.parametrize(
    "question, said",
    [
        ("nq57 phan nhan luc chat luong cao co may cai nhiem vu vay", "gồm 3 nhiệm vụ"),
        ("nhiem vu ve nhan luc chat luong cao trong nq57 bn", "gồm 3 nhiệm vụ"),
        ("muc tieu 2030 cua nq57 co bn cai", "gồm 5 mục tiêu"),
        ("Các nhiệm vụ về hạ tầng trong Nghị quyết 57 có bao nhiêu?", "gồm 6 nhiệm vụ"),
    ],
)
def test_a_count_typed_with_its_noun_first_or_a_classifier_is_counted(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in _opening(a), a.answer[:200]


@pytest.mark.parametrize(
    "question, said, first",
    [
        ("Trong mục tiêu cụ thể đến năm 2030 của KH01, ý b gồm mấy chỉ tiêu?", "gồm 4 chỉ tiêu", "b) Thúc đẩy"),
        ("kh01 muc tieu cu the den nam 2030 diem e co bn chi tieu", "gồm 4 chỉ tiêu", "e) Hiện đại"),
    ],
)
def test_a_lettered_point_named_by_its_letter_under_a_named_heading_counts_its_own_items(
    corpus_app, question, said, first
):
    a = corpus_app.ask(question)
    assert not a.abstained and said in _opening(a) and first in _opening(a), a.answer[:200]


@pytest.mark.parametrize(
    "question, said, head",
    [
        # a body's duties asked as its "nhiệm vụ": "a) Trách nhiệm của Thường trực Ban Chỉ đạo Trung ương"
        ("Kế hoạch 01 giao bao nhiêu nhiệm vụ cho Thường trực Ban Chỉ đạo Trung ương?", "gồm 6 nhiệm vụ", "a) Trách"),
        ("KH01 nêu bao nhiêu đầu việc về Hội đồng Tư vấn quốc gia?", "gồm 3 đầu việc", "d) Trách"),
        # no subject besides the noun: the heading about the noun itself
        ("kh01 co bao nhieu nhiem vu", "gồm 6 nhiệm vụ", "II- NHIỆM VỤ TRỌNG TÂM"),
    ],
)
def test_the_noun_s_paraphrase_finds_the_heading_that_covers_the_subject(corpus_app, question, said, head):
    a = corpus_app.ask(question)
    assert not a.abstained and said in _opening(a) and head in _opening(a), a.answer[:200]


def test_a_count_said_with_the_words_every_item_opens_with_counts_those_items(corpus_app):
    # "trách nhiệm của mấy chủ thể": "a) Trách nhiệm của …" … "d) Trách nhiệm của …" under "1. Công tác chỉ đạo …"
    a = corpus_app.ask("Phần công tác chỉ đạo chiến lược của KH01 quy định trách nhiệm của bao nhiêu chủ thể?")
    assert not a.abstained and "Mục V, điểm 1 gồm 4 chủ thể" in _opening(a), a.answer[:200]


def test_what_a_document_asks_about_a_subject_is_the_list_the_subject_names(corpus_app):
    a = corpus_app.ask("Nghị quyết 57 yêu cầu những gì về nhân lực chất lượng cao?")
    lines = a.answer.split("\n")
    assert not a.abstained and lines[0].startswith("Nghị quyết 57-NQ/TW, Mục III, điểm 4"), a.answer[:200]
    assert sum(ln.startswith("- ") for ln in lines) == 3


@pytest.mark.parametrize(
    "question, label, first",
    [
        (
            "Kết luận 69 đề ra những cách làm nào để đẩy mạnh hội nhập, hợp tác quốc tế về khoa học, công nghệ?",
            "Kết luận 69-KL/TW, điểm 6:",
            "- Thúc đẩy hội nhập sâu rộng",
        ),
        (
            "Nghị quyết 20 đề ra những việc gì để tăng cường tiềm lực khoa học và công nghệ quốc gia?",
            "Nghị quyết 20-NQ/TW, Phần B, Mục III, điểm 4:",
            "- Tập trung đầu tư phát triển một số viện",
        ),
    ],
)
def test_a_list_of_a_named_point_without_items_is_its_sentences(corpus_app, question, label, first):
    a = corpus_app.ask(question)
    lines = a.answer.split("\n")
    assert not a.abstained and lines[0] == label and lines[1].startswith(first), a.answer[:200]
    assert sum(ln.startswith("- ") for ln in lines) >= 4


@pytest.mark.parametrize(
    "question",
    [
        "Mấy cái dự án đặc biệt quan trọng ấy, trưởng ban được chọn thế nào?",  # "those", not "how many"
        "co may cai nhiem vu do ai lam",  # a demonstrative after the noun
        "trong đó mấy cái đạt WoS",  # "cái" before a verb
    ],
)
def test_the_plural_mấy_cái_is_no_count(question):
    assert "may cai" not in question_cues(question)


def test_a_figure_asked_with_the_count_word_last_is_no_count_of_items(corpus_app):
    ask = corpus_app.answerer.tree.ask_of("kinh te so chiem bao nhieu")
    assert ask is None or not ask.count


def test_the_held_out_probes_read_their_answers_from_the_tree(probes):
    by = {p.question: p for p in probes}
    assert by["Nghị quyết 57 có bao nhiêu mục tiêu đến năm 2030?"].counts == [5]
    assert by["Trong phần mục tiêu cụ thể đến năm 2030 của Kế hoạch 01, ý b gồm mấy chỉ tiêu?"].counts == [4]
    families = {p.family for p in probes}
    assert {"unit", "topic", "letter", "year", "docname", "chat", "list"} <= families
    assert {p.half for p in probes} == {"tune", "check"}


def test_the_held_out_probes_are_not_the_older_probes_questions(corpus_app, probes):
    tree = DocumentTree(corpus_app.table)
    names = names_of(corpus_app)
    cites = {d: next((c.label.split(",")[0] for c in tree.of_document(d)), "") for d in names}
    older = {p.question for p in build_counts(tree, names, cites)}
    for builder in (build_tree, build_more, build_unseen, build_totals, build_rows):
        older |= {p.question for p in builder(tree, names)}
    assert not {p.question for p in probes} & older


@pytest.mark.parametrize(
    "family, floor", [("chat", 0.9), ("letter", 0.85), ("unit", 0.9), ("topic", 0.85), ("list", 0.9)]
)
def test_a_held_out_family_holds_its_floor(corpus_app, probes, family, floor):
    chosen = [p for p in probes if p.family == family]
    assert len(chosen) >= 20  # every heading of the family: a real sample
    outcomes = [judge(p, corpus_app.ask(p.question)) for p in chosen]
    missed = [f"{o.probe.question} -> {o.opening[:80]}" for o in outcomes if o.ok < 0.5]
    assert sum(o.ok for o in outcomes) / len(outcomes) >= floor, missed[:8]


@pytest.mark.parametrize(
    "question, said",
    [
        ("kh01 bn nv", "Mục II gồm 6 nhiệm vụ"),  # the noun typed short after the count word
        # nothing said but the noun: the heading whose items all are "Hệ thống …", not one naming it
        ("Kế hoạch 01 có mấy hệ thống?", "Mục II gồm 6 hệ thống"),
        ("Kế hoạch 01 gồm những hệ thống nào?", "Kế hoạch 01-KH/BCĐTW, Mục II"),
        ("nq57 co may nhom nv", "Mục III gồm 7 nhóm nhiệm vụ"),
        # a table's rows counted as its "dòng"
        ("Bảng chỉ tiêu đến năm 2030 của Quyết định 116 có mấy dòng?", "Phụ lục I, mục I gồm 9 dòng"),
        # the refs one item lists inline: "(trọng tâm: Hệ thống 1, Sáng kiến 3, Sáng kiến 9)"
        (
            "Giai đoạn 2028 - 2030, trọng tâm về nâng cao năng lực an ninh - quốc phòng của Kế hoạch 01 gồm mấy sáng kiến?",
            "Mục IV, điểm 2, gạch đầu dòng thứ 6 gồm 2 sáng kiến",
        ),
    ],
)
def test_counts_in_the_wave_14_forms(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in _opening(a), a.answer[:200]


@pytest.mark.parametrize(
    "question",
    ["Nghị quyết 57 giao bao nhiêu nhiệm vụ cho Bộ Y tế?", "Kết luận 69 giao bao nhiêu nhiệm vụ cho Bộ Tài chính?"],
)
def test_a_count_of_a_body_s_tasks_no_list_holds_is_not_made_up(corpus_app, question):
    # no heading of the document names the body: the count of "III- NHIỆM VỤ, GIẢI PHÁP" is not its count
    a = corpus_app.ask(question)
    opening = _opening(a)
    assert a.abstained or "không nêu" in opening or not re.search(r"gồm \d+", opening), a.answer[:200]


@pytest.mark.parametrize(
    "question", ["kh01 co may muc tieu may nhiem vu", "Kế hoạch 01 có mấy mục tiêu và bao nhiêu nhiệm vụ?"]
)
def test_two_counts_in_one_question_each_count_their_own_list(corpus_app, question):
    # the second part counts a noun of its own: the first part's "mục tiêu" is not its subject
    a = corpus_app.ask(question)
    assert "Mục I gồm 3 mục tiêu" in a.answer and "Mục II gồm 6 nhiệm vụ" in a.answer, a.answer[:400]


def test_where_a_document_is_sent_is_its_recipient_list(corpus_app):
    a = corpus_app.ask("Nghị quyết 03/NQ-CP được gửi tới những cơ quan tư pháp nào ở trung ương?")
    assert not a.abstained and a.answer.startswith("Nghị quyết 03/NQ-CP, phần Nơi nhận gồm 15 nơi nhận"), a.answer[:200]
    assert "Tòa án nhân dân tối cao" in a.answer and "Viện kiểm sát nhân dân tối cao" in a.answer
    # a document without a recipient list: no other list passed off as one
    b = corpus_app.ask("Kết luận 69 được gửi tới những ai?")
    assert "Nơi nhận" not in b.answer.split("\n")[0]


def test_the_wave_14_probes_are_new_and_hold_their_floors(corpus_app, probes, new_probes):
    tree = DocumentTree(corpus_app.table)
    names = names_of(corpus_app)
    cites = {d: next((c.label.split(",")[0] for c in tree.of_document(d)), "") for d in names}
    older = {p.question for p in probes} | {p.question for p in build_counts(tree, names, cites)}
    for builder in (build_tree, build_more, build_unseen, build_totals, build_rows):
        older |= {p.question for p in builder(tree, names)}
    fresh = [p for p in new_probes if p.question not in older]
    assert len(fresh) >= 0.9 * len(new_probes)
    assert {"inline", "year2", "table", "short", "absent", "preamble", "two", "wrongdoc", "bare"} <= {
        p.family for p in new_probes
    }
    by = {p.question: p for p in new_probes}
    assert by["nq57 bn nv"].counts[0] == 7
    assert by["Nghị quyết 57 giao bao nhiêu nhiệm vụ cho Bộ Y tế?"].kind == "absent"
    for family, floor in (("short", 0.9), ("absent", 0.9), ("table", 0.8), ("year2", 0.9), ("preamble", 0.9)):
        chosen = [p for p in new_probes if p.family == family]
        outcomes = [judge(p, corpus_app.ask(p.question)) for p in chosen]
        missed = [f"{o.probe.question} -> {o.opening[:80]}" for o in outcomes if o.ok < 0.5]
        assert sum(o.ok for o in outcomes) / len(outcomes) >= floor, (family, missed[:8])
