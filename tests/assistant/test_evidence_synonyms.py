"""The evidence scorer reads a question word no clause uses by its synonyms (issue 10:
paraphrase and colloquial questions), on the real documents."""

from __future__ import annotations

import pytest

from assistant.evidence import EvidenceScorer
from assistant.generation.base import GenerationRequest

RED_TAPE = "Làm đề tài ở Viện Hàn lâm giấy tờ lằng nhằng quá, kế hoạch có tính cắt bớt không?"


@pytest.fixture
def make_scorer(corpus_app):
    lexical = corpus_app.searcher.lexical

    def make(weight: float) -> EvidenceScorer:
        return EvidenceScorer(
            lambda text: lexical.analyzer.tokens(text, query=True),
            lexical.idf,
            lambda t: t in lexical.doc_freq,
            synonym_weight=weight,
        )

    return make


def _request(corpus_app, question: str) -> GenerationRequest:
    sources = corpus_app.answerer.sources(corpus_app.search(question, 5), 1)
    return GenerationRequest(question, sources)


def test_only_words_no_clause_uses_are_read_by_their_synonyms(make_scorer):
    scorer = make_scorer(0.5)
    said = [s for _, sets in scorer.synonym_weights(RED_TAPE) for s in sets]
    assert frozenset({"thu_tuc", "tuc_hanh", "hanh_chinh"}) in said  # "giấy tờ": thủ tục hành chính
    # the documents' own wording, words many clauses use, has nothing to stand in for
    assert scorer.synonym_weights("Viện Hàn lâm có tăng cường hợp tác quốc tế không?") == ()
    # and with the words few clauses use left to their own words, neither has the documents'
    scorer.rare_synonym_weight = 0.0
    assert scorer.synonym_weights("Viện Hàn lâm có giảm thiểu thủ tục hành chính không?") == ()
    # typed without marks a phrase may span two words ("han lam thu hut" holds "lam thu")
    assert scorer.synonym_weights("vien han lam thu hut nha khoa hoc tre bao nhieu nguoi") == ()
    assert make_scorer(0.0).synonym_weights(RED_TAPE) == ()


def test_a_sentence_saying_the_word_as_the_documents_do_is_preferred(corpus_app, make_scorer):
    request = _request(corpus_app, RED_TAPE)
    plain = make_scorer(0.0).assess(request)
    read = make_scorer(0.5).assess(request)
    goal = "giảm thiểu các thủ tục hành chính"
    assert goal not in plain.ranked[0].text  # by the question's own words another sentence wins
    assert goal in read.ranked[0].text
    for a, b in zip(plain.units, read.units, strict=True):
        assert a.coverage == b.coverage  # the coverage abstention reads stays the question's own
        if "thủ tục" not in b.scope.lower() and "hồ sơ" not in b.scope.lower():
            assert a.score == pytest.approx(b.score)  # no synonym said: no change


def test_the_red_tape_question_is_answered_with_the_simplified_procedures(corpus_app):
    a = corpus_app.ask(RED_TAPE)
    assert not a.abstained and "giảm thiểu các thủ tục hành chính" in a.answer


def test_a_word_several_groups_hold_is_credited_once(corpus_app, make_scorer):
    # "giấy tờ" is in three groups (thủ tục, hồ sơ, thủ tục hành chính): a sentence saying
    # "thủ tục hành chính" says the one word once, it is not three words of the question
    scorer = make_scorer(0.5)
    groups = scorer.synonym_weights(RED_TAPE)
    assert len(groups) >= 2
    request = _request(corpus_app, RED_TAPE)
    plain = make_scorer(0.0).assess(request)
    read = scorer.assess(request)
    total = sum(read.weights.values())
    for a, b in zip(plain.units, read.units, strict=True):
        present = scorer.token_set(b.scope)
        said = [own for own, sets in groups if any(s <= present for s in sets)]
        once = sum({t: w for own in said for t, w in own.items() if t not in present}.values()) / total
        # (a share of the question, scaled as the coverage is: tests/assistant/test_evidence_new_pairs.py)
        assert b.score - a.score == pytest.approx(once * read.scale)


@pytest.mark.parametrize(
    ("question", "said"),
    [  # everyday words of round 4 (synonyms.tsv), each read as the documents say it
        ("Thủ trưởng có phải tự mình làm không?", {"truc_tiep"}),
        ("Ai cầm trịch việc này?", {"chu_tri"}),
        ("Nhà khoa học có được tự mở công ty không?", {"thanh_lap"}),
        ("Ai đứng ra quản lý doanh nghiệp đó?", {"dieu_hanh"}),
        ("Ở vùng núi có được hỗ trợ không?", {"mien_nui"}),
        ("Người tài về nước được những đặc ân gì?", {"uu_dai"}),
    ],
)
def test_everyday_words_are_read_as_the_documents_say_them(make_scorer, question, said):
    sets = [s for _, group in make_scorer(0.5).synonym_weights(question) for s in group]
    assert any(s <= said or said <= s for s in sets), sets


def test_a_word_said_by_its_synonym_weighs_as_the_word_itself(corpus_app, make_scorer):
    # the default synonym weight (1.0): "cũ kỹ" said as "lạc hậu" counts as much as "cũ kỹ"
    # itself would, twice what it counted at 0.5
    question = "Nghị quyết 20 định làm gì với việc mua máy móc cũ kỹ từ nước ngoài?"
    assert corpus_app.answerer.scorer.synonym_weight == 1.0
    request = _request(corpus_app, question)
    backward = "nhập công nghệ lạc hậu"
    score = {w: next(u for u in make_scorer(w).assess(request).units if backward in u.text).score for w in (0, 0.5, 1)}
    assert score[1] - score[0] == pytest.approx(2 * (score[0.5] - score[0]))
    assert score[0.5] > score[0]


@pytest.mark.parametrize(
    ("question", "said"),
    [  # everyday words of round 5 (synonyms.tsv)
        ("Người tài về nước được lo chỗ ở thế nào?", {"nha_o"}),
        ("Viện ưu tiên dùng nguyên vật liệu nào?", {"nguyen_lieu"}),
    ],
)
def test_round_five_everyday_words_are_read_as_the_documents_say_them(make_scorer, question, said):
    sets = [s for _, group in make_scorer(1.0).synonym_weights(question) for s in group]
    assert any(s <= said or said <= s for s in sets), sets


@pytest.mark.parametrize(
    ("question", "said"),
    [  # everyday words of round 7 (synonyms.tsv), each read as the documents say it
        ("Việt Nam còn cách các nước giàu bao xa về công nghệ?", {"phat_trien"}),
        ("Có nên học cách làm hay của thế giới không?", {"kinh_nghiem"}),
        ("Những việc nào phải làm xong hẳn trước năm 2030?", {"dut_diem"}),
        ("Nhà nước có kêu gọi doanh nghiệp góp vốn không?", {"huy_dong"}),
        ("Các giai đoạn về sau sẽ làm gì?", {"tiep_theo"}),
        ("Kho lưu trữ quốc gia do ai xây dựng?", {"du_lieu"}),
    ],
)
def test_round_seven_everyday_words_are_read_as_the_documents_say_them(make_scorer, question, said):
    sets = [s for _, group in make_scorer(1.0).synonym_weights(question) for s in group]
    assert any(s & said for s in sets), sets


def test_round_seven_words_search_the_documents_wording(corpus_app):
    # the search adds the documents' wording of a plain word no clause uses
    assert "dứt điểm" in corpus_app.searcher.expansions("Những việc nào phải làm xong hẳn trước năm 2030?")
    assert "trung tâm dữ liệu" in corpus_app.searcher.expansions("Kho lưu trữ quốc gia do ai xây dựng?")
    # (a phrase of words the documents use apart, searched by its synonyms though the evidence
    # scorer reads it by its own words)
    assert "ứng dụng vào thực tiễn" in corpus_app.searcher.expansions("Kết quả nghiên cứu được áp dụng thực tế ra sao?")


UNIVERSITIES = "Kết luận 69 nói gì về các trường đại học?"


def test_a_word_few_clauses_use_is_read_by_its_synonyms_at_a_lower_weight(make_scorer):
    # "trường đại học": its pair "trường đại" in 10 of the 891 clauses (at most
    # rare_synonym_share of them); the documents mostly say "cơ sở giáo dục đại học"
    scorer = make_scorer(1.0)
    assert scorer.rare_synonym_share == pytest.approx(0.012) and scorer.rare_synonym_weight == 0.5
    ((own, sets),) = scorer.synonym_weights(UNIVERSITIES)
    assert {"co_so", "giao_duc", "dai_hoc"} <= next(s for s in sets if "giao_duc" in s)
    # a part of the word ("đại học" of "trường đại học") is not another way of saying it
    assert frozenset({"dai_hoc"}) not in sets
    weights = scorer.weights(UNIVERSITIES)
    assert own["truong_dai"] == pytest.approx(0.5 * weights["truong_dai"])  # half what a word no clause uses gets
    # a word no clause uses keeps the full synonym weight
    calling = "Nhà nước có kêu gọi doanh nghiệp góp vốn không?"
    absent = next(own for own, _ in scorer.synonym_weights(calling) if "keu_goi" in own)
    assert absent["keu_goi"] == pytest.approx(scorer.weights(calling)["keu_goi"])


def test_a_sentence_saying_a_rare_word_as_the_documents_do_gains(corpus_app, make_scorer):
    request = _request(corpus_app, UNIVERSITIES)
    on = make_scorer(1.0)
    off = make_scorer(1.0)
    off.rare_synonym_weight = 0.0
    plain, read = off.assess(request), on.assess(request)
    said = [(a, b) for a, b in zip(plain.units, read.units, strict=True) if "cơ sở giáo dục đại học" in b.scope.lower()]
    assert said and all(b.score > a.score for a, b in said)
    for a, b in zip(plain.units, read.units, strict=True):
        assert a.coverage == b.coverage  # the coverage abstention reads stays the question's own


def test_don_suc_is_read_as_concentrating_resources(corpus_app, make_scorer):
    # "dồn sức" (no clause uses it) beside "dồn lực" in the group of "tập trung nguồn lực"
    question = "Kế hoạch muốn dồn sức cho những việc nào?"
    assert "tập trung nguồn lực" in corpus_app.searcher.expansions(question)
    sets = [s for _, group in make_scorer(1.0).synonym_weights(question) for s in group]
    assert any({"tap_trung", "nguon_luc"} <= s for s in sets), sets
