"""The evaluation run: every question through the public API (``Assistant.ask`` with its
history, as the UI asks it) — or answers read from a file (``score_answers``) — the
metrics per question, overall, by question type and by split (dev and test side by side),
the retrieval metrics beside them, the detection table (the run's answers broken on
purpose), the changes since the last release run, then a report folder; plus
``compare`` and ``gate``."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import read_jsonl
from assistant.errors import BadInputError, TrolyError
from assistant.types import Message

from .answers import ScoredLine
from .dataset import SPLITS, TYPES, GoldLocator, Question, question_from
from .gate import GATE, gate, read_gate
from .metrics import Result, Sample, default_metrics, judge_metrics, latency_stats
from .retrieval import KS, evaluate_retrieval

REPORTS = Path(__file__).resolve().parent / "reports"  # the default (Settings.reports)
# Metrics where lower is better (the rest: higher is better).
LOWER_IS_BETTER = {
    "false_refusal_rate",
    "errors",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_mean_ms",
    "latency_max_ms",
}


def load_cases(path: Path, include_review: bool = False) -> tuple[list[Question], int]:
    """Questions from a JSONL file (extra keys ignored); cases marked ``"review": true``
    (from negative feedback, gold not yet written) are skipped unless include_review.
    Returns the questions and how many were skipped."""
    out, skipped = [], 0
    for n, data in read_jsonl(path, missing=f"không tìm thấy tệp câu hỏi {path}"):
        try:
            if data.get("review") and not include_review:
                skipped += 1
                continue
            out.append(question_from(data))
        except (ValueError, TypeError) as exc:
            raise BadInputError(f"{path}, dòng {n}: không đọc được câu hỏi ({exc}); hãy sửa dòng này") from exc
    return out, skipped


def ask_all(app, questions: list[Question], progress: Callable[[int, int], None] | None = None) -> list[Sample]:
    """Each question through Assistant.ask with its history; a failure is recorded, not raised."""
    samples = []
    for i, q in enumerate(questions, 1):
        history = [Message(m["role"], m["content"]) for m in q.history]
        t0 = time.perf_counter()
        try:
            answer, error = app.ask(q.question, history), ""
        except TrolyError as exc:
            answer, error = None, str(exc)
        except Exception as exc:  # noqa: BLE001 - one broken question must not stop the run
            answer, error = None, f"{type(exc).__name__}: {exc}"
        samples.append(Sample(q, answer, time.perf_counter() - t0, error))
        if progress:
            progress(i, len(questions))
    return samples


def score_all(samples: list[Sample], metrics: list, workers: int = 1) -> list[dict[str, Result]]:
    """Every metric on every sample (in threads when a remote judge is slow)."""

    def one(sample: Sample) -> dict[str, Result]:
        return {m.name: m.score(sample) for m in metrics}

    if workers <= 1 or len(samples) <= 1:
        return [one(s) for s in samples]
    # The first sample alone: a remote judge's client and its libraries import lazily on the
    # first call, and two threads importing the same modules at once can meet a partially
    # initialised module (httpx under openai's client); once warm, the rest go in threads.
    first = one(samples[0])
    with ThreadPoolExecutor(workers) as pool:
        return [first, *pool.map(one, samples[1:])]


@dataclass
class Evaluation:
    """What a run needs beyond the app; built by the CLI or a test."""

    questions: list[Question]
    questions_path: Path | None = None
    judge: Any = None  # eval.judge.OpenAIJudge
    retrieval: bool = True
    progress: Callable[[int, int], None] | None = None
    gate_path: Path | None = GATE
    extra_config: dict[str, Any] = field(default_factory=dict)
    detection: bool = True  # break the run's answers on purpose and measure what the metrics catch
    # broken answers per kind at most: at 60 the test part drew about 15 a kind, and the gate
    # read a 2-case difference (13 or 14 of 15); 200 keeps a run near half a minute
    detection_cap: int | None = 200
    mutate: str | None = None  # score the answers broken this way (eval/mutations.py), to prove the gate
    release: Path | None = None  # the last release run's record (eval/release.json) to report changes against


def evaluate(app, ev: Evaluation) -> dict[str, Any]:
    """Run the evaluation; return the results (the content of results.json)."""
    from .mutations import table_clauses

    t0 = time.perf_counter()
    table = app.table
    _warm_up(app, ev.questions)
    samples = ask_all(app, ev.questions, ev.progress)
    siblings, others = table_clauses(table)
    metrics = default_metrics(lambda cid: table.by_id[cid].text if cid in table.by_id else None, table)
    locator = GoldLocator(table)
    retrieval = (lambda records: _retrieval(app, ev.questions, records)) if ev.retrieval else None
    results = _finish(samples, metrics, ev, _config(app, ev, samples), locator, table, retrieval, siblings, others)
    results["seconds"] = round(time.perf_counter() - t0, 2)
    return results


def score_answers(lines: list[ScoredLine], ev: Evaluation, source: Path | None = None) -> dict[str, Any]:
    """Score answers produced elsewhere (eval.answers.read_answers) from the file alone:
    no index, no retrieval metrics; quotes are checked against the text each citation
    carries; gold-based metrics for the lines whose id names a question of the set."""
    t0 = time.perf_counter()
    samples = [Sample(line.question, line.answer, line.seconds) for line in lines]
    backend = next((line.answer.backend for line in lines if line.answer.backend), {})
    config = {
        "mode": "score",
        "answers_file": str(source or ""),
        "embedder": backend.get("embedder", ""),
        "generator": backend.get("generator", ""),
        "index_generation": "",
        "questions": len(samples),
        "matched_questions": sum(line.matched for line in lines),
        "questions_file": str(ev.questions_path or ""),
        "judge": ev.judge.model if ev.judge is not None else "không",
        "python": platform.python_version(),
    }
    config.update(ev.extra_config)
    results = _finish(samples, default_metrics(), ev, config, None, None, None, None, None)
    results["seconds"] = round(time.perf_counter() - t0, 2)
    return results


def _finish(samples, metrics, ev: Evaluation, config, locator, table, retrieval, siblings, others) -> dict[str, Any]:
    """Everything after the answers are in: mutation (--mutate), scores, records,
    aggregates by split, retrieval, detection table, changes since release, gate."""
    from .detection import detection
    from .release import diff, load_release

    if ev.mutate:
        samples = _mutated(samples, ev.mutate, siblings, others)
        config["mutated"] = ev.mutate
    if ev.judge is not None:
        metrics = metrics + judge_metrics(ev.judge)
    scores = score_all(samples, metrics, workers=4 if ev.judge is not None else 1)
    records = [_record(s, sc, locator, table) for s, sc in zip(samples, scores)]
    results = {
        "created": datetime.now().isoformat(timespec="seconds"),
        "config": config,
        "metrics": _metrics_by_split(records),
        "retrieval": retrieval(records) if retrieval else None,
        "latency_ms": sorted(r["latency_ms"] for r in records if r["latency_ms"] is not None),
        "judge": ev.judge.summary() if ev.judge is not None else None,
        "questions": records,
    }
    if ev.judge is not None:
        results["judge"]["agreement"] = _agreement(records)
    if ev.detection:
        offline = [m for m in metrics if not m.name.endswith("_judge")]
        results["detection"] = detection(
            samples, scores, offline, siblings=siblings, others=others, cap=ev.detection_cap
        )
    release = load_release(ev.release) if ev.release else None
    results["since_release"] = diff(release, results) if release else None
    if ev.gate_path is not None and ev.gate_path.exists():
        failures, split = gate(results, ev.gate_path, with_split=True)
        results["gate"] = {
            "file": str(ev.gate_path),
            "passed": not failures,
            "split": split,
            "failures": [f.__dict__ for f in failures],
            "thresholds": read_gate(ev.gate_path),
        }
    return results


def _mutated(samples: list[Sample], kind: str, siblings, others) -> list[Sample]:
    """Every answer that can be broken this way, broken (the others unchanged)."""
    from .detection import expected_item
    from .mutations import mutate

    out = []
    for s in samples:
        m = (
            mutate(s.answer, kind, s.question.id, siblings, others, expected_item(s.question))
            if s.answer is not None
            else None
        )
        out.append(Sample(s.question, m.answer, s.seconds, s.error) if m else s)
    return out


def _metrics_by_split(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregates over all questions, by type, and for each split (dev, test)."""
    out = {
        "overall": aggregate(records),
        "by_type": {t: aggregate(rs) for t, rs in _by_type(records).items()},
        "splits": {},
    }
    for split in SPLITS:
        rs = [r for r in records if r.get("split") == split]
        if rs:
            out["splits"][split] = {
                "overall": aggregate(rs),
                "by_type": {t: aggregate(g) for t, g in _by_type(rs).items()},
            }
    return out


def _warm_up(app, questions: list[Question]) -> None:
    """Load the index and answer once before timing, so p95 measures warm answers."""
    try:
        app.ask(questions[0].question if questions else "khởi động")
    except Exception:  # noqa: BLE001 - the timed run records the error
        pass


def _record(sample: Sample, scores: dict[str, Result], locator: GoldLocator | None, table) -> dict[str, Any]:
    from .gold import holds

    q, a = sample.question, sample.answer
    gold = []
    for g in q.gold:
        chunks = locator.chunks_for(g) if locator is not None and g.doc in table.manifest.documents else []
        labels = [c.label for c in chunks] or ([g.label] if g.label else [])
        gold.append(
            {
                "doc": g.doc,
                "evidence": g.evidence,
                "clause": g.clause,
                "clauses": labels,
                "chunk_ids": [c.id for c in chunks],
            }
        )
    gold_ids = {cid for g in gold for cid in g["chunk_ids"]}

    def is_gold(c) -> bool:
        return c.chunk_id in gold_ids or any(holds(c, g) for g in q.gold)

    cited_gold = [is_gold(c) for c in (a.citations if a else [])]
    record = {
        "id": q.id,
        "type": q.type,
        "split": q.split,
        "question": q.question,
        "history": q.history,
        "answerable": q.answerable,
        "key_facts": q.key_facts,
        "gold": gold,
        "error": sample.error,
        "standalone_question": a.standalone_question if a else "",
        "answer": a.answer if a else "",
        "abstained": a.abstained if a else None,
        "notice": getattr(a, "notice", "") if a else "",
        "citations": [
            {
                "marker": c.marker,
                "chunk_id": c.chunk_id,
                "doc_short": c.doc_short,
                "clause": c.clause,
                "label": c.label,
                "quote": c.quote,
                "gold": g,
            }
            for c, g in zip(a.citations if a else [], cited_gold)
        ],
        "contexts": [{"chunk_id": c.chunk_id, "label": c.label, "score": c.score} for c in (a.contexts if a else [])],
        "gold_cited": any(cited_gold) if (a and not a.abstained and q.gold and q.answerable) else None,
        "latency_ms": round(sample.seconds * 1000, 2) if a else None,
        "scores": {name: r.value for name, r in scores.items()},
        "reasons": {name: r.reason for name, r in scores.items()},
        "support": _support_counts(scores),
    }
    record["failures"] = failures_of(record)
    return record


def _support_counts(scores: dict[str, Result]) -> dict[str, Any]:
    out = {}
    for name, r in scores.items():
        if name.startswith("citation_recall"):
            out[name] = {
                "supported": r.details.get("supported", 0),
                "total": r.details.get("total", 0),
                "decisions": [s["supported"] for s in r.details.get("sentences", [])],
            }
    return out


def failures_of(record: dict[str, Any]) -> list[str]:
    """Why a question counts as a failure in the report (Vietnamese, one line each)."""
    if record["error"]:
        return [f"lỗi: {record['error']}"]
    out = []
    for name, value in record["scores"].items():
        if value is None:
            continue
        bad = value > 0 if name in LOWER_IS_BETTER else value < 1
        if bad:
            out.append(f"{name}: {record['reasons'][name]}")
    return out


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean of each metric over the questions it applies to, the micro share of supported
    sentences, the share of answers citing a gold clause, latency, errors and counts."""
    names = list(dict.fromkeys(n for r in records for n in r["scores"]))
    out: dict[str, Any] = {"questions": len(records)}
    for name in names:
        values = [r["scores"][name] for r in records if r["scores"].get(name) is not None]
        out[name] = sum(values) / len(values) if values else None
        out[f"n_{name}"] = len(values)
    for name in {n for r in records for n in r["support"]}:
        total = sum(r["support"][name]["total"] for r in records if name in r["support"])
        supported = sum(r["support"][name]["supported"] for r in records if name in r["support"])
        key = "supported_sentences" + name.removeprefix("citation_recall")
        out[key] = supported / total if total else None
        out[f"n_{key}"] = total
    cited = [r["gold_cited"] for r in records if r["gold_cited"] is not None]
    out["gold_cited"] = sum(cited) / len(cited) if cited else None
    out["n_gold_cited"] = len(cited)
    out["errors"] = sum(bool(r["error"]) for r in records)
    out.update(latency_stats([r["latency_ms"] for r in records if r["latency_ms"] is not None]))
    return out


def _by_type(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    order = {t: i for i, t in enumerate(TYPES)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(records, key=lambda r: order.get(r["type"], len(order))):
        groups.setdefault(r["type"], []).append(r)
    return groups


def _retrieval(app, questions: list[Question], records: list[dict[str, Any]]) -> dict[str, Any]:
    def condense(question: str, history: list[dict]) -> str:
        return app.condense(question, [Message(m["role"], m["content"]) for m in history])

    report = evaluate_retrieval(lambda query, k: app.search(query, k), condense, app.table, questions)
    by_id = {r["id"]: r for r in records}
    for res in report.results:
        by_id[res.question.id]["retrieval"] = {
            **{f"recall@{k}": res.recall(k) for k in KS},
            "rr": res.reciprocal_rank,
            "ranks": res.ranks,
        }
    by_type = report.by_type()
    order = [t for t in TYPES if t in by_type] + [t for t in by_type if t not in TYPES]
    splits = {}
    for split in SPLITS:
        rs = [r for r in report.results if r.question.split == split]
        if rs:
            splits[split] = {"overall": report.metrics(rs)}
    return {"overall": report.metrics(), "by_type": {t: by_type[t] for t in order}, "splits": splits}


def _agreement(records: list[dict[str, Any]]) -> float | None:
    """Share of sentences where the lexical check and the LLM judge agree on support."""
    same = total = 0
    for r in records:
        lex = r["support"].get("citation_recall", {}).get("decisions", [])
        llm = r["support"].get("citation_recall_judge", {}).get("decisions", [])
        for a, b in zip(lex, llm):
            if a is not None and b is not None:
                total += 1
                same += a == b
    return same / total if total else None


def _config(app, ev: Evaluation, samples: list[Sample]) -> dict[str, Any]:
    s = app.settings
    backend = next((smp.answer.backend for smp in samples if smp.answer is not None), {})
    table = app.table
    config = {
        "embedder": backend.get("embedder", s.embedder),
        "generator": backend.get("generator", s.generator),
        "top_k": s.top_k,
        "abstain_threshold": app.abstain_threshold,
        "index_generation": table.generation.name,
        "documents": {d: info.get("sha256", "") for d, info in sorted(table.manifest.documents.items())},
        "questions_file": str(ev.questions_path or ""),
        "questions": len(ev.questions),
        "questions_sha256": hashlib.sha256(ev.questions_path.read_bytes()).hexdigest()
        if ev.questions_path and ev.questions_path.exists()
        else "",
        "judge": ev.judge.model if ev.judge is not None else "không",
        "python": platform.python_version(),
    }
    config.update(ev.extra_config)
    return config


# -- report folder ---------------------------------------------------------------------
def write_run(results: dict[str, Any], out: Path | None = None, reports: Path = REPORTS) -> Path:
    """Write results.json, report.md and report.html into out (default:
    <reports>/<YYYYmmdd-HHMMSS>/); return the folder."""
    from .report import render_html, render_markdown

    folder = out or reports / datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    (folder / "report.md").write_text(render_markdown(results), "utf-8")
    (folder / "report.html").write_text(render_html(results), "utf-8")
    return folder


def load_run(path: Path) -> dict[str, Any]:
    """results.json of a run, given its folder or the file itself."""
    file = path / "results.json" if path.is_dir() else path
    if not file.exists():
        raise BadInputError(f"không tìm thấy kết quả đánh giá ở {path}; hãy chỉ tới thư mục eval/reports/<lần chạy>")
    try:
        return json.loads(file.read_text("utf-8"))
    except ValueError as exc:
        raise BadInputError(f"{file} không phải JSON hợp lệ ({exc})") from exc


# -- compare -----------------------------------------------------------------------------
@dataclass
class QuestionDiff:
    id: str
    type: str
    question: str
    changes: dict[str, tuple[float | None, float | None]]
    answer_changed: bool


@dataclass
class Comparison:
    a: str
    b: str
    overall: dict[str, tuple[Any, Any]]
    by_type: dict[str, dict[str, tuple[Any, Any]]]
    questions: list[QuestionDiff]
    only_a: list[str]
    only_b: list[str]


def compare(run_a: Path | dict, run_b: Path | dict) -> Comparison:
    """Metric by metric and question by question differences between two runs."""
    a = run_a if isinstance(run_a, dict) else load_run(run_a)
    b = run_b if isinstance(run_b, dict) else load_run(run_b)

    def pairs(x: dict, y: dict) -> dict[str, tuple[Any, Any]]:
        keys = [k for k in dict.fromkeys([*x, *y]) if not k.startswith("n_")]
        return {k: (x.get(k), y.get(k)) for k in keys if x.get(k) != y.get(k)}

    overall = pairs(a["metrics"]["overall"], b["metrics"]["overall"])
    for k in ("overall",):
        ra, rb = (a.get("retrieval") or {}).get(k) or {}, (b.get("retrieval") or {}).get(k) or {}
        overall.update({f"retrieval.{m}": v for m, v in pairs(ra, rb).items()})
    types = dict.fromkeys([*a["metrics"]["by_type"], *b["metrics"]["by_type"]])
    by_type = {t: pairs(a["metrics"]["by_type"].get(t, {}), b["metrics"]["by_type"].get(t, {})) for t in types}
    qa = {q["id"]: q for q in a["questions"]}
    qb = {q["id"]: q for q in b["questions"]}
    diffs = []
    for qid in [i for i in qa if i in qb]:
        x, y = qa[qid], qb[qid]
        changes = {m: v for m, v in pairs(x["scores"], y["scores"]).items()}
        if x.get("abstained") != y.get("abstained"):
            changes["abstained"] = (x.get("abstained"), y.get("abstained"))
        changed = x.get("answer") != y.get("answer")
        if changes or changed:
            diffs.append(QuestionDiff(qid, y["type"], y["question"], changes, changed))
    return Comparison(
        str(a.get("created", "A")),
        str(b.get("created", "B")),
        overall,
        by_type,
        diffs,
        [i for i in qa if i not in qb],
        [i for i in qb if i not in qa],
    )


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _delta(name: str, a: Any, b: Any) -> str:
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool):
        return ""
    d = b - a
    better = (d < 0) if name.split(".")[-1] in LOWER_IS_BETTER else (d > 0)
    return f"{d:+.3f} {'tốt hơn' if better else 'kém hơn'}"


def format_comparison(c: Comparison) -> str:
    """The comparison as plain Vietnamese text for the terminal (or a Markdown file)."""
    lines = [f"So sánh lần chạy A ({c.a}) với B ({c.b})", "", "Chỉ số chung (A → B):"]
    if not c.overall:
        lines.append("  không khác nhau")
    for name, (a, b) in c.overall.items():
        lines.append(f"  {name:<28} {_fmt(a):>9} → {_fmt(b):<9} {_delta(name, a, b)}")
    for t, changes in c.by_type.items():
        keep = {k: v for k, v in changes.items() if not k.startswith("latency") and k != "questions"}
        if keep:
            lines.append(f"Loại {t}:")
            lines += [f"  {n:<28} {_fmt(a):>9} → {_fmt(b):<9} {_delta(n, a, b)}" for n, (a, b) in keep.items()]
    lines += ["", f"Câu hỏi có thay đổi: {len(c.questions)}"]
    for d in c.questions:
        lines.append(f"- {d.id} [{d.type}] {d.question}")
        for name, (a, b) in d.changes.items():
            lines.append(f"    {name}: {_fmt(a)} → {_fmt(b)} {_delta(name, a, b)}".rstrip())
        if d.answer_changed and not d.changes:
            lines.append("    câu trả lời thay đổi, điểm số giữ nguyên")
    if c.only_a:
        lines.append(f"Chỉ có trong A: {', '.join(c.only_a)}")
    if c.only_b:
        lines.append(f"Chỉ có trong B: {', '.join(c.only_b)}")
    return "\n".join(lines)
