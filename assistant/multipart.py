"""Multi-part questions: one message, several asks ("Ai chủ trì việc này, và thời hạn
hoàn thành là khi nào?"). The question is cut at its question marks, and at a semicolon,
"đồng thời", "ngoài ra" or "và" where both sides ask something of their own (a question
word, a question mark); each part is then retrieved and answered with its own citations.
A part that names no document is told the one the first part names, and a short part
the words of the part before it, so it can be found on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.rules import RuleSet, load_rules
from retrieval.text import fold_aligned, has_diacritics, sentence_spans

from .evidence import question_cues

if TYPE_CHECKING:
    from retrieval.docref import Mention

MAX_PARTS = 4
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_TARGET_YEAR = re.compile(r"\b(?:(?:vào|đến|trong|tới)\s+)?(?:năm\s+)?(?:19|20)\d{2}\b", re.IGNORECASE)
# a part naming its own subject ("Sáng kiến 7 là gì?") needs no words of the part before
_NAMES_PART = re.compile(
    r"\b(?:sáng kiến|hệ thống|phụ lục|mục|điểm|khoản|điều|giai đoạn|nhiệm vụ|chương)\s+[0-9IVX]+\b", re.IGNORECASE
)
MIN_WORDS = 3
_FRAME = re.compile(r"^\s*(?:theo|trong|tai)\s+(?:(?:bai|van ban)\s+)?$")


@dataclass(frozen=True)
class Part:
    """One ask: as the user wrote it (shown) and as it is searched (with its context)."""

    text: str
    query: str
    alone: str = ""  # the ask told only the document the question names, when query borrows more

    @property
    def shown(self) -> str:
        """The ask as a heading shows it: its last sentence ("Tôi là … . Nghị quyết có nhắc
        … không?" → "Nghị quyết có nhắc … không"), without the question mark."""
        spans = sentence_spans(self.text)
        last = self.text[spans[-1][0] : spans[-1][1]] if spans else self.text
        return last.rstrip("?").strip()


def split_asks(
    question: str,
    mentions: Callable[[str], Sequence[Mention]],
    rules: RuleSet | None = None,
    refer: Callable[[str, str], str | None] | None = None,
) -> list[Part]:
    """The asks of a question, each standing alone; one part when it asks one thing.
    refer(part, asks before it) resolves a part's references ("quyết định đó") when given."""
    rules = rules or load_rules("answers")
    two = _two_level(question, rules)
    if two is not None:  # "có mấy nhóm, tổng cộng bao nhiêu nhiệm vụ": one ask, both counts
        return [Part(question, two)]
    own = _tails(question.strip(), rules)
    if own is not None:  # "… có bao nhiêu tiêu chí? Kể tên giúp mình.": one ask, its items shown
        return [Part(question, own)]
    if _leaves_out(question, rules):  # "Không tính dòng lưu, Nơi nhận … mấy nơi?": one count, one part left out
        return [Part(question, question)]
    parts = _join_tails(_split(question.strip(), rules), rules)
    if len(parts) < 2:
        return [Part(question, question)]
    parts = parts[:MAX_PARTS]
    return [Part(p, q, a if a != q else "") for p, (q, a) in zip(parts, _with_context(parts, mentions, refer, rules))]


def split_pieces(question: str, rules: RuleSet | None = None) -> list[str]:
    """The asks of a question as written, before any is told its context (the condenser
    resolves each ask of a multi-part follow-up against the conversation); one when it asks
    one thing."""
    rules = rules or load_rules("answers")
    if (
        _two_level(question, rules) is not None
        or _tails(question.strip(), rules) is not None
        or _leaves_out(question, rules)
    ):
        return [question]
    parts = _join_tails(_split(question.strip(), rules), rules)
    return parts[:MAX_PARTS] if len(parts) > 1 else [question]


def asks_itself(text: str, rules: RuleSet | None = None) -> bool:
    """The text asks something of its own (a question word of answers.toml asks)."""
    return _asks(text, rules or load_rules("answers"))


def _leaves_out(question: str, rules: RuleSet) -> bool:
    """A count that leaves one part out, in a clause of its own ("Ngoài việc thành lập Ban
    Chỉ đạo Trung ương, … còn mấy điểm?"; answers.toml count_except): that clause asks nothing."""
    return bool(rules.search("count_except", question)) and bool(rules.search("count", question_cues(question)))


def _two_level(question: str, rules: RuleSet) -> str | None:
    """A count of groups asked with the total they hold ("… mấy hệ thống và tất cả bao
    nhiêu sáng kiến?"): one ask, the tree answers both; it is searched with the groups
    named as groups ("mấy nhóm"), so that the total's noun finds the heading holding them
    all rather than one group's. None when not asked so, or when the total is a figure
    ("tất cả bao nhiêu tỷ đồng": an ask of its own)."""
    cues = question_cues(question)
    figures = rules.word_set("figure_nouns")
    for family in ("two_level", "two_level_reversed"):
        m = rules.pattern(family).search(cues)
        if m is None:
            continue
        starts = [m.start(g) for g in range(1, (m.re.groups or 0) + 1) if m.start(g) >= 0]
        outer, total = (starts[0], starts[1]) if family == "two_level" else (starts[1], starts[0])
        word = re.match(r"\w+", cues[total:])
        if word is None or word.group(0) in figures:
            return None
        if len(cues) != len(question):
            return question
        stop = rules.word_set("noun_stop") | {"tong", "tat"}
        end = outer
        for i, w in enumerate(re.finditer(r"\w+", cues[outer:])):
            if i >= 4 or w.group(0) in stop or w.group(0).isdigit():
                break
            end = outer + w.end()
        group = "nhóm" if has_diacritics(question) else "nhom"  # typed without marks: as typed
        return question[:outer] + group + question[end:]
    return None


def _is_tail(text: str, rules: RuleSet) -> bool:
    """A part that only asks to list what the part before counted ("kể ra", "liệt kê
    ngắn gọn", "đó là những nghị quyết nào?", "nêu vài nhiệm vụ"): a count answered from
    the tree lists its items anyway."""
    return bool(rules.search("list_tail", fold_aligned(text.strip()).lower()))


def _tails(question: str, rules: RuleSet) -> str | None:
    """The question without its list tail when it is one count and such a tail; else None."""
    pieces = [p for p in _pieces(question) if p.strip(" ,.;?")]
    if len(pieces) < 2 or not all(_is_tail(p, rules) for p in pieces[1:]):
        return None
    head = pieces[0].strip(" ,;")
    if not rules.search("count", question_cues(head)):
        return None
    return head if head.endswith("?") else head.rstrip(".") + "?"


def _pieces(question: str) -> list[str]:
    """The question cut after its question marks and full stops and at commas (where a
    list tail may stand: "…, kể ra", "… ? Liệt kê ngắn gọn.")."""
    return [p for p in re.split(r"(?<=[?.])\s+|,\s+", question) if p.strip()]


def _join_tails(parts: list[str], rules: RuleSet) -> list[str]:
    """A list tail after a part stays with it."""
    out: list[str] = []
    for p in parts:
        if out and _is_tail(p, rules):
            continue
        out.append(p)
    return out


def _one_yes_no(left: str, right: str, rules: RuleSet) -> bool:
    """Left opens a "có … không" question (answers.toml yes_no_open) that right closes
    (yes_no_close) with no ask nor "có" of its own before the closing word."""
    cues = question_cues(right)
    close = rules.pattern("yes_no_close").search(cues)
    return bool(
        close
        and rules.search("yes_no_open", question_cues(left))
        and not rules.pattern("asks").search(cues[: close.start()])
        and not re.search(r"\bco\b", cues[: close.start()])  # "…, doanh nghiệp có được … không": its own
    )


def _asks(text: str, rules: RuleSet) -> bool:
    """The text asks something of its own ("máy móc" written with its marks is no "mấy")."""
    cues = question_cues(text)
    return bool(rules.pattern("asks").search(cues)) and len(re.findall(r"\w+", text)) >= MIN_WORDS


def _split(question: str, rules: RuleSet) -> list[str]:
    pieces = [p.strip() for p in re.split(r"(?<=\?)\s+", question) if p.strip()]
    pieces = pieces[:1] + [p for p in pieces[1:] if not _is_tail(p, rules)]  # "… Kể ra giúp mình.": no ask of its own
    if len(pieces) >= 2 and all(_asks(p, rules) for p in pieces):
        return [q for p in pieces for q in _split_once(p, rules)]
    return _split_once(question, rules)


def _split_once(text: str, rules: RuleSet) -> list[str]:
    """Cut at the first separator whose both sides ask (a semicolon or "đồng thời" before
    a plain "và"); then the right side again."""
    folded = fold_aligned(text)
    for family in ("split", "split_stop", "split_and", "split_count", "split_comma", "split_bare"):
        found = list(rules.pattern(family).finditer(folded))
        if family == "split_and":  # ", và" parts asks before a plain "và" does ("A và B, và C?")
            found.sort(key=lambda m: "," not in m.group(0))
        for m in found:
            a, b = m.span("cut") if "cut" in m.re.groupindex else m.span()  # split_count: the gap only
            left, right = text[:a].strip(" ,"), text[b:].strip(" ,")
            before = left.split()[-1:] or [""]
            if family == "split_and" and right[:1].isupper() and before[0][:1].isupper():
                continue  # "Bộ Khoa học và Công nghệ": one name ("… cụ thể và Ban Tuyên giáo …": two)
            if family == "split_bare" and "?" in text:
                continue  # asks side by side with no mark are typed in chat: a "?" marks its own asks
            if family in ("split_comma", "split_bare") and min(len(left.split()), len(right.split())) < 4:
                continue
            if family == "split_comma" and _one_yes_no(left, right, rules):
                continue  # "Có sáng kiến nào …, đỡ thiệt hại … không?": one "có … không" question
            if family == "split_stop" and not rules.search("split_stop_end", fold_aligned(left).lower()):
                continue  # "… kế hoạch cho mấy năm tới. Cho hỏi …": the asker's work, then the ask
            said = folded[m.start() : m.end()].strip(" ,")
            lead = re.match(r"con\s+", fold_aligned(right).lower())  # "…; còn X nữa"
            if family == "split" and (said == "con" or lead) and _asks(left, rules):
                rest = right[lead.end() :] if lead and said != "con" else right
                # ("nữa", "thì sao" may be gone: the question reader drops such fillers)
                if rest and (rules.search("elliptic_tail", fold_aligned(rest).lower()) or not _asks(rest, rules)):
                    # "…, còn kinh phí R&D nữa?": the ask before, of what it names (refer() reads it)
                    head = _split_once(left, rules) if "," in m.group(0) else [_end(left)]
                    return [*head, "Còn " + rest.rstrip(" ?.") + "?"]
            if _asks(left, rules) and _asks(right, rules):
                head = _split_once(left, rules) if "," in m.group(0) else [_end(left)]
                return [*head, *_split_once(right, rules)]
    return [_end(text)]


_LEADING = re.compile(
    r"^(?:và|đồng thời|ngoài ra|còn|rồi|với lại|voi lai|với cả|à mà|a ma|tiện hỏi luôn|thêm câu nữa|còn nữa|cho (?:mình |em |tôi )?hỏi)[\s,:]+",
    re.IGNORECASE,
)


# a chat word closing the last ask ("… ai chủ trì luôn", "… ngày nào nữa"): no part of the ask
_TRAILING = re.compile(r"\s+(?:luôn|luon|nữa|nua|với|voi|nhé|nhe|nha|ạ)\s*([?.!]*)\s*$", re.IGNORECASE)


def _end(part: str) -> str:
    part = _LEADING.sub("", part.strip()).rstrip(",;")
    part = _TRAILING.sub(r"\1", part)
    if not part.endswith("?"):
        part = part.rstrip(".") + "?"
    return part[0].upper() + part[1:]


def _counts_noun(part: str, rules: RuleSet) -> bool:
    """The part counts a list's noun of its own ("mấy nhiệm vụ", "bao nhiêu sáng kiến"):
    the count word before one of answers.toml unit_nouns, not a figure's noun."""
    m = rules.search("count", question_cues(part))
    if m is None:
        return False
    words = re.findall(r"\w+", question_cues(part)[m.start(1) :])[:2]
    units = rules.word_set("unit_nouns")
    if not words or words[0] in rules.word_set("figure_nouns"):  # "bao nhiêu điểm" a score, not items
        return False
    return "_".join(words) in units or words[0] in units


def _with_context(
    parts: list[str],
    mentions: Callable[[str], Sequence[Mention]],
    refer: Callable[[str, str], str | None] | None = None,
    rules: RuleSet | None = None,
) -> list[tuple[str, str]]:
    """Each part told the document the question names, and a short one what it is about:
    (that query, the query with the document only). A part whose reference resolves
    ("quyết định đó" → "Quyết định 116") is searched with its antecedent instead. A short
    part counting a noun of its own ("… mấy mục tiêu, mấy nhiệm vụ") is told the document
    only: the part before it counts something else, whose words would be read as its subject."""
    first_mention = ""
    for p in parts:
        found = mentions(p)
        if found:
            first_mention = p[found[0].start : found[0].end]
            break
    # "Theo bài so sánh, A …, và B …?": the source the question opens with frames every ask
    framed = [m for m in mentions(parts[0]) if _FRAME.match(fold_aligned(parts[0][: m.start]))]
    frame = parts[0][framed[0].start : framed[0].end] if framed else ""
    out = [(parts[0], parts[0])]
    for i, (prev, part) in enumerate(zip(parts, parts[1:])):
        resolved = refer(part, " ".join(parts[: i + 1])) if refer else None
        # the documents the ask names as written (not those its references resolved to)
        named = {m.doc_id for m in mentions(part)}
        part = resolved or part
        extra = []
        if first_mention and not mentions(part):
            extra.append(f"theo {first_mention}")
        elif frame and not named and framed[0].doc_id not in {m.doc_id for m in mentions(part)}:
            extra.append(f"theo {frame}")  # "…, và nó còn thiếu gì?": Nghị quyết 20, in the comparison
        alone = part if not extra else f"{part.rstrip('?')} ({extra[0]})?"
        counts_own = rules is not None and _counts_noun(part, rules)
        if len(re.findall(r"\w+", part)) < 9 and not _NAMES_PART.search(part) and not mentions(part) and not counts_own:
            context = prev.rstrip("?")
            if _YEAR.search(part):  # "Và đến năm 2045 là bao nhiêu?": the year asked is the part's own
                context = " ".join(_TARGET_YEAR.sub(" ", context).split())
            extra.append(context)  # "Ký ngày nào?": of what the part before asks about
        out.append((part if not extra else f"{part.rstrip('?')} ({'; '.join(extra)})?", alone))
    return out
