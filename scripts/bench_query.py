"""Query benchmark on a representative index: 10k / 50k pages with facts, a planner-style query set,
latency per kind of query (facets and snippets included), and a cold `hakemisto search RRP`.

The index is built from the realistic dev pages (``tests/pages/dev``): they are annotated once by the
real pipeline (funders, programmes, amounts, contacts, regions), then multiplied into ``--docs``
distinct pages (``benchcorpus.clone_documents``: paragraphs mixed within a language, numbers and
names varied, facts kept) — long pages, the real vocabulary, fi and sv. Queries: single words, 2–3
words, quoted phrases, filters (county, language, programme, funder, year, minimum sum), broad words
and zero-hit queries. Prints one line: p50/p95 overall and per kind, and the cold start (a new
process, best of ``--cold-runs``). ``--index-dir`` reuses an index built before.

    .venv/bin/python scripts/bench_query.py [--docs 10000] [--queries 240] [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_cold import cold_start  # noqa: E402  (the cold process, one definition for both scripts)
from benchcorpus import DEV, clone_documents, source_pages  # noqa: E402

from hakemisto.core.config import load_settings  # noqa: E402
from hakemisto.search import index as idx  # noqa: E402
from hakemisto.search.engine import Filters, search  # noqa: E402

BATCH = 1000
PHRASES = ['"tulevaisuuden sote-keskus"', '"kestävän kasvun"', '"hoitotakuun toteutuminen"', '"sosiaali- ja terveysministeriö"',
           '"framtidens social- och hälsocentral"', '"ikääntyneiden palvelut"', '"mielenterveys- ja päihdepalvelut"',
           '"kotona asuminen"', '"digitaaliset palvelut"', '"välmående"']
BROAD = ["hanke", "hyvinvointialue", "palvelut", "projekt", "rahoitus", "kehittäminen", "sote", "välfärdsområde"]
ZERO = ["xyzzyqwv", "kvanttiteleportaatio", "avaruusromu jäätelökone", "zzgloborp flimflam", "ydinfuusiovoimala",
        "porkkanakakkuresepti", "snöskoterrally", "blockkedjebryggeri"]
REGIONS = ["Pirkanmaa", "Lappi", "Kainuu", "Pohjanmaa", "Keski-Suomi", "Satakunta", "Pohjois-Savo", "Varsinais-Suomi"]


def annotated_sources() -> list:
    from hakemisto.documents.lang import detect_document
    from hakemisto.documents.loaders import load_paths
    from hakemisto.jobs.workers import annotate

    settings = load_settings()
    loaded = load_paths(source_pages(), settings).documents
    return annotate([detect_document(d) for d in loaded], n_process=2)


def ensure_index(index_dir: Path, n: int) -> tuple[int, float]:
    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus")
    if idx.exists(index_dir):
        return idx.open_index(index_dir).doc_count(), 0.0
    start = time.perf_counter()
    docs = clone_documents(annotated_sources(), n)
    for i in range(0, len(docs), BATCH):
        idx.write(settings, docs[i : i + BATCH])
        print(f"indexed {min(i + BATCH, n)}/{n}", file=sys.stderr)
    idx.optimize(settings)
    return n, time.perf_counter() - start


def queries(n: int, seed: int = 11) -> list[tuple[str, str, Filters]]:
    """(kind, text, filters): a sixth each of the kinds, words from the dev pages' text."""
    rng = random.Random(seed)
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in source_pages())
    text = re.sub(r"<[^>]*>", " ", text)
    words = [w for w in re.findall(r"[^\W\d_]{6,}", text) if w.islower()]
    out: list[tuple[str, str, Filters]] = []
    while len(out) < n:
        kind = ["single", "words", "phrase", "filter", "broad", "zero"][len(out) % 6]
        if kind == "single":
            out.append((kind, rng.choice(words), Filters()))
        elif kind == "words":
            out.append((kind, " ".join(rng.sample(words, rng.randint(2, 3))), Filters()))
        elif kind == "phrase":
            out.append((kind, rng.choice(PHRASES), Filters()))
        elif kind == "filter":
            roll = rng.randrange(5)
            flt = [Filters(region=rng.choice(REGIONS)), Filters(lang="sv"), Filters(programme="RRP"),
                   Filters(funder="STM", year=2023), Filters(min_amount=1_000_000)][roll]
            out.append((kind, rng.choice(words + [""]), flt))
        elif kind == "broad":
            out.append((kind, rng.choice(BROAD), Filters()))
        else:
            out.append((kind, rng.choice(ZERO), Filters()))
    return out


def pct(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.0f} / p95 {statistics.quantiles(values, n=20)[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--index-dir", type=Path, help="Reuse this index if it exists, else build it there.")
    args = parser.parse_args()
    assert DEV.is_dir(), DEV
    with tempfile.TemporaryDirectory(prefix="hakemisto-bench-") as tmp:
        index_dir = args.index_dir or Path(tmp) / "index"
        n, build_s = ensure_index(index_dir, args.docs)
        cold, cold_cpu = cold_start(index_dir, args.cold_runs)
        settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus")
        qs = queries(args.queries)
        search(settings, "RRP", limit=10)  # open the index, load the posting caches
        times: dict[str, list[float]] = {}
        cpu: list[float] = []
        load = os.getloadavg()[0]
        for kind, text, flt in qs:
            start, start_cpu = time.perf_counter(), time.process_time()
            search(settings, text, flt, limit=10, with_facets=True)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        load = max(load, os.getloadavg()[0])
        everything = [t for v in times.values() for t in v]
    kinds = ", ".join(f"{k} {pct(v)}" for k, v in times.items())
    print(f"query: {n} pages (built in {build_s:.0f} s), {len(everything)} queries with facets and snippets: "
          f"all {pct(everything)}, worst {max(everything):.0f} ms; {kinds}; cold `hakemisto search RRP` "
          f"{cold:.2f} s, CPU {cold_cpu:.2f} s (best of {args.cold_runs}); CPU per query {pct(cpu)}; load average {load:.1f}")


if __name__ == "__main__":
    main()
