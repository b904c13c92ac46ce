"""Spell a phrase written in capitals as a document itself spells the same words
("CHÍNH PHỦ" → "Chính phủ", "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" → "Ủy ban nhân dân tỉnh Bắc
Ninh"), so header names need no list of bodies: the longest runs of words are looked up
first, a single word keeps a capital only if the text never writes it in lower case."""

from __future__ import annotations

import re
from collections import Counter

_ROMAN = re.compile(r"^[IVXLC]+$")


def is_caps(text: str) -> bool:
    """Mostly capital letters (a header line, a title in capitals)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def truecase(phrase: str, text: str) -> str:
    """A phrase written in capitals, spelled as the document itself writes those words
    elsewhere (longest runs first), else lower case; its first letter upper case."""
    if not is_caps(phrase):
        return phrase
    words = phrase.split()
    low = text.lower()
    if len(low) != len(text):  # lower() changed lengths: offsets would not carry over
        low, text = text.lower(), text.lower()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            spelled = _spelling(" ".join(words[i:j]).lower(), low, text)
            if spelled:
                out.append(spelled)
                i = j
                break
        else:
            w = words[i]
            out.append(w if _ROMAN.match(w) else w.lower())
            i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def _spelling(needle: str, low: str, text: str) -> str:
    """The most frequent spelling of needle (lower-cased) in text that is not all capitals."""
    if " " not in needle and _ROMAN.match(needle.upper()):
        return needle.upper()
    variants: Counter[str] = Counter()
    start, looked = low.find(needle), 0
    while start >= 0 and looked < 400:
        end = start + len(needle)
        if (start == 0 or not low[start - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
            looked += 1
            seen = text[start:end]
            if not is_caps(seen) and not seen.isupper():
                variants[seen] += 1
        start = low.find(needle, start + 1)
    if not variants:
        return ""
    if " " not in needle and any(v.islower() for v in variants):
        return needle  # a single word seen in lower case anywhere is an ordinary word
    return variants.most_common(1)[0][0]
