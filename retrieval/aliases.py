"""Names people type for a catalog document, derived from what the catalog states about it
(its short name, kind, title and listed aliases) by one scheme, so that each document needs
no hand-written list of every spelling:

* its number and code in either order: "57-NQ/TW" is also "NQ TW 57", "NQ-TW 57",
  "Nghị quyết TW 57"; "03/NQ-CP" is also "NQ-CP 03", "NQ CP 3", "nghị quyết Chính phủ 03";
* the kind words and bodies of its names written short as people write them ("nghị quyết"
  → "NQ", "chương trình hành động" → "CTHĐ", "ctr hành động"; "Chính phủ" → "CP");
* the plenum it comes from, only where its title states one ("Hội nghị lần thứ sáu Ban
  Chấp hành Trung ương Đảng khoá XI" → "Nghị quyết Trung ương 6", "NQ TW6", "Nghị quyết
  hội nghị Trung ương 6 khoá XI").

The word lists and the title pattern are data: retrieval/resources/rules/docref.toml
([maps.name_shortenings], [maps.ordinal_numbers], [patterns].plenum).
A derived name that another document already answers to is left out, and so is one made
of short forms only ("NQ CP", the tail of "71/NQ-CP").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .rules import load_rules
from .text import fold
from .types import DocumentInfo

_CODE = re.compile(r"^0*(\d{1,4})\s*[-/]\s*([A-Za-zĐđ]+)\s*[-/]\s*([A-Za-zĐđ]+)$")


def key_of(name: str) -> str:
    """A name as the recognizer compares names: folded words joined by one space."""
    return " ".join(re.findall(r"\w+", fold(name)))


def derived_aliases(doc: DocumentInfo, others: Iterable[DocumentInfo] = ()) -> tuple[str, ...]:
    """The names of the scheme (module doc) for doc, folded, none that doc's own names or
    another document's names already are."""
    rules = load_rules("docref")
    short_of = _pairs(rules.mapping("name_shortenings"))
    names = [doc.short, doc.cite_as, *doc.aliases]
    out: list[str] = []
    code = _CODE.match(doc.short.strip())
    if code:
        number, kind_code, issuer = code.group(1), fold(code.group(2)).lower(), fold(code.group(3)).lower()
        kind_words = [long for long, shorts in short_of.items() if kind_code in shorts] or [fold(doc.kind).lower()]
        issuers = [issuer] + [w for long, shorts in short_of.items() if issuer in shorts for w in (long, *shorts)]
        for n in dict.fromkeys((number, number.zfill(2))):
            for iss in dict.fromkeys(issuers):
                out += [f"{kind_code} {iss} {n}", *(f"{k} {iss} {n}" for k in kind_words)]
    plenum = rules.pattern("plenum").search(fold(doc.title).lower())
    ordinals = rules.mapping("ordinal_numbers")
    if plenum and plenum.group("n") in ordinals:
        n, term = ordinals[plenum.group("n")], plenum.group("term")
        kind = fold(doc.kind).lower()
        out += [f"{kind} trung uong {n}", f"{kind} hoi nghi trung uong {n}", f"{kind} cua hoi nghi trung uong {n}"]
        out += [f"{kind} trung uong {n} khoa {term}"]
        out += [f"hoi nghi trung uong {n} khoa {term}", f"{kind} tw{n}"]
    out += [key_of(n) for n in names]
    out = _shortened(_shortened(out, short_of), short_of)  # two phrases written short at most
    # short forms alone ("nq cp", "kh bcdtw") are the tail of any document's number
    # ("71/NQ-CP", "02-KH/BCĐTW"): a derived name needs a number or a word written out
    shorts = {w for v in short_of.values() for s in v for w in s.split()}
    if code:
        shorts |= {kind_code, issuer}
    out = [a for a in out if len(a.split()) < 2 or not set(a.split()) <= shorts]
    own = {key_of(n) for n in names}
    taken = {key_of(n) for d in others if d.id != doc.id for n in (d.short, d.cite_as, *d.aliases)}
    return tuple(a for a in dict.fromkeys(key_of(a) for a in out) if a not in own and a not in taken and len(a) >= 3)


def _pairs(mapping: dict[str, str]) -> dict[str, list[str]]:
    """A map of short form -> long form read the other way: long (folded) -> its shorts."""
    out: dict[str, list[str]] = {}
    for short, long in mapping.items():
        out.setdefault(key_of(long), []).append(key_of(short))
    return out


def _shortened(names: Sequence[str], table: dict[str, list[str]]) -> list[str]:
    """The names, and each with one of its long phrases written short, then with all of
    them written short (the first short form of each)."""
    longs = sorted(table, key=len, reverse=True)
    out = list(dict.fromkeys(key_of(n) for n in names))
    for name in list(out):
        all_short = name
        for long in longs:
            pattern = re.compile(rf"(?<!\w){re.escape(long)}(?!\w)")
            if not pattern.search(name):
                continue
            out += [pattern.sub(s, name) for s in table[long]]
            all_short = pattern.sub(table[long][0], all_short)
        out.append(all_short)
    return out
