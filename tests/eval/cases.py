"""Hand-made questions, answers and citations for the metric tests."""

from __future__ import annotations

from assistant.types import Answer, Citation, Context
from eval.dataset import Question
from eval.metrics import Sample

C1 = (
    "Quy mô kinh tế số đạt tối thiểu 30% GDP. Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và "
    "doanh nghiệp đạt trên 80%."
)
C2 = (
    "Bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ, đổi mới sáng tạo, "
    "chuyển đổi số quốc gia."
)
C3 = "Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, theo dõi, kiểm tra, giám sát."
TEXTS = {"c1": C1, "c2": C2, "c3": C3}


def citation(marker: int, chunk: str, quote: str | None = None) -> Citation:
    text = TEXTS[chunk]
    quote = text.split(". ")[0] if quote is None else quote
    return Citation(
        marker=marker,
        chunk_id=chunk,
        doc_id="nq57",
        doc_short="57-NQ/TW",
        clause="II.2",
        label=f"Nghị quyết 57-NQ/TW, đoạn {chunk}",
        quote=quote,
        text=text,
    )


def answer(text: str, citations: list[Citation], abstained: bool = False, contexts=("c1", "c2")) -> Answer:
    ctx = [Context(c, "nq57", "57-NQ/TW", "II.2", f"đoạn {c}", TEXTS[c], 1.0) for c in contexts]
    return Answer(
        question="q",
        standalone_question="q",
        answer=text,
        abstained=abstained,
        citations=citations,
        contexts=ctx,
        timings_ms={"total": 10.0},
    )


def question(answerable: bool = True, key_facts=(), qtype: str = "fact") -> Question:
    return Question(id="t1", type=qtype, question="Câu hỏi thử?", answerable=answerable, key_facts=list(key_facts))


def sample(text: str, citations: list[Citation], key_facts=(), **kw) -> Sample:
    return Sample(question(key_facts=key_facts), answer(text, citations, **kw))


FAITHFUL = sample(
    "Các văn bản nêu như sau:\nQuy mô kinh tế số đạt tối thiểu 30% GDP. [1] Bố trí ít nhất 3% tổng chi ngân sách "
    "hằng năm cho khoa học, công nghệ. [2]",
    [citation(1, "c1"), citation(2, "c2")],
    key_facts=["30% GDP", "3% tong chi ngan sach"],
)

# A figure changed, an invented claim, and a true sentence cited to the wrong clause.
UNFAITHFUL = sample(
    "Quy mô kinh tế số đạt tối thiểu 45% GDP vào năm 2035. [1] Bộ Quốc phòng chủ trì xây dựng trạm vũ trụ "
    "trên Mặt Trăng. [1] Tỉ lệ sử dụng dịch vụ công trực tuyến đạt trên 80%. [2]",
    [citation(1, "c1"), citation(2, "c2")],
    key_facts=["30% GDP"],
)
