"""The targets table on the real documents: one row per target, each with its year, unit
and the exact sentence of its clause."""

from __future__ import annotations

from tests.support.studio import assert_exact


def rows_of(studio, doc, clause):
    return [t for t in studio.targets(doc) if t.cite.clause == clause]


def test_rd_and_digital_economy_targets_for_2030(studio):
    rd = [t for t in rows_of(studio, "57-NQ/TW", "II.1.-3") if "R&D" in t.indicator]
    assert len(rd) == 1 and rd[0].value == "2% GDP" and rd[0].unit == "% GDP" and rd[0].year == 2030
    assert rd[0].cite.label == "Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 3"
    digital = [t for t in rows_of(studio, "57-NQ/TW", "II.1.-2") if "kinh tế số" in t.indicator]
    assert [(t.value, t.low, t.year) for t in digital] == [("tối thiểu 30% GDP", 30.0, 2030)]
    assert "Quy mô kinh tế số đạt tối thiểu 30% GDP" in digital[0].cite.quote


def test_tfp_and_high_tech_exports_are_two_rows_of_one_sentence(studio):
    rows = rows_of(studio, "57-NQ/TW", "II.1.-2")
    tfp = [t for t in rows if "TFP" in t.indicator]
    exports = [t for t in rows if "xuất khẩu" in t.indicator]
    assert len(tfp) == 1 and len(exports) == 1
    assert (tfp[0].value, exports[0].value) == ("trên 55%", "tối thiểu 50%")
    assert tfp[0].cite.quote == exports[0].cite.quote  # the same sentence, two targets


def test_2045_vision_and_years_written_next_to_the_figure(studio):
    vision = [t for t in rows_of(studio, "57-NQ/TW", "II.2") if "kinh tế số" in t.indicator]
    assert vision and vision[0].year == 2045 and vision[0].low == 50
    nq20 = [(t.value, t.year) for t in studio.targets("20-NQ/TW") if "GDP" in t.unit]
    assert ("1,5% GDP", 2015) in nq20 and ("trên 2% GDP", 2020) in nq20


def test_table_rows_take_their_indicator_from_their_cells(studio):
    rows = {t.cite.clause: t for t in studio.targets("116/QĐ-VHL")}
    assert rows["PL1.I.3"].value == "5.000 người" and rows["PL1.I.3"].low == 5000
    assert rows["PL1.I.3"].indicator == "Số lượng nhà khoa học làm việc tại Viện Hàn lâm"
    assert rows["PL1.I.8.1"].indicator.endswith("Sinh viên")


def test_every_row_quotes_its_clause_and_only_official_documents_count(studio, table):
    rows = studio.targets()
    assert len(rows) >= 60
    for t in rows:
        assert_exact(table, t.cite)
        assert t.value in t.cite.quote and t.indicator
        assert t.cite.authority == "official"
    assert not {t.cite.doc_short for t in rows} & {"Phân tích 5W1H NQ57", "Tin về 03/NQ-CP"}


def test_filters(studio):
    y2030 = studio.targets(year=2030)
    assert y2030 and all(t.year == 2030 for t in y2030)
    topic = studio.targets(topic="kinh te so")  # accents optional
    assert topic and all("kinh tế số" in (t.indicator + t.cite.quote).lower() for t in topic)
    assert {t.cite.doc_short for t in studio.targets("kh01")} == {"01-KH/BCĐTW"}
