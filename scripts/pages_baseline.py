"""Record the extraction baseline of the realistic page set (tests/pages/extraction_baseline.json).

Runs the extractor on tests/pages/dev and tests/pages/heldout (each split on its own, real spaCy) and
writes every headline figure of ``hakemisto.evaluation.evaluate.Report.headline`` per split, with the commit it was
measured on. tests/test_pages.py fails when a figure drops more than the tolerance below it. Recording
a new baseline is a deliberate change: say in the commit message why the figures moved.

Usage: .venv/bin/python scripts/pages_baseline.py [--check]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hakemisto.core.config import PROJECT_ROOT, load_settings
from hakemisto.evaluation.evaluate import load_gold, page_splits, score
from hakemisto.facts.entities import gold_record
from hakemisto.jobs.pipeline import extract_paths

PAGES = PROJECT_ROOT / "tests" / "pages"
BASELINE = PAGES / "extraction_baseline.json"
TOLERANCE = 0.02


def measure() -> dict[str, dict]:
    """{split: {"documents": n, figure: value}} for every split of tests/pages."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(index_dir=Path(tmp) / "index", corpus_dir=Path(tmp) / "corpus", n_process=1)
        for name, (gold_dir, docs_dir) in page_splits(PAGES).items():
            docs, _ = extract_paths([docs_dir], settings)
            report = score(load_gold(gold_dir), [gold_record(d) for d in docs])
            out[name] = {"documents": report.documents,
                         **{k: round(v, 4) for k, v in report.headline().items()}}
    return out


def main(argv: list[str]) -> int:
    figures = measure()
    if "--check" in argv:
        print(json.dumps(figures, indent=1))
        return 0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=PROJECT_ROOT).stdout.strip()
    BASELINE.write_text(json.dumps({
        "note": "Extraction figures of `hakemisto eval-extract tests/pages` per split (dev tuned on, heldout "
                "only scored). tests/test_pages.py fails when a figure drops more than the tolerance below "
                "its value; re-record with scripts/pages_baseline.py and say why.",
        "tolerance": TOLERANCE,
        "recorded": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        **figures,
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
