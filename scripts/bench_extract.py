"""Extractor throughput beside bare `nlp.pipe` of the same model on the same texts, in one run.

Prints one line. Texts: the seed documents and fixture pages, repeated to --docs documents
(Finnish ones only, since the bare baseline is the Finnish model).
Usage: .venv/bin/python scripts/bench_extract.py [--docs 200] [--n-process 1]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from hakemisto.core.config import PROJECT_ROOT, load_settings
from hakemisto.documents.lang import detect_document
from hakemisto.documents.loaders import load_paths
from hakemisto.facts.entities import annotate, fi_base, fi_nlp
from hakemisto.jobs import workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()
    settings = load_settings()
    loaded = load_paths([PROJECT_ROOT / "corpus" / "seeds", PROJECT_ROOT / "tests" / "fixtures" / "pages"], settings)
    base_docs = [d for d in (detect_document(d) for d in loaded.documents) if d.lang == "fi"]
    docs = [replace(base_docs[i % len(base_docs)], id=f"{i}") for i in range(args.docs)]
    texts = [d.text for d in docs]
    chars = sum(len(t) for t in texts)
    bare, full = fi_base(), fi_nlp()
    list(bare.pipe(texts[:4]))
    list(full.pipe(texts[:4]))
    annotate(docs[:4])

    bare_s = ext_s = float("inf")
    for _ in range(2):  # alternate and keep the best of each: the machine is shared and noisy
        start = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=32, n_process=args.n_process):
            pass
        bare_s = min(bare_s, time.perf_counter() - start)
        start = time.perf_counter()
        workers.annotate(docs, n_process=args.n_process, batch_size=32)
        ext_s = min(ext_s, time.perf_counter() - start)
    print(f"extract: {len(docs) / ext_s:.1f} docs/s {chars / ext_s:,.0f} chars/s | "
          f"bare nlp.pipe ({'+'.join(bare.pipe_names)}): {len(docs) / bare_s:.1f} docs/s {chars / bare_s:,.0f} chars/s"
          f" | ratio {bare_s / ext_s:.0%} (target >= 70%) | docs={len(docs)} n_process={args.n_process}")


if __name__ == "__main__":
    main()
