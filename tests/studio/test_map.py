"""The implementation map on the real documents, its XLSX export, and a plan added later."""

from __future__ import annotations

import io
import shutil

import pytest
from openpyxl import load_workbook

from assistant.api import Assistant
from assistant.studio.tables import map_sheets, write_xlsx
from tests.support.corpus import DATA, SOURCES, make_settings
from tests.support.studio import assert_exact


@pytest.fixture(scope="module")
def impl(studio):
    return studio.implementation_map()


def test_57_is_the_resolution_and_its_plans_are_found(impl):
    assert impl.source == "57-NQ/TW"
    assert {"03/NQ-CP", "01-KH/BCĐTW", "116/QĐ-VHL"} <= set(impl.plans)
    assert "Tin về 03/NQ-CP" not in impl.plans  # a news item is not a plan
    assert [g.clause for g in impl.groups] == [f"III.{i}" for i in range(1, 8)]
    assert "Nghị quyết số 57-NQ/TW" in impl.plan_evidence["03/NQ-CP"].quote


def test_57_iii1_is_carried_out_by_03_ii1_with_evidence(impl, table):
    group = impl.groups[0]
    link = next(l for l in group.links if l.plan_doc == "03/NQ-CP")
    assert link.plan_clause == "II.1" and link.score >= 0.9
    kinds = {e.kind for e in link.evidence}
    assert {"wording", "numbering"} <= kinds
    assert any("II.1 ↔ III.1" in e.detail for e in link.evidence)
    assert_exact(table, link.cite)
    assert link.items and all(i.plan_clause.startswith("II.1") for i in link.items)


def test_a_plan_without_a_group_is_a_gap(impl):
    by_clause = {g.clause: g for g in impl.groups}
    assert "116/QĐ-VHL" in by_clause["III.5"].missing_plans  # the VHL plan has no section on III.5
    vhl = [l for l in by_clause["III.6"].links if l.plan_doc == "116/QĐ-VHL"]
    assert vhl and vhl[0].plan_clause == "II.5"  # linked by wording although its number differs
    assert all({e.kind for e in l.evidence} & {"wording", "reference"} for g in impl.groups for l in g.links)


def test_every_link_and_gap_is_cited(impl, table):
    for g in impl.groups:
        assert_exact(table, g.cite)
        for c in g.items + g.uncovered:
            assert_exact(table, c)
        for link in g.links:
            assert_exact(table, link.cite)
            for item in link.items:
                assert_exact(table, item.cite)


def test_xlsx_export_opens_and_holds_the_citations(impl):
    wb = load_workbook(io.BytesIO(write_xlsx(map_sheets(impl))))
    assert {"Bản đồ", "Nhiệm vụ", "Khoảng trống"} <= set(wb.sheetnames)
    rows = [[c.value for c in r] for r in wb["Bản đồ"].iter_rows()]
    assert rows[0][0] == "Nhóm nhiệm vụ"
    first = impl.groups[0].links[0]
    assert any(r[3] == first.plan_clause and r[7] == first.cite.label and r[8] == first.cite.quote for r in rows[1:])


PLAN = """# KẾ HOẠCH
Triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị tại Bộ Thử nghiệm

Căn cứ yêu cầu của Bộ Chính trị, Bộ Thử nghiệm ban hành Kế hoạch thực hiện Nghị quyết số 57-NQ/TW như sau:

I. MỤC TIÊU

1. Bảo đảm thực hiện hiệu quả Nghị quyết trong toàn Bộ.

II. NHIỆM VỤ, GIẢI PHÁP

1. Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài trong Bộ

- Xây dựng chương trình thu hút, trọng dụng nhân tài, các nhà khoa học đầu ngành, các "tổng công trình sư" trong và ngoài nước.

- Xây dựng một số trung tâm đào tạo tiên tiến chuyên sâu về trí tuệ nhân tạo.

2. Tăng cường hợp tác quốc tế trong phát triển khoa học, công nghệ

- Đẩy mạnh hợp tác nghiên cứu khoa học, phát triển công nghệ với các quốc gia có trình độ khoa học và công nghệ phát triển, thực hiện nhiệm vụ tại điểm 7 Mục III Nghị quyết số 57-NQ/TW.
"""


def test_a_plan_added_later_is_mapped(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / "nq-57-tw.md", sources)
    (sources / "kh-thu-nghiem.md").write_text(PLAN, "utf-8")
    catalog = (DATA / "catalog.toml").read_text("utf-8").split("[[document]]")
    keep = [c for c in catalog[1:] if 'file = "nq-57-tw.md"' in c]
    extra = (
        '\nid = "kh-tn"\nfile = "kh-thu-nghiem.md"\nshort = "KH-TN"\ntitle = "Kế hoạch thử nghiệm"\n'
        'issuer = "Bộ Thử nghiệm"\ndate = "2025-03-01"\nkind = "Kế hoạch"\nauthority = "official"\n'
        'cite_as = "Kế hoạch KH-TN"\n'
    )
    (tmp_path / "catalog.toml").write_text("[[document]]".join([catalog[0], *keep, extra]), "utf-8")
    settings = make_settings(tmp_path / "data", sources=sources).model_copy(
        update={"catalog_path": tmp_path / "catalog.toml"}
    )
    app = Assistant(settings)
    assert not app.ingest(progress=False).errors
    impl = app.studio.implementation_map("57-NQ/TW")
    assert impl.plans == ["KH-TN"]
    by_clause = {g.clause: g for g in impl.groups}
    people = [l for l in by_clause["III.4"].links if l.plan_doc == "KH-TN"]
    assert people and people[0].plan_clause == "II.1"
    coop = [l for l in by_clause["III.7"].links if l.plan_doc == "KH-TN"]
    assert coop and coop[0].plan_clause == "II.2" and "reference" in {e.kind for e in coop[0].evidence}
    assert "KH-TN" in by_clause["III.5"].missing_plans and by_clause["III.5"].uncovered
