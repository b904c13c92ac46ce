"""The product installs as a plain wheel (not editable) and answers from any directory.

The wheel is built from the checkout, installed into a fresh virtual environment outside
it (offline: the environment sees the project's installed dependencies through a .pth
file, and pip installs only the wheel, ``--no-deps --no-index``), then run from an empty
folder with its data folder elsewhere: prompts, rules and evaluation files must come from
the installed package, never from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list, cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


# What the wheel is not built from: the build never writes into the checkout (build/,
# *.egg-info), since other test runs read it at the same time.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "data",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "node_modules",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "reports",
    "test-artifacts",
    ".hypothesis",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "troly"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    done = _run([sys.executable, "-m", "build", "--wheel", "--outdir", out, source], cwd=out)
    assert "BuildBackendWarning" not in done.stdout + done.stderr  # no setup noise (license, absent packages)
    (path,) = out.glob("*.whl")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Path:
    """A fresh venv holding the wheel; the project's dependencies seen through a .pth."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=env_dir)
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib.stdout.strip()) / "project_deps.pth").write_text("\n".join(ours) + "\n", "utf-8")
    _run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--disable-pip-version-check", wheel],
        cwd=env_dir,
    )
    return env_dir


def test_the_wheel_ships_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = {p.name for p in (ROOT / "prompts").glob("*.txt")}
    assert {f"assistant/prompts/{n}" for n in prompts} <= names
    rules = {p.name for p in (ROOT / "retrieval" / "resources" / "rules").glob("*.toml")}
    assert {f"retrieval/resources/rules/{n}" for n in rules} <= names
    assert {"eval/gate.toml", "eval/questions.jsonl", "retrieval/resources/synonyms.tsv"} <= names
    assert not any(n.startswith(("tests/", "data/", "scripts/")) for n in names)


def test_installed_wheel_answers_from_another_directory(installed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sources", data / "sources")
    for name in ("catalog.toml", "calibration.json"):
        shutil.copy(ROOT / "data" / name, data / name)
    work = tmp_path / "somewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TROLY_", "PYTHON", "OPENAI_"))}
    env["TROLY_DATA_DIR"] = str(data)
    troly = installed / "bin" / "troly"

    where = _run(
        [
            installed / "bin" / "python",
            "-c",
            "import assistant, eval, retrieval; from assistant import Settings; s = Settings(); "
            "print(assistant.__file__, eval.__file__, retrieval.__file__, s.prompts_dir, s.gate_file, sep='\\n')",
        ],
        cwd=work,
        env=env,
    ).stdout.split()
    assert all(Path(p).is_relative_to(installed) for p in where), where
    assert Path(where[3], "abstain.txt").is_file() and Path(where[4]).is_file()

    _run([troly, "ingest", "--quiet"], cwd=work, env=env)
    done = _run([troly, "ask", "--json", "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?"], cwd=work, env=env)
    answer = json.loads(done.stdout)
    assert list(answer) == [
        "question",
        "standalone_question",
        "answer",
        "abstained",
        "citations",
        "contexts",
        "backend",
        "timings_ms",
    ]
    assert answer["abstained"] is False
    assert answer["citations"] and all(c["quote"] in c["text"] for c in answer["citations"])
    assert any(c["doc_short"] == "57-NQ/TW" for c in answer["citations"])
    # sub-commands other packages register through entry points are there too
    assert "--split" in _run([troly, "eval", "--help"], cwd=work, env=env).stdout
    assert not (work / "data").exists()  # nothing written next to where it ran
