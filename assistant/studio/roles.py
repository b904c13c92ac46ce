"""Who does what: for each task of the official documents, the bodies that lead it (chủ trì,
or the subject of the sentence), coordinate it (phối hợp với …) and receive its reports
(báo cáo … về …), with its deadline and clause. A clause ending "… thực hiện các nhiệm vụ
sau đây:" or headed "Trách nhiệm của <cơ quan>" gives its items to the bodies it names.
The cue words live in resources/roles.toml, the body names in resources/bodies.toml."""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval.text import fold_aligned
from retrieval.types import Chunk

from .bodies import Body, BodyIndex, Mention
from .corpus import Corpus, Node, rules
from .timeline import TimelineFinder
from .types import Cite, Task


@dataclass
class _Roles:
    lead: list[Body] = field(default_factory=list)
    coordinate: list[Body] = field(default_factory=list)
    report_to: list[Body] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.coordinate or self.report_to)

    def merge(self, other: _Roles) -> None:
        for mine, theirs in (
            (self.lead, other.lead),
            (self.coordinate, other.coordinate),
            (self.report_to, other.report_to),
        ):
            mine += [b for b in theirs if b not in mine]


def _names(bodies: list[Body]) -> list[str]:
    return list(dict.fromkeys(b.name for b in bodies))


class TaskFinder:
    """Finds the tasks and their bodies in the official documents of a Corpus."""

    def __init__(self, corpus: Corpus, bodies: BodyIndex, timeline: TimelineFinder):
        self.corpus, self.bodies, self.timeline = corpus, bodies, timeline
        self._learn_aliases()

    def _learn_aliases(self) -> None:
        pattern = rules("roles").pattern("defined_alias")
        for c in self.corpus.readable():
            folded = self.corpus.folded(c)
            if "(sau day" not in folded:
                continue
            for m in self.bodies.mentions(c.text, folded):
                d = pattern.match(folded, m.end)
                if d:
                    self.bodies.alias(c.text[d.start("alias") : d.end("alias")], m.body.name)

    def all(self) -> list[Task]:
        out: list[Task] = []
        for doc in self.corpus.official():
            out += self.of_node(self.corpus.roots[doc.id])
        return out

    def of_node(self, top: Node) -> list[Task]:
        """The tasks of a clause and everything below it, in document order."""
        own: dict[str, tuple[_Roles, Cite, Chunk]] = {}
        assigned: dict[str, tuple[_Roles, Cite]] = {}
        for node in top.walk():
            for chunk in self.corpus.readable(node.chunks):
                found = self._chunk_roles(chunk, node)
                if found is None:
                    continue
                roles, cite, gives_items = found
                if gives_items and node.children:
                    for leaf in node.leaves():
                        assigned.setdefault(leaf.path, (roles, cite))
                elif roles:
                    own.setdefault(chunk.id, (roles, cite, chunk))
            heading = self._responsibility(node)
            if heading:
                for leaf in node.leaves():
                    assigned.setdefault(leaf.path, heading)
        out = []
        for node in top.walk():
            for chunk in self.corpus.readable(node.chunks):
                given = assigned.get(node.path) if not node.children else None
                mine = own.get(chunk.id)
                if mine is None and given is None:
                    continue
                roles = _Roles()
                by = None
                if mine is not None:
                    roles.merge(mine[0])
                if given is not None and not roles.lead:
                    roles.lead += given[0].lead
                    by = given[1]
                quoted = (
                    mine[1]
                    if mine is not None
                    else self.corpus.first_sentence(node)
                    if chunk is node.chunks[0]
                    else None
                )
                if quoted is None or not roles.lead and not roles.coordinate and not roles.report_to:
                    continue
                out.append(
                    Task(
                        text=quoted.quote,
                        lead=_names(roles.lead),
                        coordinate=_names(roles.coordinate),
                        report_to=_names(roles.report_to),
                        deadline=self._deadline(chunk, node),
                        cite=quoted,
                        assigned_by=by,
                        general=any(b.group for b in roles.lead),
                    )
                )
        return out

    # -- one clause ----------------------------------------------------------------------
    def _chunk_roles(self, chunk: Chunk, node: Node) -> tuple[_Roles, Cite, bool] | None:
        roles, first, last, gives = _Roles(), None, None, False
        folded = self.corpus.folded(chunk)
        for a, b in self.corpus.sentences(chunk):
            found = self.sentence_roles(chunk.text[a:b], folded[a:b])
            if not found:
                continue
            if rules("roles").search("assigns_items", chunk.text[a:b]) and found.lead:
                return found, self.corpus.cite(chunk, a, b), True
            roles.merge(found)
            first = a if first is None else first
            last = b
        if not roles or first is None:  # roles are only merged with first set
            return None
        return roles, self.corpus.cite(chunk, first, last), gives

    def _responsibility(self, node: Node) -> tuple[_Roles, Cite] | None:
        """'Trách nhiệm của <cơ quan>': the heading's body leads every item below."""
        if not node.chunks or not node.children:
            return None
        cite = self.corpus.heading_cite(node)
        m = rules("roles").pattern("responsibility_heading").match(fold_aligned(cite.quote))
        if not m:
            return None
        found = [x.body for x in self.bodies.mentions(cite.quote) if x.start >= m.end()]
        return (_Roles(lead=found[:1]), cite) if found else None

    def sentence_roles(self, sentence: str, folded: str | None = None) -> _Roles:
        """The bodies of one sentence by role."""
        r = rules("roles")
        folded = fold_aligned(sentence) if folded is None else folded
        mentions = self.bodies.mentions(sentence, folded)
        for m in r.pattern("name_start").finditer(sentence):
            if all(m.start() >= x.end or m.end() <= x.start for x in mentions):
                extra = self.bodies.unknown(sentence, m.start())
                if extra and all(extra.start >= x.end or extra.end <= x.start for x in mentions):
                    mentions.append(extra)
        mentions.sort(key=lambda x: x.start)
        roles = _Roles()
        for group in self._lists(mentions, folded):
            before, after = folded[: group[0].start], folded[group[-1].end :]
            bodies = [m.body for m in group]
            if r.pattern("coordinate_before").search(before):
                roles.coordinate += bodies
            elif r.pattern("report_before").search(before):
                roles.report_to += bodies
            elif r.pattern("lead_after").match(after) and not r.pattern("object_before").search(before):
                roles.lead += bodies
        return roles

    @staticmethod
    def _lists(mentions: list[Mention], folded: str) -> list[list[Mention]]:
        """Mentions joined by commas or 'và' form one list of bodies."""
        joiner = rules("roles").pattern("joiner")
        out: list[list[Mention]] = []
        for m in mentions:
            if out and joiner.match(folded[out[-1][-1].end : m.start]):
                out[-1].append(m)
            else:
                out.append([m])
        return out

    def _deadline(self, chunk: Chunk, node: Node) -> str:
        """The dates of the task's own clause, else of the headings above it."""
        entries = self.timeline.of_chunk(chunk)
        for anc in node.ancestors():
            if entries or not anc.chunks:
                break
            first = anc.chunks[0].text.split("\n", 1)[0]
            entries = [e for e in self.timeline.of_chunk(anc.chunks[0]) if e.cite.quote_start < len(first)]
        return "; ".join(dict.fromkeys(e.when for e in entries))


def for_body(tasks: list[Task], body: Body, index: BodyIndex) -> tuple[list[Task], list[Task]]:
    """The tasks naming a body, and those given to a group of bodies it belongs to."""
    named = [t for t in tasks if body.name in t.bodies]
    general = [
        t
        for t in tasks
        if t not in named and any(index.covers(index.bodies[n], body) for n in t.lead if n in index.bodies)
    ]
    return named, general
