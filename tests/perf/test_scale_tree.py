"""Issue 13 (scale): the tree answer finds the headings holding a noun's words in their
line, an item's or their parent's (tree.TreeAnswerer._posted, a search of the lines'
words joined once) exactly as the table of every word and pair of every such line did,
for every word and pair of the corpus's lines and for spellings that are neither."""

from __future__ import annotations


def _table(answerer) -> dict[str, set[int]]:
    """The plain table: each folded word and pair of words -> the headings."""
    tree = answerer.tree
    index = answerer._heads_postings()  # noqa: SLF001
    words: dict[str, set[int]] = {}
    for e, (_, head, kids) in enumerate(index.entries):
        parent = tree.parent(head)
        for line in [head, *kids, *([parent] if parent is not None else [])]:
            ws = tree.words(line)
            for w in {*ws, *map(" ".join, zip(ws, ws[1:]))}:
                words.setdefault(w, set()).add(e)
    return words


def test_posted_headings_are_the_word_table_of_the_lines(corpus_app):
    answerer = corpus_app.answerer.tree
    table = _table(answerer)
    assert len(table) > 1000
    for w, want in table.items():
        assert answerer._posted(w) == want, w  # noqa: SLF001
    for odd in ["", " ", "sang  kien", " sang kien", "sang kien ", "khong co tu nay", "sang kien dot pha x"]:
        assert answerer._posted(odd) == table.get(odd, set()), odd  # noqa: SLF001
