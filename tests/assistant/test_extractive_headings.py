"""The extractive answer reads a sentence with the heading path it stands under (issue 10
item 6: paraphrase and colloquial questions), on the real documents."""

from __future__ import annotations

from assistant.direct import heading_note, numbered_part
from assistant.evidence import question_cues
from assistant.generation.base import GenerationRequest


def _units(corpus_app, question: str):
    sources = corpus_app.answerer.sources(corpus_app.search(question, 5), 1)
    evidence = corpus_app.answerer.scorer.assess(GenerationRequest(question, sources))
    return evidence, evidence.ranked


def test_a_question_asking_which_initiative_is_told_the_numbered_heading(corpus_app):
    # the sentence about robots in factories stands under "30. Sáng kiến 30: …" without saying it
    a = corpus_app.ask("Robot làm việc tự động tại nhà máy thuộc sáng kiến nào của Kế hoạch 01?")
    assert not a.abstained
    assert "Sáng kiến 30" in a.answer
    b = corpus_app.ask("Mạng lưới tình nguyện viên số nằm trong sáng kiến nào?")
    assert not b.abstained and "Sáng kiến 14" in b.answer


def test_the_numbered_heading_is_named_only_when_asked_and_unsaid(corpus_app):
    question = "Robot làm việc tự động tại nhà máy thuộc sáng kiến nào?"
    evidence, ranked = _units(corpus_app, question)
    under = [u for u in ranked if u.heading.startswith("30. Sáng kiến 30") and "Sáng kiến 30" not in u.text]
    assert under
    assert numbered_part(under[0], evidence.folded) == "Sáng kiến 30"
    # a question that does not ask which part: the label alone (no heading of another kind)
    other = question_cues("Robot làm việc tự động tại nhà máy để làm gì?")
    assert numbered_part(under[0], other) == ""
    assert heading_note(under[0], other) == heading_note(under[0])
    # asked which "hệ thống": a heading numbering "sáng kiến" is not what is asked
    assert numbered_part(under[0], question_cues("Robot trong nhà máy thuộc hệ thống nào?")) == ""
    # the sentence that says "Sáng kiến 30" itself needs no note
    saying = [u for u in ranked if "Sáng kiến 30" in u.text]
    assert all(numbered_part(u, evidence.folded) == "" for u in saying)
