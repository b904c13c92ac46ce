"""What a Vietnamese question asks for, read with patterns over its accent-folded text:
a list, a figure, a date, an amount of money, a count of something, a ranking, who is
responsible; and whether the evidence holds that kind of value or the question's anchors
(its numbers, years, named ministries, provinces, articles). Used to pick sentences and
to decide when to abstain. The patterns and word lists are data:
retrieval/resources/rules/intent.toml."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from functools import lru_cache

from retrieval.regex_cache import compile_kept, compiled
from retrieval.rules import load_rules
from retrieval.text import fold, fold_aligned, fold_join, fold_local

_RULES = load_rules("intent")  # retrieval/resources/rules/intent.toml

LIST = _RULES.pattern("list")
FIGURE = _RULES.pattern("figure")
WHO = _RULES.pattern("who")
BODY = _RULES.pattern("body")  # as written, not folded
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"  # Vietnamese capitals
# A ministry, province or city, or an article: what a near-miss question swaps in.
ENTITY = _RULES.pattern("entity")
FIGURE_ASKED = _RULES.pattern("figure_asked")
SHARE_ASKED = _RULES.pattern("share_asked")  # a share of a figure the question states
DAY_ASKED = _RULES.pattern("day_asked")
ABOUT_THE_TEXT = _RULES.pattern("about_the_text")
DAY = _RULES.pattern("day")
DATE_ASKED = _RULES.pattern("date_asked")
YEAR_ASKED = _RULES.pattern("year_asked")
YEAR_VALUE = _RULES.pattern("year")  # "năm nào" is answered by a year
DEADLINE = _RULES.pattern("deadline")
RANK_ASKED = _RULES.pattern("rank_asked")
RANK = _RULES.pattern("rank")
MONEY_ASKED = _RULES.pattern("money_asked")  # a price, salary, fine or capital
# a contact asked and a contact of that kind written ("qua địa chỉ email nào": an e-mail address)
CONTACTS = tuple(
    (_RULES.pattern(asked), _RULES.pattern(value))
    for asked, value in (("email_asked", "email"), ("web_asked", "web_address"), ("phone_asked", "phone"))
)
AMOUNT = _RULES.pattern("amount")
PERCENT_ASKED = _RULES.pattern("percent_asked")  # a share: the evidence states one ("30%")
PERCENT = _RULES.pattern("percent")
DURATION_ASKED = _RULES.pattern("duration_asked")  # a length of time ("trong bao nhiêu tháng")
DURATION = _RULES.pattern("duration")
DURATION_UNIT = _RULES.pattern("duration_unit")  # "sau mấy năm": the unit asked
LENGTH = _RULES.pattern("length")  # "6 tháng": a length and its unit
# the units of time from the least: a length asked in one is stated in it or a larger one
# ("mấy tháng" by "1 năm"; "sau mấy năm" is not answered by "định kỳ 6 tháng")
TIME_UNITS = ("ngay", "tuan", "thang", "nam")
TIMES_ASKED = _RULES.pattern("times_asked")  # how many times: "họp mấy lần mỗi năm"
TIMES = _RULES.pattern("times")
BUDGET_ASKED = _RULES.pattern("budget_asked")  # money of a budget or an investment: an amount or a share
DATE = _RULES.pattern("date")
HOW_MANY_NOUN = _RULES.pattern("how_many_noun")
MAGNITUDE_ASKED = _RULES.pattern("magnitude_asked")  # "bao nhiêu nghìn người": a count in thousands
MAGNITUDE = _RULES.pattern("magnitude")  # a figure of that size: "1,5 triệu", "100.000", "hàng tỉ"
# the words before what "bao nhiêu" counts, a magnitude included ("bao nhiêu triệu người")
_HOW_MANY = HOW_MANY_NOUN.pattern.removesuffix(r"(\w+)")
NOT_A_UNIT = _RULES.word_set("not_a_unit")
MINISTRY_ASKED = _RULES.pattern("ministry_asked")  # "do bộ nào chủ trì"
PARTS_BY_NUMBER = _RULES.word_set("parts_by_number")  # "Sáng kiến 4": written so in its clause
CLASSIFIERS = _RULES.word_set("classifiers")  # "bao nhiêu cái trung tâm": the noun comes after
FRAME_WORDS = _RULES.word_set("frame")
YEAR_FRAME = _RULES.word_set("year_frame")
STATED_EVENTS = _RULES.word_set(
    "stated_events"
)  # legal events the texts say in these words  # "đến năm 2045", "giai đoạn 2026-2030"
QUALIFIERS = _RULES.word_set("qualifiers")  # "cấp xã", "phụ nữ", "ngành du lịch"
NUMBER = _RULES.pattern("number")
_QUALIFIER_STOP = _RULES.word_set("qualifier_stop")
PERSON_UNITS = _RULES.word_set("person_units")  # nouns that count people
STAFF = _RULES.word_set("staff")  # staff, counted as people too
PEOPLE = _RULES.word_set("people")  # "người": counted by any of them
SIGNED = _RULES.pattern("signed")  # "… Tô Lâm đã ký ban hành …": a sentence naming the signer
LEAD_ASKED = _RULES.pattern("lead_asked")  # "cơ quan nào chủ trì", "ai chịu trách nhiệm"
ORDINAL_ASKED = _RULES.pattern("ordinal_asked")  # "Hội nghị Trung ương lần thứ mấy", "khoá mấy"
ORDINAL = _RULES.pattern("ordinal")  # "Hội nghị lần thứ sáu", "khoá XI"
PER_ITEM_ASKED = _RULES.pattern("per_item_asked")  # "mỗi … tối đa bao nhiêu", as written
ORG_LEAD_ASKED = _RULES.pattern("org_lead_asked")
PLACE_ASKED = _RULES.pattern("place_asked")  # "ở tỉnh nào"
NAMES_ASKED = _RULES.pattern("names_asked")  # "gồm những nước nào", "có tên là gì"
SIGNER_ASKED = _RULES.pattern("signer_asked")  # "ai ký"
POST_ASKED = _RULES.pattern("post_asked")  # "do ai làm Chủ tịch"
OPTIONS_ASKED = _RULES.pattern("options_asked")  # "…, ung thư hay tiểu đường?"  # "do trường đại học nào chủ trì"
ACTOR = _RULES.pattern("actor")  # a title or the ministries at large, folded
NOT_ACTOR = _RULES.pattern("not_actor")  # "Chính phủ số", "Ban hành": no actor


def missing_anchor(
    question: str, chunks, known_years: AbstractSet[str] = frozenset(), issuers: AbstractSet[str] = frozenset()
) -> str | None:
    """A number or year of the question, a named ministry, province or article ("Bộ Nội
    vụ", "tỉnh Thanh Hóa", "Điều 15"), or a legal event it asks of a text ("hết hiệu lực"),
    that no top clause contains. issuers: the bodies that issued the clauses' documents,
    which their clauses do not repeat ("Bộ Chính trị yêu cầu …" of Nghị quyết 57).
    perf (issue 13): the answer is kept per question, the clauses' embedding texts, the
    known years and the issuers."""
    texts = tuple(c.embedding_text() for c in chunks)
    key = (question, texts, frozenset(known_years), frozenset(issuers))
    try:
        return _ANCHORS[key]
    except KeyError:
        pass
    if len(_ANCHORS) > ANCHORS_MEMO:
        _ANCHORS.clear()
    got = _ANCHORS[key] = _missing_anchor(question, texts, known_years, issuers)
    return got


# perf (issue 13): missing_anchor's answers kept (the same question meets the same clauses again)
ANCHORS_MEMO = 20_000
_ANCHORS: dict[tuple, str | None] = {}


def _missing_anchor(
    question: str, texts: tuple[str, ...], known_years: AbstractSet[str], issuers: AbstractSet[str]
) -> str | None:
    """missing_anchor of the clauses' embedding texts."""
    pieces = [*texts, *sorted(issuers)]
    evidence = fold_join(pieces)  # perf (issue 13): = fold(" ".join(…))
    asked_numbers = re.findall(r"\d+", question)
    if asked_numbers:
        # perf (issue 13): = {e.lstrip("0") for e in re.findall(r"\d+", evidence)}, from each
        # piece's remembered numbers when the evidence is the join of the pieces' folds (no
        # number spans the space between two pieces)
        if all(map(fold_local, pieces)):
            evidence_numbers = frozenset().union(*(_numbers_in(fold(p)) for p in pieces))
        else:
            evidence_numbers = _numbers_in(evidence)
        for n in asked_numbers:
            if n.lstrip("0") not in evidence_numbers and n not in known_years:
                if _roman_place_said(n, question, evidence):
                    continue  # "phụ lục 1" of a clause under "Phụ lục I"
                return n
    for m in ENTITY.finditer(question):
        if fold(m.group(0)) not in evidence:
            return m.group(0)
    folded_q = fold(question)
    for event in STATED_EVENTS:  # "hết hiệu lực", "xử phạt": said in these words, or not at all
        if _says_words(event, folded_q) and not _says_words(event, evidence):
            return event
    for body in named_bodies(question):  # "bộ công thương" typed without capitals
        # perf (issue 13): no match without the name as written
        if body not in evidence or not re.search(rf"(?<!\w){re.escape(body)}(?!\w)", evidence):
            return body
    return None


_PLAIN = re.compile(r"[\w ]+")
ROMAN_PLACES = ("phu luc", "muc", "phan", "chuong")  # the parts the documents number I, II, III …
_ROMAN_DIGITS = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, mark in _ROMAN_DIGITS:
        while n >= value:
            out, n = out + mark, n - value
    return out


def _roman_place_said(number: str, question: str, evidence: str) -> bool:
    """The question names a part by an Arabic number ("phụ lục 1", "mục 3") and the (folded)
    evidence names that part with the Roman one its label has ("phu luc i", "muc iii")."""
    if not 1 <= int(number) <= 20:
        return False
    places = "|".join(ROMAN_PLACES)
    if not compiled(rf"\b(?:{places})\s+(?:so\s+)?0*{number}\b").search(fold(question).lower()):
        return False
    roman = _roman(int(number))
    if compiled(rf"\b(?:{places})\s+{roman}\b").search(evidence):
        return True
    # a heading numbered so ("III. TỔ CHỨC THỰC HIỆN", "V- TỔ CHỨC THỰC HIỆN"): a part the labels call "Mục III"
    return compiled(rf"(?:^|\s){roman}\s*[.-]\s+\w").search(evidence) is not None


@lru_cache(maxsize=32768)  # perf (issue 13): the same clauses are evidence question after question
def _numbers_in(folded: str) -> frozenset[str]:
    """The numbers a (folded) text writes, leading zeros left out."""
    return frozenset(e.lstrip("0") for e in re.findall(r"\d+", folded))


def _says_words(words: str, text: str) -> bool:
    r"""``re.search(rf"\b{words}\b", text)``. perf (issue 13): words that are plain words
    (no pattern) are first looked for as they are: no match without them."""
    if _PLAIN.fullmatch(words) and words not in text:
        return False
    return re.search(rf"\b{words}\b", text) is not None


def missing_qualifier(question: str, chunks) -> str | None:
    """A qualifier of the question (a level, a region, a sector, a part of the year: "cấp
    xã", "ngành du lịch", "quý 3") that no top clause holds: the texts say these in these
    words when they say them at all. question: the part that asks (not the asker's own
    context: "tôi là bí thư Đoàn cấp huyện")."""
    folded_q = fold(question)
    asked = [q for q in QUALIFIERS if _says_words(q, folded_q)]
    if not asked:
        return None
    evidence = fold_join(c.embedding_text() for c in chunks)
    return next((q for q in asked if not _says_words(q, evidence)), None)


_BODY_NAMES: list[re.Pattern[str]] = []


def named_bodies(question: str) -> list[str]:
    """The named bodies of the administration (retrieval/resources/rules/entities.toml, and
    the short names people type) and the provinces and cities a question names, folded,
    however it is typed ("bộ công thương", "Bo Y te", "tinh thanh hoa"); the longest name
    where names overlap ("Bộ Khoa học và Công nghệ", not "Bộ Khoa học")."""
    if not _BODY_NAMES:
        named = load_rules("entities").word_set("bodies") | _RULES.word_set("bodies_typed") | _RULES.word_set("places")
        # longest first; names of one length in their own order, so that the text is the same
        # in every process (its opcodes are kept: regex_cache.compile_kept)
        names = sorted(named, key=lambda n: (-len(n), n))
        _BODY_NAMES.append(compile_kept(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)"))
    return [m.group(0) for m in _BODY_NAMES[0].finditer(fold(question))]


_DOC_NUMBER = re.compile(r"\b\d{1,4}\s*[-/]\s*[a-zđ]{2,}(?:\s*[-/]\s*[a-zđ]+)*", re.IGNORECASE)


def figures(text: str, asked: AbstractSet[str] = frozenset()) -> set[str]:
    """The numbers a text states, not counting a document's number ("57-NQ/TW",
    "03/NQ-CP") nor those the question itself gives (asked)."""
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", _DOC_NUMBER.sub(" ", text))} - asked


def _cells_after(text: str, word: str) -> str:
    """A table row's cells after the one naming word ("Thu hút các nhà khoa học trẻ ⇥
    20 - 30 cán bộ/năm"): where the row's value stands; the row itself when it is no row."""
    cells = re.split(r"\t|\s\|\s", text)
    for i, cell in enumerate(cells):
        if compiled(rf"\b{word}\b").search(cell):  # perf (issue 13): kept, not built per cell
            return " ".join(cells[i + 1 :]) if i + 1 < len(cells) else ""
    return ""


def counted_in_words(text: str, noun: str, words: re.Pattern[str]) -> bool:
    """The text counts the (folded) noun in words: "ba khu công nghệ cao", "hàng tỉ thiết
    bị" (words: the count words with their marks, matched on the lower-cased text)."""
    lower, folded = text.lower(), fold_aligned(text)
    after = compiled(rf"(?:\w+\s+){{0,2}}{re.escape(noun)}\b")
    return len(lower) == len(folded) and any(after.match(folded, m.end()) for m in words.finditer(lower))


def counted_noun(folded_q: str, folded_texts: list[str]) -> str:
    """What "bao nhiêu X" counts, folded: X's first word, or its first two when the texts
    write them together ("bao nhiêu trung tâm" is not about "Trung ương"); "" when it asks
    no count (bao nhiêu phần trăm, … năm)."""
    noun = HOW_MANY_NOUN.search(folded_q)
    if not noun or noun.group(1) in NOT_A_UNIT:
        return ""
    words = [noun.group(1)]
    after = folded_q[noun.end() :].split()[:1]
    if (
        after
        and re.fullmatch(r"[a-z]+", after[0])
        and after[0] not in NOT_A_UNIT
        and any(compiled(rf"\b{words[0]} {after[0]}\b").search(t) for t in folded_texts)
    ):
        words.append(after[0])
    return " ".join(words)


# the words a part of a multi-part question borrows from the part before ("Kết luận số mấy
# (theo …; Sau bao nhiêu năm …)?"): the asks there are that part's, not this one's
_BORROWED = re.compile(r"\s*\([^()]*\)\s*\??\s*$")


def stated_in_unit(folded_q: str, texts: list[str]) -> bool:
    """A length asked in a unit of time ("sau mấy năm", "bao nhiêu tháng") is stated in that
    unit or a larger one by some text (folded); True when the ask names no unit ("bao lâu")."""
    asked = DURATION_UNIT.search(_BORROWED.sub("", folded_q))  # a part's own ask, not the one it borrows
    if not asked:
        return True
    least = TIME_UNITS.index(asked.group(1))
    return any(TIME_UNITS.index(m.group(1)) >= least for t in texts for m in LENGTH.finditer(t))


def unwritten_contact(folded_q: str, texts: list[str]) -> bool:
    """A contact is asked ("qua địa chỉ email nào", "trang web nào", "số điện thoại là gì")
    and none of the texts writes an address of that kind (a web address is no e-mail)."""
    kinds = [value for asked, value in CONTACTS if asked.search(folded_q)]
    if not kinds:
        return False
    folded = [fold(t) for t in texts]
    return any(not any(value.search(t) for t in folded) for value in kinds)


def has_asked_value(
    folded_q: str,
    texts: list[str],
    headings: list[str] | None = None,
    compound: Callable[[str], bool] = lambda words: True,
    marked: str = "",
) -> bool:
    """A question asking for a date needs a date in the evidence (a sentence under "1. Đến
    năm 2030" holds its heading's year: headings, one per text); one asking "how many X"
    needs a number next to X (or in the cells after X of a table row); one asking for a
    figure needs a number other than a document's number ("57-NQ/TW"). compound tells
    whether two folded words are a word pair the documents use ("ky su"). marked: the
    question as written, with its tone marks (a one-syllable noun is looked up in the
    synonym resource as written: "bao nhiêu viện" counts "tổ chức khoa học và công nghệ")."""
    folded = [fold(t) for t in texts]
    dated = [f"{fold(h)} {t}" for h, t in zip(headings, folded)] if headings else folded
    asked: set[str] = set()  # the question's own numbers count: "có phải đạt 30% GDP không?" confirms one
    if DAY_ASKED.search(folded_q):
        return any(DAY.search(t) for t in folded)
    if DATE_ASKED.search(folded_q):
        return any(DATE.search(t) for t in dated)
    if YEAR_ASKED.search(folded_q):  # "từ năm nào": the sentence that answers carries the year
        return bool(folded) and bool(YEAR_VALUE.search(dated[0]))
    if MONEY_ASKED.search(folded_q):  # a price, salary, fine or capital needs an amount
        return any(AMOUNT.search(t) for t in folded)
    # the kind of value asked, and a value of that kind in the evidence: a share, a length
    # of time, the money of a budget (a number of another kind does not answer it)
    share_of_stated = SHARE_ASKED.search(folded_q) and figures(folded_q) - {y for y in figures(folded_q) if len(y) == 4}
    if PERCENT_ASKED.search(folded_q) and not share_of_stated:  # a share of a stated figure: below
        return _value_on_topic(folded_q, folded, PERCENT)
    if TIMES_ASKED.search(folded_q):
        return _value_on_topic(folded_q, folded, TIMES)
    if DURATION_ASKED.search(folded_q):
        return any(DURATION.search(t) for t in dated) and stated_in_unit(folded_q, dated)
    if BUDGET_ASKED.search(folded_q):
        return any(AMOUNT.search(t) or PERCENT.search(t) for t in folded)
    if MAGNITUDE_ASKED.search(folded_q) and not any(MAGNITUDE.search(t) for t in folded):
        return False  # "bao nhiêu nghìn người" asked of "12 người trên một vạn dân": a rate, no count
    measured = HOW_MANY_NOUN.search(folded_q)
    if (
        measured
        and _unknown_unit(measured.group(1), compound)
        and not any(re.search(rf"\b{measured.group(1)}\b", t) for t in folded)
    ):
        return False  # "bao nhiêu km/h", "bao nhiêu MW": a unit no document writes
    counted = counted_noun(folded_q, folded)
    if counted:
        # "bao nhiêu tiến sĩ": a number must count the doctors; "bao nhiêu kỹ sư" asked of
        # clauses that never speak of engineers (nor by a synonym) holds no such value
        qualifier = _qualifier(counted, folded_q)  # "kỹ sư trí tuệ nhân tạo": of AI, not any
        names = _counted_names(counted, folded_q, marked)
        if counted not in PEOPLE and len(names) > 1 and " " not in counted and " " in names[1] and compound(names[1]):
            names = names[1:]  # "bao nhiêu kỹ sư": engineers, not the "ký" of "ngày ký"
        present = False
        rows = [_ROW_NUMBER.sub("", t) for t in folded]  # "8 ⇥ Đào tạo …": a row's number counts nothing
        for unit in map(re.escape, names):
            if any(compiled(rf"\b{unit}\b").search(t) for t in folded):
                present = True
                near = compiled(rf"\d[\d.,]*\s*(?:\S+\s+){{0,2}}{unit}|\b{unit}\s+(?:\S+\s+){{0,3}}\d|\d\s*{unit}/")
                if any(
                    (near.search(r) or figures(_cells_after(t, unit), asked)) and (not qualifier or qualifier in t)
                    for t, r in zip(folded, rows)
                ):
                    return True
        if present:
            return False
        if " " not in counted and counted not in CLASSIFIERS and compound(counted):
            return False  # "bao nhiêu bài", "bao nhiêu chương": a noun of the documents no clause found writes
        noun = next((n for n in names[:2] if " " in n), "")
        if noun and compound(noun):
            return False  # a noun of the documents' own ("kỹ sư") that no clause found speaks of
        second = noun.split()[-1] if noun else ""
        if (
            noun
            and " " not in counted
            and counted not in CLASSIFIERS
            and second.isalpha()
            and second not in _QUALIFIER_STOP  # "bao nhiêu tỉnh được chọn": the noun is one word
            and not _known_word(noun)
        ):
            return False  # "bao nhiêu phi công": a word no document writes, nor a synonym of one
    if FIGURE_ASKED.search(folded_q):
        stated = {n for n in figures(folded_q) if not re.fullmatch(r"(?:19|20)\d\d", n)}
        if stated and SHARE_ASKED.search(folded_q):
            # "trong mức 3% …, phần dành riêng cho X là bao nhiêu": a share of the stated
            # figure stands beside it, in the same piece of a sentence
            pieces = [p for t in folded for p in _PIECE.split(t) if figures(p) & stated]
            return any(figures(p, stated) for p in pieces)
        return any(figures(t, asked) for t in folded)
    return True


def _unknown_unit(word: str, compound: Callable[[str], bool]) -> bool:
    """What "bao nhiêu" counts or measures is a word no document writes ("km", "mw"): not a
    function word, a classifier, a short form people type ("dn": doanh nghiệp) nor a word of the
    synonym resource."""
    if word in NOT_A_UNIT | CLASSIFIERS | _QUALIFIER_STOP or compound(word) or _known_word(word):
        return False
    return word not in load_rules("query").mapping("abbreviations")


def _known_word(words: str) -> bool:
    """The synonym resource knows the (folded) words ("công ty": "doanh nghiệp")."""
    from retrieval.synonyms import default_synonyms

    return default_synonyms().knows(words)


def names_ministry(text: str) -> bool:
    """The text names a ministry ("Bộ Công an", "bo tai chinh", not "Bộ Chính trị") or the
    ministries at large ("các bộ, ngành")."""
    folded = fold(text).lower()
    if re.search(r"\b(?:cac|nhung) bo\b|\bbo, nganh\b|\bbo nganh\b", folded):
        return True
    return any(b.startswith("bo ") and b != "bo chinh tri" for b in named_bodies(text))


_NAME_WORD = re.compile(r"[\w-]+")
_OPENS = re.compile(r"(?:^|[.;:!?\n\t⇥•]|\s[-–+]\s|\d\s)\s*[\"“(]?\s*$")


def proper_names(text: str, folded_q: str) -> set[str]:
    """The names a text (as written) writes: runs of capitalised words (only spaces between)
    that do not open a sentence or an item, folded, less those whose words all stand in the
    (folded) question."""
    asked = set(folded_q.split())
    runs: list[list[re.Match[str]]] = []
    for m in _NAME_WORD.finditer(text):
        if not m.group()[0].isupper():
            continue
        if runs and text[runs[-1][-1].end() : m.start()].isspace():
            runs[-1].append(m)
        else:
            runs.append([m])
    out = set()
    for run in runs:
        if _OPENS.search(text[: run[0].start()]):
            run = run[1:]  # the sentence's first word is capitalised by position
        name = fold(" ".join(m.group() for m in run)).lower()
        if name and not set(name.split()) <= asked:
            out.add(name)
    return out


def names_place(texts: list[str]) -> bool:
    """Some text names a province or city (intent.toml places), however written."""
    places = _RULES.word_set("places")
    if not places:
        return False
    pattern = _places_pattern(places)
    return any(pattern.search(fold(t).lower()) for t in texts)


@lru_cache(maxsize=8)
def _places_pattern(places: frozenset[str]) -> re.Pattern[str]:
    """perf (issue 13, warm batch p95): every place in one alternation, compiled once. It
    finds a place where searching each place's own pattern (the place, no word character
    either side) finds one (the alternation backtracks to each place at each position); that
    one pattern per place missed ``re``'s cache of 512 once a batch had asked a few hundred
    other patterns, and was compiled again each time: ~4.5 ms a question asking where."""
    ordered = sorted(places, key=lambda p: (-len(p), p))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


def asks_lead(question: str) -> bool:
    """The question asks who leads, carries out or answers for something ("cơ quan nào
    chủ trì", "ai chịu trách nhiệm"); "AI" written as the acronym is no "ai" (who)."""
    return bool(LEAD_ASKED.search(fold(re.sub(r"\bAI\b", "trí tuệ nhân tạo", question)).lower()))


def names_actor(text: str, folded_q: str = "") -> bool:
    """The text (as written) names an actor other than those the (folded) question names
    itself: a capitalised body ("Bộ Công an", "Văn phòng Chính phủ"), a named body however
    written, a title ("Tổng Bí thư", "Chủ tịch Viện"), or the ministries and localities at
    large ("các bộ, ngành, địa phương"). "Cơ quan nào giúp việc Ban Chỉ đạo?" is not
    answered by a clause naming only the Ban Chỉ đạo."""
    folded = fold(text).lower()
    spans = [(m.start(), fold(text[m.start() : m.start() + 40]).lower()) for m in BODY.finditer(text)]
    spans += [(m.start(), folded[m.start() : m.start() + 40]) for m in ACTOR.finditer(folded)]
    for start, span in spans:
        words = " ".join(re.findall(r"[a-z]+", span)[:3])
        if words and NOT_ACTOR.match(span):
            continue
        if not words or words not in folded_q:
            return True
    # a named body written with its capital ("Bộ Khoa học và Công nghệ", not "cán bộ khoa học")
    if not named_bodies(text):
        return False
    aligned = fold_aligned(text)  # one character for each of the text's: the capitals stay in place
    return any(
        text[m.start()].isupper()
        and f" {m.group(0)} " not in f" {folded_q} "
        and not NOT_ACTOR.match(aligned[m.start() :])
        for m in _BODY_NAMES[0].finditer(aligned)
    )


_ROW_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\s*\t")
_PIECE = re.compile(r";|\.\s|\n")


def _pairs(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text)
    return {f"{a} {b}" for a, b in zip(words, words[1:])} - _FRAME_PAIRS


_FRAME_PAIRS = _RULES.word_set("frame_pairs") if "frame_pairs" in _RULES.words else frozenset()


def _value_on_topic(folded_q: str, folded: list[str], value: re.Pattern[str], ratio: float = 0.5) -> bool:
    """A value of the asked kind stands in a piece of a sentence that speaks of the asked
    topic: its word pairs shared with the question are at least half those of the piece
    that shares the most ("… đạt 12 người trên một vạn dân; … tăng 10%/năm": the share is
    another target's, not one of researchers per ten thousand people)."""
    topic = _pairs(folded_q)
    pieces = [p for t in folded for p in _PIECE.split(t) if p.strip()]

    def stated(piece: str) -> bool:  # a value the question does not itself say ("ngang tầm" of its topic)
        return any(m.group(0) not in folded_q or any(c.isdigit() for c in m.group(0)) for m in value.finditer(piece))

    if not topic:
        return any(stated(p) for p in pieces)
    shared = [len(_pairs(p) & topic) for p in pieces]
    best = max(shared, default=0)
    return any(stated(p) and n >= ratio * best for p, n in zip(pieces, shared))


def _qualifier(counted: str, folded_q: str) -> str:
    """The first two words that qualify what is counted ("bao nhiêu kỹ sư trí tuệ nhân
    tạo": "tri tue"), up to a function word or a verb of the frame; "" when none."""
    m = compiled(rf"\b{_HOW_MANY}{re.escape(counted)}((?:\s+[a-z]+)*)").search(folded_q)
    words = m.group(1).split() if m else []
    if words and " " not in counted and len(counted.split()) == 1:
        words = words[1:]  # the noun's own second syllable ("ky su")
    kept = []
    for w in words:
        if w in _QUALIFIER_STOP:
            break
        kept.append(w)
    return " ".join(kept[:2]) if len(kept) >= 2 else ""


def _counted_names(counted: str, folded_q: str, marked: str = "") -> list[str]:
    """What "bao nhiêu X" counts, in the ways the texts may write it: X as counted, X with
    the word after it in the question ("kỹ sư", not "kỳ"), and their synonyms ("tập đoàn":
    "doanh nghiệp"); a one-syllable X also by the synonyms of X as the question writes it
    (marked: "viện", whose folded "vien" the resource does not match on its own)."""
    from retrieval.synonyms import default_synonyms

    m = compiled(rf"\b{_HOW_MANY}{re.escape(counted)}(?:\s+([a-z]+))?").search(folded_q)
    names = [counted]
    if " " not in counted and m and m.group(1):
        names.append(f"{counted} {m.group(1)}")
    for name in list(names):
        names += [fold(x) for x in default_synonyms().expansions(name)]
    if marked and " " not in counted:
        written = next((w for w in re.findall(r"\w+", marked.lower()) if fold(w) == counted), "")
        if written and written != counted:
            names += [fold(x) for x in default_synonyms().expansions(written)]
    if counted in PEOPLE:  # "bao nhiêu người": "20 - 30 cán bộ/năm" counts people
        names += sorted(PERSON_UNITS)
    elif counted in STAFF:  # "bao nhiêu cán bộ": "… cán bộ … đạt mức 11 người" counts them
        names.append(next(iter(PEOPLE)))
    return list(dict.fromkeys(names))


# "Hệ thống 4", "sáng kiến 28", "giai đoạn 2": a numbered part of a plan the question points at
NUMBERED_PART = _RULES.pattern("numbered_part")


def numbered_parts(folded_q: str) -> list[str]:
    """The numbered parts the question names, folded ("he thong 4")."""
    return [f"{m.group(1)} {m.group(2)}" for m in NUMBERED_PART.finditer(folded_q)]
