"""Lexical search: a Vietnamese analyzer feeding a bm25s index.

Tokens of a text: accent-folded syllables (so "muc tieu" finds "mục tiêu"), the accented
syllables when the text has tone marks (so "số" is not "sở"), folded syllable bigrams
(Vietnamese words are mostly two syllables), minus stop words; abbreviations of the
documents (KH,CN&ĐMST, CĐS, R&D...) are expanded into their words on both sides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .regex_cache import compile_kept
from .text import _COMBINING, _FOLD_TABLE, fold, fold_aligned, has_diacritics, nfc, tone_placements

if TYPE_CHECKING:  # bm25s builds the index (ingest); a reader scores its files without it (issue 13)
    import bm25s

    from .bm25_files import StoredBM25
    from .corpus_tokens import TokenIds

_TOKEN = re.compile(r"[\w&]+(?:[,&][\w&]+)*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
# A parenthesised acronym after the phrase it stands for: "... đổi mới sáng tạo (KH,CN&ĐMST)".
_DEFINITION = re.compile(r"\((?:sau đây gọi tắt là\s+)?([A-ZĐ][A-Za-zĐđ&,\-]{1,14})\)")
# a definition left open at the end of a line ("(sau đây gọi tắt là" then white space):
# its short form may stand on the next line (``_DEFINITION``'s white space takes a newline)
_OPEN_DEFINITION = re.compile(r"\(sau đây gọi tắt là\s*$")
_CONNECTORS = {"va", "và", "cua", "của", "ve", "về"}
_VOWELS = re.compile(r"[aeiouy]")


def _resource(name: str) -> str:
    return resources.files("retrieval.resources").joinpath(name).read_text("utf-8")


def curated_abbreviations() -> dict[str, str]:
    """The shipped short list: folded short form -> expansion."""
    table = {}
    for line in _resource("abbreviations.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            short, _, long = line.partition("\t")
            table[fold(short.strip())] = long.strip()
    return table


def mine_abbreviations(texts: list[str]) -> dict[str, str]:
    """Acronyms defined in the documents: the words whose initials spell them."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _DEFINITION.finditer(text):
            short = m.group(1)
            before = text[max(0, m.start() - 160) : m.start()]
            phrase = re.split(r"[()\n]", before)[-1]
            letters = [c for c in fold(short) if c.isalpha()]
            if len(letters) < 2:
                continue
            ws = _WORD.findall(phrase)
            picked: list[str] = []
            i = len(ws) - 1
            for letter in reversed(letters):
                while i >= 0 and fold(ws[i]) in _CONNECTORS and fold(ws[i])[0] != letter:
                    picked.append(ws[i])
                    i -= 1
                if i < 0 or fold(ws[i])[0] != letter:
                    picked = []
                    break
                picked.append(ws[i])
                i -= 1
            if picked:
                found.setdefault(fold(short), " ".join(reversed(picked)).lower())
    return found


@dataclass
class Analyzer:
    """Turns Vietnamese text into BM25 tokens."""

    abbreviations: dict[str, str] = field(default_factory=curated_abbreviations)
    stop_accented: frozenset[str] = frozenset()
    stop_folded: frozenset[str] = frozenset()
    bigrams: bool = True

    def __post_init__(self) -> None:
        keys = sorted(self.abbreviations, key=len, reverse=True)
        pattern = r"(?<![\w&])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w&])"
        self._abbr = compile_kept(pattern) if keys else None  # (its opcodes kept: perf, issue 13)
        self._query_memo: dict[str, tuple[str, ...]] = {}  # perf (issue 13): the same texts, question after question
        # perf (issue 13, scale): each distinct syllable's fold and stop test, made once
        # (syllable -> (folded, stop, its unigram or None, its accented token or None))
        self._syllables: dict[str, tuple[str, bool, str | None, str | None]] = {}
        self._heads = frozenset(m.group(0) for m in map(_WORD.match, keys) if m) if keys else frozenset()
        self._all_heads = all(_WORD.match(k) for k in keys)  # every short form opens with a word character

    def tokens(self, text: str, query: bool = False) -> list[str]:
        if not query:  # the ingest's texts: seen once, not remembered
            return self._tokens(text, False)
        hit = self._query_memo.get(text)
        if hit is None:
            if len(self._query_memo) >= 50_000:
                self._query_memo.clear()
            hit = self._query_memo[text] = tuple(self._tokens(text, True))
        return list(hit)

    @classmethod
    def default_stopwords(cls) -> frozenset[str]:
        return frozenset(
            l.strip() for l in _resource("stopwords_vi.txt").splitlines() if l.strip() and not l.startswith("#")
        )

    @classmethod
    def for_corpus(cls, texts: list[str], abbreviations: dict[str, str] | None = None) -> Analyzer:
        """Analyzer whose stop words and abbreviations fit this corpus."""
        forms: set[str] = set()  # perf (issue 13): each distinct word folded once, not each occurrence
        for text in texts:
            forms.update(_WORD.findall(nfc(text).lower()))
        return cls._fitted(forms, abbreviations if abbreviations is not None else mine_abbreviations(texts))

    @classmethod
    def for_corpus_parts(cls, texts: Sequence[tuple[str, ...]]) -> Analyzer:
        """``for_corpus`` of texts given as parts joined by newlines (a clause's breadcrumb,
        context and text: ``Chunk.embedding_text``, its empty parts left out). perf (issue
        13): the words of a part before a text's last one (a breadcrumb, a context: shared
        by siblings) read once; the words of a text are its parts' (no word, and no NFC
        composition or final sigma, crosses a newline). The abbreviations are mined from
        each part, the parts shared read once, in the texts' order (the first definition
        found stays): a definition stands within one line, except one whose "(sau đây gọi
        tắt là" ends a part, whose text is read whole."""
        forms: set[str] = set()
        seen: set[str] = set()
        mined: list[str] = []
        for parts in texts:
            *shared, last = [p for p in parts if p] or [""]
            for p in shared:
                if p not in seen:
                    seen.add(p)
                    forms.update(_WORD.findall(nfc(p).lower()))
                    mined.append(p)
            forms.update(_WORD.findall(nfc(last).lower()))
            if any(_OPEN_DEFINITION.search(p) for p in shared):
                mined.append("\n".join([*shared, last]))
            else:
                mined.append(last)
        return cls._fitted(forms, mine_abbreviations(mined))

    @classmethod
    def _fitted(cls, forms: set[str], mined: dict[str, str]) -> Analyzer:
        """The analyzer of a corpus with these words (lower-cased NFC) and abbreviations."""
        stop = cls.default_stopwords()
        variants: dict[str, set[str]] = {}
        for w in forms:
            variants.setdefault(fold(w), set()).add(w)
        stop_folded = frozenset(f for f, forms in variants.items() if forms and forms <= stop)
        table = curated_abbreviations()
        table.update(mined)
        return cls(table, stop, stop_folded)

    def _expansions(self, text: str, folded: str | None = None) -> list[str]:
        """Expansions of the abbreviations in text (``folded``: its fold_aligned, when the
        caller has it). A short form that could be a syllable ("AI" / "ai" = who) counts
        only when written with two capitals or more ("AI", "IoT"; not the "Ai" that opens
        "Ai ký …")."""
        if self._abbr is None:
            return []
        folded = fold_aligned(text) if folded is None else folded
        out = []
        for m in self._abbr.finditer(folded):
            key = m.group(1)
            written = text[m.start(1) : m.end(1)]
            if _VOWELS.search(key) and sum(c.isupper() for c in written) < 2:  # "AI", not "Ai ký …"
                continue
            out.append(self.abbreviations[key])
        return out

    def _tokens(self, text: str, query: bool) -> list[str]:
        text = nfc(text)
        lower = text.lower()
        if _COMBINING.search(lower) is None and type(self)._syllable_tokens is Analyzer._syllable_tokens:
            return self._local_tokens(text, lower, query)
        syllables = _WORD.findall(lower)
        folded = _WORD.findall(fold(lower))  # fold keeps NFC text's length and word boundaries
        if len(folded) != len(syllables):
            folded = [fold(s) for s in syllables]
        out = self._syllable_tokens(syllables, accented=not query or folded != syllables, folded=folded)
        for expansion in self._expansions(text):
            out += self._syllable_tokens(_WORD.findall(expansion.lower()), accented=False)
        return out

    def _syllable(self, s: str) -> tuple[str, bool, str | None, str | None]:
        f = fold(s)
        stop = s in self.stop_accented if s != f or s in self.stop_accented else f in self.stop_folded
        entry = (f, stop, None if stop else f, "~" + s if s != f and not stop else None)
        if len(self._syllables) >= 500_000:
            self._syllables.clear()
        self._syllables[s] = entry
        return entry

    def _local_tokens(self, text: str, lower: str, query: bool) -> list[str]:
        """``_tokens`` of an NFC text without combining marks, where every syllable folds on
        its own (the fold of the text is the join of its characters' folds): each
        syllable's fold and stop test from the memo, the same tokens in the same order.
        perf (issue 13, scale: an ingest tokenizes every clause three times)."""
        syllables = _WORD.findall(lower)
        get = self._syllables.get
        entries = [get(s) or self._syllable(s) for s in syllables]
        out = [e[2] for e in entries if e[2] is not None]
        if not query or any(e[0] != s for e, s in zip(entries, syllables)):
            out += [e[3] for e in entries if e[3] is not None]
        if self.bigrams:
            out += [a[0] + "_" + b[0] for a, b in zip(entries, entries[1:]) if not (a[1] and b[1])]
        if self._abbr is not None and (not self._all_heads or not self._heads.isdisjoint([e[0] for e in entries])):
            # (a short form opens with a whole folded syllable: none of them here, no expansion)
            folded = lower.translate(_FOLD_TABLE)  # = fold_aligned(text): same length, no combining mark
            for expansion in self._expansions(text, folded):
                out += self._syllable_tokens(_WORD.findall(expansion.lower()), accented=False)
        return out

    def _syllable_tokens(self, syllables: list[str], accented: bool, folded: list[str] | None = None) -> list[str]:
        folded = folded if folded is not None else [fold(s) for s in syllables]
        stop = [
            s in self.stop_accented if s != f or s in self.stop_accented else f in self.stop_folded
            for s, f in zip(syllables, folded)
        ]
        out = [f for f, is_stop in zip(folded, stop) if not is_stop]
        if accented:
            out += ["~" + s for s, f, is_stop in zip(syllables, folded, stop) if s != f and not is_stop]
        if self.bigrams:
            out += [a + "_" + b for a, b, sa, sb in zip(folded, folded[1:], stop, stop[1:]) if not (sa and sb)]
        return out

    def to_json(self) -> dict:
        return {
            "abbreviations": self.abbreviations,
            "stop_accented": sorted(self.stop_accented),
            "stop_folded": sorted(self.stop_folded),
            "bigrams": self.bigrams,
        }

    @classmethod
    def from_json(cls, data: dict) -> Analyzer:
        return cls(
            data["abbreviations"], frozenset(data["stop_accented"]), frozenset(data["stop_folded"]), data["bigrams"]
        )


def feedback_terms(
    feedback: list[tuple[frozenset[str], float]], idf, exclude: set[str], n: int, min_docs: int = 2
) -> dict[str, float]:
    """Pseudo-relevance feedback (in the manner of RM3): the terms the top documents share,
    each weighed by the summed scores of the documents holding it times its IDF; terms of
    the query itself, and terms found in fewer than ``min_docs`` of the documents, are left
    out. The n best, their weights scaled to at most 1."""
    weight: dict[str, float] = {}
    count: dict[str, int] = {}
    for terms, score in feedback:
        for t in terms:
            if t not in exclude and not t.startswith("~"):
                weight[t] = weight.get(t, 0.0) + score
                count[t] = count.get(t, 0) + 1
    ranked = sorted(((w * idf(t), t) for t, w in weight.items() if count[t] >= min_docs), reverse=True)[:n]
    top = ranked[0][0] if ranked else 1.0
    return {t: w / top for w, t in ranked}


class _Numbering(dict):
    """Token -> id, a new token taking the next id when first looked up (the ids
    ``dict.setdefault(t, len(d))`` gives, in the same order)."""

    def __missing__(self, token: str) -> int:
        value = self[token] = len(self)
        return value


class LexicalIndex:
    """bm25s over analyzed chunk texts; row i is chunk i of the chunk table."""

    def __init__(self, analyzer: Analyzer, bm25: bm25s.BM25 | StoredBM25, doc_freq: dict[str, int] | None = None):
        self.analyzer = analyzer
        self.bm25 = bm25
        self._vocab = bm25.vocab_dict
        self.doc_freq = doc_freq or {}
        self.num_docs = int(bm25.scores["num_docs"])
        self._idf: dict[str, float] = {}  # perf (issue 13): the same terms, question after question
        self.token_ids: TokenIds | None = None  # the build's analysis kept (build_parts's keep)

    @classmethod
    def build(cls, texts: list[str], analyzer: Analyzer) -> LexicalIndex:
        """The index of the texts (``build_parts`` of each text whole)."""
        return cls.build_parts([(t,) for t in texts], analyzer)

    @classmethod
    def build_parts(cls, texts: Sequence[tuple[str, ...]], analyzer: Analyzer, keep: bool = False) -> LexicalIndex:
        """The index of texts given as parts joined by newlines (a clause's breadcrumb,
        context and text: ``Chunk.embedding_text``), the index bm25s builds from their
        tokens. perf (issue 13, scale): the tokens of every text made at once as ids
        (retrieval/corpus_tokens.py), the matrix built with array operations
        (retrieval/bm25_build.py); each token's document frequency is its column's
        length (every token of a clause scores there: BM25's idf and term weight are
        positive)."""
        from .bm25_build import bm25_of, index_of
        from .corpus_tokens import TokenIds

        tokenizer = TokenIds(analyzer)
        if keep:  # (``token_ids``: each text's last part split, for the profiles; perf, issue 13)
            tokenizer.keep_texts()
        scores, vocab = index_of(tokenizer.batches(texts), tokenizer.strings, tokenizer.token)
        bm25 = bm25_of(scores, vocab)
        columns = np.diff(np.asarray(bm25.scores["indptr"], dtype=np.int64)).tolist()
        df = {t: columns[i] for t, i in bm25.vocab_dict.items() if i < len(columns)}
        index = cls(analyzer, bm25, df)
        index.token_ids = tokenizer if keep else None
        return index

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unseen tokens weigh the most."""
        got = self._idf.get(token)
        if got is None:
            if len(self._idf) >= 200_000:
                self._idf.clear()
            got = self._idf[token] = float(np.log((self.num_docs + 1) / (self.doc_freq.get(token, 0) + 0.5)))
        return got

    def scores(self, query: str, readings=None, foreign_weight: float = 1.0) -> np.ndarray:
        """BM25 scores of a question; readings (retrieval/readings.py): a question typed
        without marks is searched for the word its neighbours read ("han trinh": hạn).
        ``foreign_weight``: what the folded syllables of words the documents never write
        weigh (``foreign_folds``: "bọn" of a chat question, whose fold "bon" the documents
        use only as "bốn"); 1: as any other term."""
        tokens = self.analyzer.tokens(query, query=True)
        if readings is not None and not has_diacritics(query):
            tokens = readings.tokens(query, tokens)
        tokens = [t for t in tokens if t in self._vocab]
        if not tokens:
            return np.zeros(self.bm25.scores["num_docs"], dtype=np.float32)
        foreign = self.foreign_folds(query) if foreign_weight != 1.0 else frozenset()
        if foreign & set(tokens):
            own = [t for t in tokens if t not in foreign]
            out = self.bm25.get_scores(own) if own else np.zeros(self.num_docs, dtype=np.float32)
            if foreign_weight > 0:
                out = out + foreign_weight * self.bm25.get_scores([t for t in tokens if t in foreign])
            return out
        return self.bm25.get_scores(tokens)

    def foreign_folds(self, query: str) -> frozenset[str]:
        """The folded syllables of a question typed with tone marks that stand there only
        for a syllable the documents never write with those marks (tone placement aside:
        "hoá" is "hóa"): "bọn", "chứ", "cô" of a chat question, whose folds the documents
        use as "bốn", "chủ", "có". Their folded term would match those other words. A fold
        that another syllable of the question also gives as the documents write it is not
        one of them."""
        if not has_diacritics(query):
            return frozenset()
        vocab = self._vocab
        foreign: set[str] = set()
        kept: set[str] = set()
        for s in _WORD.findall(nfc(query).lower()):
            f = fold(s)
            if f == s or any("~" + v in vocab for v in tone_placements(s)):
                kept.add(f)
            else:
                foreign.add(f)
        return frozenset(foreign - kept)

    def weighted_scores(self, weights: dict[str, float]) -> np.ndarray:
        """BM25 scores of a query whose terms weigh differently (an expansion): the sum
        over terms of weight × the term's BM25 score. Terms outside the vocabulary count
        for nothing."""
        total = np.zeros(self.num_docs, dtype=np.float32)
        by_weight: dict[float, list[str]] = {}
        for t, w in weights.items():
            if t in self._vocab and w > 0:
                by_weight.setdefault(round(w, 3), []).append(t)
        for w, tokens in by_weight.items():
            total += w * self.bm25.get_scores(tokens)
        return total

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.bm25.save(str(folder), show_progress=False)
        (folder / "analyzer.json").write_text(json.dumps(self.analyzer.to_json(), ensure_ascii=False), "utf-8")
        (folder / "doc_freq.json").write_text(json.dumps(self.doc_freq, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        analyzer = Analyzer.from_json(json.loads((folder / "analyzer.json").read_text("utf-8")))
        doc_freq = json.loads((folder / "doc_freq.json").read_text("utf-8"))
        from .bm25_files import StoredBM25

        # perf (issue 13): bm25s's files scored without importing bm25s, to the same bits
        bm25 = StoredBM25.load(folder)
        if bm25 is None:
            import bm25s

            bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(analyzer, bm25, doc_freq)
