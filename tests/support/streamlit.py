"""Starting the Streamlit UI for browser and sign-in tests: the command line and the
environment without the developer's own TROLY_*/OPENAI_* settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def streamlit_command(app: Path, port: int, *extra: str) -> list[str]:
    """`streamlit run APP` headless on 127.0.0.1:PORT, no usage stats, no file watcher."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra,
    ]  # fmt: skip


def clean_env() -> dict[str, str]:
    """This process's environment less its TROLY_* and OPENAI_* variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TROLY_", "OPENAI_"))}
