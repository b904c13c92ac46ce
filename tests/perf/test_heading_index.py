"""Issue 13 (scale): the heading index (retrieval/heading_index.py) holds every heading of
the tree in document order, and what it finds by class is what the scan of every heading
finds on the real documents: the tokens of a heading's text, the noun in its text, the
nouns numbered below it. Copies of the corpus under new ids fall in the corpus's classes,
one member per copy. No timing is asserted."""

from __future__ import annotations

import dataclasses

from assistant.doctree import DocumentTree
from assistant.tree import TreeAnswerer
from retrieval.store import ChunkTable

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
