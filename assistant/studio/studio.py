"""The trainer toolkit's public API (``Assistant.studio``): targets, timeline, outline, quiz,
roles and the implementation map over the live index, each line cited. Built lazily from
the chunk table and the catalog; nothing here loads the search index."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from retrieval.errors import BadInputError
from retrieval.store import ChunkTable
from retrieval.types import DocumentInfo

from . import outline as _outline
from .bodies import BodyIndex
from .corpus import Corpus
from .mapping import MapBuilder
from .quiz import QuizMaker
from .roles import TaskFinder, for_body
from .targets import TargetFinder, select
from .timeline import TimelineFinder
from .types import ImplementationMap, Milestone, Outline, Quiz, Target, Task

OFFLINE = ("extractive", "offline", "default")


class Studio:
    """Artifacts for trainers, built from one chunk table."""

    def __init__(self, table: ChunkTable, documents: list[DocumentInfo], render: Callable[..., str], settings=None):
        self.corpus = Corpus(table.chunks, documents)
        self.render = render
        self.settings = settings  # an OpenAI-compatible generator configured there rewords outlines
        self._maps: dict[str, ImplementationMap] = {}

    @cached_property
    def bodies(self) -> BodyIndex:
        return BodyIndex.load()

    @cached_property
    def _timeline(self) -> TimelineFinder:
        return TimelineFinder(self.corpus)

    @cached_property
    def _targets(self) -> list[Target]:
        return TargetFinder(self.corpus).all()

    @cached_property
    def _milestones(self) -> list[Milestone]:
        return self._timeline.all()

    @cached_property
    def _tasks(self) -> list[Task]:
        return TaskFinder(self.corpus, self.bodies, self._timeline).all()

    def _doc_id(self, doc: str | None) -> str | None:
        return self.corpus.document(doc).id if doc else None

    # -- the artifacts -------------------------------------------------------------------
    def targets(self, doc: str | None = None, year: int | None = None, topic: str = "") -> list[Target]:
        """Quantitative targets of the official documents, one row per target."""
        return select(self._targets, self._doc_id(doc), year, topic)

    def timeline(self, doc: str | None = None) -> list[Milestone]:
        """Milestones, deadlines, phases and recurring dates, in time order."""
        doc_id = self._doc_id(doc)
        return [m for m in self._milestones if not doc_id or m.cite.doc_id == doc_id]

    def outline(self, ref: str, reword: bool | None = None) -> Outline:
        """The briefing of a section, e.g. "57-NQ/TW III.3". With a chat model configured
        (or reword=True) its lines are reworded, each checked against its clause."""
        node = self.corpus.resolve(ref)
        o = _outline.build(self.corpus, node, self._targets, self._tasks)
        if reword is None:
            reword = self.settings is not None and self.settings.generator not in OFFLINE
        if reword:
            from .rewrite import Rewriter

            report = Rewriter(self.settings, self.render).reword([p for s in o.sections for p in s.points])
            o.notice, o.reworded, o.rejected = report.notice, report.accepted, report.rejected
        return o

    def quiz(self, ref: str, n: int | None = 10) -> Quiz:
        """Up to n checked questions from a section, e.g. "03/NQ-CP II.1"."""
        if n is not None and n < 1:
            raise BadInputError("số câu hỏi phải từ 1 trở lên; ví dụ: -n 10")
        node = self.corpus.resolve(ref)
        return self.quiz_maker.make(node, n)

    @cached_property
    def quiz_maker(self) -> QuizMaker:
        return QuizMaker(self.corpus, self._targets, self._milestones, self._tasks, self.bodies, self.render)

    def roles(self, body: str | None = None) -> tuple[list[Task], list[Task]]:
        """Every task with its bodies; with a body, the tasks naming it and those given to
        a group of bodies it belongs to ("các bộ, ngành, địa phương")."""
        tasks = self._tasks
        if not body:
            return tasks, []
        return for_body(tasks, self.bodies.find(body), self.bodies)

    def implementation_map(self, source: str | None = None) -> ImplementationMap:
        """For each task group of a resolution, the plans' tasks that carry it out, and the gaps."""
        key = self.corpus.document(source).id if source else ""
        if key not in self._maps:  # a page shows it on every rerun: build it once per source
            self._maps[key] = MapBuilder(self.corpus).build(self.corpus.documents[key] if key else None)
        return self._maps[key]
