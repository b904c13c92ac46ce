"""Compiled rule patterns kept on disk, as Python keeps compiled modules (issue 13: cold start).

Compiling the rules' patterns (retrieval/rules.py: long alternations of document kinds,
bodies, question forms) cost a cold `troly ask` about 0.05 s of CPU for the few dozen a
question uses, each process again. ``re`` compiles a pattern in two steps: its parser and
code generator (pure Python, the cost) produce a list of opcodes, which ``_sre.compile``
turns into the pattern object. This module keeps that opcode list per pattern text in one
marshal file beside the rules (``resources/rules/__pycache__/``, like a .pyc), so a process
builds each pattern from it with ``_sre.compile`` directly: the same object
``re.compile`` returns (CPython compares patterns by their code; tests/perf check every
family). The same file keeps each rules file's parsed TOML under the SHA-256 of its bytes.

The file is stamped with the interpreter's version and the regex engine's magic number
and is read only when they match; a pattern not in it (a rule edited since), a missing or
damaged file, or an interpreter without these internals compiles with ``re.compile`` as
before. It is written by `make bytecode` (``python -m retrieval.regex_cache``) and
refreshed by an ingest when rules changed (best effort: a read-only install keeps
compiling).
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "resources" / "rules" / "__pycache__"
FILE = FOLDER / f"patterns.{sys.implementation.cache_tag}.marshal"

_loaded: dict[str, tuple] | None = None  # pattern text -> its compiled form, read once per process
COMPILED_MAX = 4096  # patterns kept by ``compiled`` (built from words: cheap, a few KB each)
_files: dict[str, tuple[str, dict]] = {}  # rules file name -> (sha256 of its bytes, its parsed TOML)


def _stamp() -> tuple:
    import _sre

    return (sys.implementation.name, sys.hexversion, _sre.MAGIC, _sre.CODESIZE)


def _read() -> dict[str, tuple]:
    global _loaded, _files
    if _loaded is None:
        try:
            stamp, entries, files = marshal.loads(FILE.read_bytes())
            ok = stamp == _stamp() and isinstance(entries, dict) and isinstance(files, dict)
            _loaded, _files = (entries, files) if ok else ({}, {})
        except Exception:  # noqa: BLE001 - missing, damaged, another interpreter: compile as before
            _loaded, _files = {}, {}
    return _loaded


def parsed_rules(name: str, raw: bytes) -> dict | None:
    """The parsed TOML of the rules file ``name`` whose bytes are ``raw``, when the file
    keeps it for exactly these bytes (parsing the rules files cost a cold ask ~15 ms)."""
    import hashlib

    _read()
    kept = _files.get(name)
    if kept is None or kept[0] != hashlib.sha256(raw).hexdigest():
        return None
    return kept[1]


def compile_pattern(source: str) -> re.Pattern[str]:
    """``re.compile(source)``, from the kept opcodes when the file has them."""
    entry = _read().get(source)
    if entry is not None:
        try:
            import _sre

            return _sre.compile(source, *entry)
        except Exception:  # noqa: BLE001 - an engine that takes other arguments: compile as before
            pass
    return re.compile(source)


@functools.lru_cache(maxsize=COMPILED_MAX)
def compiled(source: str) -> re.Pattern[str]:
    """``re.compile(source)`` of a pattern built from a question's or a text's words (a noun,
    a unit, a label), kept by its text (perf, issue 13: warm batch p95). ``re`` keeps only
    its last 512 patterns, and a batch asks a few thousand such patterns besides the rules':
    each was compiled again at nearly every use (one pass of the 2,551 eval questions
    compiled 2,392 patterns, 0.5 s of CPU, up to ~2 ms each); the same object as
    ``re.compile``, so the same matches."""
    return re.compile(source)


LEARNED = FOLDER / f"learned.{sys.implementation.cache_tag}.marshal"
LEARNED_MAX = 16  # patterns kept by compile_kept (the latest: a few per catalog and index)
_learned: dict[str, tuple] | None = None  # read once per process
_pending: list[str] = []  # compiled by compile_kept without kept opcodes: kept at exit


def _read_learned() -> dict[str, tuple]:
    global _learned
    if _learned is None:
        from .kept import read

        entries = read(LEARNED, _stamp())  # (missing, damaged, another interpreter: compile as before)
        _learned = entries if isinstance(entries, dict) else {}
    return _learned


def compile_kept(source: str) -> re.Pattern[str]:
    """``re.compile(source)`` of a pattern a process builds the same way whenever it opens
    (from the shipped resources or the index: a matcher of the named bodies, of an index's
    short forms) that neither the rules nor ``open_path_sources`` name: from the opcodes
    kept for it, else compiled and its opcodes kept when the process ends, as Python keeps
    a module's bytecode (best effort, the latest ``LEARNED_MAX``; perf, issue 13: compiling
    three such alternations cost a cold `troly ask` ~20 ms of CPU)."""
    entry = _read().get(source) or _read_learned().get(source)
    if entry is not None:
        try:
            import _sre

            return _sre.compile(source, *entry)
        except Exception:  # noqa: BLE001 - an engine that takes other arguments: compile as before
            return re.compile(source)
    if not _pending:
        import atexit

        atexit.register(_keep_pending)
    _pending.append(source)
    return re.compile(source)


def _keep_pending() -> None:
    """Add the opcodes of the patterns compile_kept compiled to the learned file (atomic,
    best effort: retrieval/kept.py)."""
    from .kept import write

    try:
        entries = dict(_read_learned())
        for source in dict.fromkeys(_pending):
            entries.pop(source, None)
            entries[source] = entry_of(source)
    except Exception:  # noqa: BLE001 - another engine: compiled next time
        return
    while len(entries) > LEARNED_MAX:
        entries.pop(next(iter(entries)))
    write(LEARNED, _stamp(), entries)
    _pending.clear()


def entry_of(source: str) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``source`` (flags, code,
    groups, group index, index group)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, 0)
    code = _compiler._code(parsed, 0)  # noqa: SLF001
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[Any] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup))


def write(sources: Iterable[str], files: dict[str, tuple[str, dict]] | None = None) -> bool:
    """Keep the compiled form of ``sources`` (with what the file already holds of them) and
    the parsed rules ``files`` (name -> (sha256, TOML)); False when it could not be written.
    Atomic: a reader sees the old file or the new."""
    global _loaded, _files
    wanted = list(dict.fromkeys(sources))
    have = _read()
    files = dict(_files if files is None else files)
    try:
        entries = {s: have[s] if s in have else entry_of(s) for s in wanted}
        blob = marshal.dumps((_stamp(), entries, files))
        FOLDER.mkdir(parents=True, exist_ok=True)
        tmp = FILE.with_name(f"{FILE.name}.tmp-{os.getpid()}")
        tmp.write_bytes(blob)
        os.replace(tmp, FILE)
    except Exception:  # noqa: BLE001 - read-only install, full disk, another engine: compile as before
        return False
    _loaded, _files = entries, files
    return True


def rule_sources() -> list[str]:
    """The pattern text of every family of every shipped rules file."""
    from .rules import LazyPatterns, load_rules, rule_files

    out = []
    for name in rule_files():
        patterns = load_rules(name).patterns
        for family in patterns:
            out.append(patterns.source(family) if isinstance(patterns, LazyPatterns) else patterns[family].pattern)
    return out


def rule_files_parsed() -> dict[str, tuple[str, dict]]:
    """Every shipped rules file: name -> (sha256 of its bytes, its parsed TOML)."""
    import hashlib
    import tomllib

    from .rules import RULES_DIR, rule_files

    out = {}
    for name in rule_files():
        raw = (RULES_DIR / f"{name}.toml").read_bytes()
        out[name] = (hashlib.sha256(raw).hexdigest(), tomllib.loads(raw.decode("utf-8")))
    return out


def refresh(extra: Iterable[str] | None = None) -> bool:
    """Write the file when some shipped rules file or pattern, or some ``extra`` pattern (the
    ones a searcher builds from the catalog when a generation opens: the documents' alias
    patterns; see ``open_path_sources``), is not in it. With ``extra`` (an ingest), patterns
    no longer wanted are left out; without (`make bytecode`), what the file holds is kept."""
    have = _read()
    wanted = [*rule_sources(), *(have if extra is None else extra)]
    sources = list(dict.fromkeys(wanted))
    files = rule_files_parsed()
    if all(s in have for s in sources) and len(have) == len(sources):
        if {n: h for n, (h, _) in files.items()} == {n: h for n, (h, _) in _files.items()}:
            return True
    return write(sources, files)


def open_path_sources(documents) -> list[str]:
    """The text of the patterns opening a searcher over ``documents`` compiles besides the
    rule families: the documents' alias patterns (retrieval/docref.py) and the named bodies'
    matcher (retrieval/search.py). Compiling them cost a cold `troly ask` ~0.02 s of CPU."""
    from .docref import DocumentRecognizer
    from .search import _body_matcher

    recognizer = DocumentRecognizer(list(documents))
    return [p.pattern for p, *_ in recognizer._alias_patterns] + [_body_matcher().pattern]  # noqa: SLF001


if __name__ == "__main__":  # make bytecode
    sys.exit(0 if refresh() else 1)
