"""What opening a searcher reads back instead of computing (issue 13: cold start) equals
what it would compute: the per-clause values (the headings' years, the folded openings)
kept beside the index, and the parsed synonym groups kept beside the resources; a missing,
stale or damaged file is computed again."""

from __future__ import annotations

import dataclasses

import retrieval.synonyms as synonyms_module
from retrieval import derived, search
from retrieval.searcher import chunks_digest, clause_values
from retrieval.store import ChunkTable
from retrieval.synonyms import Synonyms, default_synonyms

QUESTIONS = [
    "Nghị quyết 57 đặt mục tiêu gì đến năm 2030?",
    "startup sáng tạo được hỗ trợ ra sao",
    "AI và chuyen doi so trong co quan nha nuoc",
    "ai ký nghị quyết 03",
    "kinh phí cho nghiên cứu khoa học",
]


def test_the_clause_values_are_read_back_as_computed_and_recomputed_for_other_chunks(corpus_app, tmp_path, monkeypatch):
    live = corpus_app.table
    gen = tmp_path / "gen-x"
    table = ChunkTable(gen, live.manifest, live.chunks)  # the generation's chunks, an index folder of its own
    fresh = search.clause_values(live.chunks)
    assert fresh.scope == [search.scope_years(c) for c in live.chunks] and len(fresh.lead) == len(live.chunks)
    built = []
    real = search.clause_values
    monkeypatch.setattr(search, "clause_values", lambda chunks: built.append(1) or real(chunks))
    first = clause_values(table)
    again = clause_values(table, chunks_digest(table))
    assert len(built) == 1 and list((tmp_path / derived.DERIVED_DIR).glob("clauses-*.pickle"))
    assert first == again == fresh
    changed = ChunkTable(
        gen, live.manifest, [dataclasses.replace(live.chunks[0], text="1. Đến năm 2045"), *live.chunks[1:]]
    )
    got = clause_values(changed)
    assert len(built) == 2 and got.scope[0] == frozenset({"2045"})  # another text: computed, not read
    assert len(list((tmp_path / derived.DERIVED_DIR).glob("clauses-*"))) == 1  # the old value let go


def test_the_opened_searcher_holds_the_values_it_would_compute(corpus_app):
    searcher = corpus_app.searcher
    fresh = search.clause_values(searcher.table.chunks)
    assert searcher._scope == fresh.scope and searcher._lead == fresh.lead  # noqa: SLF001


def _parsed() -> Synonyms:
    folder = synonyms_module._RESOURCES  # noqa: SLF001
    stop = frozenset(
        w.strip()
        for w in (folder / "stopwords_vi.txt").read_text("utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    )
    return Synonyms.parse((folder / "synonyms.tsv").read_text("utf-8"), stop)


def _same(a: Synonyms, b: Synonyms) -> None:
    assert a.tables() == b.tables()
    assert a._accented[1].phrases == b._accented[1].phrases  # noqa: SLF001
    assert a._folded[1].phrases == b._folded[1].phrases  # noqa: SLF001
    for q in QUESTIONS:
        assert a.matches(q) == b.matches(q) and a.expansions(q) == b.expansions(q)
    assert a.knows("Startup") == b.knows("Startup")


def test_the_kept_synonyms_are_the_parsed_ones_and_a_stale_or_damaged_file_is_parsed_again(tmp_path, monkeypatch):
    parsed = _parsed()
    monkeypatch.setattr(synonyms_module, "_KEPT_DIR", tmp_path)
    default_synonyms.cache_clear()
    try:
        written = default_synonyms()  # nothing kept: parsed, and written
        (kept,) = tmp_path.glob("synonyms.*.marshal")
        default_synonyms.cache_clear()
        read = default_synonyms()  # read back
        _same(written, parsed)
        _same(read, parsed)
        calls = []
        real = Synonyms.parse.__func__
        monkeypatch.setattr(Synonyms, "parse", classmethod(lambda cls, *a: calls.append(1) or real(cls, *a)))
        default_synonyms.cache_clear()
        default_synonyms()
        assert calls == []  # the kept file was read
        import marshal

        stamp, tables = marshal.loads(kept.read_bytes())
        kept.write_bytes(marshal.dumps(("another stamp", tables)))  # stale: another resource or code
        default_synonyms.cache_clear()
        _same(default_synonyms(), parsed)
        assert calls == [1] and marshal.loads(kept.read_bytes())[0] == stamp  # parsed, written back
        kept.write_bytes(b"\x00damaged")
        default_synonyms.cache_clear()
        _same(default_synonyms(), parsed)
        assert calls == [1, 1]
    finally:
        default_synonyms.cache_clear()
