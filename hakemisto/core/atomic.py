"""Crash-safe small-file writes shared by the store, the index metadata and the nightly job.

Temp file in the same directory + fsync + ``os.replace``: a kill leaves the old file or the new one,
never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any, *, sort_keys: bool = False) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=sort_keys, default=str)
    write_bytes(path, text.encode("utf-8"))


def read_json(path: Path) -> Any:
    """The parsed file, or None when it is missing or not valid JSON (a reader never crashes on it)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
