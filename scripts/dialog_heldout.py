"""Held-out conversation probes: forms that scripts/dialog_probes.py does not generate,
written before the condenser and the multi-part splitter were changed for them, from the
dev split's answerable questions and the document tree (no val or test row is read):

- slot_body (key facts kept): the body of a dev question asked first of another body the
  texts name, then "thế <body> thì sao?", "bên <body> thì thế nào", "Vậy còn <body>?";
- slot_body_absent (must refuse): after a real question about a body, "còn Bộ Y tế thì
  sao?" for a body the texts never name;
- slot_doc (key facts kept): the document of a dev question asked first of another
  document, then "thế còn <document>?", "<document> thì sao";
- slot_period (key facts kept): a year written without "năm" ("đến 2030") or a period
  ("giai đoạn 2028 - 2030") asked first of another, then "còn 2045?", "mốc 2030 thì thế nào";
- slot_item (key facts kept): the numbered part of a dev question ("Sáng kiến 12") asked
  first of its neighbour, then "còn sáng kiến 12?", "thế sáng kiến 12 thì sao";
- answer_body (key facts kept): a first turn whose ANSWER names a body (a dev "who" ask),
  then a dev question about that body with the body said as "cơ quan đó", "đơn vị này";
- answer_part (key facts kept): a first turn whose answer names the initiative ("Kế hoạch
  01 có sáng kiến nào về …?"), then "sáng kiến vừa nêu", "dự án đó", "sáng kiến ấy";
- task_lead (key facts kept): "<Document> có nêu việc <task> không?", then "việc này ai
  làm?", "vậy ai chủ trì việc đó?" (the body of the dev "who leads <task>" ask);
- figure_ref (key facts kept): a figure asked of the other year first, then "chỉ tiêu ấy
  năm 2045 là bao nhiêu?", "con số đó đến 2030 thì sao";
- list_pick (key facts: the item's title, read from the tree): a dev list or count ask
  whose clause has numbered items, then "cái thứ 3 là gì?", "nhóm 2 gồm gì", "ý thứ hai",
  "cái cuối cùng là gì";
- answer_who (key facts: the body): "Trong Chương trình hành động của Chính phủ, cơ quan
  nào …?", then "Cơ quan đó còn phải làm gì nữa?" (the body the answer names, not the frame);
- untoned: the follow-ups above (every other one) typed without marks, first turn too;
- multi_absent (key facts of the answerable ask, and the absent ask said absent): a dev
  question and a near miss of another (a body or a year the texts never hold) in one message;
- multi_bare (key facts of both): two dev asks joined without punctuation ("… và …
  luôn", "… với cả …", "… rồi …");
- multi_tail (key facts of both): a dev ask and the dev "who" or "when" ask of the same
  clause joined with no punctuation ("… và ai chủ trì … luôn");
- slot_time (key facts kept; added later, tune/check halves): a dev question with one target
  year and one dated document asked first of the other target year, then the year said in
  words ("cuối thập kỷ này", "5 năm tới" from the document's date; "15 năm sau đó" from the
  first turn's year; "giữa thế kỷ 21");
- multi_more (key facts of the second ask; added later, tune/check halves in runs of the
  forms): the first turn and the slot of the slot_* probes asked as one message, the second
  ask naming only the slot ("…, còn năm 2045 nữa?", "…; còn Sáng kiến 24 nữa", "… còn Bộ Công
  an thì thế nào?");
- period_step (key facts kept; added later, tune/check halves): a dev question about a
  period of Kế hoạch 01 (2025 - 2027, 2028 - 2030) asked first of its neighbour, then
  "còn giai đoạn tiếp theo thì sao?", "thế giai đoạn trước đó thì sao?";
- pick_back (key facts: the item's title; added later, tune/check halves): a list_pick list
  ask, "Cái thứ nhất là gì?", then another item picked from the list two turns back ("còn cái
  thứ 3?", "vậy cái cuối cùng trong danh sách đó là gì?");
- pick_both (key facts: both titles; added later, tune/check halves): two items of the list
  picked in one message ("cái thứ nhất và cái thứ 3 là gì?");
- topic_switch (key facts of the new question; added later, tune/check halves): a dev
  question about one document, then an unrelated dev question naming another document (not
  to be read with the first).

    python scripts/dialog_heldout.py --write     # generate tests/assistant/probes_heldout.jsonl
    python scripts/dialog_heldout.py --append    # add the families the file lacks (NEW_FAMILIES)
    python scripts/dialog_heldout.py [-v]        # run and score
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from dialog_probes import ABSENT_BODIES, run  # noqa: E402

from retrieval.rules import load_rules  # noqa: E402
from retrieval.text import fold, fold_aligned, has_diacritics  # noqa: E402

PROBES = ROOT / "tests" / "assistant" / "probes_heldout.jsonl"

# bodies the texts name, as written: the other body a first turn asks about
OTHER_BODIES = [
    "Bộ Công an",
    "Bộ Tài chính",
    "Ban Tuyên giáo Trung ương",
    "Bộ Khoa học và Công nghệ",
    "Đảng đoàn Quốc hội",
    "Bộ Giáo dục và Đào tạo",
]
# bodies a question names as its frame, not as the actor asked about
NOT_SWAPPED = ("chinh phu", "quoc hoi", "bo chinh tri", "ban chi dao trung uong", "ban chap hanh trung uong")
BODY_FORMS = ["thế {} thì sao?", "Vậy còn {}?", "bên {} thì thế nào", "{} thì sao", "còn {} nữa?"]
ABSENT_FORMS = ["còn {} thì sao?", "thế {} thì sao", "Vậy còn {}?", "{} thì thế nào?"]
DOCS = ["Nghị quyết 57", "Nghị quyết 03", "Kế hoạch 01", "Kết luận 69", "Nghị quyết 20"]
DOC_FORMS = ["thế còn {}?", "Còn {} thì sao?", "vậy {} thì thế nào", "{} thì sao", "Thế với {} thì sao?"]
YEAR_FORMS = ["còn {}?", "đến {} thì sao", "mốc {} thì thế nào", "Thế còn {} thì sao?"]
PERIOD_FORMS = ["còn giai đoạn {} thì sao?", "thế giai đoạn {}?", "Giai đoạn {} thì thế nào?"]
ITEM_FORMS = ["còn {}?", "thế {} thì sao", "{} thì thế nào?", "Vậy còn {} thì sao?", "còn {} nữa"]
BODY_REFS = ["cơ quan đó", "đơn vị này", "cơ quan ấy", "cơ quan vừa nêu"]
PART_REFS = ["sáng kiến vừa nêu", "dự án đó", "sáng kiến ấy", "cái sáng kiến đó"]
LEAD_FORMS = ["Việc này ai làm?", "vậy ai chủ trì việc đó?", "Cơ quan nào phụ trách việc ấy?", "việc đó do ai chủ trì"]
FIGURE_FORMS = ["chỉ tiêu ấy năm {} là bao nhiêu?", "con số đó đến {} thì sao", "Mức đó vào năm {} là bao nhiêu?"]
ORDINALS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu"}
PICK_FORMS = [
    "cái thứ {n} là gì?",
    "{kind} {n} gồm gì?",
    "ý thứ {w} nói gì",
    "thứ {n} là gì vậy",
    "cái cuối cùng là gì?",
]
BARE_JOINS = ["{} và {} luôn", "{} với cả {}", "{} rồi {} nữa", "{} đồng thời cho hỏi {}"]


def _base(questions: list[dict]) -> list[dict]:
    return [
        q
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["key_facts"]
        and q["type"] not in ("multi_part", "scope", "multi_turn", "follow_up")
        and q["question"].count("?") <= 1
    ]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    words = text.split()
    return text[:1].lower() + text[1:] if len(words) > 1 and not words[1][:1].isupper() else text


def _probe(family: str, source: str, history: list[str], question: str, facts: list[str], **extra) -> dict:
    return {
        "family": family,
        "source": source,
        "history": history,
        "question": question,
        "expect": "answer",
        "key_facts": facts,
        **extra,
    }


def slot_bodies(questions: list[dict], corpus: str) -> list[dict]:
    """slot_body and slot_body_absent."""
    bodies = sorted(load_rules("entities").word_set("bodies"), key=len, reverse=True)
    body_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(b) for b in bodies) + r")(?!\w)", re.IGNORECASE)
    absent = [b for b in ABSENT_BODIES if fold(b) not in corpus]
    out: list[dict] = []
    n_absent = 0
    for q in _base(questions):
        text = q["question"]
        if not has_diacritics(text) or re.search(r"(?i)\b(?:tôi|em|mình)\s+(?:là|làm|đang)\b", text):
            continue  # the asker's own work: no body asked about
        found = [m for m in body_re.finditer(fold_aligned(text)) if m.group(0) not in NOT_SWAPPED]
        if len(found) != 1 or not text[found[0].start()].isupper():
            continue
        m = found[0]
        name = text[m.start() : m.end()]
        other = next(b for b in OTHER_BODIES[len(out) % len(OTHER_BODIES) :] + OTHER_BODIES if fold(b) != fold(name))
        first = text[: m.start()] + other + text[m.end() :]
        form = BODY_FORMS[len(out) % len(BODY_FORMS)]
        out.append(_probe("slot_body", q["id"], [first], _cap(form.format(name)), q["key_facts"]))
        if absent and len(out) % 4 == 1:
            body = absent[n_absent % len(absent)]
            follow = _cap(ABSENT_FORMS[n_absent % len(ABSENT_FORMS)].format(body))
            n_absent += 1
            out.append({"family": "slot_body_absent", "source": q["id"], "history": [text], "question": follow,
                        "expect": "refuse"})  # fmt: skip
    return out


def slot_docs(questions: list[dict], recognizer, limit: int = 30) -> list[dict]:
    """slot_doc: the question's one document asked first of another."""
    kinds = {d.id for d in recognizer.documents}
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        if not has_diacritics(text) or q["type"] not in ("fact", "list", "responsibility", "deadline", "count"):
            continue
        mentions = [m for m in recognizer.mentions(text) if m.designates]
        if len(mentions) != 1 or len({m.doc_id for m in recognizer.mentions(text)}) != 1 or not kinds:
            continue
        m = mentions[0]
        name = text[m.start : m.end]
        others = [d for d in DOCS if recognizer.mentions(d) and recognizer.mentions(d)[0].doc_id != m.doc_id]
        other = others[len(out) % len(others)]
        first = _cap(text[: m.start] + other + text[m.end :])
        form = DOC_FORMS[len(out) % len(DOC_FORMS)]
        out.append(_probe("slot_doc", q["id"], [first], _cap(form.format(name)), q["key_facts"]))
        if len(out) >= limit:
            break
    return out


_BARE_YEAR = re.compile(r"(?<![\d/\-–])(?<!năm )(?<!nam )\b(20[2-5]\d)\b(?!\s*[-–/]\s*\d)")
_PERIOD = re.compile(r"\b(20[2-5]\d)\s*[-–]\s*(20[2-5]\d)\b")
PERIODS = ["2025 - 2027", "2028 - 2030", "2031 - 2045"]


def slot_periods(questions: list[dict]) -> list[dict]:
    """slot_period: a year written without "năm", or a period, asked first of another."""
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        periods = list(_PERIOD.finditer(text))
        years = [] if periods else list(_BARE_YEAR.finditer(text))
        if len(periods) == 1:
            m = periods[0]
            said = f"{m.group(1)} - {m.group(2)}"
            if said not in PERIODS:
                continue
            other = PERIODS[(PERIODS.index(said) + 1) % len(PERIODS)]
            first = text[: m.start()] + other + text[m.end() :]
            follow = PERIOD_FORMS[len(out) % len(PERIOD_FORMS)].format(text[m.start() : m.end()])
        elif len(years) == 1:
            m = years[0]
            y = m.group(1)
            other = "2045" if y != "2045" else "2030"
            first = text[: m.start(1)] + other + text[m.end(1) :]
            follow = YEAR_FORMS[len(out) % len(YEAR_FORMS)].format(y)
        else:
            continue
        if not has_diacritics(text):
            follow = fold(follow)
        out.append(_probe("slot_period", q["id"], [first], _cap(follow), q["key_facts"]))
    return out


_PART = re.compile(r"\b([Ss]áng kiến|[Hh]ệ thống)\s+(\d{1,2})\b(?!\s*[-–/])")


def slot_items(questions: list[dict]) -> list[dict]:
    """slot_item: the question's numbered part asked first of its neighbour."""
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        found = list(_PART.finditer(text))
        if len(found) != 1 or not has_diacritics(text) or text[: found[0].start()].rstrip().endswith("("):
            continue
        m = found[0]
        n, top = int(m.group(2)), (30 if fold(m.group(1)).lower() == "sang kien" else 6)
        if n > top:
            continue
        other = n + 1 if n < top else n - 1
        first = text[: m.start(2)] + str(other) + text[m.end(2) :]
        form = ITEM_FORMS[len(out) % len(ITEM_FORMS)]
        out.append(
            _probe("slot_item", q["id"], [first], _cap(form.format(f"{m.group(1).lower()} {n}")), q["key_facts"])
        )
    return out


def answer_bodies(questions: list[dict]) -> list[dict]:
    """answer_body: a first turn whose gold answer names body B (a dev "who" ask), then a
    dev question naming B with B said as "cơ quan đó"."""
    base = [q for q in _base(questions) if has_diacritics(q["question"])]
    who = [
        q
        for q in base
        if q["type"] == "responsibility" and re.match(r"(?i)\s*(?:ai|cơ quan nào|bộ nào)\b", q["question"])
    ]
    who += [q for q in base if re.search(r"(?i)\b(?:do ai|cơ quan nào|bộ nào)\b", q["question"]) and q not in who]
    out: list[dict] = []
    used: set[str] = set()
    for w in who:
        for fact in w["key_facts"]:
            if not re.match(r"(?:Bộ|Ban|Văn phòng|Đảng đoàn|Ủy ban|Uỷ ban|Mặt trận)\s+[A-ZĐ]", fact):
                continue
            for q in base:
                if q["id"] in (w["id"], *used) or q["type"] == "multi_part":
                    continue
                i = q["question"].find(fact)
                if i < 0 or q["question"].count(fact) > 1 or fact in " ".join(q["key_facts"]):
                    continue  # the body is what the question asks: not a reference
                word = BODY_REFS[len(out) % len(BODY_REFS)]
                follow = _cap(q["question"][:i] + word + q["question"][i + len(fact) :])
                out.append(_probe("answer_body", f"{w['id']}>{q['id']}", [w["question"]], follow, q["key_facts"]))
                used.add(q["id"])
                break
            break
    return out


def answer_parts(questions: list[dict], table) -> list[dict]:
    """answer_part: "Kế hoạch 01 có sáng kiến nào về <title>?", then the dev question with
    its initiative said as "sáng kiến vừa nêu", "dự án đó"."""
    from dialog_probes import _titles

    titles = _titles(table)
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        found = list(re.finditer(r"\b[Ss]áng kiến\s+(\d{1,2})\b(?:\s+(?:của|trong)\s+(?:KH01|Kế hoạch 01))?", text))
        if len(found) != 1 or not has_diacritics(text) or int(found[0].group(1)) not in titles:
            continue
        m = found[0]
        if text[: m.start()].rstrip().endswith("(") or re.search(r"\b(?:KH01|Kế hoạch 01)\b", text[m.end() :]):
            continue
        title = titles[int(m.group(1))]
        first = f"Trong Kế hoạch 01, sáng kiến nào nói về {title[:1].lower() + title[1:]}?"
        word = PART_REFS[len(out) % len(PART_REFS)]
        out.append(
            _probe("answer_part", q["id"], [first], _cap(text[: m.start()] + word + text[m.end() :]), q["key_facts"])
        )
    return out


_LEAD_ASK = re.compile(
    r"(?i)^\s*(?:(?P<doc>theo [^,]+),\s*)?(?:ai|cơ quan nào|bộ nào|đơn vị nào)\s+(?P<task>[^?]{8,})\?\s*$"
)


def task_leads(questions: list[dict], recognizer) -> list[dict]:
    """task_lead: "<Document> có nêu việc <task> không?", then "Việc này ai làm?"."""
    out: list[dict] = []
    for q in _base(questions):
        m = _LEAD_ASK.match(q["question"])
        if not m or not has_diacritics(q["question"]):
            continue
        task = m.group("task").strip()
        if re.match(r"(?i)(?:là|làm)\b", task) or re.search(r"(?i)\b(?:gì|nào|ai)\b", task):
            continue  # "ai là …", "ai làm Trưởng ban": no task; a second ask in it
        doc = m.group("doc")
        mention = next((x for x in recognizer.mentions(q["question"]) if x.designates), None)
        if doc:
            name = doc[5:].strip()
        elif mention:
            name = q["question"][mention.start : mention.end]
            task = task.replace(name, "").strip(" ,")
        else:
            continue
        first = f"{_cap(name)} có nêu việc {task} không?"
        out.append(_probe("task_lead", q["id"], [first], LEAD_FORMS[len(out) % len(LEAD_FORMS)], q["key_facts"]))
    return out


def figure_refs(questions: list[dict]) -> list[dict]:
    """figure_ref: the question asked of the other year first, then "chỉ tiêu ấy năm Y"."""
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        if not has_diacritics(text) or not re.search(r"\b(?:bao nhiêu|mấy)\b", text):
            continue
        years = list(re.finditer(r"\b(20[2-5]\d)\b", text))
        if len(years) != 1 or years[0].group(1) not in ("2030", "2045") or _PERIOD.search(text):
            continue
        m = years[0]
        y = m.group(1)
        other = "2045" if y == "2030" else "2030"
        first = text[: m.start(1)] + other + text[m.end(1) :]
        out.append(
            _probe(
                "figure_ref",
                q["id"],
                [first],
                _cap(FIGURE_FORMS[len(out) % len(FIGURE_FORMS)].format(y)),
                q["key_facts"],
            )
        )
    return out


_MARKED = re.compile(r"^\s*(?:[-+•]\s+|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}\s*[.)-]\s*|[A-ZĐ]\s*-\s+)")


def _item_title(text: str) -> str:
    body = _MARKED.sub("", _MARKED.sub("", text, count=1).strip(), count=1).strip()
    body = re.sub(r"^(?:Thứ\s+\w+,\s*)", "", body)
    label = re.match(r"(?:Sáng kiến|Hệ thống|Giải pháp)\s+\d+\s*:\s*", body)
    if label:
        body = body[label.end() :]
    head = re.split(r"\s+[-–]\s+|[:;.(]", body, maxsplit=1)[0]
    words = head.replace(",", " ,").split()[:5]
    return " ".join(words).replace(" ,", ",").rstrip(",")


def list_picks(questions: list[dict], table) -> list[dict]:
    """list_pick: a list or count ask whose clause has numbered items, then the k-th picked."""
    out: list[dict] = []
    for q in _base(questions):
        if q["type"] not in ("list", "count") or not has_diacritics(q["question"]):
            continue
        golds = [f"{g['doc']}:{g['clause']}" for g in q["gold"]]
        parent = {c: p for p in table.children for c in [k.id for k in table.children[p]]}
        lists = [parent[c] for c in golds if c in parent]
        # several gold items of one heading: the question asks for that heading's items
        heads = [h for h in dict.fromkeys(lists) if lists.count(h) >= 2] or golds
        for head in heads:
            kids = [k for k in table.children.get(head, []) if _MARKED.match(k.text)]
            if len(kids) >= 3:
                break
        else:
            continue
        form = PICK_FORMS[len(out) % len(PICK_FORMS)]
        k = len(kids) if "cuối" in form else 2 + len(out) % (min(len(kids), 5) - 1)
        fact = _item_title(kids[k - 1].text)
        if len(fact.split()) < 2:
            continue
        kind = re.search(
            r"\b(?:những|các|mấy|bao nhiêu)\s+(nhóm|hệ thống|giải pháp|quan điểm|tầng|tiêu chí|giai đoạn|điểm)\b",
            q["question"],
            re.IGNORECASE,
        )
        if "{kind}" in form and not kind:
            form = PICK_FORMS[0]
        follow = form.format(n=k, w=ORDINALS.get(k, str(k)), kind=kind.group(1).lower() if kind else "")
        out.append(_probe("list_pick", f"{q['id']}#{k}", [q["question"]], _cap(follow), [fact]))
    return out


BACK_FORMS = [
    "còn cái thứ {n}?",
    "thế cái thứ {w} thì sao",
    "vậy cái cuối cùng trong danh sách đó là gì?",
    "còn ý thứ {w} trong danh sách lúc nãy?",
]
BOTH_FORMS = [
    "cái thứ nhất và cái thứ {n} là gì?",
    "Ý thứ nhất là gì, và ý thứ {w} là gì?",
    "cho hỏi cái đầu tiên với cái thứ {n}",
]


def _titled(items: list[str]) -> list[str]:
    return [_item_title(t) for t in items]


def pick_backs(picks: list[dict], table) -> list[dict]:
    """pick_back (key facts: the item's title; added later, tune/check halves): the list
    ask of a list_pick probe, then "cái thứ nhất là gì?", then another item picked from the
    list two turns back ("còn cái thứ 3?", "vậy cái cuối cùng trong danh sách đó là gì?")."""
    out: list[dict] = []
    for p in picks:
        source, k = p["source"].split("#")
        kids = _pick_items(p, table)
        if not kids or int(k) == 1:
            continue
        form = BACK_FORMS[len(out) % len(BACK_FORMS)]
        n = len(kids) if "cuối" in form else int(k)
        fact = _item_title(kids[n - 1])
        if len(fact.split()) < 2:
            continue
        follow = _cap(form.format(n=n, w=ORDINALS.get(n, str(n))))
        out.append(_probe("pick_back", f"{source}#{n}", [p["history"][0], "Cái thứ nhất là gì?"], follow, [fact]))
    return out


def pick_boths(picks: list[dict], table) -> list[dict]:
    """pick_both (key facts: both titles; added later, tune/check halves): the list ask of a
    list_pick probe, then two items picked in one message ("cái thứ nhất và cái thứ 3 là gì?")."""
    out: list[dict] = []
    for p in picks:
        source, k = p["source"].split("#")
        kids = _pick_items(p, table)
        n = int(k)
        if not kids or n == 1 or n > len(kids):
            continue
        facts = [_item_title(kids[0]), _item_title(kids[n - 1])]
        if min(len(f.split()) for f in facts) < 2:
            continue
        follow = _cap(BOTH_FORMS[len(out) % len(BOTH_FORMS)].format(n=n, w=ORDINALS.get(n, str(n))))
        out.append(_probe("pick_both", f"{source}#1+{n}", p["history"][:1], follow, facts))
    return out


def _pick_items(probe: dict, table) -> list[str]:
    """The items of the list a list_pick probe's first turn asks for (as list_picks finds them)."""
    fact = probe["key_facts"][0]
    for kids in table.children.values():
        marked = [k.text for k in kids if _MARKED.match(k.text)]
        if len(marked) >= 3 and fact in _titled(marked):
            return marked
    return []


def topic_switches(questions: list[dict], recognizer, limit: int = 30) -> list[dict]:
    """topic_switch (key facts of the new question; added later, tune/check halves): a dev
    question about one document, then a dev question that names another document and asks
    something else: it is a new question, not to be read with the first."""
    base = [q for q in _base(questions) if has_diacritics(q["question"])]
    named = [(q, {m.doc_id for m in recognizer.mentions(q["question"]) if m.designates}) for q in base]
    named = [(q, d) for q, d in named if len(d) == 1]
    out: list[dict] = []
    for i, (q, docs) in enumerate(named):
        first = next((a for a, d in named[i + 1 :] + named[:i] if d != docs and a["type"] != q["type"]), None)
        if first is None:
            continue
        out.append(_probe("topic_switch", q["id"], [first["question"]], q["question"], q["key_facts"]))
        if len(out) >= limit:
            break
    return out


# how a document is named with the body that issued it (a body the question names as its frame)
FRAMED_DOCS = {
    "nq03": "Chương trình hành động của Chính phủ",
    "kh01": "Kế hoạch hành động của Ban Chỉ đạo Trung ương",
    "nq57": "Nghị quyết 57 của Bộ Chính trị",
    "kl69": "Kết luận 69 của Bộ Chính trị",
    "nq20": "Nghị quyết 20 của Ban Chấp hành Trung ương",
}
WHO_FORMS = ["Cơ quan đó còn phải làm gì nữa?", "đơn vị ấy báo cáo cho ai?", "Vậy cơ quan này có trách nhiệm gì?"]


def answer_who(table) -> list[dict]:
    """answer_who (key facts: the body): "Trong <document named with its issuing body>, cơ
    quan nào <what a clause of its closing part says the body does>?", then "Cơ quan đó …"
    (the body the answer names, not the one the question names as its frame); from the
    clauses that open with a body (entities.toml) followed by what it does."""
    bodies = sorted(load_rules("entities").word_set("bodies"), key=len, reverse=True)
    body_re = re.compile(r"^\W*(?:\d{1,2}\s*[.)-]\s*)?(" + "|".join(re.escape(b) for b in bodies) + r")\s+(?!va\b|,)")
    out: list[dict] = []
    for c in table.chunks:
        if c.doc_id not in FRAMED_DOCS or "|" in c.text:
            continue
        m = body_re.match(fold_aligned(c.text))
        if not m or fold(FRAMED_DOCS[c.doc_id]).find(m.group(1)) >= 0:
            continue
        words = c.text[m.end() :].split(";")[0].split(".")[0].split()
        if len(words) < 6:
            continue
        body = c.text[m.start(1) : m.end(1)]
        doing = " ".join(words[:8]).rstrip(",")
        first = f"Trong {FRAMED_DOCS[c.doc_id]}, cơ quan nào {doing[:1].lower() + doing[1:]}?"
        out.append(_probe("answer_who", c.id, [first], WHO_FORMS[len(out) % len(WHO_FORMS)], [body]))
    return out


def untoned(probes: list[dict]) -> list[dict]:
    """untoned: every other follow-up of the families above typed without marks."""
    families = (
        "slot_body",
        "slot_item",
        "slot_doc",
        "answer_body",
        "answer_part",
        "task_lead",
        "list_pick",
        "figure_ref",
    )
    picked = [p for p in probes if p["family"] in families]
    return [
        {**p, "family": "untoned", "history": [fold(h) for h in p["history"]], "question": fold(p["question"])}
        for p in picked[::2]
    ]


def _joinable(questions: list[dict]) -> list[dict]:
    return [
        q
        for q in _base(questions)
        if q["type"] in ("fact", "deadline", "responsibility")
        and has_diacritics(q["question"])
        and q["question"].count("?") == 1
        and q["question"].endswith("?")
    ]


def multi_absent(questions: list[dict], near: list[dict], limit: int = 24) -> list[dict]:
    """multi_absent: a dev ask and a near miss of another dev ask (a body or a year the texts
    never hold) in one message, in either order."""
    asks = _joinable(questions)
    misses = [p for p in near if p["family"] in ("near_body", "near_year") and p["question"].endswith("?")]
    out: list[dict] = []
    for i, (a, miss) in enumerate(zip(asks[3::2], misses[::3])):
        if miss["source"] == a["id"]:
            continue
        first, second = (a["question"], miss["question"]) if i % 2 == 0 else (miss["question"], a["question"])
        joined = f"{first.rstrip('?').strip()}, và {_lower(second)}" if i % 3 != 2 else f"{first} {second}"
        out.append(
            _probe("multi_absent", f"{a['id']}+{miss['source']}", [], joined, a["key_facts"], absent=miss["question"])
        )
        if len(out) >= limit:
            break
    return out


def multi_bare(questions: list[dict], limit: int = 24) -> list[dict]:
    """multi_bare: two dev asks joined with no punctuation at all."""
    asks = _joinable(questions)
    out: list[dict] = []
    for i in range(2, min(len(asks) - 1, 2 * limit + 2), 2):
        a, b = asks[i], asks[i + 1]
        join = BARE_JOINS[len(out) % len(BARE_JOINS)]
        question = join.format(a["question"].rstrip("?").strip(), _lower(b["question"].rstrip("?").strip()))
        if len(out) % 3 == 2:
            question = fold(question)
        out.append(_probe("multi_bare", f"{a['id']}+{b['id']}", [], question, a["key_facts"] + b["key_facts"]))
    return out


def multi_tails(questions: list[dict]) -> list[dict]:
    """multi_tail: a dev ask and the dev "who" or "when" ask of the same clause joined with
    no punctuation, the second as a tail ("… và ai chủ trì … luôn", "… rồi khi nào …")."""
    base = [q for q in _base(questions) if q["question"].endswith("?")]
    by_clause: dict[str, list[dict]] = defaultdict(list)
    for q in base:
        for g in q["gold"]:
            by_clause[f"{g['doc']}:{g['clause']}"].append(q)
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for rows in by_clause.values():
        tails = [y for y in rows if y["type"] in ("responsibility", "deadline")]
        heads = [x for x in rows if x["type"] not in ("responsibility", "deadline")]
        for y in tails:
            x = next((x for x in heads if (x["id"], y["id"]) not in seen), None)
            if x is None:
                continue
            seen.add((x["id"], y["id"]))
            join = ["{} và {} luôn", "{} rồi {}", "{} với {} nữa"][len(out) % 3]
            question = join.format(x["question"].rstrip("?").strip(), _lower(y["question"].rstrip("?").strip()))
            out.append(
                _probe(
                    "multi_tail",
                    f"{x['id']}+{y['id']}",
                    [],
                    question,
                    list(dict.fromkeys(x["key_facts"] + y["key_facts"])),
                )
            )
    return out


# time expressions said in place of a target year (rules: time.toml), by the year they stand for
_TARGET = re.compile(r"\b(?:(?:đến|vào|tới)\s+)?năm\s+(2030|2045)\b")


def _time_forms(target: int, document_year: int) -> list[str]:
    """Follow-ups that say the target year as a time expression: from the document's date
    ("5 năm tới", "cuối thập kỷ này", "hai mươi năm nữa"), from the other target year the
    first turn asked ("15 năm sau đó", "15 năm trước đó"), or the century ("giữa thế kỷ 21")."""
    forms = []
    ahead = target - document_year
    if target == 2030:
        if document_year // 10 * 10 + 10 == 2030:
            forms.append("còn cuối thập kỷ này thì sao?")
        if 4 <= ahead <= 6:
            forms += [f"vậy {ahead} năm tới thì sao", f"con {ahead} nam toi thi sao"]
        forms.append("thế 15 năm trước đó thì thế nào?")
    else:
        forms.append("còn 15 năm sau đó thì sao?")
        if 19 <= ahead <= 21:
            forms.append("thế hai mươi năm nữa thì sao?")
        forms.append("còn đến giữa thế kỷ 21 thì sao?")
    return forms


def slot_times(questions: list[dict], recognizer) -> list[dict]:
    """slot_time (key facts kept): a dev question with one target year (2030 or 2045) and one
    dated document, asked first of the other target year, then the year said as a time
    expression counted from the document's date or from the first turn's year."""
    dates = {d.id: d.date for d in recognizer.documents}
    out: list[dict] = []
    for q in _base(questions):
        text = q["question"]
        years = list(_TARGET.finditer(text))
        docs = {m.doc_id for m in recognizer.mentions(text) if m.designates}
        if len(years) != 1 or len(docs) != 1 or not has_diacritics(text):
            continue
        date = dates.get(next(iter(docs)), "")
        if not date[:4].isdigit():
            continue
        m = years[0]
        target = int(m.group(1))
        first = text[: m.start(1)] + ("2045" if target == 2030 else "2030") + text[m.end(1) :]
        forms = _time_forms(target, int(date[:4]))
        form = forms[len(out) % len(forms)]
        out.append(_probe("slot_time", q["id"], [first], _cap(form), q["key_facts"]))
    return out


NEXT_FORMS = ["còn giai đoạn tiếp theo thì sao?", "thế giai đoạn kế tiếp?", "giai doan sau thi sao"]
BEFORE_FORMS = ["thế giai đoạn trước đó thì sao?", "còn giai đoạn trước?", "con giai doan truoc do thi sao"]


def period_steps(questions: list[dict]) -> list[dict]:
    """period_step (key facts kept): a dev question about one of Kế hoạch 01's periods of
    equal length (2025 - 2027, 2028 - 2030) asked first of its neighbour, then "giai đoạn
    tiếp theo" / "giai đoạn trước đó" (rules: time.toml adjacent_period)."""
    out: list[dict] = []
    pair = ("2025 - 2027", "2028 - 2030")
    for q in _base(questions):
        text = q["question"]
        periods = list(_PERIOD.finditer(text))
        if len(periods) != 1 or not has_diacritics(text):
            continue
        m = periods[0]
        said = f"{m.group(1)} - {m.group(2)}"
        if said not in pair:
            continue
        later = said == pair[1]
        first = text[: m.start()] + pair[0 if later else 1] + text[m.end() :]
        forms = NEXT_FORMS if later else BEFORE_FORMS
        out.append(_probe("period_step", q["id"], [first], _cap(forms[len(out) % len(forms)]), q["key_facts"]))
    return out


MORE_FORMS = ["{}, còn {} nữa?", "{}, còn {} thì sao?", "{} còn {} thì thế nào?", "{}; còn {} nữa"]


def multi_more(probes: list[dict]) -> list[dict]:
    """multi_more (key facts of the second ask): the slot probes (a year, a period, a body, a
    document, a numbered part changed) asked in one message, the second ask as "…, còn X
    nữa?" naming only the slot ("…, còn năm 2045 thì sao?"): it asks what the first asks."""
    out: list[dict] = []
    for p in probes:
        if p["family"] not in ("slot_period", "slot_body", "slot_doc", "slot_item") or len(p["history"]) != 1:
            continue
        slot = _slot_of(p["question"])
        if not slot:
            continue
        form = MORE_FORMS[len(out) % len(MORE_FORMS)]
        first = p["history"][0].rstrip(" ?")
        question = form.format(first, slot)
        if not has_diacritics(p["history"][0]):
            question = fold(question)
        out.append({**p, "family": "multi_more", "history": [], "question": question})
    return out


def _slot_of(follow: str) -> str:
    """The slot a "còn X thì sao?" follow-up names (X)."""
    m = re.match(
        r"(?i)^\s*(?:thế còn|vậy còn|thế với|thế|còn|vậy|bên|the con|vay con|con|the|vay|ben)?\s*(.+?)\s*"
        r"(?:thì sao|thì thế nào|thi sao|thi the nao|nữa|nua)?\s*\??\s*$",
        follow,
    )
    slot = m.group(1).strip() if m else ""
    return slot if 1 <= len(slot.split()) <= 8 else ""


def halves(probes: list[dict], run: int = 1) -> list[dict]:
    """Each new family's probes in a tune and a check half (tune on one, report both), in
    runs of `run` probes, so that each half holds every form a family rotates through."""
    count: dict[str, int] = defaultdict(int)
    out = []
    for p in probes:
        half = "tune" if count[p["family"]] // run % 2 == 0 else "check"
        count[p["family"]] += 1
        out.append({**p, "half": half})
    return out


def generate(questions: list[dict], app) -> list[dict]:
    table, recognizer = app.searcher.table, app.searcher.recognizer
    corpus = fold(" ".join(c.embedding_text() for c in table.chunks))
    near = [json.loads(line) for line in (ROOT / "tests" / "assistant" / "probes_dialog.jsonl").open(encoding="utf-8")]
    probes = slot_bodies(questions, corpus) + slot_docs(questions, recognizer) + slot_periods(questions)
    probes += slot_items(questions) + answer_bodies(questions) + answer_parts(questions, table)
    probes += task_leads(questions, recognizer) + figure_refs(questions) + list_picks(questions, table)
    probes += untoned(probes)
    probes += multi_absent(questions, near) + multi_bare(questions) + multi_tails(questions)
    probes += answer_who(table)
    return probes


NEW_FAMILIES = ("slot_time", "multi_more", "period_step", "pick_back", "pick_both", "topic_switch")


def generate_new(questions: list[dict], app) -> list[dict]:
    """The families added after the file was first written (tune and check halves)."""
    recognizer = app.searcher.recognizer
    table = app.searcher.table
    corpus = fold(" ".join(c.embedding_text() for c in table.chunks))
    slots = slot_bodies(questions, corpus) + slot_docs(questions, recognizer) + slot_periods(questions)
    slots += slot_items(questions)
    out = halves(slot_times(questions, recognizer)) + halves(multi_more(slots), run=len(MORE_FORMS))
    picks = list_picks(questions, table)
    out += halves(pick_backs(picks, table)) + halves(pick_boths(picks, table))
    return out + halves(period_steps(questions)) + halves(topic_switches(questions, recognizer))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--append", action="store_true", help="append the new families (NEW_FAMILIES) the file lacks")
    ap.add_argument("--family", default="")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    from assistant import Assistant, load_settings

    app = Assistant(load_settings())
    if args.write:
        questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
        dev = [q for q in questions if q.get("split") == "dev"]
        probes = generate(dev, app)
        PROBES.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in probes), encoding="utf-8")
        print(f"{len(probes)} probes → {PROBES}")
        return 0
    if args.append:
        questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
        dev = [q for q in questions if q.get("split") == "dev"]
        have = {json.loads(line)["family"] for line in PROBES.open(encoding="utf-8")}
        new = [p for p in generate_new(dev, app) if p["family"] not in have]
        with PROBES.open("a", encoding="utf-8") as f:
            f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in new)
        print(f"{len(new)} probes appended → {PROBES}")
        return 0
    probes = [json.loads(line) for line in PROBES.open(encoding="utf-8")]
    # a new family is reported by half: tuned on one, checked on the other
    probes = [{**p, "family": f"{p['family']}/{p['half']}"} if p.get("half") else p for p in probes]
    if args.family:
        probes = [p for p in probes if p["family"] == args.family]
    total = [0, 0.0]
    for family, s in sorted(run(probes, app).items()):
        line = f"{family:17} {s['ok']:3}/{s['n']:<3}"
        if any(p["family"] == family and p["expect"] == "answer" for p in probes):
            line += f"  facts {s['facts'] / s['n']:.3f}"
            total[0] += s["n"]
            total[1] += s["facts"]
        print(line)
        if args.v:
            for f in s["fail"]:
                print("    ", f)
    print(f"{'ALL answer':17} facts {total[1] / max(total[0], 1):.3f} ({total[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
