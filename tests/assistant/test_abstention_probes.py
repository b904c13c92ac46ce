"""Generated probe families on the real documents (scripts/dialog_probes.py wrote
tests/assistant/probes_dialog.jsonl from the dev split's answerable questions):

- near misses (a target year, a body, a province, a foreign name the texts never hold;
  the count of something a document never counts) are refused;
- the same questions behind a preamble about the asker's job, or with a sentence or clause
  naming the asker's own tools, platform or employer ("Công ty mình dùng Zalo", "Mình hỏi
  để làm slide PowerPoint"), are answered, with their key facts;
- a real question whose asked kind of value is swapped for one its clause does not state
  ("bao nhiêu phần trăm GDP" → "bao nhiêu tỷ đồng", "bao nhiêu doanh nghiệp" → "bao nhiêu
  phần trăm doanh nghiệp") is refused, while the question as it was (its twin) is answered;
- a real "bao nhiêu X" question whose counted noun is swapped for one no document uses
  ("bao nhiêu phi công", "tàu ngầm") should be refused (today only a third are: the floor
  records the gap), while the question as it was is answered;
- a question split into a first turn and a "còn năm X thì sao?" follow-up, or a reference
  ("sáng kiến đó") back to the first turn, keeps its key facts;
- two questions about one document asked in a row (the second without its document, after
  a chat opener), a field of the initiative the first turn named ("mục tiêu cụ thể của sáng
  kiến đó"), a changed year typed as in a chat ("thế còn 2045?"), and two asks joined as in a
  chat ("… với lại …", "…. À mà …") keep their key facts;
- the real questions asking who leads or answers for something are answered;
- a level, region, sector or part of the year no document states ("ở cấp xã", "của ngành
  du lịch", "trong quý 3") added to a real question is refused;
- one slot of a real ask changed to one its gold clauses do not support (a year none of its
  documents writes, a figure its clauses lack, another field's programme) is refused, the
  question as it was answered; the ministry leading an initiative is refused when the
  initiative's clauses name none.

Each family must hold at the rate it reaches now (a floor, not every probe: a few probes
are multi-part questions in disguise, whose other asks are rightly answered).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.probes import outcomes as probe_outcomes

PROBES = [json.loads(line) for line in (Path(__file__).parent / "probes_dialog.jsonl").open(encoding="utf-8")]
# family -> (the lowest share refused, or answered, the lowest key-fact coverage)
FLOORS = {
    "near_year": (0.9, None),
    "near_body": (0.9, None),
    "near_place": (0.88, None),
    "near_count": (0.7, None),
    "near_foreign": (0.8, None),
    "preamble": (0.98, 0.9),
    "tool_context": (0.95, 0.88),
    "follow_slot": (0.95, 0.85),
    "follow_ref": (0.95, 0.9),
    "near_kind": (0.9, None),
    "twin_kind": (1.0, 0.95),
    "near_topic": (0.95, None),  # a counted noun pair no document writes, nor the synonyms know
    # one slot of a real ask changed to one its gold clauses do not support (slot_swaps): a
    # year none of its documents writes, a figure its clauses lack, another field's programme;
    # and the questions as they were
    "near_year_doc": (0.9, None),  # the misses: another document holds the year (a second look)
    "near_figure": (0.85, None),  # the misses: a stem that reads as another ask
    "near_programme": (0.3, None),  # a known gap: only a capitalised head ("Đề án …") is read as a name
    "twin_slot": (1.0, 0.95),
    # the ministry leading an initiative the plan names no lead for
    "near_part_lead": (0.95, None),
    "twin_topic": (1.0, 0.95),
    "twin_lead": (1.0, 0.9),
    "near_level": (0.85, None),  # a few are a count with a list tail: the tail carries the qualifier
    # a part the follow-up names by "nó", its number alone or as the next one (the misses are
    # questions missed when asked directly too, and a first turn that names another part)
    "follow_which": (0.75, 0.55),
    "follow_number": (0.85, 0.75),
    "follow_next": (0.85, 0.75),
    # two dev questions asked as one message (the misses are missed alone too)
    "multi_join": (0.95, 0.9),
    # the document the first turn named, left out or referred to
    "follow_doc": (0.95, 0.95),
    # the reference follow-ups typed without marks
    "follow_unmarked": (0.95, 0.9),
    # two dev questions about one document in a row, the second without its document and
    # opened as in a chat ("Vậy …", "Ok, …"; the misses are missed when asked alone too)
    "follow_chain": (0.95, 0.85),
    # a field of the initiative the first turn named ("mục tiêu cụ thể của sáng kiến đó")
    "follow_field": (1.0, 0.95),
    # a changed year typed as in a chat ("thế còn 2045?", "the con nam 2045")
    "follow_slot_typed": (0.95, 0.9),
    # two dev questions asked as one chat message ("… với lại …", "…. À mà …", a new line)
    "multi_chat": (0.95, 0.9),
    # the initiative of the first turn said as "cái đó", "nó", "cái này"
    "follow_generic": (0.95, 0.9),
}


@pytest.fixture(scope="module")
def outcomes(corpus_app) -> dict[str, list[tuple[bool, float]]]:
    return probe_outcomes(corpus_app, PROBES)


def test_every_family_is_generated():
    assert {p["family"] for p in PROBES} == set(FLOORS)
    assert all(sum(p["family"] == f for p in PROBES) >= 5 for f in FLOORS)


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_a_probe_family_holds(outcomes, family):
    rows = outcomes[family]
    rate, facts = FLOORS[family]
    assert sum(ok for ok, _ in rows) / len(rows) >= rate
    if facts is not None:
        assert sum(f for _, f in rows) / len(rows) >= facts
