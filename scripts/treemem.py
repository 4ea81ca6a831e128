"""Peak memory of this process and all its descendants, summed (PSS where the kernel offers it).

PSS (proportional set size, ``/proc/PID/smaps_rollup``) shares copy-on-write pages fairly between a
parent and its forked workers, so the sum is what the tree really costs; RSS (``/proc/PID/status``)
is used where smaps_rollup cannot be read, and would count shared pages once per process.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from hakemisto.core.children import children_by_parent


def _kb(pid: int) -> tuple[int, bool]:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]), True
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]), False
    except OSError:
        pass
    return 0, False


def tree_pids(root: int) -> list[int]:
    """``root`` and its descendants (one scan of /proc)."""
    kids, todo, out = children_by_parent(), [root], []
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def tree_kb(root: int, pids: list[int] | None = None) -> tuple[int, bool]:
    """(kB of ``root`` and its descendants — or of ``pids`` — and whether all were measured as PSS)."""
    total, pss = 0, True
    for pid in pids if pids is not None else tree_pids(root):
        kb, is_pss = _kb(pid)
        total, pss = total + kb, pss and is_pss
    return total, pss


class PeakSampler:
    """Samples the tree's memory every ``interval`` seconds in a thread; ``peak_mb`` after ``stop``.

    The process tree is re-read from /proc only every ``rescan`` seconds (a pool's workers live for
    the whole phase): scanning every process of a busy machine four times a second took 12 % of all
    samples in a py-spy profile of the ingest benchmark, CPU the measured work then lacked."""

    def __init__(self, interval: float = 0.25, rescan: float = 2.0) -> None:
        self.interval, self.rescan, self.peak_kb, self.pss = interval, rescan, 0, True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        root, pids, scanned = os.getpid(), [os.getpid()], float("-inf")
        while not self._stop.is_set():
            now = time.monotonic()
            if now - scanned >= self.rescan:
                pids, scanned = tree_pids(root), now
            kb, pss = tree_kb(root, pids)
            if kb > self.peak_kb:
                self.peak_kb, self.pss = kb, pss
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def label(self) -> str:
        return f"{self.peak_kb / 1024:.0f} MB {'PSS' if self.pss else 'RSS'}"
