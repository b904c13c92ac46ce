"""The everyday vocabulary of chat questions (wave 11): tone-mark placement, the short
forms people type, and the everyday words searched in the documents' wording."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from retrieval.query import QuestionReader
from retrieval.synonyms import Synonyms, default_synonyms
from retrieval.text import modern_tones
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


@pytest.mark.parametrize(
    "old, new",
    [
        ("văn hoá số", "văn hóa số"),
        ("uỷ ban", "ủy ban"),
        ("sức khoẻ", "sức khỏe"),
        ("lan toả", "lan tỏa"),
        ("thuỷ sản", "thủy sản"),
    ],
)
def test_tone_marks_of_oa_oe_uy_are_placed_one_way(old, new):
    assert modern_tones(old) == new
    assert modern_tones(new) == new  # idempotent


@pytest.mark.parametrize("text", ["quý", "quỹ", "hoàng", "thuyết", "khoảng", "toàn"])
def test_syllables_whose_mark_has_one_place_are_left_alone(text):
    assert modern_tones(text) == text


def test_a_synonym_matches_whichever_way_its_tone_marks_are_placed():
    small = Synonyms.parse("số hóa | chuyển đổi số\nuỷ ban | cơ quan\n")
    assert small.expansions("số hoá di sản") == ["chuyển đổi số"]
    assert small.expansions("số hóa di sản") == ["chuyển đổi số"]
    assert small.expansions("ủy ban tỉnh") == ["cơ quan"]  # the member written the older way


@pytest.mark.parametrize(
    "typed, read",
    [
        ("tthc nào được cắt giảm", "thủ tục hành chính nào được cắt giảm"),
        ("kts trưởng do ai chọn", "kiến trúc sư trưởng do ai chọn"),
        ("kts chiếm bao nhiêu GDP", "kinh tế số chiếm bao nhiêu GDP"),  # alone: kinh tế số
        ("ubnd bc kết quả cho bkhcn", "Ủy ban nhân dân báo cáo kết quả cho Bộ Khoa học và Công nghệ"),
        ("cty cnc được ưu đãi gì", "công ty công nghệ cao được ưu đãi gì"),
        ("dvctt đạt bao nhiêu %", "dịch vụ công trực tuyến đạt bao nhiêu %"),
        ("cty cnc duoc uu dai gi", "cong ty cong nghe cao duoc uu dai gi"),  # typed without marks
        ("phai dau tu bn % doanh thu", "phai dau tu bao nhieu % doanh thu"),  # "bn" asking an amount
        ("bn ơi cho mình hỏi chút, nq57 là gì", "Nghị quyết 57 là gì"),  # "bn" calling: bạn
    ],
)
def test_more_short_forms_people_type(reader, typed, read):
    assert reader.read(typed) == read


@pytest.mark.parametrize(
    "typed, meant",
    [
        # how things work, what they bring (round 6 of the resource)
        ("nhà máy chạy suốt ngày đêm", "làm việc liên tục"),
        ("đưa kết quả nghiên cứu ra ngoài đời", "thực tiễn"),
        ("sản phẩm quân dân sự", "lưỡng dụng"),
        ("quảng bá hình ảnh đất nước", "thương hiệu quốc gia"),
        ("ai là người chốt danh sách", "quyết định"),
        ("cân bằng nghiên cứu cơ bản và ứng dụng", "hài hòa"),
        ("kèm cặp người mới vào nghề", "hướng dẫn"),
        ("kéo về nước làm việc", "thu hút"),
        ("nhân sự của Viện", "đội ngũ"),
        ("Nhà nước hứa hẹn gì", "cam kết"),
        ("làm thủ tục ở bất cứ đâu", "không phụ thuộc địa giới hành chính"),
        ("dồn lực cho dự án", "tập trung nguồn lực"),
        ("thủ tục có dễ dàng hơn không", "thuận lợi"),
        # paying, borrowing, reporting, laws, organisation, conduct, learning (round 8)
        ("bỏ tiền cho nghiên cứu", "đầu tư"),
        ("mượn tiền ngân hàng", "tiền vay"),
        ("có phải thế chấp không", "bảo đảm tiền vay"),
        ("báo lên trên mỗi quý", "báo cáo"),
        ("ai trông chừng việc này", "theo dõi"),
        ("biến chủ trương thành luật lệ", "thể chế"),
        ("gần như xong trong năm nay", "cơ bản"),
        ("gom gọn bộ máy", "tinh gọn"),
        ("từ trên xuống dưới", "từ trung ương đến địa phương"),
        ("đưa vào lịch công việc", "kế hoạch công tác"),
        ("phép lịch sự khi dùng mạng xã hội", "quy tắc ứng xử"),
        ("học qua mạng cho thường xuyên", "học tập số"),
        ("lôi kéo học trò", "thu hút"),
        ("lôi kéo học trò", "học sinh"),
        ("người trẻ lập công ty", "thanh niên"),
        ("công ty ngoại đặt máy chủ ở Việt Nam", "doanh nghiệp nước ngoài"),
        ("mua quyền vào đọc tạp chí", "quyền truy cập"),
        ("khơi thông số liệu", "giải phóng"),
        ("làm cho thủ tục suôn sẻ", "thuận lợi"),
        ("nước mình phải đuổi kịp thế giới", "bắt kịp"),
        ("công nghệ mã hóa", "cơ yếu"),
        ("người trẻ tự mở công ty", "khởi nghiệp"),
        ("viện tự mở công ty từ kết quả nghiên cứu", "thành lập doanh nghiệp"),
        ("làm thủ tục ở đâu cũng được", "không phụ thuộc địa giới hành chính"),
        ("ai đứng ra lo việc này", "chịu trách nhiệm"),
    ],
)
def test_everyday_words_for_how_the_texts_say_it(typed, meant):
    assert meant in default_synonyms().expansions(typed)


def test_no_synonym_member_is_only_numbers():
    """A member of digits alone ("24/7" read as "24 7") would search every clause that
    holds those numbers."""
    members = [m for g in default_synonyms().groups for m in g]
    assert not [m for m in members if all(w.isdigit() for w in m.split())]


def test_a_short_form_that_is_a_syllable_needs_two_capitals():
    """A question opening "Ai ký …" asks who: only "AI" (or "IoT") is the abbreviation."""
    from retrieval.lexical import Analyzer

    analyzer = Analyzer.for_corpus(["Ứng dụng trí tuệ nhân tạo (AI) và Internet vạn vật (IoT)."])
    assert "tri_tue" not in analyzer.tokens("Ai ký nghị quyết 03?", query=True)
    assert "tri_tue" in analyzer.tokens("ứng dụng AI trong y tế", query=True)
    assert "van_vat" in analyzer.tokens("IoT là gì", query=True)


@pytest.mark.parametrize(
    "typed, read",
    [
        ("nq20 han che j a", "nghi quyet 20 han che gi"),  # "a" = ạ after the asking word
        ("nq57 chi r&d may phan tram gdp den 2030 vay", "nghi quyet 57 chi r&d may phan tram gdp den 2030"),
        ("sk3 la gi nhe", "sang kien 3 la gi"),
        ("co dung khong nhi?", "co dung khong?"),
        # "vay" is a loan and "a" a point of a list where nothing asks before them
        ("dieu kien de duoc vay", "dieu kien de duoc vay"),
        ("ai duoc vay", "ai duoc vay"),
        ("noi dung diem a", "noi dung diem a"),
    ],
)
def test_chat_particles_typed_without_tone_marks_end_nothing(reader, typed, read):
    assert reader.read(typed) == read


@pytest.mark.parametrize(
    "typed, read",
    [
        ("Dạ cho em hỏi sk1 là gì ạ", "Sáng kiến 1 là gì"),
        ("Làm ơn cho biết sk1 là gì", "Sáng kiến 1 là gì"),
        ("e hỏi chút sk1 là gì", "Sáng kiến 1 là gì"),
        ("Mình muốn hỏi là nq57 ban hành ngày nào", "Nghị quyết 57 ban hành ngày nào"),
        ("sk1 là gì hả ad", "sáng kiến 1 là gì"),
        # not an asking phrase: kept
        ("Cho Hội đồng quỹ những quyền gì?", "Cho Hội đồng quỹ những quyền gì?"),
        ("Đã cho phép thí điểm chưa?", "Đã cho phép thí điểm chưa?"),
    ],
)
def test_more_ways_a_chat_question_opens_and_ends(reader, typed, read):
    assert reader.read(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "làm ăn không ra gì",  # "làm ăn" is also "to perform", not only "kinh doanh"
        "vay lại vốn ODA",  # "vay" is the documents' own word: not widened to every loan
        "đưa văn hóa lên mạng",
    ],
)
def test_everyday_words_with_a_second_sense_are_not_widened(typed):
    widened = default_synonyms().expansions(typed)
    assert not {"kinh doanh", "sản xuất kinh doanh", "vay vốn", "không gian mạng"} & set(widened)
