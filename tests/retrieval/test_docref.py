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
    "question, target",
    [
        # number and code in either order, with the kind word or its short form
        ("NQ TW 57 đặt mục tiêu gì?", "nq57"),
        ("nq-tw 57 dat muc tieu gi", "nq57"),
        ("Nghị quyết TW 57 giao gì?", "nq57"),
        ("NQ-CP 03 giao bộ nào?", "nq03"),
        ("nghị quyết chính phủ 03 có mấy nhóm nhiệm vụ?", "nq03"),
        ("KH/BCĐTW 01 có bao nhiêu sáng kiến?", "kh01"),
        ("kết luận TW 69 nói gì?", "kl69"),
        ("QĐ-VHL 116 ký ngày nào?", "kh-vhl"),
        ("nq03 giao bộ nào", "nq03"),
        ("kh 01 có bao nhiêu sáng kiến", "kh01"),
        # the kind words written short
        ("CTHĐ có mấy nhiệm vụ?", "nq03"),
        ("ctr hanh dong cua chinh phu co may muc tieu", "nq03"),
        ("kế hoạch của BCĐ Trung ương giao gì?", "kh01"),
        # the plenum the title states
        ("nghị quyết trung ương 6 nói gì về nhân lực?", "nq20"),
        ("NQ TƯ 6 đặt mục tiêu gì?", "nq20"),
        ("nghi quyet tw6 co may quan diem", "nq20"),
        ("Nghị quyết hội nghị Trung ương 6 khoá XI về khoa học", "nq20"),
    ],
)
def test_the_names_people_type_are_derived_from_the_catalog(recognizer, question, target):
    assert recognizer.targets(question) == [target], [question[m.start : m.end] for m in recognizer.mentions(question)]


@pytest.mark.parametrize(
    "question",
    [
        "Nghị quyết 71/NQ-CP được ban hành ngày nào?",  # the code of another number
        "Kế hoạch 02-KH/BCĐTW có bao nhiêu sáng kiến?",
        "Hội nghị trung ương lần thứ mấy?",
        "nq 6 nói gì?",
    ],
)
def test_a_derived_name_is_never_a_bare_code_or_another_number(recognizer, question):
    assert recognizer.targets(question) == []


def test_plenum_names_only_where_the_title_states_one():
    import re

    from retrieval.aliases import derived_aliases

    docs = Catalog.load(DATA / "catalog.toml").documents
    for d in docs:
        own = re.match(r"0*(\d+)", d.short)
        numbers = [
            m.group(1) for a in derived_aliases(d, docs) for m in re.finditer(r"\b(?:trung uong|tw|tu) ?(\d+)", a)
        ]
        plenum = [n for n in numbers if not own or n.lstrip("0") != own.group(1)]
        assert bool(plenum) == ("hội nghị lần thứ" in d.title.lower()), (d.id, plenum)


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


@pytest.mark.parametrize(
    "question, stripped",
    [
        # the issuer written right after a name of its own document is part of that name
        ("qđ 116 vhl có bao nhiêu nhiệm vụ?", "có bao nhiêu nhiệm vụ?"),
        ("Quyết định 116 của Viện Hàn lâm có mấy nhiệm vụ?", "có mấy nhiệm vụ?"),
        # the issuer apart from the name, or alone, is what the question is about
        ("Theo QĐ 116, Viện Hàn lâm chủ trì những nhiệm vụ nào?", "Theo , Viện Hàn lâm chủ trì những nhiệm vụ nào?"),
        ("Viện Hàn lâm chủ trì những nhiệm vụ nào?", "Viện Hàn lâm chủ trì những nhiệm vụ nào?"),
    ],
)
def test_an_issuer_written_into_a_document_name_is_stripped_with_it(recognizer, question, stripped):
    assert recognizer.strip(question) == stripped
