"""Bad input and a bad environment give one clear line and the right exit code, never
"lỗi nội bộ" (issue 11, items 7, 8 and 9): batch files, argv, settings, index folders."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.settings import PROJECT_ROOT
from tests.support.corpus import DATA

QUESTION = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"
GOOD = json.dumps({"question": QUESTION}, ensure_ascii=False)


@pytest.fixture
def env(monkeypatch, corpus_app, tmp_path):
    """The CLI pointed at the corpus indexed once (TROLY_* variables)."""
    s = corpus_app.settings
    values = {
        "TROLY_DATA_DIR": s.data_dir,
        "TROLY_SOURCES_DIR": s.sources,
        "TROLY_INDEX_DIR": s.index,
        "TROLY_CATALOG_PATH": DATA / "catalog.toml",
        "TROLY_ABSTAIN_THRESHOLD": s.abstain_threshold,
        "TROLY_CONFIG": tmp_path / "no-troly.toml",
    }
    for key in [k for k in os.environ if k.startswith(("TROLY_", "OPENAI_"))]:
        monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, str(value))
    return {k: str(v) for k, v in values.items()}


def one_line(capsys, code: int, expected: int = 2) -> str:
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert code == expected, out.err
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and "lỗi nội bộ" not in lines[0], out.err
    assert out.out == ""  # nothing half-answered
    return lines[0]


# -- item 7: batch files ------------------------------------------------------------------

BATCHES = {
    "invalid-utf8": (GOOD.encode() + b'\n{"question": "\xff\xfe bad"}\n', ["dòng 2", "không phải UTF-8", "0xff"]),
    "utf16": ((GOOD + "\n").encode("utf-16"), ["UTF-16", "UTF-8"]),
    "lone-surrogate": ((GOOD + '\n{"question": "x\\ud800y"}\n' + GOOD + "\n").encode(), ["dòng 2", "U+D800"]),
    "deep": (("[" * 100_000 + "]" * 100_000 + "\n").encode(), ["dòng 1", "lồng quá sâu"]),
    "huge-int": (('{"question": "a?", "n": ' + "9" * 5000 + "}\n").encode(), ["dòng 1", "số nguyên quá dài"]),
    "question-number": (b'{"question": 57}\n', ["dòng 1", "'question' phải là chuỗi, không phải số"]),
    "question-missing": (b'{"cau_hoi": "a?"}\n', ["dòng 1", "thiếu trường 'question'"]),
    "not-an-object": (b'["a?"]\n', ["dòng 1", "đối tượng JSON", "danh sách"]),
    "history": (b'{"question": "a?", "history": [{"role": "x"}]}\n', ["dòng 1", "'history'"]),
    "not-json": (GOOD.encode() + b"\n{question: a}\n", ["dòng 2", "không phải JSON hợp lệ"]),
}


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_bad_batch_file_is_one_line_naming_the_line(env, tmp_path, capsys, name):
    data, expected = BATCHES[name]
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(data)
    line = one_line(capsys, main(["ask", "--json", "--batch", str(path)]))
    assert str(path) in line and all(e in line for e in expected), line


def test_a_directory_or_a_missing_file_as_the_batch(env, tmp_path, capsys):
    assert "là một thư mục" in one_line(capsys, main(["ask", "--json", "--batch", str(tmp_path)]))
    assert "không tìm thấy tệp" in one_line(capsys, main(["ask", "--json", "--batch", str(tmp_path / "khong.jsonl")]))


def test_a_utf8_bom_is_accepted(env, tmp_path, capsys):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (GOOD + "\n" + GOOD + "\n").encode())
    assert main(["ask", "--json", "--batch", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all("30% GDP" in json.loads(line)["answer"] for line in out)


def test_invalid_bytes_on_the_command_line_are_refused(env, capsys):
    assert "không phải UTF-8" in one_line(capsys, main(["ask", "--json", "M\udce1c ti\udcffu?"]))
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"assistant.cli", b"ask", b"--json", b"M\xe1\xbb\xa5c ti\xff?"],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, **env),
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode("utf-8").startswith("Lỗi: đối số dòng lệnh chứa byte không phải UTF-8")


# -- item 9: settings and index folders --------------------------------------------------


@pytest.mark.parametrize(
    "variable, value, reason",
    [
        ("TROLY_MAX_FILE_MB", "0", "phải lớn hơn 0"),
        ("TROLY_MAX_FILE_MB", "-1", "phải lớn hơn 0"),
        ("TROLY_MAX_FILE_MB", "abc", "phải là một số"),
        ("TROLY_MAX_FILE_MB", "inf", "phải là một số hữu hạn"),
        ("TROLY_LLM_DEADLINE", "0", "phải lớn hơn 0"),
        ("TROLY_TOP_K", "nhiều", "phải là một số nguyên"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(env, monkeypatch, capsys, variable, value, reason):
    monkeypatch.setenv(variable, value)
    line = one_line(capsys, main(["ingest", "--quiet"]))
    assert f"{variable}='{value}'" in line and reason in line


def test_a_broken_config_file_is_one_line(env, monkeypatch, tmp_path, capsys):
    bad = tmp_path / "troly.toml"
    bad.write_text("max_file_mb = [\n", "utf-8")
    monkeypatch.setenv("TROLY_CONFIG", str(bad))
    assert "sai cú pháp TOML" in one_line(capsys, main(["docs"]))


def test_missing_or_wrong_index_folders(env, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TROLY_INDEX_DIR", str(tmp_path / "chua-co"))
    assert "chưa có chỉ mục" in one_line(capsys, main(["ask", QUESTION]), expected=1)
    (tmp_path / "tep").write_text("x")
    monkeypatch.setenv("TROLY_INDEX_DIR", str(tmp_path / "tep"))
    assert "không phải thư mục" in one_line(capsys, main(["ask", QUESTION]))
    assert "không phải thư mục" in one_line(capsys, main(["ingest", "--quiet"]))
    monkeypatch.setenv("TROLY_INDEX_DIR", str(tmp_path / "tep" / "index"))
    assert "TROLY_INDEX_DIR" in one_line(capsys, main(["ingest", "--quiet"]))


def test_a_damaged_index_says_to_rebuild(env, monkeypatch, corpus_app, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(corpus_app.settings.index, index)
    monkeypatch.setenv("TROLY_INDEX_DIR", str(index))
    gen = index / (index / "CURRENT").read_text().strip()
    (gen / "chunks.jsonl").write_bytes(b"\xff\x00 not json\n")
    assert "troly ingest --rebuild" in one_line(capsys, main(["ask", QUESTION]), expected=1)


def without_root_powers() -> list[str]:
    """A command prefix under which file permissions apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def chmod_tree(root: Path, dirs: int, files: int) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(dirs if path.is_dir() else files)


def test_read_only_and_unreadable_index_folders(env, corpus_app, tmp_path):
    prefix = without_root_powers()
    index = tmp_path / "index"
    shutil.copytree(corpus_app.settings.index, index)
    run_env = {**os.environ, **env, "TROLY_INDEX_DIR": str(index)}

    def troly(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "assistant.cli", *args],
            cwd=PROJECT_ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    ro = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
    chmod_tree(index, ro | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH, ro)
    try:
        asked = troly("ask", "--json", QUESTION)  # a read-only index still answers
        assert asked.returncode == 0, asked.stderr
        assert "30% GDP" in json.loads(asked.stdout)["answer"]
        ingested = troly("ingest", "--quiet")
        assert ingested.returncode == 2 and ingested.stderr.count("\n") == 1
        assert ingested.stderr.startswith(f"Lỗi: không ghi được thư mục chỉ mục {index} (không có quyền)")
        index.chmod(0)
        for args in (("ask", QUESTION), ("ingest", "--quiet")):
            got = troly(*args)
            assert got.returncode == 2 and got.stderr.count("\n") == 1, got.stderr
            assert "(không có quyền)" in got.stderr and "lỗi nội bộ" not in got.stderr
    finally:
        chmod_tree(index, 0o755, 0o644)


# -- item 8: damaged documents ------------------------------------------------------------


def test_damaged_documents_are_one_line_each_and_the_rest_ingests(
    env, monkeypatch, corpus_app, tmp_path, capsys, sources_copy
):
    index = tmp_path / "index"
    shutil.copytree(corpus_app.settings.index, index)
    monkeypatch.setenv("TROLY_INDEX_DIR", str(index))
    monkeypatch.setenv("TROLY_SOURCES_DIR", str(sources_copy))
    catalog = tmp_path / "catalog.toml"  # the good file's proposed entry goes to a copy, not data/catalog.toml
    shutil.copyfile(corpus_app.settings.catalog, catalog)
    monkeypatch.setenv("TROLY_CATALOG_PATH", str(catalog))
    (tmp_path / "ngau-nhien.docx").write_bytes(bytes(range(256)) * 8)
    with zipfile.ZipFile(tmp_path / "xml-hong.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
        z.writestr("word/document.xml", "<w:document><chua-dong")
    (tmp_path / "thu-muc.txt").mkdir()
    (tmp_path / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"rac" * 99)
    (sources_copy / "thu-muc-khac.md").mkdir()  # a folder inside the sources: no file, skipped
    good = tmp_path / "hop-le.md"
    good.write_text("I- MỤC TIÊU\n1. Một tệp bổ sung hợp lệ về chuyển đổi số quốc gia.\n", "utf-8")
    names = ["ngau-nhien.docx", "xml-hong.docx", "thu-muc.txt", "hong.pdf", "hop-le.md"]
    code = main(["ingest", "--quiet", *(str(tmp_path / n) for n in names)])
    out = capsys.readouterr()
    errors = [line for line in out.err.splitlines() if line.startswith("Lỗi:")]
    assert code == 2 and len(errors) == 4, out.err
    assert all(line.startswith("Lỗi: không đọc được tệp") for line in errors)
    for name, reason in [
        ("ngau-nhien.docx", "DOCX hỏng"),
        ("xml-hong.docx", "DOCX hỏng"),
        ("thu-muc.txt", "thư mục, không phải tệp"),
        ("hong.pdf", "PDF hỏng"),
    ]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    assert "EOF marker" not in out.err and "Traceback" not in out.err
    assert "thêm 1" in out.out  # the good file went in
