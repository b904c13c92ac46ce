"""Hybrid search: BM25 and dense ranks fused, with the document preferences of a civil
servant (named documents first, official ahead of commentary, boilerplate last) and
near-duplicate clauses collapsed."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import features
from .docref import DocumentRecognizer
from .facets import FacetRows, asked_facet
from .fusion import interleave, reciprocal_rank_fusion
from .lexical import LexicalIndex, feedback_terms
from .memo import memo_of
from .part_fields import part_fields
from .query import QuestionReader
from .regex_cache import compiled
from .rerank import LinearReranker, default_reranker
from .rules import load_rules
from .spelling import Speller
from .store import ChunkTable
from .synonyms import default_synonyms, unused_phrase
from .text import fold
from .twins import twins_of
from .types import Chunk, Hit

AUTHORITY_PRIOR = {"official": 1.0, "secondary": 0.85, "commentary": 0.75}
_WORD = re.compile(r"\w+")
# a number of at most three digits and the word after it: where a count is stated (count_statements)
EAGER_COUNTS = 5_000  # clauses from which the counted words are found when the index opens
_COUNTED = re.compile(r"(?<![\w.,])0*\d{1,3}\s+(\w+)")
_LEAD = features.LIST_MARK
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DATE = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\b|tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
_RULES = load_rules("search")  # retrieval/resources/rules/search.toml


@dataclass(frozen=True)
class SearchConfig:
    """Weights of the fusion and the search's preferences, fitted on the dev split of
    eval/questions.jsonl by scripts/tune_search.py (`troly eval --retrieval --split dev`)."""

    candidates: int = 100
    rrf_k: float = 10.0
    lexical_weight: float = 1.0
    dense_weight: float = 1.0
    boilerplate_prior: float = 0.3
    title_prior: float = 0.8
    metadata_title_boost: float = 1.5  # "ban hành ngày nào", "ai ký": the heading block answers
    signature_boost: float = 1.5  # "ai ký": the signature block ("TM. CHÍNH PHỦ … [đã ký] …") answers
    duplicate_jaccard: float = 0.85
    plain_readings: bool = True  # a syllable typed without marks read by its neighbours (retrieval/readings.py)
    # what the folded term of a syllable written with marks the documents never use weighs
    # ("bọn", "chứ" of a chat question: their folds "bon", "chu" match "bốn", "chủ"); 1: off
    foreign_fold_weight: float = 0.0
    date_forms: bool = True  # "15/6" also searched as "15 tháng 6", and the other way round
    twins_per_hit: int = 1
    twin_rank: int = 2  # the highest place a twin is brought in at
    echo_depth: int = 2  # the twins of the best few hits (a plan's item and its appendix entry) follow them
    qualified_doc_boost: float = 1.3
    rerank_depth: int = 30
    coverage_weight: float = 1.5
    # the learned second stage (retrieval/rerank.py, weights in resources/rerank.json); off:
    # the hand-weighted coverage rerank above
    learned_rerank: bool = True
    learned_depth: int = 40  # how many of the fused list it reorders
    # the authority prior again on the learned scores, added to the model's score before the
    # sigmoid: λ·ln(prior) (official 0, secondary −0.16λ, commentary −0.29λ). Soft: a
    # clause of a headerless upload ("secondary") that answers clearly better still comes
    # first, where multiplying after the sigmoid kept every one below the official texts.
    authority_logit: float = 5.0  # measured 0..8: dev recall@5 0.975 at every value, MRR 0.893 (0) .. 0.897 (2), 0.896 (5); val MRR 0.889 (0), 0.893 (2..6)
    year_conflict_prior: float = 0.3
    # a syllable no clause uses, one typing slip from one that forms a word pair the
    # documents use with its neighbour, is searched as that one ("chuyn doi so"; retrieval/spelling.py)
    spelling: bool = True
    # an English term followed by the documents' Vietnamese ("startup (khởi nghiệp sáng tạo)"),
    # a lower-case field "ai" read as AI (query.toml english, ai_term)
    english_terms: bool = True
    count_statements: bool = True  # a count question also searches the clauses stating "<number> <unit>"
    # "giai đoạn 3" that no clause writes so: the third of the items opening with "Giai
    # đoạn" under one heading is searched too (ranked as the lexical list is)
    item_positions: bool = True
    # "mục tiêu của Sáng kiến 7": the part's item labelled so ("- Mục tiêu: …") comes first
    part_fields: bool = True
    # synonyms (retrieval/resources/synonyms.tsv) of the question's words the documents hardly
    # use; measured with rrf_k 40 (recall@5 dev 0.949 -> 0.965, test 0.915 -> 0.927; MRR test 0.825 -> 0.831)
    synonym_weight: float = 0.3  # what they weigh in the lexical search (0: off)
    synonym_dense: bool = True  # also added to the dense query
    # only words in at most this many clauses are expanded; measured 10..80 on dev (20 ->
    # 40: recall@5 0.975 -> 0.978, MRR 0.896 -> 0.898; val MRR 0.893 -> 0.903)
    synonym_max_df: int = 40
    # the synonyms of a word no clause uses weigh this many times more (they stand in for it);
    # measured 1..3 on dev: 2.5 (recall@5 0.980 -> 0.987, MRR 0.895 -> 0.899; val unchanged)
    synonym_absent_boost: float = 2.5
    # pseudo-relevance feedback: measured and left off (recall@5 dev 0.949 -> 0.943, test
    # 0.915 -> 0.912 with 5 clauses, 5 terms, weight 0.3; again with the synonyms of words no
    # clause uses: dev 0.987 -> 0.978..0.982, val MRR 0.907 -> 0.899..0.903 with 3..5 clauses,
    # 5..10 terms, weight 0.05..0.1); kept as an option for other corpora
    prf_docs: int = 0  # how many top clauses feed the expansion (0: off)
    prf_terms: int = 10  # how many terms they add
    prf_weight: float = 0.3  # what the added terms weigh against the question's own
    subject_body_boost: float = 1.5  # a clause that opens with the body whose duties are asked
    parent_depth: int = 6  # for a list question, how many top clauses are looked at for a shared heading
    elsewhere_margin: float = 0.25  # coverage by which another document must beat the named one
    elsewhere_depth: int = 5  # how many top clauses of the named document are compared
    elsewhere_lead: int = 3  # how many clauses of the other documents are then put first
    # a smaller margin: the best clause of the other documents comes in second, after the
    # named document's best (0: off). Measured on the 1344-question set: 0.1 -> 0.05 / 0.02:
    # dev recall@5 0.974 held (MRR 0.8930 -> 0.8925 / 0.8934), val 0.9507 -> 0.9534, fresh
    # val (w7/w9) 0.9489 -> 0.9556; wrong_doc probes (seeds 0-2) 0.985 -> 0.989, glued_doc
    # held. 0.05: a rightly named document keeps the top more often than at 0.02
    elsewhere_second_margin: float = 0.05
    # "… bằng cách nào", "… đóng vai trò gì": the labelled part of an item asked for ("Nội
    # dung:", "Vai trò chiến lược"; retrieval/facets.py) of the best of this many top rows comes second (0: off)
    facet_depth: int = 5
    label_depth: int = 5  # … and the part the question names by its label ("(3) Văn hóa đổi mới sáng tạo: …")


def is_metadata_question(question: str) -> bool:
    """About the text itself: when it was issued, who signed it, what it is attached to."""
    return bool(_RULES.search("metadata", question))


TERMS_MEMO_BYTES = 128 * 2**20  # the question terms' vectors remembered (``_query_terms``)


class DenseIndex:
    """Nearest neighbours among the generation's vectors. Up to ``exact_limit`` vectors the
    search is exact and deterministic (a matrix product over the vectors read once);
    above it, the generation's dense cells answer (retrieval/cells.py: an IVF over normalized
    vectors, read from disk a cell at a time), or Chroma's approximate HNSW index where a
    generation has no cells (a Chroma server, an older generation).

    perf (issue 13): the query vectors are remembered (the same questions and their parts
    come back), documents are compared as integer codes, and the top rows are picked with
    array operations; the product runs on the BLAS threads the process chose
    (retrieval/threads.py)."""

    def __init__(self, collection, embedder, table: ChunkTable, exact_limit: int | None = None):
        from .cells import EXACT_LIMIT

        self.collection = collection
        self.embedder = embedder
        self._ids = [c.id for c in table.chunks]
        self._doc_code: dict[str, int] = {}
        self._doc_of = np.array(
            [self._doc_code.setdefault(c.doc_id, len(self._doc_code)) for c in table.chunks], dtype=np.int32
        )
        self._queries: dict[str, np.ndarray] = {}
        self._matrix: np.ndarray | None = None
        self._cells = None  # retrieval/cells.DenseCells above the exact limit, when the generation has them
        if collection.count() <= (EXACT_LIMIT if exact_limit is None else exact_limit):
            row = self.row
            got = collection.get(include=["embeddings"])
            matrix = np.zeros((len(table.chunks), len(got["embeddings"][0]) if got["ids"] else 1), dtype=np.float32)
            if got["ids"] == self._ids and len(row) == len(self._ids) == len(got["embeddings"]):
                matrix[:] = got["embeddings"]  # the vectors in row order (vectors.npy): one copy (perf, issue 13)
            else:
                for chunk_id, vector in zip(got["ids"], got["embeddings"]):
                    if chunk_id in row:
                        matrix[row[chunk_id]] = vector
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            self._matrix = matrix / np.where(norms == 0, 1, norms)
        elif hasattr(collection, "cells"):
            self._cells = collection.cells()
            self.row  # noqa: B018 - scale (issue 13): made when opened, not on a question

    @property
    def row(self) -> dict[str, int]:
        """Chunk id -> row (built on first use: the cells answer by row)."""
        got = self.__dict__.get("_row")
        if got is None:
            got = self.__dict__["_row"] = {chunk_id: i for i, chunk_id in enumerate(self._ids)}
        return got

    def _query_vector(self, query: str) -> np.ndarray:
        vector = self._queries.get(query)
        if vector is None:
            if len(self._queries) >= 4096:
                self._queries.clear()
            vector = self._queries[query] = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        return vector

    def _scores(self, query: str, vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Cosine of every row of ``matrix`` (the normalized vectors) with the query; the
        last few queries' scores are kept (a question naming documents is ranked within
        them and over all). Read only."""
        # keyed by the matrix's identity: the entry holds the matrix, so that id is not reused
        held = memo_of(self, "_scores_memo", 16).get(
            (query, id(matrix)), lambda: (matrix, matrix @ (vector / (np.linalg.norm(vector) or 1.0)))
        )
        return held[1]

    def ranking(self, query: str, n: int, docs: list[str] | None = None) -> list[int]:
        vector = self._query_vector(query)
        if self._matrix is not None:
            scores = self._scores(query, vector, self._matrix)
            if docs:
                codes = [self._doc_code[d] for d in docs if d in self._doc_code]
                # perf (issue 13): the rows of these documents, found once per document list
                held = memo_of(self, "_docs_memo", 256).get(tuple(codes), lambda: np.isin(self._doc_of, codes))
                scores = np.where(held, scores, -np.inf)
            order = _top(-scores, n)
            return order[np.isfinite(scores[order])].tolist()
        if self._cells is not None and not docs:
            cells = self._cells
            rows = memo_of(self, "_cells_memo", 16).get((query, n), lambda: cells.search(vector, n)[0].tolist())
            return list(rows)
        where = None
        if docs:
            where = {"doc_id": docs[0]} if len(docs) == 1 else {"doc_id": {"$in": list(docs)}}
        n = min(n, self.collection.count())
        if n == 0:
            return []
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=n, where=where, include=["distances"])
        row = self.row
        return [row[i] for i in res["ids"][0] if i in row]


def _top(neg: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(neg, kind="stable")[:n]`` without sorting every row: the n smallest
    (ties at the cut all kept, in row order) found by a partition, then sorted stably."""
    if n >= len(neg):
        return np.argsort(neg, kind="stable")[:n]
    if n <= 0:
        return np.zeros(0, dtype=np.intp)
    cut = neg[np.argpartition(neg, n - 1)[:n]].max()
    rows = np.flatnonzero(neg <= cut)
    return rows[np.argsort(neg[rows], kind="stable")][:n]


class _FoldedRows:
    """The folded text of a row, folded when read (``HybridSearcher._folded_texts``'s
    values, without a list of every clause's)."""

    def __init__(self, chunks: Sequence[Chunk]):
        self.chunks = chunks

    def __getitem__(self, i: int) -> str:
        return fold(self.chunks[i].text)


class HybridSearcher:
    """Ranked clauses for a question."""

    def __init__(
        self,
        table: ChunkTable,
        lexical: LexicalIndex,
        dense: DenseIndex | None,
        recognizer: DocumentRecognizer,
        config: SearchConfig = SearchConfig(),
        reranker: LinearReranker | None = None,
        profiles: features.Profiles | None = None,
        twins: dict[int, list[int]] | None = None,
        clauses: ClauseValues | None = None,
    ):
        self.table = table
        self.lexical = lexical
        self.dense = dense
        self.recognizer = recognizer
        self.config = config
        self._doc_of = np.array([c.doc_id for c in table.chunks])
        # perf (issue 13): the same ids as a list, for the loops that read them one row at a
        # time (an element of the numpy array is a new numpy string each time)
        self._doc_ids = [c.doc_id for c in table.chunks]
        self._prior = np.array([self._chunk_prior(c) for c in table.chunks], dtype=np.float32)
        self._authority = [AUTHORITY_PRIOR.get(c.authority, 0.8) for c in table.chunks]
        self._authority_logit = np.log(np.array(self._authority, dtype=np.float64)) * self.config.authority_logit
        self._word_sets: dict[int, set[str]] = {}
        self._folded: list[str] | None = None  # the clauses' texts folded (count statements)
        self._term_sets: dict[int, frozenset[str]] = {}
        # the ingest computed them (retrieval/searcher.clause_values; issue 13) unless given
        values = clauses if clauses is not None else clause_values(table.chunks)
        self._scope = values.scope
        self._signature = {
            i for i, c in enumerate(table.chunks) if c.boilerplate and _RULES.search("signature_block", c.text)
        }
        self.reader = QuestionReader(recognizer)
        self._row = {c.id: i for i, c in enumerate(table.chunks)}
        self._bodies = _body_matcher()
        self._lead = values.lead
        self.synonyms = default_synonyms()
        self.reranker = reranker if reranker is not None else default_reranker()
        self.profiles = (
            profiles
            if profiles is not None
            else features.Profiles(table.chunks, table.children, table.by_id, self.lexical.analyzer.tokens)
        )
        self.observe = None  # observe(query, rows, X): the learned stage's inputs (for fitting)
        # the ingest computed them (retrieval/twins.clause_twins) unless given
        self._twins = twins if twins is not None else twins_of(table.chunks)
        if len(table.chunks) >= EAGER_COUNTS:  # scale (issue 13): made when opened, not on a question
            self._counted_words()
            self._leads_by_word()

    def _chunk_prior(self, c: Chunk) -> float:
        prior = AUTHORITY_PRIOR.get(c.authority, 0.8)
        if c.boilerplate:
            prior *= self.config.boilerplate_prior
        elif c.kind == "title":
            prior *= self.config.title_prior
        return prior

    @functools.cached_property
    def facet_rows(self) -> FacetRows:
        """The labelled parts of the items (retrieval/facets.py), found on first use."""
        from . import derived, facets, text

        chunks = self.table.chunks
        labels = derived.of_table(  # scale (issue 13): kept beside the generation
            self.table, "facets", [facets, text], lambda: facets.row_labels(chunks), [facets.rules_text()]
        )
        return FacetRows(chunks, self.table.children, self._row, labels)

    @functools.cached_property
    def speller(self) -> Speller:
        """The typing-slip mender over the index's vocabulary (retrieval/spelling.py),
        made on the first question searched with spelling on, not when the index opens;
        the words the question reader writes out (abbreviations, English terms, numbered
        nouns) are left as typed."""
        rules = self.reader.rules
        typed = {
            w for m in ("abbreviations", "english", "numbered") for k in rules.mapping(m) for w in _WORD.findall(k)
        }
        shape = rules.pattern("syllable")
        return Speller(self.lexical.doc_freq, keep=typed.__contains__, syllable=lambda w: bool(shape.match(w)))

    def search(self, query: str, k: int = 8, docs: list[str] | None = None) -> list[Hit]:
        """Top k hits. docs (ids) filters; otherwise the documents the question names are
        preferred (each of them represented at the top when several are named) — a
        preference, not a filter: when another document covers the question clearly
        better, its clauses lead (somewhat better: the best of them comes second). A question that asks several things ("Sáng kiến 6 là
        gì? Sáng kiến 7 là gì?") is searched part by part, the parts' hits interleaved."""
        query = self.reader.digits(self.reader.read(query) or query)
        if self.config.english_terms:
            query = self.reader.english(query)
        if self.config.spelling:
            query = self.speller.correct(query)
        parts = self.parts(query)
        if len(parts) > 1:
            results = [self._ranked(p, k, docs) for p in parts]
            ranked = interleave([self._collapse_duplicates(r[0], limit=k) for r in results], limit=k)
            scored: dict[int, float] = {}
            rankings: dict[str, list[int]] = {}
            for r_ranked, r_scored, r_rankings in results:
                for i, v in r_scored.items():
                    scored[i] = max(v, scored.get(i, 0.0))
                for name, lst in r_rankings.items():
                    rankings.setdefault(name, lst)
            named = bool(docs or self.recognizer.targets(query))
            ranked = self._with_twins(self._collapse_duplicates(ranked, limit=k), scored, k, same_document=named)
        else:
            ranked, scored, rankings = self._ranked(query, k, docs, alone=self.observe is None)
            named = bool(docs or self.recognizer.targets(query))
            top = self._collapse_duplicates(ranked, limit=k)
            ranked = self._with_twins(top, scored, k, same_document=named)
            if isinstance(scored, _NamedOnly) and (scored.missed or len(top) < k):
                # the ranking over all the documents, left out, might have told: made after all
                ranked, scored, rankings = self._ranked(query, k, docs)
                ranked = self._with_twins(self._collapse_duplicates(ranked, limit=k), scored, k, same_document=named)
        # perf (issue 13): = {idx: r for r, idx in enumerate(lst, 1)} (a repeated row keeps its last rank either way)
        ranks = {name: dict(zip(lst, range(1, len(lst) + 1))) for name, lst in rankings.items()}
        return [
            Hit(self.table.chunks[i], scored[i], {name: rk[i] for name, rk in ranks.items() if i in rk})
            for i in ranked[:k]
        ]

    def parts(self, query: str) -> list[str]:
        """The asks of a question, each told the document the question names when it
        names none itself; one part for a question that asks one thing."""
        folded = fold(query)
        cuts = [m.end() for m in _RULES.pattern("part_boundary").finditer(folded)]
        pieces: list[str] = []
        start = 0
        for cut in cuts + [len(query)]:
            piece = query[start:cut].strip(" ;,.")
            if len(_WORD.findall(piece)) >= 3 or not pieces:
                pieces.append(piece)
            else:
                pieces[-1] = f"{pieces[-1]} {piece}"
            start = cut
        if len(pieces) < 2:
            return [query]
        pieces = [
            self._with_year_of(p, pieces[n - 1]) if n and _RULES.search("elliptic_year", p) else p
            for n, p in enumerate(pieces)
        ]
        mentions = [m for m in self.recognizer.mentions(query) if not m.qualifier]
        mention = next((m for m in mentions if m.designates), mentions[0] if mentions else None)
        if mention is None:
            return pieces
        name = query[mention.start : mention.end]
        return [p if self.recognizer.mentions(p) else f"{p.rstrip(' ?')} (theo {name})?" for p in pieces]

    @staticmethod
    def _with_year_of(piece: str, before: str) -> str:
        """An ask that only names a year ("còn mốc 2045?") as the ask before it with that
        year instead of its own (or added, when it has none)."""
        years = _YEAR.findall(piece)
        if _YEAR.search(before):
            return _YEAR.sub(years[0], before, count=1)
        return f"{before.rstrip(' ?')} năm {years[0]}?"

    def _ranked(
        self, query: str, k: int, docs: list[str] | None, alone: bool = False
    ) -> tuple[list[int], dict[int, float], dict]:
        """Ranked rows, their scores and the retrievers' own rankings, for one ask.

        alone (perf, issue 13): for a question naming documents, the ranking over all the
        documents is left out when no clause of the others can cover the question enough
        to lead (``_none_elsewhere``); its rows would only follow the named documents' and
        its scores only fill in rows those lack. The scores then come as a ``_NamedOnly``
        that notes any such row asked for; the caller makes the full ranking when one was,
        or when its top k reached past the named documents' rows."""
        targets = [] if docs else self.recognizer.targets(query)
        doc_ids = self._doc_ids
        stripped = self.recognizer.strip(query) or query
        dates = self.reader.date_forms(stripped)
        if dates and self.config.date_forms:
            stripped = f"{stripped} ({'; '.join(dates)})"
        metadata_question: bool | str = is_metadata_question(query)
        if metadata_question and _RULES.search("signer", query):
            metadata_question = "signer"
        years = self.asked_years(query, docs or targets + self.recognizer.qualified(query))
        subjects = self.duty_bodies(query)
        if docs:
            ranked, scored, rankings = self._rank(stripped, docs, metadata_question, years, subjects)
        elif targets:
            ranked, scored, rankings = self._rank(stripped, targets, metadata_question, years, subjects)
            if len(targets) > 1:
                per_doc = [[i for i in ranked if doc_ids[i] == d] for d in targets]
                head = interleave(per_doc, limit=min(k, 2 * len(targets)))
                ranked = head + [i for i in ranked if i not in set(head)]
            if (
                alone
                and len(ranked) >= max(k, self.config.parent_depth)
                and self._none_elsewhere(stripped, ranked, targets)
            ):
                scored = _NamedOnly(scored)
            else:
                ranked, scored = self._with_rest(stripped, ranked, scored, targets, metadata_question, years, subjects)
        else:
            ranked, scored, rankings = self._rank(stripped, None, metadata_question, years, subjects)
            softly = self.recognizer.qualified(query)
            if softly:  # "… thực hiện NQ57": that document may well hold the answer; prefer it a little
                for i in scored:
                    if doc_ids[i] in softly:
                        scored[i] *= self.config.qualified_doc_boost
                ranked = sorted(scored, key=lambda i: -scored[i])
        # "… các giao dịch … nằm trong giai đoạn nào": which heading the clause stands under is
        # asked, not a list, though "các … nào" reads like one: the narrower family first
        if ranked and (belongs := _RULES.search("belongs_to", query)):
            ranked = self._with_heading_of_top(ranked, scored, belongs.group("unit"))
        elif _RULES.search("enumeration", query):
            ranked = self._with_parents(ranked, scored, self.count_units(query), self.count_statements(query))
        elif ranked and _RULES.search("who_asked", query):
            ranked = self._with_body_heading(ranked, scored)
        elif ranked and _RULES.search("when_asked", query):
            ranked = self._with_dated_heading(ranked, scored)
        if self.config.facet_depth and ranked and (facet := asked_facet(query)):  # retrieval/facets.py
            ranked = self.facet_rows.bring_in(facet, ranked, scored, self.config.facet_depth, query)
        if self.config.label_depth and ranked:
            ranked = self.facet_rows.named(query, ranked, scored, self.config.label_depth)
        if ranked and self.config.part_fields:  # a named part's own field comes first (retrieval/part_fields.py)
            ranked = self._with_part_field(ranked, scored, query, docs or targets)
        return ranked, scored, rankings

    def _with_part_field(
        self, ranked: list[int], scored: dict[int, float], query: str, docs: Sequence[str]
    ) -> list[int]:
        """ "Mục tiêu cụ thể của Sáng kiến 7 là gì?", "nội dung của sáng kiến 4": the item of
        the part named ("7. Sáng kiến 7: …") that the question names by its label ("- Mục
        tiêu: …"), first: the part's own field, not another heading that says "mục tiêu cụ
        thể". Unchanged when the question names no such part, or no label of its items."""
        found = part_fields(self.table, self._lead, self._row, fold(query), self.reader.rules, docs)
        if len(found) != 1:
            return ranked
        row = self._row[found[0].id]
        scored[row] = max(scored.get(row, 0.0), scored.get(ranked[0], 0.0) * 1.001)
        return [row] + [i for i in ranked if i != row]

    def _with_rest(
        self,
        query: str,
        ranked: list[int],
        scored: dict[int, float],
        targets: list[str],
        metadata_question: bool | str,
        years: frozenset[str],
        subjects: tuple[str, ...],
    ) -> tuple[list[int], dict[int, float]]:
        """The named documents' ranking followed by the ranking over all the documents (the
        others' best clauses first, or the best of them second, when they cover the
        question clearly better: ``_elsewhere``), and the scores of both."""
        doc_ids = self._doc_ids
        rest, rest_scored, _ = self._rank(query, None, metadata_question, years, subjects)
        elsewhere, second = self._elsewhere(query, ranked, [i for i in rest if doc_ids[i] not in targets])
        seen = set(elsewhere)
        ranked = elsewhere + list(dict.fromkeys(i for i in ranked + rest if i not in seen))
        if second is not None and second in ranked[1:]:
            ranked = ranked[:1] + [second] + [i for i in ranked[1:] if i != second]
            scored[second] = max(scored.get(second, 0.0), rest_scored.get(second, 0.0))
        return ranked, {**rest_scored, **scored}

    # perf (issue 13): up to this many clauses the bound below is worked out (its postings are
    # built on the first named question: ~5 ms at 891 clauses, a sort of every row's terms)
    alone_limit = 20_000

    def _none_elsewhere(self, query: str, named: list[int], targets: list[str]) -> bool:
        """No clause outside ``targets`` can make ``_elsewhere`` put it first or second,
        whatever the ranking over all the documents: the best share of the question's
        terms any of them holds stays below the named rows' best by the smaller margin."""
        cfg = self.config
        if len(self.profiles) > self.alone_limit or len(self.profiles) != len(self._doc_ids):
            return False
        margin = cfg.elsewhere_margin
        if cfg.elsewhere_second_margin:
            margin = min(margin, cfg.elsewhere_second_margin)
        weights = self._query_terms(self.lexical.analyzer.tokens(query, query=True)).weights
        # = _elsewhere's best
        best = max(self.profiles.shares("all", named[: cfg.elsewhere_depth], weights), default=0.0) if named else 0.0
        others = ~self._in_docs(targets)
        if not others.any():
            return True
        shares = self.profiles.term_shares("all", weights)  # (rounding aside: a margin of 1e-9)
        return float(shares[others].max()) < best + margin - 1e-9

    def _with_heading_of_top(self, ranked: list[int], scored: dict[int, float], unit: str = "") -> list[int]:
        """For "thuộc nhóm nào", "nằm trong hệ thống nào": the heading the best clause
        stands under, right after it: the nearest one whose heading line names the
        ``unit`` asked for (folded), else its parent."""
        parent = self._row.get(self.table.chunks[ranked[0]].parent_id)
        row = self._heading_naming(ranked[0], unit) if unit else None
        if row is None and unit:
            # the best clause stands under no such heading ("1. Đến năm 2030" for "giai đoạn
            # nào"): the one of the next few that does ("2. Giai đoạn 2028 - 2030")
            row = next(
                (h for i in ranked[1 : self.config.parent_depth] if (h := self._heading_naming(i, unit)) is not None),
                None,
            )
        row = parent if row is None else row
        if row is not None and self.table.chunks[row].kind == "title":
            return ranked
        return self._second(ranked, scored, row)

    def _heading_above(self, i: int, says: Callable[[str], bool]) -> int | None:
        """The nearest heading above row i (below the document's title) whose heading line
        ``says`` holds of; None when none does."""
        up = self._row.get(self.table.chunks[i].parent_id)
        while up is not None and self.table.chunks[up].kind != "title":
            if says(self.table.chunks[up].text.partition("\n")[0]):
                return up
            up = self._row.get(self.table.chunks[up].parent_id)
        return None

    def _heading_naming(self, i: int, unit: str) -> int | None:
        """The nearest heading above row i whose heading line names ``unit`` (folded)."""
        names = compiled(rf"(?<!\w){re.escape(unit)}(?!\w)")
        return self._heading_above(i, lambda line: names.search(fold(line)) is not None)

    def _second(self, ranked: list[int], scored: dict[int, float], row: int | None) -> list[int]:
        """``row`` right after the best clause (scored just below it); unchanged when there is
        no row, or it is already among the first two."""
        if row is None or row in ranked[:2]:
            return ranked
        scored[row] = max(scored.get(row, 0.0), scored[ranked[0]] * 0.99)
        return [ranked[0], row] + [i for i in ranked[1:] if i != row]

    def _with_dated_heading(self, ranked: list[int], scored: dict[int, float]) -> list[int]:
        """For "… đến khi nào", "thời hạn nào": when the best clause says no year, the nearest
        heading above it whose line does ("1. Giai đoạn 2025 - 2027: …", "Đến năm 2030"),
        right after it."""
        if _YEAR.search(self.table.chunks[ranked[0]].text):
            return ranked
        return self._second(ranked, scored, self._heading_above(ranked[0], lambda line: _YEAR.search(line) is not None))

    def _with_body_heading(self, ranked: list[int], scored: dict[int, float]) -> list[int]:
        """For "Ai xem xét …", "cơ quan nào tiếp nhận …": when the best clause is an item
        that opens with no body, the heading it stands under says who does it ("a) Trách nhiệm
        của Thường trực Ban Chỉ đạo Trung ương"): the nearest one whose heading line names
        a body (rules/entities.toml), right after it. Unchanged when the item opens with a
        body itself ("Bộ Tài chính chủ trì …"), or no heading above it names one."""
        if self._bodies.match(self._lead[ranked[0]]):
            return ranked
        named = self._heading_above(ranked[0], lambda line: self._bodies.search(fold(line)) is not None)
        return self._second(ranked, scored, named)

    def _with_parents(
        self, ranked: list[int], scored: dict[int, float], units: tuple[str, ...] = (), stated: Sequence[int] = ()
    ) -> list[int]:
        """For "gồm những … nào", "có bao nhiêu nhóm": when several top clauses are items of
        one heading, the heading itself (whose items are the list) comes in before them;
        a heading among the first whose items are each named by what is counted ("có bao
        nhiêu giai đoạn": "Giai đoạn 2025-2027", "Giai đoạn 2028-2030", …) comes first,
        unless one of the first three states the count itself (``stated``: "… 6 Hệ thống")
        or a heading above it is among the first (the larger list)."""
        depth = self.config.parent_depth
        head = ranked[:depth]
        counts: dict[str, int] = {}
        for i in head:
            parent = self.table.chunks[i].parent_id
            if parent:
                counts[parent] = counts.get(parent, 0) + 1
        out = list(ranked)
        for parent, n in counts.items():
            row = self._row.get(parent)
            if n < 2 or row is None or self.table.chunks[row].kind == "title":
                continue  # (a document's title part is no list of anything)
            first = next(p for p, i in enumerate(out) if self.table.chunks[i].parent_id == parent)
            if row in out[:first]:
                continue  # already before its items
            out = [i for i in out if i != row]
            out.insert(first, row)
            scored[row] = max(scored.get(row, 0.0), scored[out[first + 1]])
        if units and out and not set(out[:3]) & set(stated):
            named = next(
                (i for i in out[:depth] if features.named_share(self.profiles.item_leads[i], units) >= 0.5), None
            )
            if named is not None and out[0] != named and not self._ancestors(named) & set(out[:depth]):
                scored[named] = max(scored.get(named, 0.0), scored.get(out[0], 0.0))
                out = [named] + [i for i in out if i != named]
        return out

    def _ancestors(self, i: int) -> set[int]:
        """The rows of the headings row i stands under."""
        out: set[int] = set()
        row = self._row.get(self.table.chunks[i].parent_id)
        while row is not None and row not in out:
            out.add(row)
            row = self._row.get(self.table.chunks[row].parent_id)
        return out

    def expansions(self, query: str) -> list[str]:
        """The synonyms the search adds to a question (of the words the documents hardly
        use: "kéo cáp" → "cáp quang", "hạ tầng viễn thông"); for callers that weigh how
        much of a question the evidence covers."""
        return self.synonyms.expansions(self.reader.read(query), self._rare) if self.config.synonym_weight else []

    def _rare(self, phrase: str) -> bool:
        """A word or phrase the documents hardly use (its words together in at most
        ``synonym_max_df`` clauses): worth searching by its synonyms."""
        tokens = [t for t in self.lexical.analyzer.tokens(phrase, query=True) if not t.startswith("~")]
        pairs = [t for t in tokens if "_" in t] or tokens
        return not pairs or min(self.lexical.doc_freq.get(t, 0) for t in pairs) <= self.config.synonym_max_df

    def _absent(self, phrase: str) -> bool:
        """A word or phrase no clause uses (its words never together in one clause)."""
        df = self.lexical.doc_freq
        return unused_phrase(self.lexical.analyzer.tokens(phrase, query=True), lambda t: df.get(t, 0) > 0)

    def _with_feedback(self, query: str, lex: np.ndarray, docs: list[str] | None) -> np.ndarray:
        """Lexical scores with the question expanded by pseudo-relevance feedback over its
        top clauses: words a paraphrase does not use but the relevant clauses share."""
        cfg = self.config
        top = [int(i) for i in np.argsort(-lex, kind="stable")[: cfg.prf_docs] if lex[i] > 0]
        if len(top) < 2:
            return lex
        best = float(lex[top[0]])
        own = set(self.lexical.analyzer.tokens(query, query=True))
        terms = feedback_terms(
            [(self._terms(i), float(lex[i]) / best) for i in top], self.lexical.idf, own, cfg.prf_terms
        )
        if not terms:
            return lex
        extra = self.lexical.weighted_scores(terms)
        if docs:
            extra = np.where(self._in_docs(docs), extra, 0.0)
        return lex + cfg.prf_weight * extra * (best / (float(extra.max()) or 1.0))

    def numbered_positions(self, query: str, docs: list[str] | None = None) -> list[int]:
        """For "giai đoạn 3", "giai đoạn đầu" when no clause is labelled "<unit> <n>": the
        n-th of the items of one heading whose lines open with the unit ("3. Giai đoạn
        2031 - 2045"), of each heading that has n such items; none otherwise."""
        out: list[int] = []
        for m in self.reader.rules.pattern("numbered_item").finditer(fold(query)):
            unit, n = m.group("unit"), int(m.group("n"))
            if memo_of(self, "_written_memo", 256).get((unit, n), functools.partial(self._written, unit, n)):
                continue  # the documents label it themselves ("Sáng kiến 3:"): the lexical search finds it
            series = memo_of(self, "_series_memo", 256).get(unit, functools.partial(self._series, unit))
            out += [
                rows[n - 1]
                for rows in series
                if 0 < n <= len(rows) and (not docs or self._doc_ids[rows[n - 1]] in docs)
            ]
        return list(dict.fromkeys(out))

    def _written(self, unit: str, n: int) -> bool:
        """Some clause is labelled "<unit> <n>" (folded): an item that opens with it
        ("- Sáng kiến 4: …") or a heading naming it in brackets ("… (Hệ thống 4)"); not a
        mention in running text ("các sáng kiến đột phá giai đoạn 1")."""
        self._folded_texts()
        texts = self._distinct_folded  # scale (issue 13): a text the same as another's read once
        written = re.compile(
            rf"(?:^|\n|\()\s*(?:[-+•–]\s*|\d{{1,2}}\.\s*)?{re.escape(unit)}\s+0*{n}(?![\w/.,-])", re.MULTILINE
        )
        return any(written.search(t) for t in texts)

    def _series(self, unit: str) -> list[list[int]]:
        """The items opening with ``unit`` (folded), heading by heading in document order."""
        by_parent: dict[str, list[int]] = {}
        chunks = self.table.chunks
        # scale (issue 13): only the items whose opening's first word is the unit's, in row order
        for i in self._leads_by_word().get(unit.split(" ", 1)[0], ()):
            if self._lead[i].startswith(unit + " "):
                by_parent.setdefault(chunks[i].parent_id, []).append(i)
        return [sorted(rows, key=lambda i: self.table.chunks[i].order) for rows in by_parent.values() if len(rows) >= 2]

    def _leads_by_word(self) -> dict[str, list[int]]:
        """The first word (up to a space) of each item's folded opening -> those items, in row order."""
        got: dict[str, list[int]] | None = self.__dict__.get("_lead_words")
        if got is None:
            got = self.__dict__["_lead_words"] = {}
            for i, c in enumerate(self.table.chunks):
                if c.parent_id:
                    got.setdefault(self._lead[i].split(" ", 1)[0], []).append(i)
        return got

    @staticmethod
    def count_units(query: str) -> tuple[str, ...]:
        """What a count question counts, folded ("có mấy hệ thống chiến lược" -> "he thong")."""
        return tuple(dict.fromkeys(m.group("unit") for m in _RULES.pattern("count_unit").finditer(fold(query))))

    def count_statements(self, query: str, docs: list[str] | None = None) -> list[int]:
        """For a count question ("kế hoạch chia ra mấy hệ thống"), the rows whose text
        states a number of what is counted ("… 6 Hệ thống chiến lược"); none otherwise."""
        units = self.count_units(query)
        if not units:
            return []
        # perf (issue 13): the rows stating a count of these units, found once per units (the
        # same units come back question after question), then kept to the documents asked
        rows = memo_of(self, "_stated_memo", 1024).get(units, lambda: self._stating_rows(units))
        doc_ids = self._doc_ids
        return [i for i in rows if not docs or doc_ids[i] in docs]

    def _stating_rows(self, units: tuple[str, ...]) -> list[int]:
        pattern = re.compile(r"(?<![\w.,])0*\d{1,3}\s+(?:" + "|".join(re.escape(u) for u in units) + r")(?!\w)")
        leads = [m.group(0) if (m := _WORD.match(u)) else None for u in units]
        texts: Sequence[str] | _FoldedRows
        if None in leads:  # a unit not opening with a word: every clause read
            texts = self._folded_texts()
            rows: Iterable[int] = range(len(texts))
        else:  # perf (issue 13): the pattern's match starts as a counted word does: those clauses only
            counted = self._counted_words()
            rows = sorted({i for w in dict.fromkeys(leads) if w is not None for i in counted.get(w, ())})
            # scale (issue 13): only those clauses folded, not every clause's text held folded
            texts = self._folded if self._folded is not None else _FoldedRows(self.table.chunks)
        said: dict[str, bool] = {}  # scale (issue 13): each distinct text read once
        chunks = self.table.chunks
        out = []
        for i in rows:
            if chunks[i].boilerplate:
                continue
            text = texts[i]
            got = said.get(text)
            if got is None:
                got = said[text] = any(u in text for u in units) and pattern.search(text) is not None
            if got:
                out.append(i)
        return out

    def _folded_texts(self) -> list[str]:
        """The clauses' texts folded; a text the same as another's folded once and shared
        (scale, issue 13: memory)."""
        if self._folded is None:
            seen: dict[str, str] = {}
            self._folded = [seen.get(t) or seen.setdefault(t, fold(t)) for t in (c.text for c in self.table.chunks)]
            self._distinct_folded = list(dict.fromkeys(seen.values()))
        return self._folded

    def _counted_words(self) -> dict[str, list[int]]:
        """perf (issue 13): word -> the non-boilerplate clauses where a number of at most
        three digits stands before it ("6 he thong"), in row order, built once per index:
        where count_statements' pattern matches, the unit's first word is such a word."""
        got = self.__dict__.get("_counted")
        if got is None:
            from . import derived, text

            # scale (issue 13): kept beside the generation, so an opening process folds no clause
            got = self._counted = derived.of_table(
                self.table, "counted", [sys.modules[__name__], text], self._count_words
            )
        return got

    def _count_words(self) -> dict[str, list[int]]:
        got: dict[str, list[int]] = {}
        words: dict[str, tuple[str, ...]] = {}  # scale (issue 13): each distinct text read once
        chunks = self.table.chunks
        for i, text in enumerate(self._folded_texts()):
            if not chunks[i].boilerplate:
                found = words.get(text)
                if found is None:
                    found = words[text] = tuple(dict.fromkeys(m.group(1) for m in _COUNTED.finditer(text)))
                for w in found:
                    got.setdefault(w, []).append(i)
        return got

    def duty_bodies(self, query: str) -> tuple[str, ...]:
        """The bodies a question asks the duties of ("Bộ Khoa học và Công nghệ có trách
        nhiệm gì?"), folded; none when it asks something else."""
        folded = fold(query)
        if not _RULES.search("duty", query):
            return ()
        return tuple(dict.fromkeys(m.group(0) for m in self._bodies.finditer(folded)))

    def asked_years(self, query: str, docs: list[str]) -> frozenset[str]:
        """The years a question is about ("đến năm 2045"), not a date ("ngày 22/12/2024"),
        nor the year of a document it names ("Nghị quyết 20 năm 2012"), nor the year some
        document was issued unless a target word leads it ("hồi 2012" is when a text was
        issued; "đến năm 2025" is a target)."""
        text = _DATE.sub(" ", query)
        said = list(_YEAR.finditer(text))
        if not said:  # perf (issue 13): no year, nothing to read of the documents' dates
            return frozenset()
        folded = fold(text)
        own = {d.date[:4] for d in self.recognizer.documents if d.id in docs and d.date}
        issued = {d.date[:4] for d in self.recognizer.documents if d.date}
        years = set()
        for m in said:
            y = m.group(0)
            if y in own:
                continue
            if y in issued and not _RULES.pattern("target_year").search(folded[max(0, m.start() - 20) : m.start()]):
                continue
            years.add(y)
        return frozenset(years)

    def _rank(
        self,
        query: str,
        docs: list[str] | None,
        metadata_question: bool | str,
        years: frozenset[str] = frozenset(),
        subjects: tuple[str, ...] = (),
    ):
        """Fused ranking of candidate rows, restricted to docs when given."""
        cfg = self.config
        lex, synonyms = self._lexical(query)
        if docs:
            lex = np.where(self._in_docs(docs), lex, 0.0)
        if cfg.prf_docs:
            lex = self._with_feedback(query, lex, docs)
        order = _top(-lex, cfg.candidates)  # perf (issue 13): = np.argsort(-lex, kind="stable")[:candidates]
        # perf (fast9): = [int(i) for i in order if lex[i] > 0]; the sorts below by
        # key=scored.__getitem__, reverse=True: = key=lambda i: -scored[i] (stable either way)
        rankings = {"lexical": order[lex[order] > 0].tolist()}
        if self.dense is not None:
            dense_query = query + " " + " ; ".join(synonyms) if synonyms and cfg.synonym_dense else query
            rankings["dense"] = self.dense.ranking(dense_query, cfg.candidates, docs)
        if metadata_question == "signer":  # the signature blocks share no words with "ai ký"
            rankings["signature"] = [i for i in sorted(self._signature) if not docs or self._doc_ids[i] in docs]
        placed = self.numbered_positions(query, docs) if cfg.item_positions else []
        if placed:  # "giai đoạn 3": the third "Giai đoạn …" of its list
            rankings["position"] = placed
        stated = self.count_statements(query, docs) if cfg.count_statements else []
        if stated:  # "có mấy hệ thống": the clauses that state "6 Hệ thống …", best matching first
            rankings["count"] = sorted(stated, key=lambda i: -lex[i])[: cfg.candidates]
        fused = reciprocal_rank_fusion(
            rankings,
            {
                "lexical": cfg.lexical_weight,
                "dense": cfg.dense_weight,
                "signature": cfg.lexical_weight,
                "count": cfg.lexical_weight,
                "position": cfg.lexical_weight,
            },
            cfg.rrf_k,
        )
        prior = self._prior_list()
        scored: dict[int, float] = {}
        if not metadata_question and not subjects:  # perf (issue 13): = the loop below, no boost applying
            scored = {i: s * prior[i] for i, s in fused.items()}
        for i, s in fused.items() if metadata_question or subjects else ():
            p = prior[i]
            if metadata_question and self.table.chunks[i].kind == "title":
                p = p / cfg.title_prior * cfg.metadata_title_boost
            elif metadata_question == "signer" and i in self._signature:
                p = p / cfg.boilerplate_prior * cfg.signature_boost
            if subjects and any(self._lead[i].startswith(b) for b in subjects):
                p *= cfg.subject_body_boost  # "Bộ X có trách nhiệm gì": the clause that opens with Bộ X
            scored[i] = s * p
        ranked = sorted(scored, key=scored.__getitem__, reverse=True)
        answering = self._signature if metadata_question == "signer" else frozenset()
        if cfg.learned_rerank and (self.reranker is not None or self.observe is not None):
            ranked = self._learned(
                query,
                ranked,
                scored,
                lex,
                rankings,
                metadata_question,
                years,
                subjects,
                answering,
                [t for m in synonyms for t in self.lexical.analyzer.tokens(m, query=True)],
                frozenset(stated),
            )
        else:
            ranked = self._rerank(query, ranked, scored, answering)
        if years:  # a clause under a heading of another year ("Đến năm 2030" for 2045) goes down
            for i in scored:
                if self._scope[i] and not years & self._scope[i]:
                    scored[i] *= cfg.year_conflict_prior
            ranked = sorted(ranked, key=scored.__getitem__, reverse=True)
        return ranked, scored, rankings

    def _in_docs(self, docs: list[str]) -> np.ndarray:
        """``np.isin(self._doc_of, docs)``, found once per document list. perf (issue 13). Read only."""
        return memo_of(self, "_docs_memo", 256).get(tuple(docs), lambda: np.isin(self._doc_of, docs))

    def _prior_list(self) -> list[float]:
        """perf (issue 13): the priors as Python floats (``float(self._prior[i])``), made once."""
        got = self.__dict__.get("_priors")
        if got is None or got[0] is not self._prior:
            got = self.__dict__["_priors"] = (self._prior, self._prior.tolist())
        return got[1]

    def _lexical(self, query: str) -> tuple[np.ndarray, list[str]]:
        """The question's BM25 scores with its synonyms' terms added, and those synonyms.
        perf (issue 13): a question naming documents is ranked twice (within them, and over
        all), so the last few are remembered; each caller gets its own copy of the scores."""
        # what a tuning script might swap, compared by identity (perf, fast9: hashing the
        # synonym groups and the config on every call cost more than the lookup saved)
        swapped = (self.config, self.lexical, self.synonyms)
        memo = memo_of(self, "_lexical_memo", 16)
        held = memo.get(query, lambda: (swapped, self._lexical_scores(query)))
        if any(a is not b for a, b in zip(held[0], swapped)):
            held = memo.put(query, (swapped, self._lexical_scores(query)))
        lex, synonyms = held[1]
        return lex.copy(), list(synonyms)

    def _readings(self):
        """The documents' readings of syllables typed without marks (retrieval/readings.py),
        counted from the clause texts on first use (then kept beside the generation)."""
        got = self.__dict__.get("_readings_of")
        if got is None:
            from . import derived, readings, text

            got = self.__dict__["_readings_of"] = derived.of_table(
                self.table, "readings", [readings, text], lambda: readings.Readings(c.text for c in self.table.chunks)
            )
        return got

    def _lexical_scores(self, query: str) -> tuple[np.ndarray, tuple[str, ...]]:
        cfg = self.config
        lex = self.lexical.scores(query, self._readings() if cfg.plain_readings else None, cfg.foreign_fold_weight)
        synonyms = self.synonyms.expansions(query, self._rare) if cfg.synonym_weight else []
        if synonyms:
            own = set(self.lexical.analyzer.tokens(query, query=True))
            extra = {t: 1.0 for m in synonyms for t in self.lexical.analyzer.tokens(m, query=True) if t not in own}
            if cfg.synonym_absent_boost != 1.0:  # a word no clause uses: its synonyms stand in for it
                for m in self.synonyms.expansions(query, self._absent):
                    for t in self.lexical.analyzer.tokens(m, query=True):
                        if t in extra:
                            extra[t] = cfg.synonym_absent_boost
            lex = lex + cfg.synonym_weight * self.lexical.weighted_scores(extra)
        return lex, tuple(synonyms)

    def _learned(
        self,
        query: str,
        ranked: list[int],
        scored: dict[int, float],
        lex: np.ndarray,
        rankings: dict,
        metadata_question: bool | str,
        years: frozenset[str],
        subjects: tuple[str, ...],
        answering: AbstractSet[int] = frozenset(),
        synonym_tokens: Sequence[str] = (),
        stated: frozenset[int] = frozenset(),
    ) -> list[int]:
        """The head of the fused list reordered by the learned reranker; the head's scores
        become top × (1 + σ(model score)), above every row below the head."""
        head = ranked[: self.config.learned_depth]
        if not head:
            return ranked
        # perf (fast9): = {idx: r for r, idx in enumerate(lst, 1)} (a repeated row keeps its last rank either way)
        ranks = {name: dict(zip(lst, range(1, len(lst) + 1))) for name, lst in rankings.items()}
        signals = features.Signals(
            fused=scored,
            lexical=lex,
            lexical_ranks=ranks.get("lexical", {}),
            dense_ranks=ranks.get("dense", {}),
            terms=self._query_terms(self.lexical.analyzer.tokens(query, query=True)),
            prior=self._prior,
            listing=bool(_RULES.search("enumeration", query)),
            metadata=bool(metadata_question),
            signer=metadata_question == "signer",
            years=years,
            synonyms=self._synonym_weights(list(synonym_tokens)) if synonym_tokens else None,
            stated=stated,
            units=self.count_units(query),
        )
        lead = {i for i in head if subjects and any(self._lead[i].startswith(b) for b in subjects)}
        X = features.matrix(
            head, signals, self.profiles, self.table.chunks, self._scope, self._signature, lead, frozenset(answering)
        )
        if self.observe is not None:
            self.observe(query, head, X)
        if self.reranker is None:
            return ranked
        z = self.reranker.score(X) + self._authority_logit[head]  # official texts ahead of what repeats them
        top = max(scored[i] for i in head) or 1.0
        for i, v in zip(head, z):
            scored[i] = top * (1.0 + 1.0 / (1.0 + float(np.exp(-v))))
        return sorted(head, key=scored.__getitem__, reverse=True) + ranked[len(head) :]

    def _elsewhere(self, query: str, named: list[int], others: list[int]) -> tuple[list[int], int | None]:
        """When a clause of another document covers the question clearly better than the
        best clauses of the documents it names ("Nghị quyết 57 có bao nhiêu sáng kiến đột
        phá?": Kế hoạch 01 numbers them), the named document is likely wrong: the best
        clauses of the other documents, in the order of the search over all of them.
        (Measured: deciding this by the learned stage's scores instead of coverage lost
        on dev, recall@5 0.972 -> 0.962..0.972, MRR 0.911 -> 0.864..0.901.)"""
        cfg = self.config
        depth = cfg.elsewhere_depth
        if not others:
            return [], None
        weights = self._query_terms(self.lexical.analyzer.tokens(query, query=True)).weights
        best = max(self.profiles.shares("all", named[:depth], weights), default=0.0) if named else 0.0
        theirs = self.profiles.shares("all", others[:depth], weights)
        if (theirs >= best + cfg.elsewhere_margin).any():
            return others[: cfg.elsewhere_lead], None
        if cfg.elsewhere_second_margin and theirs[0] >= best + cfg.elsewhere_second_margin:
            return [], others[0]
        return [], None

    def _query_terms(self, tokens: list[str]) -> features.QueryTerms:
        """features.QueryTerms.of over this searcher's index. perf (issue 13): the same terms
        come back within a question (its ranking, its parts, the other documents' check), so
        the last few are remembered; the values are only read."""
        key = (tuple(tokens), self.lexical, self.profiles)  # what a tuning script might swap
        # scale (issue 13): an entry holds four float64 vectors over the profile vocabulary
        # (510,300 terms, 16 MB, at 100,000 clauses): the memo is bounded by bytes, not entries
        entry = 4 * 8 * (len(self.profiles.vocab) + 1)
        return memo_of(self, "_terms_memo", max(4, min(64, TERMS_MEMO_BYTES // entry))).get(
            key, lambda: features.QueryTerms.of(tokens, self.lexical.idf, self.profiles.vocab)
        )

    def _synonym_weights(self, tokens: list[str]) -> np.ndarray:
        """``_query_terms(tokens).weights`` alone, remembered like it (perf, issue 13: the
        synonyms' other vectors were made and never read). Read only."""
        key = (tuple(tokens), self.lexical, self.profiles)
        return memo_of(self, "_synonym_weights_memo", 64).get(
            key, lambda: features.QueryTerms.weights_of(tokens, self.lexical.idf, self.profiles.vocab)
        )

    def _query_weights(self, query: str) -> tuple[dict[str, float], float]:
        weights = {t: self.lexical.idf(t) for t in dict.fromkeys(self.lexical.analyzer.tokens(query, query=True))}
        return weights, sum(weights.values()) or 1.0

    def _coverage(self, i: int, weights: dict[str, float], total: float) -> float:
        """IDF-weighted share of the question's terms that row i holds."""
        terms = self._terms(i)
        return sum(w for t, w in weights.items() if t in terms) / total

    def _rerank(self, query: str, ranked: list[int], scored: dict[int, float], answering=frozenset()) -> list[int]:
        """Second stage over the head of the list: fused score (scaled to its maximum) plus
        the IDF-weighted share of the question's terms each clause covers. BM25 and
        the dense ranks reward short clauses; coverage rewards the clause that says it all.
        Rows in ``answering`` answer by their place in the text (a signature block for "ai
        ký"): they count as covering the question."""
        head = ranked[: self.config.rerank_depth]
        if not head:
            return ranked
        weights, total = self._query_weights(query)
        top = max(scored[i] for i in head) or 1.0
        for i in head:
            coverage = 1.0 if i in answering else self._coverage(i, weights, total)
            scored[i] = (scored[i] / top + self.config.coverage_weight * coverage) * top
        return sorted(head, key=lambda i: -scored[i]) + ranked[len(head) :]

    def _terms(self, i: int) -> frozenset[str]:
        terms = self._term_sets.get(i)
        if terms is None:
            terms = self._term_sets[i] = frozenset(self.lexical.analyzer.tokens(self.table.chunks[i].embedding_text()))
        return terms

    def _words(self, i: int) -> set[str]:
        words = self._word_sets.get(i)
        if words is None:
            words = self._word_sets[i] = set(_WORD.findall(fold(self.table.chunks[i].text)))
        return words

    def _with_twins(
        self, ranked: list[int], scored: dict[int, float], limit: int, same_document: bool = False
    ) -> list[int]:
        """The twin (retrieval/twins.py) of each of the best hits, when it is not already
        listed, brought in after it — no higher than ``twin_rank``, so the order at the
        top stays the search's: either twin may be the one a reader cites. Of several
        twins, the best scored, official texts first; only twins in the hit's own
        document when the question names or filters documents."""
        cfg = self.config
        out = list(ranked)
        for i in ranked[: cfg.echo_depth]:
            at = max(out.index(i) + 1, cfg.twin_rank - 1)
            fresh = [
                j
                for j in self._twins.get(i, [])
                if j not in out and (not same_document or self._doc_ids[j] == self._doc_ids[i])
            ]
            fresh.sort(key=lambda j: (-self._authority[j], -scored.get(j, 0.0)))
            for j in fresh[: cfg.twins_per_hit]:
                out.insert(at, j)
                at += 1
                scored[j] = max(scored.get(j, 0.0), scored[out[at]] if at < len(out) else 0.0)
        return out[:limit]

    def _collapse_duplicates(self, ranked: list[int], limit: int) -> list[int]:
        kept: list[int] = []
        similar = self._similar
        for i in ranked:
            if any(similar(i, other) for other in kept):
                continue
            kept.append(i)
            if len(kept) >= limit:
                break
        return kept

    def _similar(self, i: int, j: int) -> bool:
        """``_jaccard(self._words(i), self._words(j)) >= duplicate_jaccard``, kept per pair of
        rows (perf, issue 13: the best clauses of one question are compared again on the
        next; the words of a row and the threshold do not change within a searcher)."""
        threshold = self.config.duplicate_jaccard
        key = (i, j, threshold) if i < j else (j, i, threshold)
        return memo_of(self, "_similar_memo", 200_000).get(
            key, lambda: _jaccard(self._words(i), self._words(j)) >= threshold
        )

    def expand(self, hit: Hit | Chunk, limit: int = 40) -> list[Chunk]:
        """The clauses under a hit (a section heading's items, then their sub-items while
        under the limit), in document order."""
        chunk = hit.chunk if isinstance(hit, Hit) else hit
        out: list[Chunk] = []
        level = [chunk]
        while level and len(out) < limit:  # breadth first: all items before their sub-items
            level = [c for parent in level for c in self.table.children.get(parent.id, [])]
            out.extend(level)
        return sorted(out[:limit], key=lambda c: c.order)


_ABSENT = object()


class _NamedOnly(dict):
    """The scores of a ranking within the named documents, the ranking over all of them
    left out (``HybridSearcher._ranked`` with ``alone``): a row looked up that is not
    here is noted in ``missed`` (the full ranking might have scored it) and reads 0.0."""

    missed = False

    def __missing__(self, key):
        self.missed = True
        return 0.0

    def get(self, key, default=None):
        got = dict.get(self, key, _ABSENT)
        if got is _ABSENT:
            self.missed = True
            return default
        return got

    def __contains__(self, key) -> bool:
        held = dict.__contains__(self, key)
        if not held:
            self.missed = True
        return held


@lru_cache(maxsize=1)
def _body_matcher() -> re.Pattern[str]:
    """The named bodies of retrieval/resources/rules/entities.toml, longest first, folded."""
    from .regex_cache import compile_pattern  # perf (issue 13): the opcodes the ingest kept

    # longest first, and in one order in every process (a set's order varies with the
    # string hash seed): the same text each time, so the kept opcodes are found (issue 13).
    # Bodies of one length never match at one place together: the match is the same
    bodies = sorted(load_rules("entities").word_set("bodies"), key=lambda b: (-len(b), b))
    return compile_pattern(r"(?<!\w)(?:" + "|".join(re.escape(b) for b in bodies) + r")(?!\w)")


@dataclass(frozen=True)
class ClauseValues:
    """What the searcher reads of every clause, computed once per generation (issue 13:
    a fifth of the searcher's opening): the years of its headings (``scope_years``) and its
    folded opening without list markers."""

    scope: list[frozenset[str]]
    lead: list[str]


def clause_values(chunks: Sequence[Chunk]) -> ClauseValues:
    """The ``ClauseValues`` of a generation's chunks, in row order."""
    return ClauseValues([scope_years(c) for c in chunks], [fold(_LEAD.sub("", c.text[:120])) for c in chunks])


def scope_years(chunk: Chunk) -> frozenset[str]:
    """The years of the headings a clause stands under ("1. Đến năm 2030"), its own
    heading line included: the period its content is about."""
    heads = " ".join(chunk.breadcrumb[1:])
    first = chunk.text.partition("\n")[0]
    if len(first) <= 120:
        heads += " " + first
    return frozenset(_YEAR.findall(heads))


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)  # perf (issue 13, fast9): |a ∪ b| counted, not built
    return shared / (len(a) + len(b) - shared)
