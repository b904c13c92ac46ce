"""Issue 13 (warm batch p95): whether the documents write some words one after another is
read through each word's positions (abstention.RunIndex), not by scanning every run at
each call; it says what the scan says, on the real documents. No timing is asserted."""

from __future__ import annotations

import random

import pytest

from assistant import abstention
from assistant.abstention import _RUN_BREAK, _WORDS, RunIndex, written_in, written_runs
from retrieval.text import fold


@pytest.fixture(scope="module")
def joined(corpus_app):
    return written_runs(c.text for c in corpus_app.searcher.table.chunks)


def _scan(joined: str, words: str) -> bool:
    pieces = (" ".join(_WORDS.findall(p)) for p in _RUN_BREAK.split(fold(words).lower()))
    return all(f" {said} " in joined for said in pieces if said)


def test_the_index_says_what_the_scan_says(corpus_app, joined):
    written = written_in(joined)
    rng = random.Random(13)
    texts = [c.text for c in corpus_app.searcher.table.chunks]
    probes = []
    for text in rng.sample(texts, 200):
        words = text.split()
        for _ in range(6):
            i = rng.randrange(len(words))
            probes.append(" ".join(words[i : i + rng.randint(1, 9)]))
    # words of different clauses joined: mostly not written one after another
    probes += [f"{rng.choice(texts).split()[-1]} {rng.choice(texts).split()[0]}" for _ in range(200)]
    said = [_scan(joined, p) for p in probes]
    assert 300 < sum(said) < len(said)  # both answers are probed
    assert [written(p) for p in probes] == said


def test_runs_do_not_join_across_their_breaks(joined):
    index = RunIndex(" | a b | c d | ")
    assert index.holds(["a", "b"]) and index.holds(["c"]) and index.holds(["b"])
    assert not index.holds(["b", "c"])  # two runs: "b | c"
    assert not index.holds(["a", "c"]) and not index.holds(["x"]) and not index.holds(["d", "e"])
    written = written_in(joined)
    assert written("nghị quyết") and written("Nghị quyết, nghị quyết")  # piece by piece
    assert not written("nghị quyết không có ở đâu cả")


def test_beyond_the_indexed_size_the_runs_are_scanned(monkeypatch, joined):
    monkeypatch.setattr(abstention, "WRITTEN_INDEXED_UP_TO", 10)
    built = []
    monkeypatch.setattr(abstention, "RunIndex", lambda j: built.append(j))
    written = written_in(joined)
    assert not built
    assert written("nghị quyết") and not written("nghị quyết không có ở đâu cả")


def _longest_by_every_stretch(asked, written) -> int:
    run = 0
    for i in range(len(asked)):
        for j in range(len(asked), i + max(run, abstention.YEAR_STRETCH - 1), -1):
            if written(" ".join(asked[i:j])):
                run = j - i
                break
    return run


def test_the_longest_written_stretch_is_the_one_every_stretch_gives(corpus_app, joined):
    from assistant.abstention import _SYLLABLE, _longest_written

    written = written_in(joined)
    calls = []

    def counted(words: str) -> bool:
        calls.append(words)
        return written(words)

    rng = random.Random(20)
    texts = [c.text for c in corpus_app.searcher.table.chunks]
    asks = []
    for text in rng.sample(texts, 150):  # stretches the documents write, framed by other words
        words = _SYLLABLE.findall(fold(text).lower())
        i = rng.randrange(len(words))
        asks.append(
            ("den", "nam", "2030", "co", "bao", "nhieu", *words[i : i + rng.randint(3, 14)], "va", "the", "nao")
        )
    asks.append(tuple(_SYLLABLE.findall(fold("đến năm 2030 nhóm bao nhiêu nước dẫn đầu thế giới về đổi mới sáng tạo"))))
    # a syllable not read back as itself ("nghị" folds to "nghi"): every stretch is tried
    asks.append(("nghị", "quyet", "ve", "phat", "trien", "khoa", "hoc", "cong", "nghe"))
    found = []
    for asked in asks:
        calls.clear()
        got = _longest_written(asked, counted)
        fewer = len(calls)
        assert got == _longest_by_every_stretch(asked, written), asked
        found.append(got)
        if asked[0] != "nghị":
            assert fewer <= len(asked) * 2 + 8  # starts passed by, the longest found by halving
    assert sum(f >= abstention.YEAR_STRETCH for f in found) > 50
