"""Extraction on the realistic page set must not fall below its recorded baseline (issue 12).

The real extractor (spaCy Finnish model, voikko) runs on tests/pages/dev and tests/pages/heldout, each
split on its own; every headline figure (region, regions, title, funders, programmes, amounts and their
role / region / project, contacts, persons, phone, e-mail, contact title, projects recall and precision,
twin precision and recall) is compared with tests/pages/extraction_baseline.json and fails when it
drops more than the tolerance (0.02) below it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.config import load_settings
from hakemisto.evaluation.evaluate import Report, load_gold, page_splits, score
from hakemisto.facts.entities import gold_record
from hakemisto.jobs.pipeline import extract_paths

pytestmark = pytest.mark.slow  # extracts the whole realistic page set

PAGES = Path(__file__).parent / "pages"
BASELINE = json.loads((PAGES / "extraction_baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    base = tmp_path_factory.mktemp("pages")
    settings = load_settings(index_dir=base / "index", corpus_dir=base / "corpus", n_process=1)
    out = {}
    for name, (gold_dir, docs_dir) in page_splits(PAGES).items():
        docs, _ = extract_paths([docs_dir], settings)
        out[name] = score(load_gold(gold_dir), [gold_record(d) for d in docs])
    return out


def test_both_splits_are_present(reports: dict[str, Report]) -> None:
    assert set(reports) == {"dev", "heldout"}
    for name, report in reports.items():
        assert report.documents >= 30, name
        assert not report.missing, (name, report.missing)  # every gold record has extractor output


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_no_figure_below_baseline(reports: dict[str, Report], split: str) -> None:
    tolerance = BASELINE["tolerance"]
    recorded = BASELINE[split]
    measured = reports[split].headline()
    drops = {k: (round(measured[k], 4), v) for k, v in recorded.items()
             if k in measured and measured[k] < v - tolerance}
    assert not drops, f"{split}: figures more than {tolerance} below the baseline (now, recorded): {drops}"
