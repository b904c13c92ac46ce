"""Held-out probes of the list and count answers (issue 10, counts and lists on unseen
questions): forms that scripts/probe_tree.py and scripts/probe_counts.py do not write, and
that no mechanism was tuned on when they were added. Every question is generated from the
document tree, its expected count and items read from the heading's children.

Families:

- unit: the heading's items counted by another noun for the unit ("nhiệm vụ", "giải pháp",
  "nội dung", "đầu việc", "mục tiêu", "chỉ tiêu"), chosen from the nouns the heading or the
  headings above it are about ("II. NHIỆM VỤ CỤ THỂ" › "3. Tăng cường đầu tư …": "đầu việc");
- topic: a group heading named by its topic words, the rarest run of words of its line
  (by IDF over the clauses), not by its number or its opening words ("Về hạ tầng cho khoa
  học, công nghệ, Nghị quyết 57 đề ra bao nhiêu nhiệm vụ?");
- letter: the items under a lettered point, named by its letter and its parent's topic, or
  by its own topic ("Trong mục tiêu cụ thể đến năm 2030 của KH01, ý b gồm mấy chỉ tiêu?");
- year: a heading of a period asked by its year ("bao nhiêu chỉ tiêu đến năm 2030", "tới
  2030 … đặt mấy mục tiêu");
- docname: a document named loosely ("kh01", "nq57", "ctr hành động cp", "qđ 116 vhl"),
  asked for the one heading its noun names;
- chat: counts typed as in a chat ("có mấy cái", "bn nhiệm vụ", no marks);
- list: lists asked as "kể tên", "những gì", "các … là gì", of headings named by topic.

Each probe has a half (tune / check), fixed by its heading: mechanisms are tuned looking at
the tune half only, the check half measures whether they hold on headings not looked at.

    .venv/bin/python scripts/probe_heldout.py [--json OUT] [--show N] [--family F] [--half H]

Reports per family and half: count right (the tree's count in the opening lines) for
counts, the share of the items shown for lists, and the refusals.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.doctree import DocumentTree, first_line, item_body  # noqa: E402
from retrieval.rules import load_rules  # noqa: E402
from retrieval.text import fold  # noqa: E402
from scripts.probe_tree import OPENING_LINES, doc_name, item_key, said_count, topic_of  # noqa: E402

# documents named loosely, as people type them (none of these is in probe_tree.SHORT_NAMES)
LOOSE_NAMES = {
    "nq57": ["nq57", "NQ số 57"],
    "kh01": ["KH số 01", "kh 01/KH-BCĐTW"],
    "nq03": ["ctr hành động cp", "chương trình hành động của CP"],
    "nq20": ["nq20/TW", "NQ số 20"],
    "kl69": ["kl69", "KL số 69"],
    "kh-vhl": ["qđ 116 vhl", "kế hoạch của viện hàn lâm"],
}
# the nouns a unit is counted by, from the noun a heading (or one above it) is about (folded)
UNIT_NOUNS = {
    "nhiem vu": ["nhiệm vụ", "đầu việc", "nội dung"],
    "giai phap": ["giải pháp", "nội dung"],
    "muc tieu": ["mục tiêu", "chỉ tiêu", "nội dung"],
    "quan diem": ["quan điểm", "nội dung"],
    "trach nhiem": ["nhiệm vụ", "đầu việc"],
    "to chuc thuc hien": ["nội dung", "đầu việc"],
    "tieu chi": ["tiêu chí", "nội dung"],
    "nguyen tac": ["nguyên tắc", "nội dung"],
    "sang kien": ["sáng kiến", "nội dung"],
    "lo trinh": ["nhiệm vụ", "nội dung"],
}
# nouns too generic to name one heading of a whole document
GENERIC = {"to chuc thuc hien", "lo trinh"}
SKIP_KINDS = {"title", "row", "table", "paragraph", "recipients", "appendix"}
MAX_LIST = 20  # lists longer than this are not probed (an answer shows 40 at most)
YEAR = re.compile(r"(?i)(?:đến năm|giai đoạn)\s+(\d{4})(?:\s*-\s*(\d{4}))?")
_STOP = set("va cua cac nhung cho trong voi ve de theo tai la mot co duoc nham tren den tu".split())


@dataclass
class Probe:
    kind: str  # count | list
    family: str
    form: str
    question: str
    doc: str
    path: str
    counts: list[int]  # the counts that answer (the items; for a heading of groups also their total)
    keys: list[str] = field(default_factory=list)
    half: str = "tune"


@dataclass
class Outcome:
    probe: Probe
    ok: float
    abstained: bool
    opening: str


def half_of(doc: str, path: str) -> str:
    return "tune" if zlib.crc32(f"{doc}:{path}".encode()) % 2 == 0 else "check"


def _cap(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _chat(text: str) -> str:
    """No marks, lower case, "bao nhiêu" typed "bn"."""
    return re.sub(r"\bbao nhieu\b", "bn", fold(text).lower()).rstrip("?. ")


def idf_of(tree: DocumentTree) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    n = 0
    for doc in tree.documents():
        for c in tree.of_document(doc):
            n += 1
            for w in set(re.findall(r"\w+", fold(c.text).lower())):
                df[w] += 1
    return {w: math.log(n / d) for w, d in df.items()}


def unit_class(tree: DocumentTree, head) -> str:
    """The noun (folded) the heading or the nearest heading above it is about."""
    for c in [head, *tree.ancestors(head)]:
        if c.kind == "title":
            break
        line = " ".join(re.findall(r"\w+", fold(item_body(c)[1]).lower()))
        for noun in UNIT_NOUNS:
            if line.startswith(noun) or f" {noun} " in f" {line} "[:40]:
                return noun
    return ""


def topic_words(tree: DocumentTree, head, idf: dict[str, float], line_of) -> str:
    """What a heading's line is about, as people name it: of its phrases (cut at commas,
    semicolons, "và" and brackets), the rarest by IDF over the clauses, its opening verb
    left out (a run of at most six words ending where its phrase ends, starting at an even word or after a function word: Vietnamese
    words are mostly two syllables); not the line's own opening words (what probe_tree
    asks); "" when no phrase names the heading alone among its document's headings."""
    _, body = item_body(head)
    body = re.sub(r"\s*\((?:Hệ thống|hệ thống) \d\)", "", body).split(":")[0]
    opening = " ".join(body.split()[:3]).lower()
    best, best_score = "", 0.0
    for part in re.split(r"[,;()]|\s+và\s+|\s+-\s+", body):
        words = part.split()
        starts = [k for k in range(len(words) - 2) if k % 2 == 0 or fold(words[k - 1]).lower() in _STOP]
        for k in starts:
            run = words[k:]  # to the phrase's end
            if len(run) > 6:
                continue
            folded = [fold(w).lower().strip(".") for w in run]
            if len(run) < 2 or folded[0] in _STOP or any(not w.isalpha() for w in folded):
                continue
            text = " ".join(run)
            if text.lower().startswith(opening) or opening.startswith(text.lower()):
                continue
            rare = [idf.get(w, 0.0) for w in folded if w not in _STOP]
            score = sum(rare) / len(rare) + 0.3 * min(len(run), 4) if rare else 0.0
            if score > best_score:
                best, best_score = text, score
    if not best:
        return ""
    said = " ".join(re.findall(r"\w+", fold(best).lower()))
    holders = [h for h, _ in tree.heads(head.doc_id) if said in line_of(h)]
    return best.lower() if len(holders) == 1 and holders[0].id == head.id else ""


def build(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    idf = idf_of(tree)
    probes: list[Probe] = []
    seen: set[str] = set()
    lines: dict[str, str] = {}

    def line_of(h) -> str:
        if h.id not in lines:
            lines[h.id] = " ".join(re.findall(r"\w+", fold(item_body(h)[1]).lower()))
        return lines[h.id]

    def add(kind, family, form, q, head, kids) -> None:
        if q in seen:
            return
        seen.add(q)
        counts = [len(kids)]
        if all(len(tree.children(k)) >= 2 for k in kids):
            counts.append(sum(len(tree.children(k)) for k in kids))
        keys = [item_key(k) for k in kids] if kind == "list" else []
        probes.append(
            Probe(kind, family, form, q, head.doc_id, head.path, counts, keys, half_of(head.doc_id, head.path))
        )

    for doc, name in names.items():
        loose = LOOSE_NAMES.get(doc, [name])
        heads = [(h, k) for h, k in tree.heads(doc) if h.kind not in SKIP_KINDS and not h.boilerplate]
        by_class: dict[str, list] = defaultdict(list)
        for head, kids in heads:
            cls = unit_class(tree, head)
            units = UNIT_NOUNS.get(cls, [])
            topic = topic_words(tree, head, idf, line_of)
            parent = tree.parent(head)
            own = " ".join(re.findall(r"\w+", fold(item_body(head)[1]).lower()))
            if head.kind in ("roman", "upper") and cls and own.startswith(cls) and " va " not in own[: len(cls) + 4]:
                by_class[cls].append((head, kids))
            # unit + topic: a group named by its topic words, counted by the unit nouns
            if topic and units and head.kind in ("number", "letter"):
                u0 = units[0]
                add("count", "topic", "ve dau cau", f"Về {topic}, {name} đề ra bao nhiêu {u0}?", head, kids)
                add("count", "topic", "phan noi ve", f"Phần nói về {topic} trong {name} có mấy {u0}?", head, kids)
                for u in units[1:]:
                    add("count", "unit", u, f"{name} nêu bao nhiêu {u} về {topic}?", head, kids)
                add("count", "chat", "may cai", _chat(f"{loose[0]} phan {topic} co may cai {u0} vay"), head, kids)
                add("count", "chat", "bn", _chat(f"{u0} ve {topic} trong {loose[-1]} bao nhieu"), head, kids)
                if len(kids) <= MAX_LIST:
                    add("list", "list", "ke ten", f"Kể tên các {u0} về {topic} của {name}.", head, kids)
                    add("list", "list", "la gi", f"Các {u0} về {topic} trong {name} là gì?", head, kids)
                    add("list", "list", "nhung gi", f"{name} yêu cầu những gì về {topic}?", head, kids)
                    add("list", "list", "chat", _chat(f"ke ten {u0} ve {topic} {loose[0]}"), head, kids)
            # a lettered point: by its letter under its parent's topic, or by its own topic
            if head.kind == "letter" and parent is not None:
                letter = first_line(head)[0]
                ptopic = topic_of(parent)
                if ptopic and len(ptopic.split()) <= 8 and units:
                    u = units[1] if len(units) > 2 else units[0]
                    q = f"Trong phần {ptopic} của {name}, ý {letter} gồm mấy {u}?"
                    add("count", "letter", "y chu", q, head, kids)
                    add(
                        "count",
                        "letter",
                        "y chu (chat)",
                        _chat(f"{loose[0]} {ptopic} y {letter} co bao nhieu {u}"),
                        head,
                        kids,
                    )
                if topic and units:
                    add("count", "letter", "chu de", f"{name} đặt ra bao nhiêu {units[0]} về {topic}?", head, kids)
            # a period asked by its year, counted by the unit nouns
            # the heading's own line is the period, or starts with its noun ("Mục tiêu cụ thể đến năm 2030")
            period = YEAR.match(own_line := item_body(head)[1]) or (
                own.startswith(cls) and YEAR.search(own_line) if cls else None
            )
            years = [period] if period else []
            if years and units and head.kind in ("number", "roman", "upper", "letter", "group"):
                y = years[0]
                span = f"{y.group(1)}-{y.group(2)}" if y.group(2) else y.group(1)
                for u in units[:2]:
                    if y.group(2):
                        q1 = f"Giai đoạn {span}, {name} có bao nhiêu {u}?"
                    else:
                        q1 = f"{name} có bao nhiêu {u} đến năm {span}?"
                    add("count", "year", "nam " + u, q1, head, kids)
                if not y.group(2):
                    add("count", "year", "toi nam", f"Tới {span}, {loose[-1]} đặt mấy {units[0]}?", head, kids)
                    add("count", "chat", "nam", _chat(f"{units[0]} {span} cua {loose[0]} co bao nhieu cai"), head, kids)
        # a document named loosely, its one heading about the noun
        for cls, found in by_class.items():
            holders = [(h, k) for h, k in found]
            if len(holders) != 1 or cls in GENERIC:
                continue
            head, kids = holders[0]
            for u in UNIT_NOUNS[cls][:1]:
                for ln in loose:
                    add("count", "docname", "co bao nhieu", f"{ln} có bao nhiêu {u}?", head, kids)
                add("count", "docname", "de ra may", f"Trong {loose[0]}, có tất cả mấy {u}?", head, kids)
                add("count", "chat", "docname bn", _chat(f"{loose[0]} bn {u}"), head, kids)
                if len(kids) <= MAX_LIST:
                    add("list", "list", "docname nhung gi", f"{loose[-1]} có những {u} gì?", head, kids)
    return probes


# the nouns of a list's items (answers.toml unit_nouns, two words joined by "_")
UNIT_WORDS = frozenset(load_rules("answers").word_set("unit_nouns"))
# short forms of a counted noun as typed in a chat right after the count word ("bn nv", "mấy sk")
SHORT_UNITS = {"nhiệm vụ": "nv", "sáng kiến": "sk", "giải pháp": "gp", "mục tiêu": "mt", "chỉ tiêu": "ct"}
# the refs a sentence lists inline, one noun numbered ("trọng tâm: Hệ thống 2, Sáng kiến 4, Sáng kiến 6")
INLINE_REF = re.compile(r"\b(Sáng kiến|Hệ thống|Nghị quyết số|Mục)\s+(\d{1,3}(?:-NQ/TW)?|[IVX]+)\b")
# sentences about the asker's work before the ask (a long question: the ask is its last sentence)
PREAMBLES = (
    "Mình là chuyên viên phòng khoa học của một sở, đang lập kế hoạch triển khai cho năm tới. Cho mình hỏi {ask}?",
    "Tôi đang soạn báo cáo tóm tắt cho lãnh đạo đơn vị về chủ trương mới. {ask} vậy?",
)
# bodies of the state, asked for as the holders of tasks (the names as the documents write them)
BODIES = (
    "Bộ Y tế",
    "Bộ Công an",
    "Bộ Quốc phòng",
    "Bộ Tài chính",
    "Bộ Nội vụ",
    "Bộ Ngoại giao",
    "Bộ Tư pháp",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Công Thương",
    "Bộ Xây dựng",
)


def build_new(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    """The families added for issue 10 item 3 (wave 14), none of them looked at when the
    answerer was built:

    - inline: the refs one sentence lists inline ("(trọng tâm: Hệ thống 2, Sáng kiến 4,
      Sáng kiến 6, Sáng kiến 8)"), asked by the item's label ("Về phát triển mạnh mẽ công
      nghiệp tự chủ, …, trọng tâm là mấy sáng kiến?"), counted and listed;
    - year2: a period's heading asked by its year without "năm" ("có mấy mục tiêu đến 2030",
      "mục tiêu 2030 … mấy cái");
    - body: the items of "Trách nhiệm của <body>" asked as the tasks given to the body
      ("Kế hoạch 01 giao bao nhiêu nhiệm vụ cho Hội đồng Tư vấn quốc gia?");
    - table: the rows of a table's group or an appendix ("Phụ lục I … có bao nhiêu chỉ tiêu");
    - short: the counted noun typed short ("kh01 bn nv", "nq57 co may nhom nv");
    - preamble: the ask after sentences about the asker's work;
    - two: two counts in one question, each right when said as a list's count;
    - bare: the noun every item of one heading opens with, asked with nothing else ("Kế
      hoạch 01 có mấy hệ thống?"), counted and listed;
    - wrongdoc: a count asked of a document whose text never says the noun, of a noun that
      one other document has one heading about (its count expected);
    - absent: a count of what the named document does not list: a body it gives no task
      ("Nghị quyết 57 giao bao nhiêu nhiệm vụ cho Bộ Y tế?") or a noun none of its clauses
      says: right when refused, or when the answer names the body / says the document does
      not state it (no count made up from an unrelated list)."""
    probes: list[Probe] = []
    seen: set[str] = set()

    def add(kind, family, form, q, doc, path, counts, keys=()) -> None:
        if q in seen:
            return
        seen.add(q)
        probes.append(Probe(kind, family, form, q, doc, path, list(counts), list(keys), half_of(doc, path)))

    held: dict[str, list] = {}  # a noun's one heading in each document holding one
    for doc, name in names.items():
        loose = LOOSE_NAMES.get(doc, [name])
        chunks = [c for c in tree.of_document(doc) if not c.boilerplate]
        doc_text = fold(" ".join(c.text for c in tree.of_document(doc))).lower()
        heads = [(h, k) for h, k in tree.heads(doc) if not h.boilerplate]
        # inline refs of one item, asked by its label
        for c in chunks:
            if tree.children(c) or c.kind in ("title", "row", "table", "paragraph"):
                continue
            _, body = item_body(c)
            label = body.split(":")[0].strip(" -.")
            if ":" not in body or not 2 <= len(label.split()) <= 9:
                continue
            refs: dict[str, list[str]] = defaultdict(list)
            for m in INLINE_REF.finditer(body[len(label) :]):
                if m.group(0) not in refs[m.group(1)]:
                    refs[m.group(1)].append(m.group(0))
            for noun, found in refs.items():
                if len(found) < 2 or noun in ("Mục",):
                    continue
                n = noun.lower().replace(" số", "")
                topic = label[0].lower() + label[1:]
                keys = [" ".join(re.findall(r"\w+", fold(r))) for r in found]
                add(
                    "count",
                    "inline",
                    "trong tam",
                    f"Về {topic}, {name} lấy trọng tâm là bao nhiêu {n}?",
                    doc,
                    c.path,
                    [len(found)],
                )
                add(
                    "count", "inline", "chat", _chat(f"{loose[0]} {topic} trong tam may {n}"), doc, c.path, [len(found)]
                )
                add(
                    "list",
                    "inline",
                    "nhung nao",
                    f"Về {topic}, {name} lấy những {n} nào làm trọng tâm?",
                    doc,
                    c.path,
                    [len(found)],
                    keys,
                )
        for head, kids in heads:
            line = item_body(head)[1]
            own = fold(line).lower()
            # a period asked by its year without "năm"
            y = YEAR.search(line)
            cls = unit_class(tree, head)
            units = UNIT_NOUNS.get(cls, [])
            if (
                y
                and not y.group(2)
                and units
                and head.kind not in ("title",)
                and (YEAR.match(line) or own.startswith(cls))
            ):
                span = y.group(1)
                u = units[0]
                add("count", "year2", "den nam so", f"{name} có mấy {u} đến {span}?", doc, head.path, [len(kids)])
                add(
                    "count",
                    "year2",
                    "nam truoc",
                    f"{_cap(u)} {span} của {name} gồm mấy cái?",
                    doc,
                    head.path,
                    [len(kids)],
                )
                add("count", "year2", "chat", _chat(f"{loose[-1]} {u} toi {span} co may"), doc, head.path, [len(kids)])
            # the tasks of one body
            m = re.match(r"(?i)trách nhiệm của\s+(.+)$", line.strip(" .:"))
            if m and not re.match(r"(?i)các\b", m.group(1)) and len(m.group(1).split()) <= 12:
                body = m.group(1)
                add(
                    "count",
                    "body",
                    "giao cho",
                    f"{name} giao bao nhiêu nhiệm vụ cho {body}?",
                    doc,
                    head.path,
                    [len(kids)],
                )
                add("count", "body", "co may", f"Theo {name}, {body} có mấy nhiệm vụ?", doc, head.path, [len(kids)])
                add("count", "body", "chat", _chat(f"{loose[0]} {body} co bn nhiem vu"), doc, head.path, [len(kids)])
            # the rows of a table's group / an appendix
            if all(k.kind == "row" for k in kids):
                parent = tree.parent(head)
                title = fold(" ".join(c.text for c in [head, *tree.ancestors(head)])).lower()
                noun = next((u for u in ("chi tieu", "nhiem vu", "sang kien") if u in title), "")
                if noun:
                    n = {"chi tieu": "chỉ tiêu", "nhiem vu": "nhiệm vụ", "sang kien": "sáng kiến"}[noun]
                    cells = item_body(head)[1].split("\t")  # a row's cells: its number, then its name
                    topic = (cells[1] if len(cells) > 1 else cells[0]).strip()
                    topic = topic[0].lower() + topic[1:] if topic else ""
                    if topic:
                        add(
                            "count",
                            "table",
                            "bang",
                            f"Trong bảng phụ lục của {name}, mục {topic} có bao nhiêu {n}?",
                            doc,
                            head.path,
                            [len(kids)],
                        )
                    if parent is not None and parent.kind == "appendix":
                        add(
                            "count",
                            "table",
                            "phu luc",
                            f"Phụ lục của {name} có bao nhiêu {n} {topic}?",
                            doc,
                            head.path,
                            [len(kids)],
                        )
                    add(
                        "count",
                        "table",
                        "dong",
                        f"Bảng {n} {topic} của {name} có mấy dòng?",
                        doc,
                        head.path,
                        [len(kids)],
                    )
        # the counted noun typed short, of the one heading about it
        by_class: dict[str, list] = defaultdict(list)
        for head, kids in heads:
            cls = unit_class(tree, head)
            own = " ".join(re.findall(r"\w+", fold(item_body(head)[1]).lower()))
            if head.kind in ("roman", "upper") and cls and own.startswith(cls) and " va " not in own[: len(cls) + 4]:
                by_class[cls].append((head, kids))
        for cls, found in by_class.items():
            if len(found) != 1 or cls in GENERIC:
                continue
            head, kids = found[0]
            counts = [len(kids)] + (
                [sum(len(tree.children(k)) for k in kids)] if all(len(tree.children(k)) >= 2 for k in kids) else []
            )
            u = UNIT_NOUNS[cls][0]
            # the ask after sentences about the asker's work
            for k, lead in enumerate(PREAMBLES):
                add(
                    "count",
                    "preamble",
                    f"lead {k + 1}",
                    lead.format(ask=f"{name} có bao nhiêu {u}"),
                    doc,
                    head.path,
                    counts,
                )
            held.setdefault(cls, []).append((doc, head, counts))
            short = SHORT_UNITS.get(u)
            if not short:
                continue
            add("count", "short", "bn", f"{loose[0]} bn {short}", doc, head.path, counts)
            add("count", "short", "co bn", f"{loose[-1]} có bn {short}?", doc, head.path, counts)
            add(
                "count",
                "short",
                "may nhom",
                fold(f"{loose[0]} co may nhom {short}").lower(),
                doc,
                head.path,
                [len(kids)],
            )
        # two counts in one question, of two headings of the document
        mine = [(cls, h, c) for cls, rows in held.items() for d, h, c in rows if d == doc]
        for (c1, h1, n1), (c2, h2, n2) in zip(mine, mine[1:]):
            u1, u2 = UNIT_NOUNS[c1][0], UNIT_NOUNS[c2][0]
            add(
                "count2",
                "two",
                "va",
                f"{name} có mấy {u1} và bao nhiêu {u2}?",
                doc,
                f"{h1.path}+{h2.path}",
                [n1[0], n2[0]],
            )
            add(
                "count2",
                "two",
                "chat",
                _chat(f"{loose[0]} co may {u1} may {u2}"),
                doc,
                f"{h1.path}+{h2.path}",
                [n1[0], n2[0]],
            )
        # absent: a body the document names nowhere, a noun none of its clauses says
        for body in BODIES:
            if fold(body).lower() not in doc_text:
                add("absent", "absent", "body", f"{name} giao bao nhiêu nhiệm vụ cho {body}?", doc, body, [], [body])
        for noun in ("sáng kiến", "chỉ tiêu", "tiêu chí", "nguyên tắc"):
            if fold(noun) not in doc_text:
                add("absent", "absent", "noun", f"{name} đề ra bao nhiêu {noun}?", doc, noun, [], [])
    # the noun every item of one heading opens with, asked with nothing else ("Kế hoạch 01 có mấy
    # hệ thống?": "1. Hệ thống đổi mới thể chế …" … "6. Hệ thống dự án …" under "II- NHIỆM VỤ TRỌNG TÂM")
    for doc, name in names.items():
        opening: dict[str, list] = defaultdict(list)
        for head, kids in tree.heads(doc):
            if head.boilerplate or head.kind in ("title", "row", "table"):
                continue
            firsts = {" ".join(tree.words(k)[:2]) for k in kids}
            if len(firsts) == 1 and len(kids) >= 3:
                noun = firsts.pop()
                if noun.replace(" ", "_") in UNIT_WORDS and not any(w.isdigit() for w in noun.split()):
                    opening[noun].append((head, kids))
        for noun, found in opening.items():
            if len(found) != 1:
                continue
            head, kids = found[0]
            said = next(item_body(k)[1] for k in kids)
            shown = " ".join(said.split()[:2]).lower()
            keys = [item_key(k) for k in kids]
            add("count", "bare", "co may", f"{name} có mấy {shown}?", doc, head.path, [len(kids)])
            add(
                "count",
                "bare",
                "chat",
                _chat(f"{LOOSE_NAMES.get(doc, [name])[0]} co bao nhieu {shown}"),
                doc,
                head.path,
                [len(kids)],
            )
            add("list", "bare", "gom nhung", f"{name} gồm những {shown} nào?", doc, head.path, [len(kids)], keys)
    # a document named wrongly: the noun's one heading is in another document only
    for cls, rows in held.items():
        if len(rows) != 1:
            continue
        doc, head, counts = rows[0]
        u = UNIT_NOUNS[cls][0]
        for other, name in names.items():
            if other != doc and fold(u) not in fold(" ".join(c.text for c in tree.of_document(other))).lower():
                add(
                    "count",
                    "wrongdoc",
                    "co bao nhieu",
                    f"{name} có bao nhiêu {u}?",
                    doc,
                    f"{head.path}@{other}",
                    counts,
                )
    return probes


def judge(probe: Probe, answer) -> Outcome:
    text = answer.answer
    lines = [ln for ln in text.split("\n") if ln.strip()]
    opening = "\n".join(lines[:OPENING_LINES])
    if probe.kind == "absent":
        if answer.abstained:  # refused: right, nothing made up
            return Outcome(probe, 1.0, True, opening)
        # no count made up: the asked body named, or the document said not to state it
        said = fold(opening).lower()
        named = any(fold(k).lower() in said for k in probe.keys)
        ok = named or "khong neu" in said or not re.search(r"\bgom \d+", said)
        return Outcome(probe, float(ok), False, opening)
    if answer.abstained:
        return Outcome(probe, 0.0, True, opening)
    if probe.kind == "count2":  # each count said as the count of a list ("… gồm 7 nhiệm vụ")
        ok = sum(1 for n in probe.counts if re.search(rf"\bgồm {n}\b", text)) / len(probe.counts)
        return Outcome(probe, ok, False, opening)
    if probe.kind == "count":
        ok = float(any(said_count(opening, n) for n in probe.counts))
    else:
        folded = " ".join(re.findall(r"\w+", fold(text)))
        keys = [k for k in probe.keys if k]
        ok = sum(1 for k in keys if k in folded) / len(keys) if keys else 0.0
    return Outcome(probe, ok, False, opening)


def names_of(app) -> dict[str, str]:
    return {
        d.id: doc_name(d.cite_as or d.short, d.id)
        for d in app.searcher.recognizer.documents
        if d.authority == "official"
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--show", type=int, default=0, help="print this many failures (tune half only)")
    parser.add_argument("--family")
    parser.add_argument("--half", choices=["tune", "check"])
    args = parser.parse_args(argv)

    from assistant.api import Assistant

    app = Assistant()
    tree = DocumentTree(app.table)
    probes = [
        p
        for p in [*build(tree, names_of(app)), *build_new(tree, names_of(app))]
        if (args.family is None or p.family == args.family) and (args.half is None or p.half == args.half)
    ]
    outcomes = [judge(p, app.ask(p.question)) for p in probes]
    by: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for o in outcomes:
        p = o.probe
        for half in (p.half, "all"):
            by[(p.kind, p.family, half)].append(o.ok)
            by[(p.kind, "ALL", half)].append(o.ok)
            by[("ALL", "ALL", half)].append(o.ok)
    print(f"{'kind':6} {'family':8} {'tune':>12} {'check':>12} {'all':>12}")
    for kind, family in sorted({(k, f) for k, f, _ in by}):
        cells = []
        for half in ("tune", "check", "all"):
            v = by.get((kind, family, half), [])
            cells.append(f"{sum(v) / len(v):.3f}({len(v):3})" if v else f"{'-':>10}  ")
        print(f"{kind:6} {family:8} " + " ".join(f"{c:>12}" for c in cells))
    asked = [o for o in outcomes if o.probe.kind != "absent"]
    absent_refused = sum(o.abstained for o in outcomes if o.probe.kind == "absent")
    print(f"refused {sum(o.abstained for o in asked)}/{len(asked)} (absent probes refused: {absent_refused})")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [{**asdict(o.probe), "ok": o.ok, "abstained": o.abstained, "opening": o.opening} for o in outcomes],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    failures = [o for o in outcomes if o.ok < 0.5 and o.probe.half == "tune"][: args.show]
    for o in failures:
        p = o.probe
        print(f"\n[{p.kind}/{p.family}/{p.form}] {p.question}  (expect {p.counts}; {p.doc} {p.path})")
        print("  " + o.opening.replace("\n", "\n  ")[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
