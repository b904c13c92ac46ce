"""Probe the list and count answers over the whole document tree (issue 10).

Every heading of an official document that has numbered items becomes a few questions,
written from the heading itself, the way people ask: "Theo Kế hoạch 01, mục tiêu cụ thể
đến năm 2030 gồm mấy nội dung?", "Liệt kê … trong Nghị quyết 57", the same without tone
marks. The expected answer is read from the tree (the heading's children), so the probe is
a check of the mechanism on every heading, not on the questions it was tuned for.

    .venv/bin/python scripts/probe_tree.py [--json OUT] [--show N] [--kind count|list]

Reports, per question form: the share of count questions whose answer states the right
count in its opening lines, and the mean share of a heading's items a list answer shows.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.doctree import DocumentTree, first_line, item_body  # noqa: E402
from retrieval.text import fold, sentence_spans  # noqa: E402
from retrieval.types import Chunk  # noqa: E402

NUMBER_WORDS = {2: "hai", 3: "ba", 4: "bốn", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
WORD_NUMBERS = {w: n for n, w in NUMBER_WORDS.items()}
# the count a sentence states before its noun ("theo 06 Hệ thống", "gồm 7 nhóm", "ba khu");
# "năm" (five, and year) is left out
_STATED = re.compile(
    r"(?<![\w.,/%-])(0?\d{1,2}|hai|ba|bốn|sáu|bảy|tám|chín|mười)\s+((?:[^\W\d]+\s+){0,2}[^\W\d]+)",
)
# the nouns people use for a heading's own noun (a paraphrase of the heading, not of one question)
NOUN_PARAPHRASES = {
    "nhiệm vụ": ["đầu việc"],
    "giải pháp": ["biện pháp"],
    "mục tiêu": ["chỉ tiêu"],  # only where no heading of the document is about chỉ tiêu itself
}
NOT_NOUNS = re.compile(r"(?i)^(?:về|đến|trong|tổ chức thực hiện|giai đoạn \d)")  # a heading not about a noun
SHORT_NAMES = {
    "nq57": "NQ 57",
    "nq03": "nq 03",
    "nq20": "NQ20",
    "kh01": "kh01",
    "kl69": "KL 69",
    "kh-vhl": "kế hoạch VHL",
}
SKIP_KINDS = {"title", "row", "group", "table", "paragraph"}
MAX_TOPIC_WORDS = 12
KEY_WORDS = 4  # an item counts as shown when the first words of its title are in the answer
OPENING_LINES = 3


@dataclass
class Probe:
    kind: str  # count | list | multi (a count and its items)
    form: str
    question: str
    doc: str
    path: str
    count: int
    keys: list[str]
    family: str = "heading"  # heading | stated | synonym | items:<kind> | doc only | two-level
    groups: int = 0  # a two-level total: the number of groups (count is the total they hold)


@dataclass
class Outcome:
    probe: Probe
    ok: float
    abstained: bool
    opening: str


def doc_name(cite_as: str, doc_id: str) -> str:
    """ "Nghị quyết 57-NQ/TW" → "Nghị quyết 57"; the VHL plan by its owner."""
    if doc_id == "kh-vhl":
        return "Kế hoạch của Viện Hàn lâm"
    m = re.match(r"^(\D+?)\s*(\d+)", cite_as)
    return f"{m.group(1)} {m.group(2)}" if m else cite_as


def topic_of(chunk) -> str:
    """A heading as a question names it: its title without marker, cut at a colon, a dash
    or a parenthesis, at most a dozen words, upper case headings lowered."""
    _, body = item_body(chunk)
    body = re.sub(r"^\d{1,2}(?:\.\d{1,2})*\s*-\s*", "", body)  # "2- Mục tiêu cụ thể"
    body = re.split(r"\s+[-–]\s+|:|\(|;", body)[0].strip(" .,")
    words = body.split()
    if len(words) > MAX_TOPIC_WORDS:
        return ""
    if body.isupper():
        body = body.lower()
    elif words:
        body = body[0].lower() + body[1:]
    return body


def item_key(chunk) -> str:
    _, body = item_body(chunk)
    words = re.findall(r"\w+", fold(body))
    return " ".join(words[:KEY_WORDS])


def build(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    probes: list[Probe] = []
    for doc, name in names.items():
        heads = [(h, kids) for h, kids in tree.heads(doc) if h.kind not in SKIP_KINDS]
        topics = {h.id: topic_of(h) for h, _ in heads}
        seen = defaultdict(int)
        for t in topics.values():
            seen[t] += 1
        for head, kids in heads:
            topic = topics[head.id]
            if not topic or len(topic) < 6:
                continue
            if seen[topic] > 1:  # "a) Nội dung chính" under each Hệ thống: named with its parent
                parent = tree.parent(head)
                ptopic = topic_of(parent) if parent is not None else ""
                if not ptopic:
                    continue
                topic = f"{topic} của {ptopic}"
            n = len(kids)
            keys = [item_key(k) for k in kids]
            common = {"count": n, "keys": keys, "doc": doc, "path": head.path}
            forms = {
                ("count", "gom may"): f"Theo {name}, {topic} gồm mấy nội dung?",
                ("count", "co bao nhieu"): f"{topic[0].upper() + topic[1:]} trong {name} có bao nhiêu điểm?",
                ("list", "gom nhung"): f"Theo {name}, {topic} gồm những nội dung nào?",
                ("list", "liet ke"): f"Liệt kê {topic} trong {name}",
            }
            if first_line(head).isupper() or head.kind in ("roman", "upper"):
                forms[("count", "noun")] = f"{name} có bao nhiêu {topic}?"
                forms[("list", "noun")] = f"{name} nêu những {topic} nào?"
            parent = tree.parent(head)
            ptopic = topic_of(parent) if parent is not None and parent.kind in ("roman", "upper") else ""
            pnoun = " ".join(ptopic.split()[:2]).rstrip(",")
            short = " ".join(topic.split()[:6]).rstrip(",")
            if (
                pnoun and head.kind == "number" and not pnoun.startswith("nhóm") and not re.match(r"\w+ \w+ \d", topic)
            ):  # "nhóm nhiệm vụ tăng cường hợp tác quốc tế có bao nhiêu nhiệm vụ"
                forms[("count", "nhom cha")] = f"Trong {name}, nhóm {pnoun} {short} có bao nhiêu {pnoun}?"
                forms[("list", "nhom cha")] = f"Trong {name}, nhóm {pnoun} {short} gồm những {pnoun} nào?"
            if all(len(tree.children(k)) >= 2 for k in kids) and head.kind in ("roman", "upper"):
                forms[("count", "may nhom")] = f"{name} có mấy nhóm {topic}?"
            for (kind, form), q in list(forms.items()):
                probes.append(Probe(kind, form, q, **common))
                if form in ("gom may", "gom nhung", "nhom cha"):
                    probes.append(Probe(kind, form + " (khong dau)", fold(q).lower(), **common))
    return probes


def said_count(text: str, count: int) -> bool:
    """The text states the count: "7", "07" or in words ("bảy nhóm")."""
    if re.search(rf"(?<![\d.,])0?{count}(?![\d.,%])", text):
        return True
    word = NUMBER_WORDS.get(count)
    return bool(word) and re.search(rf"\b{word}\s+\w", text.lower()) is not None


def build_more(tree: DocumentTree, names: dict[str, str], rules=None) -> list[Probe]:
    """The families of issue 10 beyond a heading quoted word for word:

    - stated: a count a sentence states ("… được cấu thành bởi 3 trụ cột quan trọng:"), asked
      with the sentence's own words, the number replaced by "bao nhiêu" / "mấy" (and folded);
    - synonym: a heading's noun asked with a paraphrase ("đầu việc" for "nhiệm vụ");
    - items:<kind>: a heading's count where its items are lettered or bulleted, not numbered;
    - doc only: a document's count asked by its short name and the noun alone ("nq 03 có
      bao nhiêu nhiệm vụ"), where one heading of it is about that noun.
    """
    from retrieval.rules import load_rules

    rules = rules or load_rules("answers")
    figures = rules.word_set("figure_nouns") | {"nam", "thang", "ngay", "lan", "gio", "ty", "trieu"}
    probes: list[Probe] = []
    seen: set[str] = set()

    def add(p: Probe) -> None:
        if p.question not in seen:
            seen.add(p.question)
            probes.append(p)

    for doc, name in names.items():
        # stated counts; a phrase stated with several counts (the 2030 and the 2045 targets)
        # is asked with the year of the heading it stands under, else left out
        stated: list[tuple[Chunk, str, str, int]] = []
        for c in tree.of_document(doc):
            if c.kind in ("title", "table", "row") or c.boilerplate:
                continue
            for a, b in sentence_spans(c.text, 0, len(c.text)):
                sentence = c.text[a:b]
                for m in _STATED.finditer(sentence):
                    number, noun = m.group(1), m.group(2)
                    n = WORD_NUMBERS.get(number) or int(number)
                    words = fold(noun).split()
                    before = sentence[: m.start()].split()[-10:]
                    if n < 2 or words[0] in figures or len(before) < 2:
                        continue
                    lead = " ".join(before)
                    lead = lead[0].lower() + lead[1:] if not lead[:2].isupper() else lead
                    stated.append((c, lead, noun, n))
        counts: dict[str, set[int]] = defaultdict(set)

        def said(lead: str, noun: str) -> str:
            return fold(" ".join([*lead.split()[-3:], noun]))

        for c, lead, noun, n in stated:
            counts[said(lead, noun)].add(n)
        for c, lead, noun, n in stated:
            if len(counts[said(lead, noun)]) > 1:
                year = next((t for a in tree.ancestors(c) if re.search(r"\d{4}", t := topic_of(a))), "")
                if not year:
                    continue
                lead = f"{year}, {lead}"
            common = {"count": n, "keys": [], "doc": doc, "path": c.path, "family": "stated"}
            q1 = f"Theo {name}, {lead} bao nhiêu {noun}?"
            add(Probe("count", "stated bao nhieu", q1, **common))
            add(Probe("count", "stated may", f"Theo {name}, {lead} mấy {noun}?", **common))
            add(Probe("count", "stated (khong dau)", fold(q1).lower(), **common))
        # synonyms, items by kind, doc only
        heads = [(h, kids) for h, kids in tree.heads(doc) if h.kind not in SKIP_KINDS]
        short = SHORT_NAMES.get(doc, name)
        by_noun: dict[str, list] = defaultdict(list)
        topics = defaultdict(int)  # over every clause: "a) Nội dung chính" of each Hệ thống, with items or not
        for c in tree.of_document(doc):
            if c.part <= 1:
                topics[topic_of(c)] += 1
        for head, kids in heads:
            topic = topic_of(head)
            if not topic or len(topic) < 6 or topics[topic] > 1:  # "a) Nội dung chính" of each Hệ thống
                continue
            n = len(kids)
            common = {"count": n, "keys": [item_key(k) for k in kids], "doc": doc, "path": head.path}
            kinds = {k.kind for k in kids}
            if len(kinds) == 1 and (kind := next(iter(kinds))) in ("letter", "bullet", "paren"):
                add(
                    Probe(
                        "count",
                        "items gom may",
                        f"Theo {name}, {topic} gồm mấy nội dung?",
                        **common,
                        family=f"items:{kind}",
                    )
                )
                add(
                    Probe(
                        "count",
                        "items co bao nhieu",
                        f"{topic[0].upper() + topic[1:]} trong {name} có bao nhiêu ý?",
                        **common,
                        family=f"items:{kind}",
                    )
                )
            noun2 = " ".join(topic.split()[:2])
            own = " ".join(" ".join(tree.words(h)) for h, _ in tree.heads(doc))
            for syn in NOUN_PARAPHRASES.get(noun2.lower(), []):
                if f" {fold(syn)} " in f" {own} ":  # the document has headings about the paraphrase itself
                    continue
                rest = topic[len(noun2) :]
                q = f"{name} có bao nhiêu {syn}{rest}?"
                add(Probe("count", "synonym", q, **common, family="synonym"))
                add(Probe("count", "synonym (khong dau)", fold(q).lower(), **common, family="synonym"))
            if head.kind in ("roman", "upper", "number", "article", "appendix") and not NOT_NOUNS.match(topic):
                by_noun[noun2.lower()].append((head, kids, common))
        for noun2, found in by_noun.items():
            if len(found) != 1 or len(noun2.split()) < 2:
                continue
            head, kids, common = found[0]
            add(Probe("count", "doc only", f"{short} có bao nhiêu {noun2}?", **common, family="doc only"))
            add(
                Probe(
                    "count",
                    "doc only (khong dau)",
                    fold(f"{short} co bao nhieu {noun2}").lower(),
                    **common,
                    family="doc only",
                )
            )
            if all(len(tree.children(k)) >= 2 for k in kids):
                add(Probe("count", "doc only nhom", f"{short} có mấy nhóm {noun2}?", **common, family="doc only"))
    return probes


def build_unseen(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    """Phrasings no question of the eval was tuned on (issue 10, unseen sets), over every
    heading named by its noun ("QUAN ĐIỂM CHỈ ĐẠO", "NHIỆM VỤ CỤ THỂ"):

    - frames: a count in other frames ("có tổng cộng bao nhiêu …", "số lượng … là bao
      nhiêu", "có bao nhiêu … được nêu trong …", "đưa ra tất cả mấy …", chat without marks);
    - list frames: "kể tên các …", "… của X là những gì?", "X có những … nào?", "cho tôi
      biết các …", chat "kh01 … gồm những gì";
    - content group: a group of a list named by what it is about, not by its number or its
      first words ("nhóm nhiệm vụ về hợp tác quốc tế trong phát triển …");
    - multi count+list: the count and the items in one message ("… có bao nhiêu …? Kể tên
      các … đó.", "… gồm mấy nội dung, là những nội dung nào?", "…? Kể tên giúp mình.",
      "kh01 co may …, ke ra"); judged on both halves.
    """
    probes: list[Probe] = []
    for doc, name in names.items():
        short = SHORT_NAMES.get(doc, name)
        topics: dict[str, int] = defaultdict(int)
        for c in tree.of_document(doc):
            if c.part <= 1:
                topics[topic_of(c)] += 1
        for head, kids in tree.heads(doc):
            if head.kind in SKIP_KINDS or head.kind == "appendix":  # "Phụ lục I": a part, not a noun
                continue
            topic = topic_of(head)
            if not topic or len(topic) < 6 or topics[topic] > 1:
                continue
            common = {"count": len(kids), "keys": [item_key(k) for k in kids], "doc": doc, "path": head.path}
            cap = topic[0].upper() + topic[1:]
            if (first_line(head).isupper() or head.kind in ("roman", "upper")) and not NOT_NOUNS.match(topic):
                forms = {
                    ("count", "tong cong", "frames"): f"{name} có tổng cộng bao nhiêu {topic}?",
                    ("count", "so luong", "frames"): f"Số lượng {topic} trong {name} là bao nhiêu?",
                    ("count", "duoc neu", "frames"): f"Có bao nhiêu {topic} được nêu trong {name}?",
                    ("count", "dua ra may", "frames"): f"{name} đưa ra tất cả mấy {topic}?",
                    ("count", "chat", "frames"): fold(f"{short} co tat ca may {topic} vay").lower(),
                    ("list", "ke ten", "list frames"): f"Kể tên các {topic} của {name}",
                    ("list", "la nhung gi", "list frames"): f"{cap} của {name} là những gì?",
                    ("list", "co nhung nao", "list frames"): f"{name} có những {topic} nào?",
                    ("list", "cho biet", "list frames"): f"Cho tôi biết các {topic} trong {name}",
                    ("list", "chat", "list frames"): fold(f"{short} {topic} gom nhung gi").lower(),
                    ("list", "neu gom gi", "list frames"): f"{name} nêu {topic} gồm những gì?",
                    ("multi", "dem roi ke", "multi count+list"): f"{name} có bao nhiêu {topic}? Kể tên các {topic} đó.",
                    ("multi", "may la gi", "multi count+list"): (
                        f"{cap} của {name} gồm mấy nội dung, là những nội dung nào?"
                    ),
                    ("multi", "ke ten giup", "multi count+list"): f"{name} có bao nhiêu {topic}? Kể tên giúp mình.",
                    ("multi", "ke ra", "multi count+list"): fold(f"{short} co may {topic}, ke ra").lower(),
                }
                for (kind, form, family), q in forms.items():
                    probes.append(Probe(kind, form, q, **common, family=family))
            parent = tree.parent(head)
            if parent is None or parent.kind not in ("roman", "upper") or head.kind != "number":
                continue
            pnoun = " ".join(topic_of(parent).split()[:2]).rstrip(",")
            words = topic.split()
            if len(words) < 5 or not pnoun or pnoun.startswith("nhóm") or re.match(r"\w+ \w+ \d", topic):
                continue
            about = " ".join(words[2:7]).rstrip(",;")  # what the group is about, its opening verb left out
            for kind, form, q in [
                ("count", "nhom ve", f"Nhóm {pnoun} về {about} trong {name} có bao nhiêu {pnoun}?"),
                ("count", "nhom ve (khong dau)", fold(f"{short} nhom {pnoun} ve {about} co may {pnoun}").lower()),
                ("list", "nhom ve", f"Trong {name}, nhóm {pnoun} về {about} gồm những {pnoun} nào?"),
            ]:
                probes.append(Probe(kind, form, q, **common, family="content group"))
    return probes


_NUMBERED = re.compile(r"^(\w+(?:\s\w+)?)\s+\d{1,3}\b")


def total_noun(tree: DocumentTree, head, kids) -> str:
    """What a two-level total counts: the noun its items number ("Sáng kiến 1" … under
    each group: "sáng kiến"), else the heading's own noun ("NHIỆM VỤ CỤ THỂ": "nhiệm vụ");
    "" for a heading that names no noun."""
    items = [c for k in kids for c in tree.children(k)]
    named = [m.group(1).lower() for c in items if (m := _NUMBERED.match(item_body(c)[1]))]
    if named and len(named) >= 0.8 * len(items) and len(set(named)) == 1:
        return named[0]
    topic = topic_of(head)
    if (
        not topic
        or NOT_NOUNS.match(topic)
        or re.match(r"(?:nhóm|phụ lục|danh sách|cách|nguyên tắc|tổ chức)\b", topic)
        or head.kind not in ("roman", "upper")
    ):
        return ""
    return " ".join(topic.split()[:2]).rstrip(",")


def build_totals(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    """Two-level totals (issue 10, "mấy nhóm, tổng cộng bao nhiêu nhiệm vụ"): every
    heading whose items are groups of two or more items each, asked for both counts at
    once in several frames (groups first, the total first, chat without marks). The
    expected counts are the tree's: the heading's items and the sum of theirs."""
    probes: list[Probe] = []
    for doc, name in names.items():
        short = SHORT_NAMES.get(doc, name)
        for head, kids in tree.heads(doc):
            if head.kind in SKIP_KINDS or len(kids) < 2 or not all(len(tree.children(k)) >= 2 for k in kids):
                continue
            items = [c for k in kids for c in tree.children(k)]
            if len({item_key(c) for c in items}) < 0.8 * len(items):  # "a) Nội dung chính" of each group
                continue
            noun = total_noun(tree, head, kids)
            if not noun:
                continue
            common = {"count": len(items), "keys": [], "doc": doc, "path": head.path, "family": "two-level"}
            forms = {
                "nhom, tong cong": f"{name} có mấy nhóm {noun}, tổng cộng bao nhiêu {noun}?",
                "chia nhom, tong so": f"{name} chia các {noun} thành mấy nhóm, tổng số {noun} là bao nhiêu?",
                "tong truoc": f"{name} có tổng cộng bao nhiêu {noun}, xếp thành mấy nhóm?",
                "hai cau hoi": f"{name} có mấy nhóm {noun}? Tổng cộng bao nhiêu {noun}?",
                "chat": fold(f"{short} co may nhom {noun}, tat ca bao nhieu {noun} vay").lower(),
            }
            for form, q in forms.items():
                probes.append(Probe("total", form, q, **common, groups=len(kids)))
    return probes


_WORD = re.compile(r"[^\W\d_]+")


def named_rows(sentence: str) -> list[tuple[str, list[int]]]:
    """The rows of names a sentence gives one noun: a capitalised pair of words ("Nghị
    quyết", "Trung tâm") said two or more times in a row, each after a comma or "và" from
    the one before. (noun, the starts of its names)."""
    rows: list[tuple[str, list[int]]] = []
    by: dict[str, list[int]] = defaultdict(list)
    words = list(_WORD.finditer(sentence))
    for w, nxt in zip(words, words[1:]):
        between = sentence[w.end() : nxt.start()]
        if w.start() > 0 and w.group()[0].isupper() and nxt.group()[0].islower() and between == " ":
            by[f"{w.group()} {nxt.group()}"].append(w.start())
    for noun, starts in by.items():
        run: list[int] = []
        for i in starts:
            if (
                run
                and re.search(r"(?:,|\svà(?: các)?)\s*$", sentence[run[-1] : i])
                and ";" not in sentence[run[-1] : i]
            ):
                run.append(i)
            else:
                if len(run) >= 2:
                    rows.append((noun, run))
                run = [i]
        if len(run) >= 2:
            rows.append((noun, run))
    return rows


def build_rows(tree: DocumentTree, names: dict[str, str]) -> list[Probe]:
    """Counts and lists one sentence answers by naming the members in a row (issue 10, "a
    count stated only inside one sentence": "… gắn với Nghị quyết Đại hội lần thứ XIII,
    Nghị quyết số 29-NQ/TW …, Nghị quyết số 45-NQ/TW …"), asked with the words before the
    row ("Theo Kết luận 69, … gắn với mấy nghị quyết?", "… những nghị quyết nào?", folded).
    Expected: the number of names, and the first words of each."""
    probes: list[Probe] = []
    seen: set[str] = set()
    for doc, name in names.items():
        for c in tree.of_document(doc):
            if c.kind in ("table", "row") or c.boilerplate:  # a preamble in the heading block counts too
                continue
            for a, b in sentence_spans(c.text, 0, len(c.text)):
                sentence = c.text[a:b]
                for noun, run in named_rows(sentence):
                    # the words before the row, back to the punctuation opening its phrase
                    clause = re.split(r"[,;:()\n]", sentence[: run[0]])[-1]
                    before = clause.split()
                    if not 3 <= len(before) <= 12 or noun.split()[0].lower() in ("theo", "và", "các"):
                        continue
                    lead = " ".join(before)
                    lead = lead[0].lower() + lead[1:] if not lead[:2].isupper() else lead
                    ends = [*run[1:], len(sentence)]
                    keys = [" ".join(re.findall(r"\w+", fold(sentence[x:y]))[:KEY_WORDS]) for x, y in zip(run, ends)]
                    if len(set(keys)) < len(keys):  # the same name twice: no row of members
                        continue
                    common = {"count": len(run), "keys": keys, "doc": doc, "path": c.path, "family": "named row"}
                    noun_l = noun.lower()
                    for kind, form, q in [
                        ("count", "row may", f"Theo {name}, {lead} mấy {noun_l}?"),
                        ("list", "row nhung nao", f"Theo {name}, {lead} những {noun_l} nào?"),
                        (
                            "count",
                            "row (khong dau)",
                            fold(f"{SHORT_NAMES.get(doc, name)} {lead} bao nhieu {noun_l}").lower(),
                        ),
                    ]:
                        if q not in seen:
                            seen.add(q)
                            probes.append(Probe(kind, form, q, **common))
    return probes


def judge(probe: Probe, answer) -> Outcome:
    text = answer.answer
    lines = [ln for ln in text.split("\n") if ln.strip()]
    opening = "\n".join(lines[:OPENING_LINES])
    if answer.abstained:
        return Outcome(probe, 0.0, True, opening)
    folded = " ".join(re.findall(r"\w+", fold(text)))
    keys = [k for k in probe.keys if k]
    shown = sum(1 for k in keys if k in folded) / len(keys) if keys else 0.0
    if probe.kind == "count":
        ok = float(said_count(opening, probe.count))
    elif probe.kind == "total":  # both counts said first: the groups and the total
        ok = 0.5 * float(said_count(opening, probe.groups)) + 0.5 * float(said_count(opening, probe.count))
    elif probe.kind == "multi":  # the count said first and the items shown
        ok = 0.5 * float(said_count(opening, probe.count)) + 0.5 * shown
    else:
        ok = shown
    return Outcome(probe, ok, False, opening)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--kind", choices=["count", "list", "multi", "total"])
    parser.add_argument(
        "--family", help="only this family (heading, stated, synonym, items, doc only, frames, list frames, …)"
    )
    args = parser.parse_args(argv)

    from assistant.api import Assistant

    app = Assistant()
    tree = DocumentTree(app.table)
    names = {
        d.id: doc_name(d.cite_as or d.short, d.id)
        for d in app.searcher.recognizer.documents
        if d.authority == "official"
    }
    probes = [
        p
        for p in [
            *build(tree, names),
            *build_more(tree, names),
            *build_unseen(tree, names),
            *build_totals(tree, names),
            *build_rows(tree, names),
        ]
        if (args.kind is None or p.kind == args.kind) and (args.family is None or p.family.startswith(args.family))
    ]
    outcomes = [judge(p, app.ask(p.question)) for p in probes]
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for o in outcomes:
        by[(o.probe.kind, o.probe.form)].append(o.ok)
        by[(o.probe.kind, "ALL")].append(o.ok)
        by[("family", o.probe.family)].append(o.ok)
    for key in sorted(by):
        v = by[key]
        print(f"{key[0]:6} {key[1]:24} {sum(v) / len(v):.3f} ({len(v)})")
    refused = sum(o.abstained for o in outcomes)
    print(f"refused {refused}/{len(outcomes)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [{**asdict(o.probe), "ok": o.ok, "abstained": o.abstained, "opening": o.opening} for o in outcomes],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    failures = [o for o in outcomes if o.ok < 0.5][: args.show]
    for o in failures:
        print(
            f"\n[{o.probe.kind}/{o.probe.form}] {o.probe.question}  (expect {o.probe.count}; {o.probe.doc} {o.probe.path})"
        )
        print("  " + o.opening.replace("\n", "\n  ")[:400])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
