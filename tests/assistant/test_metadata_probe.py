"""A document's own metadata asked of every official document (scripts/probe_metadata.py):
its date, signer and issuer, each asked two ways and typed toned, without tone marks and by
the short name people type ("nq 03", "kh01", "qđ 116"), or as a follow-up. The answer says the fact read from
the document itself (catalog date and issuer, the signature block's name) in its opening
lines and cites one clause only; the rules of the asks (metadata.toml) per family."""

from __future__ import annotations

import pytest

from assistant.metadata import ask_kind
from scripts.probe_metadata import Probe, ask, build, judge


@pytest.fixture(scope="module")
def probes(corpus_app) -> list[Probe]:
    return build(corpus_app)


@pytest.mark.parametrize("half", ["tune", "check"])
def test_a_metadata_ask_is_answered_by_the_documents_own_clause_alone(corpus_app, probes, half):
    chosen = [p for p in probes if p.half == half]
    assert len(chosen) >= 40  # every official document, kind and form: a real sample
    assert {p.kind for p in chosen} == {"date", "signer", "issuer", "number"}
    outcomes = [judge(p, ask(corpus_app, p)) for p in chosen]
    missed = [f"{o.probe.question} -> {o.opening[:90]}" for o in outcomes if not (o.said and o.single)]
    assert len(missed) <= 0.05 * len(outcomes), missed[:8]
    assert not any(o.abstained for o in outcomes)


@pytest.mark.parametrize(
    "focus, kind",
    [
        ("ban hành ngày nào?", "date"),
        ("ban hanh ngay nao", "date"),
        ("được ký khi nào vậy", "date"),
        ("ai ký vậy", "signer"),
        ("do ai ký?", "signer"),
        ("người ký là ai", "signer"),
        ("do ai ban hanh", "issuer"),
        ("của ai", "issuer"),
        ("do cơ quan nào ban hành?", "issuer"),
        ("có hiệu lực từ khi nào?", "effect"),
        ("Có hiệu lực từ khi nào (theo Quyết định 116/QĐ-VHL; Quyết định 116/QĐ-VHL do ai ký)?", "effect"),
        # more than the metadata: the usual answer
        ("ban hành ngày nào và có hiệu lực khi nào", ""),
        ("giao cho ai chủ trì", ""),
        ("những nhiệm vụ nào phải hoàn thành trước ngày nào", ""),
        ("cơ quan nào ban hành quy định về quỹ", ""),
    ],
)
def test_the_ask_kind_is_read_from_the_whole_rest_of_the_question(focus, kind):
    assert ask_kind(focus) == kind


@pytest.mark.parametrize(
    "question, said, cited",
    [
        ("ai ký nq 03/NQ-CP vậy", "Nguyễn Hòa Bình", "03/NQ-CP"),
        ("nghi quyet 03 ban hanh ngay nao", "ngày 09 tháng 01 năm 2025", "03/NQ-CP"),
        ("quyet dinh 116 ban hanh ngay nao", "ngày 24 tháng 01 năm 2025", "116/QĐ-VHL"),
        ("kh01 do ai ban hanh", "Ban Chỉ đạo Trung ương", "01-KH/BCĐTW"),
        ("Ke hoach 01 ban hanh ngay nao", "ngày 02 tháng 6 năm 2025", "01-KH/BCĐTW"),
        ("Nghị quyết 03 có hiệu lực từ khi nào?", "có hiệu lực thi hành kể từ ngày ký", "03/NQ-CP"),
    ],
)
def test_chat_asks_of_the_issue_quote_the_named_documents_own_span(corpus_app, question, said, cited):
    """Issue 10 items 2 and 9: the date of another document cited in the header ("Nghị quyết
    số 57-NQ/TW ngày 22/12/2024") is not the answer, nor a second, unrelated clause."""
    answer = corpus_app.ask(question)
    assert not answer.abstained
    assert said in answer.answer.split("\nNguồn:")[0]
    assert len(answer.citations) == 1 and answer.citations[0].doc_short == cited
