"""The Generator interface and the plain data it exchanges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from retrieval.types import Chunk

if TYPE_CHECKING:  # assistant.evidence imports this module
    from ..evidence import Evidence


@dataclass
class Source:
    """A numbered source offered to a generator; ``number`` is its [n] in the draft."""

    number: int
    chunk: Chunk
    rank: int  # rank of the retrieved hit it comes from (children share their parent's)
    score: float = 0.0
    retrieved: bool = True  # a hit itself, not an item or heading block offered beside the hits


@dataclass
class GenerationRequest:
    question: str  # standalone
    sources: list[Source]
    named_docs: list[str] = field(default_factory=list)
    focus: str = ""  # the question without the documents' names, for scoring evidence
    known_years: list[str] = field(default_factory=list)  # years of the named documents themselves
    children: dict[str, list[Chunk]] = field(default_factory=dict)  # chunk id -> its items
    preferred_docs: list[str] = field(default_factory=list)  # named only as implemented ("… thực hiện NQ57")
    evidence: Evidence | None = None  # the scored units, when already computed


@dataclass
class DraftSentence:
    """One sentence of a draft with the source numbers it cites and, when the generator
    knows it (extractive), the exact quote per source."""

    text: str
    markers: list[int]
    quotes: dict[int, str] = field(default_factory=dict)
    framing: bool = False  # an intro line of a template, not a claim
    bullet: bool = False  # shown as a list item
    group: bool = False  # a line heading the list items below it


@dataclass
class Draft:
    """A generator's answer. ``sources`` are the clauses it cites beyond the request's own
    (numbered after them; a generator never changes the request)."""

    sentences: list[DraftSentence]
    sources: list[Source] = field(default_factory=list)
    structured: bool = False  # read from the document tree (a list or a count)
    confidence: float = 0.0  # how surely the structure answers (1.0: its heading or items name what is asked)
    # the clause a structured draft stands on when the question names it by its place ("Mục III",
    # "điểm 2 Mục II"): its label holds the question's numbers, as a top clause's would
    anchors: tuple[Chunk, ...] = ()
    each: bool = False  # every group's own count ("Mỗi hệ thống có bao nhiêu sáng kiến"), read from the tree


@runtime_checkable
class Generator(Protocol):
    name: str

    def generate(self, request: GenerationRequest) -> Draft: ...

    def stream(self, request: GenerationRequest, on_text: Callable[[str], None]) -> Draft: ...


def iter_words(text: str) -> Iterator[str]:
    """Split text into small pieces for streaming output."""
    for i, word in enumerate(text.split(" ")):
        yield word if i == 0 else " " + word
