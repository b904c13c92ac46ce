"""Whether a citation holds a gold clause of a question, from the citation alone (its
document, clause path, label and text), so answers scored from a file need no index.

A gold entry is held by a citation of its document whose text holds the gold evidence
(accent-, case- and space-insensitive) or is a large part of it (a long clause split
into parts); or by a citation of the gold clause or of a clause inside it (same label,
same clause path, or a path below it: "III.2.a" is inside "III.2") whose text holds most
of the evidence's words.
"""

from __future__ import annotations

import re

from .lang import fold

MIN_PART = 40  # characters a clause part must have to count as holding the evidence
MOST = 0.6  # share of the evidence's words a citation inside the gold clause must hold


def squash(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form for containment tests."""
    return " ".join(re.sub(r"[^\w%]+", " ", fold(text)).split())


def inside(clause: str, gold_clause: str) -> bool:
    """True when clause is gold_clause or a clause below it."""
    return bool(gold_clause) and (clause == gold_clause or clause.startswith(gold_clause + "."))


def holds(citation, gold) -> bool:
    """citation: an object with doc_id, clause, label, text; gold: eval.dataset.Gold.

    With evidence, the citation's text must hold it (or be a large part of it); a
    citation of the gold clause, or of a clause inside it, also holds it when its text
    holds most of the evidence's words (several gold entries may name one heading clause,
    each with the item it asks for). Without evidence, the clause or label decides."""
    if getattr(citation, "doc_id", None) != gold.doc:
        return False
    label = getattr(citation, "label", "")
    in_clause = (
        bool(gold.label)
        and (label == gold.label or label.startswith((gold.label + ",", gold.label + " (")))
        or bool(gold.clause)
        and inside(citation.clause, gold.clause)
    )
    if not gold.evidence:
        return in_clause
    ev, text = squash(gold.evidence), squash(citation.text)
    if ev and (ev in text or (len(text) >= MIN_PART and text in ev)):
        return True
    if in_clause:
        words = ev.split()
        have = set(text.split())
        return bool(words) and sum(w in have for w in words) >= MOST * len(words)
    return False
