"""The trainer commands of `troly` on the real corpus: output, --json, --out files and
one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from assistant.cli import main
from tests.support.ui import troly_env


@pytest.fixture
def env(monkeypatch, corpus_app, tmp_path):
    for key, value in troly_env(corpus_app, tmp_path / "feedback.sqlite3").items():
        monkeypatch.setenv(key, value)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_targets_table_and_files(env, capsys, tmp_path):
    code, out, _ = run(capsys, "targets", "--year", "2030", "--topic", "kinh tế số")
    assert (
        code == 0 and "tối thiểu 30% GDP" in out and "Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 2" in out
    )
    code, out, _ = run(capsys, "targets", "--doc", "57-NQ/TW", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["cite"]["doc_short"] == "57-NQ/TW" for r in rows)
    xlsx, csv = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert run(capsys, "targets", "--out", str(xlsx))[0] == 0
    assert run(capsys, "targets", "--out", str(csv))[0] == 0
    sheet = load_workbook(xlsx).active
    head = [c.value for c in sheet[1]]
    assert head[:2] == ["Chỉ tiêu", "Giá trị"] and "Nhãn trích dẫn" in head and "Câu trích" in head
    assert sheet.max_row - 1 == len(json.loads(run(capsys, "targets", "--json")[1]))
    assert "Nghị quyết 57-NQ/TW" in csv.read_text("utf-8-sig")


def test_timeline_roles_and_map(env, capsys, tmp_path):
    code, out, _ = run(capsys, "timeline", "--doc", "03/NQ-CP")
    assert code == 0 and out.index("15/06") < out.index("01/12")
    code, out, _ = run(capsys, "roles", "--body", "Bộ KH&CN")
    assert (
        code == 0 and "Nhiệm vụ của Bộ Khoa học và Công nghệ" in out and "Nghị quyết 03/NQ-CP, Mục III, điểm 4" in out
    )
    code, out, _ = run(capsys, "map")
    assert code == 0 and "57-NQ/TW III.1" in out and "03/NQ-CP II.1" in out
    path = tmp_path / "map.xlsx"
    assert run(capsys, "map", "--out", str(path))[0] == 0 and "Khoảng trống" in load_workbook(path).sheetnames
    path = tmp_path / "roles.xlsx"
    assert run(capsys, "roles", "--body", "Bộ Khoa học và Công nghệ", "--out", str(path))[0] == 0
    assert load_workbook(path)["Nhiệm vụ"]["B2"].value in ("chủ trì", "nhận báo cáo", "phối hợp")


def test_outline_and_quiz_files(env, capsys, tmp_path):
    code, out, _ = run(capsys, "outline", "57-NQ/TW", "III.3")
    assert code == 0 and "Nghị quyết 57-NQ/TW, Mục III, điểm 3, gạch đầu dòng thứ 6" in out
    for ext in ("md", "docx", "pptx"):
        assert run(capsys, "outline", "57-NQ/TW III.3", "--out", str(tmp_path / f"o.{ext}"))[0] == 0
    assert "Nghị quyết 57-NQ/TW, Mục III, điểm 3" in "\n".join(p.text for p in Document(tmp_path / "o.docx").paragraphs)
    assert len(Presentation(tmp_path / "o.pptx").slides) >= 2
    code, out, _ = run(capsys, "quiz", "03/NQ-CP II.1", "-n", "5")
    assert code == 0 and out.count("**Câu ") == 5 and "## Đáp án" in out
    assert run(capsys, "quiz", "03/NQ-CP II.1", "-n", "5", "--out", str(tmp_path / "q.gift"))[0] == 0
    assert (tmp_path / "q.gift").read_text("utf-8").count("::") >= 10


@pytest.mark.parametrize(
    "argv, message",
    [
        (["outline", "57-NQ/TW", "IX.9"], "không tìm thấy điều khoản"),
        (["quiz", "57-NQ/TW II.1", "-n", "0"], "số câu hỏi"),
        (["roles", "--body", "Bộ Không Có"], "không nhận ra cơ quan"),
        (["targets", "--doc", "99-NQ/TW"], "không có văn bản"),
        (["targets", "--out", "bang.pdf"], "định dạng hỗ trợ"),
        (["map", "--out", "/nonexistent-dir/map.xlsx"], "không tồn tại"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
