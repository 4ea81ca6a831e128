"""Search-quality floor: nDCG@10 over the judged relevance collection must not fall below baseline."""

from __future__ import annotations

import json

import pytest

from hakemisto import relevance
from hakemisto.cli import main

BASELINE = json.loads(relevance.BASELINE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation() -> relevance.Evaluation:
    return relevance.evaluate(kind="voikko", glossary=True)


def test_collection_is_big_enough() -> None:
    queries = relevance.load_queries()
    paths = relevance.collection_paths()
    assert len(paths) >= 60 and len(queries) >= 30
    stems = {p.stem for p in paths}
    judged = {doc for q in queries for doc in q.judgments}
    assert judged <= stems, f"judgments name unknown documents: {judged - stems}"
    assert all(q.judgments for q in queries)


def test_fixture_pages_are_marked_fictional() -> None:
    for path in relevance.collection_paths():
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
    result = runner.invoke(main, ["eval-search", "--json", "--analyzer", "snowball", "--no-glossary"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["analyzer"] == "snowball" and data["glossary"] is False
    assert 0.0 < data["ndcg@10"] <= 1.0 and len(data["queries"]) >= 30
