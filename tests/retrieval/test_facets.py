"""Facets (retrieval/facets.py) on the real documents: the labelled parts of the plans'
items ("- Mục tiêu:", "- Nội dung:", "b) Vai trò chiến lược") and the questions that ask
for one in other words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from retrieval.facets import asked_facet, label_facet, named_label, numbered_names


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("Sáng kiến 12 được triển khai bằng cách nào?", "content"),
        ("phong trào đó triển khai ra sao vậy", "content"),
        ("Sáng kiến 3 nhằm đạt được điều gì?", "goal"),
        ("Hệ thống 6 đóng vai trò gì, sao phải dồn lực cho nó?", "role"),
        ("he thong 4 co y nghia gi", "role"),
        ("Sáng kiến 12 là gì?", None),
        ("Ai chủ trì Sáng kiến 12?", None),
    ],
)
def test_the_facet_a_question_asks_for(question, facet):
    assert asked_facet(question) == facet


def test_every_initiative_of_the_plan_has_its_goal_and_content_parts(corpus_app):
    """Phụ lục I writes each of the Sáng kiến of groups A-F as "- Mục tiêu: …" then "- Nội
    dung: …" (those of group G in one paragraph each)."""
    searcher = corpus_app.searcher
    rows = searcher.facet_rows
    chunks = searcher.table.chunks
    initiatives = [i for i, c in enumerate(chunks) if c.doc_id == "kh01" and c.path.startswith("PL1.III.")]
    items = [i for i in initiatives if chunks[i].text.split(":")[0].split(". ", 1)[-1].startswith("Sáng kiến ")]
    assert len(items) == 30
    parted = [i for i in items if searcher.table.children.get(chunks[i].id)]
    assert len(parted) == 25
    for i in parted:
        goal, content = rows.part_of(i, "goal"), rows.part_of(i, "content")
        assert goal is not None and chunks[goal].text.lstrip("- ").startswith("Mục tiêu")
        assert content is not None and chunks[content].text.lstrip("- ").startswith("Nội dung")
        assert rows.part_of(content, "goal") == goal  # from one part to its sibling
    assert label_facet(chunks[items[0]].text) is None  # the item's own title line is no part


def test_the_asked_part_of_a_top_hit_comes_first(corpus_app):
    searcher = corpus_app.searcher
    question = "Sáng kiến 12 trong phụ lục của Kế hoạch 01 được triển khai bằng cách nào?"
    assert "kh01:PL1.III.C.12.-2" in [h.chunk.id for h in searcher.search(question, 2)]
    config = searcher.config
    try:
        searcher.config = replace(config, facet_depth=0)
        assert "kh01:PL1.III.C.12.-2" not in [h.chunk.id for h in searcher.search(question, 3)]
    finally:
        searcher.config = config


def test_a_role_question_is_answered_from_the_role_part(corpus_app):
    answer = corpus_app.ask("Hệ thống dự án đặc biệt quan trọng của Kế hoạch 01 đóng vai trò gì, sao phải dồn lực?")
    assert answer.citations and answer.citations[0].chunk_id == "kh01:II.6.b"
    assert "động lực chiến lược" in answer.answer


def test_a_how_question_quotes_the_content_part(corpus_app):
    answer = corpus_app.ask("Phong trào Bình dân học vụ số triển khai ra sao?")
    assert "kh01:PL1.III.C.14.-2" in [c.chunk_id for c in answer.citations]
    assert "học - dạy lại" in answer.answer


def test_the_asked_part_is_quoted_whole_without_its_heading_line(corpus_app):
    """ "a) Nội dung chính" and its two sentences: both sentences, not the label as one."""
    answer = corpus_app.ask("Hệ thống 3 của Kế hoạch 01 được thực hiện bằng cách nào?")
    assert [c.chunk_id for c in answer.citations][:2] == ["kh01:II.3.a", "kh01:II.3.a"]
    assert "hệ thống an sinh và phúc lợi xã hội hiện đại" in answer.answer
    assert "Hệ thống này bao gồm các ứng dụng công nghệ số" in answer.answer
    assert all(c.quote.strip() != "Nội dung chính" for c in answer.citations)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("(3) Văn hóa đổi mới sáng tạo: Hình thành tinh thần", "van hoa doi moi sang tao"),
        ("- Hạ tầng, trang thiết bị: …", "ha tang trang thiet bi"),
        ("- Mục tiêu: Toàn dân học", None),  # two words: a facet, not a name
        ("25. Sáng kiến 25: Văn hóa đổi mới", None),  # numbered
        ("a) Nội dung chính\nTập trung", None),  # no colon
    ],
)
def test_the_label_that_names_a_part(text, label):
    assert named_label(text) == label


def test_a_part_named_by_its_label_leads_and_is_quoted(corpus_app):
    """The question names the label of "(3) Văn hóa đổi mới sáng tạo: …" under "a) Nội dung
    chính" of Hệ thống 5; without the label step the heading of Hệ thống 5 leads."""
    searcher = corpus_app.searcher
    question = 'Cái gọi là "văn hóa đổi mới sáng tạo" ở Hệ thống 5 của Kế hoạch 01 mang tinh thần gì?'
    assert searcher.search(question, 3)[0].chunk.id == "kh01:II.5.a.3"
    config = searcher.config
    try:
        searcher.config = replace(config, label_depth=0)
        assert searcher.search(question, 3)[0].chunk.id == "kh01:II.5"
    finally:
        searcher.config = config
    answer = corpus_app.ask(question)
    assert answer.citations[0].chunk_id == "kh01:II.5.a.3"
    assert "dám thay đổi và chấp nhận rủi ro" in answer.answer


def test_the_part_of_the_item_named_by_number_is_preferred(corpus_app):
    """ "Sáng kiến 4": its "- Nội dung:" first, not that of Sáng kiến 16 that the words match."""
    searcher = corpus_app.searcher
    question = "Nội dung cụ thể của Sáng kiến 4 ở phụ lục là gì (theo kế hoạch 01)?"
    assert searcher.search(question, 3)[0].chunk.id == "kh01:PL1.III.B.4.-2"
    assert numbered_names(question) >= {"sang kien 4"}
    assert numbered_names("16. Sáng kiến 16: Hạ tầng") == {"sang kien 16"}
