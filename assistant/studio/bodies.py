"""Body names: every way a document names a ministry or a Party body normalized to one
name (resources/bodies.toml: "Bộ KH&CN" = "Bộ Khoa học và Công nghệ"), the names a document
defines for itself ("… (sau đây gọi tắt là Viện Hàn lâm)"), and capitalized names the
list does not hold ("Ban Kế hoạch - Tài chính") at the places a body is expected."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from retrieval.errors import BadInputError
from retrieval.text import fold, fold_aligned

from .corpus import RESOURCES, rules


@dataclass(frozen=True)
class Body:
    name: str
    classes: tuple[str, ...] = ()
    group: bool = False
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    body: Body


@dataclass
class BodyIndex:
    """Known bodies by every folded name, and a matcher for them (longest name first)."""

    bodies: dict[str, Body] = field(default_factory=dict)  # canonical name -> Body
    names: dict[str, str] = field(default_factory=dict)  # folded name or alias -> canonical name
    examples: list[dict] = field(default_factory=list)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls) -> BodyIndex:
        return _load().copy()

    def copy(self) -> BodyIndex:
        return BodyIndex(dict(self.bodies), dict(self.names), self.examples)

    def add(self, body: Body, aliases: list[str]) -> None:
        self.bodies.setdefault(body.name, body)
        for name in [body.name, *aliases]:
            self.names.setdefault(fold(name), body.name)
        self._pattern = None

    def alias(self, alias: str, name: str) -> None:
        """A name a document defines for a known body."""
        key = fold(alias)
        if name in self.bodies and key not in self.names:
            self.names[key] = name
            self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            alts = sorted(self.names, key=len, reverse=True)
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")
        return self._pattern

    def mentions(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every known body named in text (offsets into text)."""
        folded = fold_aligned(text) if folded is None else folded
        out: list[Mention] = []
        for m in self.pattern.finditer(folded):
            body = self.bodies[self.names[m.group(0)]]
            if not (
                body.group or text[m.start()].isupper()
            ):  # a proper name is capitalized ("cán bộ khoa học…" is not one)
                continue
            if out and out[-1].body is body and text[out[-1].end : m.start()].strip() == "(":
                continue  # "Ban Chỉ đạo Trung ương (BCĐTW)": the same body, abbreviated
            out.append(Mention(m.start(), m.end(), body))
        return out

    def unknown(self, text: str, start: int) -> Mention | None:
        """A capitalized body name the list does not hold, starting at start."""
        m = rules("roles").pattern("name_start").match(text, start)
        if not m:
            return None
        stop = rules("roles").word_set("predicate")
        end, lower_run = m.end(), 0
        for tok in re.finditer(r"\s*([-&]|và|[^\W\d_]+)", text[m.end() :]):
            word = tok.group(1)
            if word in ("-", "&", "và"):
                lower_run = 0
            elif word[0].isupper():
                lower_run = 0
            elif fold(word) in stop or lower_run >= 1:
                break
            else:
                lower_run += 1
            end = m.end() + tok.end()
        name = text[start:end].rstrip(" -&")
        name = re.sub(r"\s+và$", "", name)
        if len(name.split()) < 2 or name == m.group(0).strip():
            return None
        body = self.bodies.get(self.names.get(fold(name), ""), Body(name))
        return Mention(start, start + len(name), body)

    def find(self, query: str) -> Body:
        """The body a user names ("Bộ KH&CN", "bo khoa hoc va cong nghe"), or a clear error."""
        key = fold(query.strip())
        if key in self.names:
            return self.bodies[self.names[key]]
        hits = sorted({n for f, n in self.names.items() if key and key in f})
        if len(hits) == 1:
            return self.bodies[hits[0]]
        some = (
            ", ".join(hits[:6]) if hits else ", ".join(sorted(b for b in self.bodies if not self.bodies[b].group)[:6])
        )
        raise BadInputError(f"không nhận ra cơ quan '{query}'; ví dụ: {some}")

    def covers(self, group: Body, body: Body) -> bool:
        """True when a task given to a group of bodies falls to body too."""
        return group.group and bool(set(group.covers) & set(body.classes))


@lru_cache(maxsize=1)
def _load() -> BodyIndex:
    with (RESOURCES / "bodies.toml").open("rb") as f:
        data = tomllib.load(f)
    index = BodyIndex(examples=data.get("example", []))
    for entry in data.get("body", []):
        cls = entry.get("class", "")
        index.add(Body(entry["name"], (cls,) if cls else ()), entry.get("aliases", []))
    for entry in data.get("group", []):
        index.add(Body(entry["name"], (), True, tuple(entry.get("covers", []))), entry.get("aliases", []))
    return index
