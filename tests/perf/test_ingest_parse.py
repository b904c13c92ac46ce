"""Issue 13, the ingest's parse: normalize tries each markup pattern only on a line holding
the character it needs, and the analyzer is fitted from the clauses' parts (a shared
breadcrumb or context read once). Both give exactly what the plain way gives, here kept
as the reference: on the corpus and on random texts full of markup."""

from __future__ import annotations

import random

from retrieval import normalize as norm
from retrieval.lexical import Analyzer
from retrieval.loading import load
from tests.support.corpus import SOURCES


def reference_normalize(raw: str) -> norm.NormalizedText:
    """normalize as it stood before the speed-up: every pattern on every line."""
    drop, strip = norm._junk_patterns()  # noqa: SLF001
    out: list[str] = []
    headings: set[int] = set()
    for line in norm.nfc(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.replace("\u00a0", " ").replace("\ufeff", "")
        is_heading = bool(norm._HEADING.match(line))  # noqa: SLF001
        line = norm._HEADING.sub("", line)  # noqa: SLF001
        stripped = line.strip()
        if stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4:
            is_heading = True
        if norm._RULE.match(line):  # noqa: SLF001
            line = ""
        line = norm._MD_BULLET.sub(r"\1- ", line)  # noqa: SLF001
        line = norm._LATEX_RE.sub(lambda m: norm._LATEX[m.group(0)], line)  # noqa: SLF001
        line = norm._MD_ESCAPE.sub(r"\1", line)  # noqa: SLF001
        line = norm._BOLD.sub("", line)  # noqa: SLF001
        line = norm._ITALIC.sub(r"\1", line)  # noqa: SLF001
        line = line.rstrip()
        if any(p.search(line.strip()) for p in drop):
            line = ""
        for p in strip:
            line = p.sub("", line.lstrip()) if p.search(line.lstrip()) else line
        if is_heading and line.strip():
            headings.add(len(out))
        out.append(line)
    out, headings, line_map = norm._join_broken_lines(out, headings)  # noqa: SLF001
    return norm.NormalizedText("\n".join(out), frozenset(headings), tuple(line_map))


def test_normalize_gives_what_every_pattern_on_every_line_gives():
    texts = [load(p).text for p in sorted(SOURCES.iterdir())]
    rng = random.Random(3)
    alphabet = list("ab cđ ệ*#\\_-=–—|:.()[]{}!+~<>`&\t") + ["**", "__", "\\geq", "\\%", "# ", "* ", "---", "\\*"]
    alphabet += ["ChatGPT", "cQD", "date 2024-01 x", "\u00a0", "\r\n", "x" * 41, " \\le "]
    for _ in range(3000):
        lines = ("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(1, 8)))
        texts.append("\n".join(lines))
    for text in texts:
        assert norm.normalize(text) == reference_normalize(text)


def _fitted(analyzer: Analyzer):
    return analyzer.to_json(), analyzer.stop_folded


def test_the_analyzer_fitted_from_the_parts_is_the_one_fitted_from_the_texts(corpus_app):
    parts = [(" › ".join(c.breadcrumb), c.context, c.text) for c in corpus_app.table.chunks]
    texts = [c.embedding_text() for c in corpus_app.table.chunks]
    assert _fitted(Analyzer.for_corpus_parts(parts)) == _fitted(Analyzer.for_corpus(texts))
    rng = random.Random(1)
    pieces = ["Trí tuệ nhân tạo (AI)", "(sau đây gọi tắt là", "(sau đây gọi tắt là  ", "KHCN)", "khoa học", "ΑΣ"]
    pieces += ["e\u0301", "", " ", "Chính phủ điện tử (CPĐT)", "\n", "x"]
    crossing = 0
    for _ in range(2000):
        n = rng.randint(1, 6)
        parts = [
            tuple("".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(3)) for _ in range(n)
        ]
        texts = ["\n".join(p for p in t if p) for t in parts]
        crossing += any("là\nKHCN)" in t or "là  \nKHCN)" in t for t in texts)
        assert _fitted(Analyzer.for_corpus_parts(parts)) == _fitted(Analyzer.for_corpus(texts))
    assert crossing  # (a definition whose short form stands on the next part was met)
