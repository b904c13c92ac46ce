"""Rewrite a follow-up question into a standalone one, from the conversation's text alone
(``history`` is plain role/content, as in the batch contract).

The offline rules, in order:

1. the question is read as typed in a chat (retrieval/query.py: abbreviations, fillers,
   the actual ask of a long message); each earlier user turn is resolved the same way, so a
   chain of follow-ups keeps its subject;
2. a changed slot replaces the same slot of the previous question: a year ("còn năm
   2045?"), a numbered part ("thế còn sáng kiến 28?"), a body ("còn Bộ Y tế?"), a document
   ("còn Kế hoạch 01 thì sao?");
3. a reference ("sáng kiến đó", "trung tâm này", "văn bản nói trên") takes its entity from
   the previous question, then the previous answer ("sáng kiến 26", "Trung tâm dữ liệu
   quốc gia"), then earlier turns;
4. a generic reference ("việc này", "nó"), a reference whose entity no turn names, or a
   question with no subject of its own ("Ai chủ trì?") is told what the last exchange was about: the previous question (and, for a
   reference, the gist of its answer);
5. any other follow-up is told which document is in focus.

The patterns are data: retrieval/resources/rules/condense.toml (bodies: entities.toml).
An LLM condenser (prompts/condense.txt) can replace these rules by configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from retrieval.docref import DocumentRecognizer
from retrieval.query import QuestionReader
from retrieval.regex_cache import compile_kept
from retrieval.rules import load_rules
from retrieval.text import fold, fold_aligned, has_diacritics, sentence_spans

from .intent import asks_lead
from .types import Message

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'["“”«»][^"“”«»]{3,80}["“”«»]')
_WHERE = re.compile(r"\s*\((?:[^()]*\b(?:Mục|mục|điểm|khoản|Điều|tiết|Phụ lục|Phần|gạch đầu dòng)\b[^()]*)\)")


Turn = Message  # one turn of the conversation: the one message type (assistant/types.py)


_BULLET = re.compile(r"^\s*[-•+]\s+(.+)$")
_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}\.)*(\d{1,2})\s*(?:[.)]\s+|-\s*)")
_ITEM_LETTER = re.compile(r"^[a-zđ]\)\s+")  # "c) Hình thành …": the item's letter, no part of its title
_ITEM_LABEL = re.compile(r"^((?:Sáng kiến|Hệ thống|Giải pháp|Nhiệm vụ|Dự án)\s+\d{1,3})\s*:")
_ITEM_ORDINAL = re.compile(r"^(?:Thứ\s+\w+|Một là|Hai là|Ba là|Bốn là|Năm là|Sáu là|Bảy là)\s*[,:]\s*", re.IGNORECASE)
_TITLE_END = re.compile(r"(?<!\d)\s+[-–]\s+|[;:.]\s|[;:.]$|\s\(")  # not "2028 - 2030"
TITLE_WORDS = 14


def _listed_items(answer: str) -> list[tuple[int | None, str, str]]:
    """The items an answer lists, as bullets ("- 2. Tăng cường …", "- Sáng kiến 22: …",
    "- Thứ ba, chỉ số …"), else the clauses it quotes one after another: (the item's number,
    its label or "", its title)."""
    lines = answer.splitlines()
    bodies = [b.group(1) for b in map(_BULLET.match, lines) if b]
    if len(bodies) < 2:  # no list: the clauses quoted one after another, each under where it is from
        bodies = [b for a, b in zip(lines, lines[1:]) if a.rstrip().endswith(":") and not b.rstrip().endswith(":")]
    out: list[tuple[int | None, str, str]] = []
    for text in bodies:
        body = re.split(r"\s*\[\d+\]", text)[0].strip()  # its first claim
        number = _ITEM_NUMBER.match(body)
        if number:
            body = body[number.end() :]
        body = _ITEM_LETTER.sub("", body)
        label = _ITEM_LABEL.match(body)
        body = _ITEM_ORDINAL.sub("", body)
        end = _TITLE_END.search(body)
        title = " ".join((body[: end.start()] if end else body).split()[:TITLE_WORDS]).strip(" ,")
        if title or label:
            out.append((int(number.group(1)) if number else None, label.group(1) if label else "", title))
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class TimeReader:
    """A follow-up's time expressions said as the documents say time (rules: time.toml):
    "giữa thế kỷ 21" → "giữa thế kỷ XXI"; "cuối thập kỷ này", "5 năm tới" → "năm 2030"
    counted from the date of the document in focus; "10 năm sau đó", "năm sau" → counted
    from the year the previous question names (else the document's date)."""

    def __init__(self) -> None:
        self.rules = load_rules("time")
        self._milestone = self.rules.mapping("milestone")

    def read(
        self, text: str, document_year: int | None, previous_year: int | None, period: tuple[int, int] | None = None
    ) -> str:
        out = text
        if period:
            m = self.rules.pattern("adjacent_period").search(fold_aligned(out))
            if m:
                a, b = period
                after = not m.group("dir").startswith("truoc")
                a, b = (b + 1, 2 * b - a + 1) if after else (2 * a - b - 1, a - 1)
                out = out[: m.start()] + f"giai đoạn {a} - {b}" + out[m.end() :]
        for family, fn in (("century", self._century), ("decade", self._decade)):
            for m in reversed(list(self.rules.pattern(family).finditer(fold_aligned(out)))):
                said = fn(m, document_year)
                if said:
                    out = out[: m.start()] + said + out[m.end() :]
        marked = has_diacritics(out)
        pattern = self.rules.pattern("relative" if marked else "relative_folded")
        for m in reversed(list(pattern.finditer(out if marked else fold_aligned(out)))):
            said = self._relative(m, document_year, previous_year)
            if said:
                out = out[: m.start()] + said + out[m.end() :]
        return out

    def said(self, text: str) -> list[tuple[int, int]]:
        """Where a text says a time the way the documents do ("giữa thế kỷ XXI")."""
        return [(m.start(), m.end()) for m in self.rules.pattern("said").finditer(fold_aligned(text))]

    def _century(self, m: re.Match[str], year: int | None) -> str | None:
        n = (m.group("n") or "").lower()
        if n.isdigit():
            number = int(n)
        elif n and n != "nay":
            return None  # already in Roman numerals, as the texts say it
        elif year:
            number = year // 100 + 1
        else:
            return None
        part = self.rules.mapping("century_part").get(m.group("part") or "", "")
        return f"{part} thế kỷ {_roman(number)}".strip()

    def _decade(self, m: re.Match[str], year: int | None) -> str | None:
        if not year:
            return None
        offset = int(self.rules.mapping("decade_part")[m.group("part") or ""])
        which = int(self.rules.mapping("decade_which")[m.group("which")])
        return f"năm {year // 10 * 10 + 10 * which + offset}"

    def _relative(self, m: re.Match[str], document_year: int | None, previous_year: int | None) -> str | None:
        direction = self.rules.mapping("direction").get(fold(m.group("dir")).lower())
        if direction is None:
            return None
        value = fold(m.group("n") or "1").lower()
        n = int(value) if value.isdigit() else int(self.rules.mapping("number").get(value, "0"))
        if not n:
            return None
        anchor = previous_year if direction.endswith("previous") and previous_year else document_year
        if not anchor:
            return None
        year = anchor + n if direction.startswith("+") else anchor - n
        if n > 1:  # a span of years ends at a milestone year
            step, within = int(self._milestone["step"]), int(self._milestone["within"])
            nearest = round(year / step) * step
            if abs(nearest - year) <= within:
                year = nearest
        return f"năm {year}"


@dataclass
class _Exchange:
    question: str  # standalone
    answer: str = ""  # the answer's claims, without markers and framing; "" for a refusal
    raw: str = ""  # the answer as written, with where it cites ("Nghị quyết 03/NQ-CP, Mục III")
    picked: bool = False  # the question picked an item of a list: its answer is that item, not the list


@dataclass(frozen=True)
class _Slot:
    kind: str  # period | year | numbered:<kind> | body | document
    start: int
    end: int


class RuleCondenser:
    """Offline condenser."""

    def __init__(
        self,
        recognizer: DocumentRecognizer,
        reader: QuestionReader | None = None,
        max_turns: int = 4,
        gist_words: int = 20,
    ):
        self.recognizer = recognizer
        self.reader = reader or QuestionReader(recognizer)
        self.rules = load_rules("condense")
        self.max_turns = max_turns
        self.gist_words = gist_words
        self._bodies = sorted(load_rules("entities").word_set("bodies"), key=len, reverse=True)
        # (the same text in every process, for its kept opcodes: names of one length in their
        # own order, which changes no match: two names of one length never both match at a place)
        ordered = sorted(self._bodies, key=lambda b: (-len(b), b))
        self._body = compile_kept(r"(?<!\w)(?:" + "|".join(re.escape(b) for b in ordered) + r")(?!\w)")
        roles = sorted(load_rules("entities").word_set("roles"), key=lambda r: (-len(r), r))
        self._role = compile_kept(r"(?<!\w)(?:" + "|".join(re.escape(r) for r in roles) + r")(?!\w)")
        self._query_rules = self.reader.rules
        self._filler = self.rules.word_set("slot_filler")
        self._apposition_stops = self.rules.word_set("apposition_stops")
        self._joiner = self.rules.word_set("slot_joiner")
        self._frame = self.rules.word_set("frame")
        self._ends = self.rules.word_set("phrase_end")
        self.times = TimeReader()

    def condense(self, question: str, history: list[Turn]) -> str:
        question = self.reader.read(question)
        exchanges = self._exchanges(history)
        if not exchanges or not self._is_followup(question):
            return question
        asks = self._asks(question)
        if len(asks) > 1:
            return self._resolve_asks(asks, exchanges)
        return self._resolve(question, exchanges)

    def _asks(self, question: str) -> list[str]:
        """The asks of a message as the multi-part splitter cuts them (assistant/multipart.py)."""
        from .multipart import split_pieces  # (multipart reads the condensed question: no cycle at import)

        pieces = split_pieces(question)
        if len(pieces) > 1:
            return pieces
        # "Còn năm 2045 thì sao, và …?", "…, và cái thứ tư thì sao?": a "… thì sao" beside an ask
        folded = fold_aligned(question)
        for m in self.rules.pattern("ask_cut").finditer(folded):
            left, right = question[: m.start()].strip(), question[m.end() :].strip()
            sides = [self._what_about_or_ask(x) for x in (left, right)]
            if all(sides) and "what_about" in sides:
                return [left.rstrip(" ,;?") + "?", right[:1].upper() + right[1:]]
        return [question]

    def _what_about_or_ask(self, text: str) -> str:
        """ "what_about" for "… thì sao", "… nữa" (closed by condense.toml tail), "ask" for an ask
        of its own, "" for neither."""
        from .multipart import asks_itself

        if len(_WORD.findall(text)) >= 2 and self.rules.pattern("tail").search(fold_aligned(text.rstrip(" ,;"))):
            return "what_about"
        return "ask" if asks_itself(text) else ""

    def _resolve_asks(self, asks: list[str], exchanges: list[_Exchange]) -> str:
        """A follow-up of several asks ("Còn năm 2045 thì sao, và … bao nhiêu doanh nghiệp …?",
        "Hệ thống thứ hai có những sáng kiến nào, và cái thứ tư thì sao?"): the first ask resolved
        against the conversation; a later one only when it picks from a list or points at a
        neighbouring part ("cái thứ tư", "sáng kiến tiếp theo"), the others being the multi-part
        splitter's to resolve against the asks before them (refer())."""
        out = []
        for i, ask in enumerate(asks):
            if i == 0:
                out.append(self._resolve(ask, exchanges) if self._is_followup(ask) else ask)
                continue
            folded = fold_aligned(self._core(self._unopened(ask)))
            picks = any(self.rules.pattern(p).search(folded) for p in ("pick", "bare_number", "adjacent"))
            if not picks:
                out.append(ask)
                continue
            # "…, và cái thứ tư thì sao?": the item in place of its pick, the ask still the one
            # before it (the splitter's refer() asks it of the item)
            picked = self._listed_pick(self._unopened(ask), exchanges)
            before = _Exchange(" ".join(out))
            out.append(picked or self._resolve(ask, [*exchanges, before]))
        return " ".join(a.rstrip(" ?.") + "?" for a in out)

    # -- the conversation --------------------------------------------------------------
    def _exchanges(self, history: list[Turn]) -> list[_Exchange]:
        """The last user turns, each resolved against the ones before it, with the answer
        that followed each."""
        out: list[_Exchange] = []
        users = [i for i, t in enumerate(history) if t.role == "user"]
        start = users[-self.max_turns] if len(users) > self.max_turns else 0
        for turn in history[start:]:
            if turn.role == "user":
                q = self.reader.read(turn.content)
                picked = bool(out and self.rules.pattern("pick").search(fold_aligned(q)))
                if out and self._is_followup(q):
                    q = self._resolve(q, out)
                out.append(_Exchange(q, picked=picked))
            elif out:
                out[-1].answer = self._claims(turn.content)
                out[-1].raw = turn.content
        return out

    def _claims(self, answer: str) -> str:
        """An answer's text without its framing lines, markers and bullets; "" when it
        is a refusal."""
        if self.rules.search("refusal", answer):
            return ""
        lines = []
        for line in answer.splitlines():
            line = re.sub(r"\s*\[\d+\]", "", line).strip().lstrip("-•* ").strip()
            line = _WHERE.sub("", line).strip()  # "(Mục II, điểm 3, tiết i)": where, not what
            if line and not line.endswith(":"):
                lines.append(line)
        return " ".join(lines)

    # -- the reference words, as typed ------------------------------------------------
    def _pattern(self, family: str, text: str) -> tuple[re.Pattern[str], str]:
        """A reference family read with its marks ("đó" is that, "do" is by), or, for text
        typed without marks, its "<family>_folded" twin over the folded text (offsets kept)."""
        if has_diacritics(text):
            return self.rules.pattern(family), text
        return self.rules.pattern(family + "_folded"), fold_aligned(text)

    def _search(self, family: str, text: str) -> re.Match[str] | None:
        pattern, subject = self._pattern(family, text)
        return pattern.search(subject)

    def _finditer(self, family: str, text: str) -> list[re.Match[str]]:
        pattern, subject = self._pattern(family, text)
        return list(pattern.finditer(subject))

    def _is_followup(self, question: str) -> bool:
        words = _WORD.findall(question)
        if self._search("hint", question) or len(words) <= 5 or not self.recognizer.mentions(question):
            return True
        folded = fold_aligned(question)  # "cái số 24", "sáng kiến tiếp theo": a part only the conversation names
        return bool(
            self.rules.pattern("bare_number").search(folded)
            or self.rules.pattern("adjacent").search(folded)
            or self.rules.pattern("pick").search(folded)
        )

    # -- resolution ------------------------------------------------------------------
    def _resolve(self, question: str, exchanges: list[_Exchange]) -> str:
        question = self._unopened(question)
        question = self._timed(question, exchanges)
        previous = exchanges[-1].question
        core = self._core(question)
        picked = self._listed_pick(core, exchanges)
        if picked:
            # no turn names a document: the one the list was quoted from, before the question
            placed = self._placed(picked, exchanges)
            return placed or self._with_source(picked, exchanges) or self._with_document(picked, exchanges)
        part = self._numbered_reference(core, exchanges[-1])
        if part:
            # "còn cái trước đó thì sao?": the previous question asked of that part
            kinds = {s.kind for s in self._slots(previous)}
            same = all(s.kind in kinds for s in self._slots(part))
            swapped = self._swap(previous, part) if same else None
            return swapped or self._with_document(part, exchanges)
        counted = self._counted_pick(core, exchanges) if self._listing(exchanges) is None else None
        if counted:
            return self._with_document(counted, exchanges)
        swapped = self._figure_swap(previous, core) or self._swap(previous, core)
        if swapped:
            return swapped
        resolved = self._references(core, exchanges)
        if resolved is not None:
            return self._with_document(resolved, exchanges)
        listed = self._list_request(core, previous)
        if listed:
            return listed
        sibling = self._sibling_swap(question, core, previous)
        if sibling:
            return self._with_document(sibling, exchanges)
        about = self._about_swap(question, core, previous)
        if about:
            return self._with_document(about, exchanges)
        topic = self._topic_swap(question, core, previous)
        if topic:
            return self._with_document(topic, exchanges)
        pronoun = self._pronoun(core, exchanges[-1])
        if pronoun:
            return self._with_document(pronoun, exchanges)
        people = self._people(core, exchanges[-1])
        if people:
            return self._with_document(people, exchanges)
        # "nhiệm vụ này" whose entity no turn names ("Hướng tới tối thiểu đạt 25%"): like "việc
        # này", it is about what the last exchange was about
        generic = self._search("generic_reference", core) or self._search("reference", core)
        if generic and _QUOTED.search(core[: generic.start()]):
            # 'người ta hay nói "văn hóa đổi mới sáng tạo"; … cái đó được hiểu là gì?': the
            # message names what it refers to itself
            return self._with_document(core, exchanges)
        if generic or self._elliptic(core):
            context = previous.rstrip(" ?.")
            gist = self._gist(exchanges[-1].answer) if generic else ""
            if gist:
                context += "; " + gist
            return f"{core.rstrip(' ?.')} ({context})?"
        field = self._field_of_part(core, previous)
        if field:
            return self._with_document(field, exchanges)
        return self._with_document(core, exchanges)

    def _timed(self, question: str, exchanges: list[_Exchange]) -> str:
        """The follow-up with its time expressions said as the documents say time, counted
        from the date of the document in focus or the year the previous question names."""
        document_year = None
        for text in [t for e in reversed(exchanges) for t in (e.question, e.raw)]:
            dated = [
                d.date
                for m in self.recognizer.mentions(text)
                for d in self.recognizer.documents
                if d.id == m.doc_id and d.date[:4].isdigit()
            ]
            if dated:
                document_year = int(dated[0][:4])
                break
        previous = exchanges[-1].question
        years = [previous[s.start : s.end] for s in self._slots(previous) if s.kind in ("year", "period")]
        years = [y[-4:] for y in years if y[-4:].isdigit()]  # a period counts from its last year
        previous_year = int(years[-1]) if years else None
        periods = [previous[s.start : s.end] for s in self._slots(previous) if s.kind == "period"]
        bounds = re.findall(r"\d{4}", periods[-1]) if periods else []
        period = (int(bounds[0]), int(bounds[-1])) if len(bounds) == 2 else None
        return self.times.read(question, document_year, previous_year, period)

    def _unopened(self, question: str) -> str:
        """The follow-up without its chat opener ("Ok, …", "Cho hỏi thêm: …")."""
        opener = self.rules.pattern("opener").match(fold_aligned(question))
        if not opener or opener.end() >= len(question.rstrip(" ?.")):
            return question
        rest = question[opener.end() :]
        return rest[:1].upper() + rest[1:]

    def _core(self, question: str) -> str:
        """The follow-up without "thế còn … thì sao?"."""
        folded = fold_aligned(question)
        marker = self.rules.pattern("marker").match(folded)
        text = question[marker.end() :] if marker and marker.end() < len(question) else question
        tail = self.rules.pattern("tail").search(fold_aligned(text))
        if tail and tail.start() > 0:
            text = text[: tail.start()] + "?"
        text = text.strip(" ,")
        return text[:1].upper() + text[1:] if text else question

    def _with_document(self, core: str, exchanges: list[_Exchange]) -> str:
        """The follow-up, told which document the conversation is about (else the question
        before it, in brackets)."""
        return self._placed(core, exchanges) or f"{core.rstrip(' ?.')} ({exchanges[-1].question.rstrip(' ?.')})?"

    def _placed(self, core: str, exchanges: list[_Exchange]) -> str | None:
        """The follow-up, told the document a turn names (itself when it names one); None when
        no turn names one."""
        if self.recognizer.mentions(core):
            return core
        last = exchanges[-1]
        # the previous question names several documents ("chương trình hành động của Chính phủ
        # về NQ57"): the one its answer cited is the one the conversation is about
        cited = {m.doc_id for m in self.recognizer.mentions(last.raw)}
        named = [m for m in self.recognizer.mentions(last.question) if m.designates]
        if len({m.doc_id for m in named}) > 1:
            mention = next((m for m in named if m.doc_id in cited), None)
            if mention:
                return f"{core.rstrip(' ?.')} (theo {last.question[mention.start : mention.end]})?"
        texts = [e.question for e in reversed(exchanges)] + [e.answer for e in reversed(exchanges)]
        for text in texts:
            targets = self.recognizer.targets(text)
            mention = next((m for m in self.recognizer.mentions(text) if m.doc_id in targets), None)
            if mention:
                return f"{core.rstrip(' ?.')} (theo {text[mention.start : mention.end]})?"
        return None

    # -- 2. a changed slot -------------------------------------------------------------
    def _slots(self, text: str) -> list[_Slot]:
        folded = fold_aligned(text)
        # a period ("2028 - 2030") is one slot: it replaces a period, not each of its years
        slots = [_Slot("period", m.start(), m.end()) for m in self.rules.pattern("period").finditer(folded)]
        named = [m.end for m in self.recognizer.mentions(text)]
        for m in self.rules.pattern("year").finditer(folded):
            # "Nghị quyết 20 năm 2012": the document's date, not a year the question asks of
            dated = any(
                re.fullmatch(r"\s*(?:nam|ngay [\d/]+)?\s*", folded[e : m.start()]) for e in named if e <= m.start()
            )
            slots.append(_Slot("date" if dated else "year", m.start(), m.end()))
        slots += [_Slot("year", a, b) for a, b in self.times.said(text)]
        for family in ("numbered", "lettered"):
            for m in self.rules.pattern(family).finditer(folded):
                slots.append(_Slot("numbered:" + m.group(1), m.start(), m.end()))
        for m in self._body.finditer(folded):
            slots.append(_Slot("body", m.start(), m.end()))
        for mention in self.recognizer.mentions(text):
            # a name that is the body a document is by ("Viện Hàn lâm"), not the document, is a body
            slots.append(_Slot("document" if mention.designates else "body", mention.start, mention.end))
        slots.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[_Slot] = []
        for s in slots:  # overlapping slots: the first, longest one
            if not any(k.start < s.end and s.start < k.end for k in kept):
                kept.append(s)
        return kept

    def _swap(self, previous: str, core: str) -> str | None:
        """The previous question with the follow-up's slots in place of its own, when the
        follow-up is little more than those slots ("Còn năm 2045 thì sao?")."""
        new = self._slots(core)
        if not new:
            return None
        if (
            len(new) >= 2
            and len({s.kind for s in new}) == 1
            and any(o.kind == new[0].kind for o in self._slots(previous))
        ):
            # "còn sáng kiến 19 và sáng kiến 20 thì sao?": the previous question asked of each
            if self._joined(core[a.end : b.start] for a, b in zip(new, new[1:])):
                rest = core[: new[0].start] + core[new[-1].end :]
                asks = [self._swap(previous, core[s.start : s.end] + rest[new[0].start :]) for s in new]
                if all(asks):
                    return " ".join(a for a in asks if a)
        rest = core
        for s in sorted(new, key=lambda s: -s.start):
            rest = rest[: s.start] + " " + rest[s.end :]
        extra = [w for w in _WORD.findall(rest) if fold(w) not in self._filler and not w.isdigit()]
        again = self._counts_again(rest, previous)
        if again:
            extra = []  # "còn nhóm 5 thì có mấy?": the previous count, of the new slot
        elif len(extra) > 2 or self._query_rules.search("question_signal", rest.replace("?", " ")):
            return None  # a question of its own that happens to name a year or a body
        old = self._slots(previous)
        edits = {}
        for s in new:
            same = [o for o in old if o.kind == s.kind]
            if same:  # the last year: a target year rather than the document's own date; the
                # first body: the one the question is about, not the one reported to
                pick = same[0] if s.kind == "body" else same[-1]
                value, start = core[s.start : s.end], pick.start
                if s.kind == "year" and not value[:1].isdigit():  # "năm 2030" → "giữa thế kỷ XXI"
                    before = re.search(r"\bnam\s+$", fold_aligned(previous[: pick.start]))
                    start = before.start() if before else start
                    value = value[:1].lower() + value[1:]  # capitalised as the start of the follow-up
                elif s.kind == "year" and not previous[pick.start : pick.start + 1].isdigit():
                    value = "năm " + value  # "giữa thế kỷ XXI" → "năm 2030"
                if value[:1].isupper() and previous[pick.start : pick.start + 1].islower():
                    value = value[:1].lower() + value[1:]  # "Điểm 4" opened the follow-up
                end = pick.end
                if again and s.kind.startswith("numbered:"):
                    start, end = self._apposition(previous, pick.start, pick.end)
                    if end > pick.end:  # "(điểm 3 Mục III)": the rest of the place kept
                        value += previous[pick.end : end - 1].rstrip()
                edits[(start, end)] = value
            elif s.kind == "year":  # "… vào năm nào?" asked again of the time said
                when = self.times.rules.pattern("when_ask").search(fold_aligned(previous))
                if when:
                    value = core[s.start : s.end]
                    edits[(when.start(), when.end())] = (
                        previous[when.start() : when.end("prep")] if when.group("prep") else "vào "
                    ) + value
        out = previous
        for (a, b), value in sorted(edits.items(), reverse=True):
            out = out[:a] + value + out[b:]
        if not edits:  # the previous question had no such slot: it is added
            added = core.strip(" ?.")
            added = added[:1].lower() + added[1:] if added[1:2].islower() else added
            if all(s.kind == "document" for s in new):
                added = "theo " + added
            return f"{previous.rstrip(' ?.')} ({added})?"
        out = out[:1].upper() + out[1:]
        return f"{out.rstrip(' ?.')} ({' '.join(extra)})?" if extra else out

    def _joined(self, gaps: Iterable[str]) -> bool:
        """Each gap between two values is words that join them ("và", "với": slot_joiner)."""
        return all(gap.strip() and all(fold(w).lower() in self._joiner for w in _WORD.findall(gap)) for gap in gaps)

    def _apposition(self, previous: str, start: int, end: int) -> tuple[int, int]:
        """The span of a numbered part said in brackets together with the description before
        it ("Nhóm nhiệm vụ hoàn thiện thể chế (nhóm 2)"): what a count asked again of another
        part replaces. The part's own span when it is not so said."""
        opening = previous.rfind("(", 0, start)
        closing = previous.find(")", end)
        if opening < 0 or previous[opening + 1 : start].strip() or closing < 0:
            return start, end
        inner = previous[end:closing]
        if self._query_rules.search("question_signal", inner):
            return start, end
        head = previous[:opening]
        # the description is the subject the question opens with, or, after the ask ("Có bao
        # nhiêu sáng kiến thuộc Hệ thống an sinh (Hệ thống 3)"), what follows its last stop word
        asks = [m.end() for m in self._query_rules.pattern("question_signal").finditer(fold_aligned(head))]
        begin = 0
        if asks:
            stops = [
                m.end() for m in _WORD.finditer(head, asks[-1]) if fold(m.group(0)).lower() in self._apposition_stops
            ]
            if not stops:
                return start, end
            begin = stops[-1]
        while begin < opening and head[begin].isspace():
            begin += 1
        return begin, closing + 1

    def _counts_again(self, rest: str, previous: str) -> bool:
        """Whether a follow-up's words besides its slots only ask the previous question's count
        again ("còn nhóm 5 thì có mấy?" after "Nhóm 2 … có bao nhiêu nhiệm vụ?"); a noun it
        names must be one the previous question says."""
        said = " ".join(fold_aligned(rest).split())
        m = self.rules.pattern("count_again").search(said)
        before = fold_aligned(previous)
        if not m or not self.rules.pattern("count_asked").search(before):
            return False
        noun = m.group("noun")
        return not noun or re.search(rf"\b{re.escape(noun)}\b", before) is not None

    def _figure_swap(self, previous: str, core: str) -> str | None:
        """ "Chỉ tiêu ấy năm 2045 là bao nhiêu?", "con số đó đến 2030 thì sao": the previous
        question with the new slot, when the follow-up says nothing else than the figure it
        refers to, the slot and the ask; None otherwise."""
        ref = self._search("figure_reference", core)
        new = self._slots(core)
        if ref is None or not new:
            return None
        kinds = {s.kind for s in self._slots(previous)}
        if any(s.kind not in kinds for s in new):
            return None
        spans = [(ref.start(), ref.end())] + [(s.start, s.end) for s in new]
        rest = "".join(" " if any(a <= i < b for a, b in spans) else c for i, c in enumerate(core))
        words = [fold(w).lower() for w in _WORD.findall(rest) if not w.isdigit()]
        if any(w not in self._filler and w not in self._frame for w in words):
            return None
        return self._swap(previous, " ".join(core[s.start : s.end] for s in new))

    def _list_request(self, core: str, previous: str) -> str | None:
        """ "Liệt kê ra đi", "chúng gồm những gì?" after a count ("… có bao nhiêu hệ
        thống?"): the count asked again with its list tail ("… ? Kể tên."), which the
        answer lists from the document tree; None otherwise."""
        if not self.rules.pattern("list_request").search(fold_aligned(core).strip()):
            return None
        if self._slots(core) or len(_WORD.findall(core)) > 8:
            return None
        if not load_rules("answers").search("count", previous):
            return None
        return f"{previous.rstrip(' ?.')}? Kể tên."

    def _sibling_swap(self, question: str, core: str, previous: str) -> str | None:
        """ "Còn trung hạn?" after "… mục tiêu ngắn hạn đến năm 2025 …": a new subject of two or
        three words that ends with the same head word as a phrase of as many words of the
        previous question (a sibling of one compound: "ngắn hạn" / "trung hạn", "tiến sĩ" /
        "thạc sĩ") takes that phrase's place; a year said right after the phrase was its own
        and goes with it. None when the follow-up is no "còn … thì sao", asks a question of
        its own, or no phrase of the previous question is its sibling."""
        if not self.rules.pattern("what_about").search(fold_aligned(question)):
            return None
        subject = core.rstrip(" ?.").strip()
        words = _WORD.findall(subject)
        if not 2 <= len(words) <= 3 or self._asks_itself(subject) or self._slots(subject):
            return None
        if self.recognizer.mentions(subject) or self._search("generic_reference", subject):
            return None
        folded = [fold(w).lower() for w in words]
        head = folded[-1]
        if head in self._filler or head in self._ends or head in self.rules.word_set("sibling_stop"):
            return None
        said = list(_WORD.finditer(previous))
        prev = [fold(m.group(0)).lower() for m in said]
        if " ".join(folded) in " ".join(prev):
            return None  # the previous question says it already: no sibling to replace
        n = len(words)
        named = [(m.start, m.end) for m in self.recognizer.mentions(previous)]
        found = [
            i
            for i in range(len(prev) - n + 1)
            if prev[i + n - 1] == head
            and all(prev[i + k] != folded[k] for k in range(n - 1))
            and not any(a < said[i + n - 1].end() and said[i].start() < b for a, b in named)
        ]
        if len(found) != 1:
            return None
        start, end = said[found[0]].start(), said[found[0] + n - 1].end()
        # "ngắn hạn đến năm 2025", "ngắn hạn (2025)": the year qualified the phrase replaced
        tail = re.match(r"\s*(\()?\s*", previous[end:])
        year = self.rules.pattern("year_phrase").match(fold_aligned(previous), end + tail.end()) if tail else None
        if year and not self.rules.pattern("year").search(fold(subject)):
            close = re.match(r"\s*\)", previous[year.end() :]) if tail and tail.group(1) else None
            if not (tail and tail.group(1)) or close:
                end = year.end() + (close.end() if close else 0)
        value = subject if subject[1:2].isupper() else subject[:1].lower() + subject[1:]
        out = previous[:start] + value + previous[end:]
        return out[:1].upper() + out[1:]

    def _about_swap(self, question: str, core: str, previous: str) -> str | None:
        """ "Còn về hạ tầng số thì sao?" after "Nghị quyết 57 nói gì về nhân lực?": the
        previous question with the new subject in place of what it was about; None when the
        follow-up is no "còn … thì sao", asks a question of its own, or the previous
        question says no "về …" / "đối với …"."""
        if not self.rules.pattern("what_about").search(fold_aligned(question)):
            return None
        subject = core.rstrip(" ?.")
        subject = re.sub(r"^(?:[Vv]ề|[Vv]e|[Đđ]ối với|[Dd]oi voi|[Vv]ới|[Vv]oi)\s+", "", subject).strip()
        if not subject or self._asks_itself(subject) or self._elliptic(core):
            return None
        if self._search("generic_reference", subject) or self.recognizer.mentions(subject):
            return None
        topic = self.rules.pattern("topic").search(fold_aligned(previous))
        if not topic:
            return None
        subject = subject[:1].lower() + subject[1:] if subject[1:2].islower() else subject
        return previous[: topic.start(1)] + subject + previous[topic.end(1) :]

    def _topic_swap(self, question: str, core: str, previous: str) -> str | None:
        """ "Còn dịch vụ công trực tuyến thì sao?": a new subject asked the previous way; it
        takes the previous question's target year and its ask ("đến năm 2030 … đạt bao
        nhiêu"). None when the follow-up is no "còn … thì sao" or asks a question of its own."""
        folded = fold_aligned(question)
        if not self.rules.pattern("what_about").search(folded):
            return None  # "Tổng công trình sư thì báo cáo thế nào?" asks how, of its own
        subject = core.rstrip(" ?.")
        if not subject or self._asks_itself(core) or self._elliptic(core):
            return None
        if self._search("generic_reference", subject):
            return None
        prev = fold_aligned(previous)
        ask = self.rules.pattern("ask").search(prev)
        if not ask or len(ask.group(0).split()) < 2:
            return None  # a bare "gì" says too little of what was asked
        year = self.rules.pattern("year_phrase").search(prev)
        pieces = [subject]
        part = next(iter(self._parts(previous)), None)
        if part and not self._parts(subject):  # "còn mục tiêu thì sao?" after "Sáng kiến 9 là gì?"
            pieces.append(f"của {part[0]}")
        if year and not self.rules.pattern("year").search(fold(subject)):
            said = previous[year.start() : year.end()].strip()
            pieces.append(said[:1].lower() + said[1:])
        pieces.append(previous[ask.start() : ask.end()].strip().rstrip(" ?."))
        return " ".join(pieces) + "?"

    def _field_of_part(self, core: str, previous: str) -> str | None:
        """ "nội dung cụ thể gồm những nền tảng gì?" after "Sáng kiến 24 … có mục tiêu gì?": a
        follow-up opening with a field of a numbered part's items (part_fields) and naming no
        part of its own asks that field of the part the last question named; None otherwise."""
        folded = " ".join(_WORD.findall(fold(core)))
        if not any(folded.startswith(f + " ") or folded == f for f in self.rules.word_set("part_fields")):
            return None
        if self._parts(core):
            return None
        named = [p for p in self._parts(previous) if p[1] not in self.rules.word_set("location_kinds")]
        if len(named) != 1:
            return None
        return f"{core.rstrip(' ?.')} ({named[0][0]})?"

    def _asks_itself(self, text: str) -> bool:
        """The text asks a question of its own ("… gửi về đâu?"), not just names a subject."""
        if self._query_rules.search("question_signal", text.rstrip(" ?.")):
            return True
        return bool(self._search("own_ask", text))

    def _pronoun(self, core: str, last: _Exchange) -> str | None:
        """ "nó": the numbered part the previous question was about ("sáng kiến 26"), else
        the one its answer named when it asked which one ("KH01 có sáng kiến nào về công
        nghệ gen?" → "Sáng kiến 27 …"), else the document it named; None when none. "cái
        đó", "cái này": the numbered part only."""
        pronoun = self._search("pronoun", core)
        m = pronoun or self._search("thing_reference", core)
        if m is None:
            return None
        previous = last.question
        parts = self._parts(previous)
        if not parts and self.rules.search("asked_kind", previous):
            parts = self._parts(last.answer, answer=True)
        if pronoun is None and not parts:
            return None  # "cái đó": a numbered part, never the document
        if parts:
            name = parts[0][0]
        else:
            named = [x for x in self.recognizer.mentions(previous) if x.designates]
            # "Theo bài so sánh, Nghị quyết 20 …": the source the question is framed by is not
            # what "nó" is about when it names another document
            about = [
                x
                for x in named
                if not re.search(r"\btheo\s+(?:(?:bai|van ban)\s+)?$", fold_aligned(previous[: x.start]))
            ]
            mention = next(iter(about or named), None)
            if mention is None:
                return None
            name = previous[mention.start : mention.end]
        out = core[: m.start()] + name + core[m.end() :]
        return out[:1].upper() + out[1:]

    def _people(self, core: str, last: _Exchange) -> str | None:
        """ "họ phải báo cáo vào ngày nào?" after "Đảng ủy Chính phủ có nhiệm vụ gì …?": the
        body the previous question named (entities.toml bodies) in place of "họ"; None when
        the follow-up says no "họ" or that question names no body."""
        m = self._search("people_pronoun", core)
        if m is None:
            return None
        body = self._body.search(fold_aligned(last.question))
        if body is None:
            return None
        out = core[: m.start()] + last.question[body.start() : body.end()] + core[m.end() :]
        return out[:1].upper() + out[1:]

    # -- a numbered part by its number or its place ----------------------------------
    def _parts(self, text: str, answer: bool = False) -> list[tuple[str, str, int | None]]:
        """The numbered parts a text names: (as written, folded kind, number or None); an
        answer's locations ("Mục II, điểm 3") are where it quotes from, not what it names."""
        out = []
        folded = fold_aligned(text)
        for m in self.rules.pattern("numbered").finditer(folded):
            if answer and m.group(1) in self.rules.word_set("location_kinds"):
                continue
            value = m.group(2)
            number = int(value) if value.isdigit() else None
            out.append((text[m.start() : m.end()], m.group(1), number))
        return out

    def _numbered_reference(self, core: str, last: _Exchange) -> str | None:
        """ "cái số 25" after "có những sáng kiến nào?" → "Sáng kiến 25"; "cái tiếp theo"
        after "Sáng kiến 11 …" → "Sáng kiến 12"; None when the follow-up says neither or the
        last exchange names no such part."""
        folded = fold_aligned(core)
        asked = self.rules.pattern("asked_kind").search(fold_aligned(last.question))
        asked_kind = (asked.group(1) or asked.group(2)) if asked else ""
        parts = self._parts(last.question) + self._parts(last.answer, answer=True)
        bare = self.rules.pattern("bare_number").search(folded)
        if bare:
            value = bare.group(1) or self.rules.mapping("ordinal").get(bare.group(2) or bare.group(3) or "", "")
            # the kind asked for, else the one the answer named, else the question's
            kinds = [k for _, k, _ in self._parts(last.answer, answer=True) + self._parts(last.question)]
            kind = asked_kind if self.rules.pattern("numbered").match(f"{asked_kind} 1") else ""
            kind = kind or next(iter(kinds), "")
            if not value or not kind:
                return None
            label = self._kind_as_written(kind, last)
            if not bare.group(1):  # "cái thứ hai": a place, of the parts the answer named in turn
                named = list(
                    dict.fromkeys(n for _, k, n in self._parts(last.answer, answer=True) if k == kind and n is not None)
                )
                if len(named) >= 2 and int(value) <= len(named):
                    value = str(named[int(value) - 1])
            return self._capital(core[: bare.start()] + f"{label} {value}" + core[bare.end() :])
        near = self.rules.pattern("adjacent").search(folded)
        if near:
            kind = near.group(1)
            base = next((p for p in parts if p[2] is not None and (kind == "cai" or p[1] == kind)), None)
            if base is None:
                return None
            step = -1 if "truoc" in near.group(2) else 1
            number = base[2]
            assert number is not None
            if number + step < 1:
                return None
            label = self._kind_as_written(base[1], last)
            return self._capital(core[: near.start()] + f"{label} {number + step}" + core[near.end() :])
        return None

    def _listed_pick(self, core: str, exchanges: list[_Exchange]) -> str | None:
        """ "cái thứ 3 là gì?", "ý thứ hai", "cái cuối cùng", "tầng 3 gồm gì?" after an answer
        that listed items ("- 1. …", "- Thứ ba, …"): the follow-up with the item picked in place
        of the words that pick it (its label, "Sáng kiến 22", when it has one, else its title);
        None when the answer lists no such item, or when the number is an item's own label
        ("sáng kiến 22" among Sáng kiến 21-25: the numbered part itself). The list is the last
        answer's, else the latest earlier answer that listed items ("… sáng kiến cuối cùng trong
        danh sách đó" two turns after the list); every pick of the follow-up is replaced ("cái
        thứ nhất … và cái thứ ba …")."""
        matches = list(self.rules.pattern("pick").finditer(fold_aligned(core)))
        if not matches:
            return None
        listing = self._listing(exchanges)
        if listing is None:
            return None
        items = _listed_items(listing.raw)
        if len(matches) > 1 and self._joined(core[a.end() : b.start()] for a, b in zip(matches, matches[1:])):
            # "cái thứ nhất và cái thứ 4 là gì?", "cái đầu tiên với cái thứ 4": the ask of each item
            tail = core[matches[-1].end() :].rstrip(" ?.") or " là gì"
            places = [self._picked_place(m, items, listing) for m in matches]
            if all(k is not None and 1 <= k <= len(items) for k in places):
                said = [items[k - 1][1] or items[k - 1][2] for k in places if k is not None]
                return " ".join(self._capital(x + tail) + "?" for x in said)
        out = core
        for m in reversed(matches):
            k = self._picked_place(m, items, listing)
            if k is None or not 1 <= k <= len(items):
                if m is matches[0]:
                    return None
                continue
            _, label, title = items[k - 1]
            ref = self.rules.pattern("list_reference").match(fold_aligned(out[m.end() :]))
            end = m.end() + (ref.end() if ref else 0)  # "cái cuối cùng trong danh sách đó": the item
            out = out[: m.start()] + (label or title) + out[end:]
        return self._capital(out)

    def _counted_pick(self, core: str, exchanges: list[_Exchange]) -> str | None:
        """ "nhóm thứ tư là gì?", "cái cuối cùng?" after a count whose answer listed no items
        ("Nghị quyết 57 có mấy nhóm nhiệm vụ, giải pháp?" - "Có 7 nhóm …"): the counted noun
        with the place picked ("Nhóm nhiệm vụ, giải pháp thứ tư là gì?"), which the tree answers
        by its numbered part; the last one is the count the answer states. None when the
        previous question counts no noun or the place is not said."""
        matches = list(self.rules.pattern("pick").finditer(fold_aligned(core)))
        if len(matches) != 1:
            return None
        m, last = matches[0], exchanges[-1]
        folded = fold_aligned(last.question)
        counted = self.rules.pattern("counted_noun").search(folded)
        if counted is None:
            return None
        noun = last.question[counted.start(1) : counted.end(1)].strip(" ,")
        kind = self.rules.pattern("counted_kind").match(fold_aligned(noun).lower())
        own = fold(core[m.start() : m.end()]).lower().split()[:1] == fold(noun).lower().split()[:1]
        if kind and not own:  # "cái thứ ba" of "hệ thống chiến lược": "Hệ thống thứ ba", as the tree numbers
            noun = noun[: kind.end()]  # its parts ("nhóm thứ tư" says the noun's own word: the noun whole)
        if m.group("pos"):
            place = "thứ " + core[m.start("pos") : m.end("pos")]
        elif m.group("first"):
            place = "thứ nhất"
        elif m.group("last"):
            head = re.escape(fold(noun).lower().split()[0])
            said = re.search(rf"\b(\d{{1,3}})\s+{head}\b", fold(last.answer).lower())
            if said is None:
                return None
            place = "thứ " + said.group(1)
        else:
            return None
        out = core[: m.start()] + f"{noun} {place}" + core[m.end() :]
        return self._capital(out.strip())

    @staticmethod
    def _listing(exchanges: list[_Exchange]) -> _Exchange | None:
        """The exchange whose answer gave the list a pick reads: the latest that listed items,
        past the answers to earlier picks ("Cái thứ nhất là gì?" answered with that item's
        own points: "còn cái thứ 3?" is of the list before)."""
        return next((e for e in reversed(exchanges) if not e.picked and len(_listed_items(e.raw)) >= 2), None)

    def _with_source(self, picked: str, exchanges: list[_Exchange]) -> str | None:
        """An item picked from a list, told the document the list was quoted from ("Theo Kế
        hoạch 01-KH/BCĐTW, Mục II:", a line the answer's claims leave out), when no turn names
        one; None when the item names its document or the list names none."""
        listing = self._listing(exchanges)
        if listing is None or self.recognizer.mentions(picked):
            return None
        mention = next((m for m in self.recognizer.mentions(listing.raw) if m.designates), None)
        if mention is None:
            return None
        return f"{picked.rstrip(' ?.')} (theo {listing.raw[mention.start : mention.end]})?"

    def _picked_place(
        self, m: re.Match[str], items: list[tuple[int | None, str, str]], listing: _Exchange
    ) -> int | None:
        """The place in the list a pick points at (1-based); None when the number is no place."""
        if m.group("last"):
            return len(items)
        if m.group("first"):
            return 1
        if m.group("pos"):
            value = m.group("pos")
            return int(value) if value.isdigit() else int(self.rules.mapping("ordinal").get(value, "0"))
        kind, n = m.group("kind"), int(m.group("n"))
        if kind in self.rules.word_set("place_kinds"):
            return n  # "ý 3": the third item, whatever the list is of
        asked = re.search(r"\b(?:nhung|cac|may|bao nhieu)\s+(\w+)", fold(listing.question).lower())
        if asked is None or asked.group(1) != kind.split()[0]:
            return None  # "sáng kiến 12" after another kind of list: the part itself
        if any(re.match(rf"{re.escape(kind)}\s+\d", fold(label).lower()) for _, label, _ in items):
            return None
        numbered = [i for i, (number, _, _) in enumerate(items) if number == n]
        return numbered[0] + 1 if numbered else n

    def _kind_as_written(self, kind: str, last: _Exchange) -> str:
        """A folded kind ("sang kien") as the conversation wrote it ("Sáng kiến")."""
        for text in (last.question, last.answer):
            m = re.search(rf"(?<!\w){re.escape(kind)}(?!\w)", fold_aligned(text))
            if m:
                written = text[m.start() : m.end()]
                return written[:1].upper() + written[1:]
        return kind[:1].upper() + kind[1:]

    @staticmethod
    def _capital(text: str) -> str:
        return text[:1].upper() + text[1:]

    # -- 3. references ---------------------------------------------------------------
    def refer(self, part: str, before: str) -> str | None:
        """One ask of a multi-part question with its references ("quyết định đó", "nó")
        resolved against the asks before it; None when it holds none that resolves."""
        exchanges = [_Exchange(before)]
        if self.rules.pattern("what_about").search(fold_aligned(part)):
            # "…, còn kinh phí R&D nữa?": a follow-up within the message, of the asks before it
            followed = self._resolve(self.reader.read(part), exchanges)
            return followed if fold(followed) != fold(part) else None
        resolved = self._references(part, exchanges)
        if resolved is None:
            resolved = self._pronoun(part, exchanges[0])
        return resolved if resolved and resolved != part else None

    def _references(self, core: str, exchanges: list[_Exchange]) -> str | None:
        """The follow-up with "sáng kiến đó" replaced by its antecedent; None when it holds
        no reference or none is found."""
        found = False
        out = core
        own = {x.doc_id for x in self.recognizer.mentions(core)}
        for m in reversed(list(self._finditer("reference", core))):
            antecedent = self._antecedent(m.group(1), exchanges, own)
            if antecedent:
                out = out[: m.start()] + antecedent + out[m.end() :]
                found = True
        return out if found else None

    def _antecedent(self, referent: str, exchanges: list[_Exchange], own: AbstractSet[str] = frozenset()) -> str | None:
        key = fold(referent)
        if key in self.rules.word_set("document_referents"):
            # "bài đó" is the analysis named, "nghị quyết đó" a resolution: a document of the
            # referent's kind when one was named, and never the one the follow-up names itself
            # ("còn KL69 thì bài đó nhận xét gì?": "bài đó" is the comparison, not KL69)
            named = [
                (text, m)
                for e in reversed(exchanges)
                for text in (e.question, e.answer)
                for m in self.recognizer.mentions(text)
                if m.designates and m.doc_id not in own
            ]
            kind = next(((t, m) for t, m in named if self._of_kind(m.doc_id, key)), None)
            chosen = kind or next(iter(named), None)
            if chosen is None:
                return None
            text, mention = chosen
            # "quyết định đó" of the plan that a decision issued: the plan by its name as
            # a decision ("Quyết định 116")
            return (None if kind else self._alias_of_kind(mention.doc_id, key)) or text[mention.start : mention.end]
        if key in self.rules.word_set("person_referents"):
            # "người đó": the role the conversation last named ("… phải có 1 Tổng công trình sư")
            for e in reversed(exchanges):
                for text in (e.question, e.answer):
                    role = self._role.search(fold_aligned(text).lower())
                    if role:
                        name = text[role.start() : role.end()]
                        return name[:1].upper() + name[1:]
            return None
        bodies = key in self.rules.word_set("body_referents")
        for e in reversed(exchanges):
            # after "Ai chủ trì …?" the body is the one its answer names, not one the question
            # names as the frame ("… Chương trình hành động của Chính phủ")
            texts = (e.answer, e.question) if bodies and e.answer and asks_lead(e.question) else (e.question, e.answer)
            for text in texts:
                # "cơ quan đó", "bộ này": the body named ("Bộ Khoa học và Công nghệ chủ trì …")
                body = self._body.search(fold_aligned(text)) if bodies else None
                phrase = text[body.start() : body.end()] if body else self._named(key, text)
                if phrase:
                    return phrase
        return None

    def _of_kind(self, doc_id: str, key: str) -> bool:
        """The document is of the kind a referent names ("bai" → "Bài phân tích")."""
        doc = next((d for d in self.recognizer.documents if d.id == doc_id), None)
        return doc is not None and fold(doc.kind).startswith(key.split()[0] if key.startswith("bai") else key)

    def _alias_of_kind(self, doc_id: str, key: str) -> str | None:
        """The document's first name that starts with the referent's kind ("Quyết định 116"
        for "quyết định"), when the referent names a kind (not "văn bản")."""
        if key in self.rules.word_set("any_document"):
            return None
        doc = next((d for d in self.recognizer.documents if d.id == doc_id), None)
        names = (doc.short, *doc.aliases) if doc else ()
        return next((n for n in names if re.match(rf"{re.escape(key)}\s+\d", fold(n))), None)

    def _named(self, key: str, text: str) -> str | None:
        """In text, the referent with what names it: "sáng kiến 26", "Trung tâm dữ liệu
        quốc gia" (up to the first punctuation, verb or function word)."""
        folded = fold_aligned(text)
        for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            tail = text[m.end() :]
            number = re.match(r"\s+((?:thứ\s+)?(?:\d{1,3}|[IVX]{1,5})\b)", tail)
            if number:
                return text[m.start() : m.end() + number.end()]
            pos = count = 0
            for w in re.finditer(r"\s+([^\W\d_][\w-]*)", tail):
                if w.start() != pos or self._ends_phrase(w.group(1)) or count >= 8:
                    break
                pos, count = w.end(), count + 1
            if count:
                return text[m.start() : m.end() + pos]
        return None

    def _ends_phrase(self, word: str) -> bool:
        """A word where a name stops: "do", "từ", "đó" as written ("đầu tư" goes on: "tư"
        is not "từ"); a word typed without marks is compared without them."""
        lower = word.lower()
        if self.rules.search("phrase_end_marked", lower):
            return True
        return fold(lower) == lower and lower in self._ends

    # -- 4. what the last exchange was about -------------------------------------------
    def _elliptic(self, core: str) -> bool:
        """A question with no subject of its own: "Ai chủ trì?", "Cụ thể là gì?"."""
        words = [w for w in _WORD.findall(fold(core)) if not w.isdigit()]
        return all(w in self._frame or w in self._filler for w in words)

    def _gist(self, answer: str) -> str:
        """The first claim of an answer, shortened."""
        if not answer:
            return ""
        a, b = next(iter(sentence_spans(answer)), (0, len(answer)))
        words = answer[a:b].split()
        return " ".join(words[: self.gist_words]).rstrip(" ,;.")
