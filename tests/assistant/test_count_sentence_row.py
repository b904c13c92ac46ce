"""A count of a noun whose members one sentence lists as plain items right after it ("… các
lĩnh vực mũi nhọn như trí tuệ nhân tạo, bán dẫn, công nghệ lượng tử, và chuỗi khối", "Các
ngành công nghiệp mũi nhọn: Công nghệ thông tin, …") is the number of those items, said with
that sentence quoted (assistant/tree.py _noun_row, answers.toml row_opening). Prose after the
noun is no row; a question that does not count is not answered so."""

from __future__ import annotations

import pytest

from assistant.tree import _noun_row
from retrieval.rules import load_rules

OPENING = load_rules("answers").pattern("row_opening")


def _row(sentence: str, noun: str) -> list[str]:
    return [sentence[a:b] for a, b in _noun_row(sentence, noun, OPENING)]


def test_a_row_after_the_noun_is_split_at_its_commas_and_last_and():
    said = "Thúc đẩy ứng dụng trong các lĩnh vực mũi nhọn như trí tuệ nhân tạo, bán dẫn, công nghệ lượng tử, và chuỗi khối."
    assert _row(said, "linh vuc") == ["trí tuệ nhân tạo", "bán dẫn", "công nghệ lượng tử", "chuỗi khối"]
    said = "tận dụng các cơ hội công nghệ mới trên thế giới như: Bán dẫn, vật liệu tiên tiến, công nghệ gen. Đẩy mạnh"
    assert _row(said, "co hoi") == ["Bán dẫn", "vật liệu tiên tiến", "công nghệ gen"]


def test_prose_or_two_items_is_no_row():
    said = "Các ngành công nghiệp là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất."
    assert _row(said, "nganh cong") == []
    assert _row("các công nghệ như trí tuệ nhân tạo và dữ liệu lớn.", "cong nghe") == []


@pytest.mark.parametrize(
    ("question", "first", "said"),
    [
        (
            "ban 5w1h noi nq57 tap trung vao bao nhieu nganh cong nghiep mui nhon",
            "gồm 4 ngành công nghiệp mũi nhọn",
            "năng lượng tái tạo",
        ),
        ("Trong bài 5W1H, có bao nhiêu lĩnh vực mũi nhọn mà đổi mới sáng tạo hướng tới?", "gồm 4", "chuỗi khối"),
        (
            "KH01 muốn tận dụng mấy cơ hội công nghệ mới của thế giới?",
            "gồm 6 cơ hội công nghệ mới",
            "thiết bị thông minh",
        ),
    ],
)
def test_a_count_of_a_sentence_row_is_its_items(corpus_app, question, first, said):
    answer = corpus_app.ask(question)
    assert not answer.abstained, answer.answer
    assert first in answer.answer.split("\n")[0], answer.answer
    assert said in answer.answer, answer.answer
