"""Normalize a loaded document: NFC and removal of the markup and OCR artifacts found in
the corpus (``**``, ``\\-``, ``1\\.``, ``#`` headings, table rules, stamp fragments, LaTeX
like ``\\geq``) without changing the wording. Line structure is kept, so offsets into the
normalized text are stable and every chunk is an exact substring of it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from .text import nfc

_LATEX = {r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤", r"\times": "×", r"\pm": "±", r"\%": "%"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)) + r"(?![A-Za-z])")
_MD_ESCAPE = re.compile(r"\\([-.&*_#+!()\[\]{}|`>~<=])")
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^(\s*)\*\s+")
_RULE = re.compile(r"^\s*(\|?\s*:?-{3,}:?\s*)+\|?\s*$|^\s*[_=\-–—*]{3,}\s*$")


@functools.cache
def _junk_patterns() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(drop, strip) patterns from resources/junk_lines.txt (read once: perf, issue 13)."""
    text = resources.files("retrieval.resources").joinpath("junk_lines.txt").read_text("utf-8")
    drop: list[re.Pattern[str]] = []
    strip: list[re.Pattern[str]] = []
    for line in text.splitlines():
        verb, _, pattern = line.partition(" ")
        if verb == "drop":
            drop.append(re.compile(pattern))
        elif verb == "strip":
            strip.append(re.compile(pattern))
    return drop, strip


@dataclass(frozen=True)
class NormalizedText:
    """The normalized text and, per line, whether the source marked it as a heading."""

    text: str
    heading_lines: frozenset[int]  # 0-based line numbers that were '#' or whole-line bold
    line_map: tuple[int, ...] = ()  # source line i is line line_map[i] of text

    def line_of(self, source_line: int) -> int:
        return self.line_map[source_line] if self.line_map else source_line


_LETTER_POINT = re.compile(r"^[a-zđ]\)\s")


def _continues(prev: str, nxt: str) -> bool:
    """A sentence broken over two lines: no closing punctuation, and the next line starts
    in lower case (and is not a point a), b) ...)."""
    p, n = prev.rstrip(), nxt.lstrip()
    return (
        len(p) > 40
        and n[:1].islower()
        and not _LETTER_POINT.match(n)
        and not p.endswith((".", ":", ";", "!", "?", "…", ")", '"', "”", "|"))
        and "\t" not in p
        and "\t" not in n
        and not n.startswith("|")
    )


def _join_broken_lines(lines: list[str], headings: set[int]) -> tuple[list[str], set[int], list[int]]:
    merged: list[str] = []
    line_map: list[int] = []
    last = -1  # index in merged of the last non-empty line
    for i, line in enumerate(lines):
        if line.strip() and last >= 0 and last not in headings and i not in headings and _continues(merged[last], line):
            merged[last] = merged[last].rstrip() + " " + line.strip()
            del merged[last + 1 :]
            line_map.append(last)
            continue
        merged.append(line)
        line_map.append(len(merged) - 1)
        if line.strip():
            last = len(merged) - 1
    new_headings = {line_map[i] for i in headings}
    return merged, new_headings, line_map


def normalize(raw: str) -> NormalizedText:
    """Return the cleaned NFC text of a document, line by line."""
    drop, strip = _junk_patterns()
    out: list[str] = []
    headings: set[int] = set()
    # perf (issue 13): a pattern is tried only on a line holding the character it needs
    # ("#", "*", a backslash, "**" or "__"): what it leaves the other lines is the line
    for line in nfc(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.replace("\u00a0", " ").replace("\ufeff", "")
        is_heading = False
        if "#" in line:
            is_heading = bool(_HEADING.match(line))
            line = _HEADING.sub("", line)
        stripped = line.strip()
        if stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4:
            is_heading = True
        if _RULE.match(line):
            line = ""
        star = "*" in line
        if star:
            line = _MD_BULLET.sub(r"\1- ", line)
        if "\\" in line:
            line = _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], line)
            line = _MD_ESCAPE.sub(r"\1", line)
        if "**" in line or "__" in line:
            line = _BOLD.sub("", line)
        if star and "*" in line:
            line = _ITALIC.sub(r"\1", line)
        line = line.rstrip()
        if any(p.search(line.strip()) for p in drop):
            line = ""
        for p in strip:
            line = p.sub("", line.lstrip()) if p.search(line.lstrip()) else line
        if is_heading and line.strip():
            headings.add(len(out))
        out.append(line)
    out, headings, line_map = _join_broken_lines(out, headings)
    return NormalizedText("\n".join(out), frozenset(headings), tuple(line_map))
