"""A long-lived Assistant (the UI, a server) follows the index between questions (issue 11,
item 5): a question in flight keeps the generation it started on, the next one uses the new
generation, and the old one is removed once nothing holds it."""

from __future__ import annotations

import time

import pytest

from assistant.api import Assistant
from retrieval.errors import IndexUnavailableError
from retrieval.index import IndexDir

QUESTION = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"


def change_and_ingest(app: Assistant, n: int) -> str:
    vhl = app.settings.sources / "kh-vhl.txt"
    vhl.write_text(vhl.read_text("utf-8") + f"\n\n{n + 9}. Dòng thêm số {n} để có thế hệ mới.\n", "utf-8")
    report = Assistant(app.settings).ingest(progress=False)
    assert report.updated == ["kh-vhl"]
    return report.generation


def test_a_question_in_flight_keeps_its_generation_and_the_next_one_switches(indexed):
    app = Assistant(indexed.settings, retire_grace_s=0)
    first = app.ask(QUESTION)
    old = app.generation
    published: list[str] = []

    def ingest_midway(piece: str) -> None:
        if not published:  # while this answer is being written, an ingest publishes
            published.append(change_and_ingest(app, 0))

    during = app.ask(QUESTION, on_text=ingest_midway)
    assert during.answer == first.answer and during.citations == first.citations
    assert (indexed.index_dir.root / old).exists()  # still held while it was read
    again = app.ask(QUESTION)  # between questions: switched
    assert app.generation == published[0] != old
    assert again.answer == first.answer
    assert not (indexed.index_dir.root / old).exists()  # let go, and removed


def test_the_old_generation_is_held_for_a_grace_period(indexed):
    app = Assistant(indexed.settings, retire_grace_s=1.0)
    app.ask(QUESTION)
    old = app.generation
    new = change_and_ingest(app, 1)
    assert (indexed.index_dir.root / old).exists()  # the ingest could not remove it
    assert app.refresh() and app.generation == new
    assert (indexed.index_dir.root / old).exists()  # a page may still show its clauses
    time.sleep(1.2)
    app.refresh()
    assert not (indexed.index_dir.root / old).exists()
    assert [p.name for p in indexed.index_dir.root.glob("gen-*")] == [new]


def test_a_broken_new_generation_leaves_the_current_one_in_use(indexed):
    app = Assistant(indexed.settings, retire_grace_s=0)
    app.ask(QUESTION)
    old = app.generation
    (indexed.index_dir.root / "CURRENT").write_text("gen-that-does-not-exist", "utf-8")
    assert not app.refresh()
    assert app.generation == old and app.ask(QUESTION).citations


def test_a_current_pointer_that_is_not_utf8_is_a_one_line_index_error(tmp_path):
    # a damaged CURRENT file (not UTF-8) carries no errno: it is named, not an AttributeError
    index = IndexDir(tmp_path / "index")
    index.root.mkdir()
    index.current_file.write_bytes(b"\xff\xfe\xfa gen")
    with pytest.raises(IndexUnavailableError) as info:
        index.current_name()
    message = str(info.value)
    assert "\n" not in message and "UnicodeDecodeError" in message and str(index.root) in message
