"""What a question asks for, and whether the evidence holds it."""

from __future__ import annotations

from assistant import intent
from retrieval.text import fold


def asks(question: str, *evidence: str) -> bool:
    return intent.has_asked_value(fold(question), list(evidence))


def test_a_day_needs_a_day():
    assert asks("Nghị quyết ban hành ngày nào?", "Hà Nội, ngày 09 tháng 01 năm 2025")
    assert asks("Nghị quyết có hiệu lực từ ngày nào?", "Nghị quyết này có hiệu lực kể từ ngày ký ban hành.")
    assert not asks("Luật được Quốc hội thông qua vào ngày nào?", "Sửa đổi Luật Khoa học và Công nghệ (2013).")


def test_an_amount_of_money_needs_an_amount():
    assert not asks("Giá cước dịch vụ 5G là bao nhiêu?", "Phủ sóng 5G toàn quốc, đạt 80% dân số.")
    assert asks("Mức học bổng cụ thể là bao nhiêu?", "Học bổng 5 triệu đồng mỗi tháng.")
    assert asks("Tác giả của bao nhiêu bài báo?", "là tác giả của ít nhất 02 bài báo")  # "tác giả" is not a price


def test_a_count_needs_a_number_next_to_the_counted_thing():
    assert asks("Viện đào tạo bao nhiêu tiến sĩ?", "Tuyển 30 tiến sĩ mỗi năm.")
    assert not asks(
        "Mỗi năm đào tạo được bao nhiêu tiến sĩ?",
        "Tiến sĩ: Nghiên cứu sinh là tác giả của ít nhất 02 bài báo đạt chuẩn quốc tế",
    )


def test_which_year_needs_the_year_in_the_answering_sentence():
    assert not asks("Bắt đầu triển khai từ năm nào?", "Thí điểm bản sao số cho một số thành phố.", "Đến năm 2030")
    assert asks("Bắt đầu triển khai từ năm nào?", "Triển khai từ năm 2026.")


class _Chunk:
    def __init__(self, text: str):
        self.text = text

    def embedding_text(self) -> str:
        return self.text


def test_missing_anchors():
    chunks = [_Chunk("Bộ Tài chính chủ trì bảo đảm kinh phí thực hiện đến năm 2030.")]
    assert intent.missing_anchor("Bộ Nội vụ có trách nhiệm gì?", chunks) == "Bộ Nội"  # its capitalised words
    assert intent.missing_anchor("Đến năm 2035 đạt bao nhiêu?", chunks) == "2035"
    assert intent.missing_anchor("Bộ Tài chính làm gì đến năm 2030?", chunks) is None
    assert intent.missing_anchor("Nghị quyết năm 2024 nói gì?", chunks, {"2024"}) is None


def test_numbered_parts():
    assert intent.numbered_parts(fold("Hệ thống 4 và sáng kiến 28 gồm gì?")) == ["he thong 4", "sang kien 28"]


def test_a_count_needs_what_is_counted_in_the_clauses():
    # "kỹ sư" is two syllables: "kỳ" of "định kỳ" does not count engineers
    assert not asks("Đào tạo bao nhiêu kỹ sư bán dẫn?", "Báo cáo định kỳ 6 tháng một lần.")
    # a synonym of the counted noun counts it ("tập đoàn" is a "doanh nghiệp")
    assert asks("Thu hút bao nhiêu tập đoàn công nghệ?", "Thu hút thêm ít nhất 5 tổ chức, doanh nghiệp công nghệ.")


def test_a_count_qualified_in_the_question_needs_the_qualifier_beside_it():
    text = "Đào tạo 50.000 kỹ sư an ninh mạng."
    assert asks("Đào tạo bao nhiêu kỹ sư an ninh mạng?", text)
    assert not asks("Đào tạo bao nhiêu kỹ sư trí tuệ nhân tạo?", text)
    assert asks("Bao nhiêu kỹ sư được đào tạo?", text)  # "được" frames the question, it does not qualify


def test_a_share_of_a_stated_figure_stands_beside_it():
    text = "R&D đạt 2% GDP, trong đó kinh phí từ xã hội chiếm hơn 60%; bố trí ít nhất 3% tổng chi ngân sách hằng năm"
    assert asks("Trong mức 2% GDP cho R&D, phần từ xã hội chiếm bao nhiêu phần trăm?", text)
    assert not asks("Trong mức 3% tổng chi ngân sách, phần dành riêng cho chuyển đổi số là bao nhiêu phần trăm?", text)


def test_people_are_counted_by_any_noun_for_people():
    assert asks(
        "Thu hút nhà khoa học trẻ bao nhiêu người một năm?", "Thu hút các nhà khoa học trẻ giỏi\t20 - 30 cán bộ/năm"
    )


def test_staff_are_counted_as_people_too():
    # "bao nhiêu cán bộ": the texts may count the staff in people (Nghị quyết 20, B.II.2.c)
    said = "Số cán bộ khoa học và công nghệ nghiên cứu và phát triển đạt mức 11 người trên một vạn dân"
    assert asks("Đặt chỉ tiêu bao nhiêu cán bộ nghiên cứu trên một vạn dân?", said)
    # a number of people counts no staff the clause does not speak of
    assert not asks("Có bao nhiêu cán bộ?", "Mạng xã hội đạt 50 triệu người dùng.")


def test_a_compound_noun_is_counted_as_the_compound():
    known = {"ky su", "sinh vien"}.__contains__
    # "bao nhiêu kỹ sư": the "ký" of "ngày ký" counts no engineer
    assert not intent.has_asked_value(fold("Có bao nhiêu kỹ sư?"), ["03/NQ-CP ngày ký 09/01/2025"], None, known)
    # the number of a table row counts nothing
    assert not intent.has_asked_value(fold("Có bao nhiêu kỹ sư?"), ["8\tĐào tạo kỹ sư chất lượng cao"], None, known)


def test_a_share_needs_a_share_about_the_asked_topic():
    clause = "Quy mô kinh tế số đạt tối thiểu 30% GDP. Tối thiểu có 5 doanh nghiệp công nghệ số."
    assert asks("Kinh tế số chiếm bao nhiêu phần trăm GDP?", clause)
    assert not asks("Có bao nhiêu phần trăm doanh nghiệp công nghệ số?", "Tối thiểu có 5 doanh nghiệp công nghệ số.")
    # the share stands in a piece about another target: researchers per ten thousand people are no share
    mixed = "Nhân lực nghiên cứu đạt 12 người trên một vạn dân; số lượng công bố quốc tế tăng trung bình 10%/năm."
    assert not asks("Nhân lực nghiên cứu trên một vạn dân đạt bao nhiêu phần trăm?", mixed)
    assert asks("Số lượng công bố quốc tế tăng bao nhiêu phần trăm mỗi năm?", mixed)
    # a level set against others' answers "tỉ lệ … là bao nhiêu"
    assert asks(
        "Tỉ lệ doanh nghiệp công nghệ số năm 2045 là bao nhiêu?",
        "Tỉ lệ doanh nghiệp công nghệ số tương đương các nước phát triển.",
    )


def test_a_length_of_time_needs_a_duration():
    assert not asks(
        "Luật phải hoàn thành trong bao nhiêu tháng?", "Ban hành ngày 09 tháng 01 năm 2025; hoàn thiện Luật Khoa học."
    )
    assert asks("Dự án phải hoàn thành trong bao nhiêu tháng?", "Hoàn thành trong 06 tháng kể từ ngày ký.")
    assert asks("Sản phẩm chuyển giao sau mấy năm?", "có khả năng chuyển giao cho dân dụng sau 5-10 năm")


def test_a_budget_needs_an_amount_or_a_share():
    assert not asks("Tổng mức đầu tư cho hạ tầng 5G là bao nhiêu?", "Phủ sóng 5G toàn quốc.")
    assert asks("Kinh phí cho khoa học là bao nhiêu?", "bố trí ít nhất 3% tổng chi ngân sách hằng năm")
    assert asks("Viện đào tạo bao nhiêu tiến sĩ?", "Tuyển 30 tiến sĩ mỗi năm.")  # "tiến sĩ" is no money


def test_how_many_times_needs_a_number_of_times():
    assert not asks(
        "Ban Chỉ đạo họp toàn thể định kỳ mấy lần mỗi năm?", "Định kỳ ngày 25 hằng tháng báo cáo Ban Chỉ đạo."
    )
    assert asks("Ban Chỉ đạo họp toàn thể mấy lần mỗi năm?", "Ban Chỉ đạo họp toàn thể 2 lần mỗi năm.")


def test_a_magnitude_before_the_noun_counts_the_noun_after_it():
    # "bao nhiêu triệu người dùng": users are counted, not any figure of the clause
    question = fold("Mạng xã hội Việt Nam phải đạt bao nhiêu triệu người dùng?")
    assert intent.counted_noun(question, [fold("50 triệu người dùng")]).startswith("nguoi")
    assert not intent.has_asked_value(question, ["Chỉ số phát triển con người (HDI) duy trì trên 0,7."])
    assert intent.has_asked_value(question, ["Mạng xã hội Việt Nam đạt 50 triệu người dùng."])


def test_a_one_word_noun_counted_that_no_clause_writes_holds_no_count():
    # "bao nhiêu bài": the clauses give a share (10%/năm), no count of papers; a noun of the
    # documents (known) no clause found writes, nor a synonym of it
    known = {"bai", "chuong", "dieu"}.__contains__
    question = fold("Số lượng công bố khoa học quốc tế phải tăng thêm bao nhiêu bài mỗi năm?")
    assert not intent.has_asked_value(
        question, ["số lượng công bố khoa học quốc tế tăng trung bình 10%/năm"], None, known
    )
    assert intent.has_asked_value(question, ["Nghiên cứu sinh là tác giả của ít nhất 02 bài báo"], None, known)
    assert not intent.has_asked_value(
        fold("Quy chế làm việc gồm bao nhiêu chương?"),
        ["Căn cứ Quy chế làm việc số 01-QC/BCĐTW, ngày 28/02/2025"],
        None,
        known,
    )


def test_a_count_asked_in_the_clauses_own_unit_is_answered_and_another_unit_refused(corpus_app):
    a = corpus_app.ask("Theo Nghị quyết 57, số lượng công bố khoa học quốc tế phải tăng thêm bao nhiêu bài mỗi năm?")
    assert a.abstained and a.contexts
    a = corpus_app.ask(
        "Theo Nghị quyết 57, số lượng công bố khoa học quốc tế tăng trung bình bao nhiêu phần trăm mỗi năm?"
    )
    assert not a.abstained and "10%/năm" in a.answer
