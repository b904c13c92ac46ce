"""The evaluation set itself: every question well formed, every gold entry pointing at a real
clause of the indexed documents (scripts/check_questions.py). The wave-3 and wave-4 questions ("w3-…", "w4-…")
are held to the strict rules: exact evidence inside the clause, key facts inside the evidence."""

from __future__ import annotations

import json

from eval.dataset import QUESTIONS
from scripts.check_questions import check


def rows() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]


def test_every_question_is_well_formed_and_its_gold_is_in_its_clause(corpus_app):
    assert check(rows(), corpus_app.table, strict=False) == []


def test_wave3_questions_meet_the_strict_rules(corpus_app):
    w3 = [r for r in rows() if r["id"].startswith(("w3-", "w4-"))]
    assert w3, "no wave-3 questions"
    assert check(w3, corpus_app.table) == []


def test_the_checker_catches_broken_gold(corpus_app):
    good = next(r for r in rows() if r["id"].startswith("w3-") and r["key_facts"])
    broken = json.loads(json.dumps(good))
    broken["gold"][0]["evidence"] = broken["gold"][0]["evidence"] + " chữ không có trong văn bản"
    broken["gold"][0]["label"] += " X"
    broken["key_facts"].append("một con số bịa 99%")
    broken["split"] = "dev" if good["split"] != "dev" else "test"
    found = " ".join(check([broken], corpus_app.table))
    for what in ("evidence not inside", "label", "key fact", "sha256"):
        assert what in found, what
