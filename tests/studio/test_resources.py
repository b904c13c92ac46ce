"""Every family of every rules file of the toolkit matches its examples, and every body
name example normalizes to the names it lists (resources/*.toml)."""

from __future__ import annotations

import pytest

from assistant.studio.bodies import BodyIndex
from assistant.studio.corpus import RESOURCES, rules
from retrieval.rules import rule_files
from retrieval.text import fold

NAMES = rule_files(RESOURCES)


def test_the_rules_files_are_there():
    assert {"targets", "timeline", "roles", "map"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_families_match_their_examples(name):
    r = rules(name)
    missing = [f for f in r.patterns if f not in r.examples]
    assert not missing, f"{name}.toml: pattern families without examples: {missing}"
    families = {*r.patterns, *r.words}
    for family, cases in r.examples.items():
        assert family in families, f"{name}.toml: examples for unknown family {family}"
        for text in cases.get("match", []):
            if family in r.patterns:
                assert r.search(family, text), f"{name}.{family} should match {text!r}"
            else:
                assert set(fold(text).split()) & r.words[family], f"{name}.{family} should hold a word of {text!r}"
        for text in cases.get("no_match", []):
            if family in r.patterns:
                assert not r.search(family, text), f"{name}.{family} should not match {text!r}"
            else:
                assert not set(fold(text).split()) & r.words[family], f"{name}.{family} holds a word of {text!r}"


def test_body_examples_normalize_to_their_names():
    index = BodyIndex.load()
    assert index.examples
    for ex in index.examples:
        assert [m.body.name for m in index.mentions(ex["text"])] == ex["names"], ex


def test_abbreviations_and_spellings_are_one_body():
    index = BodyIndex.load()
    full = index.find("Bộ Khoa học và Công nghệ")
    assert index.find("Bộ KH&CN") is full and index.find("bo khoa hoc va cong nghe") is full
    assert index.find("Uỷ ban nhân dân các tỉnh, thành phố trực thuộc Trung ương").group


def test_a_lower_case_phrase_is_not_a_ministry():
    index = BodyIndex.load()
    assert not index.mentions("đội ngũ cán bộ khoa học và công nghệ có trình độ cao")
