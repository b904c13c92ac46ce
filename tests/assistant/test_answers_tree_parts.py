"""Lists and counts read from the document tree, by family: the recipient list ("Nơi nhận
gồm những ai"), a list opened by the last sentence of its heading ("Mục tiêu trọng tâm:"),
the words that only ask for names ("nêu tên từng …"), and a part named by an ordinal
("giai đoạn thứ ba", "giai đoạn hai")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.evidence import question_cues
from assistant.tree import TreeAnswerer, _opens_list
from retrieval.normalize import normalize
from retrieval.rules import load_rules
from retrieval.structure import parse
from retrieval.text import fold

from .test_answers import assert_well_cited

LEAD = load_rules("answers").word_set("list_lead")


def bullets(answer):
    return [s.text for s in answer.checked.sentences if s.bullet]


def claims(answer):
    return [s for s in answer.checked.sentences if not s.framing]


# -- the recipient list --------------------------------------------------------------------


def test_a_recipient_list_in_a_broken_pipe_table_is_the_recipients_part():
    # a converter left "Nơi nhận" as the first cell of a table spread over lines
    text = "1- Ban Tuyên giáo báo cáo kết quả.\n\n|   *Nơi nhận:*\n\\- Các tỉnh uỷ,\n\\- Lưu Văn phòng. |\n| :---- |\n"
    root = parse(normalize(text))
    recipients = [n for n in root.walk() if n.kind == "recipients"]
    assert len(recipients) == 1
    assert [c.kind for c in recipients[0].children] == ["bullet", "bullet"]
    point = next(n for n in root.walk() if n.kind == "number")
    assert not point.children  # the recipients are not items of the point above them


@pytest.mark.parametrize(
    "question, count, first",
    [
        ("Nơi nhận của Nghị quyết 20-NQ/TW gồm những ai?", 5, "Các tỉnh uỷ, thành uỷ"),
        ("Nghị quyết 03/NQ-CP được gửi tới những ai?", 15, "Ban Bí thư Trung ương Đảng"),
        # the list asked of people ("những ai") or counted ("bao nhiêu nơi"), with no list noun of the tree's own
        ("Nghị quyết 03 gửi cho những ai?", 15, "Ban Bí thư Trung ương Đảng"),
        ("nq 03 gui cho bao nhieu noi", 15, "Ban Bí thư Trung ương Đảng"),
        ("Nghị quyết 20 gửi cho những ai?", 5, "Các tỉnh uỷ, thành uỷ"),
        ("Nơi nhận của Nghị quyết 03/NQ-CP gồm những ai?", 15, "Ban Bí thư Trung ương Đảng"),
    ],
)
def test_the_recipients_are_listed_from_the_recipients_part(corpus_app, question, count, first):
    a = corpus_app.ask(question)
    assert not a.abstained
    if count is None:  # another wording: an answer, cited, whatever its shape
        assert_well_cited(a)
        return
    assert a.answer.split("\n")[0].endswith(f"phần Nơi nhận gồm {count} nơi nhận:")
    items = bullets(a)
    assert len(items) == count and items[0].startswith(first)
    assert all("|" not in t for t in items)  # the table's bars are not part of a name
    assert all(c.clause.startswith("noi-nhan") for c in a.citations)
    assert_well_cited(a)


# -- a list opened by its heading's last sentence --------------------------------------------


def test_a_heading_whose_last_sentence_names_the_noun_opens_its_list(corpus_app):
    # "1. Giai đoạn 2025 - 2027: … Tập trung … lan toả cao. Mục tiêu trọng tâm:" then ten dashes
    a = corpus_app.ask("Trong giai đoạn 2025 - 2027 của KH01, những mục tiêu trọng tâm nào được nêu? Kể tên.")
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Mục IV, điểm 1 gồm 10 mục tiêu trọng tâm:"
    items = bullets(a)
    assert items[0] == "Hoàn thiện thể chế ưu tiên" and "Thiết lập khung hợp tác quốc tế" in items
    assert_well_cited(a)


@pytest.mark.parametrize(
    "text, noun, opens",
    [
        ("1. Giai đoạn 2025 - 2027\nTập trung triển khai. Mục tiêu trọng tâm:", "muc tieu", True),
        ("2. Giai đoạn 2028 - 2030\nGiai đoạn này tập trung …, trọng tâm là:", "trong tam", True),
        ("II. NHIỆM VỤ\nCác Bộ, cơ quan ngang Bộ tập trung thực hiện các nhiệm vụ sau:", "nhiem vu", True),
        # the noun said earlier in the line is not what the list below holds
        ("II. NHIỆM VỤ\nCác Bộ, cơ quan ngang Bộ tập trung thực hiện các nhiệm vụ sau:", "co quan", False),
        ("II. NHIỆM VỤ\nbên cạnh các nhiệm vụ thường xuyên, cần thực hiện các nhiệm vụ sau:", "ben", False),
        ("Mục tiêu trọng tâm:", "muc tieu", False),  # a heading's own line is read apart
        ("1. Giai đoạn\nMục tiêu trọng tâm.", "muc tieu", False),  # no colon: no list opened
    ],
)
def test_only_a_lead_in_ending_with_the_noun_opens_a_list(text, noun, opens):
    assert _opens_list(text, noun, LEAD) is opens


# -- words that only ask for the names ------------------------------------------------------


def test_asking_for_the_names_is_no_anchor_the_heading_lacks(corpus_app):
    a = corpus_app.ask("Mấy sáng kiến trong Hệ thống chiến lược 1 của Kế hoạch 01? Nêu tên từng sáng kiến.")
    assert "gồm 3 sáng kiến" in a.answer.split("\n")[0]
    assert [t[:12] for t in bullets(a)] == ["Sáng kiến 1:", "Sáng kiến 2:", "Sáng kiến 3:"]
    assert_well_cited(a)


# -- a part named by an ordinal ---------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["Giai đoạn hai của KH01 có mấy trọng tâm?", "Kế hoạch 01: giai đoạn thứ hai gồm những trọng tâm nào?"],
)
def test_a_part_named_by_an_ordinal_is_that_numbered_part(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Mục IV, điểm 2 gồm 9 trọng tâm:"
    assert bullets(a)[0] == "Thực thi và hoàn thiện thể chế"
    assert_well_cited(a)


def test_a_named_part_without_items_is_not_answered_by_another_heading(corpus_app):
    # "3. Giai đoạn 2031 - 2045" has no items of its own: not the ten of the first period
    a = corpus_app.ask("Giai đoạn thứ ba của lộ trình Kế hoạch 01 gồm những nội dung nào?")
    assert "Hoàn thiện thể chế ưu tiên" not in a.answer


@pytest.mark.parametrize(
    "question, cues",
    [
        ("Giai đoạn thứ ba gồm gì?", "giai doan 3 gom gi?"),
        ("giai doan hai keo dai bao lau", "giai doan 2 keo dai bao lau"),
        ("Nhóm nhiệm vụ thứ nhất có mấy nhiệm vụ?", "nhom 1 co may nhiem vu?"),
        ("giai đoạn năm 2025", "giai doan nam 2025"),  # "năm" after the noun is a year, not "thứ năm"
    ],
)
def test_ordinals_read_as_numbers(question, cues):
    assert TreeAnswerer.cues(SimpleNamespace(rules=load_rules("answers")), question) == cues


@pytest.mark.parametrize(
    "question, title",
    [
        ("Giai đoạn thứ ba của Kế hoạch 01 kéo dài bao lâu?", "3. Giai đoạn 2031 - 2045: Phát triển nhanh"),
        ("Kế hoạch 01: giai đoạn hai kéo dài từ năm nào đến năm nào?", "2. Giai đoạn 2028 - 2030: Tăng tốc"),
    ],
)
def test_the_name_of_a_part_named_by_its_place_is_its_title(corpus_app, question, title):
    a = corpus_app.ask(question)
    assert claims(a)[0].text.startswith(title)
    assert_well_cited(a)


def test_each_ask_names_its_own_part(corpus_app):
    # the second ask is read with the first as context ("(theo …; giai đoạn hai …)"): its own part first
    a = corpus_app.ask("Kế hoạch 01: giai đoạn hai kéo dài từ năm nào đến năm nào, và giai đoạn ba có tên là gì?")
    assert "2028 - 2030" in a.answer and "Phát triển nhanh, bền vững, hội nhập sâu rộng" in a.answer


# -- an item labelled by the asked noun ---------------------------------------------------------


def test_the_item_labelled_by_the_noun_is_answered_with_its_content(corpus_app):
    # "Sáng kiến 20" holds "- Mục tiêu: …" and "- Nội dung: …": the content asked is the second one's
    a = corpus_app.ask("Sáng kiến 20 của KH01 về cơ yếu thế hệ mới gồm những nội dung phát triển gì?")
    items = bullets(a)
    assert len(items) == 4 and items[0].startswith("Nội dung: Phát triển và làm chủ công nghệ cơ yếu")
    assert "QKD" in a.answer and "PQC" in a.answer and "thiết bị cơ yếu chuyên dụng" in a.answer
    assert {c.clause for c in a.citations} == {"PL1.III.D.20.-2"}
    assert_well_cited(a)


def test_a_bare_label_heading_gives_the_text_under_it(corpus_app):
    # "a) Nội dung chính" over its sentences, beside "b) Vai trò chiến lược" and "c) Sáng kiến đột phá"
    a = corpus_app.ask("Hệ thống 3 có những nội dung chính nào?")
    assert {c.clause for c in a.citations} == {"II.3.a"}
    assert "y tế, giáo dục" in a.answer and "Vai trò chiến lược" not in a.answer


def test_a_count_is_not_answered_by_a_labelled_item(corpus_app):
    a = corpus_app.ask("Nội dung của Sáng kiến 16 trong Phụ lục I KH01 gồm mấy việc, kể ra?")
    assert "gồm 6 việc" in a.answer.split("\n")[0]


# -- generic nouns of a heading's items -------------------------------------------------------------


def test_a_generic_noun_lists_the_items_of_the_heading_named_by_the_subject(corpus_app):
    a = corpus_app.ask("Bài phân tích 5W1H nêu trọng tâm của Nghị quyết 57 gồm những mảng nào?")
    assert a.answer.split("\n")[0].endswith("gồm 3 mảng:")  # the noun with its marks
    assert [t.split(":")[0] for t in bullets(a)] == ["Chuyển đổi số", "Đổi mới sáng tạo", "Phát triển nhân lực"]
    assert_well_cited(a)


def test_a_generic_noun_alone_lists_every_item_not_the_one_labelled_so(corpus_app):
    # "gồm những nội dung nào": a), b) and c), not only "a) Nội dung chính"
    a = corpus_app.ask("Hệ thống an sinh và phúc lợi (Hệ thống 3) gồm những nội dung nào?")
    assert [t[:2] for t in bullets(a)] == ["a)", "b)", "c)"]


# -- the item at a place of a list ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question, clause, start",
    [
        ("Quan điểm thứ ba của Nghị quyết 57 là gì?", "I.3", "3. Thể chế, nhân lực, hạ tầng"),
        ("Nhiệm vụ đầu tiên trong nhóm 2 của Chương trình hành động là gì?", "II.2.a", "a) Rà soát, tháo gỡ"),
        ("Sáng kiến cuối cùng của Kế hoạch 01 là gì?", "PL1.III.G.30", "Sáng kiến 30: Công nghệ chế tạo"),
    ],
)
def test_the_item_at_a_place_of_a_list_is_answered(corpus_app, question, clause, start):
    a = corpus_app.ask(question)
    assert claims(a)[0].text.startswith(start)
    assert a.citations[0].clause == clause
    assert_well_cited(a)


@pytest.mark.parametrize(
    "text", ["Hội nghị Trung ương lần thứ sáu ban hành Nghị quyết 20 năm nào?", "Việt Nam xếp thứ ba về chỉ số nào?"]
)
def test_an_ordinal_of_no_list_is_no_place_in_one(text):
    assert load_rules("answers").pattern("nth_item").search(fold(text)) is None


def test_a_label_more_specific_than_the_noun_is_one_item_of_its_list(corpus_app):
    # "1. Mục tiêu tổng quát" is one of the three mục tiêu, not what "những mục tiêu nào" asks alone
    a = corpus_app.ask("Kế hoạch 01 gồm những mục tiêu nào?")
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Mục I gồm 3 mục tiêu:"
    assert [t[:2] for t in bullets(a)] == ["1.", "2.", "3."]


# -- lists and counts typed as people chat ---------------------------------------------------------


@pytest.mark.parametrize(
    "question, first",
    [
        ("kh01 có bn sáng kiến", "Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III gồm 30 sáng kiến, xếp thành 6 nhóm:"),
        ("hệ thống 4 có mấy sáng kiến z", "Kế hoạch 01-KH/BCĐTW, Mục II, điểm 4, tiết c gồm 5 sáng kiến:"),
        (
            "cho mình xin danh sách sáng kiến hệ thống 6",
            "Kế hoạch 01-KH/BCĐTW, Mục II, điểm 6, tiết d gồm 5 sáng kiến:",
        ),
        ("NQ57 có mấy nhóm nhiệm vụ giải pháp?", "Nghị quyết 57-NQ/TW, Mục III gồm 7 nhóm nhiệm vụ giải pháp:"),
    ],
)
def test_chat_typed_counts_and_lists(corpus_app, question, first):
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == first
    assert_well_cited(a)


def test_the_first_word_of_a_noun_counted_by_the_text_itself(corpus_app):
    # "mấy tầng chỉ tiêu": the tầng of the indicators, which the text counts "theo 4 tầng cấp độ"
    a = corpus_app.ask("Phụ lục II của KH01 có mấy tầng chỉ tiêu?")
    assert not a.abstained
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Phụ lục II, Phần A, điểm 2 gồm 4 tầng chỉ tiêu:"
    assert_well_cited(a)


def test_a_documents_opening_leading_into_its_points_lists_them(corpus_app):
    # Kết luận 69 opens "… tập trung thực hiện tốt một số nhiệm vụ trọng tâm sau:" (the last of its
    # four parts), then points 1 … 7: they are its nhiệm vụ trọng tâm, that sentence cited first
    a = corpus_app.ask("Kết luận 69 có mấy nhiệm vụ trọng tâm?")
    assert a.answer.split("\n")[0] == "Kết luận 69-KL/TW, phần đầu gồm 7 nhiệm vụ trọng tâm:"
    assert claims(a)[0].text.endswith("một số nhiệm vụ trọng tâm sau:")
    assert [t[:2] for t in bullets(a)] == [f"{i}." for i in range(1, 8)]
    assert_well_cited(a)


def test_a_lead_in_of_a_later_part_needs_no_heading_line():
    lead = "Bộ Chính trị yêu cầu tập trung thực hiện tốt một số nhiệm vụ trọng tâm sau:"
    assert _opens_list(lead, "nhiem vu", LEAD, headed=False)
    assert not _opens_list(lead, "nhiem vu", LEAD)  # the heading's own line, read apart


# -- a heading named by the question, generic nouns of tasks, short lists read whole ---------------------


def test_a_list_of_a_heading_the_question_names_gives_its_items(corpus_app):
    # "đặc biệt tập trung vào những nơi, những ngành nào": the heading "- Đặc biệt tập trung vào:"
    a = corpus_app.ask("Theo bài phân tích 5W1H, Nghị quyết 57 đặc biệt tập trung vào những nơi, những ngành nào?")
    assert "gồm" not in a.answer.split("\n")[0]  # its items are not counted as "ngành"
    assert [t.split(":")[0] for t in bullets(a)] == [
        "Các khu vực đô thị",
        "Các ngành công nghiệp mũi nhọn",
        "Các vùng kinh tế trọng điểm",
    ]
    assert_well_cited(a)


def test_a_heading_named_as_a_part_is_counted_whatever_else_the_question_says(corpus_app):
    # "mấy chủ thể" is a count ("mấy chú" would be the plural); "phần tổ chức thực hiện" names Phần C
    a = corpus_app.ask("Phần tổ chức thực hiện của Nghị quyết 20 giao nhiệm vụ cho mấy chủ thể? Đó là những ai?")
    assert not a.abstained
    assert a.answer.split("\n")[0] == "Nghị quyết 20-NQ/TW, Phần C gồm 4 chủ thể:"
    assert_well_cited(a)


def test_the_tasks_a_heading_sets_are_its_items_read_whole_in_a_short_list(corpus_app):
    a = corpus_app.ask(
        "Để nâng cao nhận thức, đổi mới tư duy trong toàn Viện, Kế hoạch của Viện Hàn lâm đề ra những việc gì?"
    )
    assert "gồm 3 việc" in a.answer.split("\n")[0]
    assert "phong trào thi đua" in a.answer  # past the first clause of a long item of a short list
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question, cues",
    [
        ("giao nhiệm vụ cho mấy chủ thể?", "giao nhiem vu cho may chu the?"),
        ("mấy chú bộ đội", "___ chu bo doi"),  # the plural of everyday speech, as written
        ("may ban tre khoi nghiep", "___ ban tre khoi nghiep"),  # typed without marks: folded words
    ],
)
def test_a_plural_may_is_read_from_the_word_as_written(question, cues):
    assert question_cues(question) == cues


def test_a_generic_count_finds_the_heading_by_its_lead_in(corpus_app):
    # "4. Công cụ giám sát …" ends "Ban Chỉ đạo Trung ương, Cơ quan Thường trực và Tổ Giúp việc sử dụng hệ
    # thống chỉ tiêu để:": "mấy việc" names no heading, the lead-in says what the items are for
    a = corpus_app.ask(
        "Theo Phụ lục II của KH01, Ban Chỉ đạo Trung ương, Cơ quan Thường trực và Tổ Giúp việc "
        "dùng hệ thống chỉ tiêu để làm mấy việc?"
    )
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Phụ lục II, Phần C, điểm 4 gồm 5 việc:"
    assert_well_cited(a)


def test_a_lead_in_does_not_draw_a_count_of_a_named_noun(corpus_app):
    # the same lead-in says "Ban Chỉ đạo Trung ương … hệ thống": "mấy hệ thống" is still Mục II's six
    a = corpus_app.ask("Kế hoạch 01 của Ban Chỉ đạo Trung ương tổ chức nhiệm vụ thành mấy hệ thống?")
    assert "gồm 6 hệ thống" in a.answer


def test_the_place_in_a_list_the_question_names_as_a_part(corpus_app):
    a = corpus_app.ask("Trong phần Nơi nhận của Nghị quyết 03/NQ-CP, cơ quan nào của Đảng được ghi đầu tiên?")
    assert claims(a)[0].text.startswith("Ban Bí thư Trung ương Đảng")
    assert a.citations[0].clause == "noi-nhan.-1"


def test_a_count_of_target_groups_counts_the_rows_under_the_target(corpus_app):
    # "chia theo mấy đối tượng người học": the generic noun counts the sub-rows of row 8 of Phụ lục I
    a = corpus_app.ask(
        "Chỉ tiêu đào tạo nhân lực chất lượng cao đến năm 2030 của Viện Hàn lâm chia theo mấy đối tượng người học?"
    )
    assert "gồm 3 đối tượng người học" in a.answer.split("\n")[0]
    assert "Tiến sĩ" in a.answer and "Thạc sĩ" in a.answer and "Sinh viên" in a.answer


def test_the_one_item_a_question_names_by_its_subject_is_answered_whole(corpus_app):
    # "2. Trách nhiệm của các đảng ủy … và các ban chỉ đạo" lists six bodies; the question asks the fifth's
    a = corpus_app.ask("Ban Chỉ đạo thực hiện Nghị quyết 57 của Chính phủ có những trách nhiệm gì theo Kế hoạch 01?")
    assert claims(a)[0].text.startswith("Ban Chỉ đạo thực hiện Nghị quyết số 57-NQ/TW của Chính phủ")
    assert "ngày 25 hằng tháng" in a.answer  # its second part too
    assert "Đảng ủy Quốc hội" not in a.answer
    assert_well_cited(a)


# -- a part named by its place ("Mục III", "điểm 2 Mục II"), a point numbered with a dash ------------


@pytest.mark.parametrize(
    "question, first, count",
    [
        ("Mục III của Kế hoạch 01 có bao nhiêu điểm?", "Kế hoạch 01-KH/BCĐTW, Mục III gồm 9 điểm:", 9),
        ("Nghị quyết 03, điểm 4 Mục II gồm mấy tiết?", "Nghị quyết 03/NQ-CP, Mục II, điểm 4 gồm 15 tiết:", 15),
        ("nq 57 muc iii co bn diem", "Nghị quyết 57-NQ/TW, Mục III gồm 7 điểm:", 7),
        ("Phần B của Nghị quyết 20 có bao nhiêu mục?", "Nghị quyết 20-NQ/TW, Phần B gồm 3 mục:", 3),
        # "tiết đ" and "tiết d" fold alike: the one written with its marks
        ("Nghị quyết 03, tiết đ điểm 2 Mục II gồm mấy ý?", "Nghị quyết 03/NQ-CP, Mục II, điểm 2, tiết đ gồm 3 ý:", 3),
    ],
)
def test_a_count_of_a_part_named_by_its_place_is_its_items(corpus_app, question, first, count):
    a = corpus_app.ask(question)
    assert not a.abstained  # the place's numbers stand in its label, whatever the clauses retrieved
    assert a.answer.split("\n")[0] == first
    assert len(bullets(a)) == count
    assert_well_cited(a)


def test_a_heading_under_a_named_place_that_the_question_names_answers(corpus_app):
    # "trong Phụ lục II" is the scope; "mối quan hệ phân cấp và liên kết" names its Phần B
    a = corpus_app.ask(
        "Mối quan hệ phân cấp và liên kết giữa các chỉ tiêu trong Phụ lục II Kế hoạch 01 gồm những nội dung nào?"
    )
    assert a.answer.split("\n")[0].startswith("Kế hoạch 01-KH/BCĐTW, Phụ lục II, Phần B")
    assert_well_cited(a)


def test_a_place_with_a_numbered_part_or_another_noun_is_left_to_the_headings(corpus_app):
    # "Sáng kiến 16 … trong Phụ lục I": the numbered part answers, not all of Phụ lục I
    a = corpus_app.ask(
        "Nội dung của Sáng kiến 16 (hạ tầng viễn thông, Internet) trong Phụ lục I KH01 gồm mấy việc, kể ra?"
    )
    assert "gồm 6 việc" in a.answer.split("\n")[0]
    assert_well_cited(a)


@pytest.mark.parametrize(
    "text, found",
    [
        ("Mục III của Kế hoạch 01", {"muc iii"}),
        ("Giải pháp hợp tác quốc tế (điểm 7, Mục III)", {"diem 7", "muc iii"}),
        ("quan điểm 2 và thời điểm 2025, chi tiết 5 nhiệm vụ, hạng mục 2", set()),
        ("(phần 1/2)", set()),
    ],
)
def test_places_read_from_a_question(text, found):
    rules = load_rules("answers")
    assert {f"{m.group(1)} {m.group(2)}" for m in rules.pattern("place_ref").finditer(fold(text))} == found


@pytest.mark.parametrize(
    "question, first",
    [
        # "II- MỤC TIÊU" › "1- Mục tiêu tổng quát", "2- Mục tiêu cụ thể" (numbered with a dash)
        ("Mục tiêu của Nghị quyết 20 gồm bao nhiêu mục tiêu?", "Nghị quyết 20-NQ/TW, Phần B, Mục II gồm 2 mục tiêu:"),
        (
            "Trong Nghị quyết 20, mục tiêu cụ thể có mấy mục tiêu?",
            "Nghị quyết 20-NQ/TW, Phần B, Mục II, điểm 2 gồm 3 mục tiêu:",
        ),
    ],
)
def test_the_one_item_named_by_the_noun_is_descended_into_only_when_said(corpus_app, question, first):
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == first
    assert_well_cited(a)


def test_a_dash_before_a_small_letter_joins_words_of_an_items_title(corpus_app):
    # "- Khuyến khích mô hình hợp tác dân sự - quốc phòng nhằm …": the dash is inside the title
    a = corpus_app.ask("Kế hoạch 01, điểm 6 Mục III gồm mấy ý?")
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Mục III, điểm 6 gồm 6 ý:"
    assert any("hợp tác dân sự - quốc phòng" in t for t in bullets(a))
    # "Sáng kiến 4: Bán dẫn và vật liệu tiên tiến - Tập trung …": a dash before a capital ends it
    b = corpus_app.ask("Liệt kê các sáng kiến của Hệ thống 2 trong Kế hoạch 01")
    assert any(t.endswith("Bán dẫn và vật liệu tiên tiến") for t in bullets(b))
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question, first",
    [
        # the year names the period: "II- MỤC TIÊU" › "1. Đến năm 2030" and its five targets
        ("nq 57 den 2030 co bn muc tieu", "Nghị quyết 57-NQ/TW, Mục II, điểm 1 gồm 5 mục tiêu:"),
        ("Mục tiêu của Nghị quyết 57 gồm bao nhiêu mục tiêu?", "Nghị quyết 57-NQ/TW, Mục II gồm 2 mục tiêu:"),
    ],
)
def test_a_year_the_question_names_picks_the_period_of_a_list(corpus_app, question, first):
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == first
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question, label",
    [
        ("Sáng kiến 2 trong Phụ lục I của KH01 có những nội dung cụ thể nào?", "Phần A, điểm 2, gạch đầu dòng thứ 2"),
        ("sang kien 17 gom nhung noi dung chu yeu nao", "Phần D, điểm 17, gạch đầu dòng thứ 2"),
    ],
)
def test_the_content_of_a_numbered_clause_asked_by_a_generic_noun_is_its_content_item(corpus_app, question, label):
    # "những nội dung cụ thể nào" of "Sáng kiến 2": its item "- Nội dung: …", sentence by sentence
    a = corpus_app.ask(question)
    assert label in a.answer.split("\n")[0]
    assert bullets(a)[0].startswith("Nội dung:") and len(bullets(a)) >= 2
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 01 có mấy nhóm sáng kiến?",
        "kh01 co bao nhieu nhom sang kien dot pha",
        "Phụ lục I của Kế hoạch 01 có mấy nhóm sáng kiến?",
    ],
)
def test_a_count_of_groups_of_numbered_items_says_the_groups_first(corpus_app, question):
    # Sáng kiến 1 … 30 stand in the groups A- … G- of Phụ lục I, Mục III: 6 groups, not one group's items
    a = corpus_app.ask(question)
    first = a.answer.split("\n")[0]
    assert first.startswith("Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III gồm 6 nhóm sáng kiến")
    assert "tổng cộng 30 sáng kiến" in first
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question",
    [
        "Viện Hàn lâm đặt ra bao nhiêu chỉ tiêu đến năm 2030?",
        "Phụ lục I của kế hoạch Viện Hàn lâm có mấy chỉ tiêu?",
        "ke hoach vien han lam co bn chi tieu cu the",
    ],
)
def test_an_appendix_named_by_its_title_line_counts_the_rows_of_its_table(corpus_app, question):
    # "Phụ lục I" over "Danh mục các chỉ tiêu cụ thể": a table, its header row "TT | Chỉ tiêu | Kết quả"
    # and one group "I  Đến năm 2030" holding the nine targets
    a = corpus_app.ask(question)
    assert not a.abstained
    assert "Phụ lục I, mục I gồm 9 chỉ tiêu" in a.answer.split("\n")[0]
    assert_well_cited(a)


@pytest.mark.parametrize("question", ["KH01 chia thành mấy phụ lục?", "Kế hoạch 01 có tất cả mấy phụ lục?"])
def test_a_count_of_a_documents_parts_in_other_frames_is_its_outline(corpus_app, question):
    # "chia thành", "có tất cả" say nothing else: the document's own parts, not Phụ lục I's three
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW gồm 2 phụ lục:"
    assert_well_cited(a)


def test_a_count_within_a_part_the_question_names_is_that_parts(corpus_app):
    # Kết luận 69's opening counts its seven points ("… một số nhiệm vụ trọng tâm sau:"); "trong phần
    # tổ chức thực hiện" names its point 7, whose five items are counted
    a = corpus_app.ask("Kết luận 69 giao mấy nhiệm vụ cho các cấp ủy trong phần tổ chức thực hiện?")
    assert a.answer.split("\n")[0] == "Kết luận 69-KL/TW, điểm 7 gồm 5 nhiệm vụ:"
    b = corpus_app.ask("Kết luận 69 có mấy nhiệm vụ trọng tâm?")
    assert b.answer.split("\n")[0] == "Kết luận 69-KL/TW, phần đầu gồm 7 nhiệm vụ trọng tâm:"
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question",
    ["Số lượng nhiệm vụ cụ thể trong Nghị quyết 03 là bao nhiêu?", "Nghị quyết 03 có bao nhiêu nhiệm vụ cụ thể?"],
)
def test_the_words_framing_a_count_find_no_heading(corpus_app, question):
    # "số lượng" weighs as a topic otherwise, and "nhân lực chất lượng cao" (point 4, 15 items) wins
    a = corpus_app.ask(question)
    assert a.answer.split("\n")[0] == "Nghị quyết 03/NQ-CP, Mục II gồm 7 nhiệm vụ cụ thể:"
    assert_well_cited(a)


@pytest.mark.parametrize(
    "question",
    ["Mỗi hệ thống của Kế hoạch 01 có bao nhiêu sáng kiến đột phá?", "kh01 moi he thong co bn sang kien"],
)
def test_every_groups_own_count_is_stated_and_kept_by_the_refusal_step(corpus_app, question):
    # "mỗi … bao nhiêu" is no limit per item here (abstention's per_item_asked): Phụ lục I's groups of
    # Sáng kiến 1-30, not "c) Sáng kiến đột phá" naming five of them, each group with its own count
    a = corpus_app.ask(question)
    assert not a.abstained
    lines = a.answer.split("\n")
    assert lines[0].startswith("Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III gồm 6 hệ thống, tổng cộng 30 sáng kiến")
    own = [int(line.split()[1]) for line in lines if line.startswith("Gồm ")]
    assert len(own) >= 6 and sum(own) == 30
    assert_well_cited(a)


def test_a_limit_per_item_is_no_count_of_each_group(corpus_app):
    a = corpus_app.ask("Mỗi tổng công trình sư được phụ trách tối đa bao nhiêu dự án cùng lúc?")
    assert "Gồm " not in a.answer


@pytest.mark.parametrize("question", ["Sáng kiến 26 gồm mấy nội dung?", "sk26 gom may noi dung"])
def test_a_named_clause_without_items_is_its_whole_text_over_its_parts(corpus_app, question):
    # "26. Sáng kiến 26: AI quốc gia" is split in two chunks, its content in the second; it has no
    # items to count, and Mục II's one-line summary "- Sáng kiến 26: …" is not the clause itself
    a = corpus_app.ask(question)
    assert not a.abstained
    assert a.answer.split("\n")[0] == "Kế hoạch 01-KH/BCĐTW, Phụ lục I, Mục III, Phần G, điểm 26:"
    assert {c.chunk_id for c in a.citations} == {"kh01:PL1.III.G.26#1", "kh01:PL1.III.G.26#2"}
    assert "Hình thành trung tâm đầu não" in a.answer
    assert_well_cited(a)


def test_a_list_no_heading_holds_is_every_clause_that_sets_one_up(corpus_app):
    # the "bộ tiêu chí đánh giá" of Nghị quyết 03 stand in điểm 6 tiết d, đ, n, under no heading of them;
    # a mention deep in a sentence ("…, có bộ tiêu chí đánh giá cụ thể") or with nothing after it
    # ("xây dựng bộ tiêu chí đánh giá;") sets none up
    a = corpus_app.ask("Nghị quyết 03 giao xây dựng những bộ tiêu chí đánh giá nào?")
    assert a.answer.split("\n")[0] == "Nghị quyết 03/NQ-CP:"
    assert {c.clause for c in a.citations} == {"II.6.d", "II.6.đ", "II.6.n"}
    for fact in ("mức độ chuyển đổi số doanh nghiệp", "doanh nghiệp công nghệ chiến lược quy mô lớn"):
        assert fact in a.answer
    assert_well_cited(a)
