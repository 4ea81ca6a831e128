"""Cold-start benchmark: a new `hakemisto search RRP` process, imports to last line of output.

On a shared machine one run means little: this runs the command ``--runs`` times and prints the
**median** wall time and the median CPU time (user + system of the child, steadier under load), the
load average before → after and the index's size. With ``--before DIR`` (a checkout of other code,
e.g. ``git worktree add --detach /tmp/before main``) each run of this checkout is interleaved with
a run of that code (``PYTHONPATH=DIR``, the same venv), so both see the same load. ``.pyc`` files
are written by a first untimed run of each (``PYTHONDONTWRITEBYTECODE`` is removed from the
children's environment: a user's shell does not set it).

    .venv/bin/python scripts/bench_cold.py --index-dir /tmp/sq/q10k/index [--runs 9] [--json]
        [--before DIR [--before-index-dir COPY]]

``--before-index-dir``: a copy of the same index whose stored tables (glossary, term lists) the
other code wrote, when the two write different ones.

Prints one line (``cold_start`` is imported by ``bench_query.py`` for its cold figure).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("hakemisto")


def run_once(index_dir: Path, query: str = "RRP", *, pythonpath: str | None = None,
             extra: tuple[str, ...] = ()) -> tuple[float, float]:
    """(wall s, CPU s) of one new `hakemisto search QUERY --index-dir DIR` process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(EXE), "search", query, "--index-dir", str(index_dir), *extra], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cold_start(index_dir: Path, runs: int) -> tuple[float, float]:
    """Best wall and best CPU seconds of ``runs`` cold `hakemisto search RRP` processes."""
    times = [run_once(index_dir) for _ in range(runs)]
    return min(t[0] for t in times), min(t[1] for t in times)


def index_size(index_dir: Path) -> str:
    """'10,000 docs, 40 MB' — what the figure was measured on."""
    from whoosh import index as whoosh_index

    import hakemisto.search.analysis  # noqa: F401  (the schema's pickle names its analyzers' module)

    docs = whoosh_index.open_dir(str(index_dir)).doc_count()
    size = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())
    return f"{docs:,} docs, {size / 1e6:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--query", default="RRP")
    parser.add_argument("--before", help="PYTHONPATH of the code to compare with, runs interleaved")
    parser.add_argument("--before-index-dir", type=Path,
                        help="a copy of the index whose stored tables that code wrote (default: --index-dir)")
    parser.add_argument("--json", action="store_true", help="time `search --json` (no text formatting)")
    args = parser.parse_args()
    extra = ("--json",) if args.json else ()
    sides = {"after": None} if args.before is None else {"before": args.before, "after": None}
    index = {"before": args.before_index_dir or args.index_dir, "after": args.index_dir}
    for name, path in sides.items():  # write .pyc files, fill the page cache
        run_once(index[name], args.query, pythonpath=path, extra=extra)
    load = os.getloadavg()[0]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for _ in range(args.runs):
        for name, path in sides.items():
            times[name].append(run_once(index[name], args.query, pythonpath=path, extra=extra))
    figures = "; ".join(
        f"{name}: wall {statistics.median(t[0] for t in ts):.3f} s, CPU {statistics.median(t[1] for t in ts):.3f} s"
        for name, ts in times.items())
    print(f"cold `hakemisto search {args.query}{' --json' if args.json else ''}` medians of {args.runs} runs"
          f"{' interleaved' if args.before else ''}: {figures}; load average {load:.1f} → {os.getloadavg()[0]:.1f}; "
          f"index {index_size(args.index_dir)}")


if __name__ == "__main__":
    main()
