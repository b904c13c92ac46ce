"""Question rules as data: families of patterns and word lists kept in
``retrieval/resources/rules/<name>.toml``, so a new rule or document kind needs no code.

A file holds, per family, either a pattern (``[patterns]``: a string, or a list of
alternatives joined with ``|``; matched against accent-folded, lower-cased text unless the
family is listed in ``case_sensitive``) or a word list (``[words]``: a list, or one string
split on whitespace). ``[examples.<family>]`` gives ``match`` and ``no_match`` lists that the
tests check for every family of every file (tests/retrieval/test_rules.py)::

    [patterns]
    list = ['\\b(nhung|cac)\\b.*\\b(nao|gi)\\b', 'liet ke']

    [words]
    frame = "trach nhiem nhiem vu"

    [examples.list]
    match = ["Nghị quyết gồm những nhiệm vụ nào?"]
    no_match = ["Ai ký Nghị quyết 57?"]

Two more tables serve families that other families build on: ``[maps.<family>]`` maps
words to values (a document kind as typed -> the catalog's kind), and a pattern may name a
fragment as ``<<name>>``: the alternation of ``[fragments].name`` (a list or a string), or
else of the keys of ``[maps].name``, longest first — so a new kind word is one line in a
map, and every pattern built on it follows.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_UNSEEN = object()
RULES_DIR = Path(__file__).resolve().parent / "resources" / "rules"


class LazyPatterns(Mapping[str, "re.Pattern[str]"]):
    """Pattern families by name, each compiled on its first use (issue 13: the ~280 patterns
    of the rules files cost a cold start ~0.2 s when all were compiled at load; a question
    uses a few dozen). The sources are expanded, and their fragments checked, at load; a
    pattern is built from its opcodes kept on disk when they are (retrieval/regex_cache.py)."""

    def __init__(self, sources: dict[str, str]):
        self._sources = sources
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, family: str) -> re.Pattern[str]:
        compiled = self._compiled.get(family)
        if compiled is None:
            from .regex_cache import compile_pattern  # the kept opcodes when there are (issue 13)

            compiled = self._compiled[family] = compile_pattern(self._sources[family])
        return compiled

    def source(self, family: str) -> str:
        """The family's pattern text (fragments expanded)."""
        return self._sources[family]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __contains__(self, family: object) -> bool:
        return family in self._sources


@dataclass(frozen=True)
class RuleSet:
    """The families of one rules file (each pattern compiled on its first use)."""

    name: str
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    maps: dict[str, dict[str, str]] = field(default_factory=dict)
    case_sensitive: frozenset[str] = frozenset()
    examples: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # perf (issue 13): the last searches by (family, text): a question's text meets the same
    # family in several steps (≈40% of the searches of a batch of new questions)
    _searched: dict[tuple[str, str], re.Match[str] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def pattern(self, family: str) -> re.Pattern[str]:
        try:
            return self.patterns[family]
        except KeyError:
            raise KeyError(
                f"rules file {self.name}.toml has no pattern family '{family}'; "
                f"families: {', '.join(sorted(self.patterns))}"
            ) from None

    def word_set(self, family: str) -> frozenset[str]:
        try:
            return self.words[family]
        except KeyError:
            raise KeyError(
                f"rules file {self.name}.toml has no word family '{family}'; families: {', '.join(sorted(self.words))}"
            ) from None

    def mapping(self, family: str) -> dict[str, str]:
        try:
            return self.maps[family]
        except KeyError:
            raise KeyError(
                f"rules file {self.name}.toml has no map family '{family}'; families: {', '.join(sorted(self.maps))}"
            ) from None

    def search(self, family: str, text: str) -> re.Match[str] | None:
        """The family's pattern searched in text, folded unless the family is case-sensitive."""
        key = (family, text)
        memo = self._searched
        got = memo.get(key, _UNSEEN)
        if got is not _UNSEEN:
            return got  # type: ignore[return-value]
        from .text import fold

        subject = text if family in self.case_sensitive else fold(text)
        got = self.pattern(family).search(subject)
        if len(memo) >= 8192:
            memo.clear()
        memo[key] = got
        return got


_FRAGMENT = re.compile(r"<<(\w+)>>")


def _alternatives(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "|".join(f"(?:{v})" for v in value)


def _expand(name: str, source: str, fragments: dict, maps: dict) -> str:
    """source with each <<fragment>> replaced by its alternation."""

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in fragments:
            value = fragments[key]
            return "(?:" + (value if isinstance(value, str) else "|".join(value)) + ")"
        if key in maps:
            return "(?:" + "|".join(re.escape(k) for k in sorted(maps[key], key=len, reverse=True)) + ")"
        raise KeyError(f"rules file {name}.toml: unknown fragment <<{key}>>")

    return _FRAGMENT.sub(sub, source)


def parse_rules(name: str, data: dict) -> RuleSet:
    """A RuleSet from the parsed TOML of a rules file."""
    fragments, maps = data.get("fragments", {}), data.get("maps", {})
    patterns = LazyPatterns(
        {k: _expand(name, _alternatives(v), fragments, maps) for k, v in data.get("patterns", {}).items()}
    )
    words = {k: frozenset(v.split() if isinstance(v, str) else v) for k, v in data.get("words", {}).items()}
    return RuleSet(
        name,
        patterns,
        words,
        {k: dict(v) for k, v in maps.items()},
        frozenset(data.get("case_sensitive", [])),
        data.get("examples", {}),
    )


@lru_cache(maxsize=None)
def load_rules(name: str, folder: Path = RULES_DIR) -> RuleSet:
    """The rules file ``<folder>/<name>.toml``, compiled (read once per process: the files
    are constants shipped with the package)."""
    from . import regex_cache

    raw = (folder / f"{name}.toml").read_bytes()
    data = regex_cache.parsed_rules(name, raw) if folder == RULES_DIR else None  # kept when unchanged (issue 13)
    return parse_rules(name, data if data is not None else tomllib.loads(raw.decode("utf-8")))


def rule_files(folder: Path = RULES_DIR) -> list[str]:
    """Names of every rules file shipped."""
    return sorted(p.stem for p in folder.glob("*.toml"))
