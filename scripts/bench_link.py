"""Benchmark the twin/duplicate linking step and the nightly runs it sits in (issue 17: "cache shingles").

Needs an index built from the realistic page set (``benchcorpus.write_pages`` + one ``hakemisto
nightly --no-crawl``), given as ``--base`` (with ``corpus/`` and ``index/`` inside; ``seed-cache`` writes
the shingle cache a previous run would have left). Parts:

* ``link``: the stored documents through ``pipeline.link`` in this process: a full link, and an
  incremental one with 1 % of the pages marked changed, cold (no shingle cache) and warm (the cache
  file of the index); CPU seconds, and with ``--profile`` cProfile's share spent shingling.
* ``nightly``: real ``python -m hakemisto nightly --no-crawl`` processes on a copy of the base: nothing
  changed, then 1 % of the pages edited; wall and CPU seconds (process tree), the stage ``link``.

Run the same script with ``PYTHONPATH=<an older checkout>`` to measure the code before the cache (it
has no ``ShingleCache``: the cold/warm distinction disappears). One printed line per measurement.

    .venv/bin/python scripts/bench_link.py --base /tmp/bench link --profile
    .venv/bin/python scripts/bench_link.py --base /tmp/bench nightly --work /tmp/work
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _label() -> str:
    from hakemisto.facts import dedup

    return "cache" if hasattr(dedup, "ShingleCache") else "before"


def link_bench(base: Path, profile: bool) -> None:
    from hakemisto.core.config import load_settings
    from hakemisto.facts import dedup
    from hakemisto.jobs import pipeline
    from hakemisto.search import index as idx

    settings = load_settings(index_dir=base / "index", corpus_dir=base / "corpus", n_process=1)
    docs = list(idx.iter_documents(settings))
    ids = sorted(d.id for d in docs)
    changed = set(random.Random(7).sample(ids, k=max(1, len(ids) // 100)))
    label = _label()
    variants: list[tuple[str, dict]] = [("", {})]
    if label == "cache":
        from hakemisto.jobs import shinglestore

        stored = shinglestore.load(settings.index_dir, [])
        if len(stored):
            pipeline.link(docs, None, stored)  # marks every entry used, so to_bytes keeps them all
        else:
            stored = dedup.ShingleCache()
            pipeline.link(docs, None, stored)
        data = stored.to_bytes()
        variants = [("cold", {}), ("warm", {})]
    results = {}
    for name, kwargs in variants:
        for mode, which in (("full", None), ("1pct", changed)):
            if name == "warm":  # a fresh copy of the stored cache for each run
                kwargs = {"shingles": dedup.ShingleCache.from_bytes(data)}
            elif name == "cold":
                kwargs = {"shingles": dedup.ShingleCache()}
            load = os.getloadavg()[0]
            prof = cProfile.Profile() if profile else None
            c0, t0 = _cpu(), time.perf_counter()
            if prof:
                prof.enable()
            out = pipeline.link(docs, which, **kwargs)
            if prof:
                prof.disable()
            cpu, wall = _cpu() - c0, time.perf_counter() - t0
            groups = sum(1 for d in out if d.duplicates)
            hashed = f" hashed={kwargs['shingles'].computed}" if kwargs else ""
            results[(name, mode)] = {d.id: d.duplicates for d in out}
            share = ""
            if prof:
                stats = pstats.Stats(prof)
                total = stats.total_tt  # type: ignore[attr-defined]
                shingling = sum(v[3] for k, v in stats.stats.items() if k[2] == "_shingles")  # type: ignore[attr-defined]
                twins = sum(v[3] for k, v in stats.stats.items() if k[2] == "link_twins")  # type: ignore[attr-defined]
                share = (f" profiled={total:.2f}s shingling={shingling:.2f}s ({shingling / total:.0%})"
                         f" twins={twins:.2f}s ({twins / total:.0%})")
            print(f"link[{label}{'/' + name if name else ''}] {mode}: docs={len(docs)} changed={len(which or ())} "
                  f"wall={wall:.2f}s cpu={cpu:.2f}s load={load:.1f} in_groups={groups}{hashed}{share}", flush=True)
    c0 = _cpu()
    bodies = [dedup._body(d) for d in docs]
    for body in bodies:
        dedup._shingles(body)
    print(f"shingling alone (every body once, no profiler): cpu={_cpu() - c0:.2f}s", flush=True)
    from hakemisto.facts.twins import link_twins

    c0 = _cpu()
    link_twins(docs)
    print(f"link_twins alone (no profiler): cpu={_cpu() - c0:.2f}s", flush=True)
    first = next(iter(results.values()))
    assert all(r == first for r in results.values()), "link results differ between variants"


def seed_cache(base: Path) -> None:
    from hakemisto.core.config import load_settings
    from hakemisto.facts.dedup import ShingleCache
    from hakemisto.jobs import pipeline, shinglestore
    from hakemisto.search import index as idx

    settings = load_settings(index_dir=base / "index", corpus_dir=base / "corpus", n_process=1)
    cache = ShingleCache()
    pipeline.link(list(idx.iter_documents(settings)), None, cache)
    notes: list[str] = []
    shinglestore.save(settings.index_dir, cache, notes)
    size = (settings.index_dir / shinglestore.FILE_NAME).stat().st_size
    print(f"seed-cache: {len(cache)} bodies, {size / 1e6:.1f} MB {notes or ''}")


def _tree_cpu() -> float:
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ch.ru_utime + ch.ru_stime


def nightly_bench(base: Path, work: Path, fraction: float, cold: bool, index: Path | None) -> None:
    """Runs on ``base`` in place (document ids are the files' paths, so the corpus cannot move). The
    first run keeps a pristine copy of the corpus (and index) in ``work``; every run starts from it and
    restores it. ``index``: the pristine index to start from instead (one built by the code measured:
    the pipeline version hashes dedup.py, so the other code's index would be rebuilt)."""
    saved_corpus, saved_index = work / "corpus", index or work / "index"

    def restore() -> None:
        for part, saved in (("index", saved_index), ("corpus", saved_corpus)):
            shutil.rmtree(base / part, ignore_errors=True)
            shutil.copytree(saved, base / part, symlinks=True)

    if not saved_corpus.exists():
        shutil.copytree(base / "corpus", saved_corpus, symlinks=True)
    if not saved_index.exists():
        shutil.copytree(base / "index", saved_index, symlinks=True)
    restore()
    shutil.rmtree(work / "runs", ignore_errors=True)
    try:
        _nightly_runs(base, work, fraction, cold)
    finally:
        restore()


def _nightly_runs(base: Path, work: Path, fraction: float, cold: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")} | {
        "HAKEMISTO_CONFIG": str(work / "none.toml"),
        "HAKEMISTO_INDEX": str(base / "index"),
        "HAKEMISTO_CORPUS_DIR": str(base / "corpus"),
        "HAKEMISTO_REPORT_DIR": str(work / "runs"),
        "HAKEMISTO_N_PROCESS": "2",
    }
    label = _label()
    if cold:
        (base / "index" / "shingles.npz").unlink(missing_ok=True)
    cache = label == "cache" and (base / "index" / "shingles.npz").is_file()
    files = sorted(p for p in (base / "corpus").rglob("*") if p.is_file())

    def run(name: str) -> None:
        load = os.getloadavg()[0]
        c0, t0 = _tree_cpu(), time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "hakemisto", "nightly", "--no-crawl", "--quiet", "--json"],
                                env=env, capture_output=True, text=True, cwd=work)  # cwd: PYTHONPATH decides
        wall, cpu = time.perf_counter() - t0, _tree_cpu() - c0
        if result.returncode != 0:
            sys.exit(f"nightly failed (exit {result.returncode}): {result.stderr.strip()[-500:]}")
        out = json.loads(result.stdout)
        import hakemisto

        assert out["counts"]["new"] == 0 or name != "unchanged", f"the index was not built by {hakemisto.__file__}'s code"
        counts, stages = out["counts"], out["stages"]
        print(f"nightly[{label}{'/warm' if cache else ''}] {name}: wall={wall:.2f}s cpu={cpu:.2f}s load={load:.1f} "
              f"new={counts['new']} changed={counts['changed']} link={stages.get('link', 0):.2f}s extract={stages.get('extract', 0):.2f}s "
              f"index={stages.get('index', 0):.2f}s", flush=True)

    run("unchanged")
    for path in random.Random(11).sample(files, k=max(1, int(len(files) * fraction))):
        text = path.read_text(encoding="utf-8")
        edit = "<p>Päivitetty: hankkeen rahoitus jatkuu.</p>" if path.suffix != ".txt" else "\nPäivitetty: hankkeen rahoitus jatkuu.\n"
        cut = text.rfind("</body>")
        path.write_text(text[:cut] + edit + text[cut:] if cut > 0 else text + edit, encoding="utf-8")
    run(f"{fraction:.0%} changed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="Directory with corpus/ and index/ (built once).")
    sub = parser.add_subparsers(dest="what", required=True)
    p_link = sub.add_parser("link")
    p_link.add_argument("--profile", action="store_true")
    sub.add_parser("seed-cache")
    p_night = sub.add_parser("nightly")
    p_night.add_argument("--work", type=Path, required=True, help="Scratch directory (keeps the pristine base).")
    p_night.add_argument("--fraction", type=float, default=0.01)
    p_night.add_argument("--cold", action="store_true", help="Delete the shingle cache file of the copy first.")
    p_night.add_argument("--index", type=Path, help="Pristine index to start each run from (default: --work/index).")
    args = parser.parse_args()
    if args.what == "seed-cache":
        seed_cache(args.base)
    elif args.what == "link":
        link_bench(args.base, args.profile)
    else:
        nightly_bench(args.base, args.work, args.fraction, args.cold, args.index)


if __name__ == "__main__":
    main()
