"""General features of a (question, clause) pair for the learned reranker
(retrieval/rerank.py): how each retriever ranked the clause, how much of the question its
text, its headings, its parent heading and its items cover, its kind and length, and
whether its period and the asked years agree. Nothing here names a question or a
document; the weights are fitted on the dev split (scripts/fit_rerank.py).

Per-clause work (token sets of the text, the breadcrumb, the parent and the items) is
done once, when the searcher is built; per question only set lookups remain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .memo import memo_of
from .text import fold
from .types import Chunk

_WORDS = re.compile(r"\w+")

# a list marker at the start of a clause ("- ", "a) ", "2.1. ", "III- ")
LIST_MARK = re.compile(r"^\s*(?:[-+•–]\s*|[a-zđ]\)\s*|\(?\d{1,2}(?:\.\d{1,2})*\s*[.)\-]\s*|[IVX]{1,5}\s*[-.]\s*)?")

NAMES = (
    "bias",
    "fused",  # the prior-weighted fusion score, scaled to the best of the head
    "fused_rank",  # 1 / rank in the fused list
    "lexical_rank",  # 1 / BM25 rank (0: not among the candidates)
    "lexical_score",  # BM25 score / the best BM25 score
    "dense_rank",  # 1 / dense rank (0: not among the candidates)
    "coverage",  # IDF-weighted share of the question's terms in breadcrumb + text
    "coverage_text",  # ... in the clause's own text
    "coverage_crumb",  # ... in its headings (breadcrumb)
    "coverage_parent",  # ... in the heading line of its parent
    "coverage_items",  # ... in its items (a heading's children), for a list question
    "coverage_pairs",  # share of the question's syllable pairs (compounds) in breadcrumb + text
    "coverage_marked",  # share of the question's accented syllables in breadcrumb + text
    "prior",  # authority x boilerplate x title prior
    "log_length",  # log of the clause's token count
    "is_title",
    "is_boilerplate",
    "is_row",
    "has_items",
    "list_heading",  # a list question and a clause with items
    "meta_title",  # a question about the text itself and its heading block
    "signer_block",  # "ai ký" and a signature block
    "subject_lead",  # a duties question and a clause that opens with the body asked
    "year_agrees",  # an asked year among the years the clause stands under
    "year_conflicts",  # the clause stands under other years only
    "year_in_text",  # an asked year in the clause's text
    "coverage_rare",  # share of the question's three rarest terms in breadcrumb + text
    "numbers",  # share of the question's numbers (years aside) in the clause's text
    "numbers_heading",  # ... in its text or the heading it stands under ("Sáng kiến 3" over its bullets)
    "coverage_lead",  # IDF-weighted share of the question's terms in the clause's opening words
    "coverage_synonyms",  # IDF-weighted share of the terms of the synonyms searched for (0: none)
    "count_stated",  # a count question and a clause stating "<number> <what is counted>"
    "items_named",  # share of a heading's items that open with what is counted ("Giai đoạn …")
)
INDEX = {n: i for i, n in enumerate(NAMES)}


FIELDS = ("all", "text", "crumb", "parent", "items", "lead")
LEAD_CHARS = 60  # the opening words of a clause: its subject ("Nhà khoa học: …", "Bộ Y tế …")


class Profiles:
    """What the features need of every clause, computed once: for each field (breadcrumb +
    text, text, breadcrumb, the parent's heading line, the items' texts) the ids of its
    distinct terms, each row's list led by a sentinel id of weight zero so that none is
    empty; token counts, whether the clause has items, and its numbers."""

    def __init__(self, chunks: list[Chunk], children: dict[str, list[Chunk]], by_id: dict[str, Chunk], tokens):
        digits = lambda terms: frozenset(t.lstrip("0") or "0" for t in terms if t.isdigit())
        own = [frozenset(tokens("\n".join(p for p in (c.context, c.text) if p))) for c in chunks]
        row = {c.id: i for i, c in enumerate(chunks)}
        fields: dict[str, list[frozenset[str]]] = {f: [] for f in FIELDS}
        self.n_tokens = np.zeros(len(chunks))
        self.has_items = np.zeros(len(chunks), dtype=bool)
        self.numbers: list[frozenset[str]] = []
        self.heading_numbers: list[frozenset[str]] = []
        self.item_leads: list[tuple[str, ...]] = []  # each item's opening words, folded, no list marker
        for i, c in enumerate(chunks):
            crumb = frozenset(tokens(" › ".join(c.breadcrumb[1:])))
            parent = by_id.get(c.parent_id)
            kids = [row[k.id] for k in children.get(c.id, []) if k.id in row]
            fields["all"].append(own[i] | crumb)
            fields["text"].append(own[i])
            fields["crumb"].append(crumb)
            fields["parent"].append(
                frozenset(tokens(parent.text.partition("\n")[0][:200])) if parent is not None else frozenset()
            )
            fields["items"].append(frozenset().union(*(own[k] for k in kids)))
            fields["lead"].append(frozenset(tokens(LIST_MARK.sub("", c.text[: LEAD_CHARS + 20])[:LEAD_CHARS])))
            self.n_tokens[i] = len(tokens(c.text))
            self.has_items[i] = bool(kids)
            self.item_leads.append(
                tuple(" ".join(_WORDS.findall(fold(LIST_MARK.sub("", chunks[k].text[:80]).lower()))[:4]) for k in kids)
            )
            self.numbers.append(digits(own[i]))
            heading = frozenset(tokens(c.breadcrumb[-1])) if len(c.breadcrumb) > 1 else frozenset()
            self.heading_numbers.append(self.numbers[-1] | digits(heading))
        self.vocab: dict[str, int] = {}
        for sets in fields.values():
            for terms in sets:
                for t in terms:
                    self.vocab.setdefault(t, len(self.vocab) + 1)  # 0: the sentinel
        self.ids = {
            f: [np.array([0] + sorted(self.vocab[t] for t in terms), dtype=np.int32) for terms in sets]
            for f, sets in fields.items()
        }
        self.all_terms = fields["all"]

    def __len__(self) -> int:
        return len(self.n_tokens)

    def shares(self, field: str, rows: list[int], weights: np.ndarray) -> np.ndarray:
        """For each row, the sum of ``weights`` (indexed by term id) over its field's terms."""
        ids, starts = self._gathered(field, rows)
        return np.add.reduceat(weights[ids], starts)

    def _gathered(self, field: str, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """``_gather``, kept for the last few row lists (one question asks the same rows' terms
        with several weights)."""
        return memo_of(self, "_gathered_memo", 64).get((field, tuple(rows)), lambda: self._gather(field, rows))

    def _gather(self, field: str, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The rows' term ids one after the other, and where each row starts: the field's
        rows are kept end to end (built on first use) and cut with array operations."""
        packed: dict = self.__dict__.setdefault("_packed", {})
        got = packed.get(field)
        if got is None:
            sets = self.ids[field]
            indptr = np.zeros(len(sets) + 1, dtype=np.int64)
            indptr[1:] = np.cumsum([len(a) for a in sets])
            flat = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int32)
            got = packed[field] = (flat, indptr)
        flat, indptr = got
        r = np.asarray(rows, dtype=np.int64)
        lengths = indptr[r + 1] - indptr[r]
        starts = np.zeros(len(r), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(indptr[r] - starts, lengths)
        return flat[index], starts

    def shares_by_field(self, fields: tuple[str, ...], rows: list[int], weights: np.ndarray) -> np.ndarray:
        """``shares`` of several fields end to end (the rows of the first field, then of the
        next…) from one gather of every field's rows kept end to end: each row's sum is the
        same contiguous reduction as ``shares`` does, so the figures are the same. perf (issue 13)."""
        ids, starts = memo_of(self, "_gathered_memo", 64).get(
            (fields, tuple(rows)), lambda: self._gather_fields(fields, rows)
        )
        return np.add.reduceat(weights[ids], starts)

    def _gather_fields(self, fields: tuple[str, ...], rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        packed: dict = self.__dict__.setdefault("_packed", {})
        got = packed.get(FIELDS)
        if got is None:  # every field's rows end to end, field after field (FIELDS order)
            sets = [a for f in FIELDS for a in self.ids[f]]
            indptr = np.zeros(len(sets) + 1, dtype=np.int64)
            indptr[1:] = np.cumsum([len(a) for a in sets])
            got = packed[FIELDS] = (np.concatenate(sets), indptr)
        flat, indptr = got
        n = len(self)
        r = np.concatenate([np.asarray(rows, dtype=np.int64) + FIELDS.index(f) * n for f in fields])
        lengths = indptr[r + 1] - indptr[r]
        starts = np.zeros(len(r), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(indptr[r] - starts, lengths)
        return flat[index], starts

    def shares_of(self, field: str, rows: list[int], vectors: list[np.ndarray]) -> np.ndarray:
        """``shares`` for several weight vectors at once, one row of the result each: one
        gather of the rows' terms and one reduction (each row's sum is the same
        contiguous reduction as ``shares`` does, so the figures are the same)."""
        ids, starts = self._gathered(field, rows)
        return np.add.reduceat(np.stack([v[ids] for v in vectors]), starts, axis=1)


@dataclass
class QueryTerms:
    """The question's terms with their IDF weights (by kind: all, syllable pairs, accented
    syllables, the three rarest) as vectors over a profile vocabulary, and its numbers."""

    weights: np.ndarray
    pairs: np.ndarray
    marked: np.ndarray
    rare: np.ndarray
    numbers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tokens: list[str], idf, vocab: dict[str, int]) -> QueryTerms:
        weights = {t: idf(t) for t in dict.fromkeys(tokens)}
        plain = sorted((t for t in weights if not t.startswith("~")), key=lambda t: -weights[t])
        numbers = frozenset(
            t.lstrip("0") or "0" for t in weights if t.isdigit() and not (len(t) == 4 and t[:2] in ("19", "20"))
        )

        def vector(keep) -> np.ndarray:
            v = np.zeros(len(vocab) + 1)
            kept = [(t, w) for t, w in weights.items() if keep(t)]  # perf (issue 13): keep() once a term
            total = sum(w for _, w in kept)  # the same sum, in the same order
            if total:
                found = [(j, w / total) for t, w in kept if (j := vocab.get(t)) is not None]
                if found:  # one assignment (the terms are distinct, so are their ids)
                    v[[j for j, _ in found]] = [x for _, x in found]
            return v

        rare = set(plain[:3])
        return cls(
            vector(lambda t: True),
            vector(lambda t: "_" in t),
            vector(lambda t: t.startswith("~")),
            vector(lambda t: t in rare) if rare else np.zeros(len(vocab) + 1),
            numbers,
        )

    @staticmethod
    def has(v: np.ndarray) -> bool:
        return bool(v.any())


@dataclass
class Signals:
    """What one search knows about its candidates: scores and ranks by retriever, and the
    question's families."""

    fused: dict[int, float]
    lexical: np.ndarray
    lexical_ranks: dict[int, int]
    dense_ranks: dict[int, int]
    terms: QueryTerms
    prior: np.ndarray
    listing: bool = False
    metadata: bool = False
    signer: bool = False
    years: frozenset[str] = frozenset()
    synonyms: np.ndarray | None = None  # the synonym terms' weights over the profile vocabulary
    stated: frozenset[int] = frozenset()  # rows stating the count a question asks for
    units: tuple[str, ...] = ()  # what a count question counts, folded ("giai doan")


def matrix(
    rows: list[int],
    sig: Signals,
    prof: Profiles,
    chunks: list[Chunk],
    scope: list[frozenset[str]],
    signature: set[int],
    subject_lead: set[int],
    answering: frozenset[int] = frozenset(),
) -> np.ndarray:
    """The feature matrix of the candidate rows, in fused order (NAMES order of columns).
    Rows in ``answering`` answer by their place in the text (a signature block for "ai
    ký"): they count as covering the question."""
    n = len(rows)
    X = np.zeros((n, len(NAMES)), dtype=np.float64)
    if not n:
        return X
    q = sig.terms
    idx = np.array(rows)
    top = max(sig.fused[i] for i in rows) or 1.0
    best_lex = float(sig.lexical.max()) if sig.lexical.size else 0.0
    X[:, 0] = 1.0
    X[:, 1] = [sig.fused[i] / top for i in rows]
    X[:, 2] = 1.0 / np.arange(1, n + 1)
    X[:, 3] = [1.0 / sig.lexical_ranks[i] if i in sig.lexical_ranks else 0.0 for i in rows]
    X[:, 4] = sig.lexical[idx] / best_lex if best_lex > 0 else 0.0
    X[:, 5] = [1.0 / sig.dense_ranks[i] if i in sig.dense_ranks else 0.0 for i in rows]
    # perf (issue 13): the shares of the clause's whole text, by every weighting that needs
    # them, in one gather: the question's terms, its pairs, its accented syllables, its
    # rarest terms, its synonyms' terms
    synonyms = sig.synonyms is not None and QueryTerms.has(sig.synonyms)
    wanted: dict[str, np.ndarray] = {"weights": q.weights}
    if q.has(q.pairs):
        wanted["pairs"] = q.pairs
    if q.has(q.marked):
        wanted["marked"] = q.marked
    if q.has(q.rare):
        wanted["rare"] = q.rare
    if sig.synonyms is not None and synonyms:
        wanted["synonyms"] = sig.synonyms
    whole = dict(zip(wanted, prof.shares_of("all", rows, list(wanted.values()))))
    X[:, 6] = whole["weights"]
    # perf (issue 13): the other fields' shares of the question's terms in one gather
    fields = ("text", "crumb", "parent", "items", "lead") if sig.listing else ("text", "crumb", "parent", "lead")
    by_field = dict(zip(fields, prof.shares_by_field(fields, rows, q.weights).reshape(len(fields), n)))
    X[:, 7] = by_field["text"]  # = prof.shares("text", rows, q.weights), and so on
    X[:, 8] = by_field["crumb"]
    X[:, 9] = by_field["parent"]
    if sig.listing:
        X[:, 10] = by_field["items"]
    X[:, 11] = whole["pairs"] if "pairs" in whole else X[:, 6]
    X[:, 12] = whole["marked"] if "marked" in whole else X[:, 6]
    for r, i in enumerate(rows):
        if i in answering:
            X[r, 6:13] = 1.0
    X[:, 13] = sig.prior[idx]
    X[:, 14] = np.log1p(prof.n_tokens[idx])
    X[:, 15] = [chunks[i].kind == "title" for i in rows]
    X[:, 16] = [chunks[i].boilerplate for i in rows]
    X[:, 17] = [chunks[i].kind == "row" for i in rows]
    X[:, 18] = prof.has_items[idx]
    X[:, 19] = sig.listing and prof.has_items[idx]
    X[:, 20] = X[:, 15] * sig.metadata
    X[:, 21] = [sig.signer and i in signature for i in rows]
    X[:, 22] = [i in subject_lead for i in rows]
    if sig.years:
        years = sig.years
        X[:, 23] = [bool(years & scope[i]) for i in rows]
        X[:, 24] = [bool(scope[i]) and not years & scope[i] for i in rows]
        X[:, 25] = [any(y in chunks[i].text for y in years) for i in rows]
    if "rare" in whole:
        X[:, 26] = whole["rare"]
    X[:, 27] = [len(q.numbers & prof.numbers[i]) / len(q.numbers) for i in rows] if q.numbers else 1.0
    X[:, 28] = [len(q.numbers & prof.heading_numbers[i]) / len(q.numbers) for i in rows] if q.numbers else 1.0
    X[:, 29] = by_field["lead"]
    if synonyms:
        X[:, 30] = whole["synonyms"]
    if sig.stated:
        X[:, 31] = [i in sig.stated for i in rows]
    if sig.units:
        X[:, 32] = [named_share(prof.item_leads[i], sig.units) for i in rows]
    return X


def named_share(leads: tuple[str, ...], units: tuple[str, ...]) -> float:
    """The share of a heading's items whose opening words begin with one of ``units``."""
    if not leads:
        return 0.0
    return sum(any(lead == u or lead.startswith(u + " ") for u in units) for lead in leads) / len(leads)
