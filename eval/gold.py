"""Whether a citation holds a gold clause of a question, from the citation alone (its
document, clause path, label and text), so answers scored from a file need no index.

A gold entry is held by a citation of its document when the citation is the gold clause
or lies inside it (same label, same clause path, or a path below it: "III.2.a" is inside
"III.2"), or when the citation's text holds the gold evidence (accent-, case- and
space-insensitive), or is a large part of it (a long clause split into parts).
"""

from __future__ import annotations

import re

from .lang import fold

MIN_PART = 40  # characters a clause part must have to count as holding the evidence


def squash(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form for containment tests."""
    return " ".join(re.sub(r"[^\w%]+", " ", fold(text)).split())


def inside(clause: str, gold_clause: str) -> bool:
    """True when clause is gold_clause or a clause below it."""
    return bool(gold_clause) and (clause == gold_clause or clause.startswith(gold_clause + "."))


def holds(citation, gold) -> bool:
    """citation: an object with doc_id, clause, label, text; gold: eval.dataset.Gold."""
    if getattr(citation, "doc_id", None) != gold.doc:
        return False
    label = getattr(citation, "label", "")
    if gold.label and (label == gold.label or label.startswith((gold.label + ",", gold.label + " ("))):
        return True
    if gold.clause and inside(citation.clause, gold.clause):
        return True
    if not gold.evidence:
        return False
    ev, text = squash(gold.evidence), squash(citation.text)
    return bool(ev) and (ev in text or (len(text) >= MIN_PART and text in ev))
