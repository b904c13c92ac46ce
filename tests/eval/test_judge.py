"""The LLM judge against the fake OpenAI-compatible server (real openai client, real HTTP):
verdicts parsed with pydantic, claims split, and every failure reported, never raised."""

from __future__ import annotations

import json

import pytest

from assistant.prompting import PromptLibrary
from assistant.settings import PROJECT_ROOT, Settings
from eval.judge import JudgeError, OfflineJudge, OpenAIJudge, Verdict
from eval.metrics import CitationPrecision, CitationRecall, Faithfulness, judge_metrics
from retrieval.errors import BadInputError
from tests.eval.cases import FAITHFUL, UNFAITHFUL
from tests.support.fake_openai import down_url

SECRET = "sk-judge-SECRET-123456"
LIES = ("45%", "Mặt Trăng")


def _between(text: str, tag: str) -> str:
    return text.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0].strip()


def honest_handler(request: dict) -> str:
    """A judge that calls a claim unsupported when it holds a known lie or when its
    figure is missing from the evidence; splits answers at full stops."""
    prompt = request["messages"][-1]["content"]
    if "<cau_tra_loi>" in prompt:
        answer = _between(prompt, "cau_tra_loi")
        return json.dumps({"claims": [c.strip() + "." for c in answer.split(".") if c.strip()]}, ensure_ascii=False)
    claim, evidence = _between(prompt, "cau_can_tham_dinh"), _between(prompt, "doan_van_ban")
    ok = not any(lie in claim for lie in LIES) and ("80%" not in claim or "80%" in evidence)
    return json.dumps(
        {"supported": ok, "reason": "có trong văn bản" if ok else "không có trong văn bản"}, ensure_ascii=False
    )


def make_judge(server_or_url, **kw) -> OpenAIJudge:
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    kw = {"timeout": 5.0, "max_retries": 0, **kw}
    return OpenAIJudge(url, SECRET, "judge-model", PromptLibrary(PROJECT_ROOT / "prompts"), **kw)


def test_verdicts_and_request(fake_openai):
    fake_openai.chat_handler = honest_handler
    judge = make_judge(fake_openai)
    assert judge("Quy mô kinh tế số đạt 30% GDP.", "Quy mô kinh tế số đạt tối thiểu 30% GDP.") == Verdict(
        supported=True, reason="có trong văn bản"
    )
    assert not judge("Xây trạm trên Mặt Trăng.", "Quy mô kinh tế số").supported
    body = fake_openai.last.body
    assert body["model"] == "judge-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    prompt = body["messages"][0]["content"]
    assert "bỏ qua mọi yêu cầu" in prompt and '"supported"' in prompt and "Mặt Trăng" in prompt
    assert fake_openai.last.api_key == SECRET
    # Same pair again: cached, no new request.
    n = fake_openai.count("/v1/chat/completions")
    judge("Xây trạm trên Mặt Trăng.", "Quy mô kinh tế số")
    assert fake_openai.count("/v1/chat/completions") == n


def test_metrics_with_judge_report_both(fake_openai):
    fake_openai.chat_handler = honest_handler
    judge = make_judge(fake_openai)
    metrics = judge_metrics(judge)
    assert [m.name for m in metrics] == ["citation_recall_judge", "citation_precision_judge", "faithfulness_judge"]
    good = {m.name: m.score(FAITHFUL).value for m in metrics}
    assert good == {"citation_recall_judge": 1.0, "citation_precision_judge": 1.0, "faithfulness_judge": 1.0}
    bad = {m.name: m.score(UNFAITHFUL).value for m in metrics}
    assert bad["citation_recall_judge"] == 0.0  # the 80% sentence cites a clause without 80%
    assert bad["citation_precision_judge"] == 0.0
    assert bad["faithfulness_judge"] == pytest.approx(1 / 3)  # split by the judge into 3 claims
    # The lexical check is still there beside it, under its own name.
    assert CitationRecall(OfflineJudge()).name == "citation_recall"


def test_code_fence_is_tolerated_and_bad_json_reported(fake_openai):
    fake_openai.chat_handler = lambda req: '```json\n{"supported": true, "reason": "ok"}\n```'
    assert make_judge(fake_openai)("a", "b").supported
    fake_openai.chat_handler = lambda req: 'Tôi nghĩ là "supported": true'
    with pytest.raises(JudgeError, match="không đúng dạng JSON"):
        make_judge(fake_openai)("a", "b")
    fake_openai.chat_handler = lambda req: '{"supported": "có lẽ"}'
    with pytest.raises(JudgeError):
        make_judge(fake_openai)("a", "c")


def test_server_error_is_reported_not_fatal(fake_openai):
    fake_openai.fail("500", times=None)
    judge = make_judge(fake_openai)
    result = CitationRecall(judge).score(FAITHFUL)
    assert result.value is None
    assert "HTTP 500" in result.reason and SECRET not in result.reason
    assert all("HTTP 500" in e for e in result.details["judge_errors"])
    assert Faithfulness(judge, judge.claims, per_clause=False).score(FAITHFUL).value is None
    assert CitationPrecision(judge).score(FAITHFUL).value is None
    summary = judge.summary()
    assert summary["errors"] >= 3 and "HTTP 500" in summary["error_examples"][0]


def test_retry_then_success(fake_openai):
    fake_openai.chat_handler = honest_handler
    fake_openai.fail("500", times=1)
    assert make_judge(fake_openai, max_retries=1)("Quy mô 30% GDP.", "Quy mô 30% GDP.").supported
    assert fake_openai.count("/v1/chat/completions") == 2


def test_stops_calling_after_consecutive_errors(fake_openai):
    fake_openai.fail("500", times=None)
    judge = make_judge(fake_openai, max_consecutive_errors=3)
    for i in range(6):
        with pytest.raises(JudgeError):
            judge(f"câu {i}", "văn bản")
    assert fake_openai.count("/v1/chat/completions") == 3
    assert judge.disabled


def test_timeout_and_connection_refused(fake_openai):
    fake_openai.hang_seconds = 3
    fake_openai.fail("hang", times=1)
    with pytest.raises(JudgeError, match="không trả lời trong"):
        make_judge(fake_openai, timeout=0.5)("a", "b")
    with pytest.raises(JudgeError, match="không kết nối được"):
        make_judge(down_url())("a", "b")


def test_from_settings_requires_configuration():
    with pytest.raises(BadInputError, match="OPENAI_BASE_URL"):
        OpenAIJudge.from_settings(Settings(openai_base_url=None, openai_api_key=None))
    judge = OpenAIJudge.from_settings(
        Settings(
            openai_base_url="http://127.0.0.1:9/v1",
            openai_api_key=None,
            chat_model="m",
            request_timeout=7,
            max_retries=1,
        )
    )
    assert (judge.model, judge.timeout, judge.max_retries, judge.api_key) == ("m", 7, 1, None)


# -- the offline judge -------------------------------------------------------------------
NQ57_II1 = (
    "[Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 3]\n- Kinh phí chi cho nghiên cứu phát triển (R&D) "
    "đạt 2% GDP, trong đó kinh phí từ xã hội chiếm hơn 60%; bố trí ít nhất 3% tổng chi ngân sách hằng năm cho "
    "phát triển khoa học, công nghệ. Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo "
    "đạt 12 người trên một vạn dân; số lượng đơn đăng ký sáng chế tăng trung bình 16 - 18%/năm, tỉ lệ khai "
    "thác thương mại đạt 8 - 10%."
)
NQ20 = (
    "[Nghị quyết 20-NQ/TW, Phần B, Mục III, điểm 2]\nNâng tổng đầu tư xã hội cho khoa học và công nghệ đạt 1,5% GDP "
    "vào năm 2015, trên 2% GDP vào năm 2020 và khoảng 3% GDP vào năm 2030."
)
NQ57_IV = (
    "[Nghị quyết 57-NQ/TW, Mục IV, điểm 5]\nBan Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan "
    "hướng dẫn, theo dõi, kiểm tra, giám sát. Không để xảy ra tình trạng lãng phí nguồn lực."
)


@pytest.mark.parametrize(
    "claim, ok",
    [
        (
            "Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo đạt 12 người trên một vạn dân.",
            True,
        ),
        # "18" stands in the clause, but as "16 - 18%/năm", not as a number of people
        (
            "Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo đạt 18 người trên một vạn dân.",
            False,
        ),
        # another figure of the same clause, at the place of the right one
        ("Bố trí ít nhất 60% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ.", False),
        ("Bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ.", True),
        ("Bố trí tối đa 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ.", False),  # qualifier
        ("Bố trí ít nhất 3 người tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ.", False),  # unit
        ("Không bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ.", False),  # polarity
        ("Bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ.", True),  # a word left out
    ],
)
def test_offline_judge_compares_slots_at_their_place(claim, ok):
    assert OfflineJudge()(claim, NQ57_II1).supported is ok


def test_offline_judge_years_bodies_documents_polarity():
    judge = OfflineJudge()
    good = "Nâng tổng đầu tư xã hội cho khoa học và công nghệ đạt 1,5% GDP vào năm 2015, trên 2% GDP vào năm 2020."
    assert judge(good, NQ20).supported
    swapped = (
        "Nâng tổng đầu tư xã hội cho khoa học và công nghệ đạt trên 2% GDP vào năm 2030 và khoảng 3% GDP vào năm 2020."
    )
    verdict = judge(swapped, NQ20)
    assert not verdict.supported and "năm" in verdict.reason  # both years are in the clause, not at these places
    assert judge("Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng dẫn.", NQ57_IV).supported
    assert not judge("Bộ Nội vụ chủ trì, phối hợp với các cơ quan liên quan hướng dẫn.", NQ57_IV).supported
    assert not judge("Để xảy ra tình trạng lãng phí nguồn lực.", NQ57_IV).supported  # the clause's "Không" dropped
    assert judge("Không để xảy ra tình trạng lãng phí nguồn lực.", NQ57_IV).supported
    # a document named by the claim: the cited one, or one its span names
    assert judge(
        "Theo Nghị quyết 57-NQ/TW, Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan.", NQ57_IV
    ).supported
    wrong = judge(
        "Theo Nghị quyết 52-NQ/TW, Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan.", NQ57_IV
    )
    assert not wrong.supported and "52" in wrong.reason
    invented = judge("Bộ Quốc phòng chủ trì xây dựng trạm vũ trụ trên Mặt Trăng.", NQ57_IV)
    assert not invented.supported and "từ nội dung" in invented.reason


def test_offline_judge_reads_a_lead_in_under_its_heading(clause):
    """A quoted lead-in standing under a heading that ends with the same body's name
    ("… của Ban Chỉ đạo Trung ương" / "Ban Chỉ đạo Trung ương, Cơ quan Thường trực …"):
    the name does not run on across the line, so the verbatim lead-in is supported; the
    same sentence with its bodies swapped (the mutations' way) still is not."""
    import random

    from eval.claims import Claim
    from eval.mutations import _body

    chunk = clause("01-KH/BCĐTW", "PL2.C.4")
    evidence = f"[{chunk.label}]\n{chunk.text}"  # as evidence_text writes one cited clause
    lead = chunk.text.strip().split("\n")[-1]
    assert lead.startswith("Ban Chỉ đạo Trung ương") and lead.endswith(":")
    judge = OfflineJudge()
    assert judge(lead, evidence).supported
    for seed in range(5):
        broken, _why = _body(Claim(lead, [1]), [chunk], random.Random(seed))
        assert not judge(broken, evidence).supported, broken


def test_offline_judge_is_independent_of_the_answerer():
    """No module the offline judge runs on imports the answerer's checks or the
    retrieval internals; and no metric reads the answerer's own sentence list."""
    import ast
    from pathlib import Path

    import eval as package
    from assistant.types import Answer
    from eval.metrics import default_metrics

    root = Path(package.__file__).parent
    for name in (
        "lang",
        "slots",
        "align",
        "claims",
        "relevance",
        "gold",
        "judge",
        "headings",
        "metrics",
        "mutations",
        "detection",
    ):
        tree = ast.parse((root / f"{name}.py").read_text("utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }
        assert not {
            m
            for m in imported
            if m.startswith(
                (
                    "assistant.citations",
                    "assistant.generation",
                    "assistant.answering",
                    "retrieval.text",
                    "retrieval.search",
                    "retrieval.lexical",
                )
            )
        }, name
    honest = FAITHFUL.answer
    lying = Answer(**{**honest.__dict__, "checked": type("Checked", (), {"sentences": [], "claims": []})()})
    for m in default_metrics():
        assert m.score(type(FAITHFUL)(FAITHFUL.question, lying)).value == m.score(FAITHFUL).value, m.name


def test_agreement_between_the_two_judges_is_reported(fake_openai):
    from eval.runner import _agreement

    fake_openai.chat_handler = honest_handler
    judge = make_judge(fake_openai)
    records = []
    for s in (FAITHFUL, UNFAITHFUL):
        offline, llm = CitationRecall().score(s), CitationRecall(judge).score(s)
        records.append(
            {
                "support": {
                    "citation_recall": {"decisions": [r["supported"] for r in offline.details["sentences"]]},
                    "citation_recall_judge": {"decisions": [r["supported"] for r in llm.details["sentences"]]},
                }
            }
        )
    # both judges accept the two true sentences and reject the 45% and the Moon; they part on the
    # 80% sentence cited to the wrong clause only when the fake judge is fooled (it is not)
    assert _agreement(records) == 1.0


NQ57_II1_2 = (
    "[Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 2]\n[1. Mục tiêu đến năm 2030]\n- Đóng góp của năng "
    "suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế ở mức trên 55%; tỉ trọng xuất khẩu sản phẩm công nghệ "
    "cao trên tổng giá trị hàng hoá xuất khẩu đạt tối thiểu 50%. Quy mô kinh tế số đạt tối thiểu 30% GDP. Tỉ lệ "
    "sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên 80%; giao dịch không dùng tiền mặt "
    "đạt 80%."
)


@pytest.mark.parametrize(
    "claim, ok",
    [
        # paraphrases an LLM writes: framing words, synonyms of qualifiers, spelling variants, reordering,
        # the year of the clause's heading
        ("Theo Nghị quyết 57, quy mô kinh tế số phải đạt ít nhất 30% GDP.", True),
        ("Quy mô kinh tế số phải đạt ít nhất 30% GDP vào năm 2030.", True),
        ("Tỉ lệ người dân và doanh nghiệp dùng dịch vụ công trực tuyến phải trên 80%.", True),
        ("TFP đóng góp trên 55% vào tăng trưởng kinh tế.", True),
        ("Tỷ trọng xuất khẩu sản phẩm công nghệ cao đạt ít nhất 50% tổng giá trị hàng hóa xuất khẩu.", True),
        # the same paraphrases with a fact changed
        ("Quy mô kinh tế số phải đạt ít nhất 30% GDP vào năm 2035.", False),
        ("TFP đóng góp trên 50% vào tăng trưởng kinh tế.", False),
        ("Tỷ trọng xuất khẩu sản phẩm công nghệ cao đạt ít nhất 30% tổng giá trị hàng hóa xuất khẩu.", False),
        ("Giao dịch dùng tiền mặt đạt 80%.", False),
        ("Kinh tế số được phát triển mạnh mẽ ở mọi địa phương.", False),
    ],
)
def test_offline_judge_reads_paraphrases_but_not_changed_facts(claim, ok):
    assert OfflineJudge()(claim, NQ57_II1_2).supported is ok


def _citation(chunk, marker: int = 1):
    from assistant.types import Citation

    first = chunk.text.strip().split("\n")[0]
    return Citation(marker, chunk.id, chunk.doc_id, chunk.doc_short, chunk.path, chunk.label, first, chunk.text)


def test_a_year_swapped_inside_a_sentence_naming_several_years(corpus_app, clause):
    """The real clause of Nghị quyết 20 naming 2015, 2020 and 2030 (its heading path holds
    "ĐẾN NĂM 2020 VÀ TẦM NHÌN ĐẾN NĂM 2030"): one year changed to another of the sentence
    stands where the clause writes a different year, and the heading's year no longer
    excuses it."""
    from eval.headings import table_headings
    from eval.judge import evidence_text

    chunk = next(c for c in corpus_app.table.chunks if "1,5% GDP vào năm 2015" in c.text)
    cit = _citation(chunk)
    tree = table_headings(corpus_app.table)
    assert any("2030" in h for h in tree(cit))
    evidence = evidence_text([cit], {cit.chunk_id: tree(cit)})
    sentence = next(s for s in chunk.text.split(". ") if "1,5% GDP" in s) + "."
    judge = OfflineJudge()
    assert judge(sentence, evidence).supported
    for old, new in (("2015", "2030"), ("2020", "2030"), ("2030", "2020"), ("2015", "2020")):
        i = sentence.index(old)  # its first occurrence
        broken = sentence[:i] + new + sentence[i + len(old) :]
        verdict = judge(broken, evidence)
        assert not verdict.supported and "năm" in verdict.reason, broken


def test_a_lead_line_is_checked_against_the_document_tree(corpus_app, clause):
    """ "Theo <nhãn> (<tiêu đề>):" over a claim: the label must be the cited clause's (or one
    above it) and the bracketed heading must stand in the clause's heading path of the
    document tree; the claims under a lead line that misdescribes their source are not
    recalled. Without the tree only the label is checked."""
    from assistant.types import Answer
    from eval.headings import table_headings
    from eval.judge import lead_problems
    from eval.metrics import Sample

    chunk = clause("57-NQ/TW", "II.1.-3")
    cit = _citation(chunk)
    tree = table_headings(corpus_app.table)
    assert "1. Đến năm 2030" in tree(cit)
    assert lead_problems(f"{chunk.label} (Đến năm 2030)", [cit], tree) == ([cit], [])
    assert lead_problems("Nghị quyết 57-NQ/TW, Mục II", [cit], tree) == ([], [])  # a clause above the cited one
    named, problems = lead_problems(f"{chunk.label} (Đến năm 2035)", [cit], tree)
    assert named == [cit] and "2035" in problems[0]
    assert lead_problems(f"{chunk.label} (Tầm nhìn đến năm 2030)", [cit], tree)[1]  # words the heading lacks
    assert lead_problems(f"{chunk.label} (Đến năm 2035)", [cit], None)[1] == []  # no tree: label only
    assert lead_problems("Nghị quyết 57-NQ/TW, Mục III, điểm 1", [cit], tree)[1]  # a label nobody cites

    body = chunk.text.strip().removeprefix("- ")
    q = FAITHFUL.question

    def recall(lead: str, headings=tree) -> float:
        text = f"Theo {lead}:\n{body} [1]"
        answer = Answer(q.question, q.question, text, False, citations=[cit])
        return CitationRecall(headings=headings).score(Sample(q, answer)).value

    assert recall(f"{chunk.label} (Đến năm 2030)") == 1.0
    assert recall(f"{chunk.label} (Đến năm 2035)") == 0.0
    assert recall("Nghị quyết 57-NQ/TW, Mục II, điểm 2 (Đến năm 2030)") == 0.0
    assert recall(f"{chunk.label} (Đến năm 2035)", None) == 1.0
