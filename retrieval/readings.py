"""Which word a syllable typed without tone marks is, read from its neighbours in the question
and the documents' own writing.

Typed without marks, "han" is "hạn" (a deadline) or the "Hàn" of "Viện Hàn lâm"; the folded
index token "han" matches both, so "bo khcn han trinh chinh phu" (hạn trình) ranks the
Viện Hàn lâm plan first, its name said in every clause. The documents settle it: they write
"Hàn" only before "lâm". A reading the documents only ever write beside one neighbour (its
collocation) is not meant where the question's syllable stands without that neighbour; when
such a reading is a large share of the syllable's uses and the others remain, the question's
folded syllable is searched as the remaining readings (their accented index tokens "~hạn").

Counted once from the clause texts; nothing here names a word.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .text import fold

_WORD = re.compile(r"\w+")
MIN_USES = 8  # a reading written fewer times says too little about its neighbours
BOUND = 0.95  # share of a reading's uses beside one neighbour that makes it a collocation
MIN_SHARE = 0.25  # share of the syllable's uses the excluded readings must make up


class Readings:
    """Each folded syllable's readings with how often the documents write them, and for
    each reading the neighbours it always stands beside (left, right), if any."""

    def __init__(self, texts: Iterable[str]):
        uses: dict[str, Counter[str]] = defaultdict(Counter)
        left: dict[str, Counter[str]] = defaultdict(Counter)
        right: dict[str, Counter[str]] = defaultdict(Counter)
        folds: dict[str, str] = {}  # each distinct syllable folded once
        for text in texts:
            words = _WORD.findall(text.lower())
            folded = [folds.get(w) or folds.setdefault(w, fold(w)) for w in words]
            for i, (w, f) in enumerate(zip(words, folded)):
                uses[f][w] += 1
                left[w][folded[i - 1] if i else ""] += 1
                right[w][folded[i + 1] if i + 1 < len(words) else ""] += 1
        self.uses = {f: c for f, c in uses.items() if len(c) >= 2}
        # reading -> its collocations: (-1 | +1, the folded neighbour on that side)
        self.bound: dict[str, list[tuple[int, str]]] = {}
        for counts in self.uses.values():
            for w, n in counts.items():
                if n < MIN_USES:
                    continue
                for side, table in ((-1, left), (1, right)):
                    nb, k = table[w].most_common(1)[0]
                    if nb and k >= BOUND * n:
                        self.bound.setdefault(w, []).append((side, nb))

    def meant(self, folded: Sequence[str], i: int) -> list[str] | None:
        """The readings syllable i of a folded question can be, when its neighbours rule out
        a large share of the documents' uses of it; None when they rule out nothing."""
        counts = self.uses.get(folded[i])
        if counts is None:
            return None
        out, gone = [], 0
        for w, n in counts.items():
            places = self.bound.get(w)
            if places and not any(0 <= i + side < len(folded) and folded[i + side] == nb for side, nb in places):
                gone += n  # written only beside a neighbour the question does not have there
            else:
                out.append(w)
        if not gone or not out or gone < MIN_SHARE * sum(counts.values()) or folded[i] in out:
            return None
        return out

    def tokens(self, question: str, tokens: list[str]) -> list[str]:
        """The analyzer's tokens of a question typed without marks, each folded syllable that
        its neighbours read (``meant``) replaced by its remaining readings' accented tokens."""
        folded = _WORD.findall(fold(question.lower()))
        swap: dict[str, list[str]] = {}
        free: set[str] = set()  # written somewhere with a neighbour that rules nothing out
        for i, f in enumerate(folded):
            readings = self.meant(folded, i)
            if readings is None:
                free.add(f)
            else:
                swap.setdefault(f, []).extend("~" + r for r in readings if "~" + r not in swap.get(f, []))
        swap = {f: v for f, v in swap.items() if f not in free}
        if not swap:
            return tokens
        out: list[str] = []
        for t in tokens:
            out += swap.get(t, [t])
        return out
