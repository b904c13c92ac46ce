"""Probe count answers over every heading of the documents (issue 10, counts on unseen
splits): each heading with two or more numbered, lettered or bulleted items is asked for
its count in the ways people ask, and the answer must state the heading's number of items
in its opening lines and cite the items themselves.

Families (the noun each form counts):

- own: the heading's own noun ("QUAN ĐIỂM CHỈ ĐẠO" → "có mấy quan điểm chỉ đạo");
- child: the noun the items open with ("Sáng kiến 1 …", "Trách nhiệm của …", "Giai đoạn …");
- synonym: the heading's noun said in other words ("đầu việc" for "nhiệm vụ");
- period: a heading of a period ("Đến năm 2030", "Giai đoạn 2025 - 2027") asked by the period
  and the noun of it or of the heading above ("Đến năm 2030, Nghị quyết 57 đặt ra bao nhiêu mục tiêu?");
- groups: the groups of a heading's items counted ("Kế hoạch 01 có mấy nhóm sáng kiến?");
- total: the items of every group counted together, the groups said, not asked ("Tổng cộng có
  bao nhiêu sáng kiến trong các nhóm của Kế hoạch 01?");
- each: every group's own count asked at once ("Mỗi nhóm sáng kiến của Kế hoạch 01 có bao nhiêu
  sáng kiến?"): the answer states each group's count too;
- part: the heading named by its place ("Mục III của Kế hoạch 01 có bao nhiêu điểm?",
  "điểm 2 Mục I … gồm mấy tiết?");
- chat: each of them typed as in a chat (no marks, "bn", short document names);
- placekid: the heading named by its place and counted by its items' own noun ("Phần E Mục
  III Phụ lục I của Kế hoạch 01 có bao nhiêu sáng kiến?");
- again: a follow-up asking the count of a part again of its next sibling ("còn điểm 4 thì
  có mấy?" after "điểm 3 Mục III … có bao nhiêu ý?"), with the previous turn as history.

Every probe falls in the tune or the check half by its heading (a hash of document and path),
so that a change tuned on one half is measured on headings it never saw (--half).

    .venv/bin/python scripts/probe_counts.py [--json OUT] [--show N] [--family F] [--half tune|check]

Reports, per family and form: count right (the count in the first lines), items cited (the
share of the heading's items the answer cites), and both (count right and every item cited,
or all MAX_CITED of a longer list).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.doctree import DocumentTree, item_body  # noqa: E402
from retrieval.text import fold  # noqa: E402
from scripts.probe_tree import (  # noqa: E402
    OPENING_LINES,
    SHORT_NAMES,
    SKIP_KINDS,
    doc_name,
    said_count,
    topic_of,
    total_noun,
)

MAX_CITED = 40  # an answer lists at most this many items (assistant.tree.MAX_ITEMS)
# the nouns a heading's line opens with that name what its items are (folded)
HEAD_NOUNS = (
    "quan diem",
    "muc tieu",
    "nhiem vu",
    "giai phap",
    "nguyen tac",
    "tieu chi",
    "sang kien",
    "trach nhiem",
    "chi tieu",
    "trong tam",
    "co che",
    "noi dung",
    "linh vuc",
)
# everyday words for a heading's noun (a paraphrase of the noun, not of one question)
SYNONYMS = {"nhiem vu": ["đầu việc", "việc"], "giai phap": ["biện pháp"], "quan diem": ["quan điểm lớn"]}
# how a child's label part names its kind ("điểm 2", "tiết a", "gạch đầu dòng thứ 1")
PART_WORDS = {"điểm": "điểm", "tiết": "tiết", "khoản": "khoản", "gạch đầu dòng": "ý", "Mục": "mục", "Điều": "điều"}


@dataclass
class Probe:
    family: str
    form: str
    question: str
    doc: str
    path: str
    count: int
    kids: list[str] = field(default_factory=list)  # the items' ids
    sizes: list[int] = field(default_factory=list)  # each group's count (family each)
    history: list[tuple[str, str]] = field(default_factory=list)  # (role, content) turns before it

    @property
    def half(self) -> str:
        """tune or check, by the heading asked of (every form of one heading in one half)."""
        return "check" if zlib.crc32(f"{self.doc}/{self.path}".encode()) % 2 else "tune"


@dataclass
class Outcome:
    probe: Probe
    count_ok: bool
    cited: float
    abstained: bool
    opening: str


def _cap(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _chat(text: str) -> str:
    """A question as typed in a chat: no marks, lower case, "bao nhiêu" as "bn"."""
    return re.sub(r"\bbao nhieu\b", "bn", fold(text).lower()).rstrip("?")


def own_noun(topic: str) -> str:
    """The noun a heading's line opens with, as written ("Quan điểm chỉ đạo" → "quan điểm")."""
    words = topic.split()
    head = " ".join(fold(w).lower() for w in words[:2])
    if " và " in topic:  # "Nguyên tắc và cấu trúc …": two nouns, the first one's list stands under it
        return ""
    return " ".join(words[:2]).lower() if head in HEAD_NOUNS else ""


def child_noun(tree: DocumentTree, kids) -> str:
    """The noun most of a heading's items open with ("Sáng kiến 4: …", "Trách nhiệm của …")."""
    firsts = []
    for k in kids:
        _, body = item_body(k)
        words = re.findall(r"[^\W\d_]+", body)[:2]
        firsts.append(" ".join(words).lower())
    common = max(set(firsts), key=firsts.count) if firsts else ""
    if not common or firsts.count(common) < max(2, 0.75 * len(kids)) or fold(common) not in HEAD_NOUNS:
        return ""
    return common


def part_name(label: str, cite: str) -> str:
    """A heading's place as people name it, smallest part first ("Mục I, điểm 2" →
    "điểm 2 Mục I", "Phụ lục I, Mục III, Phần A" → "Phần A Mục III Phụ lục I"); "" for a
    title block or a part not named by a number."""
    rest = label[len(cite) :].lstrip(", ") if label.startswith(cite) else ""
    rest = re.sub(r"\s*\(phần \d+/\d+\)$", "", rest)
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if not parts or any(p.startswith(("phần", "gạch")) for p in parts):
        return ""
    return " ".join(reversed(parts))


def kid_part(kid, cite: str) -> str:
    last = kid.label[len(cite) :].split(",")[-1].strip()
    for word, said in PART_WORDS.items():
        if last.startswith(word):
            return said
    return ""


def build(tree: DocumentTree, names: dict[str, str], cites: dict[str, str]) -> list[Probe]:
    probes: list[Probe] = []
    seen: set[str] = set()

    def add(family: str, form: str, q: str, head, kids) -> None:
        if q in seen:
            return
        seen.add(q)
        probes.append(Probe(family, form, q, head.doc_id, head.path, len(kids), [k.id for k in kids]))

    for doc, name in names.items():
        short = SHORT_NAMES.get(doc, name)
        topics: dict[str, int] = defaultdict(int)
        for c in tree.of_document(doc):
            if c.part <= 1:
                topics[topic_of(c)] += 1
        for head, kids in tree.heads(doc):
            if head.kind in SKIP_KINDS or head.boilerplate:
                continue
            topic = topic_of(head)
            unique = bool(topic) and len(topic) >= 6 and topics[topic] == 1
            noun = own_noun(topic) if unique else ""
            if noun:
                add("own", "gom bao nhieu", f"{_cap(topic)} của {name} gồm bao nhiêu {noun}?", head, kids)
                add("own", "co may", f"Trong {name}, {topic} có mấy {noun}?", head, kids)
                add("own", "so luong", f"Số lượng {noun} trong {topic} của {name} là bao nhiêu?", head, kids)
                add("chat", "own", _chat(f"{short} {topic} co bao nhieu {noun}"), head, kids)
                for syn in SYNONYMS.get(fold(noun).lower(), []):
                    add("synonym", syn, f"{_cap(topic)} của {name} gồm bao nhiêu {syn}?", head, kids)
                    add("chat", "synonym", _chat(f"{short} {topic} co may {syn}"), head, kids)
            kid = child_noun(tree, kids)
            if kid and unique and fold(kid) != fold(noun):
                add("child", "co bao nhieu", f"{_cap(topic)} trong {name} có bao nhiêu {kid}?", head, kids)
                add("child", "gom may", f"Theo {name}, {topic} gồm mấy {kid}?", head, kids)
                add("chat", "child", _chat(f"{short} {topic} co may {kid}"), head, kids)
            period = re.search(r"(?i)(giai đoạn \d{4}\s*-\s*\d{4}|đến năm \d{4})", topic) if unique else None
            parent = tree.parent(head)
            pnoun = own_noun(topic_of(parent)) if parent is not None else ""
            if period and (noun or pnoun or kid):
                said = period.group(1)
                said = said[0].lower() + said[1:]
                counted = noun or pnoun or kid
                add("period", "dau cau", f"{_cap(said)}, {name} đặt ra bao nhiêu {counted}?", head, kids)
                add("period", "cuoi cau", f"{name} có mấy {counted} {said}?", head, kids)
                typed = re.sub(r"\s*-\s*", "-", said).replace("đến năm ", "đến ")
                add("chat", "period", _chat(f"{short} {typed} co bao nhieu {counted}"), head, kids)
            total = total_noun(tree, head, kids) if all(len(tree.children(k)) >= 2 for k in kids) else ""
            if total and re.match(r"\w+ \w+$", total):  # "Sáng kiến 1" … in groups A- … G-: the groups counted
                add("groups", "may nhom", f"{name} có mấy nhóm {total}?", head, kids)
                add("chat", "groups", _chat(f"{short} co bao nhieu nhom {total}"), head, kids)
                # every group's own count, asked at once: the total first, then each group's
                items = [c for k in kids for c in tree.children(k)]
                sizes = [len(tree.children(k)) for k in kids]
                for family, form, q in (
                    ("total", "trong cac nhom", f"Tổng cộng có bao nhiêu {total} trong các nhóm của {name}?"),
                    ("total", "trong ca n nhom", f"{name} có tổng cộng bao nhiêu {total} trong cả {len(kids)} nhóm?"),
                    ("chat", "total", _chat(f"{short} tong cong bao nhieu {total} trong cac nhom")),
                    ("each", "moi nhom", f"Mỗi nhóm {total} của {name} có bao nhiêu {total}?"),
                    ("chat", "each", _chat(f"{short} moi nhom co bao nhieu {total}")),
                ):
                    if q not in seen:
                        seen.add(q)
                        ids = [c.id for c in items]
                        probes.append(Probe(family, form, q, head.doc_id, head.path, len(items), ids, sizes))
            cite = cites.get(doc, "")
            place = part_name(head.label, cite) if cite else ""
            unit = kid_part(kids[0], cite) if cite else ""
            if place and kid and fold(kid) != fold(noun):  # "Phần E … có bao nhiêu sáng kiến?"
                add("placekid", "co bao nhieu", f"{_cap(place)} của {name} có bao nhiêu {kid}?", head, kids)
                add("chat", "placekid", _chat(f"{short} {place} co may {kid}"), head, kids)
            if place and unit and all(kid_part(k, cite) == unit for k in kids):
                add("part", "co bao nhieu", f"{place} của {name} có bao nhiêu {unit}?", head, kids)
                add("part", "gom may", f"{name}, {place} gồm mấy {unit}?", head, kids)
                add("chat", "part", _chat(f"{short} {place} co bao nhieu {unit}"), head, kids)
        probes += _again(tree, doc, name, cites.get(doc, ""), seen)
    return probes


def _again(tree: DocumentTree, doc: str, name: str, cite: str, seen: set[str]) -> list[Probe]:
    """The count of a part asked, then asked again of its next sibling by the sibling's own
    number only ("còn điểm 4 thì có mấy?"): the follow-up must give the sibling's count."""
    if not cite:
        return []
    heads = {h.id: (h, kids) for h, kids in tree.heads(doc) if h.kind not in SKIP_KINDS and not h.boilerplate}
    out: list[Probe] = []
    by_parent: dict[str, list] = defaultdict(list)
    for h, kids in heads.values():
        parent = tree.parent(h)
        if parent is not None:
            by_parent[parent.id].append((h, kids))
    for siblings in by_parent.values():
        placed = []
        for h, kids in siblings:
            place = part_name(h.label, cite)
            unit = kid_part(kids[0], cite)
            if place and unit and all(kid_part(k, cite) == unit for k in kids):
                placed.append((h, kids, place, unit))
        for (a, akids, aplace, unit), (b, bkids, bplace, bunit) in zip(placed, placed[1:]):
            if bunit != unit or len(akids) == len(bkids):
                continue  # the same count would pass without the follow-up being read
            first = f"{_cap(aplace)} của {name} có bao nhiêu {unit}?"
            own = bplace.split(" ")[:2]  # "điểm 4" of "điểm 4 Mục III"
            for form, q in (
                ("con thi co may", f"còn {' '.join(own)} thì có mấy?"),
                ("con gom bao nhieu", f"còn {' '.join(own)} thì gồm bao nhiêu {unit}?"),
            ):
                key = first + " / " + q
                if key in seen:
                    continue
                seen.add(key)
                said = f"{_cap(aplace)} của {name} có {len(akids)} {unit}."
                out.append(
                    Probe(
                        "again",
                        form,
                        q,
                        b.doc_id,
                        b.path,
                        len(bkids),
                        [k.id for k in bkids],
                        history=[("user", first), ("assistant", said)],
                    )
                )
    return out


def judge(probe: Probe, answer) -> Outcome:
    lines = [ln for ln in answer.answer.split("\n") if ln.strip()]
    opening = "\n".join(lines[:OPENING_LINES])
    if answer.abstained:
        return Outcome(probe, False, 0.0, True, opening)
    cited = {c.chunk_id.split("#")[0] for c in answer.citations}
    want = [k.split("#")[0] for k in probe.kids]
    share = sum(k in cited for k in want) / min(len(want), MAX_CITED)
    count_ok = said_count(opening, probe.count)
    if probe.form in ("moi nhom", "each"):  # each group's own count stated, in the groups' order
        own = [int(n) for n in re.findall(r"(?m)^Gồm (\d+) ", answer.answer)]
        count_ok = count_ok and own == probe.sizes
    return Outcome(probe, count_ok, min(share, 1.0), False, opening)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--family", help="only this family (own, child, synonym, part, chat, again)")
    parser.add_argument("--half", choices=("tune", "check"), help="only the probes of this half")
    args = parser.parse_args(argv)

    from assistant.api import Assistant
    from assistant.types import Message

    app = Assistant()
    tree = DocumentTree(app.table)
    official = [d for d in app.searcher.recognizer.documents if d.authority == "official"]
    names = {d.id: doc_name(d.cite_as or d.short, d.id) for d in official}
    cites = {d.id: next((c.label.split(",")[0] for c in tree.of_document(d.id)), "") for d in official}
    probes = [
        p
        for p in build(tree, names, cites)
        if (args.family is None or p.family == args.family) and (args.half is None or p.half == args.half)
    ]
    outcomes = [
        judge(p, app.ask(p.question, history=[Message(role=r, content=c) for r, c in p.history] or None))
        for p in probes
    ]
    by: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by[(o.probe.family, o.probe.form)].append(o)
        by[(o.probe.family, "ALL")].append(o)
        by[("ALL", "")].append(o)
        by[("HALF", o.probe.half)].append(o)
    print(f"{'family':8} {'form':16} {'count':>6} {'cited':>6} {'both':>6}   n")
    for key in sorted(by):
        v = by[key]
        count = sum(o.count_ok for o in v) / len(v)
        cited = sum(o.cited for o in v) / len(v)
        both = sum(o.count_ok and o.cited >= 0.999 for o in v) / len(v)
        print(f"{key[0]:8} {key[1]:16} {count:6.3f} {cited:6.3f} {both:6.3f}  {len(v)}")
    print(f"refused {sum(o.abstained for o in outcomes)}/{len(outcomes)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [{**asdict(o.probe), "count_ok": o.count_ok, "cited": o.cited, "opening": o.opening} for o in outcomes],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    failures = [o for o in outcomes if not (o.count_ok and o.cited >= 0.999)][: args.show]
    for o in failures:
        p = o.probe
        print(f"\n[{p.family}/{p.form}] {p.question}  (expect {p.count}; {p.doc} {p.path}; cited {o.cited:.2f})")
        print("  " + o.opening.replace("\n", "\n  ")[:300])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
