"""What the answering keeps from question to question (issue 13: the documents' phrases the
scope check looked up, the numbered parts the abstention step looked for) belongs to one
index generation: after an ingest the next question reads the new texts, never an answer
kept from the old ones."""

from __future__ import annotations

from assistant.api import Assistant

PHRASE = "dieu phoi luong tu lien vung"  # folded words no clause of the corpus says
PART = "phu luc xiv"


def add_clause_and_ingest(app: Assistant) -> str:
    vhl = app.settings.sources / "kh-vhl.txt"
    text = vhl.read_text("utf-8") + "\n\n10. Phụ lục XIV về điều phối lượng tử liên vùng của Viện Hàn lâm.\n"
    vhl.write_text(text, "utf-8")
    report = Assistant(app.settings).ingest(progress=False)
    assert report.updated == ["kh-vhl"]
    return report.generation


def test_kept_phrases_and_parts_do_not_outlive_their_generation(indexed):
    app = Assistant(indexed.settings, retire_grace_s=0)
    old = app.answerer
    # asked twice: the second answer is the kept one
    assert not old.scope.said(PHRASE) and not old.scope.said(PHRASE)
    assert not old.tree.tree.has_part(PART, []) and not old.tree.tree.has_part(PART, [])
    assert not old.tree.tree.has_part(PART, ["kh-vhl"])
    new_generation = add_clause_and_ingest(app)
    assert app.refresh() and app.generation == new_generation
    new = app.answerer
    assert new is not old and new.scope is not old.scope  # the kept scope checks are the guard's own
    assert new.scope.said(PHRASE)
    assert new.tree.tree.has_part(PART, []) and new.tree.tree.has_part(PART, ["kh-vhl"])
    assert not new.tree.tree.has_part(PART, ["nq57"])  # where it is not
    # the old generation's answerer still answers by its own texts
    assert not old.scope.said(PHRASE) and not old.tree.tree.has_part(PART, [])
