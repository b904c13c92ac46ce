"""Probe the answers to questions about a document's own metadata (issue 10 items 2 and 9).

Every official document becomes a few questions about itself: when it was issued ("ban
hành ngày nào", "ký ngày nào"), who signed it ("ai ký"), who issued it ("do cơ quan nào
ban hành"), its number and symbol ("số hiệu là gì"), each typed three ways: toned, without tone marks, and with the short name
people type ("nq 03", "kh01", "qđ 116"), and as a follow-up of a question naming the
document ("Nghị quyết 03 nói về gì?" then "ai ký vậy?"). The expected fact is read from the document
itself: the date and issuer from the catalog the header reader filled, the signer from
the document's signature block, so the probe checks the mechanism on every document,
not on the questions it was tuned for.

    .venv/bin/python scripts/probe_metadata.py [--json OUT] [--show N] [--half tune|check]

Halves are by document (tune: every other official document in catalog order, check: the
rest). Reports, per ask kind and form: the share whose answer says the fact in its opening
lines, the share citing one clause only, and the refusals.
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

from retrieval.text import fold  # noqa: E402

OPENING_LINES = 3
# the questions per ask kind, "{name}" the document as typed
ASKS = {
    "date": ["{name} ban hành ngày nào?", "{name} được ký ngày nào?"],
    "signer": ["Ai ký {name}?", "{name} do ai ký?"],
    "issuer": ["{name} do cơ quan nào ban hành?", "{name} do ai ban hành?"],
    "number": ["Số hiệu của {name} là gì?", "{name} có số hiệu đầy đủ là gì?"],
}
# the same asks as a follow-up, the document named only by the question before ("… nói về gì?")
FOLLOW = {
    "date": "ban hành ngày nào vậy?",
    "signer": "ai ký vậy?",
    "issuer": "do cơ quan nào ban hành?",
    "number": "số hiệu là gì?",
}
FOLLOW_OPENER = "{name} nói về gì?"
# the short, lower-case names people type, by kind code ("nq 03", "kh01", "qđ 116")
SHORT_KIND = {"Nghị quyết": "nq", "Kế hoạch": "kh", "Kết luận": "kl", "Quyết định": "qđ"}


@dataclass
class Probe:
    kind: str  # date | signer | issuer | number
    form: str  # toned | untoned | short
    question: str
    doc: str
    half: str
    keys: list[str]  # any of these (folded) said in the opening lines is the fact
    before: str = ""  # the question asked before it (a follow-up's)


@dataclass
class Outcome:
    probe: Probe
    said: bool
    single: bool
    abstained: bool
    opening: str


def date_keys(iso: str) -> list[str]:
    """ "2025-01-09" -> the ways a text writes it: "09/01/2025", "9/1/2025", "ngay 09 thang 01 nam 2025"."""
    y, m, d = iso.split("-")
    out = []
    for dd in {d, str(int(d))}:
        for mm in {m, str(int(m))}:
            out += [f"{dd}/{mm}/{y}", f"ngay {dd} thang {mm} nam {y}"]
    return out


def signer_name(chunks) -> str:
    """The name a document's signature block ends with ("… / [đã ký] / Nguyễn Hòa Bình",
    "T/M BỘ CHÍNH TRỊ (Đã ký) Trương Thị Mai"), or the one a sentence says signed it
    ("… Tổng Bí thư Tô Lâm đã ký ban hành")."""
    from assistant.evidence import is_signature

    for c in chunks:
        text = c.text.replace("|", "\n")
        if not (c.id.partition(":")[2].startswith("ky.") or is_signature(c.text)):
            continue
        m = re.search(r"((?:[A-ZĐÂĂÊÔƠƯ][\wÀ-ỹ]* +){1,3}[A-ZĐÂĂÊÔƠƯ][\wÀ-ỹ]*)\s*$", text.strip())
        if m and not m.group(1).isupper():
            return m.group(1).strip()
    for c in chunks[:3]:
        m = re.search(r"((?:[A-ZĐ][\wÀ-ỹ]* +){1,3}[A-ZĐ][\wÀ-ỹ]*) +đã ký", c.text)
        if m:
            words = m.group(1).split()
            return " ".join(words[-2:]) if len(words) > 2 else m.group(1)  # "Tổng Bí thư Tô Lâm" -> "Tô Lâm"
    return ""


def names_of(doc, joined: bool = False) -> dict[str, str]:
    """The document as typed in each form (joined: the short name without its space, "kh01")."""
    m = re.match(r"^(\D+?)\s*(\d+)", doc.cite_as)
    kind, number = (m.group(1).strip(), m.group(2)) if m else (doc.kind, "")
    if "(" in doc.cite_as:  # "Kế hoạch của Viện Hàn lâm … (Quyết định 116/QĐ-VHL)": by its decision
        inner = re.search(r"\((\D+?)\s*(\d+)", doc.cite_as)
        kind, number = inner.group(1).strip(), inner.group(2)
    toned = f"{kind} {number}" if number else doc.cite_as
    short = (
        f"{SHORT_KIND.get(kind, fold(kind).lower())}{'' if joined else ' '}{number}" if number else fold(toned).lower()
    )
    return {"toned": toned, "untoned": fold(toned).lower(), "short": short}


def build(app) -> list[Probe]:
    docs = [d for d in app.searcher.recognizer.documents if d.authority == "official"]
    probes = []
    for i, doc in enumerate(docs):
        half = "tune" if i % 2 == 0 else "check"
        facts = {
            "date": date_keys(doc.date) if re.fullmatch(r"\d{4}-\d\d-\d\d", doc.date or "") else [],
            "signer": [fold(signer_name(app.table.of_document(doc.id))).lower()],
            # the issuer's name up to its "về …" or "khoá …" ("Ban Chỉ đạo Trung ương", "Ban Chấp hành Trung ương Đảng")
            "issuer": [re.split(r" ve | khoa |,", fold(doc.issuer).lower())[0]] if doc.issuer else [],
            "number": [fold(doc.short).lower()] if re.search(r"\d", doc.short or "") else [],
        }
        for kind, asks in ASKS.items():
            keys = [k for k in facts[kind] if k]
            if not keys:
                continue
            for form, name in names_of(doc, joined=i % 3 == 1).items():
                for ask in asks:
                    q = ask.format(name=name)
                    if form != "toned":
                        q = fold(q).lower()
                    if q[0].islower() and form == "toned":
                        q = q[0].upper() + q[1:]
                    probes.append(Probe(kind, form, q, doc.id, half, keys))
            toned = names_of(doc)["toned"]
            probes.append(Probe(kind, "follow", FOLLOW[kind], doc.id, half, keys, FOLLOW_OPENER.format(name=toned)))
    return probes


def ask(app, probe: Probe):
    """The probe asked, after the question before it when it is a follow-up (its answer as
    the system gives it)."""
    if not probe.before:
        return app.ask(probe.question)
    from assistant.types import Message

    first = app.ask(probe.before)
    return app.ask(probe.question, history=[Message("user", probe.before), Message("assistant", first.answer)])


def judge(probe: Probe, answer) -> Outcome:
    text = answer.answer
    body = text.split("\nNguồn:")[0]
    lines = [ln for ln in body.split("\n") if ln.strip()]
    opening = "\n".join(lines[:OPENING_LINES])
    if answer.abstained:
        return Outcome(probe, False, False, True, opening)
    # the fact said by a quote, not by the line naming the clause ("Theo Kế hoạch của Viện Hàn lâm …:")
    said_lines = [ln for ln in lines[:OPENING_LINES] if not (ln.startswith("Theo ") and ln.rstrip().endswith(":"))]
    folded = re.sub(r"\s+", " ", fold("\n".join(said_lines)).lower())
    folded = re.sub(r"\s*/\s*", "/", folded)
    said = any(k in folded for k in probe.keys)
    markers = set(re.findall(r"\[(\d+)\]", body))
    return Outcome(probe, said, len(markers) == 1, False, opening)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    parser.add_argument("--half", choices=["tune", "check"])
    args = parser.parse_args(argv)

    from assistant.api import Assistant

    app = Assistant()
    probes = [p for p in build(app) if args.half is None or p.half == args.half]
    outcomes = [judge(p, ask(app, p)) for p in probes]
    by: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for key in ((o.probe.half, "ALL"), (o.probe.half, o.probe.kind), (o.probe.half, o.probe.form)):
            by[key].append(o)
    print(f"{'half':6} {'group':10} {'said':>6} {'single':>7} {'both':>6} refused")
    for key in sorted(by):
        v = by[key]
        n = len(v)
        said = sum(o.said for o in v) / n
        single = sum(o.single for o in v) / n
        both = sum(o.said and o.single for o in v) / n
        print(f"{key[0]:6} {key[1]:10} {said:6.3f} {single:7.3f} {both:6.3f} {sum(o.abstained for o in v)}/{n}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {
                        **asdict(o.probe),
                        "said": o.said,
                        "single": o.single,
                        "abstained": o.abstained,
                        "opening": o.opening,
                    }
                    for o in outcomes
                ],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    failures = [o for o in outcomes if not (o.said and o.single)][: args.show]
    for o in failures:
        print(f"\n[{o.probe.half}/{o.probe.kind}/{o.probe.form}] {o.probe.question}  (expect {o.probe.keys[:1]})")
        print("  " + o.opening.replace("\n", "\n  ")[:400])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
