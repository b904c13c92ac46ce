"""Follow-ups and multi-part questions in the forms of the held-out probes
(scripts/dialog_heldout.py): an item picked from the list the previous answer gave ("cái
thứ 3", "ý thứ hai", "cái cuối cùng", "tầng 3"), a figure referred to with a new year ("chỉ
tiêu ấy năm 2045 là bao nhiêu?"), and two asks joined with no punctuation ("… với cả …",
"… rồi …", "… luôn"). Answers are written as the assistant writes them (bullets with
their markers), on the real catalog."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from assistant.multipart import split_asks
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


@pytest.fixture(scope="module")
def condenser(recognizer) -> RuleCondenser:
    return RuleCondenser(recognizer)


def chat(*texts: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)]


VIEWS_Q = "Nghị quyết 57 nêu mấy quan điểm chỉ đạo?"
VIEWS_A = (
    "Nghị quyết 57-NQ/TW, Mục I gồm 5 quan điểm chỉ đạo:\nI- QUAN ĐIỂM CHỈ ĐẠO [1]\n"
    "- 1. Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là đột phá quan trọng hàng đầu. [2]\n"
    "- 2. Tăng cường sự lãnh đạo toàn diện của Đảng, phát huy sức mạnh tổng hợp của cả hệ thống chính trị. [3]\n"
    "- 3. Thể chế, nhân lực, hạ tầng, dữ liệu và công nghệ chiến lược là những nội dung trọng tâm, cốt lõi. [4]\n"
    "- 4. Phát triển nhanh và bền vững, từng bước tự chủ về công nghệ, nhất là công nghệ chiến lược; [5]\n"
    "- 5. Bảo đảm chủ quyền quốc gia trên không gian mạng; bảo đảm an ninh mạng. [6]"
)
TIERS_Q = "Hệ thống chỉ tiêu đo lường thực hiện Nghị quyết 57 gồm những tầng nào?"
TIERS_A = (
    "Kế hoạch 01-KH/BCĐTW, Phụ lục II, Phần A, điểm 2:\nHệ thống chỉ tiêu … được thiết kế theo 4 tầng cấp độ. [1]\n"
    "- Thứ nhất, mục tiêu chiến lược quốc gia [2]\n- Thứ hai, chỉ tiêu cụ thể [3]\n"
    "- Thứ ba, chỉ số đo lường hệ thống (KPIs) [4]\n- Thứ tư, chỉ số tác nghiệp (OIs) [5]"
)
SYSTEM5_Q = "Hệ thống 5 gồm những sáng kiến nào?"
SYSTEM5_A = (
    "Kế hoạch 01-KH/BCĐTW, Mục II, điểm 5, tiết c gồm 5 sáng kiến:\nc) Sáng kiến đột phá [1]\n"
    "- Sáng kiến 21: Mạng lưới Trung tâm nghiên cứu xuất sắc [2]\n- Sáng kiến 22: Thu hút và ươm tạo tài năng [3]\n"
    "- Sáng kiến 23: Nghiên cứu cơ bản và phát triển công nghệ lõi [4]"
)


@pytest.mark.parametrize(
    "follow_up, history, expected",
    [
        ("Cái thứ 3 là gì?", chat(VIEWS_Q, VIEWS_A), "Thể chế, nhân lực, hạ tầng, dữ liệu và công nghệ chiến lược"),
        ("Ý thứ hai nói gì", chat(VIEWS_Q, VIEWS_A), "Tăng cường sự lãnh đạo toàn diện của Đảng"),
        ("cái cuối cùng là gì?", chat(VIEWS_Q, VIEWS_A), "Bảo đảm chủ quyền quốc gia trên không gian mạng"),
        ("Quan điểm 4 gồm gì?", chat(VIEWS_Q, VIEWS_A), "Phát triển nhanh và bền vững"),
        ("Tầng 3 gồm gì?", chat(TIERS_Q, TIERS_A), "chỉ số đo lường hệ thống"),
        ("thu 2 la gi vay", chat(TIERS_Q, TIERS_A), "chỉ tiêu cụ thể"),
        # by place among labelled items: the label itself
        ("cái thứ hai là gì", chat(SYSTEM5_Q, SYSTEM5_A), "Sáng kiến 22"),
    ],
)
def test_an_item_is_picked_from_the_listed_answer(condenser, follow_up, history, expected):
    assert expected.lower() in condenser.condense(follow_up, history).lower()


def test_a_number_that_is_a_label_names_the_part_itself(condenser):
    # "sáng kiến 22" among Sáng kiến 21-23 is that initiative, not the 22nd item
    standalone = condenser.condense("thế còn sáng kiến 22?", chat(SYSTEM5_Q, SYSTEM5_A))
    assert "Sáng kiến 22" in standalone or "sáng kiến 22" in standalone
    # "cái số 22": the number, as before
    assert "Sáng kiến 22" in condenser.condense("cái số 22 là gì", chat(SYSTEM5_Q, SYSTEM5_A))


def test_without_a_listed_answer_a_place_word_is_left_as_it_was(condenser):
    history = chat("Nghị quyết 57 ban hành ngày nào?", "Ngày 22/12/2024 [1]")
    assert "Ngày 22/12/2024" not in condenser.condense("Cái thứ 3 là gì?", history)


GDP_2030 = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"
ANSWER_2030 = "Theo Nghị quyết 57-NQ/TW, Mục II, điểm 1:\nQuy mô kinh tế số đạt tối thiểu 30% GDP. [1]"


@pytest.mark.parametrize(
    "follow_up",
    [
        "Chỉ tiêu ấy năm 2045 là bao nhiêu?",
        "con số đó đến 2045 thì sao",
        "Mức đó vào năm 2045 là bao nhiêu?",
        "chi tieu ay nam 2045 la bao nhieu",
    ],  # fmt: skip
)
def test_a_figure_referred_to_with_a_new_year_is_the_previous_ask_of_that_year(condenser, follow_up):
    assert condenser.condense(follow_up, chat(GDP_2030, ANSWER_2030)) == GDP_2030.replace("2030", "2045")


def test_a_figure_reference_with_an_ask_of_its_own_is_not_swapped(condenser):
    standalone = condenser.condense("Chỉ tiêu ấy năm 2045 do bộ nào theo dõi?", chat(GDP_2030, ANSWER_2030))
    assert standalone != GDP_2030.replace("2030", "2045")


@pytest.mark.parametrize(
    "question, second",
    [
        ("Nghị quyết 57 do ai ký với cả Kết luận 69 ban hành ngày nào", "Kết luận 69 ban hành ngày nào?"),
        ("Nghị quyết 57 do ai ký rồi Kết luận 69 ban hành ngày nào nữa", "Kết luận 69 ban hành ngày nào?"),
        ("Nghị quyết 57 do ai ký đồng thời cho hỏi Kết luận 69 ban hành ngày nào", "Kết luận 69 ban hành ngày nào?"),
        ("Nghị quyết 57 do ai ký và Kết luận 69 ban hành ngày nào luôn", "Kết luận 69 ban hành ngày nào?"),
    ],
)
def test_two_asks_joined_without_punctuation_are_split(recognizer, question, second):
    parts = split_asks(question, recognizer.mentions)
    assert [p.text for p in parts] == ["Nghị quyết 57 do ai ký?", second]


def test_an_already_before_its_own_ask_is_no_join(recognizer):
    assert len(split_asks("Nghị quyết 57 ban hành rồi thì ai chủ trì thực hiện?", recognizer.mentions)) == 1


def test_a_changed_body_replaces_the_body_asked_about_not_the_one_reported_to(condenser):
    previous = (
        "Bộ Công an báo cáo kết quả thực hiện Nghị quyết 57 với Ban Chỉ đạo Trung ương và Bộ Chính trị bao lâu một lần?"
    )
    standalone = condenser.condense("Vậy còn Văn phòng Trung ương Đảng?", chat(previous, "Định kỳ 6 tháng [1]"))
    assert standalone == previous.replace("Bộ Công an", "Văn phòng Trung ương Đảng")


RULES_Q = "Theo Nghị quyết 03, những quy định nào liên quan tới cơ sở giáo dục đại học công lập phải được rà soát?"
RULES_A = (
    "Theo Nghị quyết 03/NQ-CP, Mục II, điểm 4, tiết i:\nRà soát, sửa đổi quy định về thuế thu nhập doanh nghiệp. [1]\n"
    "Theo Nghị quyết 03/NQ-CP, Mục II, điểm 4, tiết d:\nRà soát, sửa đổi quy định về tiêu chuẩn chức danh giáo sư. [2]\n"
    "Theo Nghị quyết 03/NQ-CP, Mục II, điểm 4, tiết l:\nNghiên cứu, ban hành quy định áp dụng mức ưu đãi cao nhất. [3] "
    "Một câu khác. [4]"
)
NQ20_A = "Nghị quyết 20-NQ/TW, Mục B, điểm II:\n- 2.1- Đổi mới cơ chế quản lý [1]\n- 2.2- Đổi mới cơ chế tài chính [2]"


def test_an_answer_quoting_clauses_one_after_another_lists_them(condenser):
    standalone = condenser.condense("Cái thứ 3 là gì?", chat(RULES_Q, RULES_A))
    assert "mức ưu đãi cao nhất" in standalone and "Một câu khác" not in standalone


def test_a_dotted_item_number_is_no_part_of_its_title(condenser):
    standalone = condenser.condense("cái thứ 2 là gì", chat("Nghị quyết 20 đổi mới những cơ chế nào?", NQ20_A))
    assert standalone.startswith("Đổi mới cơ chế tài chính")


PHASES_A = (
    "Kế hoạch 01-KH/BCĐTW, Mục IV gồm 3 giai đoạn:\n- 1. Giai đoạn 2025 - 2027: Xây dựng nền tảng [1]\n"
    "- 2. Giai đoạn 2028 - 2030: Tăng tốc, mở rộng [2]\n- 3. Giai đoạn 2031 - 2045: Phát triển nhanh, bền vững [3]"
)


def test_a_period_in_an_items_title_is_kept_whole(condenser):
    standalone = condenser.condense("giai đoạn thứ hai tên là gì?", chat("Kế hoạch 01 có mấy giai đoạn?", PHASES_A))
    assert standalone.startswith("Giai đoạn 2028 - 2030 tên là gì")


def test_after_a_who_question_the_body_referred_to_is_the_one_the_answer_names(condenser):
    who = "Ai chủ trì theo dõi, đôn đốc thực hiện Chương trình hành động của Chính phủ?"
    answer = (
        "Theo Nghị quyết 03/NQ-CP, Mục III, điểm 4:\nBộ Khoa học và Công nghệ chủ trì, phối hợp theo dõi, đôn đốc. [1]"
    )
    standalone = condenser.condense("cơ quan đó phải báo cáo ai?", chat(who, answer))
    assert standalone.startswith("Bộ Khoa học và Công nghệ phải báo cáo ai")
    # a question that does not ask who: its own body, as before
    asked = "Bộ Tài chính có trách nhiệm gì trong Chương trình hành động của Chính phủ?"
    assert condenser.condense("cơ quan đó báo cáo ai?", chat(asked, answer)).startswith("Bộ Tài chính")
