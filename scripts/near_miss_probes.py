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


def generate(questions: list[dict], table) -> list[dict]:
    dev = [q for q in questions if q.get("split") == "dev"]
    return modifier_swaps(dev, table) + unit_swaps(dev, table) + year_swaps(dev, table) + doc_swaps(dev, table)


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
    for family, s in sorted(run(probes, app).items()):
        line = f"{family:14} {s['ok']:3}/{s['n']:<3}"
        if family.startswith("twin"):
            line += f"  facts {s['facts'] / s['n']:.3f}"
        print(line)
        if args.v:
            for f in s["fail"]:
                print("    ", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
