"""Check eval/questions.jsonl against the indexed documents.

For every question: a known type and split, unique id, history of {role, content} turns,
answerable=false (and no gold, no key facts) exactly for the refusal types; for every gold
entry: the document exists, the clause path exists (`troly show DOC PATH`), the label is that
clause's label (as `troly show` prints it, without the "(phần i/n)" of a split clause), and the
evidence is an exact substring of the document text inside that clause; every key fact is an
exact substring of some evidence of its question. Ids "w3-NNN" and "w4-NNN" must carry the split
["dev", "val", "test"][sha256(id) % 3].

    .venv/bin/python scripts/check_questions.py [--ids w3-] [--file eval/questions.jsonl]

Prints one line per problem and a summary; exit 1 when any problem is found.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from eval.dataset import QUESTIONS, SPLITS, TYPES, UNANSWERABLE_TYPES

PART = re.compile(r" \(phần \d+/\d+\)$")


def w3_split(qid: str) -> str:
    return SPLITS[int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 3]


def check(rows: list[dict], table, strict: bool = True) -> list[str]:
    """Problems found in the question rows, as 'id: what' lines. strict=False (for the older
    questions) lets the evidence differ from the text in runs of whitespace and does not ask
    key facts to be inside the evidence."""
    problems, seen = [], Counter(r.get("id") for r in rows)
    docs = {c.doc_id for c in table.chunks}
    texts: dict[str, str] = {}
    for r in rows:
        qid = r.get("id", "?")

        def bad(msg: str, qid: str = qid) -> None:  # bound now: B023
            problems.append(f"{qid}: {msg}")

        if seen[qid] > 1:
            bad("id not unique")
        if r.get("type") not in TYPES:
            bad(f"unknown type {r.get('type')!r}")
        if r.get("split") not in SPLITS:
            bad(f"unknown split {r.get('split')!r}")
        if qid.startswith(("w3-", "w4-")) and r.get("split") != w3_split(qid):
            bad(f"split {r.get('split')} but sha256 rule gives {w3_split(qid)}")
        if not str(r.get("question", "")).strip():
            bad("empty question")
        for turn in r.get("history", []):
            if (
                set(turn) != {"role", "content"}
                or turn["role"] not in ("user", "assistant")
                or not turn["content"].strip()
            ):
                bad(f"bad history turn {turn!r}")
        refusal = r.get("type") in UNANSWERABLE_TYPES
        if refusal and (r.get("answerable") is not False or r.get("gold") or r.get("key_facts")):
            bad("a refusal type must be answerable=false with no gold and no key facts")
        if not refusal and (r.get("answerable") is not True or not r.get("gold")):
            bad("an answerable type needs answerable=true and gold")
        for g in r.get("gold", []):
            doc, path, ev = g.get("doc"), g.get("clause", ""), g.get("evidence", "")
            if doc not in docs:
                bad(f"unknown document {doc!r}")
                continue
            chunks = table.at_path(doc, path) if path else []
            if not chunks:
                bad(f"no clause {doc} {path!r}")
                continue
            label = PART.sub("", chunks[0].label)
            if g.get("label") != label:
                bad(f"label {g.get('label')!r} is not the clause's label {label!r}")
            if doc not in texts:
                texts[doc] = table.document_text(doc)
            start, end = min(c.start for c in chunks), max(c.end for c in chunks)
            inside = texts[doc][start:end]
            if not ev or not (ev in inside if strict else " ".join(ev.split()) in " ".join(inside.split())):
                bad(f"evidence not inside {doc} {path}: {ev[:70]!r}")
        for k in r.get("key_facts", []) if strict else []:
            if not any(k in g.get("evidence", "") for g in r.get("gold", [])):
                bad(f"key fact {k!r} is in no evidence")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--file", type=Path, default=QUESTIONS)
    p.add_argument("--ids", default="", help="only ids starting with this prefix (e.g. w3-)")
    p.add_argument("--lenient", action="store_true", help="the rules of the older questions (see check)")
    args = p.parse_args(argv)
    from assistant.api import Assistant
    from assistant.settings import Settings

    rows = [json.loads(line) for line in args.file.read_text("utf-8").splitlines() if line.strip()]
    picked = [r for r in rows if str(r.get("id", "")).startswith(args.ids)]
    problems = check(picked, Assistant(Settings()).table, strict=not args.lenient)
    for line in problems:
        print(line)
    by = Counter((r["split"], r["type"]) for r in picked)
    splits = Counter(r["split"] for r in picked)
    print(
        f"{len(picked)} questions ({', '.join(f'{s} {splits[s]}' for s in SPLITS)}), "
        f"{sum(len(r.get('gold', [])) for r in picked)} gold entries, {len(problems)} problems"
    )
    if not problems:
        types = sorted({t for _, t in by})
        print("type".ljust(15) + "".join(s.rjust(6) for s in SPLITS))
        for t in types:
            print(t.ljust(15) + "".join(str(by[(s, t)]).rjust(6) for s in SPLITS))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
