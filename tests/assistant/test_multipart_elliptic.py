"""A second ask that names only what changes ("…, còn kinh phí R&D nữa?", "…; còn năm 2045
thì sao?") asks what the first asks, of what it names (assistant/multipart.py with the
condenser as a follow-up within the message); a source the question opens with ("Theo bài so
sánh, …") frames each ask; "nó còn" is the adverb "still", no cut (answers.toml split)."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser
from assistant.multipart import split_asks
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


def parts(recognizer, question):
    return split_asks(question, recognizer.mentions, refer=RuleCondenser(recognizer).refer)


GDP = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030"


@pytest.mark.parametrize(
    "question, second",
    [
        (f"{GDP}, còn năm 2045 thì sao?", GDP.replace("2030", "2045") + "?"),
        (f"{GDP}; còn năm 2045 nữa", GDP.replace("2030", "2045") + "?"),
        (f"{GDP} còn năm 2045 thì thế nào?", GDP.replace("2030", "2045") + "?"),
        # the filler gone (the question reader drops "nữa"), a time said in words
        (
            "Kế hoạch 01 giai đoạn 2025 - 2027 tập trung gì về hạ tầng; còn giai đoạn tiếp theo?",
            "Kế hoạch 01 giai đoạn 2028 - 2030 tập trung gì về hạ tầng?",
        ),
        (f"{GDP}, còn 15 năm sau đó thì sao?", GDP.replace("2030", "2045") + "?"),
        (
            "Nghị quyết 57 đặt mục tiêu nguồn nhân lực nghiên cứu đạt bao nhiêu người trên một vạn dân đến năm 2030, còn kinh phí R&D nữa?",
            "Kinh phí R&D đến năm 2030 đạt bao nhiêu (theo Nghị quyết 57)?",
        ),
        (
            "Theo Sáng kiến 19, nền tảng IoT quốc gia ưu tiên ứng dụng trong những lĩnh vực nào còn Sáng kiến 18 thì thế nào?",
            "Theo Sáng kiến 18, nền tảng IoT quốc gia ưu tiên ứng dụng trong những lĩnh vực nào?",
        ),
    ],
)
def test_a_second_ask_naming_only_a_slot_asks_the_first_of_it(recognizer, question, second):
    found = parts(recognizer, question)
    assert len(found) == 2
    assert found[1].query == second
    assert found[1].text.startswith("Còn ")  # shown as the user wrote it


def test_a_pronoun_before_con_is_one_ask_and_the_source_frames_the_second(recognizer):
    found = parts(
        recognizer, "Theo bài so sánh, Nghị quyết 20 tập trung vào việc gì, và nó còn thiếu điều gì về chuyển đổi số?"
    )
    assert [p.text for p in found] == [
        "Theo bài so sánh, Nghị quyết 20 tập trung vào việc gì?",
        "Nó còn thiếu điều gì về chuyển đổi số?",
    ]
    # "nó" is the document asked about, not the source; the source still frames the ask
    assert found[1].query == "Nghị quyết 20 còn thiếu điều gì về chuyển đổi số (theo bài so sánh)?"


def test_an_ask_with_its_own_source_keeps_it(recognizer):
    found = parts(
        recognizer,
        "Theo bài so sánh, Kết luận 69 có đặt chuyển đổi số làm trọng tâm không? Và theo bài phân tích 5W1H, nhà khoa học có vai trò gì?",
    )
    assert found[1].query == "Theo bài phân tích 5W1H, nhà khoa học có vai trò gì?"


@pytest.mark.parametrize(
    "question, count",
    [
        # one "có … không" question with a comma inside: "bà con" is the folks, no "còn" to cut at
        ("Có sáng kiến nào giúp bà con nông dân làm ăn bền vững, đỡ thiệt hại khi thời tiết thất thường không?", 1),
        ("Cho mình hỏi có quỹ nào hỗ trợ khởi nghiệp sáng tạo, nhất là cho sinh viên không?", 1),
        # the side after the comma asks of its own, or opens its own "có … không"
        ("Có sáng kiến nào về nông nghiệp, do bộ nào chủ trì?", 2),
        ("Có quỹ nào hỗ trợ khởi nghiệp sáng tạo, doanh nghiệp có được miễn thuế không?", 2),
    ],
)
def test_a_yes_no_question_is_cut_only_where_a_side_asks_of_its_own(recognizer, question, count):
    assert len(parts(recognizer, question)) == count


def test_how_long_is_an_ask(recognizer):
    found = parts(recognizer, "Bộ Công an báo cáo kết quả thực hiện NQ57 theo định kỳ bao lâu, và ai tổng hợp báo cáo?")
    assert len(found) == 2


def test_the_second_ask_is_answered_on_the_real_documents(corpus_app):
    a = corpus_app.ask(
        "Nghị quyết 57 đặt mục tiêu nguồn nhân lực nghiên cứu đạt bao nhiêu người trên một vạn dân đến năm 2030, còn kinh phí R&D nữa?"
    )
    assert "12 người trên một vạn dân" in a.answer and "2% GDP" in a.answer
