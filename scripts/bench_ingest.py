"""Ingest benchmark: a synthetic corpus built from the shipped paragraphs, ingested end to end.

Prints one line: documents/s, MB/s, peak RSS (this process and its worker processes), index size.

    .venv/bin/python scripts/bench_ingest.py --docs 2000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hakemisto.config import load_settings  # noqa: E402
from hakemisto.loaders import load_paths  # noqa: E402
from hakemisto.pipeline import ingest_paths  # noqa: E402


def build_corpus(target: Path, n_docs: int, seed: int = 7) -> int:
    """Write ``n_docs`` text files mixing real fi/sv paragraphs; returns the bytes written."""
    settings = load_settings()
    docs = load_paths([ROOT / "corpus"], settings).documents
    paragraphs = [p for d in docs for p in d.paragraphs if len(p.split()) >= 4]
    titles = [d.title for d in docs]
    rng = random.Random(seed)
    total = 0
    for i in range(n_docs):
        body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(4, 12)))
        text = f"{rng.choice(titles)} ({i})\n\n" + "\n\n".join(body) + "\n"
        path = target / f"doc_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--n-process", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.docs)
        settings = load_settings(index_dir=Path(tmp) / "index", n_process=args.n_process)
        start = time.perf_counter()
        report = ingest_paths([corpus], settings)
        elapsed = time.perf_counter() - start
        index_bytes = sum(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file())
        extract = report.durations.get("extract", 0.0)
        print(
            f"ingest: {report.seen} docs in {elapsed:.1f} s = {report.seen / elapsed:.1f} docs/s, "
            f"{size / 1e6 / elapsed:.3f} MB/s ({size / 1e6:.1f} MB); extraction {extract:.1f} s "
            f"({report.seen / max(extract, 1e-9):.1f} docs/s); peak RSS {peak_rss_mb():.0f} MB; "
            f"index {index_bytes / 1e6:.1f} MB; n_process={args.n_process}"
        )


if __name__ == "__main__":
    main()
