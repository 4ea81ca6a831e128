"""Benchmark the nightly job: full ingest vs. a run with nothing changed vs. 1 % of documents changed.

Builds a corpus of generated documents from the seeds' paragraphs in a temp dir, then times three
real ``python -m hakemisto nightly --no-crawl`` processes (start-up and model load included, as under
cron). Prints one line with both ratios; targets: unchanged < 5 %, 1 % changed < 10 % of the full ingest.

    .venv/bin/python scripts/bench_nightly.py [--docs 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 6]
    return paragraphs


def build_corpus(folder: Path, n_docs: int, rng: random.Random) -> list[Path]:
    """Documents of 4–8 seed paragraphs each (≈ 2–5 KB, like real project pages), with a unique title."""
    paragraphs = seed_paragraphs()
    files = []
    for i in range(n_docs):
        body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(4, 8)))
        path = folder / f"{i // 500:02d}" / f"doc_{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Kehittämishanke {i}: palvelujen uudistaminen\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        files.append(path)
    return files


def timed_run(env: dict[str, str], n_process: int) -> tuple[float, dict]:
    env = env | {"HAKEMISTO_N_PROCESS": str(n_process)}
    cmd = [sys.executable, "-m", "hakemisto", "nightly", "--no-crawl", "--quiet", "--json"]
    t0 = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        sys.exit(f"nightly failed (exit {result.returncode}): {result.stderr.strip() or result.stdout[-500:]}")
    return elapsed, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="Build in this directory and keep it (default: a temp dir).")
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="hakemisto-bench-") as tmp:
        base = args.keep or Path(tmp)
        corpus = base / "corpus"
        files = build_corpus(corpus, args.docs, rng)
        env = dict(os.environ) | {
            "HAKEMISTO_CONFIG": str(base / "none.toml"),
            "HAKEMISTO_INDEX": str(base / "index"),
            "HAKEMISTO_CORPUS_DIR": str(corpus),
            "HAKEMISTO_REPORT_DIR": str(base / "runs"),
        }
        env.pop("HAKEMISTO_TEST_PAUSE_AT", None)
        full, full_report = timed_run(env, n_process=2)
        unchanged, unchanged_report = timed_run(env, n_process=2)
        for path in rng.sample(files, k=max(1, args.docs // 100)):
            path.write_text(path.read_text(encoding="utf-8") + "\nPäivitetty: hankkeen rahoitus jatkuu.\n", encoding="utf-8")
        changed, changed_report = timed_run(env, n_process=2)
        assert unchanged_report["counts"]["new"] == unchanged_report["counts"]["changed"] == 0
        print(
            f"docs={full_report['counts']['new']} full={full:.1f}s "
            f"unchanged={unchanged:.2f}s ({unchanged / full:.1%}, target <5%) "
            f"changed_1pct={changed:.2f}s ({changed_report['counts']['changed']} docs, {changed / full:.1%}, target <10%)"
        )


if __name__ == "__main__":
    main()
