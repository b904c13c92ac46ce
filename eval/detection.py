"""What a green gate means: the run's own answers broken on purpose (eval/mutations.py)
and scored again, kind by kind, with the share of broken answers each metric catches;
and the false alarms, the unchanged answers the judge calls unsupported.

A metric catches a broken answer when it scores it lower than the unchanged one. The
faithfulness-or-citation column is the one the targets are set on (≥ 90% of every kind
but a dropped list item, which takes nothing false into an answer and is caught by
completeness and key facts instead; ≤ 5% false alarms).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .metrics import Result, Sample
from .mutations import KINDS, LABELS, Clauses, mutate, rng

SUPPORT = ("citation_recall", "citation_precision", "faithfulness")  # the faithfulness or citation metrics
COLUMNS = SUPPORT + ("answer_precision", "key_fact_coverage", "completeness")
MIN_CAUGHT = 0.90
MAX_FALSE_ALARMS = 0.05
# Kinds that put nothing false into the answer: the support metrics cannot see them.
COVERAGE_KINDS = ("drop_item",)


@dataclass
class KindStats:
    cases: int = 0
    caught: dict[str, int] = field(default_factory=lambda: {m: 0 for m in COLUMNS})
    support: int = 0  # caught by any of SUPPORT
    any: int = 0
    missed: list[dict] = field(default_factory=list)  # a few examples that got through (dev only)
    splits: dict[str, dict[str, int]] = field(default_factory=dict)  # split → cases, support, any


def _lower(before: Result | None, after: Result | None) -> bool:
    if before is None or after is None or before.value is None:
        return False
    return after.value is None and before.value > 0 or (after.value is not None and after.value < before.value - 1e-9)


def _short(result: Result | None) -> bool:
    """A score below full (an answer with something unsupported already)."""
    return result is not None and result.value is not None and result.value < 1 - 1e-9


def detection(
    samples: list[Sample],
    scores: list[dict[str, Result]],
    metrics: list,
    kinds=KINDS,
    siblings: Clauses | None = None,
    others: Clauses | None = None,
    cap: int | None = None,
) -> dict[str, Any]:
    """The detection table over the answered samples (scores: their unchanged scores)."""
    metrics = [m for m in metrics if m.name in COLUMNS]
    answered = [
        (s, sc)
        for s, sc in zip(samples, scores)
        if s.answer is not None and not s.answer.abstained and s.answer.citations
    ]
    stats = {k: KindStats() for k in kinds}
    for kind in kinds:
        pool = answered[:]
        rng("all", kind).shuffle(pool)
        for sample, before in pool:
            if cap is not None and stats[kind].cases >= cap:
                break
            if kind in COVERAGE_KINDS and any(_short(before.get(m)) for m in SUPPORT):
                # a dropped item takes nothing false in, but from an answer that already holds an
                # unsupported sentence it lowers the supported share all the same: such answers
                # cannot tell whether the support metrics wrongly react, so they are not broken
                continue
            assert sample.answer is not None  # answered samples only
            mutant = mutate(sample.answer, kind, sample.question.id, siblings, others, expected_item(sample.question))
            if mutant is None:
                continue
            broken = Sample(sample.question, mutant.answer, sample.seconds)
            after = {m.name: m.score(broken) for m in metrics}
            st = stats[kind]
            st.cases += 1
            hit = {m: _lower(before.get(m), after.get(m)) for m in COLUMNS}
            for m, h in hit.items():
                st.caught[m] += h
            st.support += any(hit[m] for m in SUPPORT)
            st.any += any(hit.values())
            sp = st.splits.setdefault(sample.question.split or "", {"cases": 0, "support": 0, "any": 0})
            sp["cases"] += 1
            sp["support"] += any(hit[m] for m in SUPPORT)
            sp["any"] += any(hit.values())
            caught = any(hit.values()) if kind in COVERAGE_KINDS else any(hit[m] for m in SUPPORT)
            # a few examples that got through (test answers are counted, not shown: the split is frozen)
            if not caught and sample.question.split == "dev" and len(st.missed) < 3:
                st.missed.append({"id": sample.question.id, "what": mutant.what})
    alarms = [(s.question.id, s.question.split or "", _alarm(sc)) for s, sc in answered]
    flagged = [(qid, why) for qid, _, why in alarms if why]
    shown = [(qid, why) for qid, split, why in alarms if why and split == "dev"]
    control_splits: dict[str, dict[str, int]] = {}
    for _, split, why in alarms:
        c = control_splits.setdefault(split, {"answers": 0, "false_alarms": 0})
        c["answers"] += 1
        c["false_alarms"] += bool(why)
    return {
        "kinds": {
            k: {
                "label": LABELS[k],
                "cases": st.cases,
                "caught": st.caught,
                "support": st.support,
                "any": st.any,
                "support_rate": st.support / st.cases if st.cases else None,
                "any_rate": st.any / st.cases if st.cases else None,
                "missed": st.missed,
                "coverage_kind": k in COVERAGE_KINDS,
                "splits": st.splits,
            }
            for k, st in stats.items()
        },
        "control": {
            "answers": len(answered),
            "false_alarms": len(flagged),
            "rate": len(flagged) / len(answered) if answered else None,
            "examples": [{"id": q, "why": w} for q, w in shown[:5]],
            "splits": control_splits,
        },
        "columns": list(COLUMNS),
        "support_metrics": list(SUPPORT),
        "cap": cap,
        "targets": {"min_caught": MIN_CAUGHT, "max_false_alarms": MAX_FALSE_ALARMS},
    }


def expected_item(question):
    """Whether a list item is part of the question's expected answer: it cites one of
    the gold clauses or states a key fact (None when the question has neither)."""
    from .gold import holds
    from .metrics import normalize_fact

    if not question.gold and not question.key_facts:
        return None
    facts = [f" {normalize_fact(f)} " for f in question.key_facts]

    def expected(text: str, citations) -> frozenset:
        """What of the expected answer the item carries (truthy when it carries some):
        the key facts it states and the gold clauses its citations hold."""
        t = f" {normalize_fact(text)} "
        return frozenset(
            [("fact", f) for f in facts if f in t]
            + [("gold", i) for i, g in enumerate(question.gold) if any(holds(c, g) for c in citations)]
        )

    return expected


def _alarm(scores: dict[str, Result]) -> str:
    """Why an unchanged answer counts as a false alarm ('' when it does not): the judge
    says one of its claims is not supported by its citations or by the context."""
    for name in ("citation_recall", "faithfulness"):
        r = scores.get(name)
        if r is not None and r.value is not None and r.value < 1:
            return f"{name}: {r.reason}"
    return ""


def passed(table: dict[str, Any]) -> list[str]:
    """The targets the table misses (empty: every kind caught, few false alarms)."""
    out = []
    for kind, row in table["kinds"].items():
        rate = row["any_rate"] if row["coverage_kind"] else row["support_rate"]
        if row["cases"] and rate is not None and rate < MIN_CAUGHT:
            out.append(f"{kind}: {rate:.0%} < {MIN_CAUGHT:.0%}")
    rate = table["control"]["rate"]
    if rate is not None and rate > MAX_FALSE_ALARMS:
        out.append(f"báo động nhầm {rate:.0%} > {MAX_FALSE_ALARMS:.0%}")
    return out
