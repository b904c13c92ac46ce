"""Synonyms for query expansion: groups of Vietnamese words and phrases that mean the same
thing (everyday and chat wording beside the administrative wording of the documents),
kept as data in retrieval/resources/synonyms.tsv.

A question that holds one member of a group is also searched for the other members, at a
lower weight. Members match as whole words, with tone marks when the question has them;
a question typed without marks matches only members of two syllables or more (a single
folded syllable is too ambiguous: "luong" is lương or lượng). A member written in capitals
that could be a syllable ("AI"; "ai" = who) matches only when the question writes it in
capitals too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .memo import memo_of
from .text import fold, has_diacritics, modern_tones, nfc, words

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Synonyms:
    """The groups, with one matcher for accented questions and one for folded ones."""

    groups: tuple[tuple[str, ...], ...]
    # (member, group) pairs where the member is written in capitals ("AI" of the AI group):
    # that group counts only when the question writes it so, its other groups ("ai" = who)
    # only when it does not
    capitals: frozenset[tuple[str, int]] = frozenset()
    # member -> its groups, and the matcher of those members; set by __post_init__
    _accented: tuple[dict[str, set[int]], _Phrases | None] = field(init=False, repr=False, compare=False)
    _folded: tuple[dict[str, set[int]], _Phrases | None] = field(init=False, repr=False, compare=False)
    _members: frozenset[str] = field(init=False, repr=False, compare=False)  # every member, folded

    @classmethod
    def parse(cls, text: str, stop: frozenset[str] = frozenset()) -> Synonyms:
        """The groups of the resource's text; ``stop``: the language's function words (a
        member in capitals that is also one, "AI" and "ai", needs the capitals)."""
        groups: list[tuple[str, ...]] = []
        capitals: set[tuple[str, int]] = set()
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                members = tuple(dict.fromkeys(_phrase(m) for m in line.split("|") if words(m)))
                if len(members) >= 2:
                    capitals.update(
                        (_phrase(m), len(groups))
                        for m in line.split("|")
                        if _in_capitals(m.strip()) and m.strip().lower() in stop
                    )
                    groups.append(members)
        return cls(tuple(groups), frozenset(capitals))

    def tables(self) -> tuple:
        """What ``__post_init__`` derives, as plain values (marshal: see ``default_synonyms``)."""
        return (self.groups, self.capitals, self._accented[0], self._folded[0], self._members)

    @classmethod
    def from_tables(cls, tables: tuple) -> Synonyms:
        """The groups whose ``tables()`` these are, without deriving them again."""
        groups, capitals, accented, folded, members = tables
        self = object.__new__(cls)
        for name, value in (("groups", groups), ("capitals", capitals), ("_members", members)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_accented", (accented, _matcher(accented)))
        object.__setattr__(self, "_folded", (folded, _matcher(folded)))
        return self

    def __post_init__(self) -> None:
        accented: dict[str, set[int]] = {}
        folded: dict[str, set[int]] = {}
        for g, members in enumerate(self.groups):
            for m in members:
                accented.setdefault(m, set()).add(g)
                if " " in m:
                    folded.setdefault(fold(m), set()).add(g)
        object.__setattr__(self, "_accented", (accented, _matcher(accented)))
        object.__setattr__(self, "_folded", (folded, _matcher(folded)))
        object.__setattr__(self, "_members", frozenset(fold(m).lower() for g in self.groups for m in g))

    def knows(self, word: str) -> bool:
        """Some group holds the word, read without tone marks or case ("Startup")."""
        return fold(word).lower() in self._members

    def expansions(self, text: str, expand=lambda member: True) -> list[str]:
        """The other members of every group the text holds a member of, in group order;
        only for the members ``expand`` accepts (say, words the documents hardly use)."""
        out: list[str] = []
        for _, others in self.matches(text, expand):
            out += [m for m in others if m not in out]
        return out

    def matches(self, text: str, expand=lambda member: True) -> list[tuple[str, tuple[str, ...]]]:
        """Per group the text holds a member of (in group order): that member as the text
        says it, and the group's other members (those the text does not say). Only for the
        members ``expand`` accepts."""
        # perf (issue 13, fast9): the text is read once (a question is matched by the
        # search, its check of absent words and the evidence scorer); only ``expand`` per call
        found, others = memo_of(self, "_found_memo", 4096).get(text, lambda: self._found(text))
        said: dict[int, str] = {}
        for m, groups in found:
            if expand(m):
                for g in groups:
                    said.setdefault(g, m)
        return [(said[g], others[g]) for g in sorted(said)]

    def _found(self, text: str) -> tuple[tuple[tuple[str, tuple[int, ...]], ...], dict[int, tuple[str, ...]]]:
        """The members the text says, in order, each with the groups it means there, and
        each such group's members the text does not say."""
        subject = _phrase(text)
        index, matcher = self._accented if has_diacritics(text) else self._folded
        if not has_diacritics(text):
            subject = fold(subject)
        if matcher is None:
            return (), {}
        written = {w.lower() for w in _WORD.findall(nfc(text)) if _in_capitals(w)}
        acronyms = {m for m, _ in self.capitals}

        def meant(member: str, g: int) -> bool:
            if (member, g) in self.capitals:
                return member in written
            return member not in acronyms or member not in written

        phrases = matcher.findall(subject)
        found = tuple((m, tuple(g for g in index[m] if meant(m, g))) for m in phrases)
        present = set(phrases)
        others = {
            g: tuple(m for m in self.groups[g] if m not in present and fold(m) not in present)
            for g in sorted({g for _, groups in found for g in groups})
        }
        return found, others


def unused_phrase(tokens: Sequence[str], known: Callable[[str], bool]) -> bool:
    """A word or phrase no clause uses (its words never together in one clause), from its
    tokens: function-word marks ("~") aside, its two-syllable words, else its words, one of
    them unknown. Read the same way by the search's synonym expansion and the evidence
    scorer."""
    kept = [t for t in tokens if not t.startswith("~")]
    pairs = [t for t in kept if "_" in t] or kept
    return not pairs or not all(map(known, pairs))


def _phrase(text: str) -> str:
    """The text's words, lower-cased, space-joined, their tone marks placed one way
    ("văn hoá" and "văn hóa" are one member)."""
    return modern_tones(" ".join(words(text)))


def _in_capitals(word: str) -> bool:
    """One word written with two capitals or more ("AI", "IoT")."""
    return bool(_WORD.fullmatch(word)) and sum(c.isupper() for c in word) >= 2


def _matcher(index: dict[str, set[int]]) -> _Phrases | None:
    return _Phrases(index) if index else None


class _Phrases:
    """Whole-word phrases of a space-joined word sequence, leftmost-longest and not
    overlapping: what a regex alternation of the phrases (longest first, bounded by
    non-word characters) finds, by dictionary lookup. perf (issue 13): compiling that
    regex of every synonym took a fifth of a second of each cold start."""

    def __init__(self, phrases) -> None:
        self.phrases = frozenset(phrases)
        self.longest = max(p.count(" ") for p in self.phrases) + 1

    def findall(self, subject: str) -> list[str]:
        ws = subject.split(" ")
        out, i = [], 0
        while i < len(ws):
            for n in range(min(self.longest, len(ws) - i), 0, -1):
                candidate = " ".join(ws[i : i + n])
                if candidate in self.phrases:
                    out.append(candidate)
                    i += n
                    break
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The shipped groups (read once per process: a constant of the package).

    perf (issue 13): parsing them (their words split and folded) cost a cold `troly ask`
    ~35 ms; the parsed tables are kept in one marshal file beside the resources
    (``resources/__pycache__/``, like a .pyc), stamped with a digest of the resource files
    and of the code that parses them, and read back when the stamp matches; missing, stale
    or unreadable: parsed as before and written again (best effort, atomic)."""
    import hashlib
    import marshal
    import sys

    from . import kept as kept_file
    from . import text

    folder = _RESOURCES  # the package's folder (importlib.resources cost ~7 ms of imports)
    stop_raw = folder.joinpath("stopwords_vi.txt").read_bytes()
    raw = folder.joinpath("synonyms.tsv").read_bytes()
    h = hashlib.sha256(f"{sys.hexversion}|{marshal.version}".encode())
    for part in (stop_raw, raw, *(_source(m) for m in (__name__, text.__name__))):
        h.update(len(part).to_bytes(8, "little") + part)
    stamp = h.hexdigest()
    kept = _KEPT_DIR / f"synonyms.{sys.implementation.cache_tag}.marshal"
    tables = kept_file.read(kept, stamp)
    if tables is not None:
        return Synonyms.from_tables(tables)
    stop = frozenset(w.strip() for w in stop_raw.decode("utf-8").splitlines() if w.strip() and not w.startswith("#"))
    synonyms = Synonyms.parse(raw.decode("utf-8"), stop)
    kept_file.write(kept, stamp, synonyms.tables())
    return synonyms


_RESOURCES = Path(__file__).resolve().parent / "resources"
_KEPT_DIR = _RESOURCES / "__pycache__"


def _source(module: str) -> bytes:
    """The source text of a loaded module (the code whose output a kept file holds)."""
    import sys

    path = getattr(sys.modules[module], "__file__", None)
    return Path(path).read_bytes() if path else module.encode()
