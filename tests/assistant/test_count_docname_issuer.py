"""A document named with its issuer written into its name ("qđ 116 vhl", "Quyết định 116
của Viện Hàn lâm"): the issuer's words are part of the name (retrieval/docref.py,
docref.toml issuer_joint), not the topic of the count, so the count of the document's
"nhiệm vụ" is its section about them ("II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", 6 groups), not
the point whose line says "… trong Viện Hàn lâm" (Mục II, điểm 3, 7 items), on the real
documents."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "qđ 116 vhl có bao nhiêu nhiệm vụ?",
        "qd 116 vhl bn nhiem vu",
        "Quyết định 116 của Viện Hàn lâm có mấy nhiệm vụ?",
    ],
)
def test_the_issuer_in_a_document_name_names_no_heading(corpus_app, question):
    a = corpus_app.ask(question)
    opening = a.answer.split("\n")[0]
    assert "Mục II gồm 6" in opening, opening
