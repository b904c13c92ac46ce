"""An answer's text read as claims: each sentence with the [n] markers it carries.

This is the evaluator's own reading of what `troly ask --json` prints (the ``answer``
text), never the answerer's sentence list (``Answer.checked``): a claim is whatever a
reader sees. Rules:

* a marker group written after the full stop belongs to the sentence before it
  ("… GDP. [1] Nâng …"), and one written before it too ("… GDP [1]. Nâng …"); when
  several sentences stand before one group, they share its markers;
* a marker glued to a word in the middle of a sentence ("trọng yếu[1] và") is a footnote
  of the source, kept in the text;
* a bullet line ("- ", "* ", "• ", "1. ", "a) ") is its own claim (``bullet=True``);
* an abbreviation's full stop ends no sentence ("TP.", "GS.", and a signer's "KT.", "TM.");
* a line or sentence ending with ":" and carrying no marker frames what follows
  ("Các văn bản nêu như sau:", "Theo Nghị quyết 57-NQ/TW, Mục II:") and is no claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_MARKERS = r"(?:[ \t]*\[\d+\])+"
# markers written before the sentence's full stop move after it
_BEFORE_STOP = re.compile(rf"(?<=\S)({_MARKERS})[ \t]*([.!?;…])(?=\s|$)")
# a citation group: after a space, or glued but closing the sentence
_GROUP = re.compile(
    rf"(?:(?<=\s)|(?<=[.!?;:…]))({_MARKERS})|(?<=\w)((?:\[\d+\])+)(?=[ \t]*(?:[.!?;:…][ \t]*)?(?:\n|$))"
)
_BULLET = re.compile(r"^\s*(?:[-*•+–]|\d{1,2}[.)]|[a-zđ][)])\s+")
# a sentence ends at . ! ? … followed by a space and an upper-case letter, a digit or a quote
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(A-ZĐÀ-Ỹ0-9])")
_LIST_NUMBER = re.compile(
    r"(?:^|\s)(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[a-zA-Z]|TP|TS|ThS|GS|PGS|KT|TM|TL|TUQ|v\.v)\.$"
)
_NUM = re.compile(r"\[(\d+)\]")


@dataclass
class Claim:
    text: str  # the sentence without its markers
    markers: list[int] = field(default_factory=list)
    bullet: bool = False
    framing: bool = False
    line: int = 0  # which line of the answer it stands on


def parse_answer(text: str) -> list[Claim]:
    """Every sentence of an answer text, framing lines included (see module doc)."""
    out: list[Claim] = []
    text = _BEFORE_STOP.sub(lambda m: m.group(2) + m.group(1), text)
    for n, raw in enumerate(text.split("\n")):
        if not raw.strip():
            continue
        bullet = bool(_BULLET.match(raw))
        line = _BULLET.sub("", raw, count=1) if bullet else raw
        for piece, markers in _segments(line):
            sentences = _sentences(piece)
            if not sentences and markers and out and out[-1].line == n:
                out[-1].markers.extend(m for m in markers if m not in out[-1].markers)
            # the sentences of one marked segment share its markers
            out += [Claim(s, list(dict.fromkeys(markers)), bullet=bullet, line=n) for s in sentences]
    absent = _absence()
    for c in out:
        c.framing = not c.markers and (c.text.rstrip().endswith(":") or absent(c.text))
    return out


@lru_cache(maxsize=1)
def _absence():
    """Whether an unmarked sentence only says the texts do not hold something
    (eval/resources/question.toml [absence])."""
    from .lang import fold, resource

    table = resource("question")["absence"]
    subjects, phrases = table["subjects"], table["phrases"]

    def absent(text: str) -> bool:
        t = fold(text).lower()
        return any(p in t for p in phrases) and any(s in t for s in subjects)

    return absent


def lead_groups(claims: list[Claim]) -> list[tuple[Claim, list[Claim]]]:
    """Each framing line with the claims that follow it up to the next framing line
    (a lead line "Theo <nguồn>:" and the sentences it introduces)."""
    out: list[tuple[Claim, list[Claim]]] = []
    for c in claims:
        if c.framing:
            out.append((c, []))
        elif out:
            out[-1][1].append(c)
    return out


def claims_of(text: str) -> list[Claim]:
    """The claims of an answer text: its sentences that are not framing lines."""
    return [c for c in parse_answer(text) if not c.framing]


def _segments(line: str) -> list[tuple[str, list[int]]]:
    """The line cut after each citation group: (text before it, its markers)."""
    out, pos = [], 0
    for m in _GROUP.finditer(line):
        group = m.group(1) or m.group(2)
        out.append((line[pos : m.start()], [int(x) for x in _NUM.findall(group)]))
        pos = m.end()
    out.append((line[pos:], []))
    return [(t, ms) for t, ms in out if t.strip() or ms]


def _sentences(piece: str) -> list[str]:
    spans, pos = [], 0
    for m in _SENTENCE.finditer(piece):
        if _LIST_NUMBER.search(piece[max(pos, m.start() - 12) : m.start()]):
            continue
        spans.append(piece[pos : m.start()])
        pos = m.end()
    spans.append(piece[pos:])
    out = []
    for s in spans:
        s = s.strip()
        if s and re.search(r"\w", s):
            out.append(s)
    return out
