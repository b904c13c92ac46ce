"""The abstention step on near-miss questions (assistant/abstention.py): a slot the texts
do not hold (a body typed in any case, a year whose sentences speak of another topic) is
refused with the nearest clauses; the same questions with the slot the texts do hold are
answered."""

from __future__ import annotations

import pytest

from assistant import intent

REFUSAL_START = "Các văn bản hiện có không nêu"


@pytest.mark.parametrize(
    "question",
    [
        "trong chương trình hành động của cp thì bộ công thương chủ trì những nhiệm vụ nào",
        "Theo Nghị quyết 57, đến năm 2045 kinh phí chi cho nghiên cứu phát triển (R&D) phải đạt bao nhiêu phần trăm GDP?",
    ],
)
def test_a_near_miss_is_refused_with_the_nearest_clauses(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained and a.citations == [] and a.contexts
    assert a.answer.startswith(REFUSAL_START)


@pytest.mark.parametrize(
    "question, fact",
    [
        (
            "Theo Nghị quyết 57, đến năm 2030 kinh phí chi cho nghiên cứu phát triển (R&D) đạt bao nhiêu phần trăm GDP?",
            "2% GDP",
        ),
        ("Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2045?", "50% GDP"),
        (
            "Nghị quyết 20 đặt mục tiêu giá trị sản phẩm công nghệ cao chiếm bao nhiêu trong tổng giá trị sản xuất "
            "công nghiệp đến năm 2020?",
            "40%",
        ),
        ("bo cong an duoc giao nhiem vu gi trong nghi quyet 03", "Bộ Công an"),
    ],
)
def test_the_slot_the_texts_hold_is_answered(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer


def test_named_bodies_are_read_however_they_are_typed():
    assert intent.named_bodies("bộ công thương chủ trì") == ["bo cong thuong"]
    assert intent.named_bodies("Bộ Khoa học và Công nghệ chủ trì") == ["bo khoa hoc va cong nghe"]
    assert intent.named_bodies("bộ phận chuyên trách") == []


def test_an_acronym_the_clauses_spell_out_is_known():
    from assistant.abstention import spelled_out

    texts = ["8/12 tạp chí đạt chuẩn Web of Science/Scopus"]
    assert spelled_out("WoS", texts)
    assert not spelled_out("PCT", ["phải có tính khả thi"])  # a capital for a capital


def test_places_and_short_ministry_names_are_anchors():
    assert intent.named_bodies("tinh thanh hoa duoc giao gi") == ["thanh hoa"]
    assert intent.named_bodies("bộ nông nghiệp chủ trì") == ["bo nong nghiep"]
    assert intent.named_bodies("hòa bình và phát triển") == []


@pytest.mark.parametrize(
    "question",
    [
        "tinh thanh hoa duoc giao nhiem vu gi trong kh01",
        "bo nong nghiep chu tri chuong trinh nong nghiep thong minh nao theo nq03",
    ],
)
def test_a_place_or_ministry_the_texts_never_name_is_refused(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained and a.answer.startswith(REFUSAL_START)


def test_how_a_salary_is_set_is_no_figure(corpus_app):
    a = corpus_app.ask("Để giữ chân chuyên gia giỏi trong các dự án quan trọng thì trả lương theo kiểu gì?")
    assert not a.abstained and "mức lương cạnh tranh" in a.answer


def test_a_legal_event_no_clause_states_is_refused(corpus_app):
    refused = corpus_app.ask("nq 03 het hieu luc vao ngay nao")
    assert refused.abstained and refused.answer.startswith(REFUSAL_START)
    answered = corpus_app.ask("Nghị quyết 03 có hiệu lực từ ngày nào?")
    assert not answered.abstained


def test_a_foreign_name_no_text_uses_is_unknown():
    from assistant.abstention import unknown_name

    known = {"startup", "internet", "ha", "noi"}.__contains__
    tokens = lambda text: text.lower().split()  # noqa: E731 - one word, one token
    assert unknown_name("Nghị quyết 57 nói gì về hợp tác với Samsung?", tokens, known) == "Samsung"
    assert unknown_name("Doanh nghiệp Startup được ưu đãi gì?", tokens, known) == ""  # known to the texts
    assert unknown_name("Chính sách ở Hà Nội thế nào?", tokens, known) == ""  # Vietnamese syllables
    assert unknown_name("Google hỗ trợ gì?", tokens, known) == ""  # the first word of a sentence is capitalised anyway


def test_a_name_of_the_askers_own_context_is_not_what_is_asked():
    from assistant.abstention import unknown_name

    known = {"nq57", "nq", "gdp"}.__contains__
    tokens = lambda text: text.lower().split()  # noqa: E731 - one word, one token
    # the asker's tools, source of information and purpose: context, not the ask
    for question in [
        "Công ty mình dùng Zalo để làm việc, vậy theo NQ57 đến 2030 tỷ lệ dịch vụ công trực tuyến là bao nhiêu?",
        "Sếp em bảo đọc trên Facebook là NQ57 muốn chi bao nhiêu phần trăm GDP cho nghiên cứu phát triển, đúng không?",
        "Theo NQ 57, đến năm 2030 kinh tế số đạt bao nhiêu % GDP? Mình hỏi để làm slide PowerPoint.",
        "Chiều nay bên mình họp qua Google Meet. Nghị quyết 57 giao Bộ nào chủ trì?",
    ]:
        assert unknown_name(question, tokens, known) == "", question
    # the name tied to what is asked stays unknown, whatever context comes with it
    assert unknown_name("Nghị quyết 57 có nói gì về hợp tác với Samsung không?", tokens, known) == "Samsung"
    assert (
        unknown_name("Mình dùng Zalo. Nghị quyết 57 có nói gì về hợp tác với Samsung không?", tokens, known)
        == "Samsung"
    )
    assert unknown_name("Em đọc trên báo, Kế hoạch 01 có giao việc cho Huawei không?", tokens, known) == "Huawei"


def test_an_actor_is_a_body_a_title_or_the_ministries_at_large():
    assert intent.names_actor("Bộ Công an chủ trì, phối hợp với các bộ, ngành liên quan.")
    assert intent.names_actor("do đồng chí Tổng Bí thư làm Trưởng Ban")
    assert intent.names_actor("thuộc về các bộ, ngành, địa phương và cơ quan được phân công")
    assert not intent.names_actor("Quy mô kinh tế số đạt tối thiểu 30% GDP.")
    assert not intent.names_actor("Xây dựng Chính phủ số và quản trị hiện đại")  # a goal, not a body
    assert not intent.names_actor("đội ngũ cán bộ khoa học và công nghệ")  # "cán bộ", no ministry
    # a body the question itself names does not answer who does something for it
    folded = "co quan nao giup viec cho ban chi dao trung uong"
    assert not intent.names_actor("Ban Chỉ đạo Trung ương họp định kỳ.", folded)


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Theo Nghị quyết 57 thì Trung tâm an ninh mạng quốc gia thuộc bộ nào?", "Bộ Công an"),
        ("Ai làm Trưởng Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ?", "Tổng Bí thư"),
    ],
)
def test_who_leads_is_answered_where_a_clause_names_the_body(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer


def test_a_level_or_sector_no_clause_states_is_refused(corpus_app):
    refused = corpus_app.ask("Tỉ lệ sử dụng dịch vụ công trực tuyến ở cấp xã đến năm 2030 là bao nhiêu?")
    assert refused.abstained and refused.answer.startswith(REFUSAL_START)
    answered = corpus_app.ask("Theo Kế hoạch 01, Ban Chỉ đạo cấp tỉnh chịu trách nhiệm gì?")
    assert not answered.abstained and "cấp tỉnh" in answered.answer
    # the asker's own level is context, not a qualifier of the ask
    intro = corpus_app.ask(
        "Tôi là bí thư Đoàn cấp huyện. Nghị quyết 57 đặt mục tiêu kinh tế số bao nhiêu phần trăm GDP năm 2030?"
    )
    assert not intro.abstained and "30%" in intro.answer


def test_the_issuing_body_is_held_by_its_documents_clauses(corpus_app):
    """Nghị quyết 57's clauses never repeat "Bộ Chính trị", the body that issued it: a question
    naming the issuer is answered from it, while a body no clause names is still refused."""
    issuer = corpus_app.ask("Bộ Chính trị yêu cầu phát triển hạ tầng số theo nguyên tắc nào?")
    assert not issuer.abstained and "hiện đại, đồng bộ, an ninh, an toàn" in issuer.answer
    assert issuer.citations[0].doc_id == "nq57"
    other = corpus_app.ask("Bộ Y tế yêu cầu phát triển hạ tầng số theo nguyên tắc nào?")
    assert other.abstained


def test_which_organisation_of_a_kind_leads_is_asked():
    assert intent.ORG_LEAD_ASKED.search("sang kien 27 do vien nao chu tri thuc hien?")
    assert intent.ORG_LEAD_ASKED.search("doanh nghiep quoc phong nao duoc giao chu tri sang kien nay?")
    assert not intent.ORG_LEAD_ASKED.search("bo nao chu tri xay dung luat?")  # a ministry: lead_asked's
    assert not intent.ORG_LEAD_ASKED.search("nhung doanh nghiep nao duoc khuyen khich thanh lap trung tam?")


@pytest.mark.parametrize(
    "question",
    [
        "Sáng kiến 27 công nghệ gen chữa bệnh do viện nào chủ trì thực hiện?",
        "Theo Kế hoạch 01, Sáng kiến 28 về năng lượng nguyên tử do doanh nghiệp nào được giao chủ trì?",
    ],
)
def test_which_organisation_leads_is_refused_where_no_clause_names_one(corpus_app, question):
    """The clauses of a breakthrough initiative say what it does, not which university,
    institute or enterprise leads it: the question is refused with the nearest clauses."""
    a = corpus_app.ask(question)
    assert a.abstained and a.answer.startswith(REFUSAL_START)


def test_a_limit_per_item_is_not_a_count_of_the_items(corpus_app):
    """The tree counts a heading's items ("bao nhiêu dự án đặc biệt quan trọng"); a limit per
    item or at a time ("mỗi Tổng công trình sư phụ trách tối đa bao nhiêu dự án cùng lúc") is
    another figure, which no clause states."""
    assert intent.PER_ITEM_ASKED.search("mỗi tổng công trình sư được phụ trách tối đa bao nhiêu dự án?")
    assert not intent.PER_ITEM_ASKED.search("có bao nhiêu sáng kiến thuộc hệ thống đổi mới thể chế?")
    a = corpus_app.ask(
        "Theo Kế hoạch 01, một Tổng công trình sư phụ trách tối đa bao nhiêu dự án đặc biệt quan trọng cùng lúc?"
    )
    assert a.abstained and a.answer.startswith(REFUSAL_START)


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Theo Nghị quyết 03, Sáng kiến 27 về công nghệ gen có mục tiêu gì?", "Công nghệ gen chữa bệnh"),
        ("Kết luận 69 nói gì về Sáng kiến 16 phát triển hạ tầng viễn thông?", "hạ tầng viễn thông"),
    ],
)
def test_a_part_of_another_document_is_answered_from_it(corpus_app, question, fact):
    """The named document is a preference, not a filter: a numbered part it does not hold
    ("Sáng kiến 27" is Kế hoạch 01's) is answered from the document that holds it, saying so,
    while a part no document holds is still refused."""
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer
    assert a.answer.startswith(("Nghị quyết 03/NQ-CP không nêu", "Kết luận 69-KL/TW không nêu"))
    assert a.citations[0].doc_id == "kh01"
    missing = corpus_app.ask("Theo Nghị quyết 03, Sáng kiến 35 có mục tiêu gì?")
    assert missing.abstained


def test_a_part_is_found_in_either_numerals():
    from assistant.abstention import part_forms

    assert part_forms("phu luc 2") == ["phu luc 2", "phu luc ii"]
    assert part_forms("phu luc iii") == ["phu luc iii", "phu luc 3"]
    assert part_forms("sang kien 31") == ["sang kien 31"]  # no Roman numeral that large


def test_an_appendix_typed_with_arabic_numerals_is_the_roman_one(corpus_app):
    a = corpus_app.ask("bcđtw dùng kpis để làm gì theo phụ lục 2 kh01")
    assert not a.abstained and "theo dõi hiệu quả tổng thể" in a.answer


def test_the_plenum_of_a_named_text_is_its_own(corpus_app):
    """Nghị quyết 20 states its plenum in its heading; Nghị quyết 57 (a Politburo resolution)
    states none, and the plenum Kết luận 69 gives for another resolution does not answer."""
    own = corpus_app.ask("Nghị quyết 20 là nghị quyết của hội nghị trung ương lần thứ mấy, khoá mấy?")
    assert not own.abstained and "LẦN THỨ SÁU" in own.answer
    other = corpus_app.ask("Nghị quyết 57 là nghị quyết của Hội nghị Trung ương lần thứ mấy?")
    assert other.abstained and other.answer.startswith(REFUSAL_START)


def test_the_name_of_a_body_is_read_from_its_head():
    from assistant.abstention import asked_names

    assert asked_names("Kế hoạch của Viện Hàn lâm giao Ban Hợp tác quốc tế chủ trì những nhiệm vụ nào?") == [
        "Viện Hàn lâm",
        "Ban Hợp tác",
    ]
    assert asked_names("Bộ Y tế, Bộ Tài chính làm gì?") == ["Bộ Y tế", "Bộ Tài chính"]
    assert asked_names("Bộ KH&CN chủ trì gì?") == []  # a short form: unknown_name reads it
    assert asked_names("Nghị quyết này ban hành ngày nào?") == []


def test_a_body_no_document_names_is_refused_and_a_named_one_answered(corpus_app):
    from assistant.abstention import written_words

    written = written_words(c.text for c in corpus_app.searcher.table.chunks)
    assert written("Ban Kế hoạch") and written("Ban Tuyên giáo") and not written("Ban Hợp tác")
    assert written("phát triển nhanh, bền vững")  # piece by piece, as the texts break them
    a = corpus_app.ask("Kế hoạch của Viện Hàn lâm giao Ban Hợp tác quốc tế chủ trì những nhiệm vụ nào?")
    assert a.abstained and a.citations == [] and a.contexts  # the nearest clauses are listed
    a = corpus_app.ask("Theo Kết luận 69, cơ quan nào chủ trì hướng dẫn, theo dõi, sơ kết, tổng kết việc thực hiện?")
    assert not a.abstained and "Ban Tuyên giáo Trung ương" in a.answer
    a = corpus_app.ask("Các đơn vị của Viện Hàn lâm gửi báo cáo qua Ban Kế hoạch - Tài chính trước ngày nào?")
    assert not a.abstained and "01/6" in a.answer


@pytest.mark.parametrize(
    "question, fact",
    [
        # "năm nào … cũng" is "every year" (intent.toml figure_asked, year_asked), no ask of a year
        (
            "Theo Nghị quyết 03, năm nào cơ quan cũng phải đưa việc chuyển đổi số vào kế hoạch của mình à?",
            "kế hoạch công tác hằng năm",
        ),
    ],
)
def test_every_year_is_no_ask_of_a_year(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer
