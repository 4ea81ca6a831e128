"""Scale benchmark: extraction on 1 and 2 Dask workers, Whoosh at 10k / 50k / 100k pages, fitted limits.

Two parts, one printed line:

1. **Extraction** (the real spaCy pipeline): the relevance collection's real-shaped fi/sv pages,
   repeated under new ids to ``--extract-docs`` documents, go through ``distributed.analyse_on_cluster``
   on a ``LocalCluster`` of 1 and then 2 worker processes. Timed after the workers have loaded the
   model (a warm-up batch), so the figure is steady-state pages/s; scaling efficiency = rate(2) /
   (2 × rate(1)).
2. **Index and queries** at ``--sizes`` pages. The big indexes are built WITHOUT the neural model:
   synthetic documents made of collection paragraphs (like ``bench_search.py``) with synthetic facts
   (funders, programmes, amounts with roles, persons, years) so facets and amount fields are as full
   as real ones. One index grows through the sizes; after each size 200 queries with facets are timed.

Then it fits query p95 = a·N^b (log-log least squares over the sizes) and the full-rebuild time
(extraction at the measured per-worker rate × efficiency, plus single-writer indexing) and prints the
corpus size where p95 passes 300 ms, where a one-worker-pair rebuild passes 8 h, and the workers that
keep a rebuild of 300,000 pages under 2 h.

    .venv/bin/python scripts/bench_scale.py [--sizes 10000,50000,100000] [--extract-docs 120] [--queries 200]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import paragraphs, query_texts  # noqa: E402

from hakemisto.core.config import load_settings  # noqa: E402
from hakemisto.core.model import Amount, Document, Facts, content_hash  # noqa: E402
from hakemisto.documents.loaders import load_paths  # noqa: E402
from hakemisto.evaluation.relevance import collection_paths  # noqa: E402
from hakemisto.search import index as idx  # noqa: E402
from hakemisto.search.engine import search  # noqa: E402

REGIONS = ["Pirkanmaa", "Lappi", "Kainuu", "Pohjanmaa", "Keski-Pohjanmaa", "Päijät-Häme", "Satakunta",
           "Keski-Suomi", "Varsinais-Suomi", "Pohjois-Savo", "Etelä-Karjala", "Kanta-Häme"]
FUNDERS = ["STM", "EU", "ESR", "THL", "Kela", "NextGenerationEU/RRF", "EAKR", "TEM"]
PROGRAMMES = ["RRP", "KATI", "Tulevaisuuden sote-keskus", "ESR+", "Interreg"]
ROLES = ["granted", "budget", "applied", "own_share", "other"]
FIRST = ["Anna", "Mikko", "Katri", "Jussi", "Sanna", "Petri", "Eeva", "Lars", "Maria", "Timo"]
LAST = ["Nieminen", "Virtanen", "Korhonen", "Mäkinen", "Ek", "Lindholm", "Heikkinen", "Koskinen"]
BATCH = 5000
P95_LIMIT_MS = 300.0
REBUILD_LIMIT_H = 8.0
TARGET_H = 2.0
TARGET_PAGES = 300_000


# --- part 1: extraction on Dask ----------------------------------------------------------------------


def extraction_docs(n: int, seed: int) -> list[Document]:
    """Pages recombined from the real-shaped paragraphs of the relevance collection (fi and sv, with
    names, sums and funders), language still to be detected: each text is new to the workers' caches."""
    settings = load_settings(index_dir=Path(tempfile.gettempdir()) / "unused", n_process=1)
    base = load_paths([str(p) for p in collection_paths()], settings).documents
    rng = random.Random(seed)
    loaded = datetime.now(UTC)
    out = []
    for i in range(n):
        first = rng.choice(base)
        same_lang = [d for d in base if d.lang_hint == first.lang_hint] or base
        paras = list(first.paragraphs[:8])
        for other in rng.sample(same_lang, 2):
            paras += list(other.paragraphs[:5])
        text = "\n\n".join(paras)
        out.append(Document(id=f"extract/{seed}/{i}", title=first.title, paragraphs=tuple(paras),
                            path=f"extract/{seed}/{i}.txt", url=first.url, lang_hint=first.lang_hint,
                            content_hash=content_hash(text), loaded_at=loaded))
    return out


def extraction_rate(workers: int, docs: list[Document], warm: list[Document], batch: int) -> tuple[float, float]:
    """(pages/s after warm-up, seconds to start the cluster and load the model on every worker)."""
    from distributed import Client

    from hakemisto.jobs.distributed import ExtractionPlugin, analyse_on_cluster, start_local_cluster

    settings = load_settings(index_dir=Path(tempfile.gettempdir()) / "unused", n_process=1,
                             cluster="local", cluster_batch=batch)
    t0 = time.perf_counter()
    cluster = start_local_cluster(workers)
    try:
        with Client(cluster, set_as_default=False) as client:
            client.register_plugin(ExtractionPlugin())  # waits until every worker has the model
            analyse_on_cluster(warm[: batch * workers], settings, client=client)  # first-call costs
            startup = time.perf_counter() - t0
            t1 = time.perf_counter()
            out = analyse_on_cluster(docs, settings, client=client)
            elapsed = time.perf_counter() - t1
            assert len(out) == len(docs) and all(d.facts is not None for d in out)
    finally:
        cluster.close()
    return len(docs) / elapsed, startup


# --- part 2: Whoosh at size -----------------------------------------------------------------------------


def synthetic(n: int, start: int, rng: random.Random, paras: dict[str, list[str]]) -> list[Document]:
    """Cheap synthetic pages with facts: no spaCy, only paragraph sampling and random facts."""
    loaded = datetime.now(UTC)
    out = []
    for i in range(start, start + n):
        lang = "sv" if rng.random() < 0.2 else "fi"
        chosen = tuple(rng.sample(paras[lang], k=min(len(paras[lang]), rng.randint(3, 8))))
        amounts = tuple(
            Amount(text=f"{eur:,} euroa", eur=float(eur), role=rng.choice(ROLES), year=str(rng.randint(2021, 2026)),
                   funder=rng.choice(FUNDERS), region=rng.choice(REGIONS))
            for eur in (rng.randint(1, 400) * 10_000 for _ in range(rng.randint(0, 3)))
        )
        region = rng.choice(REGIONS)
        facts = Facts(
            funders=tuple(rng.sample(FUNDERS, rng.randint(0, 3))),
            programmes=tuple(rng.sample(PROGRAMMES, rng.randint(0, 2))),
            amounts=amounts,
            persons=tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(0, 2))),
            regions=(region,),
            region=region,
        )
        text = "\n\n".join(chosen)
        out.append(Document(
            id=f"scale/{i}", title=chosen[0][:80], paragraphs=chosen, path=f"scale/{i}.txt", lang=lang,
            para_langs=tuple(lang for _ in chosen), region=region, content_hash=content_hash(text),
            loaded_at=loaded, published=datetime(rng.randint(2021, 2026), rng.randint(1, 12), 1), facts=facts,
        ))
    return out


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def query_times(settings: object, texts: list[str]) -> tuple[float, float]:
    search(settings, texts[0], limit=10)  # open the index, build the per-generation caches
    times = []
    for text in texts:
        t = time.perf_counter()
        search(settings, text, limit=10, with_facets=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def fit_power(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """y = a·x^b by least squares in log-log space."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    b = sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / sum((x - mx) ** 2 for x in lx)
    return math.exp(my - b * mx), b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--extract-docs", type=int, default=160)
    parser.add_argument("--batch", type=int, default=8, help="documents per Dask task")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    docs = extraction_docs(args.extract_docs, seed=1)
    warm = extraction_docs(2 * args.batch, seed=2)
    rate1, start1 = extraction_rate(1, docs, warm, args.batch)
    rate2, start2 = extraction_rate(2, docs, warm, args.batch)
    efficiency = rate2 / (2 * rate1)
    print(f"[extraction] 1 worker {rate1:.2f} p/s (start {start1:.0f} s), 2 workers {rate2:.2f} p/s "
          f"(start {start2:.0f} s), efficiency {efficiency:.0%}", file=sys.stderr, flush=True)

    rng = random.Random(19)
    paras = paragraphs()
    texts = query_texts(args.queries)
    rows = []
    with tempfile.TemporaryDirectory(prefix="hakemisto-scale-") as tmp:
        settings = load_settings(index_dir=Path(tmp) / "index", corpus_dir=Path(tmp) / "corpus")
        have, index_cpu = 0, 0.0
        for size in sizes:
            while have < size:
                batch = synthetic(min(BATCH, size - have), have, rng, paras)
                c = time.process_time()
                idx.write(settings, batch)
                index_cpu += time.process_time() - c
                have += len(batch)
            p50, p95 = query_times(settings, texts)
            rows.append((size, p50, p95, dir_mb(settings.index_dir), have / index_cpu))
            print(f"[index] {size} pages: p50 {p50:.0f} ms, p95 {p95:.0f} ms, {rows[-1][3]:.0f} MB, "
                  f"{rows[-1][4]:.0f} pages/CPU-s", file=sys.stderr, flush=True)

    a, b = fit_power([r[0] for r in rows], [r[2] for r in rows])
    p95_limit = (P95_LIMIT_MS / a) ** (1 / b) if b > 0 else math.inf
    ma, mb = fit_power([r[0] for r in rows], [r[3] for r in rows])
    index_rate = rows[-1][4]  # pages per CPU second of the single writer, at the largest size

    def rebuild_hours(pages: float, workers: int) -> float:
        per_worker = rate1 * (efficiency if workers > 1 else 1.0)
        return (pages / (workers * per_worker) + pages / index_rate) / 3600

    # 8 h on this machine (2 workers): pages = 8 h / (1/(2·r1·eff) + 1/index_rate)
    pages_8h = REBUILD_LIMIT_H * 3600 / (1 / (2 * rate1 * efficiency) + 1 / index_rate)
    workers_2h = next((w for w in range(1, 10_000) if rebuild_hours(TARGET_PAGES, w) <= TARGET_H), None)
    measured = "; ".join(f"{r[0] // 1000}k: p50 {r[1]:.0f} ms, p95 {r[2]:.0f} ms, {r[3]:.0f} MB" for r in rows)
    print(
        f"scale: extraction {args.extract_docs} pages ({sum(len(d.text) for d in docs) // len(docs)} chars), 1 Dask worker {rate1:.2f} pages/s, 2 workers {rate2:.2f} "
        f"pages/s = {efficiency:.0%} efficiency; Whoosh (synthetic pages with facts, no neural model, "
        f"{len(texts)} queries with facets) {measured}; writer {index_rate:.0f} pages/CPU-s; "
        f"fit p95 = {a:.3g}·N^{b:.2f} ms → p95 > {P95_LIMIT_MS:.0f} ms at {p95_limit:,.0f} pages; "
        f"size = {ma:.3g}·N^{mb:.2f} MB; full rebuild on 2 workers > {REBUILD_LIMIT_H:.0f} h at "
        f"{pages_8h:,.0f} pages; {TARGET_PAGES:,} pages in < {TARGET_H:.0f} h needs {workers_2h} workers "
        f"({rebuild_hours(TARGET_PAGES, workers_2h or 1):.2f} h)"
    )


if __name__ == "__main__":
    main()
