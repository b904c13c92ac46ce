"""Probe families for the conversation and refusal side, generated from the dev split's
answerable questions and the documents themselves (no test question is read):

- near-miss (must refuse): a target year the texts never write; a named body or province
  the texts never name swapped in or added; a document number the catalog does not hold;
  a foreign name the texts never use;
- near_kind (must refuse) and twin_kind (must answer, key facts kept): a real question
  whose asked kind of value (a share, a count, a time) is swapped for one its gold clause
  does not state, and the question as it was;
- near_topic (must refuse) and twin_topic (must answer, key facts kept): a real "bao
  nhiêu X" question whose counted noun is swapped for a plausible one no document uses
  ("bao nhiêu phi công", "tàu ngầm"), and the question as it was;
- preamble (must answer, key facts kept): the asker's job and situation put in front of the
  question, as people type in a chat;
- tool_context (must answer, key facts kept): a sentence or clause naming the asker's own
  tools, platforms or employer (Zalo, Facebook, PowerPoint, Viettel…) before or after the
  question;
- follow-up (key facts kept): the question split into a first turn with another slot and a
  "còn X thì sao?" follow-up, or a reference ("sáng kiến đó") to the previous turn;
- near_level (must refuse): a level of the administration, a region, a sector or a part of
  the year that no document states ("ở cấp xã", "của ngành du lịch") added to a real ask;
- twin_lead (must answer, key facts kept): the real questions that ask who leads, carries
  out or answers for something (their clauses name the body);
- follow_which, follow_number, follow_next (key facts kept): a numbered part the follow-up
  points at as "nó" (named only by the previous answer), by its number alone ("cái số 27"),
  or as the next one ("sáng kiến tiếp theo");
- multi_join (key facts of both kept): two dev questions asked as one message;
- follow_doc (key facts kept): a question whose document the first turn named, left out or
  referred to ("nghị quyết đó", "văn bản này");
- follow_unmarked (key facts kept): the reference follow-ups typed without marks;
- slot swaps (slot_swaps: near_year_doc, near_figure, near_programme, must refuse; twin_slot,
  must answer): one slot of a real ask changed to one its gold clauses do not support;
- near_part_lead (must refuse): the ministry leading an initiative the plan names no lead for.
- follow_chain (key facts kept): two dev questions about one document asked in a row, the
  second with its document left out and a chat opener ("Vậy …", "Ok, …", "Cho hỏi thêm: …");
- follow_field (key facts kept): a field of the initiative the first turn named ("mục tiêu
  cụ thể của sáng kiến đó", "Thế còn nội dung?"), its fact read from the appendix item;
- follow_slot_typed (key facts kept): a changed year typed as in a chat ("thế còn 2045?",
  "the con nam 2045", "Còn mốc 2045 nhỉ?");
- follow_generic (key facts kept): the initiative of the first turn said as "cái đó",
  "nó", "cái này", "sáng kiến ấy";
- multi_chat (key facts of both kept): two dev questions asked as one chat message ("… với
  lại …", "…. À mà …", a new line, "… + …"), every third without marks.

    python scripts/dialog_probes.py --write tests/assistant/probes_dialog.jsonl   # generate
    python scripts/dialog_probes.py                                            # run and score

The generated file is kept as a test (tests/assistant/test_abstention_probes.py).
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

from retrieval.rules import load_rules  # noqa: E402
from retrieval.text import fold, has_diacritics  # noqa: E402

PROBES = ROOT / "tests" / "assistant" / "probes_dialog.jsonl"

# bodies the texts never name, as written ("Bộ Y tế"): checked against the corpus below
ABSENT_BODIES = ["Bộ Y tế", "Bộ Nội vụ", "Bộ Xây dựng", "Bộ Tư pháp", "Ngân hàng Nhà nước Việt Nam", "Bộ Quốc phòng"]
ABSENT_PLACES = ["tỉnh Quảng Ninh", "tỉnh Lào Cai", "thành phố Cần Thơ", "tỉnh Bình Dương", "tỉnh Nghệ An"]
FOREIGN = ["Samsung", "Google", "Intel", "Huawei"]
# the asker's own tools, platforms and employers, named in a sentence or clause of context
# before or after an answerable question: the question must still be answered (the names
# are the asker's, not what is asked); "{}" is the question
TOOL_CONTEXT = [
    "Công ty mình dùng Zalo để làm việc, vậy {}",
    "Sếp em bảo đọc trên Facebook là {}",
    "{} Mình hỏi để làm slide PowerPoint.",
    "Em đang tổng hợp số liệu trên Excel cho phòng. {}",
    "Chiều nay bên mình họp qua Google Meet. {}",
    "Mình làm ở Viettel, cần nắm nhanh văn bản. {}",
    "{} Em cần để viết báo cáo gửi lãnh đạo qua Microsoft Teams.",
    "Tôi làm kỹ sư ở FPT. {}",
    "Mình vừa xem trên YouTube một bài nói về chuyện này. {}",
    "{} Tôi hỏi để soạn bài trình chiếu bằng PowerPoint cho buổi họp.",
]
# nouns of the documents' vocabulary a question may count ("bao nhiêu phòng thí nghiệm"); a
# probe asks the count of one that a document never counts (checked against its clauses)
COUNTABLE = [
    "phòng thí nghiệm trọng điểm",
    "trung tâm đổi mới sáng tạo",
    "vườn ươm công nghệ",
    "khu công nghệ cao",
    "quỹ đầu tư mạo hiểm",
    "trường đại học",
    "viện nghiên cứu",
    "doanh nghiệp khởi nghiệp",
    "chuyên gia",
    "nhà khoa học",
    "tiến sĩ",
    "kỹ sư",
    "sinh viên",
    "đơn đăng ký sáng chế",
    "nền tảng số",
    "cơ sở dữ liệu",
    "trung tâm dữ liệu",
    "tập đoàn công nghệ",
    "đề tài nghiên cứu",
    "phòng thí nghiệm",
    "trung tâm nghiên cứu",
    "sản phẩm công nghệ",
    "hợp đồng chuyển giao công nghệ",
    "nhiệm vụ khoa học",
]
COUNT_DOCS = {
    "nq57": "Nghị quyết 57",
    "nq03": "Nghị quyết 03",
    "kh01": "Kế hoạch 01",
    "nq20": "Nghị quyết 20",
    "kh-vhl": "Kế hoạch của Viện Hàn lâm",
}
_COUNT_WORDS = r"(?:\d[\d.,]*|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|hang|vai|nhieu|cac|nhung)"


def never_counted(table) -> list[dict]:
    """ "Theo Nghị quyết 57, đến năm 2030 phải có bao nhiêu trung tâm dữ liệu?" for the nouns
    a document never counts (no number or count word just before them in its clauses)."""
    out = []
    for doc, name in COUNT_DOCS.items():
        text = fold(" ".join(c.text for c in table.chunks if c.doc_id == doc))
        for noun in COUNTABLE:
            key = fold(noun)
            if key not in text or re.search(rf"\b{_COUNT_WORDS}\s+(?:\S+\s+){{0,2}}{re.escape(key)}\b", text):
                continue  # not spoken of at all (another family), or counted somewhere
            out.append(
                {
                    "family": "near_count",
                    "source": doc,
                    "question": f"Theo {name}, đến năm 2030 phải có bao nhiêu {noun}?",
                    "expect": "refuse",
                }
            )
    return out


PREAMBLES = [
    "Tôi là chuyên viên phòng Kế hoạch - Tài chính của Sở Khoa học và Công nghệ tỉnh Nghệ An, đang soạn báo cáo "
    "tham mưu cho lãnh đạo Sở về triển khai các văn bản của Trung ương.",
    "Em là giảng viên một trường đại học ở Đà Nẵng, đang chuẩn bị bài giảng về chính sách khoa học công nghệ cho "
    "sinh viên năm cuối.",
    "Mình làm ở bộ phận pháp chế của một doanh nghiệp công nghệ tại Hà Nội, sếp giao tìm hiểu nhanh để báo cáo "
    "trong cuộc họp chiều nay.",
    "Chào bạn, tôi công tác ở Văn phòng UBND huyện, được giao tổng hợp tình hình thực hiện nghị quyết ở địa phương "
    "và cần số liệu chính xác.",
    "Tôi là phóng viên mảng khoa học của một tờ báo, đang viết bài về các chính sách mới trong năm nay.",
]


def _absent(name: str, corpus: str) -> bool:
    return fold(name) not in corpus


def _style(text: str, question: str) -> str:
    """Write an inserted name as the question is written: without marks when it has none."""
    return text if has_diacritics(question) else fold(text)


def generate(questions: list[dict], corpus: str, years_in_corpus: set[str]) -> list[dict]:
    bodies = load_rules("entities").word_set("bodies") | load_rules("intent").word_set("bodies_typed")
    body_re = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(b) for b in sorted(bodies, key=len, reverse=True)) + r")(?!\w)"
    )
    absent_bodies = [b for b in ABSENT_BODIES if _absent(b, corpus)]
    absent_places = [p for p in ABSENT_PLACES if _absent(p.split(" ", 1)[1], corpus)]
    foreign = [f for f in FOREIGN if _absent(f, corpus)]
    free_years = [str(y) for y in range(2031, 2050) if str(y) not in years_in_corpus]
    out: list[dict] = []
    pick = defaultdict(int)

    def next_of(kind: str, items: list[str]) -> str:
        pick[kind] += 1
        return items[pick[kind] % len(items)]

    for q in questions:
        text, qid = q["question"], q["id"]
        if q["history"] or not q["answerable"] or q["type"] in ("scope",):
            continue
        single = q["type"] != "multi_part"  # a slot added to one ask of several is that ask's
        folded = fold(text)
        # near miss: a target year the texts never write
        years = [m for m in re.finditer(r"\b20[2-5]\d\b", text)]
        if years and single:
            m = years[-1]
            new = next_of("year", free_years)
            out.append(
                {
                    "family": "near_year",
                    "source": qid,
                    "question": text[: m.start()] + new + text[m.end() :],
                    "expect": "refuse",
                }
            )
        # near miss: a body the texts never name in place of the one asked about
        bm = body_re.search(folded)
        if (
            bm
            and bm.group(0) not in ("chinh phu", "quoc hoi", "bo chinh tri")
            and not folded[: bm.start()].endswith("can ")
        ):
            new = _style(next_of("body", absent_bodies), text)
            out.append(
                {
                    "family": "near_body",
                    "source": qid,
                    "question": text[: bm.start()] + new + text[bm.end() :],
                    "expect": "refuse",
                }
            )
        stem = text.rstrip(" ?.")
        # near miss: a province the texts never name added to the ask
        if single and q["type"] in ("fact", "responsibility", "deadline", "count", "list") and len(out) % 2 == 0:
            place = _style(next_of("place", absent_places), text)
            out.append({"family": "near_place", "source": qid, "question": f"{stem} tại {place}?", "expect": "refuse"})
        # near miss: a foreign company the texts never name
        if single and q["type"] in ("fact", "responsibility", "list") and len(out) % 3 == 0:
            name = next_of("foreign", foreign)
            out.append(
                {
                    "family": "near_foreign",
                    "source": qid,
                    "question": f"{stem} trong hợp tác với {name}?",
                    "expect": "refuse",
                }
            )
        # false refusal: a job preamble in front of the ask
        if q["key_facts"] and q["type"] not in ("multi_turn",):
            pre = next_of("preamble", PREAMBLES)
            pre = pre if has_diacritics(text) else fold(pre)
            out.append(
                {
                    "family": "preamble",
                    "source": qid,
                    "question": f"{pre} {text}",
                    "expect": "answer",
                    "key_facts": q["key_facts"],
                }
            )
    # false refusal: the asker's tools, platform or employer named around the ask (every
    # third answerable question, in a pass of its own: the other families stay as they were)
    answerable = [q for q in questions if not q["history"] and q["answerable"] and q["key_facts"]]
    for i, q in enumerate(a for a in answerable if a["type"] not in ("scope", "multi_turn")):
        if i % 3:
            continue
        text = q["question"].strip()
        frame = TOOL_CONTEXT[(i // 3) % len(TOOL_CONTEXT)]
        frame = frame if has_diacritics(text) else fold(frame)
        # inside a sentence ("…, vậy {}"), a first word that is not a name is lower-cased
        inside = frame.endswith(("vậy {}", "vay {}", "là {}", "la {}"))
        ask = text[:1].lower() + text[1:] if inside and text[1:2].islower() else text
        if frame.startswith("{}") and not ask.endswith((".", "?", "!")):
            ask += "?" if has_diacritics(text) else "."
        out.append(
            {
                "family": "tool_context",
                "source": q["id"],
                "question": frame.format(ask),
                "expect": "answer",
                "key_facts": q["key_facts"],
            }
        )
    # follow-ups: a year slot split off ("còn năm 2045 thì sao?")
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"]:
            continue
        m = list(re.finditer(r"\b(?:năm|nam)\s+(20[2-5]\d)\b", text))
        if len(m) == 1:
            y = m[0].group(1)
            other = "2045" if y != "2045" else "2030"
            first = text[: m[0].start(1)] + other + text[m[0].end(1) :]
            follow = f"Còn năm {y} thì sao?" if has_diacritics(text) else f"con nam {y} thi sao"
            out.append(_follow("follow_slot", q, first, follow))
        # a body slot split off ("còn Bộ Tài chính thì sao?"): the first turn asks the same of
        # another body the texts name
        b = re.search(
            r"\b(Bộ (?:Tài chính|Khoa học và Công nghệ|Công an|Giáo dục và Đào tạo|Thông tin và Truyền thông))\b", text
        )
        if b and len(re.findall(r"\bBộ [A-ZĐ]", text)) == 1:
            other = "Bộ Công an" if b.group(1) != "Bộ Công an" else "Bộ Tài chính"
            first = text[: b.start()] + other + text[b.end() :]
            out.append(_follow("follow_slot", q, first, f"Còn {b.group(1)} thì sao?"))
        # a numbered part referred back to
        p = re.search(r"\b(Sáng kiến|sáng kiến|Hệ thống|hệ thống)\s+(\d{1,2})\b", text)
        if p:
            first = f"{p.group(1)[:1].upper()}{p.group(1)[1:]} {p.group(2)} trong Kế hoạch 01 là gì?"
            follow = text[: p.start()] + f"{p.group(1).lower()} đó" + text[p.end() :]
            follow = follow[:1].upper() + follow[1:]
            out.append(_follow("follow_ref", q, first, follow))
    return out


def _follow(family: str, q: dict, first: str, question: str) -> dict:
    """A follow-up probe from dev question q (its key facts kept): one first turn, then question."""
    return {
        "family": family,
        "source": q["id"],
        "history": [first],
        "question": question,
        "expect": "answer",
        "key_facts": q["key_facts"],
    }


def _titles(table) -> dict[int, str]:
    """Sáng kiến number -> its title (the words before its first dash or colon, at most 8)."""
    out: dict[int, str] = {}
    for c in table.chunks:
        m = re.match(r"\W*(?:\d+\.\s*)?Sáng kiến (\d+):\s*([^-–:\n]+)", c.text)
        if m and c.doc_id == "kh01" and int(m.group(1)) not in out:
            words = m.group(2).split(",")[0].strip(" .").split()[:10]
            out[int(m.group(1))] = " ".join(words)
    return out


def part_refs(questions: list[dict], table) -> list[dict]:
    """Follow-ups that point at a numbered part the conversation only implies, from the dev
    questions about one Sáng kiến N (key facts kept):

    - follow_which: the first turn asks which initiative is about its title ("KH01 có sáng
      kiến nào về công nghệ gen chữa bệnh không?"); the follow-up says "nó" for it;
    - follow_number: the first turn asks for the initiatives of the plan; the follow-up names
      N alone ("cái số 27");
    - follow_next: the first turn asks about Sáng kiến N-1; the follow-up says "sáng kiến
      tiếp theo" for N."""
    titles = _titles(table)
    out: list[dict] = []
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"] or not has_diacritics(text):
            continue
        found = list(re.finditer(r"\b[Ss]áng kiến\s+(\d{1,2})\b(?:\s+(?:của|trong)\s+(?:KH01|Kế hoạch 01))?", text))
        if len(found) != 1 or int(found[0].group(1)) not in titles:
            continue
        m, n = found[0], int(found[0].group(1))
        if text[: m.start()].rstrip().endswith("("):
            continue  # "(Sáng kiến 9)": a gloss, not what the question names
        if re.search(r"\b(?:KH01|Kế hoạch 01|kế hoạch 01)\b", text[: m.start()] + text[m.end() :]):
            continue  # the plan is named apart from the part: its reference would go with it

        def said(word: str, text: str = text, m: re.Match[str] = m) -> str:
            out = text[: m.start()] + word + text[m.end() :]
            return out[:1].upper() + out[1:]

        title = titles[n][:1].lower() + titles[n][1:]
        rows = [
            ("follow_which", f"Kế hoạch 01 có sáng kiến nào về {title} không?", said("nó")),
            ("follow_number", "Kế hoạch 01 có những sáng kiến đột phá nào?", said(f"cái số {n}")),
        ]
        if n - 1 in titles:
            rows.append(("follow_next", f"Sáng kiến {n - 1} trong Kế hoạch 01 là gì?", said("sáng kiến tiếp theo")))
        for family, first, follow in rows:
            out.append(_follow(family, q, first, follow))
    return out


def doc_refs(questions: list[dict], recognizer, limit: int = 40) -> list[dict]:
    """follow_doc (key facts kept): a dev question naming one document, asked after a first
    turn about that document ("Nghị quyết 03 ban hành ngày nào?") with the document left
    out ("Theo Nghị quyết 03, X?" → "X?"), or referred to ("nghị quyết đó", "văn bản này")."""
    kinds = {d.id: d.kind for d in recognizer.documents}
    out: list[dict] = []
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"] or not has_diacritics(text):
            continue
        if q["type"] not in ("fact", "list", "responsibility", "deadline", "count"):
            continue
        mentions = [m for m in recognizer.mentions(text) if m.designates]
        if len(mentions) != 1 or len({m.doc_id for m in recognizer.mentions(text)}) != 1:
            continue
        m = mentions[0]
        name = text[m.start : m.end]
        style = len(out) % 3
        if style == 0:  # left out: "Theo X, …" / "… của X" / "… trong X"
            cut = re.search(r"(?:^\s*theo\s+|,?\s*(?:của|trong|theo)\s+)$", text[: m.start], re.IGNORECASE)
            if not cut:
                continue
            follow = (text[: cut.start()] + text[m.end :]).strip(" ,")
        else:
            word = f"{kinds[m.doc_id].lower()} đó" if style == 1 else "văn bản này"
            follow = text[: m.start] + word + text[m.end :]
        follow = follow[:1].upper() + follow[1:]
        out.append(_follow("follow_doc", q, f"{name[:1].upper()}{name[1:]} ban hành ngày nào?", follow))
        if len(out) >= limit:
            break
    return out


def unmarked(probes: list[dict]) -> list[dict]:
    """follow_unmarked (key facts kept): the reference follow-ups (follow_ref, follow_which,
    follow_doc) typed without marks, first turn and follow-up ("sang kien do do ai chu tri",
    "muc tieu cua no la gi")."""
    return [
        {**p, "family": "follow_unmarked", "history": [fold(h) for h in p["history"]], "question": fold(p["question"])}
        for p in probes
        if p["family"] in ("follow_ref", "follow_which", "follow_doc")
    ]


# how a chat follow-up opens the next ask of the same document ("{}": the ask, its document
# left out): as typed with marks, and without
CHAIN_OPENERS = ["Vậy {}", "Thế còn {}", "{}", "Cho hỏi thêm: {}", "Ok, {}"]


def _lower_first(text: str) -> str:
    words = text.split()
    return text[:1].lower() + text[1:] if len(words) > 1 and not words[1][:1].isupper() else text


def chains(questions: list[dict], recognizer, limit: int = 40) -> list[dict]:
    """follow_chain (key facts of the second kept): two dev questions about one document
    asked in a row, the first with the assistant's real answer as history, the second with
    its document left out and opened as in a chat ("Vậy …", "Thế còn …", "Ok, …"), every
    third typed without marks: the conversation must neither lose the document nor lend the
    first ask's subject to the second."""
    by_doc: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"] or not has_diacritics(text):
            continue
        if q["type"] not in ("fact", "list", "responsibility", "deadline", "count", "paraphrase"):
            continue
        mentions = [m for m in recognizer.mentions(text) if m.designates]
        if len(mentions) != 1 or len({m.doc_id for m in recognizer.mentions(text)}) != 1:
            continue
        m = mentions[0]
        cut = re.search(r"(?:^\s*theo\s+|,?\s*(?:của|trong|theo)\s+)$", text[: m.start], re.IGNORECASE)
        if not cut:
            continue
        rest = (text[: cut.start()] + text[m.end :]).strip(" ,")
        if len(rest.split()) < 4:
            continue
        by_doc[m.doc_id].append((q, rest))
    out: list[dict] = []
    for doc in sorted(by_doc):
        rows = by_doc[doc]
        for (a, _), (b, rest) in zip(rows[::2], rows[1::2]):
            style = len(out)
            follow = CHAIN_OPENERS[style % len(CHAIN_OPENERS)].format(
                _lower_first(rest) if style % len(CHAIN_OPENERS) not in (2,) else rest
            )
            follow = follow[:1].upper() + follow[1:]
            first = a["question"]
            if style % 3 == 2:
                first, follow = fold(first), fold(follow)
            out.append(
                {
                    "family": "follow_chain",
                    "source": f"{a['id']}>{b['id']}",
                    "history": [first],
                    "question": follow,
                    "expect": "answer",
                    "key_facts": b["key_facts"],
                }
            )
    return out[:limit]


# a field of a numbered part asked after the turn that named the part ("{}" for nothing):
# (the field's label, the follow-up as typed)
FIELD_FOLLOWS = [
    ("Mục tiêu", "mục tiêu cụ thể của sáng kiến đó là gì?"),
    ("Nội dung", "nội dung cụ thể của nó gồm những gì?"),
    ("Mục tiêu", "vậy mục tiêu của nó là gì"),
    ("Nội dung", "noi dung sang kien do gom gi"),
    ("Mục tiêu", "con muc tieu thi sao"),
    ("Nội dung", "Thế còn nội dung?"),
]


def field_follows(table, every: int = 2) -> list[dict]:
    """follow_field (key facts kept): "Sáng kiến N trong Kế hoạch 01 là gì?", then a field
    of it asked by a reference, a pronoun or the field alone ("mục tiêu cụ thể của sáng kiến
    đó là gì?", "noi dung sang kien do gom gi", "Thế còn nội dung?"), for every other
    initiative whose appendix entry has labelled items; the key fact is the item's first
    words after its label (read from the document)."""
    heads = {}
    for c in table.chunks:
        m = re.match(r"\W*\d+\.\s*Sáng kiến (\d+):", c.text)
        if m and c.doc_id == "kh01":
            heads[int(m.group(1))] = c
    out: list[dict] = []
    for i, n in enumerate(sorted(heads)[::every]):
        label, follow = FIELD_FOLLOWS[i % len(FIELD_FOLLOWS)]
        item = next((k for k in table.children.get(heads[n].id, []) if re.match(rf"\W*{label}:", k.text)), None)
        if item is None:
            continue
        words = re.sub(rf"^\W*{label}:\s*", "", item.text).split()[:5]
        if len(words) < 3 or any(w in ("…", "...") for w in words):
            continue
        fact = " ".join(words).rstrip(",;.:")
        first = f"Sáng kiến {n} trong Kế hoạch 01 là gì?"
        out.append(
            {
                "family": "follow_field",
                "source": item.id,
                "history": [first if has_diacritics(follow) else fold(first)],
                "question": follow,
                "expect": "answer",
                "key_facts": [fact],
            }
        )
    return out


# a changed year asked as people type it ("{}": the year)
SLOT_FORMS = ["Vậy năm {} thì sao?", "thế còn {}?", "{} thì sao", "the con nam {}", "nam {} thi sao", "Còn mốc {} nhỉ?"]


def slot_forms(questions: list[dict]) -> list[dict]:
    """follow_slot_typed (key facts kept): the year of a dev question split off as in
    follow_slot, the follow-up typed as people type it ("thế còn 2045?", "2045 thì sao",
    "the con nam 2045", "Còn mốc 2045 nhỉ?"); the first turn asks it of the other year."""
    out: list[dict] = []
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"] or q["type"] == "multi_part":
            continue
        m = list(re.finditer(r"\b(?:năm|nam)\s+(20[2-5]\d)\b", text))
        if len(m) != 1:
            continue
        y = m[0].group(1)
        other = "2045" if y != "2045" else "2030"
        first = text[: m[0].start(1)] + other + text[m[0].end(1) :]
        form = SLOT_FORMS[len(out) % len(SLOT_FORMS)]
        out.append(_follow("follow_slot_typed", q, first, form.format(y)))
    return out


def _joinable(questions: list[dict]) -> list[dict]:
    """The dev questions two of which are joined into one message (multi_join, multi_chat):
    single fact, deadline or responsibility asks with marks, one question mark at the end."""
    return [
        q
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["key_facts"]
        and q["type"] in ("fact", "deadline", "responsibility")
        and has_diacritics(q["question"])
        and q["question"].count("?") == 1
        and q["question"].endswith("?")
    ]


JOINS = ["{}, và {}", "{}? {}", "{}; đồng thời {}", "{} và {}"]


def joined_asks(questions: list[dict], limit: int = 30) -> list[dict]:
    """multi_join (key facts of both kept): two single dev questions asked as one message,
    joined as people join them ("…, và …", "…? …", "…; đồng thời …", "… và …")."""
    single = _joinable(questions)
    out: list[dict] = []
    for i in range(0, min(len(single) - 1, 2 * limit), 2):
        a, b = single[i], single[i + 1]
        join = JOINS[(i // 2) % len(JOINS)]
        second = b["question"]
        words = second.split()
        if not join.startswith("{}?") and len(words) > 1 and not words[1][:1].isupper():
            second = second[:1].lower() + second[1:]  # inside a sentence, a first word that is no name
        out.append(
            {
                "family": "multi_join",
                "source": f"{a['id']}+{b['id']}",
                "question": join.format(a["question"].rstrip("?").strip(), second),
                "expect": "answer",
                "key_facts": a["key_facts"] + b["key_facts"],
            }
        )
    return out


# a numbered part pointed back at without its kind ("cái đó", "nó"), as typed
GENERIC_REFS = ["cái đó", "nó", "cái này", "cái sáng kiến đó", "cai do", "sáng kiến ấy"]


def generic_refs(questions: list[dict]) -> list[dict]:
    """follow_generic (key facts kept): a dev question about one Sáng kiến N asked after
    "Sáng kiến N trong Kế hoạch 01 là gì?" with the part said as "cái đó", "nó", "cái
    này", "sáng kiến ấy" (the "cai do" probe typed without marks, first turn too)."""
    out: list[dict] = []
    for q in questions:
        text = q["question"]
        if q["history"] or not q["answerable"] or not q["key_facts"] or not has_diacritics(text):
            continue
        found = list(re.finditer(r"\b[Ss]áng kiến\s+(\d{1,2})\b(?:\s+(?:của|trong)\s+(?:KH01|Kế hoạch 01))?", text))
        if len(found) != 1 or text[: found[0].start()].rstrip().endswith("("):
            continue
        m = found[0]
        word = GENERIC_REFS[len(out) % len(GENERIC_REFS)]
        first = f"Sáng kiến {m.group(1)} trong Kế hoạch 01 là gì?"
        follow = text[: m.start()] + ("cái đó" if word == "cai do" else word) + text[m.end() :]
        follow = follow[:1].upper() + follow[1:]
        if word == "cai do":
            first, follow = fold(first), fold(follow)
        out.append(_follow("follow_generic", q, first, follow))
    return out


# how people join two asks in a chat message (with marks; every third probe typed without)
CHAT_JOINS = [
    "{} với lại {}",
    "{}, còn nữa: {}",
    "{}. À mà {}",
    "{}\n{}",
    "{} + {}",
    "{}. Tiện hỏi luôn, {}",
    "{}. Thêm câu nữa: {}",
]


def chat_joins(questions: list[dict], limit: int = 28, offset: int = 1) -> list[dict]:
    """multi_chat (key facts of both kept): two single dev questions asked as one chat
    message, joined as people type ("… với lại …", "…. À mà …", a new line, "… + …"), every
    third without marks; pairs other than multi_join's (offset)."""
    single = _joinable(questions)
    out: list[dict] = []
    for i in range(offset, min(len(single) - 1, 2 * limit + offset), 2):
        a, b = single[i], single[i + 1]
        join = CHAT_JOINS[len(out) % len(CHAT_JOINS)]
        first = a["question"].rstrip("?").strip() if not join.startswith("{}\n") else a["question"]
        second = b["question"]
        if join.startswith(("{} với", "{}, còn", "{} +")):
            second = _lower_first(second)
        question = join.format(first, second)
        if len(out) % 3 == 2:
            question = fold(question)
        out.append(
            {
                "family": "multi_chat",
                "source": f"{a['id']}+{b['id']}",
                "question": question,
                "expect": "answer",
                "key_facts": a["key_facts"] + b["key_facts"],
            }
        )
    return out


# the kind of value a question asks, changed to one its gold clause does not state: the
# topic stays, the slot no longer has a value in the texts ("bao nhiêu phần trăm GDP" →
# "bao nhiêu tỷ đồng"); (pattern over the question as written, replacement, the kind the
# gold clause must not state: a pattern over its folded text)
KIND_SWAPS = [
    (
        "pct_to_money",
        r"\b(?:bao nhiêu|mấy) phần trăm\b",
        "bao nhiêu tỷ đồng",
        r"\d[\d.,]*\s*(?:nghin |trieu |ty )?(?:dong|usd)\b",
    ),
    ("count_to_pct", r"\bbao nhiêu (?!phần|năm|lần|%)(?=\w)", "bao nhiêu phần trăm ", r"\d\s*%|phan tram"),
    ("when_to_duration", r"\b(?:khi nào|bao giờ)", "trong bao nhiêu tháng", r"\b\d+\s+(?:thang|tuan|ngay)\b(?!\s*\d)"),
]


def kind_swaps(questions: list[dict]) -> list[dict]:
    """Near misses that ask another kind of value of a real clause's topic (must refuse),
    each with its answerable twin, the question as it was (must answer, key facts kept)."""
    out = []
    for q in questions:
        if q["history"] or not q["answerable"] or not q["key_facts"] or q["type"] in ("multi_part", "scope"):
            continue
        if not has_diacritics(q["question"]) or q["type"] == "count":  # counts of the tree: another family
            continue
        if q["question"].count("?") > 1 or re.search(r"\b(?:nào|gì|mấy|ai)\b", q["question"], flags=re.IGNORECASE):
            continue  # another ask stays answerable
        gold = fold(" ".join(g["evidence"] for g in q["gold"]))
        for kind, pattern, replacement, stated in KIND_SWAPS:
            m = re.search(pattern, q["question"], flags=re.IGNORECASE)
            if not m or re.search(stated, gold) or len(re.findall(pattern, q["question"], flags=re.IGNORECASE)) > 1:
                continue
            mutant = q["question"][: m.start()] + replacement + q["question"][m.end() :]
            mutant = mutant[:1].upper() + mutant[1:]
            out.append({"family": "near_kind", "kind": kind, "source": q["id"], "question": mutant, "expect": "refuse"})
            out.append(
                {
                    "family": "twin_kind",
                    "kind": kind,
                    "source": q["id"],
                    "question": q["question"],
                    "expect": "answer",
                    "key_facts": q["key_facts"],
                }
            )
            break
    return out


# plausible counted nouns a resolution on science and technology never speaks of; a swap
# keeps only those the documents do not use at all
FOREIGN_NOUNS = [
    "phi công",
    "tàu ngầm",
    "sân vận động",
    "nhà ga",
    "bến cảng",
    "vận động viên",
    "bảo tàng",
    "thư viện",
    "hướng dẫn viên",
    "ca sĩ",
    "nông trại",
    "tiệm bánh",
    "chuồng trại",
    "rạp chiếu",
]


def topic_swaps(questions: list[dict], corpus: str) -> list[dict]:
    """Near misses whose counted noun ("bao nhiêu kỹ sư bán dẫn": "kỹ sư") is swapped for one
    no document uses (must refuse), each with its answerable twin (must answer)."""
    from assistant import intent

    nouns = [n for n in FOREIGN_NOUNS if not re.search(rf"\b{fold(n)}\b", corpus)]
    how_many = re.compile(r"\bbao nhiêu\s+(?:(?:triệu|nghìn|ngàn|trăm)\s+)?(\w+)\s+(\w+)", re.IGNORECASE)
    out = []
    for q in questions:
        if q["history"] or not q["answerable"] or not q["key_facts"] or q["type"] in ("multi_part", "scope"):
            continue
        if not has_diacritics(q["question"]) or q["question"].count("?") > 1 or q["type"] == "count":
            continue  # a count of the document tree's items: another family (never_counted)
        if re.search(r"\b(?:nào|gì|ai)\b", q["question"], flags=re.IGNORECASE):
            continue  # another ask stays answerable
        m = how_many.search(q["question"])
        if not m or fold(m.group(1)).lower() in intent.NOT_A_UNIT:
            continue
        noun = nouns[len(out) // 2 % len(nouns)]
        mutant = q["question"][: m.start(1)] + noun + q["question"][m.end(2) :]
        out.append({"family": "near_topic", "source": q["id"], "question": mutant, "expect": "refuse"})
        out.append(
            {
                "family": "twin_topic",
                "source": q["id"],
                "question": q["question"],
                "expect": "answer",
                "key_facts": q["key_facts"],
            }
        )
    return out


# qualifiers a question may add to its ask: a level, a region, a sector, a part of the year;
# those some document states are left out (checked against the corpus)
LEVELS = [
    "ở cấp xã",
    "ở cấp huyện",
    "tại khu vực Tây Nguyên",
    "của ngành du lịch",
    "trong quý 3",
    "ở miền Trung",
    "của ngành ngân hàng",
    "trong 6 tháng đầu năm",
]


def level_swaps(questions: list[dict], corpus: str) -> list[dict]:
    """Near misses: a real single ask (every third one) with a level, region, sector or part
    of the year that no document states added at its end (must refuse)."""
    levels = [q for q in LEVELS if not re.search(rf"\b{fold(q.split(' ', 1)[1])}\b", corpus)]
    two_asks = re.compile(r"\b(?:nào|gì|bao nhiêu|mấy|ai)\b.*\b(?:và|hoặc)\b.*\b(?:nào|gì|bao nhiêu|mấy|ai)\b")
    eligible = [
        q
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["type"] in ("fact", "deadline", "count", "responsibility")
        and q["question"].count("?") <= 1
        and not two_asks.search(q["question"])  # a second ask stays answerable
    ]
    out = []
    for i, q in enumerate(eligible[::3]):
        level = levels[i % len(levels)]
        level = level if has_diacritics(q["question"]) else fold(level)
        question = f"{q['question'].strip().rstrip(' ?.')} {level}?"
        out.append({"family": "near_level", "source": q["id"], "question": question, "expect": "refuse"})
    return out


def lead_asks(questions: list[dict]) -> list[dict]:
    """The real questions that ask who leads, carries out or answers for something (must
    answer, key facts kept: their clauses name the body). Their near misses, "which body is
    responsible for that?" after a target whose clauses name no body, are not refused yet:
    a check that the clauses on the topic name an actor refused 6 of 8 but cost val key
    facts (issue 10.7, a known gap)."""
    from assistant import intent

    return [
        {
            "family": "twin_lead",
            "source": q["id"],
            "question": q["question"],
            "expect": "answer",
            "key_facts": q["key_facts"],
        }
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["key_facts"]
        and q["type"] not in ("multi_part", "scope")
        and intent.asks_lead(q["question"])
    ]


# --- slot swaps (issue 10.7): one content slot of a real dev ask changed to one the gold
# clauses do not support, the rest kept; each with its answerable twin (the question as it was)

# national programmes and schemes of other fields, as people name them: none is in the texts
OTHER_PROGRAMMES = [
    "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "Đề án phát triển du lịch cộng đồng",
    "Chương trình mỗi xã một sản phẩm",
    "Chương trình mục tiêu quốc gia giảm nghèo bền vững",
    "Đề án phát triển thể thao thành tích cao",
    "Chương trình phát triển cảng biển quốc gia",
]
# the asked value swapped in at the end of a "… là gì / gồm những … nào" ask: (kind, the ask,
# the kind the gold clauses must not state, a pattern over their folded text)
FIGURE_ASKS = [
    ("money", "được bố trí tổng kinh phí bao nhiêu tỷ đồng?", r"\d[\d.,]*\s*(?:nghin |trieu |ty )?(?:dong|usd)\b"),
    ("year", "phải hoàn thành vào năm nào?", r"\b(?:19|20)\d\d\b"),
    ("percent", "phải đạt tỉ lệ bao nhiêu phần trăm?", r"\d\s*%|phan tram"),
]
_ASK_TAIL = re.compile(
    r"\s+(?:(?:có|gồm|bao gồm|nêu|đề ra|là)\s+)?(?:(?:những|các)\s+(?:\w+\s+){0,3}?(?:nào|gì)|là gì|gồm những gì)\s*\?\s*$"
)
_SINGLE_YEAR = re.compile(r"(?<![\d/\-–])\b(20[2-5]\d)\b(?!\s*[-–/]\s*\d)")


def _gold_texts(q: dict, table) -> tuple[set[str], str]:
    """The source question's gold documents, and the folded text of its gold clauses (with
    their headings)."""
    ids = {f"{g['doc']}:{g['clause']}" for g in q["gold"]}
    chunks = [c for c in table.chunks if c.id in ids]
    return {g["doc"] for g in q["gold"]}, fold(" ".join(c.embedding_text() for c in chunks))


def _single_asks(questions: list[dict]) -> list[dict]:
    return [
        q
        for q in questions
        if not q["history"]
        and q["answerable"]
        and q["key_facts"]
        and q["gold"]
        and q["type"] not in ("multi_part", "scope", "multi_turn", "follow_up")
        and q["question"].count("?") <= 1
        and has_diacritics(q["question"])
    ]


def slot_swaps(questions: list[dict], table) -> list[dict]:
    """Near misses that change one slot of a real single ask to one its gold clauses do not
    support (must refuse), each with its twin, the question as it was (must answer):

    - near_year_doc: its one target year swapped for one none of its gold documents writes
      (preferably one another document writes: the year alone is no sign);
    - near_figure: its "… là gì / gồm những … nào" ask swapped for a figure (an amount, a
      year, a share) that its gold clauses do not state;
    - near_programme: a programme, scheme or fund it names swapped for another field's
      national programme the texts never name."""
    doc_text: dict[str, str] = defaultdict(str)
    for c in table.chunks:
        doc_text[c.doc_id] += " " + fold(c.embedding_text())
    corpus_years = sorted(set(re.findall(r"\b20[2-5]\d\b", " ".join(doc_text.values()))))
    programme = re.compile(
        r"\b(?:[Cc]hương trình|[Đđ]ề án|[Qq]uỹ)\s+(?:[\w-]+\s+){0,8}?[\w-]+(?=\s+(?:của|trong|theo|do|được|có|gồm|là|nhằm|để)\b|[?,])"
    )
    out: list[dict] = []
    twins: set[str] = set()
    pick: dict[str, int] = defaultdict(int)

    def add(family: str, q: dict, question: str, **extra) -> None:
        out.append({"family": family, "source": q["id"], "question": question, "expect": "refuse", **extra})
        if q["id"] not in twins:
            twins.add(q["id"])
            out.append(
                {
                    "family": "twin_slot",
                    "source": q["id"],
                    "question": q["question"],
                    "expect": "answer",
                    "key_facts": q["key_facts"],
                }
            )

    def rotate(kind: str, items: list[str]) -> str:
        pick[kind] += 1
        return items[pick[kind] % len(items)]

    for q in _single_asks(questions):
        text = q["question"]
        docs, gold = _gold_texts(q, table)
        if not gold:
            continue
        in_docs = " ".join(doc_text[d] for d in docs)
        years = list(_SINGLE_YEAR.finditer(text))
        if len(years) == 1 and q["type"] != "deadline":
            m = years[0]
            free = [y for y in corpus_years if y != m.group(1) and y not in in_docs]
            free = free or [y for y in ("2026", "2029", "2033", "2040") if y not in in_docs]
            if free:
                new = rotate("year", free)
                add("near_year_doc", q, text[: m.start(1)] + new + text[m.end(1) :])
        tail = _ASK_TAIL.search(text)
        if tail and q["type"] in ("list", "fact", "responsibility") and len(text[: tail.start()].split()) >= 4:
            for kind, ask, stated in FIGURE_ASKS[pick["figure"] % 3 :] + FIGURE_ASKS[: pick["figure"] % 3]:
                if not re.search(stated, gold):
                    pick["figure"] += 1
                    add("near_figure", q, f"{text[: tail.start()]} {ask}", kind=kind)
                    break
        p = programme.search(text)
        if p and not re.search(r"\b(?:chuong trinh hanh dong|quy dinh)\b", fold(p.group(0)).lower()):
            name = rotate("programme", OTHER_PROGRAMMES)
            name = name if p.group(0)[0].isupper() else name[:1].lower() + name[1:]
            add("near_programme", q, text[: p.start()] + name + text[p.end() :])
    return out


def part_leads(table) -> list[dict]:
    """near_part_lead (must refuse): "Sáng kiến N (title) trong Kế hoạch 01 do bộ nào chủ trì?"
    for every initiative whose clauses name no ministry (the plan names no lead for them)."""
    from assistant import intent

    titles = _titles(table)
    out = []
    for n, title in sorted(titles.items()):
        own = [
            c.text for c in table.chunks if c.doc_id == "kh01" and re.search(rf"\bSáng kiến {n}\b", c.embedding_text())
        ]
        if any(intent.names_ministry(t) for t in own):
            continue
        title = title[:1].lower() + title[1:]
        question = f"Sáng kiến {n} ({title}) trong Kế hoạch 01 do bộ nào chủ trì?"
        out.append(
            {"family": "near_part_lead", "source": f"kh01 sáng kiến {n}", "question": question, "expect": "refuse"}
        )
    return out


def facts_said(answer: str, facts: list[str]) -> float:
    """The share of the key facts the answer says (markers left out, accents and case folded)."""
    from eval.metrics import normalize_fact

    text = " " + normalize_fact(re.sub(r"\[\d+\]", "", answer)) + " "
    return sum(f" {normalize_fact(f)} " in text for f in facts) / len(facts)


# an ask the documents do not answer, said absent ("absent" probes of scripts/dialog_heldout.py)
ABSENT_SAID = re.compile(r"khong neu|khong co thong tin|khong tim thay|chua neu|khong de cap")


def run(probes: list[dict], app, verbose: bool = False) -> dict[str, dict]:
    """Ask every probe (its history first) and score it by family: refused or answered as
    expected, the key facts said, and a probe marked "absent" must say its absent ask absent
    (its facts halved when it does not)."""
    from assistant.types import Message

    scores: dict[str, dict] = defaultdict(lambda: {"n": 0, "ok": 0, "facts": 0.0, "fail": []})
    for p in probes:
        history: list = []
        for turn in p.get("history", []):
            first = app.ask(turn, history)
            history += [Message("user", turn), Message("assistant", first.answer)]
        a = app.ask(p["question"], history)
        s = scores[p["family"]]
        s["n"] += 1
        f = 1.0
        if p["expect"] == "refuse":
            ok = a.abstained
        else:
            f = 0.0 if a.abstained else facts_said(a.answer, p["key_facts"])
            ok = not a.abstained
            if "absent" in p:  # the absent ask must be said absent
                ok = ok and bool(ABSENT_SAID.search(fold(a.answer).lower()))
                f = f if ok else f / 2
            s["facts"] += f
        s["ok"] += ok
        if not ok or f < 1:
            s["fail"].append((p["source"], p["question"], a.standalone_question, a.abstained, round(f, 2)))
    return scores


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path)
    ap.add_argument("--append", action="store_true", help="append the families the probe file lacks")
    ap.add_argument("--family", default="")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    from assistant import Assistant, load_settings

    app = Assistant(load_settings())
    if args.write:
        questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
        dev = [q for q in questions if q.get("split") == "dev"]
        corpus = fold(" ".join(c.embedding_text() for c in app.searcher.table.chunks))
        years = set(re.findall(r"\b(?:19|20)\d\d\b", corpus))
        probes = generate(dev, corpus, years) + never_counted(app.searcher.table) + kind_swaps(dev)
        probes += (
            topic_swaps(dev, corpus) + lead_asks(dev) + level_swaps(dev, corpus) + part_refs(dev, app.searcher.table)
        )
        probes += slot_swaps(dev, app.searcher.table) + part_leads(app.searcher.table)
        args.write.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in probes), encoding="utf-8")
        print(f"{len(probes)} probes → {args.write}")
        return 0
    if args.append:  # new families only: the file's other probes stay as they were
        questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
        dev = [q for q in questions if q.get("split") == "dev"]
        kept = [json.loads(line) for line in PROBES.open(encoding="utf-8")]
        new = part_refs(dev, app.searcher.table) + joined_asks(dev) + doc_refs(dev, app.searcher.recognizer)
        new += slot_swaps(dev, app.searcher.table) + part_leads(app.searcher.table)
        new += chains(dev, app.searcher.recognizer) + field_follows(app.searcher.table) + slot_forms(dev)
        new += chat_joins(dev) + generic_refs(dev)
        new = [p for p in new if p["family"] not in {k["family"] for k in kept}]
        new += [p for p in unmarked(kept + new) if p["family"] not in {k["family"] for k in kept}]
        with PROBES.open("a", encoding="utf-8") as f:
            f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in new)
        print(f"{len(new)} probes appended → {PROBES}")
        return 0
    probes = [json.loads(line) for line in PROBES.open(encoding="utf-8")]
    if args.family:
        probes = [p for p in probes if p["family"] == args.family]
    for family, s in sorted(run(probes, app).items()):
        line = f"{family:14} {s['ok']:3}/{s['n']:<3}"
        if family in ("preamble", "tool_context") or family.startswith(("follow", "twin", "multi")):
            line += f"  facts {s['facts'] / s['n']:.3f}"
        print(line)
        if args.v:
            for f in s["fail"]:
                print("    ", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
