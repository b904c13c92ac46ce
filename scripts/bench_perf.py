"""Speed benchmark of issue 13 (not a test: figures, never assertions). Each target is
printed with its absolute figure and, where the issue asks, as a ratio against the peer
pipelines measured in the same run.

    make bench                              # everything at its default size
    python scripts/bench_perf.py --only batch,cold
    python scripts/bench_perf.py --scale 1000,10000,100000,1000000

Sections:
  threads  the dense search's matrix-vector product with the BLAS threads the libraries
           pick and with the process's choice (retrieval/threads.py)
  batch    a warm batch of 1,200 questions (the evaluation set repeated, with histories)
           answered in one process, against the LangChain 1000/200 + Chroma peer of
           scripts/compare_baselines.py and a bare bm25s peer answering the same batch
           (paired rounds, median); per-question p50/p95; a digest of our answers
           (timings left out) so "output unchanged" can be checked across versions.
           Ours twice: as shipped (the answer cache replays exactly repeated requests)
           and with that cache off, plus the first pass over the distinct questions
  cold     `troly ask --json "…"` and `troly docs` in fresh processes: wall and CPU
           (stale bytecode of the project compiled first, as an installed wheel has it)
  ingest   the corpus into a fresh index (fresh process): seconds, CPU (its own and the
           child's that writes the Chroma collection), peak memory, bytes written (the
           child's too) against the size of the index; --ingest-scale N: the corpus N times
  scale    synthetic indexes of N chunks (copies of the corpus's chunks under new
           document ids, built in memory by this script), each in a fresh process:
           search + answer p50/p95 over 60 questions and RSS; the growth exponent
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

QUESTION = "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?"


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * len(s)))]


# -- threads -------------------------------------------------------------------------
def bench_threads() -> None:
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits

    from assistant.api import Assistant

    default = max((p["num_threads"] for p in threadpool_info()), default=1)  # before the process's limit
    app = Assistant()
    dense = app.searcher.dense
    matrix = dense._matrix  # noqa: SLF001 - the product itself is what is measured
    if matrix is None:
        print("threads: chỉ mục vượt giới hạn tìm chính xác; bỏ qua")
        return
    vector = np.asarray(app.embedder.embed_query(QUESTION), dtype=np.float32)

    def per_product(threads: int | None) -> float:
        with threadpool_limits(limits=threads):
            for _ in range(20):
                matrix @ vector
            t = time.perf_counter()
            for _ in range(500):
                matrix @ vector
            return (time.perf_counter() - t) / 500 * 1000

    for _ in range(2):  # paired: default, chosen, default, chosen
        chosen = getattr(app.settings, "blas_threads", 0)  # 0: a version that leaves the libraries' choice
        d, one = per_product(os.cpu_count()), per_product(chosen or None)
    print(
        f"[threads] tích ma trận {matrix.shape[0]}×{matrix.shape[1]}: {os.cpu_count()} luồng BLAS {d:.3f} ms, "
        f"{chosen or default} luồng (lựa chọn của tiến trình) {one:.3f} ms; "
        f"mặc định của thư viện {default} luồng"
    )


# -- batch ---------------------------------------------------------------------------
def batch_requests(n: int, unique: int = 0):
    """n requests: the evaluation set repeated, or its first ``unique`` questions repeated
    (issue 13 measured 60 questions repeated 20 times)."""
    from assistant.types import Message
    from eval.dataset import load_questions

    qs = load_questions()
    reqs = [(q.question, [Message(**t) if isinstance(t, dict) else t for t in q.history]) for q in qs]
    if unique:
        reqs = reqs[:unique]
    return [reqs[i % len(reqs)] for i in range(n)]


def bench_batch(n: int, rounds: int, unique_questions: int = 0) -> None:
    from compare_baselines import bm25_baseline, langchain_baseline

    from assistant.api import Assistant
    from assistant.settings import Settings
    from eval.dataset import load_questions

    # ours twice: as shipped (exactly repeated requests answered from the answer cache) and
    # with that cache off, so the figures say what a new answer costs; the one without
    # runs first in each round, so its first pass meets nothing the other left warm
    plain, cached = "Trợ lý (không nhớ câu trả lời)", "Trợ lý (nhớ câu trả lời lặp lại)"
    apps = {plain: Assistant(Settings(answer_cache=0)), cached: Assistant()}
    reqs = batch_requests(n, unique_questions)
    unique = min(n, unique_questions or len(load_questions()))
    for app in apps.values():
        app.ask(*reqs[0])  # warm: the index is loaded, as in one `troly ask --batch`
    with tempfile.TemporaryDirectory() as tmp:
        peers = {
            "LangChain 1000/200 + Chroma": langchain_baseline(apps[plain], Path(tmp)),
            "bm25s": bm25_baseline(apps[plain]),
        }
        for search in peers.values():
            search(reqs[0][0], 8)
        totals: dict[str, list[float]] = {**{k: [] for k in apps}, **{k: [] for k in peers}}
        cpu: dict[str, list[float]] = {
            k: [] for k in totals
        }  # CPU seconds of the process: less sensitive to a busy machine
        per_q: dict[str, list[float]] = {k: [] for k in apps}
        per_q_cpu: dict[str, list[float]] = {k: [] for k in apps}
        first_pass: dict[str, list[float]] = {k: [] for k in apps}
        first_pass_cpu: dict[str, list[float]] = {k: [] for k in apps}
        digests: dict[str, set[str]] = {k: set() for k in apps}
        for r in range(rounds):
            for name, app in apps.items():
                h = hashlib.sha256()
                t0, c0 = time.perf_counter(), time.process_time()
                for i, (q, hist) in enumerate(reqs):
                    t, c = time.perf_counter(), time.process_time()
                    answer = app.ask(q, hist).to_json()
                    answer.pop("timings_ms", None)
                    h.update(json.dumps(answer, ensure_ascii=False).encode())
                    dt, dc = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
                    per_q[name].append(dt)
                    per_q_cpu[name].append(dc)
                    if r == 0 and i < unique:
                        first_pass[name].append(dt)
                        first_pass_cpu[name].append(dc)
                totals[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
                digests[name].add(h.hexdigest())
            for name, search in peers.items():
                t0, c0 = time.perf_counter(), time.process_time()
                for q, _ in reqs:
                    search(q, 8)
                totals[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
    med = {k: statistics.median(v) for k, v in totals.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    lc, lc_cpu = med["LangChain 1000/200 + Chroma"], med_cpu["LangChain 1000/200 + Chroma"]
    print(f"[batch] {n} câu hỏi (bộ đánh giá lặp lại), {rounds} lượt ghép cặp, trung vị:")
    for name, s in med.items():
        print(
            f"    {name:<36} {s:7.2f} s thực  tỉ lệ so với LangChain {s / lc:5.2f}   |  "
            f"{med_cpu[name]:7.2f} s CPU  tỉ lệ {med_cpu[name] / lc_cpu:5.2f}"
        )
    for name in apps:
        w, c, fw, fc = per_q[name], per_q_cpu[name], first_pass[name], first_pass_cpu[name]
        print(
            f"    mỗi câu hỏi, {name}: p50 {pct(w, 0.5):.2f} ms, p95 {pct(w, 0.95):.2f} ms "
            f"(CPU p50 {pct(c, 0.5):.2f} ms, p95 {pct(c, 0.95):.2f} ms); lượt đầu, {unique} câu khác nhau "
            f"mỗi câu một lần: p50 {pct(fw, 0.5):.2f} ms, p95 {pct(fw, 0.95):.2f} ms "
            f"(CPU p50 {pct(fc, 0.5):.2f} ms, p95 {pct(fc, 0.95):.2f} ms, tổng {sum(fc) / 1000:.2f} s CPU)"
        )
        # what a new answer costs against the peer's whole batch (issue 13's fresh-answer target)
        print(
            f"      lượt đầu {name}: {sum(fc) / 1000:.2f} s CPU cho {unique} câu mới, tỉ lệ so với LangChain "
            f"({lc_cpu:.2f} s CPU cho {n} câu) {sum(fc) / 1000 / lc_cpu:5.2f}"
        )
    every = set().union(*digests.values())
    print(
        f"    đầu ra (trừ timings_ms) sha256 {'/'.join(sorted(d[:16] for d in every))}"
        f"{'' if len(every) == 1 else '  (KHÁC NHAU giữa các lượt hoặc giữa hai cách!)'}"
    )


# -- cold ----------------------------------------------------------------------------
def stale_bytecode() -> list[Path]:
    """The project's modules whose compiled bytecode is missing or older than the source."""
    import importlib.util

    stale = []
    for package in ("assistant", "retrieval", "eval", "prompts"):
        for source in (ROOT / package).rglob("*.py"):
            cached = Path(importlib.util.cache_from_source(str(source)))
            if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
                stale.append(source)
    return stale


def bench_cold(repeats: int) -> None:
    troly = Path(sys.executable).parent / "troly"
    # an installed wheel has its bytecode (pip compiles it; `make` does for this checkout): a
    # fresh edit, or PYTHONDONTWRITEBYTECODE, would have every start compile those modules
    stale = stale_bytecode()
    if stale:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", *map(str, stale)], check=True, capture_output=True, cwd=ROOT
        )
    print(
        f"[cold] mã byte: {len(stale)} mô-đun được biên dịch trước khi đo "
        f"(PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
    )
    for label, argv in (
        ("troly ask --json", [str(troly), "ask", "--json", QUESTION]),
        ("troly docs", [str(troly), "docs"]),
    ):
        walls, cpus = [], []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(
            f"[cold] {label}: trung vị {statistics.median(walls):.3f} s thực, {statistics.median(cpus):.3f} s CPU "
            f"(tốt nhất {min(walls):.3f} s; {repeats} lần)"
        )
    code = (
        "import sys,assistant.cli;print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'langchain_core','langchain_chroma','chromadb','tiktoken','tqdm','scipy','eval','pdfplumber','docx',"
        "'pydantic','pydantic_settings','numpy','bm25s'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    print(f"    nạp khi khởi động CLI: {out or '(không gói nặng nào)'}")


# -- ingest --------------------------------------------------------------------------
# The ingest's peak is its own VmHWM: its ru_maxrss would count this process's peak too (a
# child started by vfork + exec inherits the parent's maximum RSS: after the batch section
# it read 446 MB for an ingest that peaks at 120 MB). The Chroma writer's figure is its
# ru_maxrss, which counts the ingest's RSS when it started the writer (before numpy: small).
INGEST_CHILD = (
    "import json,resource,time;from assistant.api import Assistant;from assistant.settings import Settings;"
    "t=time.perf_counter();c=time.process_time();r=Assistant(Settings()).ingest(progress=False);"
    "s=time.perf_counter()-t;c=time.process_time()-c;k=resource.getrusage(resource.RUSAGE_CHILDREN);"
    "io=dict(l.split(': ') for l in open('/proc/self/io').read().splitlines());"
    "print(json.dumps({'seconds':s,'cpu':c,'child_cpu':k.ru_utime+k.ru_stime,'chunks':r.chunks,"
    "'peak_mb':int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])/1024,'child_peak_mb':k.ru_maxrss/1024,"
    "'written':int(io['write_bytes']),'wchar':int(io['wchar'])}))"
)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_ingest(sources: Path, work: Path) -> dict:
    env = dict(
        os.environ,
        TROLY_SOURCES_DIR=str(sources),
        TROLY_INDEX_DIR=str(work / "index"),
        TROLY_CATALOG_PATH=str(ROOT / "data" / "catalog.toml"),
    )
    out = subprocess.run([sys.executable, "-c", INGEST_CHILD], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["index_bytes"] = du(work / "index")
    return result


def bench_ingest(scale: int) -> None:
    import shutil

    sources = ROOT / "data" / "sources"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = [("kho văn bản", sources)]
        if scale > 1:
            big = tmp / "big-sources"
            big.mkdir()
            for path in sorted(sources.iterdir()):
                for i in range(scale):
                    shutil.copyfile(path, big / f"{path.stem}-{i:03d}{path.suffix}")
            runs.append((f"kho x{scale}", big))
        for label, src in runs:
            r = run_ingest(src, tmp / label.replace(" ", "_"))
            written = max(r["written"], r["wchar"])  # write_bytes misses tmpfs; wchar counts every write call
            print(
                f"[ingest] {label}: {r['chunks']} đoạn trong {r['seconds']:.2f} s "
                f"({r['cpu'] + r['child_cpu']:.2f} s CPU, trong đó tiến trình con ghi Chroma {r['child_cpu']:.2f} s) "
                f"({r['seconds'] / max(r['chunks'], 1) * 1000:.2f} ms/đoạn), đỉnh bộ nhớ {r['peak_mb']:.0f} MB "
                f"(tiến trình con {r['child_peak_mb']:.0f} MB), "
                f"ghi {written / 1e6:.1f} MB = {written / max(r['index_bytes'], 1):.2f}× chỉ mục ({r['index_bytes'] / 1e6:.1f} MB)"
            )


# -- scale ---------------------------------------------------------------------------
SCALE_CHILD = r"""
import json, resource, sys, time, dataclasses, tempfile, shutil
from pathlib import Path
sys.path.insert(0, ROOT)
import numpy as np
from assistant.api import Assistant
from retrieval.cells import EXACT_LIMIT, build_cells
from retrieval.search import DenseIndex
from retrieval.search_cache import CachedSearcher
from retrieval.store import ChunkTable
from retrieval.features import Profiles
from retrieval.vectors import GenerationVectors
from retrieval.docref import DocumentRecognizer
sys.path.insert(0, ROOT + "/scripts")
from bench_perf import Tiled, batch_requests, copy_id, synthetic_lexical, tiled_profiles, tiled_twins

n = N
app = Assistant()
base = app.table.chunks
t0 = time.perf_counter()
chunks = []
i = 0
while len(chunks) < n:
    for c in base:
        if len(chunks) == n:
            break
        # ids as the product writes them, "<doc id>:<path>" (a search within a document reads its rows by them)
        chunks.append(c if i == 0 else dataclasses.replace(c, id=copy_id(c.id, c.doc_id, i), doc_id=f"{c.doc_id}-{i}",
                                                            parent_id=copy_id(c.parent_id, c.doc_id, i)))
    i += 1
table = ChunkTable(app.table.generation, app.table.manifest, chunks)
base_vectors = np.asarray(app.embedder.embed_documents([c.embedding_text() for c in base]), dtype=np.float32)
tmp = Path(tempfile.mkdtemp())
ids = [c.id for c in chunks]
if n > EXACT_LIMIT:  # above the exact limit the product reads the generation's dense cells: build them
    build_cells(tmp, Tiled(base_vectors, n))
    vectors = GenerationVectors(tmp, ids, Tiled(base_vectors, n))
else:
    vectors = GenerationVectors(tmp, ids, base_vectors[np.arange(n) % len(base)])
lexical = synthetic_lexical(app.searcher.lexical, base, n)
# the profiles and twins the ingest would have written, read back as the product reads them
(tmp / "profiles").mkdir()
tiled_profiles(app.searcher.profiles, n).save(tmp / "profiles")
profiles = Profiles.load(tmp / "profiles")
searcher = CachedSearcher(table, lexical, DenseIndex(vectors, app.embedder, table), DocumentRecognizer(app.catalog.documents),
                          profiles=profiles, twins=tiled_twins(app.searcher._twins, len(base), n))
del vectors
answerer = app._build_answerer(searcher)
build = time.perf_counter() - t0
reqs = batch_requests(60)
answerer.ask(*reqs[0])
times, cpu_times = [], []
for q, h in reqs:
    t, c = time.perf_counter(), time.process_time()
    answerer.ask(q, h)
    times.append((time.perf_counter() - t) * 1000)
    cpu_times.append((time.process_time() - c) * 1000)
rss = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
shutil.rmtree(tmp, ignore_errors=True)
print(json.dumps({"n": n, "build_s": build, "times": times, "cpu_times": cpu_times, "rss_mb": rss, "peak_mb": peak}))
"""


def copy_id(chunk_id: str, doc_id: str, i: int) -> str:
    """The id of copy i of a clause of ``doc_id`` (copy i of the document is "<doc id>-i")."""
    if not chunk_id:
        return ""
    rest = chunk_id[len(doc_id) + 1 :] if chunk_id.startswith(doc_id + ":") else chunk_id
    return f"{doc_id}-{i}:{rest}"


class Tiled:
    """The vectors of n copies of the base rows (row r is base row r mod len(base)), read a
    slice or a row list at a time as the product reads vectors.npy (never all at once)."""

    def __init__(self, base, n: int):
        self.base, self.n = base, n
        self.shape = (n, base.shape[1])

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, rows):
        import numpy as np

        if isinstance(rows, slice):
            a, b, _ = rows.indices(self.n)
            rows = np.arange(a, b)
        return self.base[np.asarray(rows) % len(self.base)]


def tiled_profiles(base, n: int):
    """The reranker's profiles of n copies of the base rows (arrays repeated, not recomputed)."""
    import numpy as np

    from retrieval.features import Profiles, Ragged

    m = len(base)
    reps = -(-n // m)
    last = (n - 1) % m

    def tile(flat, indptr):
        flat, indptr = np.asarray(flat), np.asarray(indptr)
        total = int(indptr[-1])
        starts = (indptr[:-1][None, :] + total * np.arange(reps, dtype=np.int64)[:, None]).ravel()[:n]
        end = int(starts[-1] + indptr[last + 1] - indptr[last])
        return np.tile(flat, reps)[:end], np.append(starts, end)

    prof = Profiles.__new__(Profiles)
    prof.vocab = base.vocab
    prof.packed = {f: tile(*got) for f, got in base.packed.items()}
    rows = np.arange(n) % m
    prof.n_tokens, prof.has_items = np.asarray(base.n_tokens)[rows], np.asarray(base.has_items)[rows]
    for name in ("numbers", "heading_numbers", "item_leads"):
        r = getattr(base, name)
        setattr(prof, name, Ragged(*tile(r.values, r.indptr), r.as_set))
    return prof


def tiled_twins(twins: dict, m: int, n: int) -> dict:
    """The base rows' twins within each copy."""
    out = {}
    for copy in range(0, n, m):
        for i, js in twins.items():
            if copy + i < n:
                out[copy + i] = [copy + j for j in js if copy + j < n]
    return out


def synthetic_lexical(lexical, base, n: int):
    """A BM25 index of n chunks that are copies of base: the base texts analyzed once
    (retrieval/corpus_tokens.py), their token ids repeated a copy at a time into the
    ingest's array build (retrieval/bm25_build.py), so that a million chunks build in
    seconds and never hold a token list per chunk."""
    import numpy as np

    from retrieval.bm25_build import bm25_of, index_of
    from retrieval.corpus_tokens import TokenIds
    from retrieval.lexical import LexicalIndex

    tokenizer = TokenIds(lexical.analyzer)
    flat, indptr = tokenizer.texts([(c.embedding_text(),) for c in base])
    lengths = np.diff(indptr)
    m = len(base)

    def copies():
        for start in range(0, n, m):
            k = min(m, n - start)
            yield flat[: indptr[k]], lengths[:k]

    scores, vocab = index_of(copies(), tokenizer.strings, tokenizer.token)
    bm25 = bm25_of(scores, vocab)
    columns = np.diff(np.asarray(bm25.scores["indptr"], dtype=np.int64)).tolist()
    return LexicalIndex(lexical.analyzer, bm25, {t: columns[i] for t, i in bm25.vocab_dict.items() if i < len(columns)})


def bench_scale(sizes: list[int]) -> None:
    results = []
    for n in sizes:
        code = f"ROOT = {str(ROOT)!r}\nN = {n}\n" + SCALE_CHILD
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode:
            print(f"[scale] {n} đoạn: lỗi\n{proc.stderr[-2000:]}")
            break
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"[scale] {n:>9} đoạn: lập {r['build_s']:.1f} s; tìm + trả lời p50 {pct(r['times'], 0.5):.1f} ms, "
            f"p95 {pct(r['times'], 0.95):.1f} ms (CPU p50 {pct(r['cpu_times'], 0.5):.1f} ms, "
            f"p95 {pct(r['cpu_times'], 0.95):.1f} ms: trên máy dùng chung thời gian thực gồm cả tải của "
            f"các tiến trình khác); RSS {r['rss_mb']:.0f} MB (đỉnh {r['peak_mb']:.0f} MB)",
            flush=True,
        )
    if len(results) >= 2:
        a, b = results[0], results[-1]
        for key, what in (("times", "thời gian"), ("cpu_times", "CPU")):
            for label, q in (("p50", 0.5), ("p95", 0.95)):
                e = math.log(pct(b[key], q) / pct(a[key], q)) / math.log(b["n"] / a["n"])
                print(f"    số mũ tăng trưởng {label} ({what}) {a['n']}→{b['n']}: {e:.2f} (1 = tuyến tính)")
        e = math.log(b["rss_mb"] / a["rss_mb"]) / math.log(b["n"] / a["n"])
        print(f"    số mũ tăng trưởng RSS {a['n']}→{b['n']}: {e:.2f} (1 = tuyến tính)")
    if results:  # issue 13's target at the largest size: p95 < 150 ms, RSS < 4 GB
        r = results[-1]
        p95, cpu95 = pct(r["times"], 0.95), pct(r["cpu_times"], 0.95)
        print(
            f"    mục tiêu ở {r['n']} đoạn: p95 {p95:.1f} ms (CPU {cpu95:.1f} ms) "
            f"{'<' if p95 < 150 else '≥'} 150 ms, RSS {r['rss_mb'] / 1024:.2f} GB {'<' if r['rss_mb'] < 4096 else '≥'} 4 GB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="threads,batch,cold,ingest,scale")
    parser.add_argument("--batch", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--unique",
        type=int,
        default=0,
        help="the batch repeats the first N questions (0: the whole set; the issue used 60)",
    )
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument(
        "--ingest-scale", type=int, default=1, help="also ingest the corpus N times (113: ~100,000 chunks)"
    )
    parser.add_argument("--scale", default="1000,10000,100000")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"máy: {os.cpu_count()} lõi, tải {os.getloadavg()[0]:.1f}")
    if "threads" in only:
        bench_threads()
    if "batch" in only:
        bench_batch(args.batch, args.rounds, args.unique)
    if "cold" in only:
        bench_cold(args.cold)
    if "ingest" in only:
        bench_ingest(args.ingest_scale)
    if "scale" in only:
        bench_scale([int(s) for s in args.scale.split(",") if s])


if __name__ == "__main__":
    main()
