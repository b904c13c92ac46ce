"""What a cold process loads, and when (issue 13): numpy comes with OpenBLAS's thread limit
already set (no threadpoolctl, the environment as it was), an ingest starts its Chroma
writer before it imports numpy, tqdm or tiktoken, and the writer child skips httpx's
command line; the shortcuts on the way (the batch embedding, the word bound on token
counts, the kept chunk rows) give what the long way gives. Structure only: which modules a
fresh process holds, never a time."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np

from retrieval import chroma_writer, derived, tokens
from retrieval.embedding import HashingEmbedder
from retrieval.index import CHUNKS, read_chunks
from retrieval.store import ChunkTable, chunks_file_digest
from tests.perf.test_cold_start import CORPUS_SETTINGS, clean_env, corpus_paths
from tests.support.corpus import make_settings


def run(code: str, tmp_path, env=None):
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=env if env is not None else clean_env(tmp_path),
    ).stdout
    return json.loads(out.splitlines()[-1])


def test_troly_ask_loads_numpy_with_one_blas_thread_without_threadpoolctl_and_leaves_the_environment(
    corpus_app, tmp_path
):
    question = "Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?"
    code = CORPUS_SETTINGS.format(given=corpus_paths(corpus_app)) + (
        "import os\nbefore=dict(os.environ)\n"
        "args=argparse.Namespace(json=True, batch=None, question=[" + repr(question) + "], doc=None)\n"
        "with contextlib.redirect_stdout(out): rc=cli.cmd_ask(Assistant(s), args)\n"
        "loaded='threadpoolctl' in sys.modules\n"
        "from threadpoolctl import threadpool_info\n"
        "blas=[p['num_threads'] for p in threadpool_info() if p['user_api']=='blas']\n"
        "print(json.dumps([rc, loaded, blas, dict(os.environ)==before]))"
    )
    env = clean_env(tmp_path)
    env.pop("OPENBLAS_NUM_THREADS", None)
    rc, loaded, blas, same_env = run(code, tmp_path, env)
    assert rc == 0 and not loaded and same_env
    assert blas and all(n == 1 for n in blas)


def test_the_ingest_starts_its_chroma_writer_before_it_imports_numpy_tqdm_or_tiktoken(tmp_path, sources_copy):
    code = (
        "import json,sys\nfrom pathlib import Path\nfrom assistant.api import Assistant\n"
        "import retrieval.prepare as prepare\nfrom tests.support.corpus import make_settings\n"
        "seen=[]\nreal=prepare.Preparation.start_collection_writer\n"
        "def start(self):\n"
        "    seen.append(sorted({m.split('.')[0] for m in sys.modules} & {'numpy','tqdm','tiktoken','bm25s','chromadb'}))\n"
        "    real(self)\n"
        "prepare.Preparation.start_collection_writer=start\n"
        f"app=Assistant(make_settings(Path({str(tmp_path)!r}), Path({str(sources_copy)!r})))\n"
        "r=app.ingest(progress=False)\n"
        "print(json.dumps([r.chunks, seen[0]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=600)
    chunks, before_writer = json.loads(out.stdout.splitlines()[-1])
    assert chunks > 500 and before_writer == []


def test_the_writer_child_runs_with_one_blas_thread_and_without_httpx_command_line(monkeypatch):
    code = chroma_writer.PRELUDE + (
        "import json, httpx\nprint(json.dumps(['httpx._main' in sys.modules, callable(httpx.main)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300)
    assert json.loads(out.stdout.splitlines()[-1]) == [False, True]
    # chromadb without its tracing exporter (grpc) and its signature checks, its marks kept
    code = chroma_writer.PRELUDE + (
        "import json, chromadb\nfrom chromadb.api.rust import RustBindingsAPI\n"
        "print(json.dumps(['grpc' in sys.modules, RustBindingsAPI.stop.__override__]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300)
    assert json.loads(out.stdout.splitlines()[-1]) == [False, True]
    seen = {}

    class Recorder:
        def __init__(self, args, **kwargs):
            seen.update(kwargs)

        def kill(self):
            pass

        def communicate(self):
            return "", ""

    monkeypatch.setattr(chroma_writer.subprocess, "Popen", Recorder)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    chroma_writer.ChromaWriter().cancel()
    assert seen["env"]["OPENBLAS_NUM_THREADS"] == "1"
    import os

    assert "OPENBLAS_NUM_THREADS" not in os.environ  # the parent's own environment untouched


def test_a_batch_is_embedded_into_the_very_vectors_of_each_text(corpus_app):
    texts = [c.embedding_text() for c in corpus_app.table.chunks[:300]]
    texts += ["", "   ", "a", "Điều 1. Điều 1. Điều 1.", "AI và chuyển đổi số", "x" * 50]
    matrix = HashingEmbedder().embed_array(texts)
    one = HashingEmbedder()
    rows = np.stack([one._vector(t) for t in texts])  # noqa: SLF001
    assert matrix.dtype == np.float32 and matrix.shape == rows.shape
    assert np.array_equal(matrix.view(np.uint32), rows.view(np.uint32))  # bit for bit
    assert HashingEmbedder().embed_array([]).shape == (0, 1024)


def test_the_word_bound_settles_only_what_the_count_says(corpus_app):
    texts = [c.text for c in corpus_app.table.chunks[:400]]
    alphabet = list("ab cdé ệ!?.,;:\t\n\r'0123456789 -–“”…αβ中文") + ["  ", "\n\n", "'s", "\u00a0", "\u3000", "\x1c"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(3000)]
    for text in texts:
        n = tokens.count_tokens(text)
        if "\x1c" not in text:
            assert n >= len(text.split())  # the bound holds
        for limit in (0, 3, 11, 40, 400):
            assert tokens.at_most(text, limit) == (n <= limit)
    # "!\x1c!\x1c!" is three words to Python and one piece to cl100k: the bound is not used
    assert tokens.at_most("!\x1c!\x1c!", 2) == (tokens.count_tokens("!\x1c!\x1c!") <= 2)


def test_the_chunk_rows_are_kept_read_back_as_parsed_and_parsed_again_when_stale(corpus_app, tmp_path, monkeypatch):
    gen = corpus_app.table.generation
    folder = derived.folder_of(gen)
    data = (gen / CHUNKS).read_bytes()
    digest = chunks_file_digest(data)
    expected = read_chunks(gen)
    for old in folder.glob("table-*.marshal"):
        old.unlink()
    first = ChunkTable.at(gen)  # parsed, and kept
    assert first.chunks == expected and first.source_digest == digest
    assert [p.name for p in folder.glob("table-*.marshal")] == [f"table-{digest}.marshal"]
    import retrieval.store as store

    parsed = []
    real = store.json.loads
    monkeypatch.setattr(store.json, "loads", lambda s: parsed.append(s.startswith('{"id"')) or real(s))
    again = ChunkTable.at(gen)  # from the kept rows
    assert again.chunks == expected and not any(parsed)  # (the manifest is JSON still)
    (folder / f"table-{digest}.marshal").write_bytes(b"\0damaged")
    assert ChunkTable.at(gen).chunks == expected and any(parsed)  # parsed again
    assert derived.kept_rows(folder, "jsonl-another", store._FIELDS) is None  # noqa: SLF001


def test_a_searcher_opened_after_an_ingest_reads_back_every_derived_value(tmp_path, sources_copy, monkeypatch):
    from assistant.api import Assistant
    from retrieval import features, search, twins

    app = Assistant(make_settings(tmp_path, sources_copy))
    app.ingest(progress=False)
    built = []
    monkeypatch.setattr(search, "clause_values", lambda *a: built.append("values"))
    monkeypatch.setattr(twins, "twins_of", lambda *a: built.append("twins"))
    monkeypatch.setattr(features.Profiles, "__init__", lambda *a: built.append("profiles"))
    fresh = Assistant(make_settings(tmp_path, sources_copy))
    assert fresh.table.source_digest is not None
    assert fresh.searcher is not None and built == []  # the ingest's keys are the reader's


def test_a_pattern_compiled_when_a_process_opens_is_kept_at_exit_and_read_back_as_re_compiles_it(tmp_path, monkeypatch):
    import re

    from retrieval import regex_cache

    monkeypatch.setattr(regex_cache, "LEARNED", tmp_path / "learned.marshal")
    monkeypatch.setattr(regex_cache, "_learned", None)
    monkeypatch.setattr(regex_cache, "_pending", [])
    monkeypatch.setattr(regex_cache, "LEARNED_MAX", 2)
    sources = [r"(?<!\w)(?:bộ y tế|bộ tài chính)(?!\w)", r"(?<![\w&])(kh\&cn|đmst)(?![\w&])", r"\b(?P<n>\d+)/NQ\b"]
    registered = []
    monkeypatch.setattr("atexit.register", registered.append)
    for source in sources:
        assert regex_cache.compile_kept(source) == re.compile(source)  # compiled, to be kept
    assert registered == [regex_cache._keep_pending] and regex_cache._pending == sources  # noqa: SLF001
    regex_cache._keep_pending()  # noqa: SLF001 - what the process does as it ends
    monkeypatch.setattr(regex_cache, "_learned", None)  # as the next process reads the file
    kept = regex_cache._read_learned()  # noqa: SLF001
    assert list(kept) == sources[1:]  # the latest LEARNED_MAX
    for source in sources[1:]:
        assert regex_cache.compile_kept(source) == re.compile(source)
    assert regex_cache._pending == []  # noqa: SLF001 - read back, nothing more to keep
    (tmp_path / "learned.marshal").write_bytes(b"\0damaged")
    monkeypatch.setattr(regex_cache, "_learned", None)
    assert regex_cache.compile_kept(sources[2]) == re.compile(sources[2]) and regex_cache._pending == [sources[2]]  # noqa: SLF001


def test_the_matchers_built_when_a_searcher_opens_come_from_compile_kept(corpus_app, monkeypatch):
    from assistant import condense, intent
    from retrieval import lexical, regex_cache

    seen = []
    real = regex_cache.compile_kept
    for module in (condense, intent, lexical):
        monkeypatch.setattr(module, "compile_kept", lambda s: seen.append(s) or real(s))
    monkeypatch.setattr(intent, "_BODY_NAMES", [])
    searcher = corpus_app.searcher
    lexical.Analyzer.from_json(searcher.lexical.analyzer.to_json())
    condense.RuleCondenser(searcher.recognizer)
    intent.named_bodies("Bộ Y tế")
    assert any(s.startswith(r"(?<![\w&])(") for s in seen)  # the analyzer's short forms
    assert sum(s.startswith(r"(?<!\w)(?:") for s in seen) == 3  # the bodies (the condenser's, the intent's), the roles
