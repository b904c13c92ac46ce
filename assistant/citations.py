"""Citation checks applied to every draft, whichever generator wrote it.

Markers that point to no source are dropped; each sentence's support by its cited clauses
is measured (its content words, and every number and date, present in the cited text);
each citation's quote is the exact substring of its clause that best supports the
sentence; markers are renumbered [1], [2]... in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from retrieval.rules import load_rules
from retrieval.text import fold, fold_local, sentence_spans

from .generation.base import Draft, DraftSentence, Source
from .types import Citation

_NUM = re.compile(r"\d+(?:[.,/]\d+)*")
_WORD = re.compile(r"\w+")
_FUNCTION = load_rules("language").word_set("function")  # retrieval/resources/rules/language.toml
SUPPORT_THRESHOLD = 0.6


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if w not in _FUNCTION and not w.isdigit()}


def numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUM.findall(text)}


def support(sentence: str, evidence: str) -> float:
    """Share of the sentence's content words found in the evidence; 0 when a number of
    the sentence is missing from it (a figure is never taken on trust)."""
    if not numbers(sentence) <= numbers(evidence):
        return 0.0
    words = content_words(sentence)
    if not words:
        return 1.0
    return len(words & content_words(evidence)) / len(words)


@lru_cache(maxsize=8192)
def _evidence_sets(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """perf (issue 13): numbers(text) and content_words(text), remembered (the same clauses
    and their sentences are evidence again and again); None when text does not fold alone."""
    return (frozenset(numbers(text)), frozenset(content_words(text))) if fold_local(text) else None


def support_in(sentence: str, parts: list[str]) -> float:
    """support(sentence, " ".join(parts)) from each part's remembered numbers and words (no
    number or word spans the space between two parts). perf (issue 13)."""
    sets = [_evidence_sets(p) for p in parts]
    if any(s is None for s in sets):
        return support(sentence, " ".join(parts))
    # the sentence's own numbers and words remembered too (a clause's sentence, again and again)
    own = _evidence_sets(sentence)
    said, words = own if own is not None else (numbers(sentence), content_words(sentence))
    if not said <= frozenset().union(*(s[0] for s in sets if s)):
        return 0.0
    if not words:
        return 1.0
    return len(words & frozenset().union(*(s[1] for s in sets if s))) / len(words)


def best_quote(sentence: str, text: str) -> tuple[int, int]:
    """Span of the sentence of text that best supports the answer sentence."""
    best, best_score = (0, len(text)), -1.0
    for line_start, line in _lines(text):
        for a, b in sentence_spans(text, line_start, line_start + len(line)):
            score = support_in(sentence, [text[a:b]]) + 0.001 * (b - a) / max(1, len(text))  # perf: = support(…)
            if score > best_score:
                best, best_score = (a, b), score
    return best


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


@dataclass
class CheckedSentence:
    text: str
    markers: list[int]  # final marker numbers
    support: float
    framing: bool = False
    bullet: bool = False
    group: bool = False  # heads the list items below it, on its own line

    @property
    def supported(self) -> bool:
        return self.framing or self.support >= SUPPORT_THRESHOLD


@dataclass
class CheckedAnswer:
    sentences: list[CheckedSentence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    dropped_markers: int = 0

    @property
    def claims(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if not s.framing]

    @property
    def supported_ratio(self) -> float:
        claims = self.claims
        return sum(s.supported for s in claims) / len(claims) if claims else 1.0

    def text(self) -> str:
        lines = []
        for s in self.sentences:
            text = one_line(s.text) if s.markers else s.text  # a template's own lines stay
            body = text + (" " + "".join(f"[{m}]" for m in s.markers) if s.markers else "")
            lines.append(("- " + body) if s.bullet else body)
        return _join(lines, self.sentences)


def one_line(text: str) -> str:
    """A sentence as one answer line: a unit whose lines only mean something together (a
    signature block "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Trường Giang") keeps its lines
    apart by " / ", never by line breaks a reader would take for separate sentences; its
    quote keeps the source's own lines."""
    if "\n" not in text:
        return text
    return " / ".join(line.strip() for line in text.split("\n") if line.strip())


def _join(lines: list[str], sentences: list[CheckedSentence]) -> str:
    out = ""
    for i, (line, s) in enumerate(zip(lines, sentences)):
        if i == 0:
            out = line
        elif (
            s.bullet
            or s.framing
            or s.group
            or any(getattr(sentences[i - 1], k) for k in ("framing", "bullet", "group"))
        ):
            out += "\n" + line
        else:
            out += " " + line
    return out


def check(draft: Draft, sources: list[Source]) -> CheckedAnswer:
    """The draft's sentences with their support measured, its citations with exact quotes
    (the sources are the request's and those the draft added)."""
    by_number = {s.number: s for s in [*sources, *draft.sources]}
    result = CheckedAnswer()
    keys: dict[tuple[str, int, int], int] = {}
    for sentence in draft.sentences:
        if sentence.framing:
            result.sentences.append(CheckedSentence(sentence.text, [], 1.0, framing=True))
            continue
        valid = [m for m in dict.fromkeys(sentence.markers) if m in by_number]
        result.dropped_markers += len(sentence.markers) - len(valid)
        # what a reader of the citation sees: its label and headings count as evidence too
        evidence = [" ".join([c.label, *c.breadcrumb, c.context, c.text]) for c in (by_number[m].chunk for m in valid)]
        score = support_in(sentence.text, evidence) if valid else 0.0  # perf (issue 13): = support(…, " ".join(…))
        markers = []
        for m in valid:
            chunk = by_number[m].chunk
            quote = sentence.quotes.get(m)
            start = chunk.text.find(quote) if quote else -1
            if quote is None or start < 0:
                start, end = best_quote(sentence.text, chunk.text)
            else:
                end = start + len(quote)
            key = (chunk.id, start, end)
            if key not in keys:
                keys[key] = len(result.citations) + 1
                result.citations.append(
                    Citation(
                        marker=keys[key],
                        chunk_id=chunk.id,
                        doc_id=chunk.doc_id,
                        doc_short=chunk.doc_short,
                        clause=chunk.path,
                        label=chunk.label,
                        quote=chunk.text[start:end],
                        text=chunk.text,
                        authority=chunk.authority,
                        quote_start=start,
                    )
                )
            markers.append(keys[key])
        result.sentences.append(
            CheckedSentence(sentence.text, markers, score, bullet=sentence.bullet, group=sentence.group)
        )
    return result


def split_sentences(text: str) -> list[DraftSentence]:
    """Parse an LLM answer into sentences with their [n] markers."""
    out: list[DraftSentence] = []
    # "… GDP. [1] Nâng …": a marker written after the full stop belongs to that sentence
    text = re.sub(r"([.!?;…])((?:\s*\[\d+\])+)", lambda m: m.group(2) + m.group(1), text)
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        bullet = bool(re.match(r"^[-*•]\s+|^\d+[.)]\s+", line))
        line = re.sub(r"^[-*•]\s+", "", line)
        for a, b in sentence_spans(line):
            piece = line[a:b]
            markers = [int(m) for m in re.findall(r"\[(\d+)\]", piece)]
            clean = re.sub(r"\s*\[(\d+)\]", "", piece).strip()
            if not clean:
                if out and markers:
                    out[-1].markers.extend(markers)
                continue
            framing = clean.endswith(":") and not markers
            out.append(DraftSentence(clean, markers, framing=framing, bullet=bullet))
    return out
