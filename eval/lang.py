"""Vietnamese text for the offline judge: accent folding, tokens with offsets, sentence
units, and the word lists of eval/resources/ (polarity, units, names, questions).

Deliberately self-contained: the judge must not share a line of code with the answerer
(assistant/citations.py, retrieval/text.py), or it could not catch the answerer's own
mistakes. Only the standard library is used.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"

# Markers such as "[1]" left in a text once its citations are taken out are footnotes of
# the source ("trọng yếu[1] và"); tokens skip them. Numbers keep their decimal and thousands separators ("1,5", "1.000").
_TOKEN = re.compile(r"\[\d+\]|\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]", re.UNICODE)
_FOOTNOTE = re.compile(r"\[\d+\]$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without tone marks or diacritics (đ → d), NFC in, same length out."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_Y_SYLLABLE = re.compile(r"^([a-z]{1,2})y$")


@lru_cache(maxsize=65536)
def spelling(syllable: str) -> str:
    """A folded syllable with the i/y spelling variant settled: "ty" → "ti" (tỷ/tỉ),
    "ky" → "ki", "ly" → "li"; "quy", "huy", "tuy" unchanged (eval/resources/paraphrase.toml)."""
    m = _Y_SYLLABLE.match(syllable)
    if m and m.group(1)[-1] in _after_consonants() and m.group(1) not in ("qu", "gu"):
        return m.group(1) + "i"
    return syllable


@cache
def _after_consonants() -> frozenset[str]:
    return frozenset(resource("paraphrase")["spelling"]["y_to_i_after"])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Token:
    text: str
    norm: str  # folded
    start: int  # character offsets in the text
    end: int
    kind: str  # "num" | "word" | "punct"

    @property
    def capitalized(self) -> bool:
        return self.kind == "word" and self.text[:1].isupper()


@lru_cache(maxsize=16384)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words, numbers and punctuation of text with their offsets (footnotes skipped)."""
    out = []
    for m in _TOKEN.finditer(text):
        piece = m.group()
        if _FOOTNOTE.match(piece):
            continue
        kind = "num" if piece[0].isdigit() else "word" if piece[0].isalpha() else "punct"
        out.append(Token(piece, spelling(fold(piece)) if kind == "word" else fold(piece), m.start(), m.end(), kind))
    return tuple(out)


# A unit of text ends at a full stop, "!", "?", "…", ";" followed by a space, or a line
# break; list numbers such as "1." or "II." do not end one.
_UNIT_END = re.compile(
    r"(?<![\s(][0-9IVXLCivxlc])(?<![\s(][0-9IVXLC]{2})(?<!^[0-9IVX])(?<!^[0-9IVX]{2})[.!?…;](?=\s)|\n+"
)


def units(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentence-like units of text (whitespace trimmed)."""
    spans, pos = [], 0
    for m in _UNIT_END.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


# -- word lists ------------------------------------------------------------------------
@cache
def resource(name: str) -> dict:
    """A TOML file of eval/resources/ (read once)."""
    return tomllib.loads((RESOURCES / f"{name}.toml").read_text("utf-8"))


@cache
def stopwords() -> frozenset[str]:
    lines = (RESOURCES / "stopwords.txt").read_text("utf-8").splitlines()
    return frozenset(fold(w.strip()) for w in lines if w.strip() and not w.startswith("#"))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """A phrase as the folded tokens it is matched by."""
    return tuple(t.norm for t in tokenize(nfc(phrase)))


class PhraseSet:
    """Phrases matched on folded tokens (or, exact=True, on lower-cased ones: "thiếu" is
    not "thiểu"), longest first."""

    def __init__(self, phrases, value=None, exact: bool = False):
        self.keys: dict[tuple[str, ...], str] = {}
        self.exact = exact
        for p in phrases:
            key = tuple(t.text.lower() for t in tokenize(nfc(p))) if exact else phrase_key(p)
            if key:
                self.keys[key] = value(p) if value else " ".join(key)
        self.longest = max((len(k) for k in self.keys), default=0)
        self.first = {k[0] for k in self.keys}

    def match(self, norms: list[str] | tuple[str, ...], i: int) -> tuple[int, str] | None:
        """(length, value) of the longest phrase starting at token i, or None."""
        if i >= len(norms) or norms[i] not in self.first:
            return None
        for n in range(min(self.longest, len(norms) - i), 0, -1):
            key = tuple(norms[i : i + n])
            if key in self.keys:
                return n, self.keys[key]
        return None

    def __contains__(self, phrase: str) -> bool:
        key = tuple(t.text.lower() for t in tokenize(nfc(phrase))) if self.exact else phrase_key(phrase)
        return key in self.keys
