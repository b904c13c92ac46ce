"""Measure (not a test) underthesea's word segmentation against syllable bigrams as the
compound-word tokens of the lexical index, on eval/questions.jsonl; the project keeps
bigrams because they score better (see the closing notes). Needs the optional extra:
`pip install -e '.[segment]'`.

    python scripts/compare_segmentation.py
"""

from __future__ import annotations

import time

from underthesea import word_tokenize

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Message
from eval.dataset import load_questions
from eval.retrieval import evaluate_retrieval
from retrieval.lexical import Analyzer, LexicalIndex
from retrieval.text import fold, nfc


class SegmentedAnalyzer(Analyzer):
    """Our analyzer with underthesea's multi-syllable words instead of syllable bigrams."""

    def _syllable_tokens(self, syllables: list[str], accented: bool) -> list[str]:
        return [t for t in super()._syllable_tokens(syllables, accented) if "_" not in t]

    def tokens(self, text: str, query: bool = False) -> list[str]:
        words = word_tokenize(nfc(text))
        return super().tokens(text, query) + ["_".join(fold(w).split()) for w in words if " " in w]


def main() -> None:
    app = Assistant(Settings())
    searcher = app.searcher
    questions = load_questions()
    condense = lambda q, h: app.condense(q, [Message(**t) for t in h])  # noqa: E731
    texts = [c.embedding_text() for c in searcher.table.chunks]
    base = Analyzer.for_corpus(texts)
    for name, analyzer in [
        ("syllable bigrams", base),
        ("underthesea words", SegmentedAnalyzer(base.abbreviations, base.stop_accented, base.stop_folded, True)),
    ]:
        t0 = time.perf_counter()
        searcher.lexical = LexicalIndex.build(texts, analyzer)
        searcher._term_sets.clear()
        build = time.perf_counter() - t0
        report = evaluate_retrieval(lambda q, k: searcher.search(q, k), condense, app.table, questions)
        m = report.metrics()
        print(
            f"{name:<18} build {build:5.1f} s  recall@1 {m['recall@1']:.3f}  recall@5 {m['recall@5']:.3f}  "
            f"recall@10 {m['recall@10']:.3f}  MRR {m['mrr']:.3f}"
        )


if __name__ == "__main__":
    main()
