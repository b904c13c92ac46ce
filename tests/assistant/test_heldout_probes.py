"""Held-out conversation probes on the real documents (scripts/dialog_heldout.py wrote
tests/assistant/probes_heldout.jsonl from the dev split and the document tree, before the
condenser and the splitter were changed for them):

- a changed body, document, bare year or period, or numbered part ("thế Ban Tuyên giáo
  Trung ương thì sao?", "thế còn Nghị quyết 57?", "còn 2045?", "còn sáng kiến 12?") asks
  the previous question of it; a body the texts never name ("còn Bộ Y tế thì sao?") is refused;
- a reference to the previous ANSWER ("cơ quan đó" after "cơ quan nào …?", "sáng kiến vừa
  nêu", "việc này ai làm?")
  and a figure referred to with a new year ("chỉ tiêu ấy năm 2045 là bao nhiêu?") keep
  their key facts;
- an item picked from the list the previous answer gave ("cái thứ 3 là gì?", "ý thứ hai",
  "cái cuối cùng", "tầng 3 gồm gì") is answered with that item;
- the follow-ups typed without marks hold too;
- a multi-part question with one ask the texts do not answer answers the other and says
  the absent one is absent; two asks joined with no punctuation ("… với cả …", "… rồi …
  nữa", "… và … luôn") are both answered;
- a time said in words in place of a target year ("cuối thập kỷ này", "5 năm tới", "15
  năm sau đó", "giữa thế kỷ 21") asks the previous question of that year (slot_time);
- a second ask naming only what changes ("…, còn năm 2045 nữa?", "…; còn Sáng kiến 24
  nữa") asks what the first asks, of it (multi_more). These two families are in tune and
  check halves (their "half" field); the floors hold for both together;
- an item picked from a list given two turns back ("Cái thứ nhất là gì?", then "còn cái thứ
  3?"), two items picked in one message ("cái thứ nhất và cái thứ 3 là gì?"), and a new
  question naming another document after a conversation (not read with it): pick_back,
  pick_both, topic_switch, also in tune and check halves.

Each family must hold at the rate it reaches now (a floor: main before these changes
scored list_pick 0.11, figure_ref 0.67, multi_bare 0.78, untoned 0.54)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.probes import outcomes as probe_outcomes

PROBES = [json.loads(line) for line in (Path(__file__).parent / "probes_heldout.jsonl").open(encoding="utf-8")]
# family -> (the lowest share answered or refused as expected, the lowest key-fact coverage)
FLOORS = {
    "slot_body": (0.8, 0.6),  # the misses: a first turn about a body no clause names for that ask
    "slot_body_absent": (1.0, None),
    "slot_doc": (1.0, 0.95),
    "slot_period": (0.95, 0.9),
    "slot_item": (1.0, 0.95),
    "answer_body": (1.0, 0.95),
    "answer_part": (0.9, 0.9),
    "task_lead": (1.0, 0.85),
    "answer_who": (1.0, 0.6),  # the body the answer to "cơ quan nào …?" names (main: 0.2)
    "figure_ref": (1.0, 0.95),
    "list_pick": (0.95, 0.85),
    "untoned": (0.95, 0.85),
    "multi_absent": (1.0, 0.95),
    "multi_bare": (1.0, 0.9),
    "multi_tail": (0.9, 0.8),
    # added with time.toml and the "còn X nữa" ask (main before: 0.0 and 0.57 key facts)
    "slot_time": (1.0, 0.95),  # "5 năm tới", "cuối thập kỷ này", "15 năm sau đó", "giữa thế kỷ 21"
    "multi_more": (0.9, 0.85),
    "period_step": (
        1.0,
        0.95,
    ),  # "còn giai đoạn tiếp theo thì sao?" after 2025 - 2027  # "…, còn năm 2045 nữa?", "…; còn Sáng kiến 24 nữa", "… còn X thì thế nào?"
    # added with the list picks read several turns back and follow-ups of several asks (main
    # before: pick_back 0.07 key facts, pick_both 0.40 and 85% answered, topic_switch 1.0; pick_back
    # 0.43 before a pick after a pick read the list before it; pick_both 0.66 before two joined picks
    # asked one by one)
    "pick_back": (0.95, 0.75),  # "Cái thứ nhất là gì?", then "còn cái thứ 3?" of the list two turns back
    "pick_both": (0.95, 0.8),  # "cái thứ nhất và cái thứ 3 là gì?"
    "topic_switch": (1.0, 0.95),  # a new question naming another document: not read with the first
}


@pytest.fixture(scope="module")
def outcomes(corpus_app) -> dict[str, list[tuple[bool, float]]]:
    return probe_outcomes(corpus_app, PROBES)


def test_every_family_is_generated():
    assert {p["family"] for p in PROBES} == set(FLOORS)
    assert all(sum(p["family"] == f for p in PROBES) >= 2 for f in FLOORS)


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_a_heldout_family_holds(outcomes, family):
    rows = outcomes[family]
    rate, facts = FLOORS[family]
    assert sum(ok for ok, _ in rows) / len(rows) >= rate
    if facts is not None:
        assert sum(f for _, f in rows) / len(rows) >= facts
