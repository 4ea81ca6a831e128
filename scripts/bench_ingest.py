"""Ingest benchmark on a representative corpus, against bare ``nlp.pipe`` in the same run.

Writes ``--docs`` distinct pages generated from the realistic dev page set (``benchcorpus.py``:
long pages, HTML and text, fi and sv, real facts), loads them, then times on the same texts:
(1) the bare Finnish model, ``nlp.pipe(texts, n_process=N)`` — spaCy's own speed; (2) the full
``ingest`` (language, extraction, linking, index commit, project records). Prints one line with
both rates, their ratio, and the peak memory of each phase summed over the process tree (PSS);
then (3) after every ingest pass, ``--rebuilds`` rules-only rebuilds of that pass's index (2 by default;
each a new pipeline version over the same pages: the model's stored output is read back). Each
rebuild is compared with the ingest pass just before it, so a load that drifts during the run (this
VM's speed moves by ±10 % within minutes) weighs on both sides of each ratio; the line reports the
median of those shares in wall time and in tree CPU seconds (a ratio the load moves far less; it does
not show a core left idle).
``--order`` alternates which runs first across repeated runs; ``--order abba`` runs bare, ingest,
ingest, bare in one run and compares the means (a steadily rising or falling load on this shared
machine then weighs on both phases alike). Default: 2,000 pages, ~8 min here.
Both phases' modules (spaCy, the rules, the worker pool) are imported before either is timed: the
bare phase never counted its imports, and the ingest counted them only when it ran first (one
reason the ratio depended on the order). The ingest's model load stays inside its time; the bare
model is loaded before its timer starts.

    .venv/bin/python scripts/bench_ingest.py [--docs 2000] [--n-process 2] [--order bare-first|ingest-first|abba]
                                             [--rebuilds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchcorpus import write_pages  # noqa: E402
from treemem import PeakSampler  # noqa: E402

from hakemisto.core.config import load_settings  # noqa: E402
from hakemisto.core.model import Document  # noqa: E402
from hakemisto.documents.loaders import load_paths  # noqa: E402
from hakemisto.jobs.pipeline import IngestReport, ingest_documents  # noqa: E402


def bare(texts: list[str], n_process: int, batch_size: int) -> tuple[float, float]:
    """Seconds and tree CPU seconds for the bare model (the components NER and lemmas need) over
    ``texts``, both without the model load."""
    from hakemisto.core.children import install
    from hakemisto.facts.entities import fi_base

    install()
    nlp = fi_base()
    start, cpu = time.perf_counter(), _tree_cpu()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
        pass
    return time.perf_counter() - start, _tree_cpu() - cpu


# abba: bare, ingest, ingest, bare — a load that rises or falls steadily during the run weighs on both
# phases alike (sums over the passes), where bare-first / ingest-first hand it all to one phase.
ORDERS = {"bare-first": ["bare", "ingest"], "ingest-first": ["ingest", "bare"],
          "abba": ["bare", "ingest", "ingest", "bare"]}


def _tree_cpu() -> float:
    """CPU seconds of this process and its waited-for children (the worker pools): on a shared
    machine the load moves wall times by tens of percent, CPU seconds far less. CPU does not show a
    core left idle (the parent's serial stages, a pool's last batch): wall time is the measure."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _stages(report: IngestReport) -> str:
    """Seconds of the main stages (extraction in the workers; the rest in the parent after them)."""
    return ", ".join(f"{k} {report.durations.get(k, 0):.1f} s" for k in ("extract", "link", "index", "projects"))


def _rebuilds(docs: list[Document], settings: Any, count: int, tag: str) -> list[tuple[float, float, IngestReport]]:
    """``count`` rules-only rebuilds of the index in ``settings``, one after another: each is a new
    pipeline version over the same pages (the model's stored output, ``modelcache``, is read back, so
    only the rule components, fact building, linking, indexing and project records run). Seconds, tree
    CPU seconds and the report of each. Run right after the ingest pass they are compared with: one
    rebuild pass after all ingest passes let one load swing decide the ratio (18–25 % in three
    quiet-machine runs of session 8)."""
    import hakemisto.jobs.pipeline as pipeline_mod
    import hakemisto.search.index as idx_mod

    base = pipeline_mod.PIPELINE_VERSION
    done: list[tuple[float, float, IngestReport]] = []
    try:
        for k in range(count):
            pipeline_mod.PIPELINE_VERSION = idx_mod.PIPELINE_VERSION = f"{base}-bench-rules-{tag}-{k + 1}"
            start, before = time.perf_counter(), _tree_cpu()
            report = ingest_documents(docs, settings)
            done.append((time.perf_counter() - start, _tree_cpu() - before, report))
            assert report.rebuilt, "the version bump must rebuild"
    finally:
        pipeline_mod.PIPELINE_VERSION = idx_mod.PIPELINE_VERSION = base
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--order", choices=sorted(ORDERS), default="bare-first")
    parser.add_argument("--rebuilds", type=int, default=2,
                        help="rules-only rebuilds after each ingest pass, at least 1 (the median share is reported)")
    args = parser.parse_args()
    if args.rebuilds < 1:
        parser.error("--rebuilds must be at least 1")
    import hakemisto.facts.entities  # noqa: F401  (imports only: see the docstring)
    import hakemisto.jobs.workers  # noqa: F401
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="hakemisto-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        size, kinds = write_pages(corpus, args.docs)
        settings = load_settings(index_dir=Path(tmp) / "index", corpus_dir=corpus, n_process=args.n_process)
        loaded = load_paths([corpus], settings)
        docs = loaded.documents
        texts = [d.text for d in docs]
        chars = sum(len(t) for t in texts)
        phases = ORDERS[args.order]
        cpu: dict[str, float] = {"bare": 0.0, "ingest": 0.0}
        passes: dict[str, list[float]] = {"bare": [], "ingest": []}
        labels: dict[str, list[str]] = {"bare": [], "ingest": []}
        rebuilds: list[tuple[float, float, float, IngestReport]] = []  # wall share, CPU share, s, report
        for phase in phases:
            with PeakSampler() as peak:
                if phase == "bare":
                    took, used = bare(texts, args.n_process, settings.batch_size)
                else:
                    # every ingest pass starts from an empty index (and an empty model-output store)
                    settings = replace(settings, index_dir=Path(tmp) / f"index-{len(passes['ingest'])}")
                    start, before = time.perf_counter(), _tree_cpu()
                    report = ingest_documents(docs, settings)
                    took, used = time.perf_counter() - start, _tree_cpu() - before
            passes[phase].append(took)
            cpu[phase] += used
            labels[phase].append(peak.label)
            if phase == "ingest":  # this pass's rebuilds, compared with this pass
                for r_took, r_used, r_report in _rebuilds(docs, settings, args.rebuilds, str(len(passes["ingest"]))):
                    rebuilds.append((r_took / took, r_used / used, r_took, r_report))
        times = {phase: sum(p) / len(p) for phase, p in passes.items()}  # mean seconds per pass
        peaks = {phase: " / ".join(found) for phase, found in labels.items()}
        share = statistics.median(r[0] for r in rebuilds)
        cpu_share = statistics.median(r[1] for r in rebuilds)
        rebuilt = sorted(rebuilds, key=lambda r: r[0])[(len(rebuilds) - 1) // 2][3]
        n = len(docs)
        print(
            f"ingest: {n} pages ({kinds['html']} html, {kinds['sv']} sv, {chars / n / 1000:.2f} K chars/page, "
            f"{size / 1e6:.1f} MB) in {times['ingest']:.1f} s = {n / times['ingest']:.2f} pages/s "
            f"({_stages(report)}); bare nlp.pipe(n_process={args.n_process}) "
            f"{times['bare']:.1f} s = {n / times['bare']:.2f} pages/s; ingest/bare throughput "
            f"{times['bare'] / times['ingest']:.0%} (passes: ingest {'/'.join(f'{t:.1f}' for t in passes['ingest'])} s, "
            f"bare {'/'.join(f'{t:.1f}' for t in passes['bare'])} s); tree CPU ingest {cpu['ingest'] / len(passes['ingest']):.1f} s, "
            f"bare {cpu['bare'] / len(passes['bare']):.1f} s "
            f"({cpu['bare'] / cpu['ingest']:.0%}); peak tree memory ingest {peaks['ingest']}, bare {peaks['bare']}; "
            f"rules-only rebuild, median of {len(rebuilds)} (each vs the ingest pass before it): "
            f"{share:.1%} of the ingest pass "
            f"(shares {'/'.join(f'{r[0]:.1%}' for r in rebuilds)}; passes {'/'.join(f'{r[2]:.1f}' for r in rebuilds)} s; "
            f"{_stages(rebuilt)}), tree CPU {cpu_share:.1%} "
            f"of the ingest's; load average {load_start:.1f} → {os.getloadavg()[0]:.1f}; "
            f"order {args.order}"
        )


if __name__ == "__main__":
    main()
