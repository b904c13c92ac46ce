"""Follow-ups resolved from the conversation's text alone (assistant/condense.py over
retrieval/resources/rules/condense.toml): slot swaps, references, elliptic questions."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def chat(*texts: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)]


GDP_2030 = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"
ANSWER_2030 = "Theo Nghị quyết 57-NQ/TW, Mục II, điểm 1:\nQuy mô kinh tế số đạt tối thiểu 30% GDP. [1]"
BODY_Q = "Trong Chương trình hành động của Chính phủ, Bộ Tài chính phải làm gì?"


@pytest.mark.parametrize(
    "follow_up, history, standalone",
    [
        ("Còn năm 2045 thì sao?", chat(GDP_2030, ANSWER_2030), GDP_2030.replace("2030", "2045")),
        ("còn 2045?", chat(GDP_2030, ANSWER_2030), GDP_2030.replace("2030", "2045")),
        (
            "Còn Bộ Y tế thì sao?",
            chat(BODY_Q, "Bộ Tài chính chủ trì bảo đảm kinh phí [1]"),
            BODY_Q.replace("Tài chính", "Y tế"),
        ),
        ("thế còn bộ công an?", chat(BODY_Q, "x"), BODY_Q.replace("Bộ Tài chính", "Bộ công an")),
        (
            "Thế còn sáng kiến 28?",
            chat("Sáng kiến 26 trong Kế hoạch 01 là gì?", "Sáng kiến 26 là AI quốc gia [1]"),
            "Sáng kiến 28 trong Kế hoạch 01 là gì?",
        ),
        ("còn sk28?", chat("Sáng kiến 26 trong Kế hoạch 01 là gì?", "x"), "Sáng kiến 28 trong Kế hoạch 01 là gì?"),
        (
            "Còn Kế hoạch 01 thì sao?",
            chat("Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?", "x"),
            "Kế hoạch 01 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?",
        ),
    ],
)
def test_a_changed_slot_replaces_the_slot_of_the_previous_question(condenser, follow_up, history, standalone):
    assert condenser.condense(follow_up, history) == standalone


def test_a_slot_the_previous_question_lacks_is_added(condenser):
    out = condenser.condense("Còn năm 2045?", chat("Nghị quyết 57 đặt mục tiêu gì về kinh tế số?", "x"))
    assert out == "Nghị quyết 57 đặt mục tiêu gì về kinh tế số (năm 2045)?"


def test_a_follow_up_with_its_own_question_keeps_it_and_the_document_in_focus(condenser):
    out = condenser.condense("thế còn việc theo dõi, đôn đốc thực hiện thì giao cho bộ nào?", chat(BODY_Q, "x"))
    assert out == "Việc theo dõi, đôn đốc thực hiện thì giao cho bộ nào (theo Chương trình hành động của Chính phủ)?"


def test_a_reference_takes_its_entity_from_the_previous_question(condenser):
    history = chat("Sáng kiến 26 trong Kế hoạch 01 là gì?", "Hình thành trung tâm đầu não về AI [1]")
    assert (
        condenser.condense("Sáng kiến đó do ai chủ trì?", history) == "Sáng kiến 26 do ai chủ trì (theo Kế hoạch 01)?"
    )
    history = chat("Kế hoạch 01 có bao nhiêu sáng kiến đột phá?", "Kế hoạch 01-KH/BCĐTW có 30 sáng kiến [1]")
    assert condenser.condense("Văn bản đó do ai ký?", history) == "Kế hoạch 01 do ai ký?"


def test_a_reference_takes_its_entity_from_the_previous_answer(condenser):
    history = chat(
        "Nghị quyết 03 giao nhiệm vụ gì về dữ liệu?",
        "Theo Nghị quyết 03/NQ-CP, Mục II:\nXây dựng Trung tâm dữ liệu quốc gia, bảo đảm kết nối [1]",
    )
    out = condenser.condense("Trung tâm đó do cơ quan nào quản lý?", history)
    assert out == "Trung tâm dữ liệu quốc gia do cơ quan nào quản lý (theo Nghị quyết 03)?"


def test_a_generic_reference_is_told_the_last_exchange(condenser):
    history = chat(
        "Ai chủ trì xây dựng Luật Khoa học, công nghệ và đổi mới sáng tạo?",
        "Theo Nghị quyết 03/NQ-CP:\nBộ Khoa học và Công nghệ chủ trì xây dựng Luật. [1]",
    )
    out = condenser.condense("Việc này phải hoàn thành khi nào?", history)
    assert out.startswith("Việc này phải hoàn thành khi nào (Ai chủ trì xây dựng Luật Khoa học")
    assert "Bộ Khoa học và Công nghệ chủ trì xây dựng Luật" in out  # the gist of the answer
    assert "[1]" not in out and "Theo Nghị quyết" not in out  # no markers, no framing line


def test_an_elliptic_question_gets_the_previous_subject(condenser):
    history = chat("Nghị quyết 03 giao nhiệm vụ gì về trung tâm dữ liệu quốc gia?", "x")
    assert (
        condenser.condense("Ai chủ trì?", history)
        == "Ai chủ trì (Nghị quyết 03 giao nhiệm vụ gì về trung tâm dữ liệu quốc gia)?"
    )


def test_a_refusal_is_no_antecedent(condenser):
    history = chat(
        "Trung tâm dữ liệu tỉnh Thanh Hóa đặt ở đâu?",
        "Các văn bản hiện có không nêu thông tin để trả lời câu hỏi này. Những điều khoản gần nhất: "
        "- Nghị quyết 03/NQ-CP: Trung tâm dữ liệu quốc gia",
    )
    out = condenser.condense("Việc này do ai làm?", history)
    assert "không nêu" not in out


def test_a_chain_of_follow_ups_keeps_its_subject(condenser):
    history = chat(
        GDP_2030, ANSWER_2030, "Còn năm 2045 thì sao?", "Việt Nam có quy mô kinh tế số đạt tối thiểu 50% GDP [1]"
    )
    assert (
        condenser.condense("Còn Kế hoạch 01?", history)
        == "Kế hoạch 01 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2045?"
    )


def test_a_new_question_is_left_alone(condenser):
    assert (
        condenser.condense("Nghị quyết 57 do ai ký?", chat("Kế hoạch 01 có bao nhiêu sáng kiến?", "x"))
        == "Nghị quyết 57 do ai ký?"
    )
    assert condenser.condense("Nghị quyết 57 do ai ký?", []) == "Nghị quyết 57 do ai ký?"


def test_a_reference_no_turn_names_is_read_with_the_last_exchange(condenser):
    # "nhiệm vụ này": the previous question and answer never say "nhiệm vụ"; the follow-up
    # carries what they were about
    history = chat(
        "Chương trình hành động đặt tỷ lệ cán bộ có chuyên môn khoa học kỹ thuật trong đội ngũ lãnh đạo là bao nhiêu?",
        "Hướng tới tối thiểu đạt 25% (Mục II, điểm 1, tiết i).",
    )
    out = condenser.condense("nhiệm vụ này thuộc nhóm nào trong 7 nhóm nhiệm vụ?", history)
    assert out.startswith("Nhiệm vụ này thuộc nhóm nào") and "cán bộ có chuyên môn" in out and "25%" in out


GDP_Q = "Đến năm 2030 quy mô kinh tế số đạt bao nhiêu phần trăm GDP theo Nghị quyết 57?"


def test_a_new_subject_is_asked_the_previous_way(condenser):
    out = condenser.condense("còn dịch vụ công trực tuyến thì sao?", chat(GDP_Q, "tối thiểu 30% GDP [1]"))
    assert out.startswith("Dịch vụ công trực tuyến đến năm 2030 đạt bao nhiêu") and "Nghị quyết 57" in out


@pytest.mark.parametrize(
    "previous, follow_up, standalone",
    [
        (
            "Kế hoạch 01 giao ai chủ trì sáng kiến 26?",
            "thời hạn của nó?",
            "Thời hạn của sáng kiến 26 (theo Kế hoạch 01)?",
        ),
        (
            "Nghị quyết 20 ban hành ngày nào?",
            "mục tiêu đến năm 2020 của nó là gì?",
            "Mục tiêu đến năm 2020 của Nghị quyết 20 là gì?",
        ),
    ],
)
def test_it_is_the_part_or_the_document_just_asked_about(condenser, previous, follow_up, standalone):
    assert condenser.condense(follow_up, chat(previous, "x [1]")) == standalone


def test_a_name_runs_on_past_a_syllable_that_only_looks_like_a_stop_word(condenser):
    # "đầu tư": its "tư" is not "từ"
    history = chat("Quỹ đầu tư mạo hiểm được nhắc trong văn bản nào?", "Nghị quyết 57 [1]")
    assert condenser.condense("quỹ đó hoạt động theo cơ chế gì?", history).startswith(
        "Quỹ đầu tư mạo hiểm hoạt động theo cơ chế gì"
    )


def test_a_preamble_before_an_ask_typed_as_keywords_is_dropped(condenser):
    preamble = "Tôi là chuyên viên Sở Khoa học và Công nghệ tỉnh Nghệ An, đang soạn báo cáo cho lãnh đạo."
    assert condenser.condense(f"{preamble} kh01 sk4", []) == "Kế hoạch 01 sáng kiến 4"
    said = f"{preamble} Nghị quyết 57 dành ít nhất 3% tổng chi ngân sách cho khoa học đúng không"
    assert condenser.condense(said, []).startswith("Nghị quyết 57 dành")


def test_a_reference_to_the_previous_figure_is_read_with_the_last_exchange(condenser):
    first = "NQ57 yêu cầu bố trí bao nhiêu phần trăm tổng chi ngân sách cho khoa học công nghệ?"
    out = condenser.condense(
        "thế kế hoạch 01 có nhắc lại con số đó không?", chat(first, "Bố trí ít nhất 3% tổng chi ngân sách [1]")
    )
    assert out.startswith("Kế hoạch 01 có nhắc lại con số đó không (") and "3% tổng chi ngân sách" in out


def test_of_several_documents_the_previous_question_names_the_one_its_answer_cited_is_in_focus(condenser):
    history = chat(
        "Ai chủ trì theo dõi, đôn đốc thực hiện chương trình hành động của Chính phủ về NQ57?",
        "Bộ Khoa học và Công nghệ chủ trì theo dõi, đôn đốc (Nghị quyết 03/NQ-CP, Mục III, điểm 4).",
    )
    out = condenser.condense("thế còn việc bảo đảm kinh phí hằng năm thì bộ nào lo?", history)
    assert "chương trình hành động của Chính phủ" in out and "57" not in out
    # an answer citing the resolution itself keeps it in focus
    history = chat(history[0].content, "Theo Nghị quyết 57-NQ/TW, Mục IV: Ban Chỉ đạo Trung ương. [1]")
    assert "57" in condenser.condense("thế còn việc bảo đảm kinh phí hằng năm thì bộ nào lo?", history)


GENE_Q = "KH01 có sáng kiến nào về công nghệ gen không?"
GENE_A = "Có: Sáng kiến 27 - Công nghệ gen chữa bệnh (Kế hoạch 01-KH/BCĐTW, Mục II, điểm 6, tiết d)."


@pytest.mark.parametrize(
    "previous, answer, follow_up, standalone",
    [
        (GENE_Q, GENE_A, "nó hợp tác quốc tế để làm gì?", "Sáng kiến 27 hợp tác quốc tế để làm gì (theo kế hoạch 01)?"),
        (
            "KH01 có dự án nào về cơ yếu lượng tử không?",
            "Có, Sáng kiến 20 về cơ yếu thế hệ mới (Kế hoạch 01-KH/BCĐTW, Phụ lục I).",
            "mục tiêu của nó là gì vậy",
            "Mục tiêu của Sáng kiến 20 là gì (theo kế hoạch 01)?",
        ),
    ],
)
def test_it_is_the_part_the_answer_named_when_the_question_asked_which_one(
    condenser, previous, answer, follow_up, standalone
):
    assert condenser.condense(follow_up, chat(previous, answer)) == standalone


def test_it_is_still_the_document_when_the_question_asked_no_which_one(condenser):
    # the answer names a part, but the question asked about the document: "nó" is the document
    history = chat("Nghị quyết 57 ban hành ngày nào?", "Ngày 22/12/2024; Sáng kiến 3 (Mục II, điểm 1).")
    assert condenser.condense("nó do ai ký?", history) == "Nghị quyết 57 do ai ký?"


SYSTEM5_Q = "Hệ thống chiến lược 5 của KH01 có những sáng kiến nào?"
SYSTEM5_A = "Hệ thống 5 gồm các sáng kiến 21 đến 25, ví dụ Sáng kiến 21: Mạng lưới (Kế hoạch 01-KH/BCĐTW, Mục II)."


@pytest.mark.parametrize(
    "follow_up, standalone",
    [
        ("thế cái số 25 nói về gì", "Sáng kiến 25 nói về gì (theo kế hoạch 01)?"),
        ("cái thứ hai do ai chủ trì?", "Sáng kiến 2 do ai chủ trì (theo kế hoạch 01)?"),
        ("số 23 là gì", "Sáng kiến 23 là gì (theo kế hoạch 01)?"),
    ],
)
def test_a_number_alone_is_a_part_of_the_kind_asked_for(condenser, follow_up, standalone):
    assert condenser.condense(follow_up, chat(SYSTEM5_Q, SYSTEM5_A)) == standalone


@pytest.mark.parametrize(
    "follow_up, standalone",
    [
        ("cái tiếp theo sau nó là gì", "Sáng kiến 12 là gì (theo kế hoạch 01)?"),
        ("sáng kiến kế tiếp do ai chủ trì?", "Sáng kiến 12 do ai chủ trì (theo kế hoạch 01)?"),
        ("còn cái trước đó thì sao?", "Sáng kiến 10 trong kế hoạch 01 là gì?"),
    ],
)
def test_the_next_or_previous_part_is_counted_from_the_one_just_asked_about(condenser, follow_up, standalone):
    history = chat(
        "Sáng kiến 11 trong KH01 là gì?", "Sáng kiến 11: Giáo dục thông minh (Kế hoạch 01-KH/BCĐTW, Mục II)."
    )
    assert condenser.condense(follow_up, history) == standalone


def test_a_number_with_no_part_in_the_conversation_is_left_alone(condenser):
    out = condenser.condense("cái số 3 là gì", chat("Nghị quyết 57 ban hành ngày nào?", "Ngày 22/12/2024."))
    assert "Sáng kiến" not in out


def test_a_document_reference_is_a_document_of_its_kind_other_than_the_one_the_follow_up_names(condenser):
    history = chat("Bài so sánh nói NQ20 còn hạn chế gì?", "Thể chế pháp luật chưa đồng bộ (Bài so sánh, điểm 2).")
    out = condenser.condense("còn KL69 thì bài đó nhận xét gì", history)
    assert "Bài so sánh" in out and "Kết luận 69" in out and "NQ20" not in out


@pytest.mark.parametrize(
    "previous, answer, follow_up, starts",
    [
        (
            "Trong NQ03, ai chủ trì bảo đảm nguồn kinh phí thực hiện hằng năm?",
            "Bộ Tài chính chủ trì, phối hợp với các bộ, ngành (Nghị quyết 03/NQ-CP, Mục III).",
            "bộ đó phối hợp với ai?",
            "Bộ Tài chính phối hợp với ai",
        ),
        (
            "Ai chủ trì xây dựng Luật Khoa học, công nghệ và đổi mới sáng tạo?",
            "Bộ Khoa học và Công nghệ chủ trì xây dựng Luật. [1]",
            "Cơ quan đó còn phải làm gì?",
            "Bộ Khoa học và Công nghệ còn phải làm gì",
        ),
    ],
)
def test_a_body_reference_is_the_body_the_conversation_named(condenser, previous, answer, follow_up, starts):
    assert condenser.condense(follow_up, chat(previous, answer)).startswith(starts)


def test_a_part_named_only_by_the_conversation_makes_a_follow_up_even_beside_a_document(condenser):
    history = chat(SYSTEM5_Q, SYSTEM5_A)
    out = condenser.condense("Nghị quyết 20 có nói cái số 24 về tri thức dùng chung không?", history)
    assert out.startswith("Nghị quyết 20 có nói Sáng kiến 24 về")


def test_a_period_replaces_the_period_of_the_previous_question(condenser):
    history = chat("Giai đoạn 2025 - 2027, Kế hoạch 01 ưu tiên gì về nguồn nhân lực?", "Thu hút nhân tài [1]")
    out = condenser.condense("còn giai đoạn 2028 - 2030 thì sao?", history)
    assert out == "Giai đoạn 2028 - 2030, Kế hoạch 01 ưu tiên gì về nguồn nhân lực?"


NHAN_LUC = "Nghị quyết 57 nói gì về nhân lực?"


@pytest.mark.parametrize(
    "previous, follow_up, standalone",
    [
        (NHAN_LUC, "còn về hạ tầng số thì sao?", "Nghị quyết 57 nói gì về hạ tầng số?"),
        (NHAN_LUC, "thế còn hạ tầng số?", "Nghị quyết 57 nói gì về hạ tầng số?"),
        (
            "Nghị quyết 57 có chính sách gì đối với nhà khoa học?",
            "còn đối với doanh nghiệp thì sao?",
            "Nghị quyết 57 có chính sách gì đối với doanh nghiệp?",
        ),
        (  # the year after the subject stays
            "Viện Hàn lâm đặt chỉ tiêu gì về công bố quốc tế đến 2030?",
            "con van bang so huu tri tue thi sao",
            "Viện Hàn lâm đặt chỉ tiêu gì về van bang so huu tri tue đến 2030?",
        ),
    ],
)
def test_a_new_subject_takes_the_place_of_what_the_previous_question_was_about(
    condenser, previous, follow_up, standalone
):
    assert condenser.condense(follow_up, chat(previous, "x [1]")) == standalone


@pytest.mark.parametrize("follow_up", ["liệt kê ra đi", "kể tên chúng", "chúng gồm những gì?"])
def test_a_list_request_after_a_count_asks_the_count_with_its_items(condenser, follow_up):
    history = chat("Kế hoạch 01 có bao nhiêu hệ thống chiến lược?", "6 hệ thống [1]")
    assert condenser.condense(follow_up, history) == "Kế hoạch 01 có bao nhiêu hệ thống chiến lược? Kể tên."


def test_a_list_request_after_no_count_is_left_to_the_other_rules(condenser):
    out = condenser.condense("liệt kê ra đi", chat("Nghị quyết 57 ban hành ngày nào?", "Ngày 22/12/2024."))
    assert "Kể tên." not in out


def test_the_first_one_is_number_one_of_the_kind_counted(condenser):
    history = chat("Kế hoạch 01 có bao nhiêu hệ thống chiến lược?", "6 hệ thống [1]")
    assert condenser.condense("cái đầu tiên là gì?", history) == "Hệ thống 1 là gì (theo Kế hoạch 01)?"


def test_a_body_named_by_its_document_alias_is_swapped_as_a_body(condenser):
    history = chat("Bộ Khoa học và Công nghệ được giao nhiệm vụ gì trong Nghị quyết 03?", "x [1]")
    out = condenser.condense("thế còn Viện Hàn lâm?", history)
    assert out == "Viện Hàn lâm được giao nhiệm vụ gì trong Nghị quyết 03?"


@pytest.mark.parametrize(
    "previous, answer, follow_up, starts",
    [
        (
            "Sáng kiến 26 trong Kế hoạch 01 là gì?",
            "Sáng kiến 26 là AI quốc gia [1]",
            "sang kien do do ai chu tri",
            "Sáng kiến 26 do",
        ),
        (GENE_Q, GENE_A, "muc tieu cua no la gi", "Muc tieu cua Sáng kiến 27"),
        (
            "Ai chủ trì xây dựng Luật Khoa học, công nghệ và đổi mới sáng tạo?",
            "Bộ Khoa học và Công nghệ chủ trì xây dựng Luật. [1]",
            "co quan do con phai lam gi",
            "Bộ Khoa học và Công nghệ",
        ),
    ],
)
def test_references_typed_without_marks_are_resolved(condenser, previous, answer, follow_up, starts):
    assert condenser.condense(follow_up, chat(previous, answer)).startswith(starts)


def test_an_unmarked_do_before_who_does_it_means_by(condenser):
    # "sang kien do ai chu tri" is "sáng kiến do ai chủ trì" (by whom), not "sáng kiến đó"
    history = chat("Kế hoạch 01 có bao nhiêu sáng kiến?", "30 sáng kiến [1]")
    assert "Sáng kiến" not in condenser.condense("sang kien 4 do ai chu tri", history)


# -- chat openers, asks of their own, the part a new subject is asked of ---------------


@pytest.mark.parametrize(
    "follow_up, history, standalone",
    [
        # a chat opener is no part of the question
        ("Ok, còn năm 2045 thì sao?", chat(GDP_2030, ANSWER_2030), GDP_2030.replace("2030", "2045")),
        ("Cho hỏi thêm: còn năm 2045 thì sao?", chat(GDP_2030, ANSWER_2030), GDP_2030.replace("2030", "2045")),
        # "còn mục tiêu thì sao?" asks the field of the part the last turn named
        (
            "còn mục tiêu thì sao",
            chat("Sáng kiến 9 trong Kế hoạch 01 là gì?", "Sáng kiến 9: Hạ tầng số [1]"),
            "Mục tiêu của Sáng kiến 9 là gì",
        ),
    ],
)
def test_openers_and_the_part_asked_of(condenser, follow_up, history, standalone):
    assert condenser.condense(follow_up, history).startswith(standalone.rstrip("?"))


def test_an_ask_of_its_own_borrows_no_ask(condenser):
    history = chat("Theo Chương trình hành động, có bao nhiêu nhóm nhiệm vụ?", "7 nhóm [1]")
    out = condenser.condense("Thế còn muốn đề xuất sửa nội dung thì bộ, ngành gửi về đâu?", history)
    assert "bao nhiêu" not in out and "về đâu" in out


@pytest.mark.parametrize(
    "follow_up", ["Hệ thống 5 được hiểu là tinh thần như thế nào?", "có những nội dung cụ thể nào?"]
)
def test_an_ask_in_how_or_which_keeps_its_question_word(condenser, follow_up):
    history = chat("Sáng kiến 2 trong Kế hoạch 01 là gì?", "Sáng kiến 2: Công nghệ số [1]")
    out = condenser.condense(follow_up, history)
    assert out.split(" (")[0].rstrip("?").endswith(follow_up.rstrip("?").split()[-1])


def test_a_reference_to_what_the_message_quotes_takes_nothing_from_the_last_turn(condenser):
    history = chat("Kế hoạch 01 có mấy hệ thống chiến lược?", "6 Hệ thống [1]")
    follow_up = 'Người ta hay nói "văn hóa đổi mới sáng tạo"; trong Hệ thống 5 thì cái đó được hiểu là gì?'
    out = condenser.condense(follow_up, history)
    assert "mấy hệ thống" not in out and "cái đó được hiểu là gì" in out


@pytest.mark.parametrize(
    "follow_up, starts",
    [
        ("Theo cái đó, nền tảng IoT quốc gia ưu tiên lĩnh vực nào?", "Theo Sáng kiến 18, nền tảng IoT"),
        ("cái này có mục tiêu gì?", "Sáng kiến 18 có mục tiêu gì"),
        ("cai do do ai chu tri", "Sáng kiến 18 do ai chu tri"),
    ],
)
def test_a_thing_pointed_at_is_the_part_the_last_turn_named(condenser, follow_up, starts):
    history = chat("Sáng kiến 18 trong Kế hoạch 01 là gì?", "Sáng kiến 18: Nền tảng IoT quốc gia [1]")
    assert condenser.condense(follow_up, history).startswith(starts)


def test_a_thing_pointed_at_is_never_the_document(condenser):
    history = chat("Nghị quyết 57 nói gì về hạ tầng số?", "Phát triển hạ tầng số [1]")
    assert not condenser.condense("cái đó ai chủ trì?", history).startswith("Nghị quyết 57")
