"""Cold start stays lazy (issue 13): with nothing set, the settings come without pydantic,
`troly docs` lists the documents without numpy or bm25s, and `troly ask` answers without
pydantic, chromadb, langchain or tiktoken; the rule patterns compile when a family is used.
`troly ask` also scores the BM25 index without importing bm25s (nor tqdm, asyncio).
What is checked is which modules a fresh process loads, never a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.settings import DefaultSettings, SettingsFields, load_settings

PROPERTIES = ["sources", "catalog", "index", "calibration", "questions", "gate_file", "release_file", "reports"]
PROPERTIES += ["feedback_path", "database"]


def clean_env(tmp_path) -> dict[str, str]:
    """The environment without any variable the settings read (and no troly.toml)."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("TROLY_", "OPENAI_"))}
    env["TROLY_CONFIG"] = str(tmp_path / "absent.toml")
    return env


def run(code: str, tmp_path, env: dict[str, str] | None = None):
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env if env is not None else clean_env(tmp_path),
    ).stdout
    return json.loads(out.splitlines()[-1])


def test_with_nothing_set_the_settings_are_the_models_defaults_without_pydantic(tmp_path):
    code = (
        "import json,sys\nfrom assistant.settings import load_settings, SettingsFields\ns=load_settings()\n"
        f"names=list(SettingsFields.__annotations__)+{PROPERTIES!r}\n"
        "values={n: repr(getattr(s,n)) for n in names}\n"
        "light=sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic','pydantic_settings','pydantic_core'))\n"
        "from assistant.settings import Settings\nm=Settings()\n"
        "print(json.dumps([type(s).__name__, light, values, {n: repr(getattr(m,n)) for n in names},"
        " s.public_view()==m.public_view()]))"
    )
    kind, light, values, model, same_view = run(code, tmp_path)
    assert kind == "DefaultSettings" and light == []
    assert values == model and same_view
    assert set(values) >= set(SettingsFields.__annotations__)


def test_a_variable_or_an_override_is_validated_by_the_model(tmp_path, monkeypatch):
    from assistant.settings import Settings
    from retrieval.errors import BadInputError

    monkeypatch.setenv("TROLY_CONFIG", str(tmp_path / "absent.toml"))
    assert isinstance(load_settings(top_k=3), Settings) and load_settings(top_k=3).top_k == 3
    monkeypatch.setenv("TROLY_TOP_K", "0")
    with pytest.raises(BadInputError, match="TROLY_TOP_K"):
        load_settings()
    monkeypatch.delenv("TROLY_TOP_K")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert isinstance(load_settings(), Settings)


def test_the_defaults_answer_what_only_the_model_has_from_the_model():
    s = DefaultSettings()
    copy = s.model_copy(update={"top_k": 5})
    assert copy.top_k == 5 and s.top_k == 8
    assert s.api_keys == {} and s.api_keys is not DefaultSettings().api_keys


CORPUS_SETTINGS = (
    "import json,sys,io,contextlib,argparse\nfrom pathlib import Path\n"
    "from assistant.settings import load_settings\nfrom assistant.api import Assistant\nimport assistant.cli as cli\n"
    "s=load_settings()\nassert type(s).__name__=='DefaultSettings'\n"
    "s.__dict__.update({{k: (Path(v) if k!='abstain_threshold' else v) for k,v in {given!r}.items()}})\n"
    "out=io.StringIO()\n"
)


def corpus_paths(corpus_app) -> dict:
    s = corpus_app.settings
    return {
        "data_dir": str(s.data_dir),
        "index_dir": str(s.index_dir),
        "catalog_path": str(s.catalog_path),
        "sources_dir": str(s.sources_dir),
        "abstain_threshold": s.abstain_threshold,
    }


def test_troly_docs_lists_the_documents_without_pydantic_numpy_or_bm25s(corpus_app, tmp_path):
    code = CORPUS_SETTINGS.format(given=corpus_paths(corpus_app)) + (
        "with contextlib.redirect_stdout(out): rc=cli.cmd_docs(Assistant(s), argparse.Namespace(json=False))\n"
        "print(json.dumps([rc, out.getvalue(), sorted({m.split('.')[0] for m in sys.modules})]))"
    )
    rc, listing, top = run(code, tmp_path)
    assert rc == 0 and "57-NQ/TW" in listing
    assert not set(top) & {"pydantic", "pydantic_settings", "numpy", "bm25s", "chromadb", "tiktoken"}


def test_troly_ask_answers_without_pydantic_chromadb_langchain_or_tiktoken(corpus_app, tmp_path):
    question = "Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?"
    code = CORPUS_SETTINGS.format(given=corpus_paths(corpus_app)) + (
        "args=argparse.Namespace(json=True, batch=None, question=[" + repr(question) + "], doc=None)\n"
        "with contextlib.redirect_stdout(out): rc=cli.cmd_ask(Assistant(s), args)\n"
        "from retrieval.rules import load_rules\n"
        "rules=[load_rules(n) for n in ('search','query','intent','scope','answers')]\n"
        "compiled=sum(len(r.patterns._compiled) for r in rules); total=sum(len(r.patterns) for r in rules)\n"
        "print(json.dumps([rc, out.getvalue(), sorted({m.split('.')[0] for m in sys.modules}), compiled, total]))"
    )
    rc, answer, top, compiled, total = run(code, tmp_path)
    got = json.loads(answer)
    expected = corpus_app.ask(question).to_json()
    got.pop("timings_ms"), expected.pop("timings_ms")
    assert rc == 0 and got == expected
    assert not set(top) & {"pydantic", "pydantic_settings", "chromadb", "langchain_core", "tiktoken", "eval"}
    # the saved BM25 index is scored from its files (retrieval/bm25_files.py): no bm25s, and
    # none of what it pulls in (tqdm, asyncio, orjson, concurrent.futures)
    assert not set(top) & {"bm25s", "tqdm", "asyncio", "orjson", "concurrent"}
    assert 0 < compiled < total  # the families a question uses, not every one


def test_every_rule_pattern_built_from_the_kept_opcodes_is_the_one_re_compiles_and_the_rules_parse_the_same(
    tmp_path, monkeypatch
):
    import re

    from retrieval import regex_cache

    monkeypatch.setattr(regex_cache, "FILE", tmp_path / "patterns.marshal")
    monkeypatch.setattr(regex_cache, "FOLDER", tmp_path)
    monkeypatch.setattr(regex_cache, "_loaded", None)
    sources = regex_cache.rule_sources()
    assert len(sources) > 50 and regex_cache.write(sources, regex_cache.rule_files_parsed())
    monkeypatch.setattr(regex_cache, "_loaded", None)  # as a fresh process reads it
    for source in sources:
        assert regex_cache.compile_pattern(source) == re.compile(source)  # CPython compares the code
    assert set(regex_cache._read()) == set(sources)
    # the rules files' parsed TOML, kept for their exact bytes only
    import tomllib

    from retrieval.rules import RULES_DIR, rule_files

    for name in rule_files():
        raw = (RULES_DIR / f"{name}.toml").read_bytes()
        assert regex_cache.parsed_rules(name, raw) == tomllib.loads(raw.decode("utf-8"))
        assert regex_cache.parsed_rules(name, raw + b"\n# edited\n") is None
    # a pattern the file does not hold (a rule edited since), and a damaged file: compiled as before
    assert regex_cache.compile_pattern(r"\bmới (?P<x>\d+)") == re.compile(r"\bmới (?P<x>\d+)")
    (tmp_path / "patterns.marshal").write_bytes(b"\0garbage")
    monkeypatch.setattr(regex_cache, "_loaded", None)
    assert regex_cache.compile_pattern(sources[0]) == re.compile(sources[0]) and regex_cache._read() == {}
