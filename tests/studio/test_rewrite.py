"""Outline lines reworded by an OpenAI-compatible model (the fake server of tests/support):
a reworded line is kept only when its clause supports it; a changed figure or an added
claim keeps the clause's own words; a failing endpoint keeps all of them, with a notice.
The citations never change."""

from __future__ import annotations

import re

from assistant.api import Assistant
from assistant.studio.rewrite import supported
from tests.support.corpus import make_settings
from tests.support.fake_openai import down_url
from tests.support.studio import assert_exact

LINE = re.compile(r"^\[(\d+)\] (.+)$", re.M)


def llm_studio(corpus_app, url: str):
    opts = {
        "generator": "openai",
        "openai_base_url": url,
        "openai_api_key": "sk-test-studio",
        "request_timeout": 2,
        "max_retries": 0,
        "chat_model": "chat-test",
    }
    return Assistant(make_settings(corpus_app.settings.data_dir, **opts)).studio


def shorten_or_lie(body) -> str:
    """Odd lines: the first clause of the quote (supported). Even lines: the quote with a
    figure it does not hold and a claim of its own (not supported)."""
    user = body["messages"][-1]["content"]
    out = []
    for n, text in LINE.findall(user):
        if int(n) % 2:
            out.append(f"[{n}] {re.split(r'[;,:]', text)[0].strip()}")
        else:
            out.append(f"[{n}] {text.split(' ')[0]} 99% ngân sách cho các trường học miễn phí")
    return "\n".join(out)


def test_supported_lines_are_kept_and_the_others_fall_back(corpus_app, fake_openai, table):
    fake_openai.chat_handler = shorten_or_lie
    offline = corpus_app.studio.outline("57-NQ/TW III.3")
    o = llm_studio(corpus_app, fake_openai.base_url).outline("57-NQ/TW III.3")
    points = [p for s in o.sections for p in s.points]
    assert o.reworded == (len(points) + 1) // 2 and o.rejected == len(points) // 2 and not o.notice
    request = fake_openai.requests_to("/v1/chat/completions")[-1].body
    assert "giữ nguyên mọi con số" in request["messages"][0]["content"]
    for i, (p, before) in enumerate(zip(points, [p for s in offline.sections for p in s.points]), 1):
        assert p.cite == before.cite  # the citation is the clause's, whatever the wording
        assert_exact(table, p.cite)
        if i % 2:
            assert supported(p.text, p.cite.quote) and p.text in p.cite.quote
        else:
            assert p.text == p.cite.quote and "99%" not in p.text


def test_a_failing_endpoint_keeps_the_clause_words_with_a_notice(corpus_app):
    o = llm_studio(corpus_app, down_url()).outline("57-NQ/TW III.3")
    assert o.notice and "giữ nguyên" in o.notice and "sk-test-studio" not in o.notice
    assert all(p.text == p.cite.quote for s in o.sections for p in s.points)


def test_the_check():
    quote = "Quy mô kinh tế số đạt tối thiểu 30% GDP."
    assert supported("Kinh tế số tối thiểu 30% GDP", quote)
    assert not supported("Kinh tế số tối thiểu 40% GDP", quote)  # a figure the clause does not hold
    assert not supported("Ngân hàng số và trường học số phủ toàn quốc", quote)  # words of its own
