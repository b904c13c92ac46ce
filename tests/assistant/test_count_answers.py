"""A count asked ("bao nhiêu người") is answered by a count of the asked noun, not by "một"
as the article (assistant/abstention.py counted_in_words, answers.toml count_answers), on
the real documents:

- "mô hình mỗi người dạy một người" counts no people: asked how many people, it is refused
  with the nearest clauses;
- a count in words ("ba khu công nghệ cao") still answers;
- the vague "một số" the texts give is no number: asked "bao nhiêu", the answer says the
  documents give none and quotes what they say (answers.toml vague_count), alone or as one
  part of a multi-part question whose other part is answered.
"""

from __future__ import annotations

from assistant.abstention import counted_in_words, vague_count


def test_one_as_the_article_counts_nothing():
    assert not counted_in_words("can bao nhieu nguoi", ['mô hình "mỗi người dạy một người".'])
    assert counted_in_words("bao nhieu khu cong nghe cao", ["đưa vào hoạt động ba khu công nghệ cao quốc gia"])
    assert not counted_in_words("bao nhieu san pham", ["Xây dựng được một số sản phẩm quốc gia mang thương hiệu"])


def test_a_vague_count_is_quoted_not_taken_as_a_number():
    texts = ["Đến năm 2020, TFP đóng góp khoảng 35%. Xây dựng được một số sản phẩm quốc gia mang thương hiệu Việt Nam."]
    assert (
        vague_count("bao nhieu san pham quoc gia", texts)
        == "Xây dựng được một số sản phẩm quốc gia mang thương hiệu Việt Nam"
    )
    assert vague_count("bao nhieu doanh nghiep", texts) == ""
    assert vague_count("bao nhieu phan tram", texts) == ""


def test_a_count_the_clause_does_not_give_is_refused(corpus_app):
    a = corpus_app.ask("Theo Kế hoạch 01, mạng lưới tình nguyện viên số cần bao nhiêu người tham gia?")
    assert a.abstained and a.citations == [] and a.contexts


def test_the_vague_count_the_clause_gives_is_no_number(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 20, đến năm 2020 xây dựng được bao nhiêu sản phẩm quốc gia mang thương hiệu Việt Nam?"
    )
    assert a.abstained and a.citations == [] and a.contexts
    assert "không nêu con số cụ thể" in a.answer and "một số sản phẩm quốc gia" in a.answer
    a = corpus_app.ask(
        "Theo Nghị quyết 03/NQ-CP, bản sao số được thí điểm ở bao nhiêu thành phố trực thuộc Trung ương?"
    )
    assert a.abstained and "một số thành phố trực thuộc Trung ương" in a.answer


def test_a_vague_count_part_is_said_while_the_other_part_is_answered(corpus_app):
    a = corpus_app.ask(
        "Theo NQ20, đến 2020 sản phẩm công nghệ cao chiếm khoảng bao nhiêu giá trị sản xuất công nghiệp,"
        " và sẽ có bao nhiêu sản phẩm quốc gia mang thương hiệu Việt Nam?"
    )
    assert not a.abstained and "khoảng 40%" in a.answer
    assert "không nêu con số cụ thể" in a.answer and "một số sản phẩm quốc gia" in a.answer


def test_a_number_the_clause_gives_is_still_answered(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 57, đến năm 2045 tối thiểu có bao nhiêu doanh nghiệp công nghệ số ngang tầm các nước tiên tiến?"
    )
    assert not a.abstained and "10 doanh nghiệp công nghệ số" in a.answer


def test_a_counted_noun_is_made_of_whole_listed_nouns():
    """Structural and generic nouns are read as whole nouns, not syllables: "vận động viên"
    shares "vận" with "vấn đề" and "động" with "dòng" yet counts no heading's items."""
    from assistant.tree import _made_of

    nouns = frozenset({"diem", "dong", "phu_luc", "van_de", "noi_dung"})
    assert _made_of(["phu", "luc"], nouns) and _made_of(["diem"], nouns) and _made_of(["noi", "dung"], nouns)
    assert _made_of(["van", "de"], nouns) and _made_of(["dong"], nouns)
    assert not _made_of(["van", "dong", "vien"], nouns)
    assert not _made_of(["van", "dong"], nouns) and not _made_of(["luc"], nouns)
