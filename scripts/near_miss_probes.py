"""Near-miss probes generated from the documents (issue 10.7): a real ask of the dev split
with one detail changed to one no document pairs with it, each with its answerable twin
(the question as it was). No val or test question is read.

- near_modifier (must refuse): one word pair of the ask's topic ("nghiên cứu công nghệ
  chiến lược") swapped for a word pair of the same document ("nghiên cứu cơ bản") that no
  clause holding the ask's value writes together with the rest of its topic: close to a
  real clause, asking a detail no document gives;
- near_unit (must refuse): the asked unit ("bao nhiêu phần trăm", "bao nhiêu tỷ đồng")
  swapped for another ("mấy năm", "bao nhiêu người", "mấy lần") that the gold clauses state
  no value of;
- near_year (must refuse): the target year the ask names ("đến năm 2030") swapped for one no
  clause of its gold documents writes ("2035"): a year the documents set no value for;
- near_doc (must refuse): the number of the document the ask names ("Nghị quyết 57",
  "KH01") swapped for one no document in the collection carries ("Nghị quyết 58"): a text
  that does not exist;
- twin_modifier, twin_unit, twin_year, twin_doc (must answer, key facts kept): the questions
  as they were.

Made from the documents' clauses themselves (no ask read), each with its twin:

- near_clause: a clause's sentence stating a share ("quy mô kinh tế số đạt tối thiểu 30% GDP")
  asked with its topic swapped for a sibling no sentence writes beside a figure ("quy mô khởi
  nghiệp sáng tạo …"); twin_clause: the sentence's own subject (the figure its key fact);
- near_property: a Sáng kiến asked a property its clause states no value of (kinh phí, số
  người, địa điểm, tỉ lệ, số tiền); twin_property: its name asked;
- near_body: a task a clause gives a body, asked of a body the document never names;
  twin_body: who leads the task asked (the body its key fact);
- near_newbody (held out, wave 14): the task asked of a body no document names at all, a
  head and a topic of the documents ("Ban Chuyển đổi số"); twin_newbody: who leads it.

Every probe falls in the tune or the check half by its source (half()): mechanisms are
fitted on the tune half, the check half only reported.

    python scripts/near_miss_probes.py --write tests/assistant/probes_near_miss.jsonl   # generate
    python scripts/near_miss_probes.py [-v]                                            # run and score

The generated file is kept as a test (tests/assistant/test_near_miss_probes.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.text import fold, has_diacritics  # noqa: E402

PROBES = ROOT / "tests" / "assistant" / "probes_near_miss.jsonl"
_WORD = re.compile(r"\w+")
# the asked units a near_unit probe swaps in: (the ask as written, a pattern over the folded
# gold clauses that states a value of that unit: when it matches, the swap is answerable)
UNITS = [
    ("mấy năm", r"\b\d+(?:\s*[-–]\s*\d+)?\s+nam\b(?!\s*\d)|\bnam (?:nam|muoi)\b"),
    ("bao nhiêu người", r"\d[\d.,]*\s*(?:\S+\s+){0,2}(?:nguoi|can bo|nha khoa hoc|chuyen gia)\b"),
    ("mấy lần", r"\b(?:\d+|hai|ba|bon|nam) lan\b"),
    ("bao nhiêu tỷ đồng", r"\d[\d.,]*\s*(?:nghin |trieu |ty )?(?:dong|usd)\b"),
    ("bao nhiêu ki-lô-mét", r"\d[\d.,]*\s*(?:km|ki-lo-met)\b"),
]
# the asks a near_unit probe replaces (the unit asked as written)
ASKED_UNIT = re.compile(
    r"\b(?:bao nhiêu|mấy)\s+(?:phần trăm|%|tỷ đồng|tỉ đồng|nghìn tỷ đồng|người|doanh nghiệp|lần|năm)(?=[\s?,])(?!\s+(?:tới|nữa|qua))"
)
# word pairs that frame an ask rather than say its topic (never swapped)
FRAME = {
    "bao nhiêu", "phần trăm", "nghị quyết", "kế hoạch", "kết luận", "chương trình", "đến năm", "vào năm",
    "mục tiêu", "đặt ra", "chỉ tiêu", "tỷ lệ", "tỉ lệ", "tỷ trọng", "tỉ trọng", "quy định", "yêu cầu",
    "năm nào", "viện hàn", "hàn lâm", "việt nam", "cụ thể", "tối thiểu", "ít nhất", "hành động",
    "chính phủ", "ban chỉ", "chỉ đạo", "trung ương", "phải đạt", "cần đạt", "đạt mức", "hằng năm",
}  # fmt: skip


# terms of the documents' own vocabulary a question may ask a figure about; a near_modifier
# probe swaps the one it names for another that no clause writes beside a figure
TOPICS = [
    "chuyển đổi số", "nghiên cứu cơ bản", "công nghệ chiến lược", "trí tuệ nhân tạo", "bán dẫn",
    "an ninh mạng", "khởi nghiệp sáng tạo", "kinh tế số", "công nghệ cao", "dịch vụ công trực tuyến",
    "năng lượng tái tạo", "công nghệ sinh học", "vật liệu mới", "dữ liệu mở", "chính phủ số",
    "khoa học xã hội", "sở hữu trí tuệ", "thương mại điện tử", "điện toán đám mây", "công nghiệp quốc phòng",
    "y tế số", "giáo dục số", "nông nghiệp thông minh", "đô thị thông minh", "an ninh số",
]  # fmt: skip


def _single_value_asks(questions: list[dict]) -> list[dict]:
    from assistant.direct import value_kind

    return [
        q
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["key_facts"]
        and q["gold"]
        and q["type"] not in ("multi_part", "scope", "multi_turn", "follow_up", "count", "list")
        and q["question"].count("?") <= 1
        and has_diacritics(q["question"])
        and value_kind(fold(q["question"]))
        and not re.search(r"\b(?:và|hoặc|với)\b.*\b(?:nào|gì|bao nhiêu|mấy|ai)\b", q["question"])
    ]


def _chunks(table):
    return {c.id: c for c in table.chunks}


def modifier_swaps(questions: list[dict], table) -> list[dict]:
    """near_modifier and its twin (see the module's docstring): a term of TOPICS the ask
    names, swapped for another that its gold clauses do not write and that no clause writes
    beside a figure (no document gives the value for it)."""
    chunks = _chunks(table)
    folded = [fold(c.embedding_text()).lower() for c in table.chunks]
    docs = [c.doc_id for c in table.chunks]

    def figured(term: str, in_docs: set[str]) -> bool:  # a clause of those documents writes it beside a figure
        key = f" {fold(term)} "
        return any(d in in_docs and key in f" {c} " and re.search(r"\d", c) for c, d in zip(folded, docs))

    out: list[dict] = []
    k = 0
    for q in _single_value_asks(questions):
        lower = q["question"].lower()
        gold = " ".join(
            fold(chunks[f"{g['doc']}:{g['clause']}"].embedding_text()).lower()
            for g in q["gold"]
            if f"{g['doc']}:{g['clause']}" in chunks
        )
        named = [t for t in TOPICS if re.search(rf"\b{t}\b", lower)]
        if len(named) != 1:
            continue
        in_docs = {g["doc"] for g in q["gold"]}
        free = [t for t in TOPICS if t not in lower and f" {fold(t)} " not in f" {gold} " and not figured(t, in_docs)]
        if not free:
            continue
        new = free[k % len(free)]
        k += 1
        at = lower.index(named[0])
        mutant = q["question"][:at] + new + q["question"][at + len(named[0]) :]
        out.append({"family": "near_modifier", "source": q["id"], "question": mutant, "expect": "refuse"})
        out.append(
            {
                "family": "twin_modifier",
                "source": q["id"],
                "question": q["question"],
                "expect": "answer",
                "key_facts": q["key_facts"],
            }
        )
    return out


def unit_swaps(questions: list[dict], table) -> list[dict]:
    """near_unit and its twin (see the module's docstring)."""
    chunks = _chunks(table)
    out: list[dict] = []
    k = 0
    for q in _single_value_asks(questions):
        m = ASKED_UNIT.search(q["question"].lower())
        if not m:
            continue
        gold = " ".join(
            fold(chunks[f"{g['doc']}:{g['clause']}"].embedding_text()).lower()
            for g in q["gold"]
            if f"{g['doc']}:{g['clause']}" in chunks
        )
        asked = m.group(0)
        for j in range(len(UNITS)):
            unit, stated = UNITS[(k + j) % len(UNITS)]
            if fold(unit.split()[-1]) in fold(asked) or re.search(stated, gold):
                continue
            k += 1
            mutant = q["question"][: m.start()] + unit + q["question"][m.end() :]
            out.append({"family": "near_unit", "source": q["id"], "question": mutant, "expect": "refuse"})
            out.append(
                {
                    "family": "twin_unit",
                    "source": q["id"],
                    "question": q["question"],
                    "expect": "answer",
                    "key_facts": q["key_facts"],
                }
            )
            break
    return out


# the years a near_year probe swaps in (the first its gold documents never write)
YEARS = ["2035", "2028", "2040", "2033", "2027", "2032"]
_ASKED_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# a document the ask names by its kind and number, as people write it (full or short)
_NAMED_DOC = re.compile(r"\b(?:Nghị quyết|Kế hoạch|Kết luận|NQ|KH|KL)\s*(?:số\s+)?(\d{1,3})\b")


def _twin(family: str, q: dict) -> dict:
    return {
        "family": family,
        "source": q["id"],
        "question": q["question"],
        "expect": "answer",
        "key_facts": q["key_facts"],
    }


def year_swaps(questions: list[dict], table) -> list[dict]:
    """near_year and its twin (see the module's docstring): the ask's one year swapped for
    the first of YEARS that no clause of its gold documents writes."""
    out: list[dict] = []
    for q in _single_value_asks(questions):
        years = _ASKED_YEAR.findall(q["question"])
        if len(set(years)) != 1:
            continue
        docs = {g["doc"] for g in q["gold"]}
        written = " ".join(fold(c.embedding_text()) for c in table.chunks if c.doc_id in docs)
        new = next((y for y in YEARS if not re.search(rf"\b{y}\b", written)), None)
        if new is None:
            continue
        mutant = re.sub(rf"\b{years[0]}\b", new, q["question"])
        out.append({"family": "near_year", "source": q["id"], "question": mutant, "expect": "refuse"})
        out.append(_twin("twin_year", q))
    return out


def doc_swaps(questions: list[dict], table) -> list[dict]:
    """near_doc and its twin (see the module's docstring): the named document's number
    raised by one until no document in the collection carries it."""
    numbers = {str(int(n)) for c in table.chunks for n in re.findall(r"\b(\d{1,3})\s*[-/]\s*(?:NQ|KH|KL|QĐ)", c.text)}
    out: list[dict] = []
    for q in _single_value_asks(questions):
        named = list(_NAMED_DOC.finditer(q["question"]))
        if len(named) != 1:
            continue
        m = named[0]
        number = int(m.group(1)) + 1
        while str(number) in numbers:
            number += 1
        written = f"{number:0{len(m.group(1))}d}"
        mutant = q["question"][: m.start(1)] + written + q["question"][m.end(1) :]
        out.append({"family": "near_doc", "source": q["id"], "question": mutant, "expect": "refuse"})
        out.append(_twin("twin_doc", q))
    return out


# -- probes made from the documents' clauses, not from the dev asks ---------------------------
# the documents as people name them in an ask (the texts that set figures and tasks)
DOC_NAMES = {
    "nq57": "Nghị quyết 57", "kh01": "Kế hoạch 01", "nq03": "Nghị quyết 03", "nq20": "Nghị quyết 20",
    "kl69": "Kết luận 69", "kh-vhl": "Kế hoạch của Viện Hàn lâm",
}  # fmt: skip
# topics a clause's figure may be of, with siblings an ask may put in their place (the same
# kind of thing; a sibling is swapped in only when no sentence writes it beside a figure)
SIBLINGS = TOPICS + [
    "kinh tế xanh", "kinh tế tuần hoàn", "công nghiệp văn hoá", "du lịch thông minh", "logistics",
    "sản phẩm nông nghiệp", "dịch vụ y tế từ xa", "thanh toán di động", "ô tô điện", "robot công nghiệp",
    "doanh nghiệp nhỏ và vừa", "hợp tác xã", "công nghệ lượng tử", "công nghệ vũ trụ", "dữ liệu lớn",
    # the documents' own subjects of figures (sources; swapped only for a sibling written beside none)
    "đổi mới sáng tạo", "giao dịch không dùng tiền mặt", "nghiên cứu phát triển", "công bố khoa học quốc tế",
    "năng suất nhân tố tổng hợp", "năng suất các nhân tố tổng hợp", "khu vực tư nhân", "kinh tế số các ngành",
]  # fmt: skip
_FIGURE = re.compile(
    r"(?P<subj>[^.;:!?]{8,140}?)\s+(?P<verb>đạt|chiếm|ở mức|tăng trung bình|hướng tới)\s+"
    r"(?P<hedge>(?:tối thiểu|trên|khoảng|ít nhất|hơn|đạt)\s+)*(?P<num>\d+(?:,\d+)?)\s*%(?P<tail>(?:\s+(?!trong\b|vào\b|và\b)\w+){0,2})"
)
_LEAD = re.compile(r"^[\s\-–•]*(?:[a-zđ]\)\s*|\d+\.\s*)?(?:(?:Đến|Phấn đấu đến) năm \d{4},?\s*)?")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+|\n", text) if s.strip()]


def _figured_anywhere(table, term: str) -> bool:
    """Some sentence of the documents writes the term beside a figure (a value of it)."""
    key = f" {fold(term).lower()} "
    for c in table.chunks:
        for s in _sentences(c.embedding_text()):
            f = " " + " ".join(_WORD.findall(fold(s).lower())) + " "
            if key in f and re.search(r"\d", s):
                return True
    return False


def figure_sources(table) -> list[tuple[Any, re.Match, str]]:
    """The clauses' sentences stating a share (``… đạt tối thiểu 30% GDP``) of a subject
    that names one of SIBLINGS: (the clause, the match, the subject's topic)."""
    out = []
    seen: set[str] = set()
    for c in table.chunks:
        if c.doc_id not in DOC_NAMES:
            continue
        for s in _sentences(c.text):
            m = _FIGURE.search(s)
            if not m:
                continue
            subj = _LEAD.sub("", m.group("subj").split(",")[-1]).strip()
            lower = subj.lower()
            named = [t for t in SIBLINGS if re.search(rf"\b{re.escape(t)}\b", lower)]
            key = fold(lower)
            if len(named) != 1 or key in seen or len(subj.split()) < 3:
                continue
            seen.add(key)
            out.append((c, m, named[0]))
    return out


def figure_swaps(table) -> list[dict]:
    """near_clause and its twin: a clause's share asked of its own subject (the twin, the
    figure its key fact) and of the subject with its topic swapped for a sibling no sentence
    of the documents writes beside a figure (``quy mô kinh tế tuần hoàn đạt tối thiểu bao
    nhiêu phần trăm GDP``): a figure no document gives."""
    free = [t for t in SIBLINGS if not _figured_anywhere(table, t)]
    out: list[dict] = []
    for k, (c, m, topic) in enumerate(figure_sources(table)):
        subj = re.sub(r"\s*\([^)]*\)", "", _LEAD.sub("", m.group("subj").split(",")[-1])).strip()
        if not subj.split()[1][0].isupper():  # "Việt Nam có quy mô …" keeps its name
            subj = subj[0].lower() + subj[1:]
        hedge = (m.group("hedge") or "").strip()
        tail = m.group("tail").rstrip()
        ask = f"{subj} {m.group('verb')}{' ' + hedge if hedge else ''} bao nhiêu phần trăm{tail}"
        twin = f"Theo {DOC_NAMES[c.doc_id]}, {ask}?"
        others = [t for t in free if t != topic and t not in subj.lower()]
        new = others[k % len(others)]
        at = ask.lower().index(topic)
        mutant = f"Theo {DOC_NAMES[c.doc_id]}, {ask[:at]}{new}{ask[at + len(topic) :]}?"
        out.append({"family": "near_clause", "source": c.id, "question": mutant, "expect": "refuse"})
        out.append(
            {
                "family": "twin_clause",
                "source": c.id,
                "question": twin,
                "expect": "answer",
                "key_facts": [f"{m.group('num')}%"],
            }
        )
    return out


# the properties a near_property probe asks of a real task, with a pattern over the folded
# clause that states a value of that kind (when it matches, the ask is answerable)
PROPERTIES = [
    ("Kinh phí thực hiện {task} là bao nhiêu tỷ đồng?", r"\d[\d.,]*\s*(?:nghin |trieu |ty )?(?:dong|usd)\b"),
    ("{task} cần huy động bao nhiêu người tham gia?", r"\d[\d.,]*\s*(?:\S+\s+){0,2}(?:nguoi|can bo|nha khoa hoc|chuyen gia)\b"),
    ("{task} được triển khai tại địa điểm nào?", r"\b(?:tai|o) (?:ha noi|tp|thanh pho|tinh|da nang)\b"),
    ("Tỉ lệ hoàn thành {task} phải đạt bao nhiêu phần trăm?", r"\d\s*%"),
    ("{task} có tổng số tiền đầu tư là bao nhiêu?", r"\d[\d.,]*\s*(?:nghin |trieu |ty )?(?:dong|usd)\b"),
]  # fmt: skip
_INITIATIVE = re.compile(r"^\W*(Sáng kiến (\d+)):\s*([^-–.;:]{4,90}?)\s*(?:[-–.;:]|$)")


def property_swaps(table) -> list[dict]:
    """near_property and its twin: a breakthrough initiative of the plan (``Sáng kiến 25: Văn
    hoá đổi mới``) asked by its name (the twin: the name its key fact) and asked a property
    its clause states no value of (kinh phí, số người, địa điểm, tỉ lệ, số tiền)."""
    out: list[dict] = []
    k = 0
    for c in table.chunks:
        m = _INITIATIVE.match(c.text)
        if not m or c.doc_id not in DOC_NAMES:
            continue
        said = fold(c.embedding_text()).lower()
        doc = DOC_NAMES[c.doc_id]
        for j in range(len(PROPERTIES)):
            ask, stated = PROPERTIES[(k + j) % len(PROPERTIES)]
            if re.search(stated, said):
                continue
            k += 1
            task = f"{m.group(1)} ({m.group(3).strip()})"
            q = ask.format(task=task)
            mutant = f"Theo {doc}, {q[0].lower() + q[1:] if q.startswith('Kinh') or q.startswith('Tỉ') else q}"
            out.append({"family": "near_property", "source": c.id, "question": mutant, "expect": "refuse"})
            out.append(
                {
                    "family": "twin_property",
                    "source": c.id,
                    "question": f"Theo {doc}, {m.group(1)} có tên là gì?",
                    "expect": "answer",
                    "key_facts": [m.group(3).strip()],
                }
            )
            break
    return out


# a body a clause gives a task ("Bộ Tài chính chủ trì, … bảo đảm nguồn kinh phí …")
_BODY_TASK = re.compile(
    r"(?:^|[-–.;]\s*|\d\.\s*)((?:Bộ|Ban|Văn phòng|Uỷ ban|Ủy ban|Đảng đoàn|Ngân hàng Nhà nước)[^,;.:()]{0,60}?)"
    r"\s+(?:chủ trì|có trách nhiệm|chịu trách nhiệm|được giao|chỉ đạo)\b[,\s]*"
    r"(?:phối hợp với (?:các )?(?:bộ, ngành, địa phương|cơ quan liên quan|ban đảng, ban cán sự đảng, đảng đoàn, đảng uỷ trực thuộc Trung ương)\s*)?"
    r"(?:việc\s+)?(?P<task>[^;.]{12,200})"
)
# bodies an ask may name instead (named by the documents, never given these tasks)
BODIES = [
    "Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ",
    "Bộ Công Thương", "Bộ Tư pháp", "Ngân hàng Nhà nước Việt Nam", "Bộ Xây dựng",
]  # fmt: skip


def _body_tasks(chunk):
    """(body, task words) for each task the clause gives a body (_BODY_TASK; the task's first
    ten words, its trailing link words dropped; not the Ban Chỉ đạo's own tasks)."""
    for m in _BODY_TASK.finditer(chunk.text):
        words = m.group("task").split()[:10]
        while words and (
            words[-1] in ("theo", "và", "của", "các", "cho", "với", "tạo", "cơ") or words[-1].endswith(",")
        ):
            words.pop()
        body = m.group(1).strip()
        if not body.startswith("Ban Chỉ đạo"):
            yield body, words


def body_swaps(table) -> list[dict]:
    """near_body and its twin: a task a clause gives a body, asked who leads it (the twin:
    the body its key fact) and asked what another body (one no clause of the document gives
    that task) is to do about it: a pairing no document makes."""
    out: list[dict] = []
    k = 0
    for c in table.chunks:
        if c.doc_id not in DOC_NAMES:
            continue
        for body, words in _body_tasks(c):
            task = " ".join(words)
            doc_text = " ".join(x.text for x in table.chunks if x.doc_id == c.doc_id)
            others = [b for b in BODIES if b not in doc_text]
            if not others:
                continue
            other = others[k % len(others)]
            k += 1
            doc = DOC_NAMES[c.doc_id]
            out.append(
                {
                    "family": "near_body",
                    "source": c.id,
                    "question": f"Theo {doc}, {other} chịu trách nhiệm gì trong việc {task}?",
                    "expect": "refuse",
                }
            )
            out.append(
                {
                    "family": "twin_body",
                    "source": c.id,
                    "question": f"Theo {doc}, cơ quan nào chủ trì việc {task}?",
                    "expect": "answer",
                    "key_facts": [body],
                }
            )
            break
    return out


# the heads of a body's name (the abstention's intent.toml body_head) a near_newbody probe
# puts before a topic of the documents: a body no document names ("Ban Kinh tế số")
NEW_BODY_HEADS = ["Ban", "Vụ", "Cục", "Hội đồng", "Văn phòng"]
NEW_BODY_MOST = 40  # probes of the family (each with its twin)


def newbody_swaps(table) -> list[dict]:
    """near_newbody and its twin (held out: made after the unwritten_name check, issue 10.7
    wave 14): a task a clause gives a body, asked of a body made of a head and a topic of
    the documents (SIBLINGS) that no document writes with that head ("Ban Kinh tế tuần
    hoàn"): a body not among the texts; twin_newbody: who leads the task (the body its key
    fact)."""
    from retrieval.text import fold as fold_text

    runs = " | ".join(" ".join(re.findall(r"\w+", fold_text(c.text).lower())) for c in table.chunks)
    out: list[dict] = []
    k = 0
    for c in table.chunks:
        if c.doc_id not in DOC_NAMES or len(out) >= 2 * NEW_BODY_MOST:
            continue
        for body, words in _body_tasks(c):
            task = " ".join(words)
            if len(words) < 3:
                continue
            for _ in range(len(SIBLINGS)):
                head, topic = NEW_BODY_HEADS[k % len(NEW_BODY_HEADS)], SIBLINGS[k % len(SIBLINGS)]
                k += 1
                name = f"{head} {topic[0].upper()}{topic[1:]}"
                said = " ".join(re.findall(r"\w+", fold_text(" ".join(name.split()[: len(head.split()) + 2])).lower()))
                if f" {said} " not in f" {runs} ":
                    break
            else:
                continue
            doc = DOC_NAMES[c.doc_id]
            out.append(
                {
                    "family": "near_newbody",
                    "source": c.id,
                    "question": f"Theo {doc}, {name} chủ trì việc gì liên quan đến {task}?",
                    "expect": "refuse",
                }
            )
            out.append(
                {
                    "family": "twin_newbody",
                    "source": c.id,
                    "question": f"Theo {doc}, cơ quan nào chủ trì việc {task}?",
                    "expect": "answer",
                    "key_facts": [body],
                }
            )
    return out


def half(probe: dict) -> str:
    """The probe's half by its source (a dev ask or a clause): "tune" (mechanisms are fitted
    on it) or "check" (read only to report)."""
    import zlib

    return "tune" if zlib.crc32(probe["source"].encode()) % 2 == 0 else "check"


def generate(questions: list[dict], table) -> list[dict]:
    dev = [q for q in questions if q.get("split") == "dev"]
    return (
        modifier_swaps(dev, table)
        + unit_swaps(dev, table)
        + year_swaps(dev, table)
        + doc_swaps(dev, table)
        + figure_swaps(table)
        + property_swaps(table)
        + body_swaps(table)
        + newbody_swaps(table)
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path)
    ap.add_argument("--family", default="")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    from assistant import Assistant, load_settings
    from scripts.dialog_probes import run

    app = Assistant(load_settings())
    if args.write:
        questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
        probes = generate(questions, app.searcher.table)
        args.write.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in probes), encoding="utf-8")
        print(f"{len(probes)} probes → {args.write}")
        return 0
    probes = [json.loads(line) for line in PROBES.open(encoding="utf-8")]
    if args.family:
        probes = [p for p in probes if p["family"] == args.family]
    halves = {"tune": [p for p in probes if half(p) == "tune"], "check": [p for p in probes if half(p) == "check"]}
    for name, rows in halves.items():
        print(f"-- {name}")
        _report(run(rows, app), args.v)
    return 0


def _report(scores: dict, verbose: bool) -> None:
    for family, s in sorted(scores.items()):
        line = f"{family:14} {s['ok']:3}/{s['n']:<3}"
        if family.startswith("twin"):
            line += f"  facts {s['facts'] / s['n']:.3f}"
        print(line)
        if verbose:
            for f in s["fail"]:
                print("    ", f)


if __name__ == "__main__":
    raise SystemExit(main())
