"""The web UI with its database down (PostgreSQL unreachable): the answer is still shown,
with a warning that the conversation was not saved; a rating is refused with the reason,
never thanked for."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.streamlit import free_port
from tests.support.ui import APP, troly_env


@pytest.fixture
def down_db_env(monkeypatch, corpus_app, tmp_path):
    for key, value in troly_env(corpus_app, tmp_path / "unused.sqlite3").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("TROLY_DATABASE_URL", f"postgresql://troly@127.0.0.1:{free_port()}/troly")
    for key in ("TROLY_EMBEDDER", "TROLY_GENERATOR", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(key, raising=False)


def test_answers_are_shown_when_the_database_is_down(down_db_env):
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.chat_input[0].set_value("Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "2% GDP" in text
    assert any("Chưa lưu được cuộc trò chuyện" in w.value and "cơ sở dữ liệu" in w.value for w in at.warning)
    at.feedback[0].set_value(1).run()  # 👍 with the database down
    assert not [t for t in at.toast if "Cảm ơn" in t.value]
    assert at.exception and "cơ sở dữ liệu" in at.exception[0].message  # refused, saying why
