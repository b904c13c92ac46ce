"""List and count answers checked on every heading, not on the questions they were tuned
for: scripts/probe_tree.py writes, for each heading of an official document that has
numbered items, the questions people ask of it ("Theo Nghị quyết 57, quan điểm chỉ đạo gồm
những nội dung nào?", "… gồm mấy nội dung?", the same typed without tone marks), and reads the
expected count and items from the document tree."""

from __future__ import annotations

import pytest

from assistant.doctree import DocumentTree
from scripts.probe_tree import Probe, build, doc_name, judge

DOCS = {"nq57", "nq03", "nq20", "kh-vhl", "kl69"}


@pytest.fixture(scope="module")
def probes(corpus_app) -> list[Probe]:
    names = {
        d.id: doc_name(d.cite_as or d.short, d.id) for d in corpus_app.searcher.recognizer.documents if d.id in DOCS
    }
    return build(DocumentTree(corpus_app.table), names)


def _share(app, probes: list[Probe], kind: str, forms: set[str]) -> tuple[float, list[str]]:
    chosen = [p for p in probes if p.kind == kind and p.form in forms]
    assert len(chosen) >= 20  # every heading with items: a real sample, not a handful
    outcomes = [judge(p, app.ask(p.question)) for p in chosen]
    missed = [f"{o.probe.question} -> {o.opening[:80]}" for o in outcomes if o.ok < 0.5]
    return sum(o.ok for o in outcomes) / len(outcomes), missed


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
