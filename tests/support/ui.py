"""What the UI, server and studio tests share about the Streamlit app: its script paths and
the TROLY_* environment under which a fresh process rebuilds a test app's configuration."""

from __future__ import annotations

from pathlib import Path

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT

APP = PROJECT_ROOT / "streamlit_app.py"
VIEWER = "pages/1_Van_ban.py"


def troly_env(app: Assistant, feedback_db: Path) -> dict[str, str]:
    """TROLY_* variables under which Settings() rebuilds app's configuration."""
    s = app.settings
    return {
        "TROLY_DATA_DIR": str(s.data_dir),
        "TROLY_SOURCES_DIR": str(s.sources),
        "TROLY_CATALOG_PATH": str(s.catalog),
        "TROLY_INDEX_DIR": str(s.index),
        "TROLY_FEEDBACK_DB": str(feedback_db),
        "TROLY_CONFIG": str(feedback_db.parent / "no-troly.toml"),
    }
