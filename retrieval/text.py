"""Vietnamese text primitives: NFC, accent folding, tokenization, sentence spans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? ; or … followed by space and an upper-case letter, a digit, a
# quote or a dash; abbreviations such as "TP." or "v.v." are rare in these documents.
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+(?=[\"“'(\-–A-ZĐÀ-Ỹ0-9])")


def nfc(text: str) -> str:
    """Unicode NFC, the form every layer works in."""
    return unicodedata.normalize("NFC", text)


def _fold_table() -> dict[int, str]:
    """Each precomposed Latin letter -> its base letter (computed once; a constant)."""
    table = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        decomposed = unicodedata.normalize("NFD", chr(cp).lower())
        base = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        if len(base) == 1 and base != chr(cp):
            table[cp] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


_FOLD_TABLE = _fold_table()
_COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese tone marks and diacritics (đ → d). Same length as
    the input when it is NFC, so offsets carry over."""
    return _fold(text)[0]


# perf (issue 13): the same clauses and questions are folded again and again
@lru_cache(maxsize=32768)
def _fold(text: str) -> tuple[str, bool]:
    """fold(text), and whether it took the character-by-character way (so that the fold of
    texts joined is the join of their folds)."""
    folded = text.lower().translate(_FOLD_TABLE)
    if _COMBINING.search(folded):  # decomposed input: the slow, general way
        decomposed = unicodedata.normalize("NFD", text.lower())
        # (its nonspacing marks removed: each distinct character's category read once, the
        # text then translated in C; perf, issue 13: a character at a time cost an ingest of
        # the corpus copies a second per 20,000 clauses)
        marks = {ord(c): None for c in set(decomposed) if unicodedata.category(c) == "Mn"}
        return decomposed.translate(marks).replace("đ", "d"), False
    return folded, "Σ" not in text  # the one letter whose lower case depends on its neighbours


def fold_local(text: str) -> bool:
    """True when text folds on its own: the fold of text joined with others (by a space) is
    the join of their folds. perf (issue 13)."""
    return _fold(text)[1]


def fold_join(texts: Iterable[str], sep: str = " ") -> str:
    """fold(sep.join(texts)), from the folds of the texts (each remembered: the clauses come
    back question after question) when that is the same, else folded whole. perf (issue 13)."""
    texts = list(texts)
    folds = [_fold(t) for t in texts]
    if sep.isascii() and sep == sep.lower() and all(local for _, local in folds):
        return sep.join(f for f, _ in folds)
    return fold(sep.join(texts))


def fold_aligned(text: str) -> str:
    """fold() keeping offsets: one output character for each input one, even when the
    input is not NFC (a character that folds to several is only lower-cased)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f) == 1 else c.lower() for c, f in ((c, fold(c)) for c in text))


def words(text: str) -> list[str]:
    """Lower-cased syllables (Unicode word characters), NFC."""
    return _WORD.findall(nfc(text).lower())


# The tone mark of an open syllable ending in "oa", "oe" or "uy" stands on its first vowel
# in the newer spelling ("hóa", "khỏe", "thủy") and on its last in the older one ("hoá",
# "khoẻ", "thuỷ"): the documents and the people asking use both. Not after "q" ("quý").
_OLD_TONES = {
    **{f"o{t}": f"{o}a" for t, o in zip("áàảãạ", "óòỏõọ")},
    **{f"o{t}": f"{o}e" for t, o in zip("éèẻẽẹ", "óòỏõọ")},
    **{f"u{t}": f"{u}y" for t, u in zip("ýỳỷỹỵ", "úùủũụ")},
}
_OLD_TONE = re.compile(r"(?<![qQ])(?:" + "|".join(_OLD_TONES) + r")(?!\w)")


def modern_tones(text: str) -> str:
    """Lower-cased NFC words with the tone marks of "oa", "oe", "uy" placed the newer way
    ("văn hoá" -> "văn hóa", "uỷ ban" -> "ủy ban"); other text unchanged."""
    return _OLD_TONE.sub(lambda m: _OLD_TONES[m.group(0)], text) if _OLD_TONE.search(text) else text


_NEW_TONES = {new: old for old, new in _OLD_TONES.items()}
_NEW_TONE = re.compile(r"(?<![qQ])(?:" + "|".join(_NEW_TONES) + r")(?!\w)")


def tone_placements(word: str) -> tuple[str, ...]:
    """A lower-cased NFC word as both spellings place its tone mark ("hoá" and "hóa",
    "thuỷ" and "thủy"); a word without "oa", "oe", "uy" marked: itself."""
    newer = modern_tones(word)
    older = _NEW_TONE.sub(lambda m: _NEW_TONES[m.group(0)], newer)
    return tuple(dict.fromkeys((word, newer, older)))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese tone mark or đ."""
    return fold(text) != text.lower()


# A period after these is not the end of a sentence: list markers (1. 2.1. II. a.) and
# the abbreviations of administrative writing.
_NOT_AN_END = re.compile(
    r"(?:^|\s|\()(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[A-ZĐa-zđ]|TP|TS|ThS|GS|PGS|KT|TM|TL|TUQ|Tp|St|v\.v|vv|Th\.S)[.]$"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _NOT_AN_END.search(text[max(pos, m.start() - 12) : m.start()]):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
