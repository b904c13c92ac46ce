"""Reading a question as typed in a chat: abbreviations, fillers, the actual ask of a long
message (retrieval/query.py over retrieval/resources/rules/query.toml)."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from retrieval.query import QuestionReader
from retrieval.text import fold
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


@pytest.mark.parametrize(
    "typed, read",
    [
        ("ai ký nq 03/NQ-CP vậy", "ai ký nghị quyết 03/NQ-CP"),
        ("sk1 là gì vậy ạ?", "sáng kiến 1 là gì?"),
        ("kh01 có mấy hệ thống", "kế hoạch 01 có mấy hệ thống"),
        ("ubnd tỉnh làm gì theo cthđ của cp", "Ủy ban nhân dân tỉnh làm gì theo chương trình hành động của Chính phủ"),
        ("vhl tuyển bao nhiêu nhà khoa học", "Viện Hàn lâm tuyển bao nhiêu nhà khoa học"),
        ("bcđ, khcn, cđs, đmst", "Ban Chỉ đạo, khoa học công nghệ, chuyển đổi số, đổi mới sáng tạo"),
        ("ad ơi cho mình hỏi chút, qđ của vhl ký ngày nào", "Quyết định của Viện Hàn lâm ký ngày nào"),
        # typed without tone marks: written out without them too (one way of writing)
        ("kh01 co bao nhieu sang kien, ubnd lam gi", "ke hoach 01 co bao nhieu sang kien, uy ban nhan dan lam gi"),
        ("cq nào dc giao xây nnl cho ktxh", "cơ quan nào được giao xây nguồn nhân lực cho kinh tế - xã hội"),
        (
            "sv, gv, ncs có dc hỗ trợ trg vb nào",
            "sinh viên, giáo viên, nghiên cứu sinh có được hỗ trợ trong văn bản nào",
        ),
        # a list's noun typed short right after the count word (alone it is ambiguous)
        ("kh01 bn nv", "ke hoach 01 bao nhieu nhiem vu"),
        ("nq57 co may nhom nv", "nghi quyet 57 co may nhom nhiem vu"),
        ("KH01 có bn sk?", "kế hoạch 01 có bao nhiêu sáng kiến?"),
        # "bn" before "nhà" (typed with its marks, no particle "nha"), a lone "k" closing a
        # yes/no question, chat spellings of everyday words and short forms of people
        ("vhl thu hút bn nhà khoa học trẻ", "Viện Hàn lâm thu hút bao nhiêu nhà khoa học trẻ"),
        ("nq57 có nói về phủ sóng 5G k", "nghị quyết 57 có nói về phủ sóng 5G không"),
        ("mk mún bik kq của kh01", "mình muốn biết kết quả của kế hoạch 01"),
        ("cbcc có phải học kỹ năng số k", "cán bộ, công chức có phải học kỹ năng số không"),
        ("tg hoàn thành csdl qg là khi nào", "thời gian hoàn thành cơ sở dữ liệu quốc gia là khi nào"),
    ],
)
def test_chat_abbreviations_and_fillers(reader, typed, read):
    assert reader.read(typed) == read


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch 01-KH/BCĐTW",
        "Nghị quyết 03/NQ-CP",
        "Quyết định M6/QĐ-VHL",
        "KH,CN&ĐMST",
        "KH&CN",
        "Nội dung của điểm a",
        "sk là gì",  # "sk" alone may be sức khỏe: only "sk1" is a sáng kiến
        "nv phòng hành chính",  # "nv" alone may be nhân viên: only after a count word is it a nhiệm vụ
        "Nội dung điểm k",  # the point k of a list, not "không"
        "tiết k của mục II",
    ],
)
def test_document_numbers_compounds_and_ambiguous_short_forms_are_left_alone(reader, text):
    assert reader.read(text) == text


def test_reading_is_idempotent(reader):
    for typed in [
        "ai ký nq 03/NQ-CP vậy",
        "sk1 của kh01 là gì",
        "Tôi là chuyên viên Sở Y tế tỉnh Nghệ An, phụ trách "
        "chuyển đổi số của ngành đã lâu năm. Xin hỏi nq57 đặt mục tiêu gì cho kinh tế số?",
    ]:
        once = reader.read(typed)
        assert reader.read(once) == once


def test_the_ask_after_a_preamble_about_the_asker(reader):
    long = (
        "Tôi là chuyên viên Sở Khoa học và Công nghệ tỉnh Thanh Hóa, đang tham mưu xây dựng kế hoạch triển khai "
        "Nghị quyết 57 của tỉnh. Cho tôi hỏi mục tiêu về kinh tế số đến năm 2030 là bao nhiêu phần trăm GDP?"
    )
    assert reader.read(long) == "Mục tiêu về kinh tế số đến năm 2030 là bao nhiêu phần trăm GDP (theo Nghị quyết 57)?"
    no_marker = (
        "Em đang làm luận văn thạc sĩ về chuyển đổi số ở địa phương và rất quan tâm tới chính sách mới. "
        "Nghị quyết 57 đặt mục tiêu tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo là bao nhiêu?"
    )
    assert (
        reader.read(no_marker)
        == "Nghị quyết 57 đặt mục tiêu tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo là bao nhiêu?"
    )
    one_sentence = (
        "Hiện tôi phụ trách mảng hợp tác quốc tế tại một viện nghiên cứu ở Hà Nội đã nhiều năm, "
        "kế hoạch của Viện Hàn lâm đặt chỉ tiêu thu hút bao nhiêu nhà khoa học nước ngoài?"
    )
    assert (
        reader.read(one_sentence) == "Kế hoạch của Viện Hàn lâm đặt chỉ tiêu thu hút bao nhiêu nhà khoa học nước ngoài?"
    )
    assert "Thanh Hóa" not in reader.read(long)  # the asker's province is not what is asked


@pytest.mark.parametrize(
    "typed, read",
    [
        (
            "e mới vào làm ở văn phòng sở được mấy hôm, sếp hỏi vì sao kh01 chia nhiệm vụ thành "
            "các hệ thống chiến lược, giải thích giúp e",
            "Vì sao kế hoạch 01 chia nhiệm vụ thành các hệ thống chiến lược",
        ),
        (
            "Bọn mình ở hợp tác xã nông nghiệp của huyện, muốn biết Nghị quyết 57 có hỗ trợ gì "
            "cho doanh nghiệp nhỏ không?",
            "Muốn biết Nghị quyết 57 có hỗ trợ gì cho doanh nghiệp nhỏ không?",
        ),
        (
            "tụi em đang làm đề án chuyển đổi số cho trường ở tỉnh miền núi, kế hoạch 01 đặt mục tiêu gì cho giáo dục?",
            "Kế hoạch 01 đặt mục tiêu gì cho giáo dục?",
        ),
    ],
)
def test_the_askers_context_typed_with_chat_pronouns_is_dropped(reader, typed, read):
    """ "e" (em), "bọn mình", "tụi em" open a clause about the asker as "tôi", "em" do: the
    asker's unit and place are not what is asked."""
    assert reader.read(typed) == read


def test_a_short_sentence_ending_in_day_is_about_the_asker(reader):
    """ "Anh làm kế toán ở xã đây." says who asks; the question after it is what is read.
    A question ending so is not dropped."""
    typed = "Anh làm kế toán ở ủy ban xã đây. Nghị quyết 57 đặt mục tiêu gì cho kinh tế số đến năm 2030?"
    assert reader.read(typed) == "Nghị quyết 57 đặt mục tiêu gì cho kinh tế số đến năm 2030?"
    asked = "Em hỏi cái này đây: Nghị quyết 57 đặt mục tiêu gì cho kinh tế số đến năm 2030 vậy?"
    assert "kinh tế số" in reader.read(asked)


def test_a_greeting_before_the_askers_context_is_part_of_it(reader):
    """ "Chào bạn, tôi công tác tại …" is about the asker, greeting and all; with or without
    tone marks, the ask typed as keywords after such sentences is what is read."""
    greeted = (
        "Chào bạn, tôi công tác tại một doanh nghiệp nhà nước và đang tìm hiểu chính sách mới. "
        "Đơn vị tôi đang xây dựng kế hoạch thực hiện cho giai đoạn tới. hạ tầng điện toán là gì"
    )
    assert reader.read(greeted) == "Hạ tầng điện toán là gì"
    assert reader.read(fold(greeted)) == "Ha tang dien toan la gi"
    assert reader.read("chao ad, em lam o so. em dang tim hieu chinh sach moi. quy dau tu mao hiem the nao") == (
        "Quy dau tu mao hiem the nao"
    )
    assert reader.read("Chào bạn, Nghị quyết 57 là gì?") == "Chào bạn, Nghị quyết 57 là gì?"  # short: kept


def test_short_and_multi_question_messages_are_kept_whole(reader):
    assert reader.read("Nghị quyết 57 là gì? Ai ký?") == "Nghị quyết 57 là gì? Ai ký?"
    two = (
        "Nghị quyết 57 đặt mục tiêu kinh tế số đến năm 2030 là bao nhiêu phần trăm GDP? "
        "Và đến năm 2045 thì mục tiêu đó là bao nhiêu phần trăm GDP?"
    )
    assert reader.read(two) == two


def test_synonyms_resource_parses_and_expands_whole_words():
    from retrieval.synonyms import Synonyms, default_synonyms

    syn = default_synonyms()
    assert len(syn.groups) > 300 and all(len(g) >= 2 for g in syn.groups)
    assert "quỹ đầu tư mạo hiểm" in syn.expansions("có quỹ mạo hiểm cho khởi nghiệp không")
    assert "cáp quang" in syn.expansions("kéo cáp ra đảo")
    assert not syn.expansions("cách")  # "cách" holds no member as a whole word
    small = Synonyms.parse("# comment\nrót vốn | cấp vốn\nlương | thu nhập\n")
    assert small.groups == (("rót vốn", "cấp vốn"), ("lương", "thu nhập"))
    assert small.expansions("rot von cho startup") == ["cấp vốn"]  # typed without marks: two syllables
    assert small.expansions("luong bao nhieu") == []  # one folded syllable is too ambiguous


@pytest.mark.parametrize(
    "typed, meant",
    [
        # everyday and chat wording beside the documents' own (round 3 of the resource)
        ("bán hàng online có được hỗ trợ không", "thương mại điện tử"),
        ("tư duy của cán bộ phải đổi thế nào", "nhận thức"),
        ("dân chúng được học miễn phí không", "người dân"),
        ("bộ nào lo việc này", "cơ quan nào"),
        ("ngành mũi nhọn là gì", "trọng điểm"),
        ("hệ thống có liên thông với nhau không", "kết nối"),
    ],
)
def test_everyday_words_are_searched_also_in_the_documents_wording(typed, meant):
    from retrieval.synonyms import default_synonyms

    assert meant in default_synonyms().expansions(typed)


def test_a_member_in_capitals_that_is_also_a_function_word_needs_the_capitals():
    from retrieval.synonyms import default_synonyms

    syn = default_synonyms()
    assert "trí tuệ nhân tạo" in syn.expansions("ứng dụng AI trong y tế")
    assert "trí tuệ nhân tạo" not in syn.expansions("Ban Chỉ đạo do ai làm trưởng ban?")  # "ai" = who
    assert "cơ quan nào" in syn.expansions("Ban Chỉ đạo do ai làm trưởng ban?")
    assert "cơ quan nào" not in syn.expansions("ứng dụng AI trong y tế")


@pytest.mark.parametrize(
    "typed, read",
    [
        ("Sáng kiến thứ ba là gì?", "Sáng kiến 3 là gì?"),
        ("he thong so hai gom nhung gi", "he thong 2 gom nhung gi"),
        ("Hệ thống thứ tư gồm gì", "Hệ thống 4 gồm gì"),
        ("thuộc nhóm ba nước dẫn đầu", "thuộc nhóm 3 nước dẫn đầu"),
        ("Giai đoạn đầu tên là gì?", "Giai đoạn 1 tên là gì?"),
        ("sang kien dau tien cua he thong 2", "sang kien 1 cua he thong 2"),
    ],
)
def test_a_number_spelled_out_after_what_is_numbered_is_searched_in_digits(reader, typed, read):
    assert reader.digits(typed) == read
    assert reader.read(typed) == typed  # the question answered keeps its words


@pytest.mark.parametrize(
    "typed, read",
    [
        ("Mấy sáng kiến trong Hệ thống chiến lược 1?", "Mấy sáng kiến trong Hệ thống chiến lược 1 (Hệ thống 1)?"),
        ("sáng kiến số 4 là gì", "sáng kiến số 4 (sáng kiến 4) là gì"),
        ("he thong chien luoc 3 co gi", "he thong chien luoc 3 (he thong 3) co gi"),
        ("nhóm nhiệm vụ 2 gồm gì", "nhóm nhiệm vụ 2 gồm gì"),  # "nhiệm vụ 2" is the label
        ("giai đoạn 2025 - 2027", "giai đoạn 2025 - 2027"),  # a year, not a number of the series
        # the item after or before a numbered one: its own number is what is asked
        ("Cái tiếp theo sau Sáng kiến 11 là gì", "Cái tiếp theo sau Sáng kiến 12 là gì"),
        ("hệ thống liền trước hệ thống 4 gồm gì", "hệ thống liền trước hệ thống 3 gồm gì"),
        ("các việc làm sau sáng kiến 11", "các việc làm sau sáng kiến 11"),
    ],
)
def test_a_number_after_what_is_numbered_with_words_between_adds_its_label(reader, typed, read):
    """The documents label "(Hệ thống 1)", "Sáng kiến 4:"; a question puts words between."""
    assert reader.digits(typed) == read


def test_a_system_named_with_words_between_finds_its_initiatives(corpus_app):
    hits = corpus_app.searcher.search("Mấy sáng kiến trong Hệ thống chiến lược 1 của Kế hoạch 01?", 5)
    assert "kh01:II.1.c" in [h.chunk.id for h in hits]
    hits = corpus_app.searcher.search("Cái tiếp theo sau Sáng kiến 11 là gì", 3)
    assert all("Sáng kiến 12" in h.chunk.text for h in hits[:2])


@pytest.mark.parametrize(
    "text",
    [
        "Giai đoạn năm 2030 có mục tiêu gì",
        "hệ thống nhất quán",
        "một phần ba",
        "mục tiêu ba năm",
        "giai đoạn đầu tư công",
        "cơ quan đầu mối",
        "các nhiệm vụ sau đây gồm những gì",  # typed with tone marks: "sau" is "after", not "sáu"
    ],
)
def test_a_spelled_number_that_is_a_year_or_a_word_is_left_alone(reader, text):
    assert reader.digits(text) == text


def test_synonym_matches_name_the_member_said_and_its_group():
    from retrieval.synonyms import Synonyms

    small = Synonyms.parse("rót vốn | cấp vốn | bỏ vốn\nlương | thu nhập\n")
    # per group: the member as the question says it, then the members it does not say
    assert small.matches("ai rót vốn và trả lương") == [("rót vốn", ("cấp vốn", "bỏ vốn")), ("lương", ("thu nhập",))]
    assert small.matches("rót vốn hay cấp vốn") == [("rót vốn", ("bỏ vốn",))]
    assert small.matches("ai rót vốn", expand=lambda m: m != "rót vốn") == []
    # expansions() are the groups' other members, in group order, each once
    assert small.expansions("ai rót vốn và trả lương") == ["cấp vốn", "bỏ vốn", "thu nhập"]


def test_everyday_words_for_the_documents_wording():
    from retrieval.synonyms import default_synonyms

    syn = default_synonyms()
    assert "lạc hậu" in syn.expansions("máy móc lỗi thời")  # outdated
    assert "trẻ em" in syn.expansions("bảo vệ con nít trên mạng")  # children
    assert "nhà máy" in syn.expansions("xưởng chạy suốt ngày đêm")  # a workshop is a factory
