"""List and count answers checked on every heading, not on the questions they were tuned
for: scripts/probe_tree.py writes, for each heading of an official document that has
numbered items, the questions people ask of it ("Theo Nghị quyết 57, quan điểm chỉ đạo gồm
những nội dung nào?", "… gồm mấy nội dung?", the same typed without tone marks), and reads the
expected count and items from the document tree."""

from __future__ import annotations

import pytest

from assistant.doctree import DocumentTree
from scripts.probe_tree import Probe, build, build_more, build_rows, build_totals, build_unseen, doc_name, judge

from .test_answers import assert_well_cited

DOCS = {"nq57", "nq03", "nq20", "kh-vhl", "kl69"}


def _names(app) -> dict[str, str]:
    return {d.id: doc_name(d.cite_as or d.short, d.id) for d in app.searcher.recognizer.documents if d.id in DOCS}


@pytest.fixture(scope="module")
def probes(corpus_app) -> list[Probe]:
    return build(DocumentTree(corpus_app.table), _names(corpus_app))


@pytest.fixture(scope="module")
def more(corpus_app) -> list[Probe]:
    return build_more(DocumentTree(corpus_app.table), _names(corpus_app))


@pytest.fixture(scope="module")
def unseen(corpus_app) -> list[Probe]:
    return build_unseen(DocumentTree(corpus_app.table), _names(corpus_app))


def _judged(app, chosen: list[Probe]) -> tuple[float, list[str]]:
    """The share of the probes answered right, and the missed ones (question -> opening)."""
    outcomes = [judge(p, app.ask(p.question)) for p in chosen]
    missed = [f"{o.probe.question} -> {o.opening[:80]}" for o in outcomes if o.ok < 0.5]
    return sum(o.ok for o in outcomes) / len(outcomes), missed


def _family(app, probes: list[Probe], family: str, least: int) -> tuple[float, list[str]]:
    chosen = [p for p in probes if p.family.startswith(family)]
    assert len(chosen) >= least  # every sentence or heading of the family: a real sample
    return _judged(app, chosen)


def test_a_count_a_sentence_states_is_answered_with_it(corpus_app, more):
    # "… được cấu thành bởi 3 trụ cột quan trọng", "… ba khu công nghệ cao": asked in the
    # sentence's own words with "bao nhiêu" / "mấy" (and without marks), the number is said
    share, missed = _family(corpus_app, more, "stated", 30)
    assert share >= 0.9, missed[:8]


def test_a_heading_noun_asked_in_other_words_gets_the_count(corpus_app, more):
    # "bao nhiêu đầu việc cụ thể" of "II. NHIỆM VỤ CỤ THỂ", "biện pháp" of "GIẢI PHÁP …"
    share, missed = _family(corpus_app, more, "synonym", 10)
    assert share >= 0.8, missed[:8]


def test_a_count_of_lettered_or_bulleted_items(corpus_app, more):
    share, missed = _family(corpus_app, more, "items:", 12)
    assert share >= 0.9, missed[:8]


def test_a_document_asked_by_the_noun_alone_gets_the_count(corpus_app, more):
    # "nq 03 có bao nhiêu nhiệm vụ cụ thể", "kh01 có mấy nhóm nhiệm vụ trọng tâm"
    share, missed = _family(corpus_app, more, "doc only", 20)
    assert share >= 0.9, missed[:8]


@pytest.mark.parametrize(
    "question, said",
    [
        # the documents' noun finds the heading ("II. NHIỆM VỤ CỤ THỂ"); the count is said in the asker's
        ("Nghị quyết 03 có bao nhiêu đầu việc cụ thể?", "gồm 7 đầu việc cụ thể"),
        ("Nghị quyết 20 có bao nhiêu chỉ tiêu cụ thể?", "gồm 3 chỉ tiêu cụ thể"),
        ("Theo Nghị quyết 20, đưa vào hoạt động mấy khu công nghệ cao quốc gia?", "ba khu công nghệ cao"),
        ("Theo Kế hoạch 01, bộ máy nhà nước theo mô hình chính quyền mấy cấp?", "chính quyền 3 cấp"),
    ],
)
def test_a_count_in_other_words_or_in_a_sentence(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in " ".join(a.answer.split("\n")[:2]), a.answer[:200]


def test_a_heading_asked_by_its_own_noun_keeps_it(corpus_app):
    # Phụ lục II's own "HỆ THỐNG CHỈ TIÊU" is not read as the objectives: the paraphrase is a fallback
    a = corpus_app.ask("Hệ thống chỉ tiêu của Kế hoạch 01 được thiết kế theo mấy tầng?")
    assert not a.abstained and "4 tầng" in a.answer.split("\n")[0]


def _share(app, probes: list[Probe], kind: str, forms: set[str]) -> tuple[float, list[str]]:
    chosen = [p for p in probes if p.kind == kind and p.form in forms]
    assert len(chosen) >= 20  # every heading with items: a real sample, not a handful
    return _judged(app, chosen)


def test_a_heading_asked_for_its_count_gets_the_number_of_its_items(corpus_app, probes):
    share, missed = _share(corpus_app, probes, "count", {"gom may", "gom may (khong dau)", "noun"})
    assert share >= 0.9, missed[:8]


def test_a_heading_asked_for_its_contents_gets_its_items(corpus_app, probes):
    # "… gồm những nội dung nào?": the generic noun names the heading's items, whatever they say
    share, missed = _share(corpus_app, probes, "list", {"gom nhung", "gom nhung (khong dau)", "noun"})
    assert share >= 0.85, missed[:8]


def test_typed_without_tone_marks_the_list_is_the_same(corpus_app, probes):
    toned = {p.path: p for p in probes if p.form == "gom nhung" and p.doc == "nq57"}
    folded = [p for p in probes if p.form == "gom nhung (khong dau)" and p.doc == "nq57"]
    same = [
        judge(p, corpus_app.ask(p.question)).ok == judge(toned[p.path], corpus_app.ask(toned[p.path].question)).ok
        for p in folded
    ]
    assert len(same) >= 5 and sum(same) >= len(same) - 1


@pytest.mark.parametrize(
    "question, said",
    [
        ("Phụ lục II của Kế hoạch 01 gồm mấy phần?", "gồm 3 phần"),  # not "phân" of "PHÂN CẤP"
        ("kh01 co bao nhieu giai doan trien khai", "gồm 3 giai đoạn"),  # the documents' spelling
        ("theo nghi quyet 57, quan diem chi dao gom nhung noi dung nao?", "gồm 5 nội dung"),
    ],
)
def test_the_counted_noun_is_written_with_its_marks(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0]


def test_the_nth_item_of_a_heading_is_a_numbered_part(corpus_app):
    # "giai đoạn 2" is the second of "1. Giai đoạn 2025 - 2027", "2. Giai đoạn 2028 - 2030", …:
    # not a part the texts lack
    a = corpus_app.ask("Giai đoạn 2 của lộ trình Kế hoạch 01 từ năm nào đến năm nào?")
    assert not a.abstained and "2028 - 2030" in a.answer
    assert corpus_app.ask("Sáng kiến 31 của Kế hoạch 01 là gì?").abstained


def test_a_document_title_is_no_list_of_documents(corpus_app):
    # "NGHỊ QUYẾT", the title above "C- TỔ CHỨC THỰC HIỆN", does not make its four points resolutions
    a = corpus_app.ask(
        "Ngoài Nghị quyết 20, Kết luận 69 gắn việc thực hiện với những nghị quyết nào khác của Trung ương?"
    )
    assert "gồm 4 nghị quyết" not in a.answer


def test_a_list_asked_of_one_numbered_clause_is_its_own(corpus_app):
    # "Liệt kê sáng kiến 4": the items of "Sáng kiến 4: Bán dẫn …" (Mục tiêu, Nội dung), not all 30
    a = corpus_app.ask("Liệt kê sáng kiến 4 trong Kế hoạch 01")
    assert not a.abstained and "30 sáng kiến" not in a.answer
    assert "Sáng kiến 4" in a.answer.split("\n")[1] and "Nội dung" in a.answer


def test_a_list_asked_in_other_frames_gets_the_items(corpus_app, unseen):
    # "Kể tên các …", "… của Nghị quyết 03 là những gì?", "Cho tôi biết các …", "kh01 … gồm những gì"
    share, missed = _family(corpus_app, unseen, "list frames", 40)
    assert share >= 0.9, missed[:8]


def test_a_count_asked_in_other_frames_gets_the_number(corpus_app, unseen):
    # "có tổng cộng bao nhiêu …", "số lượng … là bao nhiêu", "đưa ra tất cả mấy …", chat without marks
    share, missed = _family(corpus_app, unseen, "frames", 40)
    assert share >= 0.9, missed[:8]


def test_a_group_named_by_what_it_is_about_gets_its_count(corpus_app, unseen):
    # "Nhóm nhiệm vụ về hợp tác quốc tế trong phát triển … có bao nhiêu nhiệm vụ?"
    share, missed = _family(corpus_app, unseen, "content group", 8)
    assert share >= 0.85, missed[:8]


def test_a_count_and_its_items_in_one_message(corpus_app, unseen):
    # "… có bao nhiêu quan điểm chỉ đạo? Kể tên các quan điểm chỉ đạo đó."
    share, missed = _family(corpus_app, unseen, "multi count+list", 15)
    assert share >= 0.9, missed[:8]


@pytest.mark.parametrize(
    "question, said, items",
    [
        ("Cho tôi biết các quan điểm trong Nghị quyết 20", "Nghị quyết 20-NQ/TW, Phần B, Mục I gồm 5 quan điểm", 5),
        ("nq 57 muc tieu gom nhung gi", "Nghị quyết 57-NQ/TW, Mục II gồm 2 mục tiêu", 2),
    ],
)
def test_a_list_of_the_named_document_and_subject(corpus_app, question, said, items):
    # the named document's own heading, though the hits lean to another; the subject of "… gồm những gì"
    a = corpus_app.ask(question)
    lines = a.answer.split("\n")
    assert not a.abstained and lines[0].startswith(said), a.answer[:200]
    assert sum(ln.startswith("- ") for ln in lines) == items


def test_a_subject_the_heading_does_not_say_is_not_listed_from_it(corpus_app):
    # "nhiệm vụ của Bộ Tài chính" is not the whole of "II. NHIỆM VỤ CỤ THỂ"
    a = corpus_app.ask("Nhiệm vụ của Bộ Tài chính gồm những gì?")
    assert "gồm 7 nhiệm vụ" not in a.answer


def test_a_numbered_part_listed_is_not_counted_as_its_own_noun(corpus_app):
    a = corpus_app.ask("kh01 phu luc ii gom nhung gi")
    assert not a.abstained and "gồm 3 phụ lục" not in a.answer.split("\n")[0].lower()
    assert "NGUYÊN TẮC VÀ CẤU TRÚC" in a.answer


def test_groups_and_their_total_in_one_question(corpus_app):
    # "… có mấy nhóm nhiệm vụ, tổng cộng bao nhiêu nhiệm vụ?": every heading whose items are
    # groups of items, in five frames (the total first, two question marks, chat without marks)
    names = {d.id: doc_name(d.cite_as or d.short, d.id) for d in corpus_app.searcher.recognizer.documents}
    names = {d: n for d, n in names.items() if d in DOCS | {"kh01"}}
    share, missed = _family(corpus_app, build_totals(DocumentTree(corpus_app.table), names), "two-level", 10)
    assert share >= 0.9, missed[:8]


@pytest.mark.parametrize(
    "question, said",
    [
        (
            "Chương trình hành động của Chính phủ có mấy nhóm nhiệm vụ, tổng cộng bao nhiêu nhiệm vụ?",
            "Nghị quyết 03/NQ-CP, Mục II gồm 7 nhóm, tổng cộng 102 nhiệm vụ:",
        ),
        (
            "Kế hoạch 01 có mấy hệ thống và tổng cộng bao nhiêu sáng kiến đột phá?",
            "Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III gồm 6 nhóm, tổng cộng 30 sáng kiến đột phá:",
        ),
        (
            "kh01 co tong cong bao nhieu sang kien, chia thanh may nhom",
            "Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III gồm 6 nhóm, tổng cộng 30 sáng kiến:",
        ),
    ],
)
def test_a_two_level_total_says_both_counts_first(corpus_app, question, said):
    a = corpus_app.ask(question)
    assert not a.abstained and a.answer.split("\n")[0] == said, a.answer[:200]
    assert not a.checked.sentences[0].markers  # read from the structure: it frames the cited items


def test_a_total_of_a_figure_is_an_ask_of_its_own(corpus_app):
    # "tất cả bao nhiêu tỷ đồng" is a figure of a sentence: the question is not read as groups and a total
    from assistant.multipart import split_asks

    q = "Kế hoạch 01 có mấy trung tâm, tất cả bao nhiêu tỷ đồng?"
    assert all("nhóm" not in p.query for p in split_asks(q, corpus_app.answerer.mentions))
    assert corpus_app.answerer.tree.two_level("ke hoach 01 co may trung tam, tat ca bao nhieu ty dong?") is None


def test_a_row_of_names_in_one_sentence_is_counted_and_listed(corpus_app):
    # "… gắn với Nghị quyết Đại hội lần thứ XIII, Nghị quyết số 29-NQ/TW …, Nghị quyết số 45-NQ/TW …":
    # every such row of the documents, asked with the words before it ("mấy nghị quyết?", "những … nào?")
    names = {d.id: doc_name(d.cite_as or d.short, d.id) for d in corpus_app.searcher.recognizer.documents}
    names = {d: n for d, n in names.items() if d in DOCS | {"kh01"}}
    share, missed = _family(corpus_app, build_rows(DocumentTree(corpus_app.table), names), "named row", 12)
    assert share >= 0.9, missed[:8]


def test_a_count_of_names_leaves_out_the_one_the_question_gives(corpus_app):
    a = corpus_app.ask("Ngoài Nghị quyết 20, Kết luận 69 yêu cầu gắn với mấy nghị quyết khác?")
    lines = a.answer.split("\n")
    assert not a.abstained and lines[0].startswith("Kết luận 69-KL/TW, phần đầu gồm 3 nghị quyết"), a.answer[:300]
    assert [ln.split(" của")[0] for ln in lines[1:4]] == [
        "- Nghị quyết Đại hội lần thứ XIII",
        "- Nghị quyết số 29-NQ/TW",
        "- Nghị quyết số 45-NQ/TW",
    ]
    assert_well_cited(a)
