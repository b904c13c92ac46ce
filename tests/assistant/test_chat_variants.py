"""The chat-typed self-consistency probe (scripts/chat_variants.py) on the real documents:
the dev asks retyped as in a chat box (no tone marks, short forms, keywords only, fillers,
lower case) keep the original's key facts and first citation at the rate they reach now (a
floor per transformation, on every fourth dev ask)."""

from __future__ import annotations

import pytest

from scripts.chat_variants import TRANSFORMS, abbreviate, combo, filler, keywords, load_dev, run, strip_tones

# transformation -> the lowest share of variants keeping the original's key facts and first
# citation (measured on every fourth dev ask)
FLOORS = {
    # 0.90 before the w16c chat rows joined the sample (0.894 with them; 0.907 without them at the same
    # code): their spoken words typed without marks ("xai", "nhieu") are other words too;
    # 0.89 before the q22 chat rows joined the sample (0.887 with them, 0.896 without them at the same code);
    # 0.88 before stop 29's merge answered q22-3 and c22-15 typed with marks (their unmarked forms,
    # "bao nhieu vien", "bao nhieu muc", stay unanswered): 0.880 with the same failures as before plus those two
    "notone": 0.87,
    "abbrev": 0.96,  # 0.97 before the w16c chat rows joined the sample (0.969 with them, 0.978 without)
    "keywords": 0.81,  # 0.79 before asks typed side by side were split (split_bare)
    "filler": 0.97,
    "lower": 0.98,
    "combo": 0.87,  # 0.88 before stop 29 (0.877: the same two newly answered rows as notone)
}


def test_the_transformations_retype_the_ask_as_in_chat():
    q = "Theo Nghị quyết 57, Ủy ban nhân dân tỉnh có nhiệm vụ gì trong chuyển đổi số?"
    assert strip_tones(q) == "Theo Nghi quyet 57, Uy ban nhan dan tinh co nhiem vu gi trong chuyen doi so?"
    assert abbreviate(q) == "theo nq 57, ubnd tỉnh có nhiệm vụ gì trong cđs"
    assert abbreviate("Kế hoạch khoa học công nghệ và đổi mới sáng tạo") == "kh khcn và đmst"
    assert keywords(q) == "nghị quyết 57 ủy ban nhân dân tỉnh nhiệm vụ gì chuyển đổi số"
    assert keywords("Ai theo dõi việc thực hiện?") == "ai theo dõi việc thực hiện"
    assert filler(q, 0).startswith("cho mình hỏi theo") and filler(q, 0).endswith("chuyển đổi số vậy ạ")
    assert filler(q, 1).endswith(" nhỉ") and "?" not in filler(q, 1)
    assert combo(q) == "cho minh hoi theo nq 57, ubnd tinh co nhiem vu gi trong cds vay a"
    assert set(FLOORS) == set(TRANSFORMS)


def test_a_few_chat_typed_asks_keep_the_answer(corpus_app):
    q = "Theo Nghị quyết 57, đến năm 2030 quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?"
    first = corpus_app.ask(q)
    assert not first.abstained and "30%" in first.answer
    for v in (strip_tones(q), abbreviate(q), keywords(q), filler(q, 2), combo(q, 3)):
        a = corpus_app.ask(v)
        assert not a.abstained and "30%" in a.answer, v
        assert a.citations[0].chunk_id == first.citations[0].chunk_id, v


def test_two_asks_typed_side_by_side_without_a_mark_are_split(corpus_app):
    # answers.toml split_bare: a chat ask with no mark, cut after the word ending its first ask
    from assistant.multipart import split_asks

    q = "sáng kiến 12 kh01 tên gì bao nhiêu tỉnh chọn làm thí điểm"
    assert [p.text for p in split_asks(q, lambda s: [])] == [
        "Sáng kiến 12 kh01 tên gì?",
        "Bao nhiêu tỉnh chọn làm thí điểm?",
    ]
    a = corpus_app.ask(q)
    assert not a.abstained and "Nông nghiệp bền vững và thông minh" in a.answer
    # a question mark marks its own asks: one ask, as before
    assert len(split_asks(q + "?", lambda s: [])) == 1
    # "… nào trong …", "… gì về …": the ask goes on, no cut
    for one in (
        "việc này thuộc nhóm nhiệm vụ nào trong chương trình",
        "kế hoạch 01 có nói gì về tỷ lệ vay lại vốn oda không",
    ):
        assert len(split_asks(one, lambda s: [])) == 1, one


@pytest.fixture(scope="module")
def scores(corpus_app):
    return run(load_dev(every=4), corpus_app)


@pytest.mark.parametrize("name", list(FLOORS))
def test_each_transformation_keeps_the_answer_at_its_floor(scores, name):
    s = scores[name]
    assert s["n"] >= 100
    assert s["both"] / s["n"] >= FLOORS[name], (s["both"] / s["n"], s["fail"][:10])
