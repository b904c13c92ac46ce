"""Answers read from the document tree: "gồm những … nào", "liệt kê", "bao nhiêu X", "mấy
nhóm" are answered with a heading's children, from the parsed structure (the chunk
table's parent and children), not from whichever sentences scored best.

The heading is the one whose own line and path cover the question best, among the
headings of the named documents (or of the documents the top clauses come from), helped
by being above a top clause and by children that name the asked noun. When the noun is
numbered in the text ("Sáng kiến 1" … "Sáng kiến 30"), the items are those numbered
clauses under the heading, grouped by the sub-heading each stands under. The answer
states the count first, in the line that frames the list (a count read from the structure
is no quote; the document's own counting sentence, "… theo 4 tầng cấp độ", is quoted and
cited when it has one), then one cited line per item: its number or letter kept, long
items cut to their title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from retrieval.regex_cache import compiled
from retrieval.rules import RuleSet, load_rules
from retrieval.text import fold, fold_aligned, has_diacritics, sentence_spans
from retrieval.types import Chunk

from . import intent
from .direct import asks_value, shown_text
from .doctree import (
    LISTED_BOILERPLATE,
    SHORT_LIST,
    SHORT_LIST_CHARS,
    TITLE_CHARS,
    DocumentTree,
    arabic_place,
    first_line,
    heads_with,
    item_body,
    title_span,
)
from .evidence import Evidence, EvidenceScorer, Terms, question_cues
from .generation.base import Draft, DraftSentence, GenerationRequest, Source
from .prompting import PromptLibrary

if TYPE_CHECKING:
    from retrieval.heading_index import HeadingIndex

MAX_ITEMS = 40
ONE_ITEM_MARGIN = 0.25  # a sentence covering the question this much better than a bare heading answers alone
GENERIC_PARTS = ("phan", "muc", "noi dung", "phan chinh", "muc lon", "noi dung chinh")
BARE_HEADING = 40
COUNT_MARGIN = 0.2  # a sentence stating the count directly and covering this much more answers alone
EXCEPT_COVERED = 0.4  # the left-out words ("việc thành lập Ban Chỉ đạo") cover this share of one item's line
EXCEPT_MARGIN = 0.2  # and this much more than of any other item's
SUBJECT_SAID = 0.5  # a retrieved sentence covering this share of the question's subject holds it
SUBJECT_MISSED = 0.25  # a heading and items covering less are about something else
NAMED_HEADING = 0.8  # a question saying this share of a heading's words names it
NAMED_WORDS = 3  # ... when the heading's name has this many words besides numbers
NAMED_LEFTOVER = 2  # ... and the question says at most this many words besides it, the headings above and the noun
# perf (issue 13): the questions whose list/count reading (ask_of) and the nouns whose alone-order
# (_alone_order) are kept; 8 and 16 were read again for every question of a batch of 60
ASKS_MEMO = 4096
ALONE_MEMO = 256
BEST_MEMO = 4096  # _best's winners kept, per question's reading
NAMED_MARGIN = (
    0.15  # a named document's heading about the noun answers when this close to the best (the hits' rank bonus)
)
ENUMERATION_UNITS = 6  # a row of names is looked for in twice this many of the best sentences
ENUMERATION_SHARE = 0.75  # ... scoring at least this share of the best one
PREAMBLE_KINDS = ("title", "bullet", "paragraph")  # a document's clauses before its first heading or article
ROW_ITEMS = 3  # a counted noun's row of plain items ("như: a, b, c và d") names at least this many …
ROW_WORDS = 6  # … each at most this many words long (a longer piece is prose, not an item)
SUBJECT_WORDS = 4  # a question's subject this many words long can name one item of a list …
SUBJECT_OPENING = 20  # … by standing in the item's first this many words
LABEL_WORDS = 4  # an item's label ("Nội dung:", "a) Nội dung chính") is at most this many words
SCATTERED_WORDS = 3  # a listed noun this long names what clauses over a document set up, one each
SCATTERED_LEAD = 6  # … said within this many words of its sentence's start (after the clause's own number)
WHATIS_ITEMS = 2  # a heading asked of by "X là gì" lists its items when it has this many
PHRASED_WORDS = 6  # a run of the question's words this long, said word for word in clauses of the named document …
PHRASED_CLAUSES = 8  # … in two to this many of them, picks the items of a list asked of what they say
GENERIC_MARGIN = 0.25  # a sentence covering this much more than a heading found by a generic listed noun answers
TOPICS_SAID = 3  # a list asked of this many topics in a row is answered by the parts of one clause saying them
PHRASED_TOP = 8  # … two of them among this many best clauses found
LEAD_WORDS = 20  # a lead-in this short ending a heading's text is read with its line
LEAD_LABEL = 6  # a line this short ending with a colon is a label of the list below ("Mục tiêu trọng tâm:")
OWN_SHARE = 0.25  # a heading's own line covering this share of what the question says besides the place and noun
PLACE_BONUS = 0.25  # the clause a question names by its place answers unless a heading under it covers this much more
PARAPHRASE_MARGIN = 0.1  # a heading about the noun's paraphrase beats one about the noun when this much better
TOPIC_MARGIN = 0.2  # a heading under the best, about the noun, whose own line covers the topic this much more
RARE_IDF = 5.0  # a question word this rare (a handful of clauses) pins its topic down  # an item line this short, with text under it, is a heading


@dataclass
class Ask:
    """What a list or count question asks for."""

    count: bool
    noun: str  # folded ("sang kien dot pha"), may be ""
    groups: bool = False  # "mấy nhóm nhiệm vụ": the groups are counted, the noun names what they hold
    items: bool = False  # "X gồm những nội dung nào": a generic noun naming X's items, whatever they say
    subject: bool = False  # "X là những gì": X, the subject, is listed only by a heading about it
    said: tuple[str, ...] = ()  # the subject's words (folded), documents left out
    outer: str = ""  # "mấy nhóm, tổng cộng bao nhiêu nhiệm vụ": the groups' noun (folded); noun is the total's
    each: bool = False  # "Mỗi hệ thống có bao nhiêu sáng kiến": every group's own count (outer: the groups' noun)
    counted: bool = True  # the answer counts its items by the noun ("gồm 6 nhiệm vụ trọng tâm"); not a subject
    # asked by "là gì" whose noun is no unit of a list ("Tổ chức thực hiện … như thế nào": no "gồm 2 tổ chức")
    shown: str = (
        ""  # the noun as asked, where the documents' noun found the heading ("chỉ tiêu" of "b) …" under "Mục tiêu")
    )


@dataclass
class Plan:
    head: Chunk
    items: list[Chunk]
    groups: list[tuple[Chunk, list[Chunk]]] = field(default_factory=list)
    numbered: bool = False  # items are "Noun N" clauses
    score: float = 0.0
    noun_match: bool = False  # the heading or its items are about the asked noun
    label: str = ""  # what the answer names as holding the items (the heading's label when empty)
    titles_only: bool = False  # items shown by their titles only (a document's main parts)
    elsewhere: bool = False  # found in a document the question neither names nor retrieved
    statement: tuple[Chunk, int, int] | None = None  # the heading's own sentence "… theo 4 tầng …"
    noun: str = ""  # the documents' noun when the question asked it in other words (folded)
    member: bool = False  # the items of one numbered clause the question names ("Sáng kiến 4")
    placed: bool = False  # the clause the question names by its place ("Mục III", "điểm 2 Mục II")


@dataclass
class _Shape:
    """What a heading says of an asked noun, whatever the question (TreeAnswerer._score)."""

    heading: str  # its breadcrumb's last label and its first line
    about: float = 0.0
    noun_match: bool = False
    statement: tuple[Chunk, int, int] | None = None
    n_numbered: int = 0
    numbered: tuple[Chunk, ...] | None = None  # its "Noun N" items, deduplicated, when two or more
    groups: tuple[tuple[Chunk, tuple[Chunk, ...]], ...] = ()


class TreeAnswerer:
    """Drafts list and count answers from the document tree."""

    def __init__(
        self, tree: DocumentTree, scorer: EvidenceScorer, prompts: PromptLibrary, rules: RuleSet | None = None
    ):
        self.tree = tree
        self.scorer = scorer
        self.prompts = prompts
        self.rules = rules or load_rules("answers")
        self._runs_cache: dict[str, tuple[str, str, frozenset[str]]] = {}
        if len(tree.table.chunks) >= _large() and not self._headings_saved():
            self._heads_postings()  # scale (issue 13): not on a question (a saved one is read on first use)

    # -- what is asked -------------------------------------------------------------------
    def ask_of(self, question: str) -> Ask | None:
        """A count ("bao nhiêu sáng kiến") or a list ("gồm những nhiệm vụ nào") and its
        noun; None for any other question (a figure, a date, a deadline). perf (issue 13):
        read once per request (draft asks it again when _drafted found nothing): the last
        few questions' reading kept (an Ask is never changed in place, only ``replace``d)."""
        memo: dict = self.__dict__.setdefault("_asks", {})
        if question in memo:
            return memo[question]
        if len(memo) >= ASKS_MEMO:
            memo.clear()
        got = memo[question] = self._ask_of(question)
        return got

    def _ask_of(self, question: str) -> Ask | None:
        folded = question_cues(question)
        each = self.per_group(folded)
        if each is not None:
            return Ask(True, each[1], outer=each[0], each=True)
        two = self.two_level(folded)
        if two is not None:
            return Ask(True, two[1], outer=two[0])
        # the first count with a noun ("bn có biết … có mấy sáng kiến": "bn" there is "bạn")
        # (not the classifier alone: "… có bn cái" counts the noun said before it)
        classifier = self.rules.word_set("classifier_may")
        m = next(
            (
                c
                for c in self.rules.pattern("count").finditer(folded)
                if (said := self._noun(folded, _group_start(c))) and said.split()[0] not in classifier
            ),
            None,
        )
        if m:
            noun = self._noun(folded, _group_start(m))
            words = noun.split()
            if len(words) > 1 and words[1] in self.rules.word_set("structural_qualifiers"):
                if _made_of(words[:1], self.structural_nouns(count=False)):
                    words = words[:1]  # "mấy điểm giao việc khác": the points, whatever they do
                    noun = words[0]
            if len(words) > 1 and words[-1] in self.rules.word_set("structural_sizes"):
                if _made_of(words[:-1], self.structural_nouns(count=False)):
                    words = words[:-1]  # "mấy điểm nhỏ": the points, whatever their size
                    noun = " ".join(words)
            groups = len(words) > 1 and words[0] in self.rules.word_set("group_nouns")
            if groups:
                noun = " ".join(words[1:])
            structural = bool(noun) and _made_of(noun.split()[:2], self.structural_nouns(count=True))
            if noun and (structural or noun.split()[0] not in self.rules.word_set("figure_nouns")):
                return Ask(True, noun, groups)
            return None
        trailing = self.rules.pattern("count_trailing").search(folded)
        if trailing is not None and (noun := self._listed(folded, trailing)) and self._unit_noun(noun):
            # "nhiem vu ve ha tang trong nq57 bn": the noun first, the count word last
            words = noun.split()
            groups = len(words) > 1 and words[0] in self.rules.word_set("group_nouns")
            return Ask(True, " ".join(words[1:]) if groups else noun, groups)
        if intent.DEADLINE.search(folded) or intent.DATE_ASKED.search(folded):
            return None
        m = self.rules.pattern("list").search(folded)
        noun = self._listed(folded, m) if m else ""
        if not noun:  # "X gồm những gì": no noun after "gồm", the subject is listed
            s = self.rules.pattern("list_subject").search(folded)
            if s is not None and (subject := self._listed(folded, s)):
                said = self.rules.pattern("document_number").sub(" ", s.group(1))
                return Ask(False, subject, subject=True, said=tuple(re.findall(r"\w+", said)))
        if m:
            return Ask(False, noun, items=bool(self.rules.search("list_items", folded)))
        if self.rules.search("list_about", folded):  # "… yêu cầu những gì về nhân lực chất lượng cao"
            return Ask(False, "noi dung", items=True)
        return None

    def _unit_noun(self, noun: str) -> bool:
        """The noun (folded) names a list's items (answers.toml unit_nouns): "nhiệm vụ …",
        "mục tiêu …", "nhóm nhiệm vụ"; not a figure or a topic ("kinh tế số")."""
        units = self.rules.word_set("unit_nouns")
        words = noun.split()
        if len(words) > 1 and words[0] in self.rules.word_set("group_nouns"):
            words = words[1:] or words
        return "_".join(words[:2]) in units or words[0] in units

    def two_level(self, folded: str) -> tuple[str, str] | None:
        """A count of groups and the total they hold, asked at once ("có mấy nhóm, tổng
        cộng bao nhiêu nhiệm vụ"): (the groups' noun, the total's noun), folded; None
        otherwise, or when the total is a figure ("tất cả bao nhiêu tỷ đồng")."""
        for family, order in (("two_level", (0, 1)), ("two_level_reversed", (1, 0))):
            m = self.rules.pattern(family).search(folded)
            if m is None:
                continue
            starts = [m.start(g) for g in range(1, (m.re.groups or 0) + 1) if m.start(g) >= 0]
            nouns = [self._noun(folded, s) for s in starts[:2]]
            if len(nouns) < 2 or not all(nouns):
                continue
            outer, total = nouns[order[0]], nouns[order[1]]
            if total.split()[0] in self.rules.word_set("figure_nouns"):
                continue
            words = outer.split()
            if len(words) > 1 and words[0] in self.rules.word_set("group_nouns"):  # "mấy nhóm nhiệm vụ"
                outer = words[0]
            return outer, total
        return None

    def per_group(self, folded: str) -> tuple[str, str] | None:
        """Every group's own count ("Mỗi hệ thống có bao nhiêu sáng kiến?", "mỗi nhóm gồm
        mấy nhiệm vụ"): (the groups' noun, the counted noun), folded; None otherwise."""
        m = self.rules.pattern("per_group").search(folded)
        if m is None:
            return None
        outer, noun = self._noun(folded, m.start(1)), self._noun(folded, m.start(2))
        if not outer or not noun or noun.split()[0] in self.rules.word_set("figure_nouns"):
            return None
        return outer, noun

    def _listed(self, folded: str, m: re.Match) -> str:
        """The listed noun where the match's first group starts, after a document named
        there ("nq 57 mục tiêu gồm những gì": "mục tiêu")."""
        start = _group_start(m)
        named = self.rules.pattern("document_number").match(folded, start)
        return self._noun(folded, named.end() if named is not None else start)

    def _noun(self, folded: str, start: int) -> str:
        stop = self.rules.word_set("noun_stop")
        found = re.findall(r"\w+", folded[start:])
        words: list[str] = []
        for i, w in enumerate(found):
            # folded, "nội dung" and "nói" read alike: a stop word that opens a compound
            # the documents use ("noi_dung", "co_quan", "ke_hoach") starts the noun
            compound = not words and i + 1 < len(found) and self.scorer.known(f"{w}_{found[i + 1]}")
            compound = compound or bool(words) and f"{words[-1]}_{w}" in self.rules.word_set("noun_pairs")
            # "nhóm chính sách", "nhiệm vụ trọng tâm": a stop word opening a compound noun goes on
            compound = compound or i + 1 < len(found) and f"{w}_{found[i + 1]}" in self.rules.word_set("noun_compounds")
            longest = 4 + (bool(words) and words[0] in self.rules.word_set("group_nouns"))  # "nhóm" + the noun
            if (w in stop and not compound) or w.isdigit() or len(words) >= longest:
                break
            if words and intent.NUMBERED_PART.match(" ".join(found[i : i + 3])):
                break  # "sáng kiến hệ thống 6": the part that holds them, not the noun
            words.append(w)
        return " ".join(words)

    def _weights(self, focus: str) -> dict[str, float]:
        """The question's token weights without the words that only ask ("nhung", "nao"
        of a question typed without marks, which the stop words written with marks miss)."""
        weights = self.scorer.weights(focus)
        asking = self.rules.word_set("question_words")
        if not any(t in asking for t in weights):
            return weights
        return {t: w for t, w in weights.items() if t not in asking}

    def _uncued(self, focus: str) -> str:
        """The focus without the words that only frame a count ("Số lượng nhiệm vụ … là bao
        nhiêu": "số lượng" weighs as a topic and pulls "chất lượng" clauses)."""
        folded = fold(focus)  # one character for one: the spans hold in the text as written
        spans = [m.span() for m in self.rules.pattern("count_cue").finditer(folded)]
        for start, end in reversed(spans):
            focus = focus[:start] + " " + focus[end:]
        return focus

    def structural_nouns(self, count: bool) -> frozenset[str]:
        """The words of nouns that name a heading's items whatever they say ("mấy điểm"); a
        count adds the generic ones ("mấy nội dung": the items counted, where "những nội
        dung nào" asks what the text is about)."""
        words = self.rules.word_set("structural_nouns")
        return words | self.rules.word_set("counted_parts") if count else words

    # -- which heading ---------------------------------------------------------------------
    def plan(self, request: GenerationRequest, ask: Ask) -> Plan | None:
        hits = [s for s in request.sources if s.retrieved][:8]
        # a document named only as what is implemented ("… thực hiện Nghị quyết 20") counts when none is named
        own = request.named_docs or request.preferred_docs
        near_docs = list(dict.fromkeys([*own, *(s.chunk.doc_id for s in hits[:3])]))
        placed = self._place_plan(near_docs, request.focus or request.question, ask, hits) if near_docs else None
        if placed is not None:  # "Mục III của Kế hoạch 01 có bao nhiêu điểm?": that clause's items
            return placed
        outline = self._outline(request, ask)
        if outline is not None:
            return outline
        if not hits:
            return None
        above: dict[str, float] = {}
        for s in hits:
            bonus = 0.12 if s.rank == 1 else 0.06 if s.rank <= 3 else 0.03
            for c in [s.chunk, *self.tree.ancestors(s.chunk)]:
                above[c.id] = max(above.get(c.id, 0.0), bonus)
        focus = self._uncued(request.focus or request.question) if ask.count else request.focus or request.question
        weights = self._weights(focus)
        if ask.items:  # "… gồm những nội dung nào": the generic noun names no heading, the subject does
            noun = set(ask.noun.split()) | self.rules.word_set("question_words")
            weights = {t: w for t, w in weights.items() if not set(t.lstrip("~").split("_")) <= noun} or weights
        if ask.outer:  # "… mấy hệ thống, tổng cộng bao nhiêu sáng kiến": the groups' noun names no heading
            outer = set(ask.outer.split()) - set(ask.noun.split())
            weights = {t: w for t, w in weights.items() if not set(t.lstrip("~").split("_")) <= outer} or weights
        noun_head = " ".join(ask.noun.split()[:2])
        preferred = set(own)
        structural = bool(noun_head) and _made_of(noun_head.split(), self.structural_nouns(ask.count or ask.items))
        # "Kế hoạch 01 có mấy hệ thống?": nothing said besides the noun (one word of two syllables,
        # not "nhóm nhiệm vụ, giải pháp"), so a heading's line covering the question covers only the
        # noun; one merely naming it ("Thúc đẩy cải thiện Hệ thống Dữ liệu quốc gia") is not thereby
        # about it: how far each is about the noun decides the first pick (the rest reads the words)
        noun_only = (
            noun_head == ask.noun and not structural and not ask.items and self._says_only_noun(weights, ask.noun)
        )
        member = self._member(near_docs, focus, noun_head) if not ask.count and noun_head else None
        if member is None and ask.items and not ask.count:  # "Sáng kiến 2 … có những nội dung cụ thể nào?"
            member = self._named_member(near_docs, focus)
        if member is not None:
            return member
        part = self._named_part(near_docs, focus, weights, noun_head, structural or ask.items or not ask.count)
        if part is not None:
            return part if part.items else None  # the named part has no items: no other heading's
        best = None
        if noun_only:  # (among the named documents' headings: another's is tried below as before)
            best = self._best(request.named_docs or near_docs, focus, {}, noun_head, above, preferred, structural)
        if best is None or not best.noun_match or best.numbered:  # ("Sáng kiến 1" … numbered: read as before)
            best = self._best(near_docs, focus, weights, noun_head, above, preferred, structural)
        if best is not None and request.named_docs and best.head.doc_id not in request.named_docs and noun_head:
            # the named document's own heading about the noun, though the hits lean elsewhere
            # ("Cho tôi biết các quan điểm trong Nghị quyết 20": not Nghị quyết 57's)
            own_best = self._best(request.named_docs, focus, weights, noun_head, above, preferred, structural)
            if own_best is not None and own_best.noun_match and own_best.score >= best.score - NAMED_MARGIN:
                best = own_best
        paraphrases = self.rules.mapping("noun_paraphrases").get(noun_head, "") if noun_head and not structural else ""
        asked_noun = noun_head
        for alt in [a.strip() for a in paraphrases.split(",") if a.strip()]:
            # the noun asked in other words than the headings' ("bao nhiêu đầu việc" of "NHIỆM VỤ
            # CỤ THỂ"): the headings about the documents' own noun, named so in the answer
            # the question read with the documents' noun ("… chỉ tiêu cụ thể" as "… mục tiêu cụ thể");
            # a heading about the asked noun gives way only to one about its paraphrase that covers
            # the question clearly better ("nhiệm vụ về Thường trực Ban Chỉ đạo" of "a) Trách nhiệm
            # của Thường trực Ban Chỉ đạo Trung ương", not "II- NHIỆM VỤ TRỌNG TÂM")
            asked = set(asked_noun.split())
            alt_weights = {
                **{t: w for t, w in weights.items() if not set(fold(t.lstrip("~")).split("_")) & asked},
                **self.scorer.weights(alt),
            }
            other = self._best(near_docs, focus, alt_weights, alt, above, preferred, structural)
            if other is None or not other.noun_match:
                continue
            if best is None or not best.noun_match or self._covers_better(other, best, focus, asked):
                best, noun_head = other, alt
                best.noun = " ".join([alt, *ask.noun.split()[len(alt.split()) :]])
        if (best is None or not best.noun_match) and len(noun_head.split()) == 2 and not structural:
            # "mấy tầng chỉ tiêu": the noun's first word is the noun ("tầng"), the rest says of what,
            # when a heading's own sentence counts its items by that word ("… theo 4 tầng cấp độ")
            head_word = noun_head.split()[0]
            other = self._best(near_docs, focus, weights, head_word, above, preferred, structural)
            if other is not None and other.noun_match and other.statement is not None:
                best, noun_head = other, head_word
        if (best is None or not best.noun_match) and noun_head and ask.count:
            # the named document has no such list: another document may ("NQ57 có bao nhiêu
            # sáng kiến?" - the 30 sáng kiến are in Kế hoạch 01)
            elsewhere = self._best_elsewhere(near_docs, focus, weights, noun_head, above, preferred, structural)
            if elsewhere is not None and elsewhere.noun_match and (best is None or elsewhere.score > best.score):
                best = elsewhere
                best.elsewhere = True
        groups = tuple(
            int(n)
            for part in intent.numbered_parts(self.cues(focus))
            for noun, _, n in [part.rpartition(" ")]
            if noun in self.rules.word_set("group_nouns") and n.isdigit()
        )
        if (
            ask.groups
            and best is not None
            and best.numbered
            and not best.groups
            and not self._says_item(best.head, focus)
        ):
            best = self._grouping(best, focus, weights, noun_head, structural) or best
        if ask.outer and best is not None and not best.groups and not groups:
            # the groups are counted with the total: a heading whose items stand in groups
            docs = list(dict.fromkeys([best.head.doc_id, *near_docs]))
            best = self._best_grouped(docs, weights, noun_head, above, preferred, structural) or best
        if best is not None and not structural and not groups and not ask.outer and not ask.groups:
            best = self._topic_heading(best, focus, weights, noun_head, above) or best
        found = self._descend(best, focus, weights, noun_head, above, structural, groups)
        if found is not None and best is not None and best.noun:
            found.noun = best.noun
        return self._lettered(found, focus) or found

    def _lettered(self, plan: Plan | None, focus: str) -> Plan | None:
        """ "Trong mục tiêu cụ thể đến năm 2030 của KH01, ý b gồm mấy chỉ tiêu?": the
        question names a lettered point ("ý b", "điểm c", "tiết a") of the heading it names by
        its words: that item's own items, when it has them; None otherwise."""
        if plan is None or plan.numbered or plan.member or plan.placed:
            return None
        m = self.rules.pattern("lettered_point").search(question_cues(focus))
        if m is None:
            return None
        found = [
            k
            for k in plan.items
            if k.kind == "letter" and fold(first_line(k)[:1]).lower() == m.group(1) and len(self.tree.children(k)) >= 2
        ]
        if len(found) != 1:
            return None
        head = found[0]
        return Plan(head, self.tree.children(head), noun_match=True, score=plan.score, noun=plan.noun)

    def _topic_heading(self, best: Plan, focus: str, weights, noun_head: str, above) -> Plan | None:
        """ "Về định hướng nhiệm vụ khoa học, Nghị quyết 20 đề ra bao nhiêu nhiệm vụ?": the best
        heading holds the noun in its line ("III- NHIỆM VỤ VÀ GIẢI PHÁP") and the topic only
        in the line above it ("B- ĐỊNH HƯỚNG PHÁT TRIỂN KHOA HỌC …"); a heading under it with
        items about the noun whose own line covers the topic the question names clearly better
        (by the words' weights, IDF: "3- Triển khai các định hướng nhiệm vụ khoa học …") is the
        one asked about, the best covering of them. None when none does."""
        if not noun_head or not best.noun_match or best.numbered or best.placed or best.member:
            return None
        asking = self.rules.word_set("question_words") | self.rules.word_set("noun_stop")
        named = self.scorer.token_set(best.head.label.split(",")[0])  # the document's name
        skip = set(noun_head.split()) | asking
        rest = {
            t: w
            for t, w in self._weights(self._uncued(focus)).items()
            if "_" not in t and fold(t.lstrip("~")) not in skip and t not in named
        }
        if sum(rest.values()) <= 0:
            return None

        def own(head: Chunk) -> float:  # the heading's own line, not the one above it
            return self.scorer.coverage("", first_line(head), rest)

        under = best.head.path + "."
        # under "II. NHIỆM VỤ CỤ THỂ" every heading with items holds some of them
        # ("2. Khẩn trương …" › "g) Bổ sung các chính sách tháo gỡ điểm nghẽn …")
        titled = heads_with(self.tree.words(best.head), noun_head)
        found: Plan | None = None
        top = own(best.head) + TOPIC_MARGIN
        for head, kids in self.tree.heads(best.head.doc_id):
            if not head.path.startswith(under) or len(kids) < 2 or (got := own(head)) <= top:
                continue
            plan = self._score(head, kids, focus, weights, noun_head, above.get(head.id, 0.0))
            if plan.noun_match or titled:
                plan.noun_match = True  # a group of the noun's items
                found, top = plan, got
        if found is not None:
            found.noun = best.noun
        return found

    def _covers_better(self, other: Plan, best: Plan, focus: str, noun: set[str]) -> bool:
        """The question says more than its noun and its document (a subject: "về Thường trực
        Ban Chỉ đạo"), and the other heading, of the same document, covers that subject in its
        line clearly better than the best one (by the words' weights, IDF: rare words count most)."""
        named = self.scorer.token_set(best.head.label.split(",")[0]) | self.scorer.token_set(
            other.head.label.split(",")[0]
        )
        asking = self.rules.word_set("question_words") | self.rules.word_set("noun_stop")  # "có": no subject
        rest = {
            t: w
            for t, w in self._weights(self._uncued(focus)).items()
            if "_" not in t and fold(t.lstrip("~")) not in noun | asking and t not in named
        }
        if sum(rest.values()) <= 0:
            return False

        def covered(plan: Plan) -> float:
            return self.scorer.coverage("", " ".join([*plan.head.breadcrumb[-1:], first_line(plan.head)]), rest)

        return other.head.doc_id == best.head.doc_id and covered(other) > covered(best) + PARAPHRASE_MARGIN

    def cues(self, question: str) -> str:
        """question_cues with a part named by an ordinal read as numbered ("giai đoạn thứ
        ba" → "giai doan 3", "nhóm nhiệm vụ thứ nhất" → "nhom 1")."""
        folded = question_cues(question)
        numbers = self.rules.mapping("ordinals")

        def numbered(m: re.Match) -> str:
            word = m.group(2) or m.group(3)
            n = word if word.isdigit() else numbers.get(word, "")
            return f"{m.group(1)} {n}" if n else m.group(0)

        return self.rules.pattern("ordinal_part").sub(numbered, folded)

    def _named_part(self, docs: list[str], focus: str, weights, noun_head: str, any_items: bool) -> Plan | None:
        """ "Giai đoạn thứ ba gồm những nội dung nào?", "giai đoạn 2 có mấy trọng tâm": the
        one clause numbered so among its siblings ("3. Giai đoạn 2031 - 2045: …"; not one
        whose line names it so itself, "18. Sáng kiến 18: …", which the numbered items answer) with its
        items, when they are what is asked (about the noun; any items for a list or a generic
        noun); with no items when it has none (no other heading answers for it); None when
        the question names no such part."""
        parts = [
            (noun, number)
            for part in intent.numbered_parts(self.cues(focus))
            for noun, _, number in [part.rpartition(" ")]
            if number.isdigit() and noun not in self.rules.word_set("group_nouns")
        ][:1]  # the ask's own part first, before any context ("(theo …; giai đoạn hai …)"); "nhóm 5": _descend
        if not parts:
            return None
        found: list[Chunk] = []
        for doc in docs:  # the first document (named, else best found) holding one such part
            for noun, number in parts:
                nth = compiled(rf"^0*{number}\s*[.)-]\s*{re.escape(noun)}\b")
                said = compiled(rf"\b{re.escape(noun)}\s+0*{number}\b")  # "18. Sáng kiến 18", "(Hệ thống 3)"
                found += [
                    c
                    for c in self.tree.of_document(doc)
                    if c.part <= 1 and nth.match(line := fold(first_line(c))) and not said.search(line)
                ]
            if found:
                break
        if len(found) != 1:
            return None
        head = found[0]
        kids = self.tree.children(head)
        if len(kids) < 2:
            return Plan(head, [])
        plan = self._score(head, kids, focus, weights, noun_head, 0.0, any_items)
        return plan if plan.noun_match or any_items or not noun_head else None

    def _place_plan(self, docs: list[str], focus: str, ask: Ask, hits: list[Source]) -> Plan | None:
        """ "Mục III của Kế hoạch 01 có bao nhiêu điểm?", "điểm 2 Mục II gồm mấy tiết?": the
        clause the question names by its place (the parts of its label), in the first of
        the documents holding one, is the scope of a count or list of its items (a
        structural or generic noun, or none): its own items, unless a heading under it
        covers what else the question says clearly better ("Mối quan hệ phân cấp … trong
        Phụ lục II gồm những nội dung nào?": its Phần B). None when the question names no
        place, several clauses answer to it, or another noun is counted (the headings
        about it answer, as for any question)."""
        noun_head = " ".join(ask.noun.split()[:2])
        # "Phần E … có bao nhiêu sáng kiến": another noun counted answers from the place only
        # when the place's own items open with it ("Sáng kiến 21: …"); else the headings about
        # the noun answer, as elsewhere ("Mục II … có bao nhiêu sáng kiến")
        named = bool(noun_head) and not ask.items and not _made_of(noun_head.split(), self.structural_nouns(count=True))
        cues = self.cues(focus)
        places = list(self.rules.pattern("place_ref").finditer(cues))
        asked = {f"{m.group(1)} {m.group(2)}" for m in places}
        if not asked:
            return None
        kinds = {m.group(1) for m in places}
        if any(p.rpartition(" ")[0] not in kinds for p in intent.numbered_parts(cues)):
            return None  # "Sáng kiến 16 … trong Phụ lục I", "Hệ thống 4 …": the numbered part answers
        found = next((got for doc in docs if (got := self.tree.named_places(doc, asked))), [])
        if len(found) > 1:  # folded, "tiết đ" is also "tiết d": the one the question writes with its marks
            written = focus.lower()
            found = [
                c for c in found if re.search(rf"\b{re.escape(c.label.split(',')[-1].strip().lower())}\b", written)
            ]
        if len(found) != 1 or len(self.tree.children(found[0])) < 2:
            return None
        head = found[0]
        if named:
            kids = self.tree.children(head)
            opens = sum(fold(item_body(k)[1]).lower().startswith(noun_head) for k in kids)
            # or the place's own line opens with the noun ("muc 3 … bao nhiêu giải pháp": "III- GIẢI
            # PHÁP TRỌNG TÂM VÀ ĐỘT PHÁ"): its items are them
            own = self.tree.words(head)[: len(noun_head.split())] == noun_head.split()
            if opens < ITEMS_OPEN_SHARE * len(kids) and not own:
                return None
            plan = self._score(head, kids, focus, self._weights(focus), noun_head, 0.0, True)
            plan.placed, plan.noun_match = True, True
            return plan
        said = set(re.findall(r"\w+", " ".join(m.group(0) for m in places)))  # the place's words name no heading
        weights = {t: w for t, w in self._weights(focus).items() if not set(t.lstrip("~").split("_")) <= said}
        above: dict[str, float] = {}
        for s in hits:
            for c in [s.chunk, *self.tree.ancestors(s.chunk)]:
                above[c.id] = max(above.get(c.id, 0.0), 0.12 if s.rank == 1 else 0.06 if s.rank <= 3 else 0.03)
        under = head.path + "."
        best: Plan | None = None
        scored: dict[str, Plan] = {}
        for h, items in self.tree.heads(head.doc_id):
            if h.id == head.id or h.path.startswith(under):
                plan = scored[h.id] = self._score(h, items, focus, weights, noun_head, above.get(h.id, 0.0), True)
                if h.id == head.id:
                    plan.score += PLACE_BONUS
                if best is None or plan.score > best.score:
                    best = plan
        if best is not None:
            best = self._said_itself(best, head, scored, weights, ask.noun)
            best.placed, best.noun_match = True, True
        return best

    def _said_itself(self, best: Plan, place: Chunk, scored: dict[str, Plan], weights, noun: str) -> Plan:
        """Within the place a question names, the heading whose OWN line (and lead-in, not the
        line above it that every heading under it repeats) says what else the question says:
        the place itself says nothing of it ("Khung đề xuất sáng kiến đột phá ở Phụ lục I …":
        "II- KHUNG (TEMPLATE) ĐỀ XUẤT …", not "PHỤ LỤC I"), and an item heading that wins only by
        its parent's line gives way to that parent ("Phần cách thức sử dụng và gắn kết … ở Phụ lục
        II": "C- CÁCH THỨC SỬ DỤNG VÀ GẮN KẾT", not its "4. Công cụ giám sát …")."""
        skip = set(noun.split()) | self.rules.word_set("question_words")
        rest = {t: w for t, w in weights.items() if not set(fold(t.lstrip("~")).split("_")) <= skip}
        total = sum(rest.values())
        if total <= 0:
            return best

        def own(plan: Plan) -> float:
            text = self._shape(plan.head, self.tree.children(plan.head), " ".join(noun.split()[:2]), True).heading
            above_line = plan.head.breadcrumb[-1] if plan.head.breadcrumb else ""
            if above_line and text.startswith(above_line):
                text = text[len(above_line) :]
            return self.scorer.share(text, rest, total)

        if best.head.id == place.id and own(best) < OWN_SHARE / 5:
            saying = [p for p in scored.values() if p.head.id != place.id and own(p) >= OWN_SHARE]
            if saying:
                best = max(saying, key=lambda p: p.score)
        while best.head.id != place.id:
            up = self.tree.parent(best.head)
            parent = scored.get(up.id) if up is not None else None
            if parent is None or parent.head.id == place.id or own(parent) <= own(best):
                break
            best = parent
        return best

    def _part_title(self, request: GenerationRequest) -> Draft | None:
        """ "Giai đoạn ba có tên là gì?", "giai đoạn hai kéo dài từ năm nào đến năm nào": the
        title line of the part the question names by its place ("3. Giai đoạn 2031 - 2045:
        Phát triển nhanh, …"), cited; None unless its name or its span of years is asked."""
        focus = request.focus or request.question
        if not self.rules.search("part_title_asked", self.cues(focus)):
            return None
        docs = list(dict.fromkeys([*request.named_docs, *request.preferred_docs]))
        docs = docs or list(dict.fromkeys(s.chunk.doc_id for s in request.sources if s.retrieved))[:3]
        part = self._named_part(docs, focus, {}, "", True)
        if part is None:
            return None
        book = _SourceBook(request.sources)
        n = book.number(part.head, request)
        x, y = title_span(part.head)
        return Draft(
            [
                DraftSentence(self.prompts.render("intro_list", label=_whole(part.head.label)), [], framing=True),
                DraftSentence(shown_text(part.head.text[x:y]), [n], {n: part.head.text[x:y]}),
            ],
            sources=book.added,
            structured=True,
            confidence=1.0,
        )

    def _nth_item(self, request: GenerationRequest) -> Draft | None:
        """ "Quan điểm thứ ba của Nghị quyết 57 là gì?", "nhiệm vụ đầu tiên của nhóm 2": the
        item at that place of the list of the noun (the plan a list question of the noun
        gets), cited; None when no list is about the noun or it is shorter."""
        focus = request.focus or request.question
        folded = question_cues(focus)
        m = self.rules.pattern("nth_item").search(folded)
        if m is None:
            return None
        word = m.group(1) or m.group(2)
        place = self.rules.mapping("ordinals").get(word, word)
        before = [w for w in re.findall(r"\w+", folded[: m.start()])][-4:]
        stop = self.rules.word_set("noun_stop") | self.rules.word_set("question_words")
        while before and any(w in stop for w in before):  # the words right before it, no stop word among them
            before = before[before.index(next(w for w in before if w in stop)) + 1 :]
        nouns = [" ".join(before)] if before else []
        # "trong phần Nơi nhận …, cơ quan nào … được ghi đầu tiên": the list the question names as a part
        part = re.search(rf"\b(?:{'|'.join(self.rules.word_set('part_nouns'))})\s+(?=[a-z])(\w)", folded)
        if part is not None and (named := self._noun(folded, part.start(1))):
            nouns.append(named)
        plan = None
        for noun in nouns:
            plan = self.plan(request, Ask(False, noun))
            if plan is not None and plan.noun_match and not plan.member and len(plan.items) >= 2:
                break
            plan = None
        if plan is None:
            return None
        n = len(plan.items) if place == "last" else int(place) if place.isdigit() else 0
        if not 1 <= n <= len(plan.items):
            return None
        book = _SourceBook(request.sources)
        item = plan.items[n - 1]
        line = self.prompts.render("intro_list", label=_whole(item.label))
        shown = replace(self._item(item, book, request), bullet=False)
        return Draft(
            [DraftSentence(line, [], framing=True), shown], sources=book.added, structured=True, confidence=1.0
        )

    def _member(self, docs: list[str], focus: str, noun_head: str) -> Plan | None:
        """ "Liệt kê sáng kiến 4": the list of the one numbered clause the question names by
        its noun and number ("Sáng kiến 4: …" and its items), not the list of all of them."""
        m = compiled(rf"\b{re.escape(noun_head)}\s+0*(\d{{1,3}})\b").search(self.cues(focus))
        if m is None:
            return None
        size = len(noun_head.split())
        for doc in docs:
            for c in self.tree.numbered(doc).get(noun_head, []):
                words = self.tree.words(c)
                if len(words) > size and words[size].lstrip("0") == m.group(1) and len(self.tree.children(c)) >= 2:
                    return Plan(c, self.tree.children(c), score=1.0, noun_match=True, member=True)
        return None

    def _grouping(self, plan: Plan, focus: str, weights, noun_head: str, structural: bool) -> Plan | None:
        """ "bao nhiêu nhóm sáng kiến": the heading above a group of numbered items whose
        numbered items stand in groups ("III- DANH SÁCH … CÁC SÁNG KIẾN ĐỘT PHÁ" over "C-
        Nhóm sáng kiến an sinh …"), when the question counts the groups (not when it names
        that group whole: "bao nhiêu nhóm sáng kiến đổi mới thể chế …" counts group A's own)."""
        for up in self.tree.ancestors(plan.head):
            if up.kind == "title":
                break
            found = self._score(up, self.tree.children(up), focus, weights, noun_head, 0.0, structural)
            if found.numbered and len(found.groups) >= 2 and found.noun_match:
                found.elsewhere = plan.elsewhere
                return found
        return None

    def _bare_member(self, request: GenerationRequest) -> Chunk | None:
        """The one numbered clause the question names ("Sáng kiến 26") when it has no items
        of its own (its text is a run of sentences, maybe split over parts); None otherwise."""
        focus = request.focus or request.question
        hits = [s.chunk.doc_id for s in request.sources if s.retrieved][:3]
        docs = list(dict.fromkeys([*request.named_docs, *request.preferred_docs, *hits]))
        for part in intent.numbered_parts(self.cues(focus)):
            noun, _, number = part.rpartition(" ")
            if not number.isdigit() or noun in self.rules.word_set("group_nouns"):
                continue
            size = len(noun.split())
            named = [
                c
                for doc in docs
                for c in self.tree.numbered(doc).get(noun, [])
                if len(words := self.tree.words(c)) > size and words[size].lstrip("0") == number
            ]
            if not named or any(len(self.tree.children(c)) >= 2 for c in named):
                return None  # items of its own somewhere: the list answers
            # said twice (a summary bullet and the numbered clause itself): the clause, then the fullest text
            return max(named, key=lambda c: (c.kind != "bullet", sum(len(p.text) for p in self.tree.parts(c))))
        return None

    def _named_member(self, docs: list[str], focus: str) -> Plan | None:
        """The list of the one numbered clause the question names ("Sáng kiến 2") when what
        is listed is a generic noun ("những nội dung nào"): that clause's items."""
        for part in intent.numbered_parts(self.cues(focus)):
            noun, _, number = part.rpartition(" ")
            if number.isdigit() and (found := self._member(docs, focus, noun)) is not None:
                return found
        return None

    def _descend(
        self,
        plan: Plan | None,
        focus,
        weights,
        noun_head: str,
        above: dict[str, float],
        structural: bool,
        groups: tuple[int, ...] = (),
    ) -> Plan | None:
        """The list of the noun stands under the one item that is named by it ("A- NGUYÊN TẮC
        VÀ CẤU TRÚC" › "1. Nguyên tắc xây dựng" › its six principles), or under the group the
        question names by its number (groups: "nhóm 5"): that item's items."""
        for _ in range(4):
            if plan is None or plan.numbered or not noun_head or len(plan.items) < 2:
                return plan
            group = next((g for n in groups if (g := self.tree.group_of(plan.items, n)) is not None), None)
            if group is not None:  # "nhóm 5 … có bao nhiêu nhiệm vụ": the fifth group's items
                groups = ()
                plan = self._score(
                    group, self.tree.children(group), focus, weights, noun_head, above.get(group.id, 0.0), True
                )
                continue
            dated = self._dated_item(plan, focus) or self._only_item(plan)
            if dated is not None:  # "nq 57 đến 2030 có bao nhiêu mục tiêu": "II- MỤC TIÊU" › "1. Đến năm 2030"
                deeper = self._score(
                    dated, self.tree.children(dated), focus, weights, noun_head, above.get(dated.id, 0.0), structural
                )
                deeper.elsewhere = plan.elsewhere
                plan = deeper
                continue
            if structural:  # "mấy điểm", "những nội dung nào": the heading's own items, or those of
                # the one item the question names word for word where the heading's line is not
                # ("cấu trúc hệ thống chỉ tiêu gồm mấy nội dung": "2. Cấu trúc hệ thống chỉ tiêu"
                # under "A- NGUYÊN TẮC VÀ CẤU TRÚC HỆ THỐNG CHỈ TIÊU")
                asked = set(re.findall(r"\w+", fold(focus)))
                named = [
                    k
                    for k in plan.items
                    if len(self.tree.children(k)) >= 2 and (w := self.tree.words(k)) and len(w) >= 2 and set(w) <= asked
                ]
                if len(named) != 1 or set(self.tree.words(plan.head)) <= asked:
                    return plan
            else:
                about = [k for k in plan.items if heads_with(self.tree.words(k), noun_head)]
                named = [k for k in about if len(self.tree.children(k)) >= 2]
                if len(named) != 1 or (len(about) > 1 and not self._says_item(named[0], focus)):
                    return plan  # "II- MỤC TIÊU" › "1- Mục tiêu tổng quát", "2- Mục tiêu cụ thể": its own two
            kid = named[0]
            deeper = self._score(
                kid, self.tree.children(kid), focus, weights, noun_head, above.get(kid.id, 0.0), structural
            )
            deeper.elsewhere = plan.elsewhere
            plan = deeper
        return plan

    def _dated_item(self, plan: Plan, focus: str) -> Chunk | None:
        """The one item of a heading whose line says a year the question names and the
        heading's line does not ("Đến năm 2030" of "II- MỤC TIÊU" for "… đến 2030 có bao
        nhiêu mục tiêu"), when it holds items of its own: the period asked is that item."""
        years = set(_YEAR.findall(focus))
        if not years or years & set(_YEAR.findall(first_line(plan.head))):
            return None
        dated = [k for k in plan.items if years & set(_YEAR.findall(first_line(k))) and len(self.tree.children(k)) >= 2]
        return dated[0] if len(dated) == 1 else None

    def _only_item(self, plan: Plan) -> Chunk | None:
        """The one item of a heading besides a table's header row ("Phụ lục I" › "TT | Chỉ
        tiêu | Kết quả", "I  Đến năm 2030"), when it holds items: the list is that item's."""
        rest = [k for k in plan.items if k.kind != "table"]
        if len(rest) == 1 and len(rest) < len(plan.items) and len(self.tree.children(rest[0])) >= 2:
            return rest[0]
        return None

    def _says_item(self, item: Chunk, focus: str) -> bool:
        """The question says every word of an item's line ("mục tiêu cụ thể có mấy mục
        tiêu": "2- Mục tiêu cụ thể"): it asks for that item's own list."""
        words = [w for w in self.tree.words(item) if not w.isdigit()]
        return bool(words) and set(words) <= set(re.findall(r"\w+", fold(focus)))

    def _outline(self, request: GenerationRequest, ask: Ask) -> Plan | None:
        """ "Nghị quyết 57 gồm những phần nào?", "… gồm những gì?": the named document's
        main parts, when the question asks about nothing else."""
        if len(request.named_docs) != 1 or (ask.noun and ask.noun.split()[0] not in self.rules.word_set("part_nouns")):
            return None
        rest = [
            t for t in self.scorer.tokens(request.focus or request.question) if "_" not in t and not t.startswith("~")
        ]
        cues = (
            self.rules.word_set("noun_stop") | self.rules.word_set("part_nouns") | self.rules.word_set("outline_cues")
        )
        if any(t not in cues for t in rest):
            return None
        doc = request.named_docs[0]
        parts = self.tree.outline(doc)
        noun = " ".join(ask.noun.split()[:2])
        if noun and noun not in GENERIC_PARTS:  # "mấy điều": the articles only, not the programme's sections
            parts = [c for c in parts if heads_with(self.tree.words(c), noun, member=True)]
        if len(parts) < 2:
            return None
        head = next(c for c in self.tree.of_document(doc) if c.kind == "title")
        name = next((d.cite_as for d in getattr(self, "documents", []) if d.id == doc), "") or head.label.split(",")[0]
        return Plan(head, parts, noun_match=True, score=1.0, label=name, titles_only=True)

    def _best(self, docs, focus, weights, noun_head, above, preferred, structural: bool = False) -> Plan | None:
        """The best scoring heading of the documents. perf (issue 13): the winning heading,
        its shape and score are kept per question's reading (the documents, the weights in
        their order, the noun, the bonuses above the hits, the preferred documents) and its
        plan built afresh from them each time (a plan is changed by its callers)."""
        memo: dict = self.__dict__.setdefault("_best_memo", {})
        if memo.get("tree") is not self.tree:
            memo.clear()
            memo["tree"] = self.tree
        key = (tuple(docs), tuple(weights.items()), noun_head, tuple(above.items()), frozenset(preferred), structural)
        won = memo.get(key)
        if won is None:
            if len(memo) > BEST_MEMO:
                memo.clear()
                memo["tree"] = self.tree
            won = memo[key] = self._work_best(docs, weights, noun_head, above, preferred, structural)
        if not won:
            return None
        shape, head, kids, score = won
        return self._plan(shape, head, kids, noun_head, score)

    def _work_best(self, docs, weights, noun_head, above, preferred, structural) -> tuple | tuple[()]:
        """``_best``'s winner as (shape, heading, items, score); () when the documents have
        no heading. A heading's plan is only worked out for the winner (the same score)."""
        best: tuple | tuple[()] = ()
        best_score = 0.0
        total = sum(weights.values())  # the question's, summed once for every heading
        terms = Terms(weights)  # … and its terms read once for summing
        for doc in docs:
            extra = doc in preferred
            for head, kids in self.tree.heads(doc):
                shape = self._shape(head, kids, noun_head, structural)
                score = self._value(shape, head, weights, total, noun_head, above.get(head.id, 0.0), terms)
                if extra:
                    score += 0.1
                if not best or score > best_score:
                    best = (shape, head, kids, score)
                    best_score = score
        return best

    def _best_grouped(self, docs, weights, noun_head, above, preferred, structural) -> Plan | None:
        """``_best`` among the headings whose items stand in two or more groups about the noun
        ("mỗi hệ thống …", "mấy hệ thống, tổng cộng bao nhiêu sáng kiến": Phụ lục I's groups of
        Sáng kiến 1-30, not "c) Sáng kiến đột phá" naming five of them)."""
        best: Plan | None = None
        total = sum(weights.values())
        for doc in docs:
            for head, kids in self.tree.heads(doc):
                shape = self._shape(head, kids, noun_head, structural)
                if len(shape.groups) < 2 or not shape.noun_match:
                    continue
                score = self._value(shape, head, weights, total, noun_head, above.get(head.id, 0.0))
                score += 0.1 if doc in preferred else 0.0
                if best is None or score > best.score:
                    best = self._plan(shape, head, kids, noun_head, score)
        return best

    # perf (issue 13) begin: the other documents' best heading without scanning them all
    def _best_elsewhere(self, near_docs, focus, weights, noun_head, above, preferred, structural) -> Plan | None:
        """``_best`` over the documents other than near_docs, the same heading at the same
        score, reading only what the question touches, a class of alike headings at a time
        (retrieval/heading_index.py: headings that say the same score the same, so the
        first of a class outside near_docs stands for it; a heading above a hit, with its
        bonus, is scored on its own). The classes holding a question word are scored. Any
        other heading scores what it scores for the noun alone: worked out (once per noun)
        only for the classes that can be about the noun (the noun's words in their line,
        an item's or their parent's line, the noun in their text, numbered items of it
        under them); every other one scores the same less its depth, so the shallowest of
        them stands for them all. Ties go to the first in document order, as in the plain scan."""
        skip = set(near_docs)
        if not set(preferred) <= skip:
            others = [d for d in self.tree.documents() if d not in skip]
            return self._best(others, focus, weights, noun_head, above, preferred, structural)
        index = self._heads_postings()
        entries = index.entries
        hit = {x for h in above if (x := index.by_id.get(h)) is not None}  # scored with their bonus
        touched: set[int] = set()  # the classes whose heading holds a question word
        for t in weights:
            touched.update(index.postings.get(t, ()))
        best_e, best_score = -1, 0.0

        def consider(e: int, score: float) -> None:
            nonlocal best_e, best_score
            if best_e < 0 or score > best_score or (score == best_score and e < best_e):
                best_e, best_score = e, score

        alone = self._alone_order(noun_head, structural)  # (best first, then in document order)
        found = index.least(((-a, k) for k, a in alone.items()), skip, hit, touched)
        if found is not None:  # the best untouched heading that can be about the noun
            consider(found[1], -found[0])
        depth = index.depth
        shallow = index.least(((depth[k], k) for k in index.by_depth), skip, hit, touched, alone)
        if shallow is not None:  # the best of the rest: the shallowest, the first
            unrelated = _Shape("", about=1.0 if structural else 0.0)
            consider(shallow[1], self._value(unrelated, entries[shallow[1]][1], {}, 0.0, noun_head, 0.0))
        # the touched headings by an upper bound of their score, best first: the bound is
        # their exact share of the question's weight (from the postings) plus their bonus,
        # plus what the noun adds, less their depth; once it falls below the best score no
        # other heading can beat it
        # (the best is the highest score, ties to the first: the same in any order)
        gained: dict[int, float] = {}
        for t, w in weights.items():
            for k in index.postings.get(t, ()):
                gained[k] = gained.get(k, 0.0) + w
        total = sum(weights.values())
        # what the noun adds is what it adds alone, whatever the question's words: known for
        # the classes that can be about it (their score alone, plus their depth), the plain
        # 0.3 × about of the rest (as for the untouched ones above)
        rest = 0.3 if noun_head and structural else 0.0

        def bound(k: int, bonus: float) -> float:
            share = gained.get(k, 0.0) / total if total else 0.0
            noun = alone[k] + 0.01 * depth[k] if k in alone else rest
            return -(share + bonus + noun - 0.01 * depth[k] + 1e-9)

        # scale (issue 13): a touched class's bound is its class's, so its entry (the first
        # eligible one) is looked for only when the walk reaches it; every entry whose bound
        # is not below the best score is still scored, and the best (ties to the first entry)
        # does not depend on the order they are scored in
        bounds = [(bound(k, 0.0), -1, k, 0.0) for k in touched]
        for e in hit:
            if entries[e][0] not in skip:
                bonus = above.get(entries[e][1].id, 0.0)
                bounds.append((bound(int(index.klass[e]), bonus), e, -1, bonus))
        for neg, e, k, bonus in sorted(bounds):
            if best_e >= 0 and -neg < best_score:
                break
            if e < 0 and (e := index.first_eligible(k, skip, hit)) < 0:
                continue
            _, head, kids = entries[e]
            shape = self._shape(head, kids, noun_head, structural)
            consider(e, self._value(shape, head, weights, total, noun_head, bonus))
        if best_e < 0:
            return None
        _, head, kids = entries[best_e]
        return self._plan(self._shape(head, kids, noun_head, structural), head, kids, noun_head, best_score)

    def _heads_postings(self) -> HeadingIndex:
        """The heading index of the tree (retrieval/heading_index.py), once per tree: the one
        kept beside the generation (the ingest's, or the first process's), read on first use;
        else made, at the start for a large index (``heading_index.LARGE`` clauses or more, when
        none is kept), else on first use, and kept for the next processes."""
        got = self.__dict__.get("_postings")
        if got is None or got[0] is not self.tree:
            from retrieval import heading_index

            text, tokens = self._heading_callables()
            index = heading_index.saved(
                self.tree.table,
                self._headings_key(),
                lambda: heading_index.HeadingIndex(self.tree, text, tokens),
            )
            got = self._postings = (self.tree, index)
        return got[1]

    def _heading_callables(self):
        # = _Shape.heading (with a lead-in for a generic noun: a superset of the words, the bound holds)
        return (lambda head, last: self._heading_text(head, lead=True, last=last)), self.scorer.token_set

    def _headings_key(self) -> str:
        """The key the heading index of this tree is kept under (retrieval/heading_index.py):
        its table, the code that makes it (this module, the tree's) and its callables."""
        got = self.__dict__.get("_headings_key_of")
        if got is None or got[0] is not self.tree:
            import sys

            from retrieval import heading_index

            from . import doctree

            text, tokens = self._heading_callables()
            key = heading_index.key_of(self.tree, text, tokens, [sys.modules[__name__], doctree])
            got = self._headings_key_of = (self.tree, key)
        return got[1]

    def _headings_saved(self) -> bool:
        from retrieval import heading_index

        return heading_index.is_saved(self.tree.table, self._headings_key())

    def _posted(self, posted: str) -> set[int]:
        """The headings holding ``posted`` (a folded word, or two in a row) in their line, an
        item's or their parent's (the members of the classes that do)."""
        index = self._heads_postings()
        return {e for k in index.posted(posted) for e in index.members[k]}

    def _alone_order(self, noun_head: str, structural: bool) -> dict[int, float]:
        """The classes of headings that can score more than their depth for the noun
        alone, with that score (a class's first heading's: all of them score alike), best
        first, then by their first heading."""
        memo: dict = self.__dict__.setdefault("_alone", {})
        if memo.get("tree") is not self.tree or len(memo) > ALONE_MEMO:
            memo.clear()
            memo["tree"] = self.tree
        key = (noun_head, structural)
        if key not in memo:
            index = self._heads_postings()
            related: set[int] = set()
            if noun_head:
                related.update(index.numbered.get(noun_head, ()))  # numbered items of the noun under them
                if not _PLAIN_WORDS.fullmatch(noun_head):  # its count sentence found by pattern only
                    related.update(range(index.classes))
                elif not structural:  # (a structural noun: every heading is about it alike)
                    nouns = noun_head.split()
                    related.update(index.posted(noun_head if len(nouns) <= 2 else nouns[0]))
                    related.update(index.containing(noun_head))
            alone = {
                k: self._value(self._shape(head, kids, noun_head, structural), head, {}, 0.0, noun_head, 0.0)
                for k in sorted(related)
                for _, head, kids in [index.entries[index.first[k]]]
            }
            memo[key] = dict(sorted(alone.items(), key=lambda p: (-p[1], index.first[p[0]])))
        return memo[key]

    # perf (issue 13) end

    def _score(
        self,
        head: Chunk,
        kids: list[Chunk],
        focus: str,
        weights,
        noun_head: str,
        bonus: float,
        structural: bool = False,
    ) -> Plan:
        """perf (issue 13): what a heading says of the noun whatever the question (how far
        it is about the noun, its numbered items, its own count sentence) is worked out once
        per (heading, noun) and kept with the tree; per question only the coverage of its
        heading line is new. The sums run in the plain code's order."""
        shape = self._shape(head, kids, noun_head, structural)
        value = self._value(shape, head, weights, sum(weights.values()), noun_head, bonus)
        return self._plan(shape, head, kids, noun_head, value)

    def _value(
        self, shape: _Shape, head: Chunk, weights, total: float, noun_head: str, bonus: float, terms=None
    ) -> float:
        score = self.scorer.share(shape.heading, weights, total, terms) + bonus  # = coverage(focus, heading, weights)
        if noun_head:
            score += 0.3 * shape.about
            if shape.numbered is not None:  # "Sáng kiến 1" … "Sáng kiến 30" under it: the items counted
                score += 0.3 + 0.05 * min(shape.n_numbered, 30) / 30
        return score - 0.01 * len(head.breadcrumb)

    @staticmethod
    def _plan(shape: _Shape, head: Chunk, kids: list[Chunk], noun_head: str, score: float) -> Plan:
        plan = Plan(head, kids, score=score)
        if noun_head:
            plan.statement = shape.statement
            plan.noun_match = shape.noun_match
        if shape.numbered is not None:
            plan.items, plan.numbered = list(shape.numbered), True
            plan.groups = [(label, list(items)) for label, items in shape.groups]
        return plan

    def _shape(self, head: Chunk, kids: list[Chunk], noun_head: str, structural: bool) -> _Shape:
        memo: dict = self.__dict__.setdefault("_shapes", {})
        if memo.get("tree") is not self.tree:
            memo.clear()
            memo["tree"] = self.tree
        key = (head.id, len(kids), noun_head, structural)  # kids: always tree.children(head)
        got = memo.get(key)
        if got is None:
            if len(memo) > 100_000:
                memo.clear()
                memo["tree"] = self.tree
            got = memo[key] = self._work_shape(head, kids, noun_head, structural)
        return got

    def _heading_text(self, head: Chunk, lead: bool = False, last: Chunk | None = None) -> str:
        """What a heading says of its items, as a question is matched with it: the last
        label of its path and its line; for a generic noun ("làm mấy việc", lead=True), which
        names no heading, also a short lead-in its text ends with ("Ban Chỉ đạo Trung ương,
        Cơ quan Thường trực và Tổ Giúp việc sử dụng hệ thống chỉ tiêu để:")."""
        parts = [*head.breadcrumb[-1:], first_line(head)]
        if not lead:
            return " ".join(parts)
        last = last or self.tree.parts(head)[-1]  # (last: its last part, when the caller has it)
        lines = [ln.strip() for ln in last.text.split("\n") if ln.strip()]
        if lines[1 if last is head else 0 :] and lines[-1].endswith(":"):
            lead_in = re.split(r"(?<=[.;!?])\s+", lines[-1])[-1]
            if len(lead_in.split()) <= LEAD_WORDS:  # its words, not its count ("… bởi 3 trụ cột:" is no "Hệ thống 3")
                parts.append(re.sub(r"\d+", " ", lead_in))
        return " ".join(parts)

    def _opening_words(self):
        """A clause's first 20 folded words as a set, kept with the tree: perf (issue 13:
        first-time questions), a quick test that skips ``heads_with`` where it is False."""
        memo: dict = self.__dict__.setdefault("_openings", {})
        if memo.get("tree") is not self.tree:
            memo.clear()
            memo["tree"] = self.tree
        words = self.tree.words

        def opening(chunk: Chunk) -> frozenset[str]:
            got = memo.get(chunk.id)
            if got is None:
                if len(memo) > 1_000_000:
                    memo.clear()
                    memo["tree"] = self.tree
                got = memo[chunk.id] = frozenset(words(chunk)[:20])
            return got

        return opening

    def _work_shape(self, head: Chunk, kids: list[Chunk], noun_head: str, structural: bool) -> _Shape:
        heading = self._heading_text(head, lead=structural)
        shape = _Shape(heading)
        numbered: list[Chunk] = []
        if noun_head:
            opening = self._opening_words()
            first = noun_head.split()[:1]  # heads_with needs the noun's first word in a heading's first 20 words
            named = [
                k
                for k in kids
                if first and first[0] in opening(k) and heads_with(self.tree.words(k), noun_head, member=True)
            ]
            under = head.path + "."
            numbered = [c for c in self.tree.numbered(head.doc_id).get(noun_head, []) if c.path.startswith(under)]
            # "CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ": a title opening with the noun names one programme,
            # not a list of them; a section title naming it later lists them ("Đột phá và lý do cần …")
            single = head.kind == "title" and self.tree.words(head)[: len(noun_head.split())] == noun_head.split()
            about = max(float(heads_with(self.tree.words(head), noun_head) and not single), len(named) / len(kids))
            parent = self.tree.parent(head)
            if (
                about < 0.5
                and parent is not None
                and parent.kind != "title"  # "NGHỊ QUYẾT", the document's own title, is no list of them
                and heads_with(self.tree.words(parent), noun_head)
            ):
                about = 0.6  # "1. Nâng cao nhận thức …" under "II. NHIỆM VỤ CỤ THỂ": a group of the tasks
            if (
                about < 0.5
                and first_line(head).endswith(":")
                and f" {noun_head} " in f" {' '.join(self.tree.words(head))} "
            ):
                about = 0.6  # "… nhưng nguyên nhân chủ quan là chủ yếu:": the line opens the list of them
            last = self.tree.parts(head)[-1]  # a long heading split in parts: its last part leads into the items
            # "… các nội dung sau:" opens a list of any items: "những nội dung nào" asks what the text says
            generic = _made_of(noun_head.split(), self.rules.word_set("counted_parts"))
            if (
                about < 0.5
                and not generic
                and _opens_list(last.text, noun_head, self.rules.word_set("list_lead"), last is head)
            ):
                about = 0.6  # "1. Giai đoạn 2025 - 2027 …" ending "Mục tiêu trọng tâm:": its items are them
            if not numbered:  # the heading's own sentence that counts its items, when it has one
                shape.statement = self._statement(head, noun_head, len(kids))
                about = max(about, float(shape.statement is not None))
            if structural:
                about = 1.0  # "mấy điểm", "bao nhiêu khoản": the heading's items, whatever they say
            shape.noun_match = about >= 0.5 or len(numbered) >= 2
            shape.about = about
            shape.n_numbered = len(numbered)
        if len(numbered) >= 2:
            items = self._dedupe(numbered, noun_head)
            shape.numbered = tuple(items)
            if {c.id for c in items} == {c.id for c in kids}:  # its own items: its sentence that counts them
                shape.statement = self._statement(head, noun_head, len(items))
            parents: dict[str, list[Chunk]] = {}
            for c in items:
                parents.setdefault(c.parent_id, []).append(c)
            if len(parents) > 1:
                shape.groups = tuple(
                    (self._group_label(self.tree.by_id[p], noun_head), tuple(group))
                    for p, group in parents.items()
                    if p in self.tree.by_id
                )
        return shape

    def _statement(self, head: Chunk, noun_head: str, count: int) -> tuple[Chunk, int, int] | None:
        """The sentence of a heading's own text that counts its items, as many as it has
        ("… được thiết kế theo 4 tầng cấp độ …", "… tổ chức thành 6 Hệ thống, gồm: …")."""
        near = None
        # perf (issue 13): the pattern needs the noun as written; no regex for a clause without it
        literal = _PLAIN_WORDS.fullmatch(noun_head) is not None
        for chunk in self.tree.parts(head):
            folded = self.tree.folded(chunk)
            if literal and noun_head not in folded:  # (not in it at all: not after its first line either)
                continue
            start = len(chunk.text.split("\n", 1)[0]) if chunk is head else 0
            if literal and folded.find(noun_head, start) < 0:
                continue
            near = near or _count_pattern(count, noun_head)
            if not near.search(folded, start):
                continue
            for line_start, line_end in _lines(chunk.text, start):
                for a, b in sentence_spans(chunk.text, line_start, line_end):
                    if near.search(folded, a, b):
                        return chunk, a, b
        return None

    def _dedupe(self, items: list[Chunk], noun_head: str) -> list[Chunk]:
        """One item per number ("Sáng kiến 4" in the body and in the appendix: once)."""
        size = len(noun_head.split())
        seen, out = set(), []
        for c in items:
            words = self.tree.words(c)
            key = words[size] if len(words) > size else c.id
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

    def _group_label(self, parent: Chunk, noun_head: str) -> Chunk:
        """The heading a group of items stands under; a heading that only repeats the noun
        ("c) Sáng kiến đột phá") gives way to the one above it ("1. Hệ thống …")."""
        up = self.tree.parent(parent)
        body = self.tree.words(parent)
        if up is not None and heads_with(body, noun_head) and len(body) <= len(noun_head.split()) + 3:
            return up
        return parent

    # -- the draft -------------------------------------------------------------------------
    def draft(self, request: GenerationRequest, evidence: Evidence | None = None) -> Draft | None:
        """A list or count answer, or None when the question is not one or no heading fits:
        then a list asked of what clauses say in the question's own words, each such clause
        (_phrased), before the best sentences answer."""
        excepted = self._excepted(request, evidence)
        if excepted is not None:  # "Ngoài việc thành lập Ban Chỉ đạo …, … còn mấy điểm": the rest counted
            return excepted
        drafted = self._drafted(request, evidence)
        if drafted is None and (ask := self.ask_of(request.focus or request.question)) is not None:
            # "những cơ quan nào phải báo cáo … định kỳ ngày 25 hằng tháng"
            return self._topics_said(request, ask) or self._phrased(request, ask)
        return drafted

    def _lettered_group(self, plan: Plan, focus: str) -> Plan | None:
        """The one group of a list grouped by letters that the question names by its letter
        (answers.toml lettered_group: "Nhóm B", "phần E"): its own items; None otherwise."""
        if len(plan.groups) < 2:
            return None
        m = self.rules.search("lettered_group", question_cues(focus))
        if m is None:
            return None
        letter = m.group(1)
        opens = compiled(rf"{letter}\s*[-.)]")  # once, not per group (re's cache is thrashed by a batch)
        found = [(g, items) for g, items in plan.groups if opens.match(fold(first_line(g)).lower())]
        if len(found) != 1 or len(found[0][1]) < 2:
            return None
        group, items = found[0]
        return Plan(group, list(items), numbered=plan.numbered, noun_match=True, score=plan.score, noun=plan.noun)

    def _kind_plan(self, request: GenerationRequest, ask: Ask, plan: Plan) -> Plan | None:
        """The clauses of the kind a structural noun names (answers.toml structural_kinds:
        "mấy điều" the articles), under the heading of the document named (or the plan's) that
        holds two or more of them, when the plan found holds none of that kind; None otherwise."""
        kind = self.rules.mapping("structural_kinds").get(ask.noun)
        if kind is None or any(c.kind == kind for c in plan.items):
            return None
        for doc in list(dict.fromkeys(request.named_docs)) or [plan.head.doc_id]:
            for head, kids in self.tree.heads(doc):
                if len(held := [c for c in kids if c.kind == kind]) >= 2:
                    return Plan(head, held, noun_match=True)
            chunks = self.tree.of_document(doc)
            tops = [c for c in chunks if not c.parent_id and c.part <= 1 and c.kind == kind]
            title = next((c for c in chunks if c.kind == "title"), None)
            if len(tops) >= 2 and title is not None:  # "PHỤ LỤC I", "PHỤ LỤC II": the document's own parts
                return Plan(title, tops, noun_match=True, label=title.label.split(",")[0])
        return None

    def _excepted(self, request: GenerationRequest, evidence: Evidence | None) -> Draft | None:
        """A count that leaves one part out ("Ngoài việc thành lập Ban Chỉ đạo Trung ương, phần
        tổ chức thực hiện … còn mấy điểm", "Không tính dòng lưu, Nơi nhận … mấy nơi",
        answers.toml count_except): the heading found by the rest of the question, the one
        item the left-out words name clearly best taken away, the others counted and cited.
        None when no part is left out, or no heading or no single item answers to it."""
        focus = request.focus or request.question
        m = self.rules.search("count_except", fold(focus))  # fold keeps one character for one
        if m is None:
            return None
        g = next(
            i for i in range(1, (m.re.groups or 0) + 1) if m.start(i) >= 0
        )  # the family's patterns: one group each
        left_out = focus[m.start(g) : m.end(g)]
        rest = " ".join((focus[: m.start()] + " " + focus[m.end() :]).split())
        ask = self.ask_of(rest)
        sub = replace(request, focus=rest)
        plan = self._recipient_plan(sub)
        if plan is not None and self.rules.search("count", question_cues(rest)):  # "… gửi tới mấy nơi"
            ask = replace(ask or Ask(True, ""), count=True, noun="noi nhan", shown="", groups=False, outer="")
        elif ask is None or not ask.count or ask.outer:
            return None
        else:
            plan = self.plan(sub, ask)
        if plan is None or not plan.noun_match or plan.groups or len(plan.items) < 3:
            return None
        # what names the part, not the words that name any part ("điểm", "phần", "dòng")
        parts = self.structural_nouns(count=True) | self.rules.word_set("count_frame")
        weights = {t: w for t, w in self._weights(left_out).items() if fold(t.lstrip("~")) not in parts}
        if not weights:
            return None
        scores = [
            self.scorer.coverage("", f"{' '.join(c.breadcrumb[-1:])} {first_line(c)}", weights) for c in plan.items
        ]
        best = max(scores)
        runner_up = sorted(scores)[-2]
        if best < EXCEPT_COVERED or best - runner_up < EXCEPT_MARGIN:
            return None
        dropped = plan.items[scores.index(best)]
        kept = replace(plan, items=[c for c in plan.items if c.id != dropped.id], statement=None)
        said = tuple(u.text for u in evidence.ranked[:10]) if evidence is not None else ()
        noun = self._noun_text(ask.shown or ask.noun, kept, rest, said)
        if ask.groups:
            noun = "nhóm " + noun
        draft = self._compose(sub, kept, ask, count_line=False)
        part = _whole(dropped.label).rsplit(",", 1)[-1].strip()  # "điểm 1", "gạch đầu dòng thứ 5"
        line = self.prompts.render(
            "list_count_except",
            label=plan.label or _whole(plan.head.label),
            total=len(plan.items),
            noun=noun,
            left_out=part,
            count=len(kept.items),
        )
        draft.sentences[0] = DraftSentence(line, [], framing=True)
        return draft

    def _topics_said(self, request: GenerationRequest, ask: Ask) -> Draft | None:
        """A list asked of topics named in a row ("những hạn chế nào về nhận thức, thể chế,
        nhân lực và hạ tầng"): the best clause found whose sentences, or the parts of one
        between semicolons, say TOPICS_SAID or more of the topics each in a part of its
        own; those parts, in the text's order, cited. None when no clause does."""
        if ask.count:
            return None
        m = re.search(
            r"\bve\s+((?:\w+\s+){0,3}\w+(?:\s*,\s*(?:\w+\s+){0,3}\w+)+\s+va\s+(?:\w+\s*){1,3})",
            self.cues(request.focus or request.question),
        )
        if m is None:
            return None
        topics = [t.split()[:2] for t in re.split(r"\s*,\s*|\s+va\s+", m.group(1).strip()) if t.strip()]
        if len(topics) < TOPICS_SAID:
            return None
        best: tuple[int, Chunk, list[tuple[int, int]]] | None = None
        for src in [s for s in request.sources if s.retrieved][:PHRASED_TOP]:
            c = src.chunk
            text = fold(c.text).lower()
            parts = [
                (a + x.start(), a + x.end())
                for a, b in sentence_spans(c.text, item_body(c)[0])
                for x in re.finditer(r"[^;]+", c.text[a:b])
                if x.end() - x.start() > 3
            ]
            taken: list[tuple[int, int]] = []
            for words in topics:
                said = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b")
                part = next(((a, b) for a, b in parts if (a, b) not in taken and said.search(text, a, b)), None)
                if part is not None:
                    taken.append(part)
            if len(taken) >= max(TOPICS_SAID, len(topics) - 1) and (best is None or len(taken) > best[0]):
                best = (len(taken), c, sorted(taken))
        if best is None:
            return None
        _, chunk, spans = best
        book = _SourceBook(request.sources)
        n = book.number(chunk, request)
        out = [DraftSentence(self.prompts.render("intro_list", label=_whole(chunk.label)), [], framing=True)]
        for a, b in spans:
            text = chunk.text[a:b].strip()
            out.append(DraftSentence(shown_text(text), [n], {n: text}, bullet=True))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _drafted(self, request: GenerationRequest, evidence: Evidence | None) -> Draft | None:
        focus = request.focus or request.question
        belongs = self._belongs(request, evidence)
        if belongs is not None:
            return belongs
        ask = self.ask_of(focus)
        bases = self._bases(request, ask)
        if bases is not None:  # "Kế hoạch 01 căn cứ vào mấy văn bản": the "Căn cứ …" lines of its preamble
            return bases
        recipients = self._recipients(request, ask)
        if recipients is not None:  # "Nghị quyết 03 được gửi tới những cơ quan nào": its "Nơi nhận:" list
            return recipients
        if ask is None:
            whatis = self._whatis_ask(request)
            if whatis is not None and (listed := self._draft_ask(request, evidence, whatis)) is not None:
                return listed  # "Nhiệm vụ trọng tâm của Kế hoạch 01 là gì?": that heading's items
            titled = self._part_title(request) or self._nth_item(request)
            return titled if titled is not None else self._heading_hit(request, evidence)
        return self._draft_ask(request, evidence, ask)

    def _whatis_ask(self, request: GenerationRequest) -> Ask | None:
        """ "X là gì", "X ra sao" (answers.toml list_whatis), where X is named, word for word, by the
        own line of a heading with several items: a list of X asked (its subject); None otherwise
        (a clause's content or a definition asked so is answered as before)."""
        focus = request.focus or request.question
        folded = question_cues(focus)
        s = self.rules.pattern("list_whatis").search(folded)
        if s is None or not (subject := self._listed(folded, s)):
            return None
        said = self.rules.pattern("document_number").sub(" ", s.group(1))
        ask = Ask(False, subject, subject=True, said=tuple(re.findall(r"\w+", said)))
        plan = self.plan(request, ask)
        if plan is None or plan.elsewhere or plan.member or not plan.noun_match or len(plan.items) < WHATIS_ITEMS:
            return None
        if request.named_docs and plan.head.doc_id not in request.named_docs:
            return None
        # the heading's own line says every word of the subject (not its items', nor the headings above it)
        own = set(self.tree.words(plan.head)) | set(fold(first_line(plan.head)).split())
        skip = self.rules.word_set("noun_stop") | self.rules.word_set("question_words")
        if not all(w in own for w in ask.said if w not in skip):
            return None
        words = subject.split()
        units = self.rules.word_set("unit_nouns")
        return replace(ask, counted="_".join(words[:2]) in units or words[0] in units)

    def _draft_ask(self, request: GenerationRequest, evidence: Evidence | None, ask: Ask) -> Draft | None:
        focus = request.focus or request.question
        generic = bool(ask.noun) and _made_of(ask.noun.split(), self.structural_nouns(count=True))
        if (ask.count and generic or ask.items and not ask.count) and (bare := self._bare_member(request)) is not None:
            # "Sáng kiến 26 gồm mấy nội dung": the named clause has no items of its own; its text, all its parts
            said = self._sentences(request, bare)
            if said is not None:
                return said
        plan = self.plan(request, ask)
        if ask.count and plan is not None and (kind_plan := self._kind_plan(request, ask, plan)) is not None:
            plan = kind_plan  # "Nghị quyết 03 ban hành Chương trình hành động gồm mấy điều": its articles
        if plan is not None and (group_plan := self._lettered_group(plan, focus)) is not None:
            plan = group_plan  # "Nhóm B … có mấy sáng kiến": that group's, not the whole list's
        if evidence is not None and (
            plan is None
            or plan.elsewhere
            or not plan.noun_match
            or (request.named_docs and plan.head.doc_id not in request.named_docs)
        ):
            named = self._enumerated(request, ask, evidence)
            if named is not None:  # "… gắn với Nghị quyết A, Nghị quyết B, Nghị quyết C": that sentence's names
                return named
        elif evidence is not None and plan is not None and self._enumerates_better(plan, focus, ask, evidence):
            named = self._enumerated(request, ask, evidence)
            if named is not None:  # "… (trọng tâm: Hệ thống 2, Sáng kiến 4, Sáng kiến 6, Sáng kiến 8)"
                return named
        if ask.count and (plan is None or not plan.noun_match):
            plan = self._items_opening(request, ask) or plan
        if (plan is None or not plan.noun_match) and (scattered := self._scattered(request, ask)) is not None:
            return scattered  # "những bộ tiêu chí đánh giá nào": every clause that sets one up, no heading holds them
        if not ask.count and (bare_heading := self._named_bare_heading(request, plan)) is not None:
            # "Kết luận 69 đề ra những cách làm nào để đẩy mạnh hội nhập, hợp tác quốc tế …": the
            # point named so has no items, its text is a run of sentences: each of them, cited
            said = self._sentences(request, bare_heading, titled=True)
            if said is not None:
                return said
        if plan is None:
            return None
        if plan.noun:  # the documents' noun found the heading; the count is said in the asker's ("mấy chỉ tiêu")
            ask = replace(ask, noun=plan.noun, shown=ask.noun)
        if ask.outer and not self._two_levels(plan):
            ask = replace(ask, outer="")  # no groups under the heading: its items counted alone
        labelled = self._labelled(plan, ask, focus)
        if labelled is not None:  # "Sáng kiến 20 gồm những nội dung gì": its item "- Nội dung: …"
            kids = self.tree.children(labelled)
            if len(kids) >= 2:
                plan = Plan(labelled, kids, noun_match=True, member=True)
            elif (said := self._sentences(request, labelled)) is not None:
                return said
        if (subject := self._subject_item(plan, ask, focus)) is not None:
            # "Ban Chỉ đạo … của Chính phủ có những trách nhiệm gì": its own item, sentence by
            # sentence; an item of one sentence is answered as a clause (not the whole list)
            return self._sentences(request, subject)
        if plan.member:  # its items, whatever they are: no count of the noun
            return self._compose(request, plan, replace(ask, noun=""))
        if ask.subject and not self._says_subject(plan, ask):
            return None  # "nhiệm vụ của Bộ Tài chính gồm những gì": not all of "NHIỆM VỤ CỤ THỂ"
        if not plan.placed and self._misses_body(plan, focus):
            return None  # "… bao nhiêu nhiệm vụ giao cho Bộ Y tế": not the count of a list naming no Bộ Y tế
        if ask.count and not plan.numbered and not plan.placed:
            part = self._part_named(plan, focus)
            if part is not None:  # "… trong phần tổ chức thực hiện": that heading's items, not the document's
                plan = Plan(part, self.tree.children(part), noun_match=True)
        if not plan.noun_match and self._named_heading(plan, request, ask):
            plan.noun_match = True  # "phần tổ chức thực hiện … bao nhiêu đầu mối": that heading's items
            if not ask.count:  # "… đặc biệt tập trung vào những ngành nào": its items, not counted as the noun
                ask = replace(ask, noun="")
        if ask.count and not plan.noun_match:
            return None  # "bao nhiêu doanh nghiệp": a figure of a sentence, not a heading's items
        if (
            not ask.outer
            and not plan.placed  # the clause named by its place: its items, whatever a sentence counts
            and (plan.elsewhere or not (plan.numbered or plan.statement))
            and evidence is not None
            and _states_count(evidence, ask.noun)
        ):
            agreeing = _count_statement(evidence, ask.noun, len(plan.items)) if plan.noun_match else None
            if agreeing is None:
                return None  # a sentence counts them itself ("có từ 40 - 50 tổ chức …"): it answers
            # the text counts them as the structure does ("theo 06 Hệ thống Chiến lược" and the six
            # "Hệ thống …" items): that sentence, cited, then the items
            plan.statement = agreeing
        if evidence is not None and self._counted_elsewhere(plan, focus, ask, evidence):
            return None  # "… mô hình chính quyền mấy cấp": "chính quyền 3 cấp", not "theo 4 tầng cấp độ"
        if evidence is not None and not plan.placed and self._subject_elsewhere(plan, request, ask, evidence):
            return None  # "… ở những tổ chức quốc tế nào" is not "III. TỔ CHỨC THỰC HIỆN"
        if evidence is not None and self._misses_anchor(plan, focus, evidence):
            return None  # "sk10 … gồm những chương trình gì", "EdTech … gồm những giải pháp gì": not this heading
        # listed, a generic noun ("những việc gì", "những vấn đề nào") asks what the text says: the
        # items that merely say the word ("đáp ứng việc phát triển …") find no heading by it
        # (when the best sentence stands outside the heading: one of its items may say it best)
        generic_list = (
            not ask.count
            and bool(ask.noun)
            and _made_of(ask.noun.split(), self.rules.word_set("counted_parts"))
            and evidence is not None
            and evidence.best is not None
            and evidence.best.source.retrieved
            and evidence.best.source.rank <= 1  # the clause found first
            and not _under(evidence.best.source.chunk, plan.head)
        )
        if evidence is not None and evidence.best is not None and (not plan.noun_match or generic_list):
            # one sentence says it better ("các ngành: nông nghiệp, y tế, …")
            heading_cov = self.scorer.coverage(focus, " ".join([*plan.head.breadcrumb[-1:], first_line(plan.head)]))
            best = evidence.best  # (its score as the question's own coverage weighs it)
            margin = 0.15 if not plan.noun_match else GENERIC_MARGIN  # found by a generic noun: by far better
            if heading_cov + margin < best.score - (evidence.scale - 1.0) * best.coverage:
                return None
        return self._compose(request, plan, ask)

    def _labelled(self, plan: Plan, ask: Ask, ask_focus: str) -> Chunk | None:
        """The one item of the plan labelled by the asked noun ("- Nội dung: …" of "Sáng kiến
        20" for "những nội dung phát triển gì", "a) Nội dung chính: …" for "những nội dung
        chính nào"): what is asked is that item's content, not the list of the labels. A
        generic noun names the label only when said with it whole ("những nội dung chính nào",
        not "những nội dung nào": all the items)."""
        noun = ask.noun.split()
        if ask.count or not noun or len(plan.items) < 2:
            return None
        if ask.items:  # a generic noun asks for all the items, unless the label is said whole ("nội dung chính")
            m = self.rules.pattern("asked_phrase").search(self.cues(ask_focus))
            noun = m.group(1).split() if m else noun
            if len(noun) > 2 and "_".join(noun[-2:]) in self.rules.word_set("label_qualifiers"):
                noun = noun[:-2]  # "những nội dung cụ thể nào" of "Sáng kiến 2": its "- Nội dung: …"
        found = []
        for c in plan.items:
            _, line = item_body(c)
            label, colon, _ = line.partition(":")
            bare = not colon and "\n" in c.text.strip()  # "a) Nội dung chính" over its text
            words = re.findall(r"\w+", fold(label))
            whole = not ask.items or len(words) == len(noun)  # the noun says the label whole ("nội dung phát triển")
            if (colon or bare) and 1 <= len(words) <= LABEL_WORDS and words == noun[: len(words)] and whole:
                found.append(c)
        return found[0] if len(found) == 1 else None

    def _scattered(self, request: GenerationRequest, ask: Ask) -> Draft | None:
        """A list whose items stand in no heading but in clauses over the document ("Nghị quyết
        03 giao xây dựng những bộ tiêu chí đánh giá nào": "Xây dựng bộ tiêu chí đánh giá …" in
        điểm 6 tiết d, đ, n): the sentence of each clause of the one named document that says
        the listed noun (three words or more) followed by what it is of; None when fewer than two."""
        noun = ask.noun.split()
        if ask.count or ask.items or ask.subject or len(noun) < SCATTERED_WORDS or len(request.named_docs) != 1:
            return None
        said = r"\b" + r"\s+".join(map(re.escape, noun)) + r"((?:\s+\w+){0,3}?)\s+(?:nao|gi)\b"
        if (whole := compiled(said).search(self.cues(request.focus or request.question))) is not None:
            noun += whole.group(1).split()  # the noun said whole up to "nào": "bộ tiêu chí đánh giá"
        # the noun said whole, then what it is of ("… đánh giá hiệu quả đầu tư", not "… đánh giá;")
        phrase = compiled(r"\b" + r"\s+".join(map(re.escape, noun)) + r"\s+\w")
        found: list[tuple[Chunk, int, int]] = []
        for c in self.tree.of_document(request.named_docs[0]):
            m = phrase.search(fold(c.text).lower())
            if m is None or c.boilerplate:
                continue
            span = next(((a, b) for a, b in sentence_spans(c.text) if a <= m.start() < b), None)
            # the sentence sets one up: the noun right after its opening verbs ("Xây dựng bộ …", "Cập
            # nhật, hoàn thiện bộ …"), not a mention deep in it ("…, có bộ tiêu chí đánh giá cụ thể")
            if span is not None and len(re.findall(r"\w+", c.text[span[0] : m.start()])) <= SCATTERED_LEAD:
                if len(self.tree.children(c)) >= 2:
                    return None  # a heading the noun names ("6. Hệ thống dự án …"): its own items answer
                found.append((c, *span))
        if not 2 <= len(found) <= SHORT_LIST:
            return None
        book = _SourceBook(request.sources)
        label = found[0][0].label.split(",")[0]  # the document's name: the clauses stand over it
        out = [DraftSentence(self.prompts.render("intro_list", label=label), [], framing=True)]
        for c, a, b in found:
            n = book.number(c, request)
            out.append(DraftSentence(shown_text(c.text[a:b]), [n], {n: c.text[a:b]}, bullet=True))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _phrased(self, request: GenerationRequest, ask: Ask) -> Draft | None:
        """A list of what clauses of the one named document say, asked by their own words
        ("những cơ quan, tổ chức đảng nào phải báo cáo … định kỳ ngày 25 hằng tháng": the
        items of "2. Trách nhiệm của các đảng ủy …" that end so; "những quy định nào liên quan
        tới cơ sở giáo dục đại học công lập phải được rà soát, sửa đổi": tiết l, m of điểm 2 and
        tiết i of điểm 4): the longest run of the question's words (PHRASED_WORDS or more, three
        of them no number) that two to PHRASED_CLAUSES clauses without items of their own say
        word for word; each clause's opening sentence (who or what it is of) and the sentence
        saying the run. None when no run is said so."""
        if ask.count or len(request.named_docs) != 1:
            return None
        top = {s.chunk.id for s in request.sources if s.retrieved and s.rank <= PHRASED_TOP}
        cues = self.cues(request.focus or request.question)
        runs = [re.findall(r"\w+", part) for part in re.split(r"[^\w\s]", cues)]
        first = {" ".join(w[i : i + PHRASED_WORDS]) for w in runs for i in range(len(w) - PHRASED_WORDS + 1)}
        # perf: only the clauses saying one of the question's runs of PHRASED_WORDS words are read on
        clauses = [
            (c, said)
            for c in self.tree.of_document(request.named_docs[0])
            if not c.boilerplate and not self.tree.children(c) and (said := self._word_runs(c))[1] & first
        ]
        found: list[Chunk] = []
        for n in range(max(map(len, runs), default=0), PHRASED_WORDS - 1, -1):
            for words in runs:
                for i in range(len(words) - n + 1):
                    run = words[i : i + n]
                    if sum(not w.isdigit() for w in run) < PHRASED_WORDS - 1:
                        continue
                    phrase = f" {' '.join(run)} "
                    hits = [c for c, (text, _) in clauses if phrase in text]
                    found_top = sum(c.id in top for c in hits)
                    if 2 <= len(hits) <= PHRASED_CLAUSES and found_top >= 2 and len(hits) > len(found):
                        found, best_run = hits, run
            if found:
                break
        if not found:
            return None
        run_said = re.compile(r"\b" + r"\s+".join(best_run) + r"\b")
        book = _SourceBook(request.sources)
        label = found[0].label.split(",")[0]  # the document's name: the clauses stand over it
        out = [DraftSentence(self.prompts.render("intro_list", label=label), [], framing=True)]
        for c in found:
            at = m.start() if (m := run_said.search(fold(c.text).lower())) is not None else 0
            spans = [(a, b) for a, b in sentence_spans(c.text, item_body(c)[0]) if b - a > 3]
            opening = spans[:1] if c.part <= 1 else []  # a later part of a clause opens with no subject of it
            shown = opening + [sp for sp in spans if sp[0] <= at < sp[1]]
            n = book.number(c, request)
            for a, b in dict.fromkeys(shown):
                out.append(DraftSentence(shown_text(c.text[a:b]), [n], {n: c.text[a:b]}, bullet=(a, b) == shown[0]))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _word_runs(self, chunk: Chunk) -> tuple[str, frozenset[str]]:
        """The chunk's runs of words with no mark between them, folded, each as " w1 w2 … "
        (a run of the question said in the text is a substring of it), and every PHRASED_WORDS
        words in a row of them; cached by the chunk (perf)."""
        cached = self._runs_cache.get(chunk.id)
        if cached is not None and cached[0] is chunk.text:
            return cached[1], cached[2]
        segments = [m.group(0).split() for m in re.finditer(r"\w+(?:\s+\w+)*", fold(chunk.text).lower())]
        text = "\n".join(f" {' '.join(w)} " for w in segments)
        grams = frozenset(
            " ".join(w[i : i + PHRASED_WORDS]) for w in segments for i in range(len(w) - PHRASED_WORDS + 1)
        )
        self._runs_cache[chunk.id] = (chunk.text, text, grams)
        return text, grams

    def _items_opening(self, request: GenerationRequest, ask: Ask) -> Plan | None:
        """ "… quy định trách nhiệm của mấy chủ thể?": the words right before the count ("trách
        nhiệm của") open every item of one heading ("a) Trách nhiệm của Thường trực …", "b) Trách
        nhiệm của thành viên …"): each item is one of the counted; among the named documents (or
        those of the best clauses), the heading standing above a top clause first."""
        m = self.rules.pattern("items_opening").search(question_cues(request.focus or request.question))
        if m is None:
            return None
        opening = m.group(1).split()
        docs = list(dict.fromkeys([*request.named_docs, *(s.chunk.doc_id for s in request.sources if s.retrieved)]))
        top = [s.chunk for s in request.sources if s.retrieved and s.rank <= 3]
        found = []
        for doc in docs[:3]:
            for head, kids in self.tree.heads(doc):
                if all(self.tree.words(k)[: len(opening)] == opening for k in kids):
                    above = any(head.id == c.id or head in self.tree.ancestors(c) for c in top)
                    found.append((not above, head, kids))
            if found:
                break
        if not found:
            return None
        found.sort(key=lambda f: f[0])
        if len(found) > 1 and found[0][0] == found[1][0]:
            return None  # two such headings, none nearer the question than the other
        _, head, kids = found[0]
        return Plan(head, kids, noun_match=True, score=1.0)

    def _named_bare_heading(self, request: GenerationRequest, plan: Plan | None) -> Chunk | None:
        """A numbered point among the best clauses found that the question names by its title
        line (NAMED_HEADING of its words, NAMED_WORDS or more, besides fillers), that has no items
        of its own but a run of sentences under its title, when the plan's heading is not named
        so well ("… những cách nào để hợp tác và hội nhập quốc tế về khoa học và công nghệ" of
        "6- Hợp tác và hội nhập quốc tế về khoa học và công nghệ" and its paragraphs)."""
        asked = set(re.findall(r"\w+", question_cues(request.focus or request.question)))
        skip = self.rules.word_set("heading_fillers") | self.rules.word_set("noun_stop")

        def named(chunk: Chunk) -> float:
            words = [w for w in self.tree.words(chunk) if w not in skip and not w.isdigit()]
            if len(set(words)) < NAMED_WORDS:
                return 0.0
            return sum(w in asked for w in set(words)) / len(set(words))

        best: tuple[float, Chunk] | None = None
        for s in request.sources:
            if not s.retrieved or s.rank > 3:
                continue
            head = s.chunk
            if head.part > 1:  # a later part of a long point: the point's first part, its title
                head = next(
                    (c for c in self.tree.of_document(head.doc_id) if c.path == head.path and c.part <= 1), head
                )
            if head is None or head.kind not in ("number", "letter", "roman", "subnumber") or self.tree.children(head):
                continue
            share = named(head)
            if share >= NAMED_HEADING and (best is None or share > best[0]):
                best = (share, head)
        if best is None:
            return None
        if plan is not None and plan.noun_match and named(plan.head) >= best[0]:
            return None
        return best[1]

    def _sentences(self, request: GenerationRequest, chunk: Chunk, titled: bool = False) -> Draft | None:
        """An item whose content is a run of sentences, one cited line each ("Nội dung: Phát
        triển … (PQC). Phát triển các thuật toán … Đào tạo …"); None for a single sentence.
        titled: the item's first line is its title, the sentences are those under it."""
        start, line = item_body(chunk)
        if titled:  # "6- Hợp tác và hội nhập quốc tế …" over its paragraphs (maybe in the later parts)
            start = chunk.text.find("\n", start) + 1 if "\n" in chunk.text else len(chunk.text)
        elif (
            ":" not in line and "\n" in chunk.text and len(line.split()) <= LABEL_WORDS
        ):  # a bare label: the text under it
            start = chunk.text.find("\n", start) + 1
        spans = [(chunk, a, b) for a, b in sentence_spans(chunk.text, start) if b - a > 3]
        for part in self.tree.parts(chunk)[1:]:  # a long item split in parts: all of it
            spans += [(part, a, b) for a, b in sentence_spans(part.text) if b - a > 3]
        if len(spans) < 2:
            return None
        book = _SourceBook(request.sources)
        out = [DraftSentence(self.prompts.render("intro_list", label=_whole(chunk.label)), [], framing=True)]
        for c, a, b in spans[:MAX_ITEMS]:
            n = book.number(c, request)
            out.append(DraftSentence(shown_text(c.text[a:b]), [n], {n: c.text[a:b]}, bullet=True))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _subject_item(self, plan: Plan, ask: Ask, focus: str) -> Chunk | None:
        """The one item of the list that opens with the question's subject ("Ban Chỉ đạo
        thực hiện Nghị quyết 57 của Chính phủ có những trách nhiệm gì": "- Ban Chỉ đạo thực
        hiện Nghị quyết số 57-NQ/TW của Chính phủ lãnh đạo, …", one of six bodies'
        duties): what is asked is that item's content."""
        if ask.count or plan.numbered or plan.groups or len(plan.items) < 3:
            return None
        cues = self.cues(focus)
        m = self.rules.pattern("asked_phrase").search(cues)
        if m is None:
            return None
        skip = self.rules.word_set("noun_stop") | self.rules.word_set("question_words")
        said = self.rules.pattern("document_number").sub(" ", cues[: m.start()])
        said = self.rules.pattern("document_reference").sub(" ", said)  # "kế hoạch đó nói …"
        # "… giao Đảng ủy Quốc hội …": the body is the subject, not the verb that assigns to it
        marked = has_diacritics(focus)
        for verb in self.rules.pattern("assign_verb" if marked else "assign_verb_folded").finditer(
            focus if marked else fold(focus).lower()
        ):
            said = compiled(rf"\b{re.escape(fold(verb.group(0)).lower())}\b").sub(" ", said, count=1)
        subject = {w for w in re.findall(r"\w+", said) if w not in skip and not w.isdigit()}
        if len(subject) < SUBJECT_WORDS:
            return None
        found = [c for c in plan.items if subject <= set(re.findall(r"\w+", fold(first_line(c)))[:SUBJECT_OPENING])]
        return found[0] if len(found) == 1 and not self.tree.children(found[0]) else None

    def _enumerated(self, request: GenerationRequest, ask: Ask, evidence: Evidence) -> Draft | None:
        """A count or list that one sentence answers by naming the noun's members in a
        row ("… gắn với Nghị quyết Đại hội lần thứ XIII, Nghị quyết số 29-NQ/TW …, Nghị
        quyết số 45-NQ/TW …": "mấy nghị quyết"): the count of the names, then each name,
        cited. The sentence is the one naming most among the best retrieved (a name the
        question gives itself, "ngoài Nghị quyết 20", is not counted); None when none names
        two or more."""
        noun = " ".join(ask.noun.split()[:2])
        if not noun or _made_of(noun.split(), self.structural_nouns(count=True)):
            return None
        ranked = evidence.ranked[: ENUMERATION_UNITS * 2]
        if not ranked:
            return None
        own = set(re.findall(r"\d+", fold(request.focus or request.question)))
        best: tuple[int, float, Chunk, list[tuple[int, int]], tuple[int, int] | None] | None = None
        for u in ranked:
            if u.score < ENUMERATION_SHARE * ranked[0].score and not (u.source.retrieved and u.source.rank <= 3):
                continue  # a weak sentence, unless of one of the best clauses found
            names = [(a, b) for a, b in _named_run(u.text, noun) if not _names_number(u.text[a:b], own)]
            row: tuple[int, int] | None = None
            if len(names) < 2 and ask.count:  # "… lĩnh vực mũi nhọn như a, b, c và d": the noun's row of items
                names = _noun_row(u.text, noun, self.rules.pattern("row_opening"))
                row = (u.start, u.end) if names else None
            if len(names) >= 2 and (best is None or len(names) > best[0]):
                best = (len(names), u.score, u.source.chunk, [(u.start + a, u.start + b) for a, b in names], row)
        if best is None:
            return None
        _, _, chunk, spans, row = best
        book = _SourceBook(request.sources)
        n = book.number(chunk, request)
        shown = self._noun_text(ask.noun, Plan(chunk, []), request.focus or request.question, (chunk.text,))
        if row is not None and (said := _row_noun(chunk.text, spans[0][0], noun)):
            shown = said  # "gồm 4 ngành công nghiệp mũi nhọn": the noun as the sentence writes it before its row
        label = _whole(chunk.label)
        line = (
            self.prompts.render("list_count_intro", label=label, count=len(spans), noun=shown)
            if ask.count
            else self.prompts.render("intro_list", label=label)
        )
        out = [DraftSentence(line, [], framing=True)]
        if row is not None:  # plain items of one sentence: that sentence, quoted whole, says them
            text = chunk.text[row[0] : row[1]].strip()
            out.append(DraftSentence(text, [n], {n: text}))
            return Draft(out, sources=book.added, structured=True, confidence=1.0)
        for a, b in spans:
            text = chunk.text[a:b]
            out.append(DraftSentence(text, [n], {n: text}, bullet=True))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _enumerates_better(self, plan: Plan, focus: str, ask: Ask, evidence: Evidence) -> bool:
        """The best sentence, outside the heading, names the noun's members in a row and
        covers the question by far better than the heading's line: the question asks of that
        sentence's names ("Về phát triển mạnh mẽ công nghiệp tự chủ, … trọng tâm là mấy sáng
        kiến?": "(trọng tâm: Hệ thống 2, Sáng kiến 4, Sáng kiến 6, Sáng kiến 8)"), not of a
        heading about the noun elsewhere."""
        best = evidence.best
        noun = " ".join(ask.noun.split()[:2])
        if plan.placed or best is None or not noun or _under(best.source.chunk, plan.head):
            return False
        if len(_named_run(best.text, noun)) < 2 and not (
            ask.count and _noun_row(best.text, noun, self.rules.pattern("row_opening"))
        ):
            return False
        heading_cov = self.scorer.coverage(focus, " ".join([*plan.head.breadcrumb[-1:], first_line(plan.head)]))
        return heading_cov + GENERIC_MARGIN < best.score - (evidence.scale - 1.0) * best.coverage

    def _two_levels(self, plan: Plan) -> bool:
        """The plan as groups and their items, for a total asked with its groups: the
        grouped numbered items as they are, else the heading's items as the groups when
        each holds two or more items of its own (the items counted are theirs)."""
        if plan.groups:
            return True
        if plan.numbered:  # "Sáng kiến 16" … "Sáng kiến 20": the counted items themselves, not groups
            return False
        kids = [self.tree.children(c) for c in plan.items]
        if len(kids) < 2 or not all(len(k) >= 2 for k in kids):
            return False
        plan.groups = [(c, list(k)) for c, k in zip(plan.items, kids)]
        plan.items = [c for k in kids for c in k]
        plan.statement = None  # a sentence counting the groups does not count the total
        return True

    def _named_heading(self, plan: Plan, request: GenerationRequest, ask: Ask) -> bool:
        """The question names the heading by its own words ("phần tổ chức thực hiện",
        "giai đoạn 2028 - 2030", "bổ sung các chính sách … Luật Công nghiệp công nghệ số"),
        the heading standing above (or being) a top clause: a count of whatever noun is the
        count of its items (a sentence stating the count still answers first)."""
        if plan.numbered or len(plan.items) < 2:
            return False
        skip = self.rules.word_set("heading_fillers") | self.rules.word_set("question_words")
        _, line = item_body(plan.head)
        name = line.split(":", 1)[0]  # "Giai đoạn 2028 - 2030: Tăng tốc, …" is named by its part before the colon
        words = [w for w in re.findall(r"\w+", fold(name))[:16] if w not in skip]
        alpha = sum(not w.isdigit() for w in words)
        # "II- MỤC TIÊU", "Đến năm 2030": too common to name it; a span of years names a period ("Giai đoạn 2028 - 2030")
        if alpha < NAMED_WORDS and not (alpha >= 2 and len(words) - alpha >= 2):
            return False
        asked = re.findall(r"\w+", question_cues(request.focus or request.question))
        if sum(w in asked for w in words) < NAMED_HEADING * len(words):
            return False
        # what else the question says is said by the headings above or is the noun: at most a verb or two,
        # unless it names the heading as a part ("phần tổ chức thực hiện … giao nhiệm vụ cho mấy chủ thể")
        above = {w for a in self.tree.ancestors(plan.head) for w in self.tree.words(a)}
        known = set(words) | above | set(ask.noun.split()) | skip | self.rules.word_set("noun_stop")
        named = " ".join(re.findall(r"\w+", fold(name)))
        as_part = compiled(rf"\b(?:{'|'.join(self.rules.word_set('part_nouns'))})\s+{re.escape(named)}\b").search(
            " ".join(asked)
        )
        # or it names the heading as what is divided ("chia mốc thời gian thực hiện … thành mấy giai đoạn")
        as_part = as_part or compiled(
            rf"\b(?:{'|'.join(self.rules.word_set('partition_verbs'))})\s+{re.escape(named)}\b(?:\s+\w+){{0,4}}"
            rf"\s+(?:thanh|lam)\s+(?:may|bao nhieu)\b"
        ).search(" ".join(asked))
        if not as_part and sum(w not in known and not w.isdigit() for w in dict.fromkeys(asked)) > NAMED_LEFTOVER:
            return False
        top = [s.chunk for s in request.sources if s.retrieved and s.rank <= 3]
        return any(plan.head.id == c.id or plan.head in self.tree.ancestors(c) for c in top)

    def _part_named(self, plan: Plan, focus: str) -> Chunk | None:
        """The one heading of the plan's document, other than the plan's and below it, that
        the question names as a part by its whole name ("phần tổ chức thực hiện" of "7. Tổ
        chức thực hiện", under the opening of Kết luận 69 whose last sentence counts its
        points): the count asked is of that part's items."""
        asked = " ".join(re.findall(r"\w+", question_cues(focus)))
        parts = "|".join(self.rules.word_set("part_nouns"))
        skip = self.rules.word_set("heading_fillers")
        found = []
        for head, kids in self.tree.heads(plan.head.doc_id):
            if head.id == plan.head.id or plan.head not in self.tree.ancestors(head):
                continue
            _, line = item_body(head)
            name = [w for w in re.findall(r"\w+", fold(line.split(":", 1)[0]))[:12] if not w.isdigit()]
            if sum(w not in skip for w in name) < 2:
                continue
            joined = " ".join(name)  # perf (issue 13): no match without the name as written
            if joined in asked and re.search(rf"\b(?:{parts})\s+{re.escape(joined)}\b", asked):
                found.append(head)
        return found[0] if len(found) == 1 else None

    def _says_subject(self, plan: Plan, ask: Ask) -> bool:
        """The heading (with the headings above it and its document's title) says every
        word of the subject a list is asked of, and is about its noun."""
        if not plan.noun_match:
            return False
        title = next((c for c in self.tree.of_document(plan.head.doc_id) if c.kind == "title"), None)
        lines = [plan.head, *self.tree.ancestors(plan.head), *([title] if title is not None else [])]
        have = {w for c in lines for w in self.tree.words(c)} | set(fold(plan.head.label).split())
        # "mục 3 … gồm những gì" of "Mục III": its place numbered as the asker does too
        have |= {arabic_place(part).rpartition(" ")[2] for c in lines for part in self.tree.place(c)}
        skip = self.rules.word_set("noun_stop") | self.rules.word_set("question_words")
        return all(w in have for w in ask.said if w not in skip)

    def _says_only_noun(self, weights: dict[str, float], noun: str) -> bool:
        """The question's words (its document's name taken out) are the asked noun and the
        words that frame a count or list (answers.toml count_frame, question_words)."""
        frame = set(noun.split()) | self.rules.word_set("count_frame") | self.rules.word_set("question_words")
        return bool(weights) and all(set(fold(t.lstrip("~")).lower().split("_")) <= frame for t in weights)

    def _recipients(self, request: GenerationRequest, ask: Ask | None) -> Draft | None:
        """A list or count of where the named document is sent ("Nghị quyết 03/NQ-CP được gửi
        tới những cơ quan nào", "… gửi cho bao nhiêu nơi": answers.toml sent_to): the items of
        its recipient list ("Nơi nhận:"), counted, each cited. None when the question does not
        ask so, names no one document, or the document has no such list."""
        focus = request.focus or request.question
        plan = self._recipient_plan(request)
        if plan is None:
            return None
        if ask is None:  # "gửi cho những ai", "gửi cho bao nhiêu nơi": no list noun of the tree's own
            ask = Ask(bool(self.rules.search("count", question_cues(focus))), "")
        return self._compose(request, plan, replace(ask, noun="noi nhan", shown="", groups=False, outer=""))

    def _bases(self, request: GenerationRequest, ask: Ask | None) -> Draft | None:
        """A count or list of the legal bases of the one document named ("Kế hoạch 01 căn cứ vào
        mấy văn bản", "Nghị quyết 03 được ban hành căn cứ những văn bản nào": answers.toml
        based_on): the "Căn cứ <Văn bản> …" lines of its preamble (the clauses before its first
        heading or article), counted, each cited. None when the question does not ask so,
        names no one document, or its preamble has fewer than two such lines."""
        focus = request.focus or request.question
        docs = list(dict.fromkeys(request.named_docs))
        cues = question_cues(focus)
        if len(docs) != 1 or not self.rules.search("based_on", cues):
            return None
        count = ask.count if ask is not None else bool(self.rules.search("count", cues))
        if ask is None and not count and not self.rules.search("list", cues):
            return None
        line = self.rules.pattern("basis_line")
        found: list[tuple[Chunk, int, int]] = []
        for chunk in self.tree.of_document(docs[0]):
            if chunk.kind not in PREAMBLE_KINDS:
                break  # the body begins: a "Căn cứ vào chức năng …" there is no legal basis
            folded = fold_aligned(chunk.text).lower()
            for m in line.finditer(folded):
                if not chunk.text[m.end() : m.end() + 1].isupper():
                    continue  # "Căn cứ kết quả thực hiện …": not a document
                a = folded.index("can cu", m.start())
                end = chunk.text.find("\n", a)
                text = chunk.text[a : end if end >= 0 else len(chunk.text)].rstrip(" ;,.")
                found.append((chunk, a, a + len(text)))
        if len(found) < 2:
            return None
        book = _SourceBook(request.sources)
        label = found[0][0].label.split(", ")[0]
        name = "bases_count" if count else "bases_list"
        extra = {"count": len(found)} if count else {}
        out = [DraftSentence(self.prompts.render(name, label=label, **extra), [], framing=True)]
        for chunk, a, b in found:
            n = book.number(chunk, request)
            text = chunk.text[a:b]
            out.append(DraftSentence(text, [n], {n: text}, bullet=True))
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _recipient_plan(self, request: GenerationRequest) -> Plan | None:
        """The recipient list ("Nơi nhận:") of the one document named, when the question asks
        where it is sent (answers.toml sent_to); None otherwise."""
        docs = list(dict.fromkeys(request.named_docs))
        if len(docs) != 1 or not self.rules.search("sent_to", question_cues(request.focus or request.question)):
            return None
        head = next((c for c in self.tree.of_document(docs[0]) if c.kind in LISTED_BOILERPLATE), None)
        if head is None or len(kids := self.tree.children(head)) < 2:
            return None
        return Plan(head, kids, noun_match=True)

    def _misses_body(self, plan: Plan, focus: str) -> bool:
        """The question names a body of the administration (entities.toml bodies) as the
        holder of the tasks asked (answers.toml body_assigned_*: "giao bao nhiêu nhiệm vụ cho
        Bộ Y tế", "Bộ Tài chính chủ trì mấy nhiệm vụ") that neither the heading, the headings above it,
        its items nor its document's title say: the heading's list is not the body's, and
        its count would be made up for it."""
        folded = fold(focus).lower()
        named = [
            b
            for b in _bodies()
            if b in folded  # perf (issue 13): the pattern below only matches where b is written
            for m in compiled(rf"(?<!\w){re.escape(b)}(?!\w)").finditer(folded)
            if self.rules.search("body_assigned_before", folded[: m.start()])
            or self.rules.search("body_assigned_after", folded[m.end() :])
        ]
        if not named:
            return False
        head = plan.head
        title = next((c.text[:300] for c in self.tree.of_document(head.doc_id) if c.kind == "title"), "")
        lines = [title, head.text, *(first_line(c) for c in self.tree.ancestors(head))]
        scope = fold(" ".join([*lines, *(c.text for c in plan.items[:MAX_ITEMS])])).lower()
        longest = max(named, key=len)  # "ủy ban nhân dân các tỉnh", not its "ủy ban nhân dân"
        return re.search(rf"(?<!\w){re.escape(longest)}(?!\w)", scope) is None

    def _belongs(self, request: GenerationRequest, evidence: Evidence | None) -> Draft | None:
        """ "Việc này thuộc nhóm nhiệm vụ nào?": the heading the best clause stands under
        (the nearest one naming the asked noun, else its parent), cited, then the clause."""
        m = self.rules.pattern("belongs").search(question_cues(request.focus or request.question))
        if m is None or evidence is None or evidence.best is None:
            return None
        clause = evidence.best.source.chunk
        if clause.kind == "title" or self.tree.parent(clause) is None:
            return None
        words = m.group(1).split()
        ancestors = [a for a in self.tree.ancestors(clause) if a.kind != "title"]
        if not ancestors:
            return None
        path = [clause, *ancestors]  # path[i + 1] is the parent of path[i]
        if words[0] in self.rules.word_set("group_nouns"):
            # "nhóm nhiệm vụ nào": the item, on the clause's path, of the heading about nhiệm vụ
            # ("II. NHIỆM VỤ CỤ THỂ" › "3. Tăng cường …"); a bare "nhóm nào": of the top heading
            content = " ".join(words[1:3])
            above = next(
                (i for i in range(1, len(path)) if content and content in fold(first_line(path[i]))), len(path) - 1
            )
            head = path[above - 1] if above >= 2 else ancestors[0]
        else:
            noun = " ".join(words[:2])
            head = next((a for a in ancestors if noun in fold(first_line(a))), ancestors[0])
        book = _SourceBook(request.sources)
        x, y = title_span(head)
        n = book.number(head, request)
        out = [
            DraftSentence(
                self.prompts.render("belongs_intro", label=_whole(clause.label), parent=_whole(head.label)),
                [],
                framing=True,
            ),
            DraftSentence(shown_text(head.text[x:y]), [n], {n: head.text[x:y]}),
            self._item(clause, book, request),
        ]
        return Draft(out, sources=book.added, structured=True, confidence=1.0)

    def _counted_elsewhere(self, plan: Plan, focus: str, ask: Ask, evidence: Evidence) -> bool:
        """A count question whose heading is found by its own counting sentence, where a
        retrieved sentence puts a number right before the noun ("chính quyền 3 cấp") and
        covers the question better than the heading and its sentence: that sentence answers."""
        if not ask.count or plan.statement is None or plan.numbered or not ask.noun:
            return False
        chunk, x, y = plan.statement
        own = self.scorer.coverage(focus, " ".join([first_line(plan.head), chunk.text[x:y]]))
        near = re.compile(rf"(?<![\d.,])\d{{1,3}}\s+{re.escape(' '.join(ask.noun.split()[:2]))}\b")
        for u in evidence.ranked[:5]:
            if u.source.chunk.id == chunk.id and u.start <= x < u.end:
                continue
            if near.search(fold(u.text)) and self.scorer.coverage(focus, u.text) >= own + COUNT_MARGIN:
                return True
        return False

    def _subject_elsewhere(self, plan: Plan, request: GenerationRequest, ask: Ask, evidence: Evidence) -> bool:
        """What the question says besides the asked noun (its subject: "viện hàn lâm tham gia
        nghiên cứu chung … quốc tế") is not what the heading is about: a retrieved sentence
        holds it and neither the heading (with its path and items) nor a clause under it
        does, the heading standing above no top clause."""
        if plan.numbered or plan.titles_only or not ask.noun:
            return False
        head = plan.head
        noun = set(ask.noun.split()[:2])
        named = self.scorer.token_set(head.label.split(",")[0])  # the document's own name: in every label
        if ask.count:
            # a count's subject is neither the noun counted (with its marks, in the documents' words
            # or the asker's) nor the words that only frame the count ("… có tất cả bao nhiêu điểm")
            left = noun | set(ask.shown.split()[:2]) | self.rules.word_set("count_frame")
            rest = {
                t: w
                for t, w in self._weights(request.focus or request.question).items()
                if "_" not in t and fold(t.lstrip("~")) not in left and t not in named  # words, not pairs
            }
        else:
            rest = {
                t: w
                for t, w in self._weights(request.focus or request.question).items()
                if "_" not in t and t.lstrip("~") not in noun and t not in named  # words, not pairs
            }
        if sum(rest.values()) <= 0:
            return False
        scope = " ".join([*head.breadcrumb, first_line(head)])
        items = [self.scorer.coverage("", first_line(c), rest) for c in plan.items[:MAX_ITEMS]]
        own = self.scorer.coverage("", scope, rest)
        said = max((self.scorer.coverage("", u.scope or u.text, rest) for u in evidence.ranked[:5]), default=0.0)
        top = [s.chunk for s in request.sources if s.retrieved and s.rank <= 3]
        above = any(head.id == c.id or head in self.tree.ancestors(c) for c in top)
        under = {c.id for c in plan.items} | {head.id}
        inside = any(
            u.source.chunk.id in under or head in self.tree.ancestors(u.source.chunk) for u in evidence.ranked[:3]
        )
        return (
            not above
            and not inside
            and plan.statement is None
            and said >= SUBJECT_SAID
            and max([own, *items]) < SUBJECT_MISSED
        )

    def _misses_anchor(self, plan: Plan, focus: str, evidence: Evidence) -> bool:
        """The question pins down what the heading does not hold: a number ("Sáng kiến 10",
        "giai đoạn 2025 - 2027") or a rare word ("EdTech") that a retrieved sentence has
        and neither the heading, its path, its document's title nor its items say."""
        head = plan.head
        title = next((c.text[:300] for c in self.tree.of_document(head.doc_id) if c.kind == "title"), "")
        scope = " ".join(
            [title, head.label, *head.breadcrumb, first_line(head), *(first_line(c) for c in plan.items[:MAX_ITEMS])]
        )
        # its place's Roman numbers as numbers too ("phụ lục 2" of "Phụ lục II")
        have = self.scorer.token_set(scope) | {
            n for part in self.tree.place(head) if (n := arabic_place(part).rpartition(" ")[2]).isdigit()
        }
        said = set().union(*(self.scorer.token_set(u.scope or u.text) for u in evidence.ranked[:10]))
        asking = self.rules.word_set("question_words") | self.rules.word_set("name_words")
        for t in dict.fromkeys(self.scorer.tokens(focus)):
            if "_" in t or t.startswith("~") or t in have or t not in said or t in asking:
                continue
            if t.isdigit() or self.scorer.idf(t) >= RARE_IDF:
                return True
        return False

    def _heading_hit(self, request: GenerationRequest, evidence: Evidence | None = None) -> Draft | None:
        """ "Mục tiêu đến năm 2030 là gì?" and the best clause is the bare heading "1. Đến
        năm 2030": its items; not when a value is asked (a date, a body) or a sentence
        under it says what is asked far better than the heading."""
        top = next((s for s in request.sources if s.retrieved), None)
        if top is None or len(top.chunk.text) >= 120 or "\n" in top.chunk.text:
            return None
        focus = request.focus or request.question
        if evidence is not None:
            if asks_value(evidence.folded):
                return None
            heading = " ".join([*top.chunk.breadcrumb[-1:], first_line(top.chunk)])
            best = evidence.best
            if best is not None and best.coverage > self.scorer.coverage(focus, heading) + ONE_ITEM_MARGIN:
                return None
        kids = self.tree.children(top.chunk)
        if len(kids) < 2:
            return None
        return self._compose(request, Plan(top.chunk, kids), Ask(False, ""), count_line=False)

    def _compose(self, request: GenerationRequest, plan: Plan, ask: Ask, count_line: bool = True) -> Draft:
        book = _SourceBook(request.sources)
        out: list[DraftSentence] = []
        items = plan.items[:MAX_ITEMS]
        said = tuple(u.text for u in request.evidence.ranked[:10]) if request.evidence is not None else ()
        asked = ask.shown or ask.noun if ask.counted else ""
        noun = self._noun_text(asked, plan, request.focus or request.question, said) if asked else ""
        if re.search(
            r"\s(?:\d{1,3}|[ivxIVX]{1,4})$", noun
        ):  # "phụ lục II gồm những gì": a part named, not a noun counted
            noun = ""
        # "Phụ lục I có mấy nhóm sáng kiến": the groups of the numbered items counted, then their total
        grouped = bool(ask.groups and plan.groups and count_line and noun and plan.noun_match and len(plan.items) >= 2)
        if ask.groups and noun and not grouped:
            noun = "nhóm " + noun
        label = plan.label or _whole(plan.head.label)
        total = grouped or bool(
            ask.outer and plan.groups and count_line and noun and plan.noun_match and len(plan.items) >= 2
        )
        if total:  # "mấy nhóm, tổng cộng bao nhiêu nhiệm vụ": both counts, read from the structure
            outer = (
                "nhóm " + noun if grouped else self._noun_text(ask.outer, plan, request.focus or request.question, said)
            )
            family = "list_count_each" if ask.each else "list_count_total"
            line = self.prompts.render(
                family, label=label, groups=len(plan.groups), outer=outer, count=len(plan.items), noun=noun
            )
            out.append(DraftSentence(line, [], framing=True))
            if plan.statement is not None:  # the text's own counting sentence, cited
                chunk, x, y = plan.statement
                n = book.number(chunk, request)
                out.append(DraftSentence(shown_text(chunk.text[x:y]), [n], {n: chunk.text[x:y]}))
        elif plan.statement is not None:  # the text counts them itself: that sentence, cited
            chunk, x, y = plan.statement
            n = book.number(chunk, request)
            if count_line and noun and plan.noun_match and ask.count:  # the count asked, first
                line = self.prompts.render("list_count_intro", label=label, count=len(plan.items), noun=noun)
            else:
                line = self.prompts.render("intro_list", label=_whole(chunk.label))
            out.append(DraftSentence(line, [], framing=True))
            out.append(DraftSentence(shown_text(chunk.text[x:y]), [n], {n: chunk.text[x:y]}))
        elif count_line and noun and plan.noun_match and len(plan.items) >= 2:
            # the count read from the structure frames the cited items below it (it is no quote)
            if plan.groups:
                line = self.prompts.render(
                    "list_count_groups", label=label, count=len(plan.items), noun=noun, groups=len(plan.groups)
                )
            else:
                line = self.prompts.render("list_count_intro", label=label, count=len(plan.items), noun=noun)
            out.append(DraftSentence(line, [], framing=True))
        else:
            out.append(DraftSentence(self.prompts.render("intro_list", label=label), [], framing=True))
        if plan.statement is None and not plan.label:
            out.append(self._lead(plan.head, book, request) or self._heading(plan.head, book, request))
        each = bool(ask.each and total and not grouped)
        if plan.groups:
            if not total and (plan.statement is not None or not (count_line and noun and plan.noun_match)):
                out.append(DraftSentence(self.prompts.render("list_groups", count=len(plan.groups)), [], framing=True))
            shown = 0
            for group, members in plan.groups:
                n = book.number(group, request)
                x, y = title_span(group)
                out.append(DraftSentence(group.text[x:y], [n], {n: group.text[x:y]}, group=True))
                if each:  # the group's own count, read from the structure, before its items
                    line = self.prompts.render("list_group_count", count=len(members), noun=noun)
                    out.append(DraftSentence(line, [], framing=True))
                for c in members:
                    if shown < MAX_ITEMS:
                        out.append(self._item(c, book, request))
                        shown += 1
        else:
            short = len(items) <= SHORT_LIST
            out.extend(self._item(c, book, request, plan.titles_only, short) for c in items)
        if len(plan.items) > len(items):
            out.append(
                DraftSentence(self.prompts.render("list_more", more=len(plan.items) - len(items)), [], framing=True)
            )
        anchors = (plan.head,) if plan.placed else ()
        return Draft(
            out,
            sources=book.added,
            structured=True,
            confidence=1.0 if plan.noun_match else 0.0,
            anchors=anchors,
            each=each,
        )

    def _lead(self, head: Chunk, book: _SourceBook, request: GenerationRequest) -> DraftSentence | None:
        """A document's opening text whose last sentence leads into its points ("… Bộ Chính
        trị yêu cầu … tập trung thực hiện tốt một số nhiệm vụ trọng tâm sau:"): that
        sentence, cited, rather than the document's first one."""
        if head.kind != "title":
            return None
        last = self.tree.parts(head)[-1]
        spans = sentence_spans(last.text)
        if not spans or not last.text[spans[-1][0] : spans[-1][1]].rstrip().endswith(":"):
            return None
        x, y = spans[-1]
        n = book.number(last, request)
        return DraftSentence(shown_text(last.text[x:y]), [n], {n: last.text[x:y]})

    @staticmethod
    def _heading(head: Chunk, book: _SourceBook, request: GenerationRequest) -> DraftSentence:
        """The heading the items stand under, cited: its own opening sentence when it has
        one ("Nhằm đạt được mục tiêu … tập trung thực hiện các nhiệm vụ sau:"), else its
        heading line ("III- DANH SÁCH ĐỊNH HƯỚNG CÁC SÁNG KIẾN ĐỘT PHÁ")."""
        n = book.number(head, request)
        first = len(head.text.split("\n", 1)[0])
        body = [span for span in sentence_spans(head.text, first) if span[1] - span[0] > 20]
        if body:
            x, y = body[0]
            return DraftSentence(shown_text(head.text[x:y]), [n], {n: head.text[x:y]})
        x, y = title_span(head)
        return DraftSentence(shown_text(head.text[x:y]), [n], {n: head.text[x:y]})

    @staticmethod
    def _item(
        chunk: Chunk, book: _SourceBook, request: GenerationRequest, titles_only: bool = False, short: bool = False
    ) -> DraftSentence:
        """One item: its title; a bare heading ("a) Nội dung chính") with the first sentence
        of the text under it; an item without a title, of a short list, whole up to
        SHORT_LIST_CHARS ("- Tập trung tuyên truyền …, Nghị quyết số 03/NQ-CP và phát động
        phong trào thi đua …": the few items a short list has are read in full)."""
        n = book.number(chunk, request)
        a, b = title_span(chunk, SHORT_LIST_CHARS if short else TITLE_CHARS)
        text = chunk.text[a:b]
        rest = chunk.text[b:]
        line_end = chunk.text.find("\n")
        first = chunk.text if line_end < 0 else chunk.text[:line_end]
        whole_line = b >= len(first.rstrip())
        if (
            not titles_only
            and whole_line
            and b - a <= BARE_HEADING
            and rest.strip()
            and not text.rstrip().endswith((".", ";"))
        ):
            start = b + len(rest) - len(rest.lstrip())
            line_end = chunk.text.find("\n", start)
            spans = sentence_spans(chunk.text, start, len(chunk.text) if line_end < 0 else line_end)
            if spans:
                quote = chunk.text[a : spans[0][1]]
                shown = text.rstrip(" :") + ": " + chunk.text[spans[0][0] : spans[0][1]]
                return DraftSentence(shown_text(shown), [n], {n: quote}, bullet=True)
        return DraftSentence(shown_text(text), [n], {n: text}, bullet=True)

    def _noun_text(self, noun: str, plan: Plan, question: str = "", evidence_texts: tuple[str, ...] = ()) -> str:
        """The asked noun as the documents (or the question) write it ("sang kien dot pha"
        → "sáng kiến đột phá")."""
        parent = self.tree.parent(plan.head)
        statement = [plan.statement[0].text[plan.statement[1] : plan.statement[2]]] if plan.statement else []
        texts = [
            first_line(plan.head),
            *(first_line(c) for c in plan.items[:5]),
            *([first_line(parent)] if parent is not None else []),
            *statement,
            *evidence_texts,  # the retrieved sentences write it as the documents do ("Hệ thống Chiến lược")
            question,
        ]
        marks = self.rules.mapping("structural_marks")
        if noun in marks:  # "phần", "nội dung": known, not looked up ("phan" is also in "PHÂN CẤP")
            return marks[noun]
        if fold(question) == question.lower():  # typed without marks: the documents' spelling first
            texts = [t for t in texts if t is not question]
        for text in texts:
            folded = fold_aligned(text)
            i = folded.find(noun)
            if i >= 0:
                found = text[i : i + len(noun)].lower()
                return marks.get(noun, found) if found == noun else found  # typed without marks: the marks
        for c in self.tree.of_document(plan.head.doc_id):  # the noun whole, as its document writes it elsewhere
            i = self.tree.folded(c).lower().find(noun)
            if (
                i >= 0
                and (i == 0 or not c.text[i - 1].isalnum())
                and not c.text[i + len(noun) : i + len(noun) + 1].isalnum()
            ):
                return c.text[i : i + len(noun)].lower()
        words = noun.split()
        while len(words) > 1:  # "nhiem vu cu the nao" → the longest prefix the texts hold
            words = words[:-1]
            if " ".join(words) in marks:  # "y liet ke": "ý"
                return marks[" ".join(words)]
            for text in texts:
                i = fold_aligned(text).find(" ".join(words))
                if i >= 0:
                    return text[i : i + len(" ".join(words))].lower()
        return noun


ITEMS_OPEN_SHARE = 0.75  # a place's items count a noun most of them open with ("Sáng kiến 21: …")


def _made_of(words: list[str], nouns: frozenset[str]) -> bool:
    """The words are, in order, nouns of the list, a noun of two syllables written with "_"
    ("phu_luc", "van_de"): "vận động viên" is not made of "vấn đề" and "dòng"."""
    i = 0
    while i < len(words):
        if i + 1 < len(words) and f"{words[i]}_{words[i + 1]}" in nouns:
            i += 2
        elif words[i] in nouns:
            i += 1
        else:
            return False
    return True


@lru_cache(maxsize=1)
def _bodies() -> tuple[str, ...]:
    """The named bodies of the administration (entities.toml), folded, longest first."""
    return tuple(sorted(load_rules("entities").word_set("bodies"), key=len, reverse=True))


def _under(chunk: Chunk, head: Chunk) -> bool:
    """The chunk is the heading or stands under it (a part of either)."""
    return chunk.doc_id == head.doc_id and (chunk.path == head.path or chunk.path.startswith(head.path + "."))


def _whole(label: str) -> str:
    """A clause's label without the part of a long clause split in parts ("(phần 1/2)")."""
    return re.sub(r"\s*\(phần \d+/\d+\)$", "", label)


@lru_cache(maxsize=65536)
def _lead_line(text: str, headed: bool) -> str | None:
    """The folded last sentence of a text whose last line ends with a colon (None where it
    has none): what ``_opens_list`` reads of a heading whatever the noun. perf (issue 13:
    first-time questions): worked out once per heading, not once per (heading, noun)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 1 + headed or not lines[-1].endswith(":"):  # (headed: the text opens with the heading's line)
        return None
    return fold(re.split(r"(?<=[.;!?])\s+", lines[-1])[-1])  # "… lan toả cao. Mục tiêu trọng tâm:": its last sentence


def _opens_list(text: str, noun_head: str, lead: frozenset[str], headed: bool = True) -> bool:
    """The last sentence of a heading's own text, right before its items, ends with a colon
    and with the noun (a short label line, or only lead-in words after it, no comma between:
    "Mục tiêu trọng tâm:", "… các nhiệm vụ trọng tâm sau:"): it opens their list. Not its
    first line when headed (that is the heading's own line, read apart), nor a noun said
    earlier in the line ("… các Bộ, cơ quan ngang Bộ … thực hiện các nhiệm vụ sau:" is no
    list of cơ quan; "… đến năm 2030, trọng tâm là:" none of năm 2030)."""
    last = _lead_line(text, headed)
    if last is None or noun_head not in last:  # (the noun not written in it: no match of the pattern below)
        return False
    said = list(re.finditer(rf"(?<!\w){re.escape(noun_head)}(?!\w)", last))
    if not said:
        return False
    tail = last[said[-1].end() :]
    if len(re.findall(r"\w+", last)) <= LEAD_LABEL:
        return True
    return not re.search(r"[,;]", tail) and all(w in lead for w in re.findall(r"\w+", tail))


def _states_count(evidence: Evidence, noun: str) -> bool:
    """A retrieved sentence puts a number before the noun ("… 6 Hệ thống …")."""
    head = " ".join(noun.split()[:2])
    near = compiled(rf"\b\d{{1,3}}\s+(?:\w+\s+)?{re.escape(head)}\b")
    return any(near.search(fold(u.text)) for u in evidence.ranked[:10])


def _count_statement(evidence: Evidence, noun: str, count: int) -> tuple[Chunk, int, int] | None:
    """The retrieved sentence that counts the noun as many as the heading has items
    ("… theo 06 Hệ thống Chiến lược …" for six items), as (chunk, start, end)."""
    near = _count_pattern(count, re.escape(" ".join(noun.split()[:2])))
    for u in evidence.ranked[:10]:
        if near.search(fold(u.text)):
            return u.source.chunk, u.start, u.end
    return None


def _named_run(sentence: str, noun: str) -> list[tuple[int, int]]:
    """The longest row of names a sentence gives the noun, each a capitalised mention
    ("Nghị quyết số 29-NQ/TW của …") after a comma or "và" from the one before; each
    name runs to the next, the last to its comma. Spans in the sentence; [] for none."""
    folded = fold_aligned(sentence).lower()
    starts = [
        m.start()
        for m in compiled(rf"(?<!\w){re.escape(noun)}(?!\w)").finditer(folded)
        if sentence[m.start()].isupper()
    ]
    runs: list[list[int]] = []
    for i in starts:
        joined = runs and re.search(r"(?:,|\bva|\bva cac)\s*$", folded[runs[-1][-1] : i]) is not None
        if joined:
            runs[-1].append(i)
        else:
            runs.append([i])
    run = max(runs, key=len, default=[])
    if len(run) < 2:
        return []
    spans = []
    for k, a in enumerate(run):
        if k + 1 < len(run):
            b = run[k + 1]
        else:
            stop = re.search(r"[,;:.]\s|\)", sentence[a:])  # (a row in brackets ends with them)
            b = a + stop.start() if stop else len(sentence)
        text = sentence[a:b]
        cut = re.search(r"\s+(?:về|tại|theo|nhằm|để)\s", text)  # its name, not what it is about or where
        if cut and cut.start() >= len(noun) + 8:
            text = text[: cut.start()]
        text = re.sub(r"(?:,|\s+và)\s*$", "", text.rstrip()).rstrip(" ,")
        spans.append((a, a + len(text)))
    return spans


def _noun_row(sentence: str, noun: str, opening: re.Pattern[str]) -> list[tuple[int, int]]:
    """The plain items a sentence lists right after the noun ("… các lĩnh vực mũi nhọn như trí
    tuệ nhân tạo, bán dẫn, công nghệ lượng tử, và chuỗi khối", "Các ngành công nghiệp mũi nhọn:
    Công nghệ thông tin, bán dẫn, …"): opened by a cue (answers.toml row_opening), split at its
    commas and last "và", up to the sentence's end or a semicolon; each item short. Spans in
    the sentence; [] when no row of ROW_ITEMS or more short items follows the noun."""
    folded = fold_aligned(sentence).lower()
    best: list[tuple[int, int]] = []
    for m in compiled(rf"(?<!\w){re.escape(noun)}(?!\w)").finditer(folded):
        o = opening.match(folded, m.end())
        if o is None:
            continue
        start = o.end()
        stop = compiled(r"[;()…]|\.(?!\d)|\s-\s").search(sentence, start)
        end = stop.start() if stop else len(sentence)
        pieces = [(p.start(), p.end()) for p in re.finditer(r"[^,]+", sentence[start:end])]
        if pieces:
            a, b = pieces[-1]
            last = list(compiled(r"\s+và\s+").finditer(sentence[start + a : start + b]))
            if last and sentence[start + a : start + a + last[-1].start()].strip():
                cut = last[-1]
                pieces[-1:] = [(a, a + cut.start()), (a + cut.end(), b)]
        spans = []
        for a, b in pieces:
            item = compiled(r"(?s)\s*(?:và\s+)?(.*?)\s*$").match(sentence, start + a, start + b)
            if item is not None and item.group(1):
                spans.append((item.start(1), item.end(1)))
        words = [len(sentence[a:b].split()) for a, b in spans]
        if len(spans) >= ROW_ITEMS and max(words) <= ROW_WORDS and len(spans) > len(best):
            best = spans
    return best


def _row_noun(text: str, first: int, noun: str) -> str:
    """The noun's phrase as a text writes it before the row of items starting at first ("…
    các cơ hội công nghệ mới trên thế giới như: Bán dẫn, …" → "cơ hội công nghệ mới trên thế
    giới"), without the cue that opens the row; "" when the noun is not said there."""
    folded = fold_aligned(text[:first]).lower()
    starts = [m.start() for m in compiled(rf"(?<!\w){re.escape(noun)}(?!\w)").finditer(folded)]
    if not starts:
        return ""
    phrase = compiled(r"(?:\s+(?:như|bao gồm|gồm|là))?\s*:?\s*$").sub("", text[starts[-1] : first])
    return phrase[:1].lower() + phrase[1:] if len(phrase.split()) <= ROW_WORDS + 2 else ""


def _names_number(name: str, numbers: set[str]) -> bool:
    """A name whose number the question gives itself ("ngoài Nghị quyết 20")."""
    m = re.search(r"\b(\d+)[-/]", name)
    return m is not None and m.group(1).lstrip("0") in {x.lstrip("0") for x in numbers}


def _group_start(m: re.Match) -> int:
    """Where the first group that took part in the match starts."""
    return next((m.start(g) for g in range(1, (m.re.groups or 0) + 1) if m.start(g) >= 0), m.end())


def _lines(text: str, start: int = 0):
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if end > start:
            yield max(pos, start), end
        pos = end + 1


class _SourceBook:
    """Numbers for the chunks a draft cites: a request's own source number, or a new one
    after them; the new sources are handed back with the draft (the request is not
    changed)."""

    def __init__(self, sources: list[Source]):
        self.numbers = {s.chunk.id: s.number for s in sources}
        self.next = max((s.number for s in sources), default=0) + 1
        self.added: list[Source] = []

    def number(self, chunk: Chunk, request: GenerationRequest) -> int:
        if chunk.id not in self.numbers:
            self.numbers[chunk.id] = self.next
            self.added.append(Source(self.next, chunk, 1, 0.0, retrieved=False))
            self.next += 1
        return self.numbers[chunk.id]


_YEAR = re.compile(r"(?<![\d/.])(?:19|20)\d{2}(?![\d/.])")  # a year a question or a heading line says


def _large() -> int:
    """Clauses from which the heading index is made with the tree and kept by the ingest
    (retrieval/heading_index.py's LARGE; scale, issue 13)."""
    from retrieval.heading_index import LARGE

    return LARGE


_PLAIN_WORDS = re.compile(r"\w+(?: \w+)*")  # perf (issue 13): a noun that matches only itself in a pattern


@lru_cache(maxsize=4096)  # perf (issue 13): compiled once per (count, noun), not once per heading scored
def _count_pattern(count: int, noun_head: str) -> re.Pattern[str]:
    return re.compile(rf"\b0*{count}\s+(?:\w+\s+)?{noun_head}\b")


def keep_heading_index(table, lexical, prompts: PromptLibrary) -> None:
    """Keep the heading index of a new generation beside it (retrieval/heading_index.py), as
    the answerer over it would make it (its scorer's tokens: the generation's analyzer), so
    that the first process to answer over it reads it rather than makes it (issue 13: ~5 s
    at a million clauses). Only for a large table (``heading_index.LARGE`` clauses or
    more): a smaller one's is made on first use, and kept then."""
    if len(table.chunks) < _large():
        return
    from .evidence import EvidenceScorer

    scorer = EvidenceScorer(lambda text: lexical.analyzer.tokens(text, query=True), lexical.idf)
    TreeAnswerer(DocumentTree(table), scorer, prompts)._heads_postings()
