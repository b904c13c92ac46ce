"""retrieval/docref.py: which documents a question names, over the real catalog."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer, about_named
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


@pytest.mark.parametrize(
    "question, targets",
    [
        ("Nghị quyết 57 đặt mục tiêu gì?", ["nq57"]),
        ("nghi quyet 03/NQ-CP giao nhiem vu gi", ["nq03"]),  # without tone marks
        ("So sánh NQ57 và Kết luận 69", ["nq57", "kl69"]),  # abbreviation; reading order
        ("Mục tiêu chuyển đổi số là gì?", []),
    ],
)
def test_targets_are_the_documents_named_in_reading_order(recognizer, question, targets):
    assert recognizer.targets(question) == targets


def test_a_document_named_as_what_is_implemented_is_a_preference_not_a_target(recognizer):
    question = "Kết quả thực hiện Nghị quyết 57 của Viện Hàn lâm?"
    assert "nq57" not in recognizer.targets(question)
    assert recognizer.qualified(question) == ["nq57"]


def test_mentions_point_into_the_question(recognizer):
    question = "So sánh NQ57 và Kết luận 69"
    assert [question[m.start : m.end] for m in recognizer.mentions(question)] == ["NQ57", "Kết luận 69"]


def test_strip_removes_the_names_and_keeps_the_spelling(recognizer):
    assert recognizer.strip("Nghị quyết 57 đặt mục tiêu gì?") == "đặt mục tiêu gì?"
    assert recognizer.strip("nghi quyet 03/NQ-CP giao nhiem vu gi") == "giao nhiem vu gi"


@pytest.mark.parametrize(
    "question, target",
    [
        # the names people type for a document, beside its number (data/catalog.toml aliases)
        ("ai lo tiền thực hiện hằng năm theo chương trình của chính phủ", "nq03"),
        ("chuong trinh hanh dong chinh phu co may nhom nhiem vu", "nq03"),
        ("kế hoạch ban chỉ đạo trung ương có bao nhiêu sáng kiến", "kh01"),
        ("ke hoach BCĐTW dat muc tieu gi", "kh01"),
        ("kế hoạch viện hàn lâm giao ai chủ trì", "kh-vhl"),
        ("nghị quyết đột phá khoa học công nghệ ban hành ngày nào", "nq57"),
        ("bản tin nói Chính phủ yêu cầu mấy nhiệm vụ", "tin-nq03"),
    ],
)
def test_the_names_people_type_for_a_document(recognizer, question, target):
    assert recognizer.targets(question) == [target]


@pytest.mark.parametrize(
    "question",
    ["Kế hoạch 02-KH/BCĐTW có bao nhiêu sáng kiến?", "Nghị quyết 05/NQ-CP giao gì?", "Nghị quyết 99 nói gì?"],
)
def test_a_document_the_catalog_lacks_is_not_taken_for_one_of_its_kind(recognizer, question):
    # the name people type for a kind of text ("kế hoạch của BCĐTW", "nghị quyết của Chính
    # phủ") must not claim another number of that kind
    assert recognizer.targets(question) == []


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Nghị quyết 20 là của hội nghị trung ương lần thứ mấy?", True),
        ("nq57 do ai ban hanh", True),
        ("Kết luận 69 có hiệu lực từ khi nào?", True),
        ("Nghị quyết 57 đặt mục tiêu kinh tế số bao nhiêu phần trăm GDP?", False),
        ("Theo NQ20, viện nghiên cứu hoạt động không hiệu quả thì xử lý ra sao?", False),
    ],
)
def test_an_ask_about_the_named_text_itself_is_told_apart(question, about):
    assert about_named(question) is about


def test_a_news_item_about_a_resolution_names_the_news_item(recognizer):
    # "bản tin về Nghị quyết 03": the news item is asked; the resolution is its subject
    question = "Theo bản tin về Nghị quyết 03, ai làm Trưởng Ban Chỉ đạo?"
    assert recognizer.targets(question) == ["tin-nq03"]
    assert recognizer.qualified(question) == ["nq03"]


@pytest.mark.parametrize(
    "question, targets, qualified",
    [
        ("Theo bài so sánh, Nghị quyết 20 tập trung vào việc gì?", ["so-sanh"], ["nq20"]),
        ("Bài phân tích 5W1H nói gì về tầm nhìn của NQ57?", ["5w1h"], ["nq57"]),
        ("Nghị quyết 20 tập trung vào việc gì?", ["nq20"], []),  # no commentary named: as before
    ],
)
def test_the_resolutions_a_named_commentary_discusses_are_its_subject(recognizer, question, targets, qualified):
    assert recognizer.targets(question) == targets
    assert recognizer.qualified(question) == qualified
