"""Probe files (tests/assistant/probes_*.jsonl, written by scripts/dialog_probes.py,
dialog_heldout.py and near_miss_probes.py) asked of the real corpus and scored per family,
the way scripts/dialog_probes.run scores them."""

from __future__ import annotations

from collections import defaultdict

from assistant.types import Message
from retrieval.text import fold
from scripts.dialog_probes import ABSENT_SAID, facts_said


def outcomes(app, probes: list[dict]) -> dict[str, list[tuple[bool, float]]]:
    """family -> (as expected, key facts said) per probe: the history's turns asked first; a
    refusal probe scores (refused, 0.0); a probe marked "absent" must say its absent ask
    absent (its facts halved when it does not)."""
    out: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for p in probes:
        history: list[Message] = []
        for turn in p.get("history", []):
            history += [Message("user", turn), Message("assistant", app.ask(turn, history).answer)]
        a = app.ask(p["question"], history)
        if p["expect"] == "refuse":
            out[p["family"]].append((a.abstained, 0.0))
            continue
        ok = not a.abstained
        facts = 0.0 if a.abstained else facts_said(a.answer, p["key_facts"])
        if "absent" in p:
            ok = ok and bool(ABSENT_SAID.search(fold(a.answer).lower()))
            facts = facts if ok else facts / 2
        out[p["family"]].append((ok, facts))
    return out
