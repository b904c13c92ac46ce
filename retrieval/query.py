"""How a question typed in a chat is read before it is searched and answered.

- the abbreviations people type are written out ("sk1" → "sáng kiến 1", "nq" → "nghị
  quyết", "ubnd" → "Ủy ban nhân dân", "cđs" → "chuyển đổi số"), and so are the spoken and
  regional words of everyday speech ("xài" → "dùng", "mần" → "làm", "được nhiêu" → "được bao
  nhiêu"; "mấy việc gì" → "những việc gì": which ones, not how many);
- the fillers of chat are dropped ("ad ơi cho mình hỏi", "… vậy ạ");
- of a long message, the actual ask is kept: the part after "cho tôi hỏi" / "xin hỏi", or
  else the sentences that ask, without the ones about the asker's own work ("Tôi là
  chuyên viên Sở …"). A document named only in the dropped part is carried along.

Reading is idempotent (reading a read question changes nothing), so every layer may read.
For the search only, a number spelled out after what is numbered is written as the documents
write it (``digits``: "sáng kiến thứ ba" → "sáng kiến 3", "hệ thống chiến lược 1" → "hệ thống
chiến lược 1 (hệ thống 1)"), and an English term people type is
followed by the documents' Vietnamese (``english``: "startup" → "startup (khởi nghiệp sáng
tạo)", "ứng dụng ai" → "ứng dụng AI").

The rules are data: retrieval/resources/rules/query.toml.
"""

from __future__ import annotations

import re

from .rules import RuleSet, load_rules
from .text import fold, fold_aligned, has_diacritics, nfc

_SENTENCE = re.compile(r"(?<=[.?!;:\n])\s+|\n+")
_WORDS = re.compile(r"\w+")


class QuestionReader:
    """Reads a typed question; built once with the document recognizer (optional)."""

    def __init__(self, recognizer=None, rules: RuleSet | None = None, long_words: int = 18):
        self.recognizer = recognizer
        self.rules = rules or load_rules("query")
        self.long_words = long_words
        self._abbr = self.rules.mapping("abbreviations")
        self._numbered = self.rules.mapping("numbered")
        self._counted = self.rules.mapping("counted_short")
        self._number_words = self.rules.mapping("number_words")
        self._english = self.rules.mapping("english")
        self._spoken = self.rules.mapping("spoken")

    def read(self, question: str) -> str:
        """The question as the search and the answer should read it. perf (issue 13): kept
        per reader (its rules and its recognizer's documents are fixed; a reader belongs to
        one index generation)."""
        from .memo import memo_of

        return memo_of(self, "_read_memo", 4096).get(question, lambda: self._read(question))

    def _read(self, question: str) -> str:
        text = " ".join(nfc(question).split())
        if not text:
            return text
        text = self.expand(text)
        text = self.actual_ask(text)
        return self.strip_fillers(text) or text

    # -- dates ---------------------------------------------------------------------
    def date_forms(self, text: str) -> list[str]:
        """The other way of writing each date of the text: "15/6" → "15 tháng 6",
        "ngày 09 tháng 01 năm 2025" → "09/01/2025" (the documents use both)."""
        out = []
        for family, day, month, year in self._dates(fold_aligned(text)):
            if family == "slash_date":
                out.append(f"{day} tháng {month}" + (f" năm {year}" if year else ""))
            else:
                out.append(f"{day}/{month}" + (f"/{year}" if year else ""))
        return out

    def _dates(self, folded: str):
        """(pattern family, day, month, year or None) of each date of a day and month that can
        be the folded text writes, "15/6" (slash_date) first, then "15 tháng 6" (word_date)."""
        for family in ("slash_date", "word_date"):
            for m in self.rules.pattern(family).finditer(folded):
                day, month, year = m.groups()
                if 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                    yield family, day, month, year

    def figures(self, text: str) -> frozenset[tuple]:
        """The dates (day, month) and shares ("30%", "30 phần trăm") the text writes, in
        either form ("15/6", "ngày 15 tháng 6 năm 2025"): what a question states, compared
        with what a clause states."""
        folded = fold_aligned(text).lower()
        out: set[tuple] = {("date", int(day), int(month)) for _, day, month, _ in self._dates(folded)}
        for m in self.rules.pattern("stated_share").finditer(folded):
            out.add(("share", m.group(1).replace(",", ".")))
        return frozenset(out)

    # -- abbreviations -------------------------------------------------------------
    def expand(self, text: str) -> str:
        """Chat abbreviations written out; a short form inside a document number, an
        ampersand compound or a word is left alone. In a question typed without tone
        marks they are written out without them too ("ctr hanh dong" → "chuong trinh
        hanh dong"): the question keeps one way of writing, which its reading depends on."""
        folded = fold_aligned(text)
        plain = not has_diacritics(text)
        spans: list[tuple[int, int, str]] = []
        for m in self.rules.pattern("numbered").finditer(folded):
            spans.append((m.start(), m.end(), f"{self._numbered[m.group(1)]} {m.group(2)}"))
        for m in self.rules.pattern("abbreviation").finditer(folded):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), self._abbr[m.group(1)]))
        for m in self.rules.pattern("counted_short").finditer(folded):  # "bn nv": the noun counted
            if not any(a < m.end(1) and m.start(1) < b for a, b, _ in spans):
                spans.append((m.start(1), m.end(1), self._counted[m.group(1)]))
        for m in self.rules.pattern("amount_bn").finditer(folded):  # "bn %": bao nhiêu, not "bn ơi"
            spans.append((m.start(), m.end(), "bao nhiêu"))
        for m in self.rules.pattern("chat_no").finditer(folded):  # "… 5G k?": không, not "điểm k"
            spans.append((m.start(), m.end(), "không"))
        for m in self.rules.pattern("spoken").finditer(text):  # "xài", "mần", "nhiêu": as typed with marks
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), self._spoken[m.group(m.lastindex or 0).lower()]))
        for m in self.rules.pattern("which_may").finditer(folded):  # "mấy việc gì": những, not a count
            if not any(a < m.end(1) and m.start(1) < b for a, b, _ in spans):
                spans.append((m.start(1), m.end(1), "những"))
        if not spans:
            return text
        out, pos = [], 0
        for a, b, words in sorted(spans):
            out.append(text[pos:a])
            out.append(fold(words) if plain else words)
            pos = b
        out.append(text[pos:])
        read = " ".join("".join(out).split())  # (a spoken topic marker dropped leaves no gap)
        dropped_first = any(a == 0 and not words for a, _, words in spans)  # "Cái vụ nhà máy …"
        return read[:1].upper() + read[1:] if dropped_first and text[:1].isupper() else read

    # -- numbers spelled out -------------------------------------------------------------
    def digits(self, text: str) -> str:
        """A number spelled out after what is numbered written as the documents write it
        ("sáng kiến thứ ba" -> "sáng kiến 3", "giai đoạn đầu" -> "giai đoạn 1"): for the
        search only; the question answered keeps its words."""
        folded = fold_aligned(text)
        marked = has_diacritics(text) and self.rules.mapping("number_words_marked")
        out, pos = [], 0
        for m in self.rules.pattern("spelled_number").finditer(folded):
            word = re.sub(r"^(?:thu|so)\s+", "", m.group("number"))
            typed = text[m.end("number") - len(word) : m.end("number")].lower()
            if marked and marked.get(word, typed) != typed:
                continue  # "các nhiệm vụ sau": typed with tone marks, "sau" is not "sáu"
            out.append(text[pos : m.start("number")])
            out.append(self._number_words[word])
            pos = m.end("number")
        out.append(text[pos:])
        return self.labels("".join(out))

    def labels(self, text: str) -> str:
        """A number written after what is numbered with words between ("hệ thống chiến lược
        1", "sáng kiến số 4") followed by the label as the documents write it ("hệ thống
        chiến lược 1 (hệ thống 1)"): the headings say "(Hệ thống 1)", "Sáng kiến 4:"; and
        the item after or before a numbered one by its own number ("cái tiếp theo sau Sáng
        kiến 11" -> "… Sáng kiến 12"). For the search only; a text without such a number is
        returned as it is."""
        folded = fold_aligned(text)
        item = self.rules.pattern("numbered_item")
        edits: dict[int, tuple[int, str]] = {}  # start -> (end, what the span becomes)
        for m in self.rules.pattern("split_label").finditer(folded):
            if not item.search(m.group("between") + m.group("n")):  # not "nhóm nhiệm vụ 2"
                edits[m.end()] = (m.end(), f" ({text[m.start('unit') : m.end('unit')]} {int(m.group('n'))})")
        for m in self.rules.pattern("next_item").finditer(folded):
            n = int(m.group("n")) + (-1 if m.group("before") else 1)
            if n >= 1:  # "cái tiếp theo sau Sáng kiến 11": Sáng kiến 12 is what is asked
                edits[m.start("n")] = (m.end("n"), str(n))
        if not edits:
            return text
        out, pos = [], 0
        for at in sorted(edits):
            if at < pos:
                continue
            out += [text[pos:at], edits[at][1]]
            pos = edits[at][0]
        out.append(text[pos:])
        return "".join(out)

    # -- English terms -----------------------------------------------------------------
    def english(self, text: str) -> str:
        """The English terms of the text each followed by what the documents write for them
        ("startup" -> "startup (khởi nghiệp sáng tạo)"), and a lower-case "ai" among the
        words of the field written "AI" (which the lexical index reads as the abbreviation):
        for the search only. A text without such terms is returned as it is."""
        folded = fold_aligned(text)
        spans: list[tuple[int, int, str]] = []
        for m in self.rules.pattern("ai_term").finditer(folded):
            g = m.lastindex or 0
            spans.append((m.start(g), m.end(g), "AI"))
        english = self._english
        for m in self.rules.pattern("english_term").finditer(folded):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                written = text[m.start() : m.end()]
                spans.append((m.start(), m.end(), f"{written} ({english[m.group(1)]})"))
        if not spans:
            return text
        out, pos = [], 0
        for a, b, words in sorted(spans):
            out.append(text[pos:a])
            out.append(words)
            pos = b
        out.append(text[pos:])
        return "".join(out)

    # -- fillers ---------------------------------------------------------------------
    def strip_fillers(self, text: str) -> str:
        """Without "ad ơi, cho mình hỏi chút," at the start and "vậy ạ" at the end."""
        lead = self.rules.pattern("lead_filler").match(fold_aligned(text))
        if lead and lead.end() < len(text):
            text = text[lead.end() :]
        text = self.rules.pattern("tail_filler").sub("", text).strip()
        request = self.rules.pattern("tail_request").search(fold_aligned(text).lower())
        if request and self.rules.search("question_signal", text[: request.start()]):
            cut = request.start() + (text[request.start()] == "?")  # (the ask's own mark kept)
            text = text[:cut].strip()  # "…, ad tóm giúp em": the ask before it
        if not has_diacritics(text):  # "… gi a", "… den 2030 vay": after the asking word only
            text = self.rules.pattern("tail_filler_plain").sub(lambda m: m.group("keep"), text).strip()
            if self.rules.search("question_signal", text):
                text = self.rules.pattern("tail_particle_plain").sub("", text).strip()
        return text[:1].upper() + text[1:] if text and text[0].islower() and lead and lead.end() else text

    # -- the actual ask --------------------------------------------------------------
    def actual_ask(self, text: str) -> str:
        """Of a long message, the part that asks; a short one is returned as it is."""
        if len(_WORDS.findall(text)) < self.long_words:
            return text
        folded = fold_aligned(text)
        marker = self.rules.pattern("ask_marker").search(folded)
        if marker and marker.end() < len(text) - 3:
            ask = text[marker.end() :].lstrip(" ,:;-–")
            ask = re.sub(r"^(?:là|la|rằng|rang)\b\s*", "", ask)
            return self._carry_documents(ask, text[: marker.start()])
        sentences = [s for s in _SENTENCE.split(text) if s.strip()]
        if len(sentences) < 2 and not self.rules.search("self_intro", text):
            return text
        kept: list[str] = []
        dropped: list[str] = []
        for sentence in sentences:
            asks = self.asks(sentence)
            if self.rules.search("self_intro", sentence):
                if not asks:
                    dropped.append(sentence)
                    continue
                sentence, lead = self._drop_leading_clauses(sentence)
                dropped.append(lead)
            elif not asks and not kept and dropped:
                dropped.append(sentence)  # more of the asker's context, before the first ask
                continue
            kept.append(sentence)
        if not kept:
            if len(sentences) > 1 and self.rules.search("self_intro", sentences[0]):
                # the ask is typed as keywords or a statement ("kh01 sk4", "… đúng không"):
                # the last sentence, after the asker's own context
                return self._carry_documents(sentences[-1], " ".join(sentences[:-1]))
            return text
        return self._carry_documents(" ".join(kept), " ".join(dropped))

    def asks(self, sentence: str) -> bool:
        """Something in the sentence asks (question_signal); typed with tone marks, a "may"
        that is not written "mấy" asks nothing ("xưởng may": sewing, "máy": a machine)."""
        if not has_diacritics(sentence):
            return bool(self.rules.search("question_signal", sentence))
        folded = fold_aligned(sentence)
        for m in self.rules.pattern("question_signal").finditer(folded):
            if m.group(0) == "may" and sentence[m.start() : m.end()].lower() != "mấy":
                continue
            return True
        return False

    def _drop_leading_clauses(self, sentence: str) -> tuple[str, str]:
        """ "Tôi đang làm kế hoạch của tỉnh, Nghị quyết 57 giao gì?" → the clause that asks."""
        clauses = re.split(r"(?<=,)\s+", sentence)
        for i, clause in enumerate(clauses):
            if self.asks(" ".join(clauses[i:])) and not self.rules.search("self_intro", clause):
                return " ".join(clauses[i:]), " ".join(clauses[:i])
        return sentence, ""

    def _carry_documents(self, ask: str, dropped: str) -> str:
        """The ask, told which document the dropped part named when it names none itself."""
        ask = ask.strip()
        ask = ask[:1].upper() + ask[1:]
        if self.recognizer is None or not dropped.strip() or self.recognizer.mentions(ask):
            return ask
        mentions = [m for m in self.recognizer.mentions(dropped) if m.designates]
        mention = next((m for m in mentions if not m.qualifier), mentions[0] if mentions else None)
        if mention is None:
            return ask
        name = dropped[mention.start : mention.end]
        return f"{ask.rstrip(' ?')} (theo {name})?" if ask.endswith("?") else f"{ask} (theo {name})"
