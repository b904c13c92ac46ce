"""Chat-typed self-consistency probe (needs no gold answer): each answerable single-turn ask
of the dev split is retyped the way people type in a chat box, by general transformations,
and the variant's answer is compared with the original's. No val or test question is read.

Transformations (each one alone, then all chat ones together):

- notone: the tone marks and đ stripped ("nghị quyết" → "nghi quyet"), case kept;
- abbrev: the long forms of retrieval/resources/abbreviations.tsv written as their short form,
  lower case ("nghị quyết" → "nq", "khoa học công nghệ" → "khcn", "ủy ban nhân dân" → "ubnd");
- keywords: function words dropped, keywords only, lower case, no question mark;
- filler: chat fillers around the ask ("cho mình hỏi …", "… vậy ạ", "… nhỉ");
- lower: lower case, no question mark;
- combo: filler + abbrev + lower + notone together (the outside chat-typed style).

A variant keeps the original when it is answered, its answer holds every key fact of the row
(key_facts) that the original's answer holds ("facts"), and its first citation is the
original's first citation ("cite"). Only asks the original answers are counted, and only
variants that differ from their original.

    python scripts/chat_variants.py [--every N] [-v TRANSFORM]

Measured at main a2b6629 on all 643 dev asks (share keeping facts and first citation):
notone 0.880, abbrev 0.968, keywords 0.795, filler 0.978, lower 0.983, combo 0.875. With
asks typed side by side without a mark split (answers.toml split_bare): keywords 0.821 (key
facts 0.881 → 0.914), abbrev 0.963, filler 0.974, lower 0.977, combo 0.871 (the first
citation of a split ask moves; key facts the same). Known gaps: keywords drops
"những"/"các" that tell a list is asked; notone loses the first citation
on paraphrase/colloquial asks ("Ke hoach 01 duoc ... ban hanh ngay nao" is refused, its
accented form answered).

The floors per transformation are kept as a test (tests/assistant/test_chat_variants.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.metrics import normalize_fact  # noqa: E402

ABBREVIATIONS = ROOT / "retrieval" / "resources" / "abbreviations.tsv"
# function words a chat-typed ask drops (the question words "bao nhiêu", "gì", "nào", "ai",
# "khi nào" stay: they say what is asked)
FUNCTION_WORDS = {
    "của", "và", "các", "những", "là", "được", "cho", "thì", "mà", "đã", "sẽ", "trong", "với",
    "về", "để", "tại", "này", "một", "như", "bởi", "phải", "cần", "hãy", "nhằm", "đang", "có",
}  # fmt: skip
FILLERS = [("cho mình hỏi ", " vậy ạ"), ("", " nhỉ"), ("cho mình hỏi ", " ạ"), ("", " vậy")]


def strip_tones(text: str) -> str:
    """The tone marks and diacritics stripped, đ → d, case kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    )


def _unpunct(text: str) -> str:
    return re.sub(r"\s*[?.!]+\s*$", "", text.strip())


def _reverse_abbreviations() -> list[tuple[re.Pattern[str], str]]:
    """(the long form, as a pattern, its short form in lower case), the longest first; the first
    short form of a long form wins; short forms with a comma are not typed in chat."""
    seen: dict[str, str] = {}
    for line in ABBREVIATIONS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        short, long = (s.strip() for s in line.split("\t", 1))
        if "," in short or len(long.split()) < 2:
            continue
        seen.setdefault(unicodedata.normalize("NFC", long.lower()), short.lower())
    forms = sorted(seen.items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(rf"(?<!\w){re.escape(long)}(?!\w)", re.IGNORECASE), short) for long, short in forms]


_REVERSE = _reverse_abbreviations()


def abbreviate(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # the spelling "uỷ"/"ủy", "hoá"/"hóa" both typed: the tsv writes one
    text = re.sub(r"(?i)uỷ", "ủy", text)
    for pattern, short in _REVERSE:
        text = pattern.sub(short, text)
    return _unpunct(text.lower())


def keywords(text: str) -> str:
    words = re.findall(r"[\w%/.-]+", _unpunct(text).lower())
    # "theo" frames the document ("theo Nghị quyết 57") but is a syllable of "theo dõi"
    return " ".join(
        w
        for i, w in enumerate(words)
        if w not in FUNCTION_WORDS and not (w == "theo" and words[i + 1 : i + 2] != ["dõi"])
    )


def filler(text: str, k: int = 0) -> str:
    head, tail = FILLERS[k % len(FILLERS)]
    text = _unpunct(text)
    if head:
        text = text[:1].lower() + text[1:]
    return f"{head}{text}{tail}"


def lower(text: str) -> str:
    return _unpunct(text).lower()


def combo(text: str, k: int = 0) -> str:
    return strip_tones(filler(abbreviate(text), k)).lower()


TRANSFORMS: dict[str, Callable[[str, int], str]] = {
    "notone": lambda q, k: strip_tones(q),
    "abbrev": lambda q, k: abbreviate(q),
    "keywords": lambda q, k: keywords(q),
    "filler": filler,
    "lower": lambda q, k: lower(q),
    "combo": combo,
}


def dev_asks(questions: list[dict]) -> list[dict]:
    """The dev split's answerable single-turn asks with key facts."""
    return [q for q in questions if q["split"] == "dev" and q["answerable"] and not q["history"] and q["key_facts"]]


def variants(asks: list[dict]) -> list[dict]:
    """{source, transform, question} for every ask and transformation that changes it."""
    out = []
    for k, q in enumerate(asks):
        for name, f in TRANSFORMS.items():
            v = f(q["question"], k)
            if v.strip() and v != q["question"]:
                out.append({"source": q["id"], "transform": name, "question": v})
    return out


def _held(answer: str, facts: list[str]) -> set[str]:
    text = " " + normalize_fact(re.sub(r"\[\d+\]", "", answer)) + " "
    return {f for f in facts if f" {normalize_fact(f)} " in text}


def run(asks: list[dict], app, verbose: str = "") -> dict[str, dict]:
    """Per transformation: n (variants of answered originals), answered, facts (key facts the
    original holds, kept), cite (first citation kept), both, and the failures."""
    scores: dict[str, dict] = defaultdict(lambda: {"n": 0, "answered": 0, "facts": 0, "cite": 0, "both": 0, "fail": []})
    by_id = {q["id"]: q for q in asks}
    originals = {}
    for q in asks:
        a = app.ask(q["question"])
        if not a.abstained:
            originals[q["id"]] = (_held(a.answer, q["key_facts"]), a.citations[0].chunk_id if a.citations else None)
    for v in variants(asks):
        if v["source"] not in originals:
            continue
        facts0, cite0 = originals[v["source"]]
        a = app.ask(v["question"])
        s = scores[v["transform"]]
        s["n"] += 1
        answered = not a.abstained
        facts = answered and facts0 <= _held(a.answer, by_id[v["source"]]["key_facts"])
        cite = answered and (a.citations[0].chunk_id if a.citations else None) == cite0
        s["answered"] += answered
        s["facts"] += facts
        s["cite"] += cite
        s["both"] += facts and cite
        if not (facts and cite):
            s["fail"].append((v["source"], v["question"], "refused" if not answered else f"facts={facts} cite={cite}"))
    return scores


def load_dev(every: int = 1) -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    return dev_asks(rows)[::every]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=1, help="every Nth ask only")
    ap.add_argument("-v", default="", help="list the failures of this transformation")
    args = ap.parse_args()
    from assistant import Assistant, load_settings

    app = Assistant(load_settings())
    asks = load_dev(args.every)
    scores = run(asks, app)
    print(f"{len(asks)} dev asks")
    print(f"{'transform':10} {'n':>4} {'answered':>9} {'facts':>7} {'cite':>7} {'both':>7}")
    for name in TRANSFORMS:
        s = scores[name]
        n = max(s["n"], 1)
        print(
            f"{name:10} {s['n']:4} {s['answered'] / n:9.3f} {s['facts'] / n:7.3f} {s['cite'] / n:7.3f} {s['both'] / n:7.3f}"
        )
        if args.v == name:
            for f in s["fail"]:
                print("    ", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
