"""Is a message a question about the documents at all?

Greetings, thanks, questions about the assistant, instructions to the assistant (prompt
injection) and requests for something else get the scope message (prompts/scope.txt):
abstained, no citation, never a clause dressed as an answer. The families of patterns live
in retrieval/resources/rules/scope.toml. Besides the patterns, a message whose two-syllable
words the documents never use ("giá vàng", "bài thơ", "thời tiết") and that names no
document is off-topic. A greeting in front of a real question is dropped, and so is an
injected instruction beside one; the rest is answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.rules import RuleSet, load_rules

_CLAUSE = re.compile(r"[.?!;\n]+|,\s+|\s+(?:và|rồi|sau đó|then|and)\s+", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ScopeCheck:
    """kind: "" (a question about the documents), "greeting", "about", "injection" or
    "off_topic"; question: what is left to answer."""

    kind: str
    question: str

    @property
    def in_scope(self) -> bool:
        return not self.kind


class DocumentPhrases:
    r"""Whether the documents' texts (folded) hold a folded phrase as whole words; the texts
    are folded on the first look-up.

    perf (issue 13): = ``re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded)`` over the
    texts' folded words joined by spaces, one text a line. A phrase of words joined by single
    spaces is found as a run of consecutive words of one text, looked up from where its first
    word stands (each word's places, made once); any other phrase takes the regex. The
    answers are kept (the object belongs to one index generation)."""

    def __init__(self, texts: Callable[[], list[str]]):
        self._texts = texts
        self._folded: str | None = None
        self._words: list[str] = []  # the texts' folded words in order, "\n" between two texts
        self._at: dict[str, list[int]] = {}  # a word -> where it stands in _words
        self._answers: dict[str, bool] = {}

    def __call__(self, phrase: str) -> bool:
        got = self._answers.get(phrase)
        if got is None:
            if len(self._answers) >= _PHRASES_KEPT:
                self._answers.clear()
            got = self._answers[phrase] = self._holds(phrase)
        return got

    def _holds(self, phrase: str) -> bool:
        if self._folded is None:
            from retrieval.text import fold

            lines = [_WORD.findall(fold(t)) for t in self._texts()]
            self._folded = "\n".join(" ".join(words) for words in lines)
            for words in lines:
                self._words.extend(words)
                self._words.append("\n")
            for i, w in enumerate(self._words):
                self._at.setdefault(w, []).append(i)
        words = phrase.split(" ")
        if not all(_WORD.fullmatch(w) for w in words):
            return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", self._folded) is not None
        n, all_words = len(words), self._words
        return any(all_words[i : i + n] == words for i in self._at.get(words[0], ()))


_PHRASES_KEPT = 65536  # phrases answered, kept; the keys come from questions, so full, they start over


class ScopeGuard:
    """Tells questions about the documents from everything else."""

    def __init__(
        self,
        tokens: Callable[[str], list[str]],
        known: Callable[[str], bool],
        names_document: Callable[[str], bool],
        rules: RuleSet | None = None,
        min_known_words: float = 0.1,
        said: Callable[[str], bool] = lambda phrase: False,
    ):
        self.tokens = tokens
        self.known = known
        self.names_document = names_document
        self.rules = rules or load_rules("scope")
        self.min_known_words = min_known_words
        # the documents say this (folded) phrase themselves ("chế độ quản trị", "dữ liệu huấn
        # luyện", "làm giàu"): a family's match on such words is no sign of leaving them
        self.said = said

    def _found(self, family: str, text: str) -> bool:
        """The family matches text other than where the documents' own phrase of two words or
        more is all it matched."""
        from retrieval.text import fold

        for m in self.rules.pattern(family).finditer(fold(text)):
            phrase = " ".join(_WORD.findall(m.group(0)))
            if phrase.count(" ") < 1 or not self.said(phrase):
                return True
        return False

    def check(self, question: str, follow_up: bool = False) -> ScopeCheck:
        """follow_up: the message continues a conversation (short and elliptic by nature:
        only the patterns decide, not the vocabulary). perf (issue 13): the checks are kept
        (the guard reads one index generation's words; the check is frozen)."""
        from retrieval.memo import memo_of

        return memo_of(self, "_checks", 4096).get((question, follow_up), lambda: self._check(question, follow_up))

    def _check(self, question: str, follow_up: bool) -> ScopeCheck:
        rest = self._strip_greetings(question)
        words = len(_WORD.findall(rest))
        lone = (
            words == 1
            and not follow_up
            and not self.names_document(rest)
            and not any(self.known(t) for t in self.tokens(rest) if not t.isdigit())
        )  # "khcn", "ĐMST" are keywords
        if words == 0 or lone or self.rules.search("smalltalk", rest):
            return ScopeCheck("greeting", question)
        if self.rules.search("about_assistant", rest):
            return ScopeCheck("about", question)
        if self._found("injection", rest):
            kept = [c for c in _CLAUSE.split(rest) if c.strip() and not self._found("injection", c)]
            remainder = " ".join(kept).strip()
            if not kept or not self._about_the_documents(remainder, strict=True):
                return ScopeCheck("injection", question)
            rest = remainder
        if not self.names_document(rest):
            if self._found("off_topic", rest) and self.known_share(rest) < 0.6:
                return ScopeCheck("off_topic", question)
            if not follow_up and (not self._about_the_documents(rest) or self._no_document_words(rest)):
                return ScopeCheck("off_topic", question)
        return ScopeCheck("", rest if rest != question.strip() else question)

    def _strip_greetings(self, text: str) -> str:
        rest = text.strip()
        for _ in range(3):
            m = self.rules.search("greeting", rest)
            if not m or m.end() == 0:
                break
            rest = rest[m.end() :].strip()
        return rest

    def known_share(self, text: str) -> float:
        """Share of the text's two-syllable words (bigrams) that the documents use."""
        bigrams = [t for t in dict.fromkeys(self.tokens(text)) if "_" in t]
        if not bigrams:
            return 1.0
        return sum(1 for t in bigrams if self.known(t)) / len(bigrams)

    def _no_document_words(self, text: str) -> bool:
        """A message the documents share no word pair with ("Bạn thích màu gì?", "who are
        you?", "alo, có ai ở đó không"): no number, no term of the documents' own (a known
        word that is no Vietnamese syllable: "sandbox", "egdi"), and either several word
        pairs or a word the documents never use."""
        if re.search(r"\d", text):
            return False
        tokens = [t for t in dict.fromkeys(self.tokens(text)) if not t.startswith("~")]
        bigrams = [t for t in tokens if "_" in t]
        words = [t for t in tokens if "_" not in t]
        if any(self.known(t) for t in bigrams):
            return False
        syllable = self.rules.pattern("syllable")
        if any(self.known(w) and not syllable.match(w) for w in words):
            return False
        return len(bigrams) >= 2 or any(not self.known(w) for w in words)

    def _about_the_documents(self, text: str, strict: bool = False) -> bool:
        """Words of the documents' vocabulary: a message of real Vietnamese words that the
        documents never put together is about something else. Words unknown syllable by
        syllable too ("kh01", "sk1") say nothing either way."""
        if self.names_document(text):
            return True
        tokens = list(dict.fromkeys(self.tokens(text)))
        bigrams = [t for t in tokens if "_" in t]
        # a pair of words each known to the documents, never seen together
        foreign = [t for t in bigrams if not self.known(t) and all(self.known(p) for p in t.split("_"))]
        known = [t for t in bigrams if self.known(t)]
        if strict:
            return len(known) >= 2 and len(known) >= len(foreign)
        if len(foreign) < 4:
            return True
        # everyday questions put words together in their own way: only a message the
        # documents share almost no word pair with is about something else
        return len(known) / (len(known) + len(foreign)) >= self.min_known_words
