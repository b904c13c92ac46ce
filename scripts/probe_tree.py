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
from retrieval.text import fold  # noqa: E402

SKIP_KINDS = {"title", "row", "group", "table", "paragraph"}
MAX_TOPIC_WORDS = 12
KEY_WORDS = 4  # an item counts as shown when the first words of its title are in the answer
OPENING_LINES = 3


@dataclass
class Probe:
    kind: str  # count | list
    form: str
    question: str
    doc: str
    path: str
    count: int
    keys: list[str]


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


def judge(probe: Probe, answer) -> Outcome:
    text = answer.answer
    lines = [ln for ln in text.split("\n") if ln.strip()]
    opening = "\n".join(lines[:OPENING_LINES])
    if answer.abstained:
        return Outcome(probe, 0.0, True, opening)
    if probe.kind == "count":
        ok = float(bool(re.search(rf"(?<![\d.,]){probe.count}(?![\d.,%])", opening)))
    else:
        folded = " ".join(re.findall(r"\w+", fold(text)))
        keys = [k for k in probe.keys if k]
        ok = sum(1 for k in keys if k in folded) / len(keys) if keys else 0.0
    return Outcome(probe, ok, False, opening)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--kind", choices=["count", "list"])
    args = parser.parse_args(argv)

    from assistant.api import Assistant

    app = Assistant()
    tree = DocumentTree(app.table)
    names = {
        d.id: doc_name(d.cite_as or d.short, d.id)
        for d in app.searcher.recognizer.documents
        if d.authority == "official"
    }
    probes = [p for p in build(tree, names) if args.kind is None or p.kind == args.kind]
    outcomes = [judge(p, app.ask(p.question)) for p in probes]
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for o in outcomes:
        by[(o.probe.kind, o.probe.form)].append(o.ok)
        by[(o.probe.kind, "ALL")].append(o.ok)
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
