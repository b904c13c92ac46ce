"""Values kept between processes in a stamped marshal file (like a .pyc): read back when the
stamp matches, written atomically, best effort (a read-only install recomputes each time)."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any


def read(path: Path, stamp: Any) -> Any | None:
    """The value kept at path under this stamp; None when missing, stale or unreadable."""
    try:
        got, value = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, damaged, another interpreter
        return None
    return value if got == stamp else None


def write(path: Path, stamp: Any, value: Any) -> None:
    """Keep value at path under stamp; a reader sees the old file or the new."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(marshal.dumps((stamp, value)))
        os.replace(tmp, path)
    except (OSError, ValueError):  # a read-only install, a full disk
        pass
