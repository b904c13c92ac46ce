"""Compiled rule patterns kept on disk, as Python keeps compiled modules (issue 13: cold start).

Compiling the rules' patterns (retrieval/rules.py: long alternations of document kinds,
bodies, question forms) cost a cold `troly ask` about 0.05 s of CPU for the few dozen a
question uses, each process again. ``re`` compiles a pattern in two steps: its parser and
code generator (pure Python, the cost) produce a list of opcodes, which ``_sre.compile``
turns into the pattern object. This module keeps that opcode list per pattern text in one
marshal file beside the rules (``resources/rules/__pycache__/``, like a .pyc), so a process
builds each pattern from it with ``_sre.compile`` directly: the same object
``re.compile`` returns (CPython compares patterns by their code; tests/perf check every
family).

The file is stamped with the interpreter's version and the regex engine's magic number
and is read only when they match; a pattern not in it (a rule edited since), a missing or
damaged file, or an interpreter without these internals compiles with ``re.compile`` as
before. It is written by `make bytecode` (``python -m retrieval.regex_cache``) and
refreshed by an ingest when rules changed (best effort: a read-only install keeps
compiling).
"""

from __future__ import annotations

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


def _stamp() -> tuple:
    import _sre

    return (sys.implementation.name, sys.hexversion, _sre.MAGIC, _sre.CODESIZE)


def _read() -> dict[str, tuple]:
    global _loaded
    if _loaded is None:
        try:
            stamp, entries = marshal.loads(FILE.read_bytes())
            _loaded = entries if stamp == _stamp() and isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - missing, damaged, another interpreter: compile as before
            _loaded = {}
    return _loaded


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


def write(sources: Iterable[str]) -> bool:
    """Keep the compiled form of ``sources`` (with what the file already holds of them);
    False when it could not be written. Atomic: a reader sees the old file or the new."""
    global _loaded
    wanted = list(dict.fromkeys(sources))
    have = _read()
    try:
        entries = {s: have[s] if s in have else entry_of(s) for s in wanted}
        blob = marshal.dumps((_stamp(), entries))
        FOLDER.mkdir(parents=True, exist_ok=True)
        tmp = FILE.with_name(f"{FILE.name}.tmp-{os.getpid()}")
        tmp.write_bytes(blob)
        os.replace(tmp, FILE)
    except Exception:  # noqa: BLE001 - read-only install, full disk, another engine: compile as before
        return False
    _loaded = entries
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


def refresh() -> bool:
    """Write the file when some shipped rule pattern is not in it (a rule changed)."""
    sources = rule_sources()
    have = _read()
    if all(s in have for s in sources) and len(have) == len(set(sources)):
        return True
    return write(sources)


if __name__ == "__main__":  # make bytecode
    sys.exit(0 if refresh() else 1)
