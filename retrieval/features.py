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
MAP_BYTES = 32 << 20  # a saved profile array larger than this is mapped from disk, not read
LEAD_CHARS = 60  # the opening words of a clause: its subject ("Nhà khoa học: …", "Bộ Y tế …")


class Vocabulary:
    """Term -> id (1.., 0 is the sentinel) over the sorted distinct terms of a generation's
    profiles: the ids are the terms' places in sorted order, looked up by binary search, so
    the table is one array (read from disk, mapped) rather than a dict of every term. The
    terms are kept as UTF-8 bytes (most are folded ASCII: a quarter of numpy's 4-byte
    characters), whose order is the strings' order."""

    SMALL = 200_000  # up to this many terms, a dict is built on first use (faster lookups)

    def __init__(self, terms: np.ndarray):
        self.terms = terms  # sorted, unique (numpy bytes array, UTF-8)
        self._dict: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, term: str, default: int | None = None) -> int | None:
        if len(self.terms) <= self.SMALL:
            if self._dict is None:
                self._dict = {t.decode("utf-8"): j + 1 for j, t in enumerate(self.terms.tolist())}
            return self._dict.get(term, default)
        key = term.encode("utf-8")
        j = int(np.searchsorted(self.terms, key))
        return j + 1 if j < len(self.terms) and self.terms[j] == key else default

    def getter(self):
        """A callable equal to ``get``: the dict's own ``get`` when the terms are few (perf,
        issue 13: a question's terms are looked up without the size check each)."""
        if len(self.terms) <= self.SMALL:
            if self._dict is None:
                self.get("")
            return self._dict.get
        return self.get

    def __getitem__(self, term: str) -> int:
        got = self.get(term)
        if got is None:
            raise KeyError(term)
        return got

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def items(self):
        return ((t.decode("utf-8"), j + 1) for j, t in enumerate(self.terms.tolist()))


class Ragged:
    """One small tuple of strings a row (a row's numbers, its items' opening words), kept
    end to end: ``values`` (a numpy str array) and where each row starts."""

    def __init__(self, values: np.ndarray, indptr: np.ndarray, as_set: bool):
        self.values, self.indptr, self.as_set = values, indptr, as_set

    @classmethod
    def of(cls, rows: list, as_set: bool) -> Ragged:
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        flat = [v for r in rows for v in (sorted(r) if as_set else r)]
        return cls(np.array(flat, dtype=str) if flat else np.zeros(0, dtype="<U1"), indptr, as_set)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i: int):
        got = tuple(self.values[self.indptr[i] : self.indptr[i + 1]].tolist())
        return frozenset(got) if self.as_set else got

    def rows(self, rows: list[int]) -> list:
        """``[self[i] for i in rows]``, each row's value kept once built (perf, issue 13: the
        candidates of one question are the next one's too; the values are only read)."""
        memo: dict[int, object] | None = self.__dict__.get("_memo")
        if memo is None or len(memo) > 200_000:
            memo = self.__dict__["_memo"] = {}
        get = memo.get
        out = []
        for i in rows:
            got = get(i)
            if got is None:
                got = memo[i] = self[i]
            out.append(got)
        return out

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Ragged | list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


class _Rows:
    """A field's rows of term ids as a list of arrays (``ids[field][i]``), over the packed form."""

    def __init__(self, flat: np.ndarray, indptr: np.ndarray):
        self.flat, self.indptr = flat, indptr

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i: int) -> np.ndarray:
        return np.asarray(self.flat[self.indptr[i] : self.indptr[i + 1]])

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class _Numbering(dict):
    """Term -> id, a new term taking the next id when first looked up."""

    def __missing__(self, term: str) -> int:
        value = self[term] = len(self)
        return value


def _packed(rows: list[np.ndarray], remap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of provisional term ids (duplicates allowed) as one array of final ids, each row
    ``[0] + sorted distinct ids``, and where each row starts."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    return _packed_flat(np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64), lengths, remap)


def _packed_flat(provisional: np.ndarray, lengths: np.ndarray, remap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_packed`` of rows given end to end (``provisional``, cut by ``lengths``)."""
    # perf (issue 13, memory): the keys computed and sorted in place, each temporary let go
    # as soon as it is used (at 100,000 clauses each is 130 MB)
    rows = lengths  # (only its length is read below)
    flat = remap[provisional] if int(lengths.sum()) else np.zeros(0, dtype=np.int64)
    width = len(remap) + 1
    key = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    key *= width
    key += flat
    del flat
    # by row, then id; perf (issue 13): "stable" (numpy's timsort for int64) finds the
    # rows already in order and sorts each on its own, ~3x faster than the default
    # quicksort; sorted integers are the same array either way
    key.sort(kind="stable")
    if len(key):
        keep = np.empty(len(key), dtype=bool)
        keep[0] = True
        np.not_equal(key[1:], key[:-1], out=keep[1:])
        key = key[keep]  # each row's ids distinct
        del keep
    owner, flat = np.divmod(key, width)
    del key
    distinct = np.bincount(owner, minlength=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(distinct + 1, out=indptr[1:])  # each row led by the sentinel 0
    first = np.zeros(len(rows), dtype=np.int64)  # where each row's ids start in ``flat``
    np.cumsum(distinct[:-1], out=first[1:])
    out = np.zeros(int(indptr[-1]), dtype=np.int32)
    out[np.arange(len(flat), dtype=np.int64) - first[owner] + indptr[owner] + 1] = flat
    return out, indptr


def _cut(
    flat: np.ndarray, indptr: np.ndarray, rows: list[int] | np.ndarray, dtype: type = np.intp
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``rows`` of a ragged array kept end to end (``flat`` cut at ``indptr``), one
    after the other, and where each row starts. perf (issue 13): as ``np.intp``, by which
    numpy gathers about twice as fast as by int32; ``dtype``: as another type (the
    profiles' build keeps int32 ids: no int64 copy of them made, issue 13, memory)."""
    r = np.asarray(rows, dtype=np.intp)
    first = indptr[r]
    lengths = indptr[r + 1] - first
    starts = np.zeros(len(r), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    index = np.repeat(first - starts, lengths)
    index += np.arange(len(index))
    got = flat[index]
    del index  # (as long as the values: let go before their copy)
    return got.astype(dtype, copy=False), starts


class Profiles:
    """What the features need of every clause, computed once: for each field (breadcrumb +
    text, text, breadcrumb, the parent's heading line, the items' texts) the ids of its
    distinct terms, each row's list led by a sentinel id of weight zero so that none is
    empty; token counts, whether the clause has items, and its numbers.

    issue 13 (scale): each distinct text is tokenized once (a breadcrumb or a parent's
    heading line is shared by its siblings; a clause's own tokens give its token count
    when it has no context), and everything is kept in arrays (the rows of a field end to
    end, the vocabulary sorted), which ``save`` writes and ``load`` maps back from disk."""

    def __init__(
        self, chunks: list[Chunk], children: dict[str, list[Chunk]], by_id: dict[str, Chunk], tokens, token_ids=None
    ):
        """``token_ids``: the ``TokenIds`` of the BM25 build over these chunks with the same
        analyzer, each clause's text split already (``LexicalIndex.build_parts``'s keep)."""
        from .profile_build import fast_profile

        built = fast_profile(chunks, children, by_id, tokens, token_ids)  # perf (issue 13, scale): the same arrays
        if built is not None:
            self.__dict__.update(built)
            return
        digits = lambda terms: frozenset(t.lstrip("0") or "0" for t in terms if t.isdigit())
        provisional = _Numbering()  # perf (issue 13): a term's id looked up at C speed, numbered when new

        def ids_of(terms) -> np.ndarray:  # (int32: half the memory of the rows until packed)
            return np.fromiter(map(provisional.__getitem__, terms), dtype=np.int32, count=len(terms))

        memo: dict[str, tuple[np.ndarray, frozenset[str]]] = {}

        def shared(text: str) -> tuple[np.ndarray, frozenset[str]]:
            """The term ids and terms of a text many clauses share (a breadcrumb, a heading)."""
            got = memo.get(text)
            if got is None:
                terms = frozenset(tokens(text))
                got = memo[text] = (ids_of(terms), terms)
            return got

        row = {c.id: i for i, c in enumerate(chunks)}
        fields: dict[str, list[np.ndarray]] = {f: [] for f in FIELDS}
        n_tokens = np.zeros(len(chunks))
        has_items = np.zeros(len(chunks), dtype=bool)
        own: list[np.ndarray] = []
        numbers: list[frozenset[str]] = []
        heading_numbers: list[frozenset[str]] = []
        for i, c in enumerate(chunks):
            listed = tokens(c.text)
            if c.context:
                terms = frozenset(tokens("\n".join(p for p in (c.context, c.text) if p)))
            else:
                terms = frozenset(listed)
            own.append(ids_of(terms))
            n_tokens[i] = len(listed)
            numbers.append(digits(terms))
            heading = shared(c.breadcrumb[-1])[1] if len(c.breadcrumb) > 1 else frozenset()
            heading_numbers.append(numbers[-1] | digits(heading))
        empty = np.zeros(0, dtype=np.int32)
        item_leads: list[tuple[str, ...]] = []
        for i, c in enumerate(chunks):
            crumb = shared(" › ".join(c.breadcrumb[1:]))[0]
            parent = by_id.get(c.parent_id)
            kids = [row[k.id] for k in children.get(c.id, []) if k.id in row]
            fields["all"].append(np.concatenate((own[i], crumb)))
            fields["text"].append(own[i])
            fields["crumb"].append(crumb)
            fields["parent"].append(shared(parent.text.partition("\n")[0][:200])[0] if parent is not None else empty)
            fields["items"].append(np.concatenate([own[k] for k in kids]) if kids else empty)
            fields["lead"].append(ids_of(frozenset(tokens(LIST_MARK.sub("", c.text[: LEAD_CHARS + 20])[:LEAD_CHARS]))))
            has_items[i] = bool(kids)
            item_leads.append(
                tuple(" ".join(_WORDS.findall(fold(LIST_MARK.sub("", chunks[k].text[:80]).lower()))[:4]) for k in kids)
            )
        memo.clear()
        del own
        ordered = sorted(provisional)
        terms_sorted = np.array([t.encode("utf-8") for t in ordered]) if ordered else np.zeros(0, dtype="S1")
        remap = np.zeros(len(provisional), dtype=np.int64)
        if provisional:
            remap[np.fromiter((provisional[t] for t in ordered), dtype=np.int64)] = np.arange(1, len(provisional) + 1)
        provisional.clear()
        del ordered
        self.vocab = Vocabulary(terms_sorted)
        self.packed = {f: _packed(rows, remap) for f, rows in fields.items()}
        self.n_tokens = n_tokens
        self.has_items = has_items
        self.numbers = Ragged.of(numbers, as_set=True)
        self.heading_numbers = Ragged.of(heading_numbers, as_set=True)
        self.item_leads = Ragged.of(item_leads, as_set=False)

    @property
    def ids(self) -> dict[str, _Rows]:
        """Each field's rows of term ids (``ids[field][i]``: an array led by the sentinel 0)."""
        return {f: _Rows(*got) for f, got in self.packed.items()}

    @property
    def all_terms(self) -> list[frozenset[str]]:
        """Each row's terms of breadcrumb + text (for tests and tools: built on demand)."""
        terms = [t.decode("utf-8") for t in self.vocab.terms.tolist()]
        return [frozenset(terms[j - 1] for j in ids[1:].tolist()) for ids in self.ids["all"]]

    def save(self, folder) -> None:
        """The profiles as .npy files in ``folder`` (``load`` maps them back)."""
        arrays = {"vocab": self.vocab.terms, "n_tokens": self.n_tokens, "has_items": self.has_items}
        for f, (flat, indptr) in self.packed.items():
            arrays[f"{f}.flat"], arrays[f"{f}.indptr"] = flat, indptr
        for name in ("numbers", "heading_numbers", "item_leads"):
            ragged = getattr(self, name)
            arrays[f"{name}.values"], arrays[f"{name}.indptr"] = ragged.values, ragged.indptr
        for name, a in arrays.items():
            np.save(folder / f"{name}.npy", np.ascontiguousarray(a), allow_pickle=False)

    @classmethod
    def load(cls, folder) -> Profiles:
        """Profiles written by ``save``, the arrays mapped from disk (read only)."""

        def get(name: str) -> np.ndarray:
            path = folder / f"{name}.npy"  # a large array mapped, a small one read (faster to index)
            if path.stat().st_size > MAP_BYTES:
                return np.load(path, mmap_mode="r", allow_pickle=False)
            return np.load(path, allow_pickle=False)

        self = cls.__new__(cls)
        self.vocab = Vocabulary(get("vocab"))
        self.packed = {f: (get(f"{f}.flat"), get(f"{f}.indptr")) for f in FIELDS}
        self.n_tokens, self.has_items = get("n_tokens"), get("has_items")
        self.numbers = Ragged(get("numbers.values"), get("numbers.indptr"), True)
        self.heading_numbers = Ragged(get("heading_numbers.values"), get("heading_numbers.indptr"), True)
        self.item_leads = Ragged(get("item_leads.values"), get("item_leads.indptr"), False)
        return self

    def __len__(self) -> int:
        return len(self.n_tokens)

    def shares(self, field: str, rows: list[int], weights: np.ndarray) -> np.ndarray:
        """For each row, the sum of ``weights`` (indexed by term id) over its field's terms."""
        ids, starts = self._gathered(field, rows)
        return np.add.reduceat(weights[ids], starts)

    # the calls of term_shares after which the postings are built (their sort pays back after
    # about that many: ~10 ms against ~0.15 ms a call saved at 891 clauses; a cold ask builds none)
    POSTINGS_AFTER = 64

    def term_shares(self, field: str, weights: np.ndarray) -> np.ndarray:
        """Every row's sum of ``weights`` over its field's terms (``shares`` of all the rows,
        in another order of addition: equal up to rounding). The first calls gather every
        row's terms; the later ones read the terms' rows (``postings``), visiting only the
        terms of non-zero weight."""
        if field not in self.__dict__.get("_postings", {}):
            calls = self.__dict__["_term_share_calls"] = self.__dict__.get("_term_share_calls", 0) + 1
            if calls <= self.POSTINGS_AFTER:
                flat, indptr = self.packed[field]  # every row leads with a sentinel: none is empty
                return np.add.reduceat(weights[flat], indptr[:-1])
        rows, starts = self.postings(field)
        terms = np.flatnonzero(weights)
        hit, at = _cut(rows, starts, terms)
        lengths = np.diff(np.append(at, len(hit)))
        return np.bincount(hit, weights=np.repeat(weights[terms], lengths), minlength=len(self))

    def postings(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding each term of a field: ``rows[starts[t]:starts[t + 1]]`` for term id
        t, ascending (built on first use, from the packed rows)."""
        held: dict = self.__dict__.setdefault("_postings", {})
        got = held.get(field)
        if got is None:
            flat, indptr = self.packed[field]
            order = np.argsort(flat, kind="stable")
            owner = np.repeat(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))
            starts = np.searchsorted(flat[order], np.arange(len(self.vocab) + 2))
            got = held[field] = (owner[order], starts)
        return got

    def _gathered(self, field: str, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """``_gather``, kept for the last few row lists (one question asks the same rows' terms
        with several weights)."""
        return memo_of(self, "_gathered_memo", 64).get((field, tuple(rows)), lambda: self._gather(field, rows))

    def _gather(self, field: str, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The rows' term ids one after the other, and where each row starts: the field's
        rows are kept end to end (built on first use) and cut with array operations."""
        flat, indptr = self.packed[field]
        return _cut(flat, indptr, rows)

    def shares_by_field(self, fields: tuple[str, ...], rows: list[int], weights: np.ndarray) -> np.ndarray:
        """``shares`` of several fields end to end (the rows of the first field, then of the
        next…) from one gather of every field's rows kept end to end: each row's sum is the
        same contiguous reduction as ``shares`` does, so the figures are the same. perf (issue 13)."""
        ids, starts = memo_of(self, "_gathered_memo", 64).get(
            (fields, tuple(rows)), lambda: self._gather_fields(fields, rows)
        )
        return np.add.reduceat(weights[ids], starts)

    def _gather_fields(self, fields: tuple[str, ...], rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Every field's rows cut one field after the other, the starts running on: what
        one cut of every field's rows kept end to end gives. scale (issue 13): with no
        copy of every field's rows (a second copy of the profiles, built on a question)."""
        r = np.asarray(rows, dtype=np.intp)
        ids, starts, offset = [], [], 0
        for f in fields:
            flat, indptr = self.packed[f]
            got, at = _cut(flat, indptr, r)
            ids.append(got)
            starts.append(at + offset)
            offset += len(got)
        if not ids:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
        return np.concatenate(ids), np.concatenate(starts)

    def shares_of(self, field: str, rows: list[int], vectors: list[np.ndarray]) -> np.ndarray:
        """``shares`` for several weight vectors at once, one row of the result each: one
        gather of the rows' terms and one reduction (each row's sum is the same
        contiguous reduction as ``shares`` does, so the figures are the same)."""
        ids, starts = self._gathered(field, rows)
        gathered = np.empty((len(vectors), len(ids)))  # perf (fast9): = np.stack([v[ids] for v in vectors])
        for j, v in enumerate(vectors):
            gathered[j] = v[ids]
        return np.add.reduceat(gathered, starts, axis=1)


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
    def of(cls, tokens: list[str], idf, vocab: Vocabulary | dict[str, int]) -> QueryTerms:
        weights = {t: idf(t) for t in dict.fromkeys(tokens)}
        plain = sorted((t for t in weights if not t.startswith("~")), key=lambda t: -weights[t])
        numbers = frozenset(
            t.lstrip("0") or "0" for t in weights if t.isdigit() and not (len(t) == 4 and t[:2] in ("19", "20"))
        )

        # perf (issue 13, fast9): each term looked up and classified once, the vectors filled
        # by one assignment each; the sums are the same sums, in the same order
        size = len(vocab) + 1
        get = vocab.getter() if isinstance(vocab, Vocabulary) else vocab.get
        rare = set(plain[:3])
        table = [(w, get(t), "_" in t, t.startswith("~"), t in rare) for t, w in weights.items()]

        held: list[bool] = []  # perf (issue 13): = v.any() of each vector, from what was put in it

        def vector(kind: int) -> np.ndarray:
            v = np.zeros(size)
            kept = table if kind < 0 else [row for row in table if row[kind]]
            total = sum([row[0] for row in kept])
            found = [(row[1], row[0] / total) for row in kept if row[1] is not None] if total else []
            if found:  # one assignment (the terms are distinct, so are their ids)
                v[[j for j, _ in found]] = [x for _, x in found]
            held.append(any(x != 0 for _, x in found))
            return v

        weights_v, pairs, marked = vector(-1), vector(2), vector(3)
        got = cls(weights_v, pairs, marked, vector(4) if rare else np.zeros(size), numbers)
        got.__dict__["_held"] = (held[1], held[2], held[3] if rare else False)
        return got

    @staticmethod
    def weights_of(tokens: list[str], idf, vocab: Vocabulary | dict[str, int]) -> np.ndarray:
        """``of(tokens, idf, vocab).weights`` alone (perf, issue 13: the synonyms' terms are
        read only by their weights): the same weights, total and assignment."""
        weights = {t: idf(t) for t in dict.fromkeys(tokens)}
        v = np.zeros(len(vocab) + 1)
        total = sum([w for w in weights.values()])
        if total:
            get = vocab.getter() if isinstance(vocab, Vocabulary) else vocab.get
            found = [(j, w / total) for t, w in weights.items() if (j := get(t)) is not None]
            if found:
                v[[j for j, _ in found]] = [x for _, x in found]
        return v

    @staticmethod
    def has(v: np.ndarray) -> bool:
        return bool(v.any())

    def held(self) -> tuple[bool, bool, bool]:
        """``has`` of pairs, marked and rare, kept once found (the vectors are only read)."""
        got = self.__dict__.get("_held")
        if got is None:
            got = self.__dict__["_held"] = (self.has(self.pairs), self.has(self.marked), self.has(self.rare))
        return got


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
    fused = [sig.fused[i] for i in rows]
    top = max(fused) or 1.0
    best_lex = float(sig.lexical.max()) if sig.lexical.size else 0.0
    X[:, 0] = 1.0
    X[:, 1] = [v / top for v in fused]
    X[:, 2] = 1.0 / np.arange(1, n + 1)
    # perf (issue 13): = 1.0 / ranks[i] if i in ranks else 0.0 (a rank is at least 1)
    lexical_rank, dense_rank = sig.lexical_ranks.get, sig.dense_ranks.get
    X[:, 3] = [1.0 / r if (r := lexical_rank(i)) else 0.0 for i in rows]
    X[:, 4] = sig.lexical[idx] / best_lex if best_lex > 0 else 0.0
    X[:, 5] = [1.0 / r if (r := dense_rank(i)) else 0.0 for i in rows]
    # perf (issue 13): the shares of the clause's whole text, by every weighting that needs
    # them, in one gather: the question's terms, its pairs, its accented syllables, its
    # rarest terms, its synonyms' terms
    synonyms = sig.synonyms is not None and QueryTerms.has(sig.synonyms)
    wanted: dict[str, np.ndarray] = {"weights": q.weights}
    held = q.held()  # perf (issue 13): which of the vectors hold a term, found once per QueryTerms
    if held[0]:
        wanted["pairs"] = q.pairs
    if held[1]:
        wanted["marked"] = q.marked
    if held[2]:
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
    if answering:
        for r, i in enumerate(rows):
            if i in answering:
                X[r, 6:13] = 1.0
    X[:, 13] = sig.prior[idx]
    X[:, 14] = np.log1p(prof.n_tokens[idx])
    X[:, 15:18] = _kinds(prof, chunks)[idx]  # perf (issue 13): is_title, is_boilerplate, is_row
    X[:, 18] = prof.has_items[idx]
    if sig.listing:  # = sig.listing and prof.has_items[idx]
        X[:, 19] = X[:, 18]
    X[:, 20] = X[:, 15] * sig.metadata
    if sig.signer and signature:  # (zero otherwise, as the plain [sig.signer and i in signature ...])
        X[:, 21] = [i in signature for i in rows]
    if subject_lead:
        X[:, 22] = [i in subject_lead for i in rows]
    if sig.years:
        years = sig.years
        X[:, 23] = [bool(years & scope[i]) for i in rows]
        X[:, 24] = [bool(scope[i]) and not years & scope[i] for i in rows]
        X[:, 25] = [any(y in chunks[i].text for y in years) for i in rows]
    if "rare" in whole:
        X[:, 26] = whole["rare"]
    if q.numbers:  # perf (issue 13): each row's numbers read once (Ragged.rows)
        numbers, k = q.numbers, len(q.numbers)
        X[:, 27] = [len(numbers & s) / k for s in prof.numbers.rows(rows)]
        X[:, 28] = [len(numbers & s) / k for s in prof.heading_numbers.rows(rows)]
    else:
        X[:, 27:29] = 1.0
    X[:, 29] = by_field["lead"]
    if synonyms:
        X[:, 30] = whole["synonyms"]
    if sig.stated:
        X[:, 31] = [i in sig.stated for i in rows]
    if sig.units:
        X[:, 32] = [named_share(leads, sig.units) for leads in prof.item_leads.rows(rows)]
    return X


def _kinds(prof: Profiles, chunks: list[Chunk]) -> np.ndarray:
    """perf (issue 13): each clause's is_title, is_boilerplate and is_row columns, built once
    per chunk list (kept on the profiles with the list it was built from)."""
    got = prof.__dict__.get("_kinds")
    if got is None or got[0] is not chunks:
        table = np.array([(c.kind == "title", bool(c.boilerplate), c.kind == "row") for c in chunks], dtype=np.float64)
        got = prof.__dict__["_kinds"] = (chunks, table.reshape(len(chunks), 3))
    return got[1]


def named_share(leads: tuple[str, ...], units: tuple[str, ...]) -> float:
    """The share of a heading's items whose opening words begin with one of ``units``."""
    if not leads:
        return 0.0
    return sum(any(lead == u or lead.startswith(u + " ") for u in units) for lead in leads) / len(leads)
