"""Child processes die with their parent.

spaCy's ``nlp.pipe(n_process=2)`` forks worker processes (~400 MB each). If the parent is killed
(SIGKILL from a watchdog, the OOM killer, an operator), nothing tells the workers, and each kill left
two orphans behind. Every child forked from this process therefore asks the kernel
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to be killed when its parent goes; SIGTERM of the parent
ends its run the same way (default action, or the CLI's handler exiting).
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1
_installed = False
_parent_pid = os.getpid()


def _die_with_parent() -> None:
    """Runs in every forked child (``os.register_at_fork``)."""
    try:  # the parent's SIGTERM handler ("Terminated.", kill the pool) is not the child's to run
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except ValueError:  # forked from a non-main thread: signal handlers stay as they were
        pass
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: nothing to ask the kernel
        return
    if os.getppid() != _parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _remember_parent() -> None:
    global _parent_pid
    _parent_pid = os.getpid()


def install() -> None:
    """Idempotent: forked children of this process (and of its forked children) die with their parent."""
    global _installed
    if _installed:
        return
    os.register_at_fork(before=_remember_parent, after_in_child=_die_with_parent)
    _installed = True


# --- looking at a process tree (tests, scripts/chaos.py, scripts/treemem.py) ---------------------


def _stat_fields(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def children_by_parent() -> dict[int, list[int]]:
    """Every live process's children, from /proc (Linux): parent pid → child pids."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if fields is not None:
                kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def child_pids(pid: int) -> set[int]:
    """The direct children of ``pid``."""
    return set(children_by_parent().get(pid, ()))


def is_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"
