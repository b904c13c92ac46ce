"""Recognize the documents a question names ("Nghị quyết 57", "NQ57", "nghi quyet so 03",
"Chương trình hành động của Chính phủ", "kế hoạch của Viện Hàn lâm", "Kế hoạch 01"),
accent- and case-insensitively, from the catalog's short names and aliases and the names
derived from them (retrieval/aliases.py: "NQ-CP 03", "CTHĐ", "Nghị quyết Trung ương 6").

A mention that only qualifies another document ("Chương trình hành động ... thực hiện
Nghị quyết 57") is returned as a qualifier, not as a target. The question with every
mention removed is what the search scores, so clauses that merely repeat a document's
name ("Kèm theo Nghị quyết số 03/NQ-CP ...") are not favoured. The patterns and kind
words are data: retrieval/resources/rules/docref.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .aliases import derived_aliases
from .regex_cache import compile_pattern
from .rules import load_rules
from .text import fold, fold_aligned, nfc
from .types import DocumentInfo

_RULES = load_rules("docref")  # retrieval/resources/rules/docref.toml
_KINDS = _RULES.mapping("kinds")  # kind words as typed (folded) -> the catalog kind they name
_NUMBERED = _RULES.pattern("numbered")
_BARE = _RULES.pattern("bare")
_DOC_WORDS = _RULES.pattern("doc_words")
_BY_YEAR = _RULES.pattern("by_year")
_BY_ISSUER = _RULES.pattern("by_issuer")
_QUALIFIER = _RULES.pattern("qualifier")
_ABOUT_NAMED = _RULES.pattern("about_named")
_ISSUER_JOINT = _RULES.pattern("issuer_joint")
_OF_ISSUER = re.compile(r"\s+cua\s+")  # "Kế hoạch 01 của <its issuer>"
_WORD_AT = re.compile(r"\w+")
# the ask is about the text itself ("… được ban hành căn cứ vào …"): its issuer may be asked too
_METADATA = load_rules("search").pattern("metadata")


@dataclass(frozen=True)
class Mention:
    doc_id: str
    start: int
    end: int
    qualifier: bool
    designates: bool = True  # names the document itself ("Nghị quyết 57"), not only its issuer


def _number(doc: DocumentInfo) -> str | None:
    m = re.match(r"0*(\d{1,3})", doc.short)
    return m.group(1) if m else None


class DocumentRecognizer:
    """Finds document mentions in a question."""

    def __init__(self, documents: list[DocumentInfo]):
        self.documents = [d for d in documents if d.authority == "official"] + [
            d for d in documents if d.authority != "official"
        ]
        self.aliases: list[tuple[str, str]] = []
        kinds = [fold(d.kind) for d in self.documents]
        for d in self.documents:
            # a document that is not an official text, alone of its kind: its kind names it
            # ("bài bình luận so sánh …", "theo bài phân tích"; kept to the catalog's kinds)
            own_kind = [d.kind] if d.authority != "official" and d.kind and kinds.count(fold(d.kind)) == 1 else []
            for name in (d.short, *d.aliases, *derived_aliases(d, self.documents), *own_kind):
                key = " ".join(re.findall(r"\w+", fold(name)))
                if len(key) >= 3:
                    self.aliases.append((key, d.id))
        self.aliases.sort(key=lambda a: len(a[0]), reverse=True)
        # perf (issue 13): alias patterns compiled once (from the opcodes the ingest kept,
        # retrieval/regex_cache.py), mentions memoized per question
        self._alias_patterns = [
            (
                compile_pattern(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in key.split()) + r"(?!\w)"),
                doc_id,
                bool(_DOC_WORDS.search(key)),
                key.split()[0] if key.split() else "",
            )
            for key, doc_id in self.aliases
        ]
        # perf (issue 13): the aliases by their first word, so a question tries only those
        # whose first word it holds (in the longest-first order of self.aliases)
        self._by_first: dict[str, list[int]] = {}
        for i, (_pattern, _doc, _designates, first) in enumerate(self._alias_patterns):
            self._by_first.setdefault(first, []).append(i)
        # perf (issue 13): an alias's other words, each of which a question must hold (as a
        # substring: the pattern's match holds them all) before its pattern is run
        self._alias_rest = [tuple(key.split()[1:]) for key, _doc in self.aliases]
        self._commentary = frozenset(d.id for d in self.documents if d.authority == "commentary")
        self._issuers = [(d, fold(d.issuer)) for d in self.documents if d.authority == "official"]
        # an official text's issuer, as folded words ("ban chi dao trung uong ve …")
        self._issuer_words = {d.id: re.findall(r"\w+", f) for d, f in self._issuers if f}
        self._memo: dict[str, tuple[Mention, ...]] = {}

    def _by_number(self, kind: str, number: str) -> str | None:
        wanted = _KINDS.get(kind)
        candidates = [d for d in self.documents if _number(d) == number]
        exact = [d for d in candidates if d.kind == wanted]
        pick = exact or candidates
        return pick[0].id if pick else None

    def mentions(self, question: str) -> list[Mention]:
        """Document mentions in reading order, with offsets into the question."""
        hit = self._memo.get(question)
        if hit is None:
            if len(self._memo) >= 4096:
                self._memo.clear()
            hit = self._memo[question] = tuple(self._mentions(question))
        return list(hit)

    def _mentions(self, question: str) -> list[Mention]:
        text = _aligned_fold(question)
        found: list[Mention] = []
        taken = [False] * len(text)

        def add(doc_id: str | None, a: int, b: int, designates: bool = True) -> None:
            if doc_id is None or any(taken[a:b]):
                return
            for i in range(a, b):
                taken[i] = True
            found.append(Mention(doc_id, a, b, False, designates))

        for m in _NUMBERED.finditer(text):
            add(self._by_number(m.group(1), m.group(2)), m.start(), m.end())
        for m in _BY_YEAR.finditer(text):  # "Văn kiện năm 2012", "nghị quyết 2012"
            dated = [d.id for d in self.documents if d.date.startswith(m.group(2)) and d.authority == "official"]
            if len(dated) == 1:
                add(dated[0], m.start(), m.end())
        for m in _BARE.finditer(text):
            add(self._by_number(m.group(2), m.group(1)), m.start(), m.end())
        plain = text.replace("-", " ").replace("/", " ")
        tried = sorted({i for w in set(plain.split()) for i in self._by_first.get(w, ())})
        rest = self._alias_rest
        for i in tried:  # perf (issue 13): only the aliases whose first word the question holds
            if not all(w in plain for w in rest[i]):
                continue  # a word of the alias the question lacks: its pattern cannot match
            pattern, doc_id, designates, _first = self._alias_patterns[i]
            for m in pattern.finditer(plain):
                add(doc_id, m.start(), m.end(), designates)
        for m in _BY_ISSUER.finditer(text):  # "văn kiện của Bộ Chính trị": one of its texts
            issuer = m.group(2)
            for d, folded_issuer in self._issuers:  # perf (issue 13): the official texts' issuers folded once
                if folded_issuer.startswith(issuer) and not any(taken[m.start() : m.end()]):
                    found.append(Mention(d.id, m.start(), m.end(), True, False))
        found.sort(key=lambda x: x.start)
        # a mention right after "thực hiện / triển khai / theo" qualifies what is asked about
        out = [
            Mention(
                m.doc_id,
                m.start,
                m.end,
                m.qualifier or bool(_QUALIFIER.search(text[max(0, m.start - 30) : m.start].rstrip())),
                m.designates,
            )
            for m in found
        ]
        # "qđ 116 vhl", "Quyết định 116 của Viện Hàn lâm": the issuer written right after a
        # name of its own document is part of that name (it names no subject of the question)
        for i in range(1, len(out)):
            before, after = out[i - 1], out[i]
            if (
                not after.designates
                and before.designates
                and after.doc_id == before.doc_id
                and _ISSUER_JOINT.fullmatch(fold(question[before.end : after.start]))
            ):
                out[i] = Mention(after.doc_id, before.end, after.end, after.qualifier, True)
        if not _METADATA.search(text) and not _ABOUT_NAMED.search(text):
            out = self._with_issuers(text, out)
        # "Theo bài so sánh, Nghị quyết 20 tập trung vào gì?": the commentary named is where
        # to look; the resolutions it discusses are what it is asked about
        commentary = self._commentary
        if any(m.doc_id in commentary and m.designates and not m.qualifier for m in out):
            out = [
                Mention(m.doc_id, m.start, m.end, True, m.designates) if m.doc_id not in commentary else m for m in out
            ]
        return out

    def _with_issuers(self, text: str, found: list[Mention]) -> list[Mention]:
        """ "Kế hoạch 01 của Ban Chỉ đạo Trung ương", "Nghị quyết 57 của Bộ Chính trị": the
        issuer written after "của" right after a name of its own document (the first two
        words of the catalog's issuer or more) is part of that name, as an alias of it is
        (it names no subject of the question: the search leaves it out with the name).
        ``text``: the aligned fold of the question."""
        out = list(found)
        for n, m in enumerate(out):
            words = self._issuer_words.get(m.doc_id)
            joint = _OF_ISSUER.match(text, m.end) if m.designates and words else None
            if joint is None or words is None:
                continue
            end, said = joint.end(), 0
            for w in _WORD_AT.finditer(text, joint.end()):  # the issuer's words in turn
                if said == len(words) or w.group(0) != words[said]:
                    break
                said, end = said + 1, w.end()
            nxt = out[n + 1] if n + 1 < len(out) else None
            if said < 2 or (nxt is not None and nxt.start < end and nxt.doc_id != m.doc_id):
                continue
            out[n] = Mention(m.doc_id, m.start, end, m.qualifier, True)
            if nxt is not None and nxt.start < end:  # the issuer, also an alias of the same text
                out[n] = Mention(m.doc_id, m.start, max(end, nxt.end), m.qualifier, True)
                del out[n + 1]
        return out

    def targets(self, question: str) -> list[str]:
        """Documents the question asks about; a document named only as what another text
        implements ("... thực hiện Nghị quyết 57") is not a target."""
        return list(dict.fromkeys(m.doc_id for m in self.mentions(question) if not m.qualifier))

    def qualified(self, question: str) -> list[str]:
        """Documents named only as what is implemented ("kết quả thực hiện NQ57")."""
        targets = set(self.targets(question))
        return list(dict.fromkeys(m.doc_id for m in self.mentions(question) if m.qualifier and m.doc_id not in targets))

    def strip(self, question: str) -> str:
        """The question with document mentions removed (original spelling kept)."""
        out, pos = [], 0
        for m in self.mentions(question):
            if not m.designates:
                continue  # "Viện Hàn lâm" is also what the question is about
            out.append(question[pos : m.start])
            pos = m.end
        out.append(question[pos:])
        return " ".join("".join(out).split())


def about_named(question: str) -> bool:
    """The question asks about the named text itself (its conference, term, issuer, date):
    what another document says does not answer it (rules: docref.toml about_named)."""
    return bool(_ABOUT_NAMED.search(fold(question)))


def _aligned_fold(text: str) -> str:
    """Folded NFC text, punctuation but '/' and '-' blanked, offsets kept."""
    return re.sub(r"[^\w/-]", " ", fold_aligned(nfc(text)))
