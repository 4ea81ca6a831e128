"""Search benchmark: indexing throughput voikko vs Snowball, and query latency with facets.

Synthesises documents from corpus and relevance-collection paragraphs (with some novel compounds,
so the analysis cache also sees misses), indexes the first ``--compare`` documents once with each
analyzer kind (same run, same documents), grows the voikko index to ``--docs`` documents, then
times ``search.search`` (facets included) over judged planner queries and random corpus words.
Prints one line. Default run: 10,000 documents, a few minutes on a 2-core machine.

    .venv/bin/python scripts/bench_search.py [--docs 10000] [--compare 2000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from hakemisto.core.config import load_settings
from hakemisto.core.model import Document, content_hash
from hakemisto.evaluation.relevance import collection_paths, load_queries
from hakemisto.search import index as idx
from hakemisto.search.engine import search

REGIONS = [
    "Pirkanmaa",
    "Lappi",
    "Kainuu",
    "Pohjanmaa",
    "Keski-Pohjanmaa",
    "Päijät-Häme",
    "Satakunta",
    "Keski-Suomi",
]
BATCH = 500


def paragraphs() -> dict[str, list[str]]:
    """Corpus paragraphs by language (file names and the Swedish seed tell the language)."""
    out: dict[str, list[str]] = {"fi": [], "sv": []}
    for path in collection_paths():
        lang = "sv" if path.name.startswith("sv_") or path.name.startswith("001_") else "fi"
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            if len(para.split()) >= 6 and "Fiktiv" not in para:
                out[lang].append(" ".join(para.split()))
    return out


def synthesise(n: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    paras = paragraphs()
    words = sorted({w.lower() for p in paras["fi"] for w in re.findall(r"[^\W\d_]{5,}", p)})
    docs = []
    loaded = datetime.now(UTC)
    for i in range(n):
        lang = "sv" if rng.random() < 0.2 else "fi"
        chosen = rng.sample(paras[lang], k=min(len(paras[lang]), rng.randint(3, 8)))
        if lang == "fi":  # novel compounds keep the analysis cache honest
            chosen.append(" ".join(rng.choice(words) + rng.choice(words) for _ in range(rng.randint(2, 8))))
        title = chosen[0][:80]
        text = "\n\n".join(chosen)
        docs.append(
            Document(
                id=f"bench/{i}",
                title=title,
                paragraphs=tuple(chosen),
                path=f"bench/{i}.txt",
                lang=lang,
                para_langs=tuple(lang for _ in chosen),
                region=rng.choice(REGIONS),
                content_hash=content_hash(text),
                loaded_at=loaded,
            )
        )
    return docs


def index_docs(index_dir: Path, docs: list[Document], kind: str) -> float:
    """Write ``docs`` in batches with ``kind`` analyzers; returns documents per CPU second.

    CPU time, not wall time: the machine is shared, and other processes' load would otherwise
    decide which analyzer looks faster.
    """
    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus", analyzer=kind)
    start = time.process_time()
    for i in range(0, len(docs), BATCH):
        idx.write(settings, docs[i : i + BATCH])
    return len(docs) / max(time.process_time() - start, 1e-9)


def compare(root: Path, docs: list[Document]) -> tuple[float, float]:
    """Voikko and Snowball docs/CPU-s on the same documents, alternating batches so drift hits both."""
    spent = {"voikko": 0.0, "snowball": 0.0}
    for i in range(0, len(docs), BATCH):
        for kind in ("snowball", "voikko"):
            batch = docs[i : i + BATCH]
            spent[kind] += len(batch) / index_docs(root / kind / "index", batch, kind)
    return len(docs) / spent["voikko"], len(docs) / spent["snowball"]


def query_texts(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    judged = [q.text for q in load_queries()]
    paras = paragraphs()
    words = [w for p in paras["fi"] + paras["sv"] for w in re.findall(r"[^\W\d_]{4,}", p)]
    out = list(judged)
    while len(out) < n:
        out.append(" ".join(rng.sample(words, rng.randint(1, 3))))
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--compare", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    docs = synthesise(args.docs)
    with tempfile.TemporaryDirectory(prefix="hakemisto-bench-") as tmp:
        root = Path(tmp)
        voikko_rate, snowball_rate = compare(root, docs[: args.compare])
        index_docs(root / "voikko" / "index", docs[args.compare :], "voikko")
        settings = load_settings(index_dir=root / "voikko" / "index", corpus_dir=root / "corpus")
        texts = query_texts(args.queries)
        search(settings, texts[0], limit=10)  # open the index and warm the analyzers
        times = []
        for text in texts:
            start = time.perf_counter()
            search(settings, text, limit=10, with_facets=True)
            times.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"search: {args.docs} docs, {len(texts)} queries with facets: p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"indexing ({args.compare} docs each, per CPU second): voikko {voikko_rate:.0f} docs/s, "
        f"snowball {snowball_rate:.0f} docs/s "
        f"(voikko/snowball {voikko_rate / snowball_rate:.0%})"
    )


if __name__ == "__main__":
    main()
