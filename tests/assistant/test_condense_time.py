"""Time expressions of a follow-up (retrieval/resources/rules/time.toml, assistant/condense.py
TimeReader): said as the documents say time and put in the previous question's place of
time, on the real catalog (the documents' dates anchor "5 năm tới", "cuối thập kỷ này")."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, TimeReader, Turn
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def chat(*texts: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)]


GDP_2030 = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"
ANSWER = "Quy mô kinh tế số đạt tối thiểu 30% GDP [1].\n\n[1] Nghị quyết 57-NQ/TW, Mục II, điểm 1"
NQ20_WHEN = (
    "Nghị quyết 20 năm 2012 đặt mục tiêu đưa nước ta cơ bản trở thành nước công nghiệp theo hướng hiện đại vào năm nào?"
)
NQ20_2020 = (
    "Theo Nghị quyết 20, tổng đầu tư xã hội cho khoa học và công nghệ phải đạt bao nhiêu phần trăm GDP vào năm 2020?"
)
STAGE = "Giai đoạn {} của Kế hoạch 01 tập trung gì về thể chế?"
KH01_2030 = "Kế hoạch 01 đặt mục tiêu gì về trí tuệ nhân tạo đến năm 2030?"


@pytest.mark.parametrize(
    "follow_up, history, standalone",
    [
        # a century: as the texts write it (Roman numerals), in the place of the year
        ("còn đến giữa thế kỷ 21 thì sao?", chat(GDP_2030, ANSWER), GDP_2030.replace("năm 2030", "giữa thế kỷ XXI")),
        # no year asked before: the previous "vào năm nào" asked again of the time
        (
            "còn đến giữa thế kỷ 21 thì sao?",
            chat(NQ20_WHEN, "Vào năm 2020 [1]"),
            NQ20_WHEN.replace("năm nào", "giữa thế kỷ XXI"),
        ),
        # "giữa thế kỷ" with no number: the century of the document in focus (NQ57, 2024)
        ("thế còn giữa thế kỷ?", chat(GDP_2030, ANSWER), GDP_2030.replace("năm 2030", "giữa thế kỷ XXI")),
        # counted from the year the previous question names ("sau đó")
        ("thế còn 10 năm sau đó thì sao?", chat(NQ20_2020, "Trên 2% GDP [1]"), NQ20_2020.replace("2020", "2030")),
        ("còn mười năm sau đó?", chat(NQ20_2020, "Trên 2% GDP [1]"), NQ20_2020.replace("2020", "2030")),
        # counted from the date of the document in focus (Kế hoạch 01: 2025), typed with and without marks
        ("vậy 5 năm tới thì sao", chat(GDP_2030.replace("2030", "2045"), ANSWER), GDP_2030),
        ("con 5 nam toi thi sao", chat(KH01_2030.replace("2030", "2045"), "x"), KH01_2030),
        ("còn cuối thập kỷ này thì sao?", chat(GDP_2030.replace("2030", "2045"), ANSWER), GDP_2030),
        # the period after (before) the one asked, of its length
        ("còn giai đoạn tiếp theo thì sao?", chat(STAGE.format("2025 - 2027"), "x"), STAGE.format("2028 - 2030")),
        ("thế giai đoạn trước đó?", chat(STAGE.format("2028 - 2030"), "x"), STAGE.format("2025 - 2027")),
    ],
)
def test_time_expressions_take_the_year_slot(condenser, follow_up, history, standalone):
    assert condenser.condense(follow_up, history) == standalone


def test_reader_counts_from_its_anchors():
    times = TimeReader()
    assert times.read("5 năm tới", 2024, None) == "năm 2030"  # a span ends at a milestone year
    assert times.read("năm sau", 2025, 2030) == "năm 2031"  # one year: no milestone
    assert times.read("năm sau", 2025, None) == "năm 2026"
    assert times.read("cuối thập kỷ này", 2024, None) == "năm 2030"
    assert times.read("giữa thập kỷ tới", 2024, None) == "năm 2035"
    assert times.read("đầu thế kỷ 21", None, None) == "đầu thế kỷ XXI"
    assert times.read("năm sáu", 2025, None) == "năm sáu"  # five-six, not the next year
    assert times.read("5 năm tới", None, None) == "5 năm tới"  # no anchor: left as typed


def test_a_documents_own_date_is_no_year_slot(condenser):
    """ "Nghị quyết 20 năm 2012": the year dates the document; a new year does not replace it."""
    out = condenser.condense("còn năm 2030 thì sao?", chat(NQ20_WHEN, "Vào năm 2020 [1]"))
    assert "năm 2012" in out and "2030" in out


def test_the_2045_follow_up_in_time_words_is_answered_from_the_2045_clause(corpus_app):
    from assistant.types import Message

    first = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"
    a1 = corpus_app.ask(first)
    a2 = corpus_app.ask("còn đến giữa thế kỷ 21 thì sao?", [Message("user", first), Message("assistant", a1.answer)])
    assert not a2.abstained and "50% GDP" in a2.answer.split("\n[")[0].split("\n")[1]


def test_a_list_item_letter_is_no_part_of_its_title(condenser):
    listed = "Theo Nghị quyết 20:\n- a) Đến năm 2020, đạt trình độ [1]\n- b) Phát triển đồng bộ các lĩnh vực [2]\n- c) Hình thành đồng bộ đội ngũ cán bộ [3]"
    out = condenser.condense("cái thứ ba là gì?", chat("Nghị quyết 20 xác định những mục tiêu cụ thể nào?", listed))
    assert out.startswith("Hình thành đồng bộ đội ngũ cán bộ")
