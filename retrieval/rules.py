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
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "resources" / "rules"


@dataclass(frozen=True)
class RuleSet:
    """The compiled families of one rules file."""

    name: str
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    case_sensitive: frozenset[str] = frozenset()
    examples: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def pattern(self, family: str) -> re.Pattern[str]:
        try:
            return self.patterns[family]
        except KeyError:
            raise KeyError(f"rules file {self.name}.toml has no pattern family '{family}'; "
                           f"families: {', '.join(sorted(self.patterns))}") from None

    def word_set(self, family: str) -> frozenset[str]:
        try:
            return self.words[family]
        except KeyError:
            raise KeyError(f"rules file {self.name}.toml has no word family '{family}'; "
                           f"families: {', '.join(sorted(self.words))}") from None

    def search(self, family: str, text: str) -> re.Match[str] | None:
        """The family's pattern searched in text, folded unless the family is case-sensitive."""
        from .text import fold

        subject = text if family in self.case_sensitive else fold(text)
        return self.pattern(family).search(subject)


def _alternatives(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "|".join(f"(?:{v})" for v in value)


def parse_rules(name: str, data: dict) -> RuleSet:
    """A RuleSet from the parsed TOML of a rules file."""
    patterns = {k: re.compile(_alternatives(v)) for k, v in data.get("patterns", {}).items()}
    words = {k: frozenset(v.split() if isinstance(v, str) else v) for k, v in data.get("words", {}).items()}
    return RuleSet(name, patterns, words, frozenset(data.get("case_sensitive", [])), data.get("examples", {}))


@lru_cache(maxsize=None)
def load_rules(name: str, folder: Path = RULES_DIR) -> RuleSet:
    """The rules file ``<folder>/<name>.toml``, compiled (read once per process: the files
    are constants shipped with the package)."""
    path = folder / f"{name}.toml"
    with path.open("rb") as f:
        return parse_rules(name, tomllib.load(f))


def rule_files(folder: Path = RULES_DIR) -> list[str]:
    """Names of every rules file shipped."""
    return sorted(p.stem for p in folder.glob("*.toml"))
