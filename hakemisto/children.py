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
