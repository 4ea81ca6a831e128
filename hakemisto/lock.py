"""Cross-process coordination for the nightly job: the job lock, and pause points for kill tests.

The lock is a small JSON file (PID, process start tick, start time, run id) created with O_EXCL next
to the index directory, not inside it: a rebuild swaps the index directory, and the lock must survive
that. A lock is stale when its process is gone (PID dead, or the PID now belongs to a process started
at another time) or it is older than ``lock_stale_seconds``; a stale lock is taken over under a short
``flock`` on a guard file, so two jobs that find the same stale lock cannot both take it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import IndexLockedError

PAUSE_ENV = "HAKEMISTO_TEST_PAUSE_AT"
PAUSE_MARKER = "HAKEMISTO_TEST_PAUSED"
PAUSE_LIMIT_SECONDS = 600.0


def lock_path_for(index_dir: Path) -> Path:
    """``<index>.nightly.lock`` beside the index directory (outlives a rebuild-and-swap)."""
    return index_dir.with_name(index_dir.name + ".nightly.lock")


def _process_start(pid: int) -> str | None:
    """The kernel's start tick of ``pid`` (Linux), to tell a live job from a reused PID."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class LockInfo:
    pid: int
    started: str
    run_id: str | None = None
    proc_start: str | None = None

    def age_seconds(self, now: datetime | None = None) -> float:
        try:
            started = datetime.fromisoformat(self.started)
        except ValueError:
            return float("inf")
        return ((now or datetime.now(UTC)) - started).total_seconds()

    def stale_reason(self, stale_seconds: float, now: datetime | None = None) -> str | None:
        """Why this lock no longer protects a running job, or None when it does."""
        if not _pid_alive(self.pid):
            return f"process {self.pid} is gone"
        if self.proc_start and _process_start(self.pid) not in (None, self.proc_start):
            return f"PID {self.pid} now belongs to another process"
        if self.age_seconds(now) > stale_seconds:
            return f"older than {stale_seconds:.0f} s"
        return None


def read_lock(path: Path) -> LockInfo | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            pid=int(data["pid"]),
            started=str(data["started"]),
            run_id=data.get("run_id"),
            proc_start=data.get("proc_start"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextlib.contextmanager
def _guard(path: Path) -> Iterator[None]:
    fd = os.open(path.with_name(path.name + ".guard"), os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class JobLock:
    """Held for the whole nightly run; ``stale_reason`` says what was taken over, if anything."""

    def __init__(self, path: Path, stale_seconds: float, run_id: str | None = None) -> None:
        self.path = path
        self.stale_seconds = stale_seconds
        self.run_id = run_id
        self.stale_reason: str | None = None
        self.held = False

    def acquire(self) -> JobLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _guard(self.path):
            existing = read_lock(self.path) if self.path.exists() else None
            if self.path.exists():
                reason = existing.stale_reason(self.stale_seconds) if existing else "unreadable lock file"
                if reason is None:
                    assert existing is not None
                    raise IndexLockedError(
                        f"another nightly job is running (PID {existing.pid}, started {existing.started}); "
                        f"lock file {self.path}"
                    )
                self.stale_reason = reason
                self.path.unlink(missing_ok=True)
            info = {
                "pid": os.getpid(),
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "run_id": self.run_id,
                "proc_start": _process_start(os.getpid()),
            }
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(info, handle)
        self.held = True
        return self

    def release(self) -> None:
        """Remove the lock only if it is still ours (a takeover after staleness must not be undone)."""
        if not self.held:
            return
        with _guard(self.path):
            current = read_lock(self.path)
            if current and current.pid == os.getpid():
                self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self) -> JobLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


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
