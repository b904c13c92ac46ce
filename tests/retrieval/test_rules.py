"""Every family of every rules file matches its own examples and none of its counter-examples."""

from __future__ import annotations

import re

import pytest

from retrieval.rules import load_rules, parse_rules, rule_files
from retrieval.text import fold


def _holds(words: frozenset[str], text: str) -> bool:
    """text holds one of the entries (a word, or several words) as whole words."""
    folded = fold(text)
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded) for w in words)


@pytest.mark.parametrize("name", rule_files())
def test_rules_file_families_match_their_examples(name):
    rules = load_rules(name)
    families = {*rules.patterns, *rules.words}
    assert families, f"{name}.toml defines no family"
    for family, cases in rules.examples.items():
        assert family in families, f"{name}.toml: examples for unknown family {family}"
        for text in cases.get("match", []):
            if family in rules.patterns:
                assert rules.search(family, text), f"{name}.{family} should match {text!r}"
            else:
                assert _holds(rules.words[family], text), f"{name}.{family} should hold a word of {text!r}"
        for text in cases.get("no_match", []):
            if family in rules.patterns:
                assert not rules.search(family, text), f"{name}.{family} should not match {text!r}"
            else:
                assert not _holds(rules.words[family], text), f"{name}.{family} holds a word of {text!r}"


def test_every_pattern_family_has_examples():
    for name in rule_files():
        rules = load_rules(name)
        missing = [f for f in rules.patterns if f not in rules.examples]
        assert not missing, f"{name}.toml: pattern families without examples: {missing}"


def test_alternatives_are_joined_and_unknown_family_names_the_valid_ones():
    rules = parse_rules("t", {"patterns": {"a": ["x+", "y"]}, "words": {"w": "u v"}})
    assert rules.pattern("a").pattern == "(?:x+)|(?:y)"
    assert rules.word_set("w") == {"u", "v"}
    with pytest.raises(KeyError, match="families: a"):
        rules.pattern("b")
    assert re.fullmatch(rules.pattern("a"), "xxx")


def test_a_new_kind_word_in_a_map_extends_every_pattern_built_on_it():
    """Adding a document kind is one line of data: the patterns name the map as a fragment."""
    data = {
        "maps": {"kinds": {"nghi quyet": "Nghị quyết", "chi thi": "Chỉ thị"}},
        "fragments": {"short": ["nq", "ct"]},
        "patterns": {"numbered": r"\b(<<kinds>>)\s*(\d+)", "bare": r"\d+-(<<short>>)\b"},
    }
    rules = parse_rules("t", data)
    assert rules.search("numbered", "Chỉ thị 15 nói gì").group(1) == "chi thi"
    assert rules.search("bare", "15-CT/TW")
    assert rules.mapping("kinds")["chi thi"] == "Chỉ thị"
    with pytest.raises(KeyError, match="unknown fragment"):
        parse_rules("t", {"patterns": {"p": "<<nothing>>"}})


def test_the_shipped_families_are_the_ones_the_code_reads():
    """Every family the code asks for exists (a renamed family fails here, not at run time)."""
    import assistant.condense  # noqa: F401 - loading the modules reads their families
    import assistant.intent  # noqa: F401
    import retrieval.docref  # noqa: F401
    from assistant.condense import RuleCondenser
    from retrieval.catalog import Catalog
    from retrieval.docref import DocumentRecognizer
    from retrieval.query import QuestionReader
    from tests.support.corpus import DATA

    recognizer = DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)
    RuleCondenser(recognizer).condense("Còn năm 2045 thì sao?", [])
    QuestionReader(recognizer).read("Tôi là cán bộ ở Sở Nội vụ tỉnh, đang làm kế hoạch. Xin hỏi nq57 là gì?")
    for name, family in [
        ("search", "metadata"),
        ("search", "signer"),
        ("search", "signature_block"),
        ("language", "function"),
        ("entities", "bodies"),
    ]:
        rules = load_rules(name)
        assert family in {*rules.patterns, *rules.words}
