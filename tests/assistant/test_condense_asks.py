"""Follow-ups of several asks, and picks from a list the conversation gave some turns back,
resolved from the conversation's text alone (assistant/condense.py: _resolve_asks,
_listed_pick, the multi-value slot of _swap; rules condense.toml ask_cut, place_kinds,
slot_joiner). Real Kế hoạch 01 questions, with answers as the assistant writes them."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from assistant.types import Message
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA

SYSTEMS = (
    "Theo Kế hoạch 01-KH/BCĐTW, Mục II:\n- 1. Hệ thống đổi mới thể chế và quản trị quốc gia (Hệ thống 1) [1]\n"
    "- 2. Hệ thống phát triển công nghiệp, tự chủ về công nghệ (Hệ thống 2) [2]\n"
    "- 3. Hệ thống an sinh và phúc lợi (Hệ thống 3) [3]\n- 4. Hệ thống hạ tầng thông tin và dữ liệu (Hệ thống 4) [4]\n"
    "- 5. Hệ thống năng lực sáng tạo và văn hóa đổi mới (Hệ thống 5) [5]\n- 6. Hệ thống dự án đặc biệt quan trọng (Hệ thống 6) [6]"
)
SYSTEM_6 = (
    "Theo Kế hoạch 01-KH/BCĐTW, Mục II, điểm 6, tiết d:\n- Sáng kiến 26: AI quốc gia [1]\n"
    "- Sáng kiến 27: Công nghệ gen chữa bệnh [2]\n- Sáng kiến 28: Công nghệ năng lượng nguyên tử [3]\n"
    "- Sáng kiến 29: Công nghệ đường sắt cao tốc Bắc - Nam [4]\n"
    "- Sáng kiến 30: Công nghệ chế tạo thiết bị không người lái và robot phục vụ an ninh - quốc phòng [5]"
)
GOALS = (
    "Theo Kế hoạch 01-KH/BCĐTW, Mục I, điểm 2:\n- a) Nâng tầm năng lực khoa học, công nghệ và đổi mới sáng tạo [1]\n"
    "- b) Thúc đẩy mạnh mẽ kinh tế số và tăng trưởng [2]\n- c) Xây dựng Chính phủ số và quản trị hiện đại [3]\n"
    "- d) Phát triển xã hội số và nâng cao chất lượng sống [4]"
)
ECONOMY_2030 = "Kế hoạch 01 đặt mục tiêu quy mô kinh tế số đến năm 2030 là bao nhiêu?"


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def chat(*texts: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)]


def test_two_values_of_one_slot_ask_the_previous_question_of_each(condenser):
    history = chat(
        "Sáng kiến 17 của Kế hoạch 01 là gì?", "Sáng kiến 17: Điện toán đám mây và Trung tâm dữ liệu quốc gia [1]"
    )
    out = condenser.condense("Còn sáng kiến 19 và sáng kiến 20 thì sao?", history)
    assert out == "Sáng kiến 19 của Kế hoạch 01 là gì? Sáng kiến 20 của Kế hoạch 01 là gì?"


def test_a_pick_reads_the_list_given_two_turns_back(condenser):
    history = chat(
        "Hệ thống 6 của Kế hoạch 01 có những sáng kiến nào?",
        SYSTEM_6,
        "Sáng kiến 26 là gì?",
        "Sáng kiến 26: AI quốc gia - Hình thành trung tâm đầu não về nghiên cứu, đào tạo và thử nghiệm AI [1]",
    )
    out = condenser.condense("còn sáng kiến cuối cùng trong danh sách đó làm chủ những công nghệ lõi nào?", history)
    assert out.startswith("Sáng kiến 30 ")


def test_every_pick_of_a_message_is_replaced(condenser):
    out = condenser.condense(
        "Cái thứ nhất hình thành trung tâm gì và cái thứ ba phát triển lò phản ứng loại nào?",
        chat("Hệ thống 6 có những sáng kiến nào?", SYSTEM_6),
    )
    assert "Sáng kiến 26 hình thành trung tâm gì" in out
    assert "Sáng kiến 28 phát triển lò phản ứng loại nào" in out
    assert "Kế hoạch 01" in out  # the document the list was quoted from
    assert "cái thứ" not in out.lower()


def test_y_with_a_number_picks_by_place(condenser):
    out = condenser.condense(
        "ý 3 đặt chỉ tiêu dịch vụ công trực tuyến bao nhiêu?",
        chat("Mục tiêu cụ thể đến năm 2030 của Kế hoạch 01 gồm những nhóm nào?", GOALS),
    )
    assert out.startswith("Xây dựng Chính phủ số và quản trị hiện đại đặt chỉ tiêu")


def test_a_changed_year_beside_an_ask_is_swapped_and_the_ask_kept(condenser):
    history = chat(ECONOMY_2030, "Quy mô kinh tế số đạt tối thiểu 30% GDP [1].")
    out = condenser.condense(
        "Còn năm 2045 thì sao, và đến năm đó có tối thiểu bao nhiêu doanh nghiệp công nghệ số ngang tầm các nước tiên tiến?",
        history,
    )
    assert out.startswith(ECONOMY_2030.replace("2030", "2045") + " ")
    assert out.endswith("bao nhiêu doanh nghiệp công nghệ số ngang tầm các nước tiên tiến?")


def test_a_what_about_pick_after_an_ask_names_the_item(condenser):
    out = condenser.condense(
        "Hệ thống thứ hai có những sáng kiến nào, và cái thứ tư thì sao?",
        chat("Kế hoạch 01 có những hệ thống chiến lược nào?", SYSTEMS),
    )
    assert out.startswith("Hệ thống phát triển công nghiệp, tự chủ về công nghệ có những sáng kiến nào")
    assert "Hệ thống hạ tầng thông tin và dữ liệu thì sao?" in out


def test_a_new_question_after_a_list_is_not_merged(condenser):
    question = "Kế hoạch 01 đặt mục tiêu chỉ số phát triển con người đến năm 2030 là bao nhiêu?"
    assert condenser.condense(question, chat("Hệ thống 6 có những sáng kiến nào?", SYSTEM_6)) == question


def test_two_initiatives_asked_at_once_are_both_answered(corpus_app):
    first = "Sáng kiến 17 của Kế hoạch 01 là gì?"
    history = [Message("user", first), Message("assistant", corpus_app.ask(first).answer)]
    follow = corpus_app.ask("Còn sáng kiến 19 và sáng kiến 20 thì sao?", history)
    assert "cách mạng dữ liệu quốc gia" in follow.answer.lower()
    assert "cách mạng công nghệ cơ yếu" in follow.answer.lower()


def test_the_year_swapped_beside_an_ask_answers_both(corpus_app):
    history = [Message("user", ECONOMY_2030), Message("assistant", corpus_app.ask(ECONOMY_2030).answer)]
    follow = corpus_app.ask(
        "Còn năm 2045 thì sao, và đến năm đó có tối thiểu bao nhiêu doanh nghiệp công nghệ số ngang tầm các nước tiên tiến?",
        history,
    )
    assert "50% GDP" in follow.answer
    assert "10 doanh nghiệp" in follow.answer


def test_a_pick_after_a_pick_reads_the_first_list_not_the_picked_items_points(condenser):
    history = chat(
        "Kế hoạch 01 có những hệ thống chiến lược nào?",
        SYSTEMS,
        "Cái thứ nhất là gì?",
        "Theo Kế hoạch 01-KH/BCĐTW, Mục II, điểm 1:\n- a) Nội dung chính [1]\n- b) Vai trò chiến lược [2]\n"
        "- c) Sáng kiến đột phá [3]",
    )
    out = condenser.condense("Còn cái thứ 3?", history)
    assert out.startswith("Hệ thống an sinh và phúc lợi")


def test_the_words_naming_the_list_go_with_the_pick(condenser):
    out = condenser.condense(
        "Vậy cái cuối cùng trong danh sách đó là gì?", chat("Hệ thống 6 có những sáng kiến nào?", SYSTEM_6)
    )
    assert out.startswith("Sáng kiến 30 là gì")


def test_two_picks_joined_ask_each_item(condenser):
    history = chat("Hệ thống 6 có những sáng kiến nào?", SYSTEM_6)
    out = condenser.condense("Cái thứ nhất và cái thứ 3 là gì?", history)
    assert out.startswith("Sáng kiến 26 là gì? Sáng kiến 28 là gì")
    assert "Kế hoạch 01" in out  # the document the list was quoted from
    assert "Sáng kiến 26 là gì? Sáng kiến 29 là gì" in condenser.condense("cho hỏi cái đầu tiên với cái thứ 4", history)
