"""Lists asked of what clauses say, in the question's own words (TreeAnswerer._phrased):
no heading holds the asked items, a run of six or more of the question's words said word
for word in two to eight clauses of the one named document picks them, each clause's
opening sentence (whom or what it is of) and the sentence saying the run shown, cited;
and a listed noun said as two nouns with a comma ("những cơ quan, đảng ủy nào")."""

from __future__ import annotations

import pytest


def _cited(answer) -> set[str]:
    return {c.chunk_id for c in answer.citations}


def test_the_clauses_of_one_heading_saying_the_asked_words_are_the_list(corpus_app):
    # the items of "2. Trách nhiệm của các đảng ủy …" of Kế hoạch 01 that end "Định kỳ ngày 25 hằng
    # tháng … báo cáo Ban Chỉ đạo Trung ương": each body, by the item's opening sentence
    a = corpus_app.ask(
        "Theo Kế hoạch 01, những cơ quan, đảng ủy nào phải định kỳ ngày 25 hằng tháng báo cáo Ban Chỉ đạo Trung ương?"
    )
    assert not a.abstained
    for body in ("Đảng ủy Quốc hội", "Đảng ủy Chính phủ", "Quân ủy Trung ương", "Đảng ủy Mặt trận Tổ quốc"):
        assert body in a.answer, a.answer[:300]
    assert {"kh01:V.2.-2", "kh01:V.2.-4", "kh01:V.2.-6"} <= _cited(a), _cited(a)
    # the fifth item has no such sentence in its opening part: not shown for it
    assert "kh01:V.2.-5#1" not in _cited(a)


def test_clauses_under_different_points_saying_the_asked_words_are_the_list(corpus_app):
    # "cơ sở giáo dục đại học công lập" in tiết l, m of điểm 2 and tiết i, l of điểm 4 (Nghị quyết 03):
    # every one of them, not the three best sentences only
    a = corpus_app.ask("Nghị quyết 03 sửa đổi những quy định nào có liên quan đến cơ sở giáo dục đại học công lập?")
    assert not a.abstained
    for said in ("viện trợ không hoàn lại", "vay ODA", "thuế thu nhập doanh nghiệp", "mức ưu đãi cao nhất"):
        assert said in a.answer, a.answer[:300]
    assert {"nq03:II.2.l", "nq03:II.2.m", "nq03:II.4.i", "nq03:II.4.l"} <= _cited(a), _cited(a)


@pytest.mark.parametrize(
    "question",
    [
        # a run this short is a topic many clauses speak of, not what picks the items
        "NQ57 muốn chương trình thúc đẩy tiêu dùng sản phẩm, dịch vụ trên môi trường số gồm những gì?",
        "NQ03 muốn có quy chế phối hợp trong đào tạo nhân lực công nghệ số giữa những bên nào?",
    ],
)
def test_a_short_run_of_common_words_picks_no_clauses(corpus_app, question):
    a = corpus_app.ask(question)
    assert not a.answer.startswith(("Nghị quyết 57-NQ/TW:\n", "Nghị quyết 03/NQ-CP:\n")), a.answer[:200]


def test_a_listed_noun_said_as_two_nouns_with_a_comma_is_a_list(corpus_app):
    ask = corpus_app.answerer.tree.ask_of("Những cơ quan, tổ chức nào phải báo cáo định kỳ?")
    assert ask is not None and not ask.count and ask.noun.startswith("co quan"), ask


def test_a_generic_listed_noun_finds_no_heading_by_items_merely_saying_it(corpus_app):
    # "những việc gì": the items of "3. Tăng cường đầu tư …" say "việc" ("đáp ứng việc phát triển"),
    # but the sentence saying what is asked stands elsewhere (Mục II, điểm 5, gạch đầu dòng thứ 6)
    a = corpus_app.ask("Viện Hàn lâm khai thác dữ liệu số để phục vụ những việc nào?")
    assert not a.abstained and "báo cáo thống kê" in a.answer, a.answer[:300]
    assert "kh-vhl:II.5.-6" in _cited(a), _cited(a)


def test_a_generic_listed_noun_of_a_heading_named_by_its_topic_lists_its_items(corpus_app):
    # the best sentence stands under the heading the question names: its items answer
    a = corpus_app.ask(
        "Kế hoạch của Viện Hàn lâm đề ra những việc gì để nâng cao nhận thức, đổi mới tư duy trong toàn Viện?"
    )
    assert "gồm 3 việc" in a.answer.split("\n")[0], a.answer[:200]


def test_a_heading_named_by_its_topic_and_a_generic_noun_keeps_its_items(corpus_app):
    # "mục tiêu gồm những nội dung nào": "II. MỤC TIÊU" of Nghị quyết 20, though the clause found
    # first (B.III.1, "Gắn các mục tiêu, nhiệm vụ …") says the word too
    a = corpus_app.ask("Theo Nghị quyết 20, mục tiêu gồm những nội dung nào?")
    assert "nq20:B.II" in {c.chunk_id.split("#")[0] for c in a.citations}, _cited(a)


@pytest.mark.parametrize(
    "question, said, clause",
    [
        # the semicolon parts of one sentence of the opening of Nghị quyết 57
        (
            "Nghị quyết 57 nêu những hạn chế gì về nhận thức, thể chế, nhân lực và hạ tầng ở phần đầu?",
            ["chưa đầy đủ và sâu sắc", "chưa đáp ứng yêu cầu", "nguồn nhân lực chất lượng cao còn thiếu", "hạ tầng số"],
            "nq57:t1#2",
        ),
        # the sentences of one clause of Nghị quyết 20 (Phần A, điểm 1)
        (
            "Những kết quả nào về tiềm lực, quản lý, pháp luật và thị trường khoa học và công nghệ được NQ20 ghi nhận?",
            ["được nâng lên", "từng bước được đổi mới", "chú trọng hoàn thiện", "đã được hình thành"],
            "nq20:A.1#3",
        ),
    ],
)
def test_a_list_asked_of_topics_in_a_row_is_the_parts_of_one_clause_saying_them(corpus_app, question, said, clause):
    a = corpus_app.ask(question)
    assert not a.abstained
    for s in said:
        assert s in a.answer, a.answer[:400]
    assert _cited(a) == {clause}, _cited(a)
