"""Peak memory of this process and all its descendants, summed (PSS where the kernel offers it).

PSS (proportional set size, ``/proc/PID/smaps_rollup``) shares copy-on-write pages fairly between a
parent and its forked workers, so the sum is what the tree really costs; RSS (``/proc/PID/status``)
is used where smaps_rollup cannot be read, and would count shared pages once per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from hakemisto.children import children_by_parent


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


def tree_kb(root: int) -> tuple[int, bool]:
    """(kB of ``root`` and its descendants, all measured as PSS)."""
    kids, todo, total, pss = children_by_parent(), [root], 0, True
    while todo:
        pid = todo.pop()
        kb, is_pss = _kb(pid)
        total, pss = total + kb, pss and is_pss
        todo.extend(kids.get(pid, ()))
    return total, pss


class PeakSampler:
    """Samples the tree's memory every ``interval`` seconds in a thread; ``peak_mb`` after ``stop``."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval, self.peak_kb, self.pss = interval, 0, True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            kb, pss = tree_kb(os.getpid())
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
