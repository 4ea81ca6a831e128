"""Search-quality floors: nDCG@10 and recall@20 of each query set must not fall below its baseline.

Three sets (``hakemisto eval-search``): 'legacy' over tests/relevance (baseline in
tests/relevance/baseline.json), and 'dev' / 'heldout' planner queries over the realistic page set
(tests/pages, baseline in tests/pages/baseline.json). Each fails on its own when it drops more than
the tolerance (0.01) below its recorded figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.cli import main
from hakemisto.evaluation import relevance

pytestmark = pytest.mark.slow  # builds the relevance indexes with the spaCy pipeline

ROOT = Path(__file__).resolve().parent.parent
WHERE = relevance.Collections(ROOT / "tests" / "relevance", ROOT / "tests" / "pages", ROOT / "corpus" / "seeds")
BASELINE = json.loads((WHERE.relevance_dir / "baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation() -> relevance.Evaluation:
    return relevance.evaluate(kind="voikko", glossary=True, where=WHERE)


def test_collection_is_big_enough() -> None:
    queries = relevance.load_queries(WHERE.queries_file)
    paths = relevance.collection_paths(WHERE)
    assert len(paths) >= 60 and len(queries) >= 30
    stems = {p.stem for p in paths}
    judged = {doc for q in queries for doc in q.judgments}
    assert judged <= stems, f"judgments name unknown documents: {judged - stems}"
    assert all(q.judgments for q in queries)


def test_fixture_pages_are_marked_fictional() -> None:
    for path in relevance.collection_paths(WHERE):
        if path.parent.name == "docs":
            text = path.read_text(encoding="utf-8")
            assert "Fiktiivinen testisivu" in text or "Fiktiv testsida" in text, path.name


def test_ndcg_does_not_fall_below_baseline(evaluation: relevance.Evaluation) -> None:
    assert evaluation.documents >= 60
    floor = BASELINE["ndcg@10"] - BASELINE["tolerance"]
    worse = {
        q.id: round(q.ndcg, 3)
        for q in evaluation.queries
        if q.ndcg < BASELINE["queries"].get(q.id, 0.0) - 0.1
    }
    assert evaluation.ndcg >= floor, (
        f"nDCG@10 {evaluation.ndcg:.4f} < baseline {floor:.4f}; much worse: {worse}"
    )
    assert evaluation.recall >= BASELINE["recall@20"] - BASELINE["tolerance"]


def test_metrics_on_known_rankings() -> None:
    judgments = {"a": 3, "b": 1}
    assert relevance.ndcg_at(["a", "b"], judgments) == pytest.approx(1.0)
    assert relevance.ndcg_at(["b", "a"], judgments) < 1.0
    assert relevance.ndcg_at(["x"], judgments) == 0.0
    assert relevance.recall_at(["a", "x"], judgments) == 0.5


def test_eval_search_command_prints_ndcg(runner) -> None:
    result = runner.invoke(
        main, ["eval-search", "--set", "legacy", "--json", "--analyzer", "snowball", "--no-glossary",
               "--relevance-dir", str(WHERE.relevance_dir), "--seeds-dir", str(WHERE.seeds_dir)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["analyzer"] == "snowball" and data["glossary"] is False and list(data["sets"]) == ["legacy"]
    legacy = data["sets"]["legacy"]
    assert 0.0 < legacy["ndcg@10"] <= 1.0 and len(legacy["queries"]) >= 30


# --- the realistic page set: dev and heldout planner queries -------------------------------------------

PAGES_BASELINE = json.loads((WHERE.pages_dir / "baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page_sets() -> dict[str, relevance.Evaluation]:
    return relevance.evaluate_sets(("dev", "heldout"), where=WHERE)


def test_page_queries_are_split_by_the_fixed_rule() -> None:
    queries = relevance.load_queries(WHERE.pages_queries)
    assert len(queries) >= 40 and len({q.id for q in queries}) == len(queries)
    dev, heldout = relevance.load_set("dev", WHERE), relevance.load_set("heldout", WHERE)
    assert {q.id for q in dev} | {q.id for q in heldout} == {q.id for q in queries}
    assert not {q.id for q in dev} & {q.id for q in heldout}
    assert relevance.query_split("r01") == relevance.query_split("r01")
    assert 0.45 <= len(dev) / len(queries) <= 0.75, "the hash rule gives roughly 60/40"
    keys = {k for path in relevance.pages_paths(WHERE) for k in relevance.pages_keys(path)}
    assert all(path.exists() for path in relevance.pages_paths(WHERE))
    judged = {doc for q in queries for doc in q.judgments}
    assert judged <= keys, f"judgments name pages outside collection.txt: {judged - keys}"
    assert all(any(g >= 2 for g in q.judgments.values()) for q in queries)
    assert sum(1 for q in queries if q.filters) >= 5, "some queries use filters"


@pytest.mark.parametrize("name", ["dev", "heldout"])
def test_page_set_does_not_fall_below_baseline(page_sets: dict[str, relevance.Evaluation], name: str) -> None:
    evaluation, baseline = page_sets[name], PAGES_BASELINE[name]
    tolerance = PAGES_BASELINE["tolerance"]
    assert evaluation.documents >= 100
    assert evaluation.ndcg >= baseline["ndcg@10"] - tolerance, (
        f"{name} nDCG@10 {evaluation.ndcg:.4f} < baseline {baseline['ndcg@10']} - {tolerance}"
    )
    assert evaluation.recall >= baseline["recall@20"] - tolerance, (
        f"{name} recall@20 {evaluation.recall:.4f} < baseline {baseline['recall@20']} - {tolerance}"
    )
