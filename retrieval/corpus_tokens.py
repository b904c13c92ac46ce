"""Many texts analyzed at once into token ids (issue 13, scale: an ingest of 100,000
clauses analyzed each clause three times, a Python string per token and per bigram).

``TokenIds`` gives, for a list of texts (each a tuple of parts joined by a newline, as
``Chunk.embedding_text`` joins the breadcrumb, the context and the text), every text's
tokens — the very tokens ``Analyzer.tokens`` gives, in the same order — as provisional
ids of one numbering, end to end. Each distinct syllable is folded and tested once (the
analyzer's own ``_syllable``); a text is only split into its syllables in Python, and
the unigrams, accented syllables and bigrams of every text are then made with array
operations, a bigram's string built once per distinct bigram. Parts before a text's last
one (a breadcrumb, a context: shared by siblings) are split once. A text whose parts are
not all plain NFC without combining marks (or an analyzer of another type) is analyzed
by ``Analyzer.tokens`` itself. tests/perf/test_corpus_tokens.py compares the two.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np

from .lexical import _WORD, Analyzer
from .text import _COMBINING, _FOLD_TABLE, nfc

BATCH = 4096  # texts whose arrays are made at a time
MEMO = 200_000  # shared parts remembered (split again after)


class TokenIds:
    """Token strings numbered as they are first made (``strings[id]``), and the syllable
    table of an analyzer: each distinct syllable's fold, stop test and tokens."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []
        self._plain = type(analyzer) is Analyzer  # a subclass may analyze otherwise: tokens() then
        self._syl: dict[str, int] = {}
        self._fold = array("i")  # syllable -> its fold's index in _folds
        self._stop = bytearray()
        self._uni = array("i")  # syllable -> its unigram's token id (-1: a stop word)
        self._acc = array("i")  # syllable -> its accented token's id (-1: none)
        self._folds: dict[str, int] = {}
        self._fold_strings: list[str] = []
        self._heads: set[int] = set()  # syllables whose fold opens a short form
        # the bigrams met: their keys (their folds' indexes, ``first << 32 | second``)
        # sorted, and their token ids (perf, issue 13: looked up a batch at a time; a
        # dict of them took ~100 bytes a bigram, millions at 100,000 clauses)
        self._bigram_keys = np.zeros(0, dtype=np.int64)
        self._bigram_tokens = np.zeros(0, dtype=np.int32)
        # a text's last part as split by one pass, for the next pass over the same texts
        # (``keep_texts``): the ingest's BM25 build splits every clause's text, the
        # reranker's profiles then read them from here (perf, issue 13)
        self._kept: dict[str, tuple[array, array] | None] | None = None
        self._keeping = False

    def keep_texts(self) -> None:
        """Remember each text's last part as the next ``batches`` split it (from then on
        the parts remembered are read, not split again)."""
        self._kept, self._keeping = {}, True

    def forget_texts(self) -> None:
        self._kept, self._keeping = None, False

    def _last(self, text: str) -> tuple[array, array] | tuple[list[int], list[int]] | None:
        """``_part`` of a text's last part (remembered, or read from what was)."""
        kept = self._kept
        if kept is None:
            return self._part(text)
        if not self._keeping and text in kept:
            return kept[text]
        got = self._part(text)
        if self._keeping:
            kept[text] = None if got is None else (array("i", got[0]), array("i", got[1]))
        return got

    def token(self, token: str) -> int:
        got = self.ids.get(token)
        if got is None:
            got = self.ids[token] = len(self.strings)
            self.strings.append(token)
        return got

    def _syllable(self, s: str) -> int:
        a = self.analyzer
        f, stop, uni, acc = a._syllables.get(s) or a._syllable(s)  # noqa: SLF001 - the analyzer's own test
        k = self._syl[s] = len(self._stop)
        fk = self._folds.get(f)
        if fk is None:
            fk = self._folds[f] = len(self._fold_strings)
            self._fold_strings.append(f)
        self._fold.append(fk)
        self._stop.append(1 if stop else 0)
        self._uni.append(-1 if uni is None else self.token(uni))
        self._acc.append(-1 if acc is None else self.token(acc))
        if f in a._heads:  # noqa: SLF001
            self._heads.add(k)
        return k

    def _part(self, text: str) -> tuple[list[int], list[int]] | None:
        """A part's syllables (their indexes) and the ids of its expansions' tokens, or None
        when it is not plain (``Analyzer._local_tokens`` does not analyze it)."""
        a = self.analyzer
        text = nfc(text)
        lower = text.lower()
        if _COMBINING.search(lower) is not None:
            return None
        syllables = _WORD.findall(lower)
        idx = list(map(self._syl.get, syllables, repeat(-1)))
        if -1 in idx:
            idx = [
                k if k >= 0 else self._syl[w] if w in self._syl else self._syllable(w) for k, w in zip(idx, syllables)
            ]
        expanded: list[int] = []
        if a._abbr is not None and (not a._all_heads or not self._heads.isdisjoint(idx)):  # noqa: SLF001
            for expansion in a._expansions(text, lower.translate(_FOLD_TABLE)):  # noqa: SLF001
                words = _WORD.findall(expansion.lower())
                expanded += map(self.token, a._syllable_tokens(words, accented=False))  # noqa: SLF001
        return idx, expanded

    def texts(self, texts: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Each text's token ids (``Analyzer.tokens`` of its parts joined by newlines, in
        that order) end to end, and where each text starts (int64, one more than texts)."""
        flats, sizes = [], []
        for flat, lengths in self.batches(texts):
            flats.append(flat)
            sizes.append(lengths)
        lengths = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        return (np.concatenate(flats) if flats else np.zeros(0, np.int32)), indptr

    def batches(self, texts: Iterable[Sequence[str]], size: int = BATCH):
        """``texts`` a batch of ``size`` texts at a time: each batch's token ids end to end
        and each text's count of them (the arrays of one batch at a time: at 100,000
        clauses the whole corpus's temporaries took a gigabyte)."""
        syllables, n_syl = array("i"), array("q")
        expanded, n_exp = array("i"), array("q")
        direct, n_dir = array("i"), array("q")
        memo: dict[str, tuple[list[int], list[int]] | None] = {}
        for parts in texts:
            got: list[tuple[Sequence[int], Sequence[int]] | None] = []
            if self._plain:
                for j, p in enumerate(parts):
                    if j < len(parts) - 1:  # a shared part: split once
                        if p in memo:
                            got.append(memo[p])
                            continue
                        if len(memo) >= MEMO:
                            memo.clear()
                        memo[p] = self._part(p)
                        got.append(memo[p])
                    else:
                        got.append(self._last(p))
            if not self._plain or any(g is None for g in got):
                tokens = self.analyzer.tokens("\n".join(parts))
                direct.extend(map(self.token, tokens))
                n_dir.append(len(tokens))
                n_syl.append(0)
                n_exp.append(0)
            else:
                n = e = 0
                for g in got:
                    assert g is not None  # (not None here)
                    idx, exp = g
                    syllables.extend(idx)
                    expanded.extend(exp)
                    n += len(idx)
                    e += len(exp)
                n_syl.append(n)
                n_exp.append(e)
                n_dir.append(0)
            if len(n_syl) >= size:
                yield self._assemble(syllables, n_syl, expanded, n_exp, direct, n_dir)
                syllables, n_syl = array("i"), array("q")
                expanded, n_exp = array("i"), array("q")
                direct, n_dir = array("i"), array("q")
        memo.clear()
        self._keeping = False  # (what was kept is read from now on)
        if len(n_syl):
            yield self._assemble(syllables, n_syl, expanded, n_exp, direct, n_dir)

    def _bigram_strings(self, keys: list[int]) -> list[str]:
        fs = self._fold_strings
        return [fs[k >> 32] + "_" + fs[k & 0xFFFFFFFF] for k in keys]

    def _tokens_of(self, made: list[str]) -> np.ndarray:
        """``token`` of each string, in order (perf, issue 13: strings none of which is
        numbered yet, each once, are numbered in one go; the same ids)."""
        ids = self.ids
        if len(set(made)) == len(made) and ids.keys().isdisjoint(made):
            first = len(self.strings)
            ids.update(zip(made, range(first, first + len(made))))
            self.strings.extend(made)
            return np.arange(first, first + len(made), dtype=np.int32)
        return np.fromiter(map(self.token, made), dtype=np.int32, count=len(made))

    def _bigram_ids(self, keys: np.ndarray) -> np.ndarray:
        """The token ids of bigrams given as ``first fold << 32 | second fold``, sorted and
        distinct (each bigram's string made once: when first met, in the keys' order)."""
        known = self._bigram_keys
        at = np.searchsorted(known, keys)
        hit = at < len(known)
        hit[hit] = known[at[hit]] == keys[hit]
        got = np.empty(len(keys), dtype=np.int32)
        got[hit] = self._bigram_tokens[at[hit]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            new = keys[miss]
            made = self._tokens_of(self._bigram_strings(new.tolist()))
            got[miss] = made
            where = at[miss]  # (ascending, as the keys: the tables stay sorted)
            self._bigram_keys = np.insert(known, where, new)
            self._bigram_tokens = np.insert(self._bigram_tokens, where, made)
        return got

    def _assemble(self, syllables, n_syl, expanded, n_exp, direct, n_dir) -> tuple[np.ndarray, np.ndarray]:
        """The texts' tokens, in ``_local_tokens``'s order: unigrams, accented syllables,
        bigrams, expansions (a text analyzed whole: its tokens as they came); and each
        text's count of them."""
        n_texts = len(n_syl)
        s = np.frombuffer(syllables, dtype=np.int32) if len(syllables) else np.zeros(0, np.int32)
        lengths = np.frombuffer(n_syl, dtype=np.int64) if n_texts else np.zeros(0, np.int64)
        owner = np.repeat(np.arange(n_texts, dtype=np.int32), lengths)
        # (copies: the tables grow while a batch's arrays live)
        uni_of = np.array(self._uni, dtype=np.int32)
        acc_of = np.array(self._acc, dtype=np.int32)
        stop_of = np.frombuffer(bytes(self._stop), dtype=np.uint8).astype(bool)
        fold_of = np.array(self._fold, dtype=np.int32)
        kinds: list[tuple[np.ndarray, np.ndarray]] = []  # (owner, ids) by kind, in order

        def ints(buf) -> np.ndarray:
            return np.frombuffer(buf, dtype=np.int32) if len(buf) else np.zeros(0, np.int32)

        def counts(buf) -> np.ndarray:
            return np.frombuffer(buf, dtype=np.int64) if len(buf) else np.zeros(0, np.int64)

        kinds.append((np.repeat(np.arange(n_texts, dtype=np.int32), counts(n_dir)), ints(direct)))
        uni = uni_of[s]
        keep = uni >= 0
        kinds.append((owner[keep], uni[keep]))
        del uni
        acc = acc_of[s]
        keep = acc >= 0
        kinds.append((owner[keep], acc[keep]))
        del acc, keep
        if self.analyzer.bigrams and len(s) > 1:
            stop = stop_of[s]
            pair = (owner[1:] == owner[:-1]) & ~(stop[1:] & stop[:-1])
            del stop
            folds = fold_of[s]
            keys = folds[:-1][pair].astype(np.int64) << 32
            keys |= folds[1:][pair]
            del folds
            distinct, inverse = np.unique(keys, return_inverse=True)
            del keys
            made = self._bigram_ids(distinct)
            kinds.append((owner[:-1][pair], made[inverse.ravel()]))
            del inverse, pair
        kinds.append((np.repeat(np.arange(n_texts, dtype=np.int32), counts(n_exp)), ints(expanded)))
        per_kind = [np.bincount(o, minlength=n_texts).astype(np.int64) for o, _ in kinds]
        total = np.sum(per_kind, axis=0) if per_kind else np.zeros(n_texts, np.int64)
        indptr = np.zeros(n_texts + 1, dtype=np.int64)
        np.cumsum(total, out=indptr[1:])
        out = np.empty(int(indptr[-1]), dtype=np.int32)
        base = indptr[:-1].copy()
        for (o, ids), count in zip(kinds, per_kind):
            if len(ids):
                before = np.zeros(n_texts, dtype=np.int64)  # where each text's run starts in ids
                np.cumsum(count[:-1], out=before[1:])
                place = np.arange(len(ids), dtype=np.int64)
                place += (base - before)[o]
                out[place] = ids
            base += count
        return out, total
