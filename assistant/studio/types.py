"""Plain data returned by the trainer toolkit. Every line a trainer sees carries a ``Cite``:
the clause's label and an exact quote from that clause's chunk, as chat citations do."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cite:
    """One clause and an exact substring of its chunk's text."""

    chunk_id: str
    doc_id: str
    doc_short: str
    clause: str  # path as `troly show` prints it, e.g. III.2.a
    label: str
    quote: str  # chunk.text[quote_start:quote_start + len(quote)]
    quote_start: int = 0
    authority: str = "official"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Target:
    """One quantitative target: an indicator, its value and unit, its target year."""

    indicator: str
    value: str  # as written, e.g. "tối thiểu 30% GDP"
    low: float | None
    high: float | None
    unit: str  # "%", "% GDP", "%/năm", "doanh nghiệp", "xếp hạng"…
    kind: str  # percent | rank | count | money | index
    year: int | None
    cite: Cite  # quote = the sentence holding the target

    def to_json(self) -> dict[str, Any]:
        return {**{k: v for k, v in asdict(self).items() if k != "cite"}, "cite": self.cite.to_json()}


@dataclass
class Milestone:
    """A dated milestone, deadline, phase or recurring date."""

    when: str  # in words: "2030", "01/2025", "15/6 (định kỳ 6 tháng)", "2025 – 2027"
    kind: str  # milestone | deadline | phase | recurring
    year: int | None  # start year (None for a recurring date)
    month: int | None
    day: int | None
    end_year: int | None  # phases
    recurring: str  # "", "hằng năm", "định kỳ 6 tháng", "hằng tháng"…
    text: str  # what happens (an exact part of the quote)
    cite: Cite

    @property
    def sort_key(self) -> tuple:
        """Dated entries by date; recurring ones after them, by month and day."""
        if self.year is not None:
            return (0, self.year, self.month or 0, self.day or 0, self.end_year or self.year)
        return (1, 0, self.month or 0, self.day or 0, 0)

    def to_json(self) -> dict[str, Any]:
        return {**{k: v for k, v in asdict(self).items() if k != "cite"}, "cite": self.cite.to_json()}


@dataclass
class Task:
    """Who does what: a task with the bodies that lead, coordinate and receive its reports."""

    text: str
    lead: list[str]
    coordinate: list[str]
    report_to: list[str]
    deadline: str
    cite: Cite  # the task's own sentence
    assigned_by: Cite | None = None  # the sentence naming the bodies, when it is a heading above
    general: bool = False  # assigned to a group of bodies ("các bộ, ngành, địa phương")

    @property
    def bodies(self) -> list[str]:
        return list(dict.fromkeys(self.lead + self.coordinate + self.report_to))

    def role_of(self, body: str) -> str:
        if body in self.lead:
            return "thực hiện" if self.general else "chủ trì"
        if body in self.coordinate:
            return "phối hợp"
        return "nhận báo cáo" if body in self.report_to else ""

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k not in ("cite", "assigned_by")}
        data["cite"] = self.cite.to_json()
        data["assigned_by"] = self.assigned_by.to_json() if self.assigned_by else None
        return data


@dataclass
class OutlineLine:
    """One line of a briefing: a heading, a key point, a target or a body."""

    text: str
    cite: Cite
    level: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "level": self.level, "cite": self.cite.to_json()}


@dataclass
class OutlineSection:
    """A sub-section of the briefing (one slide)."""

    heading: OutlineLine
    points: list[OutlineLine] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"heading": self.heading.to_json(), "points": [p.to_json() for p in self.points]}


@dataclass
class Outline:
    """The briefing of one section: headings, key points, targets, responsible bodies."""

    doc_short: str
    doc_title: str
    clause: str
    title: OutlineLine
    breadcrumb: list[str]
    sections: list[OutlineSection]
    targets: list[Target]
    tasks: list[Task]
    notice: str = ""  # e.g. the model could not be used to reword the lines
    reworded: int = 0  # lines reworded by the model and checked against their clause
    rejected: int = 0  # reworded lines that failed the check (their clause's words are kept)

    def lines(self) -> list[OutlineLine]:
        """Every line shown, in order (each carries its citation)."""
        out = [self.title]
        for s in self.sections:
            out += [s.heading, *s.points]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_short": self.doc_short,
            "doc_title": self.doc_title,
            "clause": self.clause,
            "title": self.title.to_json(),
            "breadcrumb": self.breadcrumb,
            "sections": [s.to_json() for s in self.sections],
            "targets": [t.to_json() for t in self.targets],
            "tasks": [t.to_json() for t in self.tasks],
            "notice": self.notice,
            "reworded": self.reworded,
            "rejected": self.rejected,
        }


@dataclass
class Question:
    """A quiz question: multiple choice (one correct option) or fill-in (options empty)."""

    kind: str  # figure | deadline | body | member | fill
    stem: str
    options: list[str]
    answer: int  # index of the correct option; -1 for a fill-in
    answer_text: str  # the exact words of the clause that answer it
    cite: Cite  # the clause stating the answer
    distractor_cites: list[Cite] = field(default_factory=list)  # where the wrong options come from
    scope: list[str] = field(default_factory=list)  # chunk ids of the clause the answer is checked against

    @property
    def correct(self) -> str:
        return self.options[self.answer] if self.answer >= 0 else self.answer_text

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stem": self.stem,
            "options": self.options,
            "answer": self.answer,
            "answer_text": self.answer_text,
            "cite": self.cite.to_json(),
            "distractor_cites": [c.to_json() for c in self.distractor_cites],
        }


@dataclass
class Quiz:
    """The questions drawn from one section, and how many candidates the checks rejected."""

    doc_short: str
    clause: str
    title: str
    questions: list[Question]
    candidates: int
    rejected: int
    reasons: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_short": self.doc_short,
            "clause": self.clause,
            "title": self.title,
            "questions": [q.to_json() for q in self.questions],
            "candidates": self.candidates,
            "rejected": self.rejected,
            "reasons": self.reasons,
        }


@dataclass
class Evidence:
    """Why a plan's task is linked to a task group: numbering, wording or a reference."""

    kind: str  # numbering | wording | reference
    detail: str


@dataclass
class MapLink:
    """A plan's task (or task group) that carries out a task group of the resolution."""

    group: str  # clause of the resolution's task group, e.g. III.1
    plan_doc: str  # doc_short of the plan
    plan_clause: str
    plan_heading: str
    score: float
    evidence: list[Evidence]
    cite: Cite  # the plan unit's heading sentence
    items: list[ItemLink] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "plan_doc": self.plan_doc,
            "plan_clause": self.plan_clause,
            "plan_heading": self.plan_heading,
            "score": round(self.score, 3),
            "evidence": [asdict(e) for e in self.evidence],
            "cite": self.cite.to_json(),
            "items": [i.to_json() for i in self.items],
        }


@dataclass
class ItemLink:
    """One task of the resolution and the most similar task of a plan."""

    item: str  # clause of the resolution's task
    plan_doc: str
    plan_clause: str
    score: float
    shared: list[str]
    cite: Cite  # the plan task's first sentence

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "plan_doc": self.plan_doc,
            "plan_clause": self.plan_clause,
            "score": round(self.score, 3),
            "shared": self.shared,
            "cite": self.cite.to_json(),
        }


@dataclass
class MapGroup:
    """A task group of the resolution with the plans' tasks that carry it out."""

    clause: str
    heading: str
    cite: Cite
    links: list[MapLink]
    items: list[Cite]  # the group's own tasks
    uncovered: list[Cite]  # those no plan carries out (the gap analysis)
    missing_plans: list[str]  # plans with no task for this group

    def to_json(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "heading": self.heading,
            "cite": self.cite.to_json(),
            "links": [x.to_json() for x in self.links],
            "items": [c.to_json() for c in self.items],
            "uncovered": [c.to_json() for c in self.uncovered],
            "missing_plans": self.missing_plans,
        }


@dataclass
class ImplementationMap:
    """The resolution's task groups, the plans that implement it and the gaps."""

    source: str  # doc_short of the resolution
    plans: list[str]  # doc_short of every plan found
    plan_evidence: dict[str, Cite]  # the plan's sentence saying which resolution it implements
    groups: list[MapGroup]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "plans": self.plans,
            "plan_evidence": {k: v.to_json() for k, v in self.plan_evidence.items()},
            "groups": [g.to_json() for g in self.groups],
        }
