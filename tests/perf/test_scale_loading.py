"""issue 13 (scale): the plausibility check of decoded text counts its character classes
from the count of each distinct character; the verdicts are those of the regex counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import loading


def _plain(text: str, guessed: bool = False) -> str | None:
    """text_problem as it counted before (one findall per class)."""
    if not text.strip():
        return None
    if len(loading._CONTROL.findall(text)) > loading.MAX_CONTROL * len(text):  # noqa: SLF001
        return "có nhiều ký tự điều khiển hoặc nhị phân"
    visible = len(text) - sum(text.count(c) for c in " \t\n\r\f\v")
    letters = len(loading._LETTER.findall(text))  # noqa: SLF001
    if letters < loading.MIN_LETTERS * max(visible, 1):
        return "quá ít chữ cái"
    if len(loading._LATIN.findall(text)) < loading.MIN_LATIN * letters:  # noqa: SLF001
        return "phần lớn chữ cái không phải chữ Latinh/tiếng Việt"
    return loading.text_problem(text, guessed) if guessed else None


ALPHABET = st.sampled_from(
    list("aăâbđêôơưxyzÁẠỳ ĐQ 0129 ,.;\n\t_²\x00\x07\ufffd\ue001абвгд中文") + ["\u0301", "\ud800"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.booleans())
def test_text_problem_is_the_verdict_of_the_regex_counts(text, guessed):
    assert loading.text_problem(text, guessed) == _plain(text, guessed)


def test_text_problem_of_the_corpus_files(corpus_app):
    from pathlib import Path

    for path in sorted(Path(corpus_app.settings.sources).iterdir())[:6]:
        text = path.read_text("utf-8", errors="replace")
        assert loading.text_problem(text) == _plain(text)
