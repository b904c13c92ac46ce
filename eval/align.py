"""A claim aligned to the span of a cited text that best matches it.

The cited text is cut into sentence-like units; windows of up to six consecutive
units are ranked by the claim's content words they hold, and the best few are aligned
token by token (difflib's longest matching blocks, order kept). The window whose
alignment covers most of the claim's content words is the claim's span; ``pairs`` maps
each aligned claim token to its span token, so a slot of the claim can be compared with
the slot of the span standing at the same place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

from .lang import PhraseSet, resource, stopwords
from .slots import Parsed

MAX_UNITS = 6  # a claim may join up to six units (sentences or parts cut at ";") of its clause
CANDIDATES = 4  # windows aligned in full after the cheap ranking


@dataclass
class Alignment:
    claim: Parsed
    evidence: Parsed
    window: tuple[int, int]  # token range of the span in evidence
    pairs: dict[int, int] = field(default_factory=dict)  # claim token -> evidence token
    anchors: dict[int, int] = field(default_factory=dict)  # pairs of the reliable runs (see _reliable)
    content: int = 0  # content tokens of the claim
    matched: int = 0  # of which aligned (in order)
    present: int = 0  # of which found anywhere in the span (a paraphrase may reorder)

    @property
    def coverage(self) -> float:
        """Share of the claim's content words the span holds: the mean of the share
        aligned in order and the share present in any order."""
        return (self.matched + self.present) / (2 * self.content) if self.content else 1.0

    def span_text(self) -> str:
        a, b = self.window
        if a >= b:
            return ""
        toks = self.evidence.tokens
        return self.evidence.text[toks[a].start : toks[b - 1].end]


@cache
def _framing() -> PhraseSet:
    return PhraseSet(resource("paraphrase")["framing"]["phrases"])


def content_positions(p: Parsed) -> list[int]:
    """The tokens of a claim its span must hold: not punctuation, function words, the
    framing words a paraphrase adds (eval/resources/paraphrase.toml), nor the words of
    its document names and number qualifiers, which are compared as slots."""
    stop, framing = stopwords(), _framing()
    skip = {k for s in p.slots if s.kind == "document" for k in range(s.start, s.end)}
    for s in p.slots:
        if s.kind == "quantity" and s.qual:
            skip.update(range(s.start - s.qual_len, s.start))
    i = 0
    while i < len(p.tokens):
        hit = framing.match(p.norms, i)
        if hit:
            skip.update(range(i, i + hit[0]))
            i += hit[0]
        else:
            i += 1
    return [i for i, t in enumerate(p.tokens) if t.kind != "punct" and t.norm not in stop and i not in skip]


def align(claim: Parsed, evidence: Parsed, allowed: list[tuple[int, int]] | None = None) -> Alignment:
    """The best window of evidence for claim (allowed: the unit ranges to consider)."""
    content = content_positions(claim)
    words = {claim.norms[i] for i in content}
    units = allowed if allowed is not None else list(evidence.units)
    if not units or not content:
        return Alignment(claim, evidence, (0, 0), content=len(content))
    unit_sets = [set(evidence.norms[a:b]) & words for a, b in units]
    ranked = []
    for i in range(len(units)):
        acc: set[str] = set()
        for w in range(MAX_UNITS):
            if i + w >= len(units):  # consecutive units, across the clauses of a claim's citations too
                break
            acc = acc | unit_sets[i + w]
            ranked.append((len(acc), -(w + 1), units[i][0], units[i + w][1]))
    ranked.sort(reverse=True)
    best: Alignment | None = None
    for score, _, a, b in ranked[:CANDIDATES]:
        al = _align_window(claim, evidence, content, a, b)
        if best is None or (al.matched, -(al.window[1] - al.window[0])) > (
            best.matched,
            -(best.window[1] - best.window[0]),
        ):
            best = al
    assert best is not None  # units and content are not empty, so there is a candidate
    return best


GAP = 3  # how much further apart two runs may stand in the span than in the claim and still go together
LONG = 5  # a run this long is an anchor wherever it stands (a claim may join distant parts of its clauses)


def _consistent(x: tuple[int, int, int], y: tuple[int, int, int]) -> bool:
    """Runs x before y (in the claim) stand about as far apart in the span as in the claim."""
    return abs((y[1] - (x[1] + x[2])) - (y[0] - (x[0] + x[2]))) <= GAP


def _reliable(blocks: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The runs to anchor slots on: long runs, and shorter ones standing with a long
    neighbour as they stand in the claim. A short run far from its neighbours ("Đến năm
    2020" earlier in the sentence, when the claim says "đến năm 2020" where the clause
    says 2030) is no anchor. Without a long run, the chain of consistent runs holding the
    most tokens."""
    blocks = [b for b in blocks if b[2] >= 2]
    if not any(b[2] >= LONG for b in blocks):
        chains: list[list[tuple[int, int, int]]] = []
        for blk in blocks:
            if chains and _consistent(chains[-1][-1], blk):
                chains[-1].append(blk)
            else:
                chains.append([blk])
        return max(chains, key=lambda c: sum(n for _, _, n in c), default=[])
    keep = [b[2] >= LONG for b in blocks]
    changed = True
    while changed:
        changed = False
        for k, blk in enumerate(blocks):
            if keep[k]:
                continue
            if (k > 0 and keep[k - 1] and _consistent(blocks[k - 1], blk)) or (
                k + 1 < len(blocks) and keep[k + 1] and _consistent(blk, blocks[k + 1])
            ):
                keep[k] = changed = True
    return [b for b, k in zip(blocks, keep) if k]


def _align_window(claim: Parsed, evidence: Parsed, content: list[int], a: int, b: int) -> Alignment:
    sm = SequenceMatcher(None, claim.norms, evidence.norms[a:b], autojunk=False)
    pairs, anchors = {}, {}
    blocks = [blk for blk in sm.get_matching_blocks() if blk[2]]
    for i, j, n in blocks:
        for k in range(n):
            pairs[i + k] = a + j + k
    for i, j, n in _reliable(blocks):
        for k in range(n):
            anchors[i + k] = a + j + k
    matched = sum(1 for i in content if i in pairs)
    vocab = set(evidence.norms[a:b])
    present = sum(1 for i in content if claim.norms[i] in vocab)
    return Alignment(claim, evidence, (a, b), pairs, anchors, len(content), matched, present)
