"""Abstention, its own step before any generator writes: do the retrieved clauses hold what
the question pins down?

A question is refused when its anchors (a number or year, a named ministry, province or
article) are in no top clause, when it asks for a kind of value (a date, an amount, a
count of something) that the best clauses do not hold, or when the best clauses cover
too little of the words the documents use (the calibrated threshold). A structured
answer from the document tree (a count, a list of a heading's items) holds the value by
construction. The refusal names the nearest clauses that do exist.
"""

from __future__ import annotations

import functools
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from retrieval.regex_cache import compiled
from retrieval.rules import RuleSet, load_rules
from retrieval.text import fold, fold_aligned, fold_join, has_diacritics

from . import intent
from .citations import CheckedAnswer, CheckedSentence
from .evidence import YEAR, Evidence, EvidenceScorer, unit_years
from .generation.base import Draft, GenerationRequest
from .prompting import PromptLibrary


@dataclass(frozen=True)
class Verdict:
    """The abstention step's decision and why."""

    abstain: bool
    confidence: float
    reason: str = ""  # "", "no_evidence", "missing_anchor", "no_value", "vague_count", "weak"
    said: str = ""  # vague_count: the piece of a clause that counts the asked thing without a number


class AbstentionPolicy:
    """Decides whether to answer, for every generator alike.

    part_exists(part, docs) tells whether a numbered part ("phu luc iii", "sang kien 31")
    is in the documents' structure (docs: where to look; empty: everywhere)."""

    def __init__(
        self,
        scorer: EvidenceScorer,
        threshold: float,
        part_exists: Callable[[str, list[str]], bool] = lambda part, docs: True,
        doc_year: Callable[[str], str] = lambda doc: "",
        doc_issuer: Callable[[str], str] = lambda doc: "",
        doc_signed: Callable[[str], bool] = lambda doc: True,
        word_pairs: Callable[[], WordPairs] | None = None,
        detail_check: bool = True,
        written: Callable[[str], bool] = lambda words: True,
    ):
        self.scorer = scorer
        self.threshold = threshold
        self.part_exists = part_exists
        self.doc_year = doc_year  # the year a document was issued: "hồi 2012" points at Nghị quyết 20
        self.doc_issuer = doc_issuer  # the body that issued it: "Bộ Chính trị yêu cầu …" is Nghị quyết 57's
        self.doc_signed = doc_signed  # the document has its signature: "ai ký" is answered from it
        # the least share of a named programme's or fund's name (its word pairs, IDF-weighted)
        # that one clause found must hold (unsupported_name; chosen on dev and the probes)
        self.name_support = NAME_SUPPORT
        # the documents' words of two syllables (unsupported_detail; None: the check is off)
        self.word_pairs = word_pairs
        # unsupported_detail (the ask's document words missing beside every value): once off,
        # having refused 2 answerable questions of the frozen test part (now q120 and
        # w13-moved-w3-113 of dev: "danh mục … cụ thể", "mấy nội dung đó", no figure asked once
        # the marks are read: asks_figure); on by default (Settings.abstain_detail_check)
        self.detail_check = detail_check
        # the documents write these (folded) words one after another, within a sentence
        # (unwritten_name: a body's name the asker gives)
        self.written = written

    def _issuers(self, units) -> set[str]:
        return {self.doc_issuer(u.source.chunk.doc_id) for u in units} - {""}

    def _about(self, units: list, evidence: Evidence) -> list:
        """The units about the asked thing: those (with their headings) holding the rarest
        word of two syllables the ask names (WordPairs, written at least ABOUT_LEAST times;
        not the words of the place ask nor those framing an ask: "bảo tàng"); all of them
        when it names none, or the check is off."""
        if self.word_pairs is None:
            return units
        asked = intent.PLACE_ASKED.search(evidence.folded)
        framing = set(asked.group(0).split()) if asked else set()
        pairs = self.word_pairs()
        text = asked_text(evidence.question)
        folded = not has_diacritics(text)
        words = _SYLLABLE.findall(text.lower())
        terms = {
            f"{fold(a)}_{fold(b)}": self.scorer.idf(f"{fold(a)}_{fold(b)}")
            for a, b in zip(words, words[1:])
            if not {fold(a), fold(b)} & (framing | intent.FRAME_WORDS)
            and not any(c.isdigit() for c in a + b)
            and (
                pairs.is_word(fold(a), fold(b), True, ABOUT_LEAST) if folded else pairs.is_word(a, b, least=ABOUT_LEAST)
            )
        }
        if not terms:
            return units
        rarest = max(terms, key=terms.__getitem__)
        return [u for u in units if rarest in self.scorer.embedded_tokens(u.source.chunk)]

    def _has_part(self, part: str, docs: list[str]) -> bool:
        """The part as written, or with its number in the other numerals ("phụ lục 2" is
        "Phụ lục II")."""
        return any(self.part_exists(p, docs) for p in part_forms(part))

    def decide(self, request: GenerationRequest, evidence: Evidence, structured: Draft | None = None) -> Verdict:
        """structured: the list or count the document tree gives, if any (its own
        confidence counts: a heading whose items are what is asked answers by itself)."""
        if not evidence.units:
            return Verdict(True, 0.0, "no_evidence")
        if structured is not None and not structured.each and intent.PER_ITEM_ASKED.search(evidence.question.lower()):
            structured = None  # a heading's count of items is no limit per item ("mỗi … tối đa bao nhiêu")
        confidence = max(self.scorer.confidence(evidence), structured.confidence if structured else 0.0)
        top = evidence.ranked[:5]
        question = evidence.question
        if structured is not None and (
            self.scorer.rules.search("belongs", evidence.folded)
            or self.scorer.rules.search("two_level_reversed", evidence.folded)
        ):
            question = self.scorer.rules.pattern("belongs_context").sub(" ", fold(question))  # "trong 7 nhóm"
        known = set(request.known_years) | {self.doc_year(u.source.chunk.doc_id) for u in top} - {""}
        anchored = [*(u.source.chunk for u in top), *(structured.anchors if structured is not None else ())]
        if intent.missing_anchor(question, anchored, known, self._issuers(top)):
            # a wrongly named document: the anchor may stand in another one's clauses
            others = [u for u in evidence.ranked if u.source.chunk.doc_id not in request.named_docs][:5]
            if (
                not request.named_docs
                or not others
                or intent.missing_anchor(question, [u.source.chunk for u in others], known, self._issuers(others))
            ):
                return Verdict(True, 0.0, "missing_anchor")
        if intent.missing_qualifier(asked_text(evidence.question), [u.source.chunk for u in top]):
            return Verdict(True, 0.0, "missing_anchor")  # "ở cấp xã", "ngành du lịch": no clause found says it
        texts = [u.source.chunk.text for u in evidence.ranked[:10]]
        name = unknown_name(evidence.question, self.scorer.tokens, self.scorer.known, texts)
        if name:
            return Verdict(True, 0.0, "unknown_name")  # "Hiệp ước PCT": a name no text mentions
        if unwritten_name(evidence.question, self.written):
            return Verdict(True, 0.0, "unknown_name")  # "Ban Hợp tác quốc tế": a body no text names
        chunks = list({id(u.source.chunk): u.source.chunk for u in evidence.units}.values())
        if intent.PLACE_ASKED.search(evidence.folded) and not intent.names_place(
            [u.text for u in self._about(top, evidence)]
        ):
            # "ở tỉnh nào": no clause about the asked thing names a province (one about another
            # thing among those found may: "sàn giao dịch … tại Hà Nội" is not where the museum is)
            return Verdict(True, 0.0, "no_value")
        if intent.unwritten_contact(evidence.folded, [s.chunk.text for s in request.sources]):
            # "qua địa chỉ email nào": no clause found writes one (not an own-ask refusal of a part:
            # "ở trang web nào" searched alone misses the clause its question before finds)
            return Verdict(True, 0.0, "no_contact")
        if structured is None and intent.NAMES_ASKED.search(evidence.folded):
            covering = sorted(evidence.units, key=lambda u: -u.coverage)[:3]
            if not any(len(intent.proper_names(u.text, evidence.folded)) >= 2 for u in covering):
                return Verdict(True, 0.0, "no_value")  # "gồm những nước nào": no clause found names them
        if request.named_docs and intent.SIGNER_ASKED.search(evidence.folded):
            if not any(self.doc_signed(d) for d in request.named_docs):
                return Verdict(True, 0.0, "no_text_value")  # "nq20 ai ký": the text has no signature
        post = intent.POST_ASKED.search(evidence.folded)
        if post and not _says(post.group(1) or post.group(2), [u.source.chunk for u in top]):
            return Verdict(True, 0.0, "no_value")  # "do ai làm Chủ tịch": no clause found names the post
        if missing_option(evidence.question, [u.source.chunk for u in top], self.scorer):
            return Verdict(True, 0.0, "missing_anchor")  # "ung thư hay tiểu đường": no text writes either
        if unsupported_name(asked_text(evidence.question), chunks, self.scorer, self.name_support):
            return Verdict(True, 0.0, "unsupported_name")  # "Đề án phát triển du lịch cộng đồng": no clause found
        docs = list(request.named_docs)
        parts = intent.numbered_parts(evidence.folded)
        if any(not self._has_part(p, []) for p in parts):
            return Verdict(True, 0.0, "missing_part")  # "Phụ lục III", "Sáng kiến 31": not in the texts
        if docs and any(not self._has_part(p, docs) for p in parts):
            # "Theo Nghị quyết 57, Sáng kiến 18 …": the part is another document's; the named
            # one is a preference, not a filter (the second look answers from the one holding it)
            return Verdict(True, 0.0, "missing_anchor")
        if other_year_only(evidence, self.scorer) or year_off_topic(evidence, self.scorer):
            return Verdict(True, 0.0, "other_year")
        if structured is None and year_value_missing(evidence, lambda w: self.scorer.known(w.replace(" ", "_"))):
            said = vague_count(evidence.folded, [u.text for u in sorted(evidence.units, key=lambda u: -u.coverage)[:3]])
            if said:  # "đến năm 2020 … bao nhiêu sản phẩm quốc gia": the year's sentence says "một số"
                return Verdict(True, 0.0, "vague_count", said)
            return Verdict(True, 0.0, "other_year")  # "đến năm 2045 tỉ lệ …": the 2045 sentences set no share
        if structured is None and year_stretch_elsewhere(evidence, self.written):
            return Verdict(True, 0.0, "other_year")  # "2030 … dẫn đầu thế giới về đổi mới sáng tạo": 2045's words
        if request.named_docs and intent.ORDINAL_ASKED.search(evidence.folded):
            # the plenum or term that adopted the named text: its own clauses and headings state
            # it, or none does; no second look (another document's plenum is not this one's)
            own = [u.source.chunk for u in evidence.units if u.source.chunk.doc_id in request.named_docs]
            if not any(intent.ORDINAL.search(fold(" ".join([*c.breadcrumb, c.text]))) for c in own):
                return Verdict(True, 0.0, "no_text_value")
        written = [p for p in parts if p.rpartition(" ")[0] in intent.PARTS_BY_NUMBER]
        if structured is None and written and intent.asks_lead(evidence.question):
            # "Sáng kiến 4 do bộ nào chủ trì": the clauses that write the part must name an actor
            holding = [u for u in evidence.units if _holds_part(written, u.source.chunk)]
            names = intent.names_ministry if intent.MINISTRY_ASKED.search(evidence.folded) else None
            if not any(names(u.text) if names else intent.names_actor(u.text, evidence.folded) for u in holding):
                return Verdict(True, 0.0, "no_text_value")
        if structured is None and intent.ORG_LEAD_ASKED.search(evidence.folded):
            covering = sorted(evidence.units, key=lambda u: -u.coverage)[:3]
            if not any(intent.names_actor(u.text, evidence.folded) for u in covering):
                return Verdict(True, 0.0, "no_value")  # "do trường đại học nào chủ trì": no clause names one
        if structured is None:
            covering = sorted(evidence.units, key=lambda u: -u.coverage)[:3]
            texts = [u.text for u in covering]
            if not intent.has_asked_value(
                evidence.folded,
                texts,
                [u.heading for u in covering],
                lambda w: self.scorer.known(w.replace(" ", "_")),
                evidence.question,
            ) and not counted_in_words(evidence.folded, texts):
                said = vague_count(evidence.folded, texts)  # "một số sản phẩm quốc gia": no number
                return Verdict(True, 0.0, "vague_count", said) if said else Verdict(True, 0.0, "no_value")
        if structured is None and absent_body(evidence, self._issuers(evidence.units), self.scorer):
            return Verdict(True, 0.0, "unsupported_name")  # "… báo cáo với Quốc hội": the clause says another body
        if structured is None and self.word_pairs is not None:
            if self.detail_check and unsupported_detail(evidence, self.scorer, self.word_pairs()):
                return Verdict(True, 0.0, "unsupported_detail")  # "… cho nghiên cứu cơ bản": not beside the figure
            if swapped_detail(evidence, self.scorer, self.word_pairs()):
                return Verdict(True, 0.0, "unsupported_detail")  # "quy mô [khởi nghiệp] đạt …%": the slot holds another
            if unwritten_detail(evidence, self.written):
                return Verdict(True, 0.0, "unsupported_detail")  # "tạp chí khoa học [tiếng Anh]": no text writes it
            if unsaid_base(evidence, self.scorer, self.word_pairs()):
                return Verdict(
                    True, 0.0, "unsupported_detail"
                )  # "bao nhiêu % tổng [kim ngạch xuất khẩu]": another base
        if confidence < self.threshold:
            return Verdict(True, confidence, "weak")
        return Verdict(False, confidence)


NAME_SUPPORT = 0.5
# unsupported_detail: a pair of syllables is a word of the documents when they write it at
# least PAIR_LEAST times and far more often than its syllables' frequencies predict (PAIR_PMI
# bits); an ask naming at least DETAIL_TERMS such words is refused when the clauses of its
# best sentences holding the asked value lack DETAIL_SHARE of them (IDF-weighted), each
# clause at least that much (chosen on dev and the generated near-miss probes)
PAIR_LEAST = 4
PAIR_PMI = 5.0
DETAIL_TERMS = 3
DETAIL_SHARE = 0.3
DETAIL_MOST = 0.6  # … and holds more than the rest: close to the clause, one detail off
# a place asked ("ở thành phố nào") is named by a clause holding the ask's rarest word of two
# syllables written at least ABOUT_LEAST times ("bảo tàng": a word the texts write rarely)
ABOUT_LEAST = 2
DETAIL_UNITS = 5  # the best sentences holding the asked value that are read


_SYLLABLE = re.compile(r"\w+")
# perf (issue 13): the questions whose detail terms, and the (ask, sentence) pairs whose
# alignment, are kept
DETAIL_MEMO = 4096
OPCODES_MEMO = 20_000
_SEGMENT = re.compile(r"[^\w\s]|\n")


class WordPairs:
    """The documents' pairs of syllables, counted within sentences as written (with their
    marks) and folded: which pairs are words ("cơ bản", "bán dẫn"), not two words that meet
    ("năm thuộc"): by their count and pointwise mutual information.

    Only what ``is_word`` can read is kept (issue 13, scale: at 100,000 clauses the whole
    counts held ~1 GB): the pairs written at least ``floor`` times (the fewest any caller
    asks for) and the counts of their syllables; the total counts every syllable."""

    def __init__(self, texts: Iterable[str], least: int = PAIR_LEAST, pmi: float = PAIR_PMI, floor: int | None = None):
        self.least, self.pmi = least, pmi
        self.floor = min(least, ABOUT_LEAST) if floor is None else floor
        syllables: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
        pairs: tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]] = (Counter(), Counter())
        folds: dict[str, str] = {}  # each distinct syllable folded once
        for text in texts:
            for segment in _SEGMENT.split(text.lower()):
                words = _SYLLABLE.findall(segment)
                if not words:
                    continue
                folded = [folds.get(w) or folds.setdefault(w, fold(w)) for w in words]
                for marked, said in enumerate((words, folded)):
                    syllables[marked].update(said)
                    pairs[marked].update(zip(said, said[1:]))
        self.total = max(1, sum(syllables[0].values()))
        self.pairs = tuple(Counter({p: n for p, n in c.items() if n >= self.floor}) for c in pairs)
        self.syllables = tuple(
            Counter({w: n for w, n in s.items() if w in used})
            for s, used in zip(syllables, ({w for p in c for w in p} for c in self.pairs))
        )

    def is_word(self, a: str, b: str, folded: bool = False, least: int | None = None) -> bool:
        """The two syllables (lower case; folded: without marks) are a word of the documents
        (least: the fewest times written, when not the instance's)."""
        i = int(folded)
        least = self.least if least is None else least
        if least < self.floor:
            raise ValueError(f"WordPairs keeps only pairs written {self.floor} times or more (asked {least})")
        count = self.pairs[i][(a, b)]
        if count < least:
            return False
        return math.log2(count * self.total / (self.syllables[i][a] * self.syllables[i][b])) >= self.pmi


def detail_terms(question: str, scorer: EvidenceScorer, pairs: WordPairs, least: int | None = None) -> dict[str, float]:
    """The words of two syllables the question's ask names that are words of the documents
    (WordPairs), as the index's tokens ("co_ban") with their IDF: not those that frame an ask
    ("bao nhiêu", "mục tiêu", "Viện Hàn lâm"), nor question words, numbers or the words about
    the asker. perf (issue 13): read once per question for these documents' pairs and this
    scorer (a fresh dict each time: a caller may change it)."""
    memo: dict = pairs.__dict__.setdefault("_detail_memo", {})
    if memo.get("scorer") is not scorer or len(memo) > DETAIL_MEMO:
        memo.clear()
        memo["scorer"] = scorer
    got = memo.get(question)
    if got is None:
        got = memo[question] = _detail_terms(question, scorer, pairs)
    return dict(got)


def _detail_terms(question: str, scorer: EvidenceScorer, pairs: WordPairs) -> dict[str, float]:
    asked = asked_text(question)
    folded = not has_diacritics(asked)
    content = {t for t in scorer.tokens(asked) if "_" not in t and not t.startswith("~")}
    asking = load_rules("answers").word_set("question_words")
    words = _SYLLABLE.findall(asked.lower())
    out: dict[str, float] = {}
    for a, b in zip(words, words[1:]):
        fa, fb = fold(a), fold(b)
        if fa not in content or fb not in content or fa in asking or fb in asking:
            continue
        if f"{fa} {fb}" in intent._FRAME_PAIRS or fa in intent.FRAME_WORDS or fb in intent.FRAME_WORDS:
            continue
        if any(c.isdigit() for c in a + b):
            continue
        if pairs.is_word(fa, fb, True) if folded else pairs.is_word(a, b):
            out[f"{fa}_{fb}"] = scorer.idf(f"{fa}_{fb}")
    return out


def unsupported_detail(evidence: Evidence, scorer: EvidenceScorer, pairs: WordPairs) -> str:
    """A question asking a figure or a length of time ("bao nhiêu phần trăm … cho nghiên cứu
    cơ bản") whose best sentences holding such a value stand in clauses (with their headings)
    that lack a good share of the words its ask names, each of them (a word said there by a
    synonym the documents use counts as said: "tập đoàn" by "doanh nghiệp"): the value is of
    another thing than the one asked. The word most missed ("" when the ask is supported)."""
    from retrieval.synonyms import default_synonyms

    from .direct import holds_value, value_kind

    kind = value_kind(evidence.folded)
    if kind not in ("number", "duration"):
        return ""
    if not asks_figure(evidence.question):
        return ""  # "danh mục … cụ thể", "mấy nội dung đó": the folded ask reads a figure no one asks
    terms = detail_terms(evidence.question, scorer, pairs)
    if len(terms) < DETAIL_TERMS:
        return ""
    # perf (issue 13): the first DETAIL_UNITS holding one, not every unit read then cut
    valued = list(islice((u for u in evidence.ranked if holds_value(u, kind, evidence)), DETAIL_UNITS))
    if not valued:
        return ""
    total = sum(terms.values())
    said_as = [
        (frozenset(scorer.tokens(member)), [frozenset(scorer.tokens(fold(o))) for o in others])
        for member, others in default_synonyms().matches(asked_text(evidence.question))
    ]
    worst, least = "", 1.0
    for unit in valued:
        present = scorer.embedded_tokens(unit.source.chunk)
        missed = [t for t in terms if t not in present]
        missed = [
            t
            for t in missed
            if not any(t in member and any(o and o <= present for o in others) for member, others in said_as)
        ]
        share = sum(terms[t] for t in missed) / total
        if share < least:
            least, worst = share, max(missed, key=terms.__getitem__, default="")
    return worst if DETAIL_SHARE <= least <= DETAIL_MOST else ""


def asks_figure(question: str) -> bool:
    """The ask, as written, asks a figure or a length of time: read with its marks when it has
    them (intent.toml figure_asked_marked: "mấy" not "máy", "mức" not "mục", not "mấy X
    đó"); a question typed without marks is read folded (figure_asked)."""
    asked = asked_text(question)
    if not has_diacritics(asked):
        return bool(intent.FIGURE_ASKED.search(fold(asked)))
    rules = load_rules("intent")
    return bool(
        rules.search("figure_asked_marked", asked.lower()) or load_rules("values").search("duration_asked", fold(asked))
    )


SWAP_FLANK = 2  # the syllables the ask and the sentence share on each side of the swapped words
SWAP_MOST = 5  # the most syllables of a slot (either side)
SWAP_REST = 3  # the most syllables of the ask that differ outside the slot
SWAP_LOOSE = 2  # the most syllables of the slot outside its words of the documents ("kinh tế [tuần hoàn]")
# the words naming the document asked of ("Theo Nghị quyết 57"): not the sentence's to say
_NAMING = frozenset("theo nghi quyet ke hoach ket luan chuong trinh so nq kh kl cua".split())


@functools.cache
def _function_words() -> frozenset[str]:
    """The documents' function words, folded ("trong", "phải", "có"): no part of a thing named."""
    from importlib import resources

    text = resources.files("retrieval.resources").joinpath("stopwords_vi.txt").read_text("utf-8")
    return frozenset(fold(w.strip()).lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


_SYLLABLES: dict[str, tuple[str, ...]] = {}


def _syllables(text: str) -> tuple[str, ...]:
    """_SYLLABLE.findall(fold(text).lower()), remembered per text (perf, issue 13: the same
    clauses and headings come back question after question)."""
    got = _SYLLABLES.get(text)
    if got is None:
        if len(_SYLLABLES) > 50_000:
            _SYLLABLES.clear()
        got = _SYLLABLES[text] = tuple(_SYLLABLE.findall(fold(text).lower()))
    return got


_OPCODES: dict[tuple[tuple[str, ...], tuple[str, ...]], list] = {}


def _opcodes(asked: tuple[str, ...], said: tuple[str, ...], matcher) -> list:
    """SequenceMatcher(None, asked, said, autojunk=False).get_opcodes(), remembered per pair
    of syllable sequences (perf, issue 13: the same ask meets the same sentences again; the
    list is only read)."""
    key = (asked, said)
    got = _OPCODES.get(key)
    if got is None:
        if len(_OPCODES) > OPCODES_MEMO:
            _OPCODES.clear()
        got = _OPCODES[key] = matcher(None, list(asked), list(said), autojunk=False).get_opcodes()
    return got


def swapped_detail(evidence: Evidence, scorer: EvidenceScorer, pairs: WordPairs) -> str:
    """A figure asked of a subject whose best sentence holding such a value says the same
    words around one slot and another word of the documents in it ("quy mô [khởi nghiệp
    sáng tạo] đạt tối thiểu … GDP" where the sentence says "quy mô [kinh tế số] đạt tối
    thiểu 30% GDP"), one detail off (the rest of the ask said there), the slot's words
    written by no clause of those sentences nor by the sentence's headings: the value is of
    the sibling, not of the thing asked. The asked words in the slot ("" when none).
    Sharper than a rare word beside no value: the value's own sentence must frame the
    sibling where the ask names the thing."""
    from difflib import SequenceMatcher

    from .direct import holds_value, value_kind

    kind = value_kind(evidence.folded)
    if kind not in ("number", "duration"):
        return ""
    terms = detail_terms(evidence.question, scorer, pairs)
    asking = load_rules("answers").word_set("question_words")
    asked = _SYLLABLE.findall(fold(asked_text(evidence.question)).lower())
    # perf (issue 13): the first DETAIL_UNITS holding one, not every unit read then cut
    valued = list(islice((u for u in evidence.ranked if holds_value(u, kind, evidence)), DETAIL_UNITS))
    clauses = [" " + " ".join(_syllables(u.source.chunk.text)) + " " for u in valued]
    best: tuple[int, str] = (0, "")
    for unit in valued:
        said = list(_syllables(unit.text))
        heading = set(_syllables(" ".join(unit.source.chunk.breadcrumb)))
        ops = _opcodes(tuple(asked), tuple(said), SequenceMatcher)
        shared = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
        for n, (tag, i1, i2, j1, j2) in enumerate(ops):
            if tag != "replace" or not 0 < n < len(ops) - 1:
                continue
            before, after = ops[n - 1], ops[n + 1]
            if before[0] != "equal" or after[0] != "equal":
                continue
            if before[2] - before[1] < SWAP_FLANK or after[2] - after[1] < SWAP_FLANK:
                continue
            mine, theirs = asked[i1:i2], said[j1:j2]
            if len(mine) > SWAP_MOST or len([w for w in theirs if len(w) > 1]) > SWAP_MOST:  # "(R&D)" no syllable
                continue
            rest = [w for t, a1, a2, _, _ in ops[:n] + ops[n + 1 :] if t != "equal" for w in asked[a1:a2]]
            plain = _function_words() | intent.FRAME_WORDS
            if (
                len([w for w in rest if w not in asking and w not in _NAMING and w not in plain and not w.isdigit()])
                > SWAP_REST
            ):
                continue  # more than the slot differs: a paraphrase, not one detail off
            if any(w in asking or w.isdigit() for w in mine) or any(any(c.isdigit() for c in w) for w in theirs):
                continue  # the slot of the asked value ("bao nhiêu phần trăm" for "3%"), not of its subject
            words = [(a, b) for a, b in zip(mine, mine[1:]) if f"{a}_{b}" in terms]
            inside = {w for a, b in words for w in (a, b)}
            loose = [w for w in mine if w not in inside]
            if len(loose) > SWAP_LOOSE or any(w in _function_words() for w in loose):
                continue  # the slot is the ask's wording ("trong … phải có"), not a thing named
            if not words or not any(pairs.is_word(a, b, True) for a, b in zip(theirs, theirs[1:])):
                continue
            if any(f" {' '.join(mine)} " in c for c in clauses) or set(mine) <= heading:
                continue  # a clause holding such a value writes the asked words: an order, not a swap
            if shared > best[0]:
                best = (shared, " ".join(mine))
    return best[1]


ADDED_FLANK = 3  # the syllables the ask and the sentence share before an added detail
ADDED_MOST = 4  # the most syllables of an added detail
ADDED_SHARE = 0.7  # the least share of the ask's stretch the sentence says word for word


def unwritten_detail(evidence: Evidence, written: Callable[[str], bool]) -> str:
    """A figure asked of a subject that its best sentence holding such a value states word
    for word but for one detail the ask adds or puts in a slot ("bao nhiêu tạp chí khoa
    học [tiếng Anh] do Viện quản lý đạt chuẩn", "số cán bộ [nữ] nghiên cứu …", "dịch vụ
    công trực tuyến của [người cao tuổi]"), a detail no document writes anywhere (written:
    the documents' runs of words): the texts set the value for the thing without it, and
    never for it. The added words ("" when none). The sentence must share at least
    ADDED_FLANK syllables with the ask right before the detail and SWAP_FLANK right after
    it (the detail qualifies what the sentence says), say ADDED_SHARE of the ask's stretch
    it covers, and differ from that stretch in at most SWAP_REST other words of content
    (more is a paraphrase, not one detail added)."""
    from difflib import SequenceMatcher

    from .direct import holds_value, value_kind

    kind = value_kind(evidence.folded)
    if kind not in ("number", "duration"):
        return ""
    asking = load_rules("answers").word_set("question_words")
    plain = _function_words() | intent.FRAME_WORDS
    framing = set(asking) | _NAMING | plain
    asked_words = asked_text(evidence.question).lower()
    asked = _SYLLABLE.findall(fold(asked_words))
    plain_at = _plain_places(asked, asked_words, plain)
    valued = list(islice((u for u in evidence.ranked if holds_value(u, kind, evidence)), DETAIL_UNITS))
    for unit in valued:
        ops = _opcodes(tuple(asked), _syllables(unit.text), SequenceMatcher)
        # the stretch of the ask the sentence says: from its first shared run to its last
        # (before it the ask's frame, "Theo …, đến năm 2030"; after it the asked value)
        runs = [n for n, op in enumerate(ops) if op[0] == "equal" and op[2] - op[1] >= SWAP_FLANK]
        if not runs:
            continue
        first, last = runs[0], max(n for n, op in enumerate(ops) if op[0] == "equal")
        stretch = ops[first : last + 1]
        if sum(i2 - i1 for t, i1, i2, _, _ in stretch if t == "equal") < ADDED_SHARE * (stretch[-1][2] - stretch[0][1]):
            continue  # the sentence says too little of the ask: no detail added to it
        for n in range(first + 1, last):
            tag, i1, i2, _, _ = ops[n]
            before, after = ops[n - 1], ops[n + 1]
            if tag not in ("replace", "delete") or before[0] != "equal" or after[0] != "equal":
                continue
            if before[2] - before[1] < ADDED_FLANK or after[2] - after[1] < (
                1 if n + 1 == last and _slot_follows(asked, after[2], asking) else SWAP_FLANK
            ):
                continue  # the detail stands inside the sentence's own words, on both sides
            if i2 - i1 > ADDED_MOST or any(w in asking or w.isdigit() for w in asked[i1:i2]):
                continue  # the asked value's own slot
            while i1 < i2 and plain_at[i1]:
                i1 += 1
            while i2 > i1 and plain_at[i2 - 1]:
                i2 -= 1
            mine = asked[i1:i2]
            if not mine:
                continue  # nothing named ("bố trí [phải] …": a modal, no detail)
            rest = [w for op in stretch if op[0] != "equal" and op[1] != i1 for w in asked[op[1] : op[2]]]
            if len([w for w in rest if w not in framing and not w.isdigit()]) > SWAP_REST:
                continue  # more than the detail differs: a paraphrase
            if not written(" ".join(mine)):
                return " ".join(mine)
    return ""


def unsaid_base(evidence: Evidence, scorer: EvidenceScorer, pairs: WordPairs) -> str:
    """A figure asked of a subject whose words after the asked value's slot name what it
    counts or is a share of ("bao nhiêu phần trăm tổng [kim ngạch xuất khẩu]", "bao nhiêu
    công nghệ lõi trong lĩnh vực [y sinh]"), a word of the documents (detail_terms) that no
    clause of the best sentences holding such a value writes (nor its headings), while the
    one of them saying most of the ask shares at least ADDED_FLANK syllables of the subject
    before the slot: the value is of another base or field ("40% tổng giá trị sản xuất công
    nghiệp", "30 công nghệ … trong các lĩnh vực công nghệ"). The word missing ("" when none)."""
    from difflib import SequenceMatcher

    from .direct import holds_value, value_kind

    if value_kind(evidence.folded) != "number":
        return ""
    asked = _SYLLABLE.findall(fold(asked_text(evidence.question)).lower())
    slots = [i for i, w in enumerate(asked) if asked[i : i + 2] == ["bao", "nhieu"] or w == "may"]
    if not slots:
        return ""
    slot = slots[-1]
    tail = asked[slot + (1 if asked[slot] == "may" else 2) :]
    terms = detail_terms(evidence.question, scorer, pairs)
    # not the noun counted right after the slot: the texts may name it by another word
    # ("bao nhiêu tập đoàn công nghệ" of "tổ chức, doanh nghiệp công nghệ")
    based = {f"{a}_{b}" for a, b in zip(tail[1:], tail[2:])} & set(terms)
    if not based:
        return ""
    valued = list(islice((u for u in evidence.ranked if holds_value(u, "number", evidence)), DETAIL_UNITS))
    if not valued:
        return ""
    clauses = [
        " " + " ".join(_syllables(" ".join([*u.source.chunk.breadcrumb, u.source.chunk.text]))) + " " for u in valued
    ]
    missing = [t for t in based if not any(f" {t.replace('_', ' ')} " in c for c in clauses)]
    if not missing:
        return ""

    start = len(asked) - len(tail)
    at = {t: [k for k in range(start + 1, len(asked) - 1) if f"{asked[k]}_{asked[k + 1]}" == t] for t in missing}

    def before_slot(unit) -> tuple[int, list]:
        ops = _opcodes(tuple(asked), _syllables(unit.text), SequenceMatcher)
        return sum(min(i2, slot) - i1 for tag, i1, i2, _, _ in ops if tag == "equal" and i1 < slot), ops

    shared, ops = max(map(before_slot, valued), key=lambda got: got[0])
    if shared < ADDED_FLANK:
        return ""  # no sentence holding a value speaks of the asked subject
    # the sentence writes a base of its own there: a word of the ask's tail it shares
    # before the missing one ("40% [tổng] giá trị …" for "bao nhiêu phần trăm [tổng] kim ngạch …")
    framed = [
        t for t in missing if any(tag == "equal" and start <= i1 and i2 <= max(at[t]) for tag, i1, i2, _, _ in ops)
    ]
    return max(framed, key=terms.__getitem__, default="")


def _slot_follows(asked: list[str], at: int, asking: Iterable[str]) -> bool:
    """The asked value's slot comes right after the ask's syllable at (a question word within
    SLOT_NEAR syllables: "… của [người cao tuổi] đạt | bao nhiêu phần trăm"): the sentence's
    word after the detail is the verb of the value, and one syllable flanks it enough."""
    words = set(asking)
    return any(w in words for w in asked[at : at + SLOT_NEAR])


SLOT_NEAR = 2


def _plain_places(asked: list[str], marked: str, plain: frozenset[str] | set[str]) -> list[bool]:
    """Which folded syllables of the ask name nothing: the documents' function words, and the
    function words and verbs where a name ends (intent.toml name_stop: "phải", "cần", "đạt"),
    read with the ask's tone marks when it has them ("đạt" ≠ "đất"), folded when it has none."""
    stops, folded = _name_stops()
    said = _SYLLABLE.findall(marked)
    if has_diacritics(marked) and len(said) == len(asked):
        return [w in plain or m in stops for w, m in zip(asked, said, strict=True)]
    return [w in plain or w in folded for w in asked]


@lru_cache(maxsize=1)
def _name_stops() -> tuple[frozenset[str], frozenset[str]]:
    """intent.toml name_stop as written and folded."""
    stops = load_rules("intent").word_set("name_stop")
    return frozenset(stops), frozenset(fold(w).lower() for w in stops)


_WORDS = re.compile(r"[\w&]+")
_RUN_BREAK = re.compile(r"[^\w\s&]|\n")  # "KH&CN" stays one word
NAME_HEAD_AFTER = 2  # the syllables after a body's head that must stand with it ("Ban Hợp tác")


def written_words(texts: Iterable[str]) -> Callable[[str], bool]:
    """Whether the documents write some (folded, lower-case) words one after another within
    a sentence or a cell: the texts folded once, a mark ending a run of words."""
    return written_in(written_runs(texts))


def written_runs(texts: Iterable[str]) -> str:
    """The documents' runs of words (folded, lower case), each framed by " | " (what
    ``written_in`` reads; kept beside the generation: issue 13, scale)."""
    runs = [" ".join(_WORDS.findall(part)) for text in texts for part in _RUN_BREAK.split(fold(text).lower())]
    return " | " + " | ".join(r for r in runs if r) + " | "


# perf (issue 13): the most characters of runs whose words are indexed by position (a few
# bytes a word; the corpus has ~240,000); beyond, each ask scans the joined runs
WRITTEN_INDEXED_UP_TO = 50_000_000


def written_in(joined: str) -> Callable[[str], bool]:
    """``written_words`` over the runs ``written_runs`` joined. A piece of words is written
    where ``" {piece} "`` stands in the joined runs: where its words are tokens one after
    another (the runs' words hold no space and no "|"). Read through each word's positions
    (RunIndex), not by scanning the whole text at every ask (perf, issue 13: ~90 µs a call,
    ~50 calls for a long ask of a year)."""
    index = RunIndex(joined) if len(joined) <= WRITTEN_INDEXED_UP_TO else None

    def written(words: str) -> bool:
        pieces = (" ".join(_WORDS.findall(p)) for p in _RUN_BREAK.split(fold(words).lower()))
        if index is None:
            return all(f" {said} " in joined for said in pieces if said)  # "nhanh, bền vững": piece by piece
        return all(index.holds(said.split(" ")) for said in pieces if said)

    return written


class RunIndex:
    """The tokens of the joined runs (split at their spaces) as word numbers, and where each
    word stands: whether some words stand one after another is read from the positions of
    the rarest of them (what ``" w1 w2 " in joined`` says, without the scan)."""

    def __init__(self, joined: str) -> None:
        self.ids: dict[str, int] = {}
        seq = array("i")
        places: list[array] = []
        for token in joined.split(" "):
            n = self.ids.get(token)
            if n is None:
                n = self.ids[token] = len(places)
                places.append(array("i"))
            places[n].append(len(seq))
            seq.append(n)
        self.seq = seq
        self.places = places

    def holds(self, words: list[str]) -> bool:
        ids = self.ids
        if any(w not in ids for w in words):
            return False
        wanted = array("i", [ids[w] for w in words])
        at = min(range(len(wanted)), key=lambda k: len(self.places[wanted[k]]))
        seq, k = self.seq, len(wanted)
        for p in self.places[wanted[at]]:
            start = p - at
            if start >= 0 and seq[start : start + k] == wanted:
                return True
        return False


def asked_names(question: str) -> list[str]:
    """The names the ask gives of a body, as written: a head (intent.toml body_head) and the
    two syllables after it, the first capitalised ("Ban Hợp tác quốc tế" gives "Ban Hợp
    tác"); not in the asker's own context, nor a short form ("Bộ KH&CN"). (Quoted names were
    tried too: an asker's quote is often a paraphrase, and one answerable of val was lost.)"""
    rules = load_rules("intent")
    stop = rules.word_set("name_stop")
    asked = asked_text(question)
    out = []
    for m in rules.pattern("body_head").finditer(asked):
        after: list[str] = []
        for w in asked[m.end() :].split()[:NAME_HEAD_AFTER]:
            word = "".join(_WORDS.findall(w))
            if not word or word.lower() in stop:
                break
            if len(word) > 1 and word.isupper():  # "Bộ KH&CN": a short form, unknown_name's to read
                after = []
                break
            after.append(word)
            if word != w:  # "Bộ Y tế," : the name ends at its mark
                break
        if after:
            out.append(f"{m.group(0).strip()} {' '.join(after)}")
    return out


def absent_body(evidence: Evidence, issuers: set[str], scorer: EvidenceScorer) -> str:
    """A body the ask names (asked_names, intent.toml body_plain) that the clause holding the
    asked figure or date does not name, nor its headings: the documents give the value of
    another body ("Văn phòng Trung ương Đảng … báo cáo với Quốc hội": the clause reports to
    the Ban Chỉ đạo and the Bộ Chính trị; "Hội đồng Tư vấn … định kỳ mấy tháng": the clause is
    the Văn phòng's). The clause: the best covering of the ABSENT_BODY_UNITS sentences that
    holds a value of the asked kind. A document's issuer named ("Theo Viện Hàn lâm") is no
    such body. "" when every body named is there, or no value is asked."""
    folded_q = evidence.folded
    if not (intent.FIGURE_ASKED.search(folded_q) or intent.DATE_ASKED.search(folded_q)):
        return ""
    asked = asked_text(evidence.question)
    names = [*asked_names(evidence.question), *load_rules("intent").pattern("body_plain").findall(asked)]
    issued = fold(" ".join(issuers)).lower()
    names = [n for n in names if fold(n).lower() not in issued]
    if not names:
        return ""
    known = lambda w: scorer.known(w.replace(" ", "_"))  # noqa: E731
    covering = sorted(evidence.units, key=lambda u: -u.coverage)[:ABSENT_BODY_UNITS]
    unit = next(
        (u for u in covering if intent.has_asked_value(folded_q, [u.text], [u.heading], known, evidence.question)),
        None,
    )
    if unit is None:
        return ""
    chunk = unit.source.chunk
    said = fold(" ".join([*chunk.breadcrumb, chunk.text])).lower()
    return next((n for n in names if fold(n).lower() not in said), "")


ABSENT_BODY_UNITS = 5


def unwritten_name(question: str, written: Callable[[str], bool]) -> str:
    """A body's name of the ask that no document writes (written: the documents' runs of
    words): the body asked of is not among the texts ("" when every name is written)."""
    return next((n for n in asked_names(question) if not written(n)), "")


def signed_documents(chunks: Sequence) -> frozenset[str]:
    """The documents that carry their signature: a signature part ("phần chữ ký"), a signature
    block, or a sentence saying who signed ("… Tô Lâm đã ký ban hành …")."""
    from .evidence import is_signature

    # scale (issue 13): read from the end, where a document signs, and a document found
    # signed is not read further (the same set: only membership is asked)
    found: set[str] = set()
    for c in reversed(chunks):
        if c.doc_id in found:
            continue
        if c.id.partition(":")[2].startswith("ky.") or intent.SIGNED.search(fold(c.text)) or is_signature(c.text):
            found.add(c.doc_id)
    return frozenset(found)


def _says(words: str, chunks: Sequence) -> bool:
    """Some chunk (with its headings) writes the folded words."""
    return bool(re.search(rf"\b{re.escape(words)}\b", fold_join(c.embedding_text() for c in chunks).lower()))


def missing_option(question: str, chunks: Sequence, scorer: EvidenceScorer) -> str:
    """The values the asker offers ("…, ung thư hay tiểu đường?") when no clause found writes
    any of them and no document uses any of their word pairs at all: the first of them ("" when
    one is written somewhere, or none is offered)."""
    m = intent.OPTIONS_ASKED.search(fold(question).lower())
    if not m:
        return ""
    options = [o.strip() for o in m.groups()]
    if any(_says(o, chunks) for o in options):
        return ""
    for option in options:
        tokens = [t for t in scorer.tokens(option) if not t.startswith("~")]
        pairs = [t for t in tokens if "_" in t] or tokens
        if any(scorer.known(t) for t in pairs):
            return ""  # a word the documents use: the texts may say it another way
    return options[0]


def name_words(question: str, rules: RuleSet | None = None) -> list[str]:
    """The names of the programmes, schemes, funds or centres a question asks about, folded:
    the words after their head up to a function word or a verb of the question ("đề án phát
    triển du lịch cộng đồng để cấp tiền": "phat trien du lich cong dong"). The stop words are
    read with their marks ("thể thao" goes on, "thế nào" stops). A name is written with its
    head capitalised ("Đề án …", "Quỹ …"; "một quỹ riêng" names none), with marks (shorthand
    typed without them is no name) and at least two words."""
    rules = rules or load_rules("intent")
    stop, pairs = rules.word_set("name_stop"), rules.word_set("name_stop_pairs")
    lower = question.lower()
    if not has_diacritics(question):
        return []  # typed without marks, in shorthand ("nen tang so qg"): its words are no name
    out = []
    for m in rules.pattern("named_thing").finditer(fold_aligned(question)):
        if not question[m.start()].isupper():
            continue  # a proper name's head is capitalised ("Đề án …", "Quỹ …"); "một quỹ riêng" names none
        found = lower[m.start(1) : m.end(1)].split()
        words: list[str] = []
        for i, w in enumerate(found):
            if w in stop or " ".join(found[i : i + 2]) in pairs:
                break
            words.append(w)
        if len(words) >= 2:  # "quỹ riêng": a word that qualifies, no name
            out.append(fold(" ".join(words)))
    return out


def unsupported_name(question: str, chunks: Sequence, scorer: EvidenceScorer, least: float = NAME_SUPPORT) -> str:
    """A named programme, scheme, fund or centre of the question whose name no clause found
    holds: the best clause (with its headings) holds less than ``least`` of the name's word
    pairs that the documents use, IDF-weighted; "" when every name is held."""
    name, support = name_support(question, chunks, scorer)
    return name if support < least else ""


def name_support(question: str, chunks: Sequence, scorer: EvidenceScorer) -> tuple[str, float]:
    """The least supported name of the question (name_words) and the share of its word pairs
    that the documents use (IDF-weighted) which the best clause holds, with its headings; a
    pair may stand there as a synonym the documents use ("chợ dữ liệu": "sàn giao dịch dữ
    liệu"). ("", 1.0) when the question names none."""
    from retrieval.synonyms import default_synonyms

    worst = ("", 1.0)
    if not chunks:
        return worst
    token_sets: list[frozenset[str]] = []  # the chunks', read once a name has pairs (perf, issue 13)
    for name in name_words(question):
        pairs = [t for t in scorer.tokens(name) if "_" in t and not t.startswith("~") and scorer.known(t)]
        if not pairs:
            continue
        token_sets = token_sets or [scorer.embedded_tokens(c) for c in chunks]
        total = sum(scorer.idf(t) for t in pairs)
        extra = [frozenset(scorer.tokens(fold(x))) for x in default_synonyms().expansions(name)]
        best = max(
            sum(scorer.idf(t) for t in pairs if t in ts or any(t in e and e <= ts for e in extra)) / total
            for ts in token_sets
        )
        if best < worst[1]:
            worst = (name, best)
    return worst


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]


def _holds_part(parts: list[str], chunk) -> bool:
    """The chunk (with its headings) names one of the numbered parts (folded, in either
    numeral: "he thong 4" is "(Hệ thống 4)")."""
    text = fold(chunk.embedding_text()).lower()
    return any(re.search(rf"\b{re.escape(f)}\b", text) for p in parts for f in part_forms(p))


def part_forms(part: str) -> list[str]:
    """A numbered part ("phu luc 2", folded) as written and with its number in the other
    numerals ("phu luc ii"): people type "pl2" for "Phụ lục II"."""
    noun, _, number = part.rpartition(" ")
    if number.isdigit() and 1 <= int(number) <= len(_ROMAN):
        return [part, f"{noun} {_ROMAN[int(number) - 1]}"]
    if number in _ROMAN:
        return [part, f"{noun} {_ROMAN.index(number) + 1}"]
    return [part]


def other_year_only(
    evidence: Evidence, scorer: EvidenceScorer | None = None, ratio: float = 0.7, topic_ratio: float = 0.5
) -> bool:
    """The question asks about a target year, and every sentence about its topic is
    about other years ("đến năm 2045 … R&D" where the R&D target is for 2030); or the
    sentences of the asked year are about another topic (2045's "50% GDP" is the digital
    economy's, not R&D's): their two-syllable words cover the question far less."""
    if not evidence.years or not intent.FIGURE_ASKED.search(evidence.folded):
        return False
    best = max((u.coverage for u in evidence.units), default=0.0)
    topical = [u for u in evidence.units if u.coverage >= ratio * best]
    dated = [_context_years(u) for u in topical]  # a row "… 2020 - 2025" under "I Đến năm 2030" is 2030's
    if bool(topical) and all(dated) and not any(d & evidence.years for d in dated):
        return True
    if scorer is None:
        return False
    words = {id(u): scorer.word_coverage(u, evidence) for u in evidence.units}
    top = max(evidence.units, key=lambda u: words[id(u)], default=None)
    if top is None or not words[id(top)] or not unit_years(top) or _context_years(top) & evidence.years:
        return False
    of_year = [words[id(u)] for u in evidence.units if _context_years(u) & evidence.years]
    return max(of_year, default=0.0) < topic_ratio * words[id(top)]


def year_value_missing(evidence: Evidence, compound: Callable[[str], bool] = lambda words: True) -> bool:
    """The question asks a figure for a target year, the documents have sentences of that
    year, and those that best cover the question (YEAR_UNITS of them) hold no value of the
    asked kind on its topic: the year's sentences speak of the topic without the figure
    ("đến năm 2045 tỉ lệ doanh nghiệp … bao nhiêu phần trăm": 2045 sets no share, 2030 does).
    The general value check reads the best sentences of any year, and another year's
    figure would answer it."""
    if not evidence.years or not intent.FIGURE_ASKED.search(evidence.folded):
        return False
    of_year = [u for u in evidence.units if _context_years(u) & evidence.years]
    if not of_year:
        return False
    best = sorted(of_year, key=lambda u: -u.coverage)[:YEAR_UNITS]
    texts = [u.text for u in best]
    if intent.has_asked_value(evidence.folded, texts, [u.heading for u in best], compound, evidence.question):
        return False
    return not counted_in_words(evidence.folded, texts)


YEAR_UNITS = 3


def year_stretch_elsewhere(evidence: Evidence, written: Callable[[str], bool]) -> bool:
    """A figure asked for a target year whose words stand, word for word, in the documents
    (YEAR_STRETCH syllables or more one after another: written, the documents' runs of
    words) but not in the sentences of that year found: those share less than
    YEAR_STRETCH_SHARE of that run with the ask ("đến năm 2030 … nhóm bao nhiêu nước dẫn đầu
    thế giới về đổi mới sáng tạo" is 2045's target word for word; 2030's sentence says
    "nhóm 50 nước đứng đầu thế giới về năng lực cạnh tranh số"). The texts set the asked
    thing, for another year."""
    if not evidence.years or not intent.FIGURE_ASKED.search(evidence.folded):
        return False
    asked = tuple(w for w in _SYLLABLE.findall(fold(asked_text(evidence.question)).lower()) if w not in evidence.years)
    of_year = [u for u in evidence.units if _context_years(u) & evidence.years]
    if not of_year:
        return False
    from difflib import SequenceMatcher

    def shared(unit) -> int:
        said = _syllables(unit.text)
        return SequenceMatcher(None, asked, said, autojunk=False).find_longest_match(0, len(asked), 0, len(said)).size

    said = max(map(shared, of_year))
    run = _longest_written(asked, written)  # the longest run of the ask the documents write
    return run >= YEAR_STRETCH and said < YEAR_STRETCH_SHARE * run


def _longest_written(asked: tuple[str, ...], written: Callable[[str], bool]) -> int:
    """The most syllables of the ask, one after another, that ``written`` finds (0 when
    fewer than YEAR_STRETCH). When every syllable reads back as itself (folded, one word),
    what is written is closed under prefixes: a start whose shortest stretch longer than the
    best so far is not written is passed by, and the longest from a start is found by
    halving (perf, issue 13: ~n calls, not ~n²/2); otherwise every stretch is tried, longest
    first. The same length either way."""
    n, run = len(asked), 0
    if not all(_plain_syllable(w) for w in asked):
        for i in range(n):
            for j in range(n, i + max(run, YEAR_STRETCH - 1), -1):
                if written(" ".join(asked[i:j])):
                    run = j - i
                    break
        return run
    for i in range(n):
        low = i + max(run, YEAR_STRETCH - 1) + 1  # the shortest end that makes a longer run
        if low > n:
            break  # no later start can either
        if not written(" ".join(asked[i:low])):
            continue
        high = n  # written up to low; the longest end in [low, n]
        while low < high:
            mid = (low + high + 1) // 2
            if written(" ".join(asked[i:mid])):
                low = mid
            else:
                high = mid - 1
        run = low - i
    return run


@lru_cache(maxsize=8192)
def _plain_syllable(word: str) -> bool:
    """The syllable folds to itself and is one word of the runs (written reads it back as is)."""
    return fold(word).lower() == word and _WORDS.fullmatch(word) is not None


YEAR_STRETCH = 6
YEAR_STRETCH_SHARE = 0.5


def year_off_topic(evidence: Evidence, scorer: EvidenceScorer, topic_ratio: float = 0.5) -> bool:
    """The sentences of the asked year speak of another topic than the sentences that
    best cover the question's topic, dated or not ("đến năm 2045 … R&D": the 2045 sentence
    is about the digital economy). The topic: the question's two-syllable words that the
    documents use as the question writes them, without its years and the words that frame
    them ("đến năm 2045" covers nothing of the topic)."""
    if not evidence.years or not intent.FIGURE_ASKED.search(evidence.folded):
        return False
    said = f" {fold(asked_text(evidence.question))} "  # not the words about the asker
    frame = intent.YEAR_FRAME
    topic = {
        t: w
        for t, w in evidence.weights.items()
        if "_" in t
        and f" {t.replace('_', ' ')} " in said  # as written: not a synonym the search added
        and not any(c.isdigit() for c in t)
        and not set(t.split("_")) & frame
        and scorer.known(t)
    }
    if not topic:
        return False
    cover = {id(u): scorer.coverage(evidence.question, u.scope or u.text, topic) for u in evidence.units}
    best = max(cover.values(), default=0.0)
    of_year = [cover[id(u)] for u in evidence.units if _context_years(u) & evidence.years]
    return bool(best) and bool(of_year) and max(of_year) < topic_ratio * best


def _context_years(unit) -> set[str]:
    """The years of a unit and of every heading above it ("b) Đến năm 2020" two levels up); or,
    when the sentences before it in its paragraph set a year ("Đến năm 2020, … . Giá trị giao
    dịch … tăng 15%/năm"), that year: the paragraph's, not the vision of its section heading
    ("… đến năm 2020 và tầm nhìn đến năm 2030")."""
    chunk = unit.source.chunk
    # perf (issue 13): a pure function of the chunk's text and headings and the unit's span
    # and scope, remembered (a fresh set each call: callers may keep or change it)
    key = (chunk.text, tuple(chunk.breadcrumb), unit.start, unit.end, unit.scope)
    got = _CONTEXT_YEARS.get(key)
    if got is None:
        if len(_CONTEXT_YEARS) > 100_000:
            _CONTEXT_YEARS.clear()
        got = _CONTEXT_YEARS[key] = frozenset(_context_years_of(unit))
    return set(got)


_CONTEXT_YEARS: dict[tuple, frozenset[str]] = {}


def _context_years_of(unit) -> set[str]:
    chunk = unit.source.chunk
    line = chunk.text.rfind("\n", 0, unit.start) + 1
    lead = set(YEAR.findall(chunk.text[line : unit.start]))
    if lead:
        return unit_years(unit) | lead
    return unit_years(unit) | set(YEAR.findall(" ".join([*chunk.breadcrumb, unit.scope])))


# an acronym of three letters or more, or a CamelCase name; not one with "Đ" nor two letters
# ("ĐH", "DN", "CP"): those are Vietnamese abbreviations people type, not names
_NAME = re.compile(r"\b(?:[A-Z][A-Z0-9&]{2,}|[A-Z][a-z]+[A-Z][A-Za-z]*)\b")


# a capitalised word inside a sentence ("… hợp tác với Samsung"): a name when it is no
# Vietnamese syllable (Vietnamese names are written syllable by syllable: "Hà Nội")
_CAPITALISED = re.compile(r"(?<=[\w,)]\s)[A-Z][a-z]{2,}\b")


def unknown_name(
    question: str, tokens: Callable[[str], list[str]], known: Callable[[str], bool], texts: Sequence[str] = ()
) -> str:
    """An acronym or a CamelCase name of the question ("PCT", "OpenAI"), or a foreign name
    inside a sentence ("Samsung", "Google"), that no document uses at all, nor spells out
    in the clauses found (texts: "WoS" is "Web of Science"), nor knows by a synonym
    ("Startup" is "khởi nghiệp"): what it asks about is not in the texts ("" when every
    name is known)."""
    syllable = load_rules("scope").pattern("syllable")
    names = [*_NAME.finditer(question), *_CAPITALISED.finditer(question)]
    context = _asker_context_spans(question)
    for m in names:
        name = m.group(0)
        if m.re is _CAPITALISED and (syllable.match(fold(name).lower()) or _has_synonym(name)):
            continue
        if any(a <= m.start() < b for a, b in context):
            continue  # "Công ty mình dùng Zalo, …": the asker's own tool, not what is asked
        words = [t for t in tokens(name) if "_" not in t and not t.startswith("~")]
        if words and not any(known(t) for t in words) and not spelled_out(name, texts):
            return name
    return ""


_CLAUSE = re.compile(r"[^.?!;\n,]+[.?!;\n,]*")


@lru_cache(maxsize=4096)  # perf (issue 13): read two or three times a question; the rules are fixed
def _asker_context_spans(question: str, names: bool = True) -> tuple[tuple[int, int], ...]:
    """The spans of a message that speak of the asker, not of what is asked: outside the
    part that asks (QuestionReader.actual_ask), a sentence or clause about the asker's own
    work, tools, source or purpose that asks nothing while another part does ("Công ty
    mình dùng Zalo, vậy …", "Mình hỏi để làm slide PowerPoint."), and, inside the asking
    clause, the words of a tool, source or purpose that lead to a name ("đọc trên
    Facebook là …"; names: False leaves these out). A name there is the asker's context:
    it is not what the documents must hold."""
    from retrieval.query import QuestionReader

    query_rules, scope_rules = load_rules("query"), load_rules("scope")
    spans: list[tuple[int, int]] = []
    ask = QuestionReader(rules=query_rules).actual_ask(question)
    folded_ask = fold(ask).lower()
    clauses = [(m.start(), m.end(), m.group(0)) for m in _CLAUSE.finditer(question) if m.group(0).strip()]
    asks = [bool(query_rules.search("question_signal", fold(c).lower())) for _, _, c in clauses]
    for (a, b, clause), asking in zip(clauses, asks):
        folded = fold(clause).lower()
        if ask != question and fold(clause.strip(" ,.;")).lower() not in folded_ask:
            spans.append((a, b))  # dropped from the ask
        elif (
            not asking
            and any(asks)
            and (scope_rules.search("asker_sentence", folded) or query_rules.search("self_intro", folded))
        ):
            spans.append((a, b))
    if not names:
        return tuple(spans)
    # a tool, source or purpose leading to a name inside a clause: the words before it
    for m in [*_NAME.finditer(question), *_CAPITALISED.finditer(question)]:
        start = max((a for a, _, _ in clauses if a <= m.start()), default=0)
        if scope_rules.search("asker_context", fold(question[start : m.start()]).lower()):
            spans.append((m.start(), m.end()))
    return tuple(spans)


@lru_cache(maxsize=4096)  # perf (issue 13): read two or three times a question; the rules are fixed
def asked_text(question: str) -> str:
    """The question without its sentences and clauses about the asker ("Mình hỏi để làm
    slide PowerPoint."): their words are no topic the documents must cover."""
    spans = _asker_context_spans(question, names=False)
    kept = "".join(c for i, c in enumerate(question) if not any(a <= i < b for a, b in spans))
    return kept.strip() or question


def _has_synonym(word: str) -> bool:
    """The synonym resource knows the word ("Startup": khởi nghiệp)."""
    from retrieval.synonyms import default_synonyms

    return default_synonyms().knows(word)


def spelled_out(acronym: str, texts: Sequence[str]) -> bool:
    """The texts write the acronym's words in full: its letters are the initials of
    consecutive words, a capital for a capital ("WoS": "Web of Science"; "PCT" is not
    "phải có tính")."""
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 2:
        return False
    pattern = re.compile(r"(?<!\w)" + r"\w*[\s-]+".join(re.escape(c) for c in letters) + r"\w*")
    return any(pattern.search(t) for t in texts)


_KIND_LETTERS = {
    "nghi quyet": "nq",
    "ket luan": "kl",
    "ke hoach": "kh",
    "quyet dinh": "qd",
    "chi thi": "ct",
    "thong tu": "tt",
    "nghi dinh": "nd",
    "chuong trinh": "ctr",
}


def unknown_document(
    question: str, mentions, evidence_texts: Sequence[str] = (), rules: RuleSet | None = None
) -> str | None:
    """A document named by kind and number that the catalog does not hold ("Kế hoạch
    02-KH/BCĐTW") and the clauses found do not mention either ("Nghị quyết số 45-NQ/TW"
    cited by Kết luận 69 is known), outside every recognised mention; its words as written."""
    rules = rules or load_rules("answers")
    folded = fold(question)
    spans = [(m.start, m.end) for m in mentions]
    evidence = fold_join(evidence_texts)  # perf (issue 13): = fold(" ".join(evidence_texts))
    for m in rules.pattern("document_number").finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        kind, number = m.group(1), m.group(2)
        letters = _KIND_LETTERS.get(kind, kind)
        cited = rf"\b0*{number}\s*[-/]\s*{letters}\b|\b{kind}\s+(?:so\s+)?0*{number}\b"
        if not re.search(cited, evidence):
            return question[m.start() : m.end()]
    return None


def _counted(folded_question: str, texts: list[str], rules: RuleSet) -> str:
    """What "bao nhiêu X" / "mấy X" counts (folded), or ""."""
    folded = [fold(t) for t in texts]
    counted = intent.counted_noun(folded_question, folded) or (
        m.group(1) if (m := intent.HOW_MANY_NOUN.search(folded_question)) else ""
    )
    if not counted and (m := rules.pattern("count").search(folded_question)) and m.start(1) >= 0:
        word = re.match(r"\w+", folded_question[m.start(1) :])  # "mấy khu công nghệ"
        counted = word.group() if word else ""
    return counted


def counted_in_words(folded_question: str, texts: list[str], rules: RuleSet | None = None) -> bool:
    """ "bao nhiêu khu công nghệ cao" answered in words: "ba khu công nghệ cao", "hàng tỉ thiết bị"."""
    rules = rules or load_rules("answers")
    counted = _counted(folded_question, texts, rules)
    if not counted:
        return False
    return any(intent.counted_in_words(t, counted, rules.pattern("count_answers")) for t in texts)


_PIECE_END = re.compile(r"[.;:\n]")


def vague_count(folded_question: str, texts: list[str], rules: RuleSet | None = None) -> str:
    """ "bao nhiêu sản phẩm quốc gia" asked of "Xây dựng được một số sản phẩm quốc gia …": a
    text counts the asked noun only vaguely (answers.toml vague_count: "một số", "nhiều"), so
    the documents give no number; the piece of the sentence that says it, or ""."""
    rules = rules or load_rules("answers")
    counted = _counted(folded_question, texts, rules)
    if not counted:
        return ""
    after = compiled(rf"(?:\w+\s+){{0,2}}{re.escape(counted)}\b")
    for text in texts:
        lower, folded = text.lower(), fold_aligned(text)
        if len(lower) != len(folded):
            continue
        for m in rules.pattern("vague_count").finditer(lower):
            if after.match(folded, m.end()):
                start = max((e.end() for e in _PIECE_END.finditer(text, 0, m.start())), default=0)
                end = _PIECE_END.search(text, m.end())
                return text[start : end.start() if end else len(text)].strip(" -–\t")
    return ""


class Refusals:
    """The texts of a refusal, from the templates in prompts/."""

    def __init__(self, prompts: PromptLibrary, nearest: int = 3):
        self.prompts = prompts
        self.nearest = nearest

    def nearest_items(self, hits) -> str:
        items = []
        for h in hits[: self.nearest]:
            snippet = h.chunk.text.splitlines()[0]
            snippet = snippet if len(snippet) <= 160 else snippet[:159].rstrip() + "…"
            items.append(self.prompts.render("nearest_item", label=h.chunk.label, snippet=snippet))
        return "\n".join(items)

    def refusal(self, hits, verdict: Verdict | None = None) -> CheckedAnswer:
        """The documents do not say it; here are the nearest clauses that exist (a count
        they give only vaguely: they give no number, and the phrase they do give)."""
        if verdict is not None and verdict.reason == "vague_count" and verdict.said:
            text = self.prompts.render("vague_count", said=verdict.said, nearest=self.nearest_items(hits))
        else:
            text = self.prompts.render("abstain", nearest=self.nearest_items(hits))
        return CheckedAnswer([CheckedSentence(text, [], 1.0, framing=True)], [])

    def scope(self, documents: str) -> CheckedAnswer:
        """A greeting, an off-topic request or an instruction: what the assistant is for
        (documents: the short names of the texts it answers about)."""
        return CheckedAnswer(
            [CheckedSentence(self.prompts.render("scope", documents=documents), [], 1.0, framing=True)], []
        )
