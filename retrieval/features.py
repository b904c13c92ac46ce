"""General features of a (question, clause) pair for the learned reranker
(retrieval/rerank.py): how each retriever ranked the clause, how much of the question its
text, its headings, its parent heading and its items cover, its kind and length, and
whether its period and the asked years agree. Nothing here names a question or a
document; the weights are fitted on the dev split (scripts/fit_rerank.py).

Per-clause work (token sets of the text, the breadcrumb, the parent and the items) is
done once, when the searcher is built; per question only set lookups remain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .types import Chunk

NAMES = (
    "bias",
    "fused",            # the prior-weighted fusion score, scaled to the best of the head
    "fused_rank",       # 1 / rank in the fused list
    "lexical_rank",     # 1 / BM25 rank (0: not among the candidates)
    "lexical_score",    # BM25 score / the best BM25 score
    "dense_rank",       # 1 / dense rank (0: not among the candidates)
    "coverage",         # IDF-weighted share of the question's terms in breadcrumb + text
    "coverage_text",    # ... in the clause's own text
    "coverage_crumb",   # ... in its headings (breadcrumb)
    "coverage_parent",  # ... in the heading line of its parent
    "coverage_items",   # ... in its items (a heading's children)
    "coverage_pairs",   # share of the question's syllable pairs (compounds) in breadcrumb + text
    "coverage_marked",  # share of the question's accented syllables in breadcrumb + text
    "prior",            # authority x boilerplate x title prior
    "log_length",       # log of the clause's token count
    "is_title",
    "is_boilerplate",
    "is_row",
    "has_items",
    "list_heading",     # a list question and a clause with items
    "meta_title",       # a question about the text itself and its heading block
    "signer_block",     # "ai ký" and a signature block
    "subject_lead",     # a duties question and a clause that opens with the body asked
    "year_agrees",      # an asked year among the years the clause stands under
    "year_conflicts",   # the clause stands under other years only
    "year_in_text",     # an asked year in the clause's text
    "coverage_rare",    # share of the question's three rarest terms in breadcrumb + text
    "numbers",          # share of the question's numbers (years aside) in the clause's text
)
INDEX = {n: i for i, n in enumerate(NAMES)}


@dataclass(frozen=True)
class Profile:
    """What the features need of one clause, computed once."""

    all_terms: frozenset[str]
    text_terms: frozenset[str]
    crumb_terms: frozenset[str]
    parent_terms: frozenset[str]
    item_terms: frozenset[str]
    n_tokens: int
    has_items: bool
    numbers: frozenset[str] = frozenset()


def profiles(chunks: list[Chunk], children: dict[str, list[Chunk]], by_id: dict[str, Chunk], tokens) -> list[Profile]:
    """One profile per chunk; tokens(text) is the lexical analyzer."""
    own = [frozenset(tokens("\n".join(p for p in (c.context, c.text) if p))) for c in chunks]
    row = {c.id: i for i, c in enumerate(chunks)}
    out = []
    for i, c in enumerate(chunks):
        crumb = frozenset(tokens(" › ".join(c.breadcrumb[1:])))
        parent = by_id.get(c.parent_id)
        parent_terms = frozenset(tokens(parent.text.partition("\n")[0][:200])) if parent is not None else frozenset()
        kids = children.get(c.id, [])
        items = frozenset().union(*(own[row[k.id]] for k in kids if k.id in row)) if kids else frozenset()
        n = len(tokens(c.text))
        numbers = frozenset(t.lstrip("0") or "0" for t in own[i] if t.isdigit())
        out.append(Profile(own[i] | crumb, own[i], crumb, parent_terms, items, n, bool(kids), numbers))
    return out


@dataclass
class QueryTerms:
    """The question's terms with their IDF weights, split by kind."""

    weights: dict[str, float]
    total: float
    pairs: dict[str, float]
    pairs_total: float
    marked: dict[str, float]
    marked_total: float
    rare: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tokens: list[str], idf) -> QueryTerms:
        weights = {t: idf(t) for t in dict.fromkeys(tokens)}
        pairs = {t: w for t, w in weights.items() if "_" in t}
        marked = {t: w for t, w in weights.items() if t.startswith("~")}
        plain = sorted((t for t in weights if not t.startswith("~")), key=lambda t: -weights[t])
        numbers = frozenset(t.lstrip("0") or "0" for t in weights if t.isdigit() and not (len(t) == 4 and t[:2] in ("19", "20")))
        return cls(weights, sum(weights.values()) or 1.0, pairs, sum(pairs.values()), marked, sum(marked.values()),
                   frozenset(plain[:3]), numbers)


def _share(terms: frozenset[str], weights: dict[str, float], total: float) -> float:
    return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0


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


def matrix(rows: list[int], sig: Signals, prof: list[Profile], chunks: list[Chunk],
           scope: list[frozenset[str]], signature: set[int], subject_lead: set[int],
           answering: frozenset[int] = frozenset()) -> np.ndarray:
    """The feature matrix of the candidate rows, in fused order (NAMES order of columns).
    Rows in ``answering`` answer by their place in the text (a signature block for "ai
    ký"): they count as covering the question."""
    X = np.zeros((len(rows), len(NAMES)), dtype=np.float64)
    top = max((sig.fused[i] for i in rows), default=1.0) or 1.0
    best_lex = float(sig.lexical.max()) if sig.lexical.size else 0.0
    q = sig.terms
    years = sig.years
    for r, i in enumerate(rows):
        p, c = prof[i], chunks[i]
        x = X[r]
        x[0] = 1.0
        x[1] = sig.fused[i] / top
        x[2] = 1.0 / (r + 1)
        lr, dr = sig.lexical_ranks.get(i), sig.dense_ranks.get(i)
        x[3] = 1.0 / lr if lr else 0.0
        x[4] = float(sig.lexical[i]) / best_lex if best_lex > 0 else 0.0
        x[5] = 1.0 / dr if dr else 0.0
        x[6] = _share(p.all_terms, q.weights, q.total)
        x[7] = _share(p.text_terms, q.weights, q.total)
        x[8] = _share(p.crumb_terms, q.weights, q.total)
        x[9] = _share(p.parent_terms, q.weights, q.total)
        x[10] = _share(p.item_terms, q.weights, q.total)
        x[11] = _share(p.all_terms, q.pairs, q.pairs_total) if q.pairs_total else x[6]
        x[12] = _share(p.all_terms, q.marked, q.marked_total) if q.marked_total else x[6]
        if i in answering:
            x[6:13] = 1.0
        x[13] = float(sig.prior[i])
        x[14] = math.log1p(p.n_tokens)
        x[15] = c.kind == "title"
        x[16] = c.boilerplate
        x[17] = c.kind == "row"
        x[18] = p.has_items
        x[19] = sig.listing and p.has_items
        x[20] = sig.metadata and c.kind == "title"
        x[21] = sig.signer and i in signature
        x[22] = i in subject_lead
        if years:
            x[23] = bool(years & scope[i])
            x[24] = bool(scope[i]) and not years & scope[i]
            x[25] = any(y in c.text for y in years)
        if q.rare:
            x[26] = len(q.rare & p.all_terms) / len(q.rare)
        x[27] = len(q.numbers & p.numbers) / len(q.numbers) if q.numbers else 1.0
    return X
