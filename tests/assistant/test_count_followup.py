"""A follow-up that only asks the previous count again of another numbered part ("còn nhóm 3
thì có bao nhiêu?") is the previous question asked of that part (assistant/condense.py
_counts_again, _apposition; condense.toml count_again, count_asked, apposition_stops), on the
real documents:

- the description of the old part said before it in brackets ("Nhóm nhiệm vụ hợp tác quốc tế
  (nhóm 7)") goes with it, so the new part's count is not looked for under the old topic;
- the rest of a place said in the brackets ("(điểm 6 Mục III)") is kept;
- a part numbered by a letter ("tiết e", "Phần E"; condense.toml lettered) is swapped like a
  numbered one;
- a follow-up with an ask of its own, or a noun the previous question did not count, is not
  read as the count asked again.
"""

from __future__ import annotations

import pytest

from assistant.types import Message


def _history(question: str, answer: str) -> list[Message]:
    return [Message(role="user", content=question), Message(role="assistant", content=answer)]


GROUP = _history(
    "Nhóm nhiệm vụ hợp tác quốc tế (nhóm 7) trong Chương trình hành động của Chính phủ có mấy nhiệm vụ?",
    "Nhóm 7 của Chương trình hành động của Chính phủ có 4 nhiệm vụ.",
)
SYSTEM = _history(
    "Có bao nhiêu sáng kiến đột phá thuộc Hệ thống an sinh và phúc lợi (Hệ thống 3) trong Kế hoạch 01?",
    "Hệ thống 3 có 6 sáng kiến đột phá.",
)
LETTER = _history(
    "Tiết c điểm 2 Mục I của Kế hoạch 01 có bao nhiêu chỉ tiêu?", "Tiết c điểm 2 Mục I của Kế hoạch 01 có 5 chỉ tiêu."
)
GROUPED = _history("Phần B Mục III Phụ lục I của Kế hoạch 01 có bao nhiêu sáng kiến?", "Phần B có 6 sáng kiến đột phá.")
POINT = _history(
    "Nhiệm vụ thúc đẩy mạnh mẽ hoạt động khoa học, công nghệ trong doanh nghiệp (điểm 6 Mục III) của Nghị quyết 57 gồm mấy ý?",
    "Điểm 6 Mục III của Nghị quyết 57-NQ/TW gồm 4 ý.",
)


@pytest.mark.parametrize(
    "history, question, standalone, said",
    [
        (
            GROUP,
            "còn nhóm 3 thì có bao nhiêu?",
            "Nhóm 3 trong Chương trình hành động của Chính phủ có mấy nhiệm vụ?",
            "18 nhiệm vụ",
        ),
        (
            GROUP,
            "thế nhóm 1 thì có mấy nhiệm vụ?",
            "Nhóm 1 trong Chương trình hành động của Chính phủ có mấy nhiệm vụ?",
            "15 nhiệm vụ",
        ),
        (
            SYSTEM,
            "còn Hệ thống 4 thì có mấy?",
            "Có bao nhiêu sáng kiến đột phá thuộc Hệ thống 4 trong Kế hoạch 01?",
            "5 sáng kiến",
        ),
        (LETTER, "còn tiết e thì có mấy?", "Tiết e điểm 2 Mục I của Kế hoạch 01 có bao nhiêu chỉ tiêu?", "4 chỉ tiêu"),
        (
            GROUPED,
            "thế phần E thì có mấy?",
            "Phần E Mục III Phụ lục I của Kế hoạch 01 có bao nhiêu sáng kiến?",
            "5 sáng kiến",
        ),
        (POINT, "còn điểm 2 thì gồm mấy ý?", "Điểm 2 Mục III của Nghị quyết 57 gồm mấy ý?", "4 ý"),
    ],
)
def test_a_count_asked_again_of_another_part(corpus_app, history, question, standalone, said):
    a = corpus_app.ask(question, history=history)
    assert a.standalone_question == standalone
    assert not a.abstained and said in a.answer.split("\n")[0]


def test_an_ask_of_its_own_is_not_the_count_again(corpus_app):
    a = corpus_app.ask("còn nhóm 3 thì ai chủ trì?", history=GROUP)
    assert "mấy nhiệm vụ" not in a.standalone_question
    b = corpus_app.ask("còn nhóm 3 thì có mấy sáng kiến?", history=GROUP)
    assert "mấy nhiệm vụ" not in b.standalone_question
