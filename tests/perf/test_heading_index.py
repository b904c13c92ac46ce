"""Issue 13 (scale): the heading index (retrieval/heading_index.py) holds every heading of
the tree in document order, and what it finds by class is what the scan of every heading
finds on the real documents: the tokens of a heading's text, the noun in its text, the
nouns numbered below it. Copies of the corpus under new ids fall in the corpus's classes,
one member per copy. It is kept beside the generation (written by the ingest of a large
table, or by the first process that makes it) and read back whole: a re-ingest's
generation has its own, and a damaged file is made again with a one-line warning. No
timing is asserted."""

from __future__ import annotations

import dataclasses
import logging
import shutil

import pytest

from assistant.api import Assistant
from assistant.doctree import DocumentTree
from assistant.tree import TreeAnswerer
from retrieval import heading_index
from retrieval.store import ChunkTable
from tests.support.corpus import SOURCES, make_settings

NOUNS = ["sang kien", "nhiem vu", "giai phap", "he thong", "muc tieu", "quan diem", "giai doan", "khong co"]


def _scan(answerer: TreeAnswerer):
    """The plain scan: every heading with items, its tokens, its text, the nouns below it."""
    tree = answerer.tree
    rows = []
    for doc in tree.documents():
        numbered = tree.numbered(doc)
        for head, kids in tree.heads(doc):
            parts = tree.parts(head)
            text = "\n".join(tree.folded(c) for c in parts)
            tokens = set(answerer.scorer.token_set(answerer._heading_text(head, lead=True)))  # noqa: SLF001
            nouns = {n for n, items in numbered.items() if any(c.path.startswith(head.path + ".") for c in items)}
            rows.append((doc, head.id, [k.id for k in kids], tokens, text, nouns))
    return rows


def _check(answerer: TreeAnswerer) -> None:
    index = answerer._heads_postings()  # noqa: SLF001
    rows = _scan(answerer)
    assert [(d, h.id, [k.id for k in kids]) for d, h, kids in index.entries] == [r[:3] for r in rows]
    assert all(index.by_id[h] == e for e, (_, h, _, _, _, _) in enumerate(rows))
    assert sorted(e for m in index.members for e in m) == list(range(len(rows)))
    tokens: dict[str, set[int]] = {}
    for e, (_, _, _, toks, _, _) in enumerate(rows):
        for t in toks:
            tokens.setdefault(t, set()).add(e)
    for t, want in tokens.items():
        assert {e for k in index.postings.get(t, ()) for e in index.members[k]} == want, t
    for noun in NOUNS:
        want = {e for e, r in enumerate(rows) if noun in r[4]}
        assert {e for k in index.containing(noun) for e in index.members[k]} == want, noun
        want = {e for e, r in enumerate(rows) if noun in r[5]}
        assert {e for k in index.numbered.get(noun, ()) for e in index.members[k]} == want, noun


def test_heading_index_is_the_scan_on_the_corpus(corpus_app):
    answerer = corpus_app.answerer.tree
    _check(answerer)
    index = answerer._heads_postings()  # noqa: SLF001
    assert len(index) > 50 and index.numbered.get("sang kien")


def test_copies_fall_in_the_corpus_classes(corpus_app):
    base = corpus_app.table.chunks
    chunks = list(base)
    copies = 3
    for k in range(1, copies):
        for c in base:
            rest = c.id.split(":", 1)[1]
            parent = f"{c.doc_id}-{k}:{c.parent_id.split(':', 1)[1]}" if c.parent_id else ""
            chunks.append(
                dataclasses.replace(c, id=f"{c.doc_id}-{k}:{rest}", doc_id=f"{c.doc_id}-{k}", parent_id=parent)
            )
    table = ChunkTable(corpus_app.table.generation, corpus_app.table.manifest, chunks)
    plain = corpus_app.answerer.tree
    answerer = TreeAnswerer(DocumentTree(table), plain.scorer, plain.prompts, plain.rules)
    _check(answerer)
    one = plain._heads_postings()  # noqa: SLF001
    index = answerer._heads_postings()  # noqa: SLF001
    assert index.classes == one.classes and len(index) == copies * len(one)
    for members in index.members:
        assert len(members) % copies == 0
        heads = [index.entries[e][1] for e in members]
        assert len({(h.path, h.text) for h in heads}) * copies == len(heads)


def _saved(app: Assistant) -> list:
    return sorted((app.table.generation.parent / "derived").glob("headings-*.marshal"))


def _fresh(app: Assistant) -> TreeAnswerer:
    """A tree answerer over the app's table as a new process makes it (nothing in memory)."""
    plain = app.answerer.tree
    return TreeAnswerer(DocumentTree(app.table), plain.scorer, plain.prompts, plain.rules)


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Each heading index made (not read back): its table's size."""
    made: list[int] = []
    real = heading_index.HeadingIndex.__init__

    def spy(self, tree, *args) -> None:
        made.append(len(tree.table.chunks))
        real(self, tree, *args)

    monkeypatch.setattr(heading_index.HeadingIndex, "__init__", spy)
    return made


@pytest.fixture
def large(monkeypatch):
    """Every table counts as large: the ingest keeps the heading index (the corpus's 891
    clauses stand for a million)."""
    monkeypatch.setattr(heading_index, "LARGE", 100)


def test_the_ingest_keeps_the_heading_index_and_a_new_process_reads_it(tmp_path, large, builds):
    app = Assistant(make_settings(tmp_path))
    app.ingest(progress=False)
    assert builds == [len(app.table.chunks)] and len(_saved(app)) == 1  # made once, by the ingest
    answerer = _fresh(app)
    assert "_postings" not in answerer.__dict__  # a kept one is not read at the start: on first use
    _check(answerer)  # read back: the scan's headings, tokens, texts and nouns
    assert builds == [len(app.table.chunks)]  # read, not made again
    made = heading_index.HeadingIndex(answerer.tree, *answerer._heading_callables())  # noqa: SLF001
    read = answerer._heads_postings()  # noqa: SLF001
    assert read.state(app.table.chunks) == made.state(app.table.chunks)
    assert [(d, h, k) for d, h, k in read.entries] == [(d, h, k) for d, h, k in made.entries]
    # a restored index finds an entry's document without making the entry: the same one
    assert isinstance(read.entries, heading_index._Entries)  # noqa: SLF001
    assert [read.entries.doc(e) for e in range(len(read))] == [d for d, _, _ in made.entries]
    docs = sorted({d for d, _, _ in made.entries})
    for skip in (set(), set(docs[::2]), set(docs[1:])):
        hit = set(range(0, len(made), 3))
        for k in range(made.classes):
            plain = next((e for e in made.members[k] if e not in hit and made.entries[e][0] not in skip), -1)
            assert read.first_eligible(k, skip, hit) == made.first_eligible(k, skip, hit) == plain
    assert read.by_id == made.by_id


def test_a_reingest_keeps_its_own_heading_index(tmp_path, large, builds):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    app = Assistant(make_settings(tmp_path, sources=sources))
    app.ingest(progress=False)
    first = _saved(app)
    path = sources / "kl-69-tw.md"
    text = path.read_text("utf-8")
    assert "Ban cán sự đảng Chính phủ lãnh đạo" in text
    path.write_text(text.replace("Ban cán sự đảng Chính phủ lãnh đạo", "Ban cán sự đảng Chính phủ dẫn dắt"), "utf-8")
    report = app.ingest(progress=False)
    assert report.updated and len(builds) == 2  # the new generation's made at its ingest
    second = _saved(app)
    assert len(second) == 1 and second != first  # the old generation's let go
    answerer = _fresh(app)
    _check(answerer)  # the new table's headings, read back
    assert len(builds) == 2
    index = answerer._heads_postings()  # noqa: SLF001
    assert any("dan dat" in " ".join(answerer.tree.words(k)) for _, _, kids in index.entries for k in kids)


def test_a_damaged_heading_index_is_made_again_with_a_one_line_warning(tmp_path, large, builds, caplog):
    app = Assistant(make_settings(tmp_path))
    app.ingest(progress=False)
    [path] = _saved(app)
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], b"not a heading index", b""):
        path.write_bytes(damaged)
        caplog.clear()
        made = len(builds)
        with caplog.at_level(logging.WARNING, logger="retrieval.heading_index"):
            answerer = _fresh(app)
            _check(answerer)
        warnings = [r for r in caplog.records if r.name == "retrieval.heading_index"]
        assert len(warnings) == 1 and "\n" not in warnings[0].getMessage() and path.name in warnings[0].getMessage()
        assert len(builds) == made + 1  # made again ...
        assert path.read_bytes() == good  # ... and kept again
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="retrieval.heading_index"):
        _check(_fresh(app))
    assert not caplog.records  # the file made again is read without a word


def test_another_scorer_over_the_same_table_has_another_key(corpus_app):
    """The key holds what the callables make of the table's headings: an answerer with
    other tokens never reads the index made with the generation's."""
    plain = corpus_app.answerer.tree
    other = TreeAnswerer(DocumentTree(corpus_app.table), plain.scorer, plain.prompts, plain.rules)
    other.scorer = type(plain.scorer)(lambda text: text.lower().split(), lambda t: 1.0)
    assert other._headings_key() != plain._headings_key()  # noqa: SLF001
    _check(other)
