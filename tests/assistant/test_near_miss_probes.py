"""The asked detail the value's clause must hold (assistant/abstention.py unsupported_detail),
on the real documents, and the near-miss probes generated from them
(scripts/near_miss_probes.py wrote tests/assistant/probes_near_miss.jsonl from the dev
split's answerable asks):

- the documents' words of two syllables are told from two words that meet (WordPairs);
- a figure asked of a word the documents write, but not in the clauses of the sentences
  holding such a figure ("… cho nghiên cứu cơ bản" where the 15% is for "nghiên cứu công
  nghệ chiến lược") is refused with the nearest clauses; the question as the clause says it
  is answered;
- near_modifier (a topic word swapped for one no clause writes beside a figure) and near_unit
  (the asked unit swapped for one the clauses state no value of) are refused at the rate they
  reach now (a floor), their twins (the questions as they were) are all answered with their
  key facts;
- near_year (the ask's year swapped for one its gold documents never write) and near_doc (the
  named document's number swapped for one no document carries: "Nghị quyết 58") are all
  refused, their twins answered;
- near_clause (a clause's sentence with its topic swapped for a sibling: swapped_detail),
  near_property (a Sáng kiến asked kinh phí / số người / địa điểm / tỉ lệ its clause does not
  state) and near_body (a task asked of a body the document never names), made from the
  clauses, are refused at their floors, their twins answered;
- near_newbody (a task asked of a body no document names: a head and a topic of the
  documents, "Ban Chuyển đổi số") is refused, its twin (who leads the task) answered.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.abstention import WordPairs, detail_terms
from tests.support.probes import outcomes as probe_outcomes

PROBES = [json.loads(line) for line in (Path(__file__).parent / "probes_near_miss.jsonl").open(encoding="utf-8")]
# family -> (the lowest share refused, or answered; the lowest key-fact coverage)
FLOORS = {
    # a known gap: a swapped word the other retrieved clauses hold (the detail check, on by
    # default, refuses half: test_the_detail_check_refuses_more_modifier_swaps)
    "near_modifier": (0.45, None),
    "near_unit": (0.8, None),
    "near_year": (1.0, None),
    "near_doc": (1.0, None),
    "twin_modifier": (1.0, 0.95),
    "twin_unit": (1.0, 0.95),
    "twin_year": (1.0, 0.95),
    "twin_doc": (1.0, 0.95),
    # made from the documents' clauses (scripts/near_miss_probes.py figure/property/body_swaps)
    "near_clause": (0.65, None),  # a gap left: a slot at the head of the ask ("y tế số đạt …")
    "near_property": (0.95, None),
    "near_body": (1.0, None),
    "twin_clause": (1.0, 0.75),
    "twin_property": (1.0, 0.9),
    "twin_body": (1.0, 1.0),
    # held out (made after the unwritten_name check, wave 14): a body no document names, of a
    # head and a topic of the documents ("Ban Chuyển đổi số"); 0/1 + 2/5 refused without it
    "near_newbody": (1.0, None),
    "twin_newbody": (1.0, 1.0),
}
# the families made from dev asks (the others from clauses: their source is a clause id)
FROM_ASKS = {"modifier", "unit", "year", "doc"}


def test_word_pairs_tell_words_from_words_that_meet(corpus_app):
    pairs = WordPairs(c.text for c in corpus_app.searcher.table.chunks)
    assert pairs.is_word("cơ", "bản") and pairs.is_word("bán", "dẫn") and pairs.is_word("ngân", "sách")
    assert pairs.is_word("ngan", "sach", folded=True) and pairs.is_word("nghien", "cuu", folded=True)
    assert not pairs.is_word("năm", "thuộc") and not pairs.is_word("học", "cho")


def test_detail_terms_leave_out_the_frame_of_the_ask(corpus_app):
    pairs = WordPairs(c.text for c in corpus_app.searcher.table.chunks)
    scorer = corpus_app.answerer.scorer
    terms = detail_terms("dành bao nhiêu phần trăm ngân sách chi sự nghiệp cho nghiên cứu cơ bản?", scorer, pairs)
    assert {"ngan_sach", "nghien_cuu", "co_ban"} <= set(terms)
    assert not {"bao_nhieu", "phan_tram", "cho_nghien"} & set(terms)


@pytest.fixture(scope="module")
def detail_app(corpus_app):
    """The corpus with the unsupported_detail check on (Settings.abstain_detail_check, the default)."""
    from assistant.api import Assistant
    from tests.support.corpus import make_settings

    return Assistant(make_settings(corpus_app.settings.data_dir, abstain_detail_check=True))


@pytest.fixture(scope="module")
def no_detail_app(corpus_app):
    """The corpus with the unsupported_detail check off."""
    from assistant.api import Assistant
    from tests.support.corpus import make_settings

    return Assistant(make_settings(corpus_app.settings.data_dir, abstain_detail_check=False))


def test_a_figure_of_another_thing_is_refused_with_the_detail_check_on(detail_app, no_detail_app):
    question = "NQ57 dành bao nhiêu phần trăm ngân sách chi sự nghiệp khoa học cho nghiên cứu cơ bản?"
    assert not no_detail_app.ask(question).abstained  # the check off: the 15% of another thing
    a = detail_app.ask(question)
    assert a.abstained and a.citations == [] and a.contexts


def test_the_detail_check_is_on_by_default():
    from assistant.settings import Settings

    assert Settings().abstain_detail_check


def test_the_detail_check_reads_the_ask_with_its_marks():
    from assistant.abstention import asks_figure

    assert asks_figure("NQ57 dành bao nhiêu phần trăm ngân sách cho nghiên cứu cơ bản?")
    assert asks_figure("Ban Chỉ đạo họp mấy lần mỗi năm?") and asks_figure("nq57 danh bao nhieu phan tram")
    # folded alike ("mục"/"mức", "mấy nội dung đó"/"mấy"), asking no figure
    assert not asks_figure("Danh mục các chỉ tiêu cụ thể (Phụ lục I) được ban hành kèm theo quyết định nào?")
    assert not asks_figure("Chính phủ có định làm hệ thống gì để giám sát mấy nội dung đó không?")


def test_asks_that_fold_into_figure_asks_are_answered_with_the_detail_check_on(detail_app):
    # the two answerable questions the check once refused (q120, w13-moved-w3-113 of dev)
    a = detail_app.ask(
        "Danh mục các chỉ tiêu cụ thể (Phụ lục I) của Viện Hàn lâm được ban hành kèm theo quyết định nào?"
    )
    assert not a.abstained and "116" in a.answer
    a = detail_app.ask(
        "Trên mạng đầy tin bậy bạ, vi phạm pháp luật, Chính phủ có định làm hệ thống gì để giám sát mấy nội dung đó không?"
    )
    assert not a.abstained and "hệ thống kỹ thuật quốc gia" in a.answer


def test_the_figure_the_clause_gives_is_answered(corpus_app):
    a = corpus_app.ask(
        "NQ57 dành bao nhiêu phần trăm ngân sách chi sự nghiệp khoa học cho nghiên cứu công nghệ chiến lược?"
    )
    assert not a.abstained and "15%" in a.answer


@pytest.fixture(scope="module")
def outcomes(corpus_app) -> dict[str, list[tuple[bool, float]]]:
    return probe_outcomes(corpus_app, PROBES)


def test_every_family_is_generated_with_its_twins():
    assert {p["family"] for p in PROBES} == set(FLOORS)
    assert all(sum(p["family"] == f for p in PROBES) >= 5 for f in FLOORS)
    near = {(p["family"][5:], p["source"]) for p in PROBES if p["expect"] == "refuse"}
    twins = {(p["family"][5:], p["source"]) for p in PROBES if p["expect"] == "answer"}
    assert near == twins


def test_the_generator_swaps_one_detail(corpus_app):
    from scripts.near_miss_probes import generate

    rows = [json.loads(line) for line in Path("eval/questions.jsonl").open(encoding="utf-8")]
    probes = generate(rows, corpus_app.searcher.table)
    by_id = {q["id"]: q for q in rows}
    asked = [p for p in probes if p["family"].split("_")[1] in FROM_ASKS]
    assert all(by_id[p["source"]]["split"] == "dev" for p in asked)  # tuned on dev only
    ids = {c.id for c in corpus_app.searcher.table.chunks}
    assert all(p["source"] in ids for p in probes if p not in asked)  # a clause of the documents
    for p in asked:
        source = by_id[p["source"]]["question"]
        if p["expect"] == "answer":
            assert p["question"] == source
        else:
            assert p["question"] != source and len(set(p["question"].split()) ^ set(source.split())) <= 8


def test_the_clause_probes_ask_what_the_clause_gives_and_what_it_does_not(corpus_app):
    from scripts.near_miss_probes import body_swaps, figure_swaps, half, property_swaps

    table = corpus_app.searcher.table
    chunks = {c.id: c for c in table.chunks}
    for p in figure_swaps(table) + property_swaps(table) + body_swaps(table):
        if p["expect"] == "answer":  # the twin's key fact stands in its clause
            assert all(f in chunks[p["source"]].text for f in p["key_facts"])
    figures = figure_swaps(table)
    assert any("kinh tế số" in p["question"] for p in figures if p["expect"] == "answer")
    assert not any("kinh tế số" in p["question"] for p in figures if p["expect"] == "refuse")
    assert {half(p) for p in PROBES} == {"tune", "check"}


def test_a_sibling_in_the_slot_of_the_figure_is_refused(corpus_app):
    # the sentence says "quy mô kinh tế số đạt tối thiểu 30% GDP": the same words around
    # another topic ask a figure no document gives (swapped_detail)
    a = corpus_app.ask("Theo Kế hoạch 01, quy mô khởi nghiệp sáng tạo đạt tối thiểu bao nhiêu phần trăm GDP?")
    assert a.abstained and a.citations == []
    a = corpus_app.ask(
        "Theo Nghị quyết 57, tỉ lệ sử dụng khoa học xã hội của người dân và doanh nghiệp đạt trên bao nhiêu phần trăm?"
    )
    assert a.abstained


def test_a_sibling_with_a_syllable_of_its_own_is_refused(corpus_app):
    # "kinh tế [tuần hoàn]": a word of the documents and a syllable no pair of theirs, in the
    # slot where the sentence says "dịch vụ công trực tuyến"
    a = corpus_app.ask(
        "Theo Nghị quyết 57, tỉ lệ sử dụng kinh tế tuần hoàn của người dân và doanh nghiệp đạt trên bao nhiêu phần trăm?"
    )
    assert a.abstained


def test_a_sibling_is_refused_past_the_words_that_frame_the_ask(corpus_app):
    # "mà … đặt ra cho năm 2030 là": the ask's frame and function words are no detail the
    # sentence must say; the slot "bán dẫn" where it says "công nghệ cao" is
    a = corpus_app.ask(
        "Tỉ trọng xuất khẩu sản phẩm bán dẫn trên tổng giá trị hàng hoá xuất khẩu mà Nghị quyết 57 đặt ra cho năm 2030 là bao nhiêu?"
    )
    assert a.abstained


def test_the_figure_of_the_slot_as_written_is_answered(corpus_app):
    a = corpus_app.ask("Theo Kế hoạch 01, quy mô kinh tế số đạt tối thiểu bao nhiêu phần trăm GDP?")
    assert not a.abstained and "GDP" in a.answer
    a = corpus_app.ask(
        "Theo Nghị quyết 57, tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên bao nhiêu phần trăm?"
    )
    assert not a.abstained and "80%" in a.answer


def test_a_place_asked_of_an_initiative_its_clause_sets_nowhere_is_refused(corpus_app):
    a = corpus_app.ask(
        "Theo Kế hoạch 01, Sáng kiến 12 (Nông nghiệp bền vững và thông minh) được triển khai tại địa điểm nào?"
    )
    assert a.abstained
    a = corpus_app.ask("Theo Kế hoạch 01, Sáng kiến 12 có tên là gì?")
    assert not a.abstained and "Nông nghiệp bền vững và thông minh" in a.answer


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_a_probe_family_holds(outcomes, family):
    rows = outcomes[family]
    rate, facts = FLOORS[family]
    assert sum(ok for ok, _ in rows) / len(rows) >= rate
    if facts is not None:
        assert sum(f for _, f in rows) / len(rows) >= facts


def test_the_detail_check_refuses_more_modifier_swaps(detail_app):
    """Settings.abstain_detail_check on (the default): the modifier swaps refused at the floor it was chosen at,
    their twins still answered."""
    near = [p for p in PROBES if p["family"] == "near_modifier"]
    twins = [p for p in PROBES if p["family"] == "twin_modifier"]
    assert sum(detail_app.ask(p["question"]).abstained for p in near) / len(near) >= 0.45
    assert not any(detail_app.ask(p["question"]).abstained for p in twins)
