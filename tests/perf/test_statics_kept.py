"""The evidence scorer's per-chunk statics kept beside the index (issue 13: the first,
fresh ask of each question): what is read back equals what a question works out for the
chunk, the table is built once and read by the next process, and a process reads it only
once it has worked out a few chunks' statics itself (a cold ask of one question mostly
does not)."""

from __future__ import annotations

import marshal

from assistant import answering
from assistant.evidence import _read_statics, statics_key
from assistant.generation.base import Source
from retrieval import derived
from retrieval.store import ChunkTable


def _plain(statics):
    units, union = statics
    return [static[:9] for static in units], [dict(static[9]) for static in units], union


def test_the_kept_statics_are_what_each_chunk_works_out(corpus_app):
    scorer = corpus_app.answerer.scorer
    chunks = corpus_app.table.chunks
    kept, embedded = scorer.all_statics(chunks)
    assert set(kept) == {statics_key(c) for c in chunks}
    for chunk in chunks:
        plain = scorer._work_statics(Source(1, chunk, 0))  # noqa: SLF001
        units, saids, union = _plain(_read_statics(kept[statics_key(chunk)]))
        assert (units, union) == (_plain(plain)[0], plain[1])
        assert saids == [{}] * len(units)  # what each unit's text says: found afresh by the questions
        key = (chunk.text, chunk.context, tuple(chunk.breadcrumb))
        assert marshal.loads(embedded[key]) == scorer.token_set(chunk.embedding_text())


def test_the_table_is_built_once_and_read_back(corpus_app, tmp_path, monkeypatch):
    live = corpus_app.table
    # (a digest: as a table read from its chunks file has it)
    table = ChunkTable(tmp_path / "gen-x", live.manifest, live.chunks, source_digest="digest-of-gen-x")
    scorer = corpus_app.answerer.scorer
    analyzer = corpus_app.searcher.lexical.analyzer
    built = []
    real = scorer.all_statics
    monkeypatch.setattr(scorer, "all_statics", lambda chunks: built.append(1) or real(chunks))
    first = answering._statics_table(table, scorer, analyzer)  # noqa: SLF001
    again = answering._statics_table(table, scorer, analyzer)  # noqa: SLF001
    assert len(built) == 1 and first == again
    assert len(list((tmp_path / derived.DERIVED_DIR).glob("statics-*.pickle"))) == 1


def test_a_process_reads_the_table_once_after_working_out_a_few(corpus_app):
    scorer = type(corpus_app.answerer.scorer).__new__(type(corpus_app.answerer.scorer))
    scorer.__dict__.update({k: v for k, v in corpus_app.answerer.scorer.__dict__.items() if not k.startswith("_")})
    scorer._token_sets, scorer._folded = {}, {}  # noqa: SLF001
    chunks = corpus_app.table.chunks
    loads = []
    kept = scorer.all_statics(chunks)
    scorer.keep_statics(lambda: loads.append(1) or kept)
    for i, chunk in enumerate(chunks[: scorer.BULK_AFTER + 20]):
        got = scorer._statics(Source(1, chunk, 0))  # noqa: SLF001
        plain = scorer._work_statics(Source(1, chunk, 0))  # noqa: SLF001
        assert _plain(got) == _plain(plain)
        assert scorer.embedded_tokens(chunk) == frozenset(scorer.tokens(chunk.embedding_text()))
        assert len(loads) == (i + 1 >= scorer.BULK_AFTER)  # read once, and only after a few of its own


def test_the_answerer_keeps_the_statics_of_a_table_of_this_size(corpus_app):
    assert len(corpus_app.table.chunks) <= answering.STATICS_KEPT_UP_TO
    assert corpus_app.answerer.scorer.__dict__.get("_statics_load") is not None
