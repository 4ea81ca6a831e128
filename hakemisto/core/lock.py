"""Cross-process coordination: one writer at a time on an index, and pause points for kill tests.

Every command that writes an index (ingest, nightly, crawl's ingest, optimize, check --repair) holds
an exclusive ``flock`` on ``<index>.lock`` beside the index directory (not inside it: a rebuild swaps
the directory, the lock must outlive that) for its whole run, from reading what is stored to the
commit. The kernel drops the lock when the holder dies however it dies, so there is no staleness to
guess from PIDs. The file's content (PID, purpose, start time) only names the holder in the error a
second writer gets; it is rewritten by each holder and never deleted (deleting a flock file races).
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hakemisto.core.errors import IndexLockedError

PAUSE_ENV = "HAKEMISTO_TEST_PAUSE_AT"
PAUSE_MARKER = "HAKEMISTO_TEST_PAUSED"
PAUSE_LIMIT_SECONDS = 600.0
POLL_SECONDS = 0.1


def lock_path_for(index_dir: Path) -> Path:
    """``<index>.lock`` beside the index directory (outlives a rebuild-and-swap)."""
    return index_dir.with_name(index_dir.name + ".lock")


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or last held) the lock, as written into the lock file by the holder."""

    pid: int
    started: str
    purpose: str = "a writer"
    run_id: str | None = None

    def describe(self) -> str:
        return f"{self.purpose} (PID {self.pid}, started {self.started})"


def read_lock(path: Path) -> LockInfo | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            pid=int(data["pid"]),
            started=str(data["started"]),
            purpose=str(data.get("purpose") or "a writer"),
            run_id=data.get("run_id"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


# Locks this process holds: path → (fd, depth). flock is per open file, so a nested acquire in the same
# process (nightly → ingest → index write) must reuse the held lock instead of blocking on itself.
_HELD: dict[str, list[int]] = {}


class WriterLock:
    """The index's exclusive writer lock; ``wait`` seconds to wait for it (0: fail at once, exit 3)."""

    def __init__(self, index_dir: Path, purpose: str, wait: float = 0.0, run_id: str | None = None) -> None:
        self.index_dir = index_dir
        self.path = lock_path_for(index_dir)
        self.purpose = purpose
        self.wait = max(0.0, wait)
        self.run_id = run_id
        self.held = False

    def acquire(self) -> WriterLock:
        key = str(self.path.resolve())
        if key in _HELD:
            _HELD[key][1] += 1
            self.held = True
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    holder = read_lock(self.path)
                    who = holder.describe() if holder else "another process"
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise IndexLockedError(
                        f"the index {self.index_dir} is being written by {who}{waited}; "
                        f"try again later (lock file {self.path})",
                        index_dir=self.index_dir, holder=who, waited=self.wait, lock_path=self.path,
                    ) from None
                time.sleep(POLL_SECONDS)
        info = {
            "pid": os.getpid(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "purpose": self.purpose,
            "run_id": self.run_id,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        _HELD[key] = [fd, 1]
        self.held = True
        return self

    def release(self) -> None:
        if not self.held:
            return
        key = str(self.path.resolve())
        entry = _HELD.get(key)
        self.held = False
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _HELD[key]
            os.close(entry[0])  # closing the last descriptor releases the flock

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def writer_lock(settings: Any, purpose: str, run_id: str | None = None) -> WriterLock:
    """The writer lock of ``settings.index_dir``, waiting ``settings.lock_wait`` seconds."""
    return WriterLock(settings.index_dir, purpose, getattr(settings, "lock_wait", 0.0), run_id)


def pause_point(stage: str) -> None:
    """Test hook: with ``HAKEMISTO_TEST_PAUSE_AT=<stage>``, print a marker and wait at that stage.

    Kill tests use it to SIGKILL the job at an exact point; SIGUSR1 lets the job continue. Without the
    variable this is a no-op, so production runs never wait.
    """
    if os.environ.get(PAUSE_ENV) != stage:
        return
    resumed = False

    def _resume(signum: int, frame: object) -> None:
        nonlocal resumed
        resumed = True

    previous = signal.signal(signal.SIGUSR1, _resume)
    print(f"{PAUSE_MARKER} stage={stage} pid={os.getpid()}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
    try:
        while not resumed and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        signal.signal(signal.SIGUSR1, previous)
