"""Typing slips of a chat question mended against the documents' own syllables.

A word typed fast ("chuyn doi so", "nguuon luc", "trogn diem") matches no clause, so the
lexical search loses it. A word of the question that no clause uses and that has not the
shape of a Vietnamese syllable (folded, at least three letters: "chuyn", "trogn"; the
shapes are data, retrieval/resources/rules/query.toml ``syllable``) is replaced by a syllable of the index one slip away (a letter dropped,
added, changed, or two letters swapped: Damerau distance 1) that forms a word pair the
documents use with a neighbour of the question ("chuyn doi" -> "chuyen doi"). Without such
a pair the word is left as typed, and a real word the documents do not use ("bóng đá", "lọt
top") is never turned into another. Fast: only unknown syllables are looked up, in an index
of the vocabulary's one-letter deletions built once (in the manner of SymSpell).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .text import fold_aligned

_WORD = re.compile(r"\w+")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_slip(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance exactly 1 (an adjacent swap counts as one)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Speller:
    """Mends the unknown syllables of a question against an index's vocabulary.

    ``syllable(word)`` says a folded word has the shape of a real syllable (left as typed);
    ``doc_freq`` maps the index's terms (folded syllables, and pairs written "a_b") to the
    number of clauses holding them; ``keep(word)`` says a folded word is to be left alone
    (an abbreviation or term the question reader writes out)."""

    def __init__(
        self,
        doc_freq: Mapping[str, int],
        keep: Callable[[str], bool] = lambda w: False,
        syllable: Callable[[str], bool] = lambda w: False,
        min_length: int = 3,
    ):
        self.doc_freq = doc_freq
        self.keep = keep
        self.syllable = syllable
        self.min_length = min_length
        self._index: dict[str, list[str]] | None = None

    def _deletions(self) -> dict[str, list[str]]:
        index = self._index
        if index is None:
            index = {}
            for t in self.doc_freq:
                if "_" in t or t.startswith("~") or not t.isalpha() or len(t) < 2:
                    continue
                index.setdefault(t, []).append(t)
                for d in _deletes(t):
                    index.setdefault(d, []).append(t)
            self._index = index
        return index

    def candidates(self, word: str) -> list[str]:
        """The vocabulary's syllables one slip away from ``word`` (folded)."""
        index = self._deletions()
        found = set(index.get(word, ()))
        for d in _deletes(word):
            found.update(index.get(d, ()))
        return sorted(w for w in found if _one_slip(w, word))

    def _mend(self, word: str, before: str, after: str) -> str | None:
        """The candidate forming the commonest word pairs with the neighbours (then the
        commonest syllable); None when none forms a pair the documents use."""
        df = self.doc_freq
        best, best_key = None, (0, 0)
        for c in self.candidates(word):
            pairs = (df.get(f"{before}_{c}", 0) if before else 0) + (df.get(f"{c}_{after}", 0) if after else 0)
            key = (pairs, df.get(c, 0))
            if pairs and key > best_key:
                best, best_key = c, key
        return best

    def correct(self, text: str) -> str:
        """The text with each unknown syllable that has a mend replaced by it (folded);
        the text itself when nothing is mended."""
        folded = fold_aligned(text)
        words = list(_WORD.finditer(folded))
        if not words:
            return text
        df = self.doc_freq
        forms = [m.group(0) for m in words]
        changed: dict[int, str] = {}
        for _ in range(2):  # again once: a slip beside another is mended with its mended neighbour
            before_pass = len(changed)
            for n, w in enumerate(forms):
                if n in changed or len(w) < self.min_length or not w.isalpha() or df.get(w, 0):
                    continue
                if self.keep(w) or self.syllable(w):
                    continue
                mend = self._mend(w, forms[n - 1] if n else "", forms[n + 1] if n + 1 < len(forms) else "")
                if mend is not None:
                    forms[n] = changed[n] = mend
            if len(changed) == before_pass:
                break
        if not changed:
            return text
        out, pos = [], 0
        for n, m in enumerate(words):
            if n in changed:
                out.append(text[pos : m.start()])
                out.append(changed[n])
                pos = m.end()
        out.append(text[pos:])
        return "".join(out)
