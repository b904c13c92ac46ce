"""fold() of decomposed text (combining marks left after NFC): the nonspacing marks are
removed by a translation table of the text's own characters (perf, issue 13), the very
text the character-by-character filter made."""

from __future__ import annotations

import random
import unicodedata

from retrieval.text import _fold, fold


def _by_character(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d")


def test_a_decomposed_text_folds_as_the_character_filter_folded_it(corpus_app):
    texts = [c.text for c in corpus_app.table.chunks[:300]]
    texts += [unicodedata.normalize("NFD", t) for t in texts]
    rng = random.Random(13)
    alphabet = [chr(c) for c in range(0x20, 0x2000)] + ["\u0301", "\u0323", "\u20d7", "\U0001d167", "Σ", "đ"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    slow = 0
    for text in texts:
        folded, local = _fold.__wrapped__(text)
        if not local and "Σ" not in text:
            slow += 1
            assert folded == _by_character(text)
        assert fold(text) == folded
    assert slow > 1000  # (the decomposed way was taken)
