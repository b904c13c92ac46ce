"""The timeline on the real documents: dated milestones in order, recurring dates shown
as recurring, references to other texts' dates left out."""

from __future__ import annotations

from tests.support.studio import assert_exact


def test_03_reporting_dates_in_order_and_recurring(studio):
    entries = [m for m in studio.timeline("03/NQ-CP") if m.cite.clause == "III.3"]
    assert [(m.day, m.month) for m in entries] == [(15, 6), (1, 12)]
    assert all(m.kind == "recurring" and m.recurring == "định kỳ 6 tháng" and m.year is None for m in entries)
    order = studio.timeline("03/NQ-CP")
    assert order.index(entries[0]) < order.index(entries[1])


def test_phases_and_years_in_time_order(studio):
    kh01 = studio.timeline("01-KH/BCĐTW")
    phases = [m for m in kh01 if m.kind == "phase"]
    assert [m.when for m in phases] == ["2025 – 2027", "2028 – 2030", "2031 – 2045"]
    assert phases[0].text == "Xây dựng nền tảng, tạo đột phá ban đầu"
    keys = [m.sort_key for m in studio.timeline()]
    assert keys == sorted(keys)
    years = {m.year for m in studio.timeline("57-NQ/TW")}
    assert {2025, 2030, 2045} <= years


def test_recurring_monthly_and_yearly_dates(studio):
    monthly = [m for m in studio.timeline("01-KH/BCĐTW") if m.when == "ngày 25 hằng tháng"]
    assert len(monthly) >= 5
    vhl = [(m.day, m.month, m.recurring) for m in studio.timeline("116/QĐ-VHL") if m.cite.clause == "III.3"]
    assert vhl == [(1, 6, "hằng năm"), (15, 11, "hằng năm")]


def test_issue_and_reference_dates_are_not_milestones(studio, table):
    entries = studio.timeline()
    assert entries
    for m in entries:
        assert_exact(table, m.cite)
        assert m.text and m.text in " ".join(m.cite.quote.split())
    assert not [m for m in entries if m.year in (2012, 2013, 2015, 2024) and m.cite.doc_short != "20-NQ/TW"]
    assert not [m for m in entries if m.when in ("2021 – 2030", "2019 – 2030")]  # names of cited plans
