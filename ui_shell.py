"""Streamlit glue every page shares (the UI side of the app, next to streamlit_app.py):
the cached Assistant, reading the settings, and showing an error then stopping the run.

The pages import this module, so ``get_assistant`` is one ``st.cache_resource`` function
for the whole process: one Assistant per configuration, whichever page opened first.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from assistant import Assistant, Settings
from assistant.errors import IndexMissingError, TrolyError

NO_INDEX = "Chưa có chỉ mục văn bản. Hãy mở trang Trò chuyện (trang này tự lập chỉ mục) hoặc chạy `troly ingest`."


def fail(message: str) -> NoReturn:
    """Show an error the user can act on, then end this run (never a traceback)."""
    st.error(message)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


def load_settings() -> Settings:
    """The settings of this run; a bad TROLY_* value is shown, not raised."""
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError: a bad TROLY_* value
        fail(f"Cấu hình không hợp lệ; hãy sửa biến môi trường TROLY_* hoặc troly.toml: {exc}")


def config_key(settings: Settings) -> str:
    """What identifies an Assistant: every setting but the feedback database (secrets
    appear masked, so the key never holds one)."""
    return settings.model_dump_json(exclude={"feedback_db"})


@st.cache_resource(show_spinner=False)
def _build_assistant(config_key: str, _settings: Settings) -> Assistant:
    """One Assistant per configuration; the leading underscore tells Streamlit not to hash
    the settings object (config_key stands for it)."""
    app = Assistant(_settings)
    try:  # load the index and pay for the first, slower query now rather than on a question
        app.search("nghị quyết", 1)
    except TrolyError:
        pass  # no index yet: the page builds it and reports any error
    return app


def get_assistant(settings: Settings) -> Assistant:
    """The process's Assistant for these settings (built once)."""
    return _build_assistant(config_key(settings), settings)


def open_assistant(settings: Settings) -> Assistant:
    """The Assistant with its index open; without an index, say how to build one and stop."""
    app = get_assistant(settings)
    try:
        app.open()
    except IndexMissingError:
        fail(NO_INDEX)
    except TrolyError as exc:
        fail(str(exc))
    return app
