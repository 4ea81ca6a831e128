"""Search-quality evaluation: graded judgments over a fixed collection → nDCG@10 and recall@20.

The collection is the shipped seeds plus the fictional pages in ``tests/relevance/docs``; the
queries and judgments live in ``tests/relevance/queries.toml``. The collection is ingested into a
temporary index through the real pipeline and queried through ``search.search``, so the figures
measure what planners get. Analyzer kind and glossary expansion can be switched to compare.
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import analysis
from .config import PROJECT_ROOT, load_settings

RELEVANCE_DIR = PROJECT_ROOT / "tests" / "relevance"
QUERIES_FILE = RELEVANCE_DIR / "queries.toml"
BASELINE_FILE = RELEVANCE_DIR / "baseline.json"
SEEDS_DIR = PROJECT_ROOT / "corpus" / "seeds"
NDCG_K = 10
RECALL_K = 20


@dataclass(frozen=True)
class Judged:
    id: str
    text: str
    judgments: dict[str, int]
    note: str = ""


@dataclass
class QueryResult:
    id: str
    text: str
    ndcg: float
    recall: float
    ranked: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    analyzer: str
    glossary: bool
    documents: int
    queries: list[QueryResult]

    @property
    def ndcg(self) -> float:
        return sum(q.ndcg for q in self.queries) / len(self.queries) if self.queries else 0.0

    @property
    def recall(self) -> float:
        return sum(q.recall for q in self.queries) / len(self.queries) if self.queries else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "glossary": self.glossary,
            "documents": self.documents,
            f"ndcg@{NDCG_K}": round(self.ndcg, 4),
            f"recall@{RECALL_K}": round(self.recall, 4),
            "queries": [
                {
                    **asdict(q),
                    "ndcg": round(q.ndcg, 4),
                    "recall": round(q.recall, 4),
                    "ranked": q.ranked[:NDCG_K],
                }
                for q in self.queries
            ],
        }


def collection_paths() -> list[Path]:
    """The documents of the test collection: seeds plus fixture pages."""
    return sorted(SEEDS_DIR.glob("*.txt")) + sorted((RELEVANCE_DIR / "docs").glob("*.*"))


def load_queries(path: Path = QUERIES_FILE) -> list[Judged]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Judged(
            q["id"], q["text"], {str(k): int(v) for k, v in q.get("judgments", {}).items()}, q.get("note", "")
        )
        for q in data["query"]
    ]


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = NDCG_K) -> float:
    """Normalised DCG with exponential gain; 1.0 is the ideal order of the judged documents."""
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(d, 0) for d in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: list[str], judgments: dict[str, int], k: int = RECALL_K) -> float:
    relevant = {d for d, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def doc_key(path: str | None, doc_id: str) -> str:
    """Judgments name documents by file stem, whatever id the loader gave them."""
    return Path(path or doc_id).stem


def build_index(index_dir: Path, kind: str = "voikko") -> int:
    """Ingest the collection into ``index_dir`` through the real pipeline; returns the doc count."""
    from .pipeline import ingest_paths

    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus", n_process=1)
    with analysis.use_kind(kind):
        report = ingest_paths([str(p) for p in collection_paths()], settings)
    if report.skipped:
        raise RuntimeError(f"relevance collection: skipped {[(s.path, s.reason) for s in report.skipped]}")
    return report.seen


def run_queries(index_dir: Path, queries: list[Judged], glossary: bool = True) -> list[QueryResult]:
    from .search import search

    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus")
    results = []
    with analysis.use_glossary(glossary):
        for q in queries:
            found = search(settings, q.text, limit=RECALL_K, with_facets=False)
            ranked = [doc_key(h.path, h.id) for h in found.hits]
            results.append(
                QueryResult(
                    q.id, q.text, ndcg_at(ranked, q.judgments), recall_at(ranked, q.judgments), ranked
                )
            )
    return results


def evaluate(kind: str = "voikko", glossary: bool = True, queries: list[Judged] | None = None) -> Evaluation:
    """Build a temporary index of the collection with ``kind`` analyzers and score every query."""
    queries = queries if queries is not None else load_queries()
    with tempfile.TemporaryDirectory(prefix="hakemisto-eval-") as tmp:
        index_dir = Path(tmp) / "index"
        documents = build_index(index_dir, kind)
        results = run_queries(index_dir, queries, glossary)
    return Evaluation(kind, glossary, documents, results)


def format_table(evaluation: Evaluation) -> str:
    lines = [f"{'query':<5} {'nDCG@10':>7} {'R@20':>5}  text"]
    for q in evaluation.queries:
        lines.append(f"{q.id:<5} {q.ndcg:7.3f} {q.recall:5.2f}  {q.text}")
    lines.append(
        f"{'all':<5} {evaluation.ndcg:7.3f} {evaluation.recall:5.2f}  "
        f"({len(evaluation.queries)} queries, {evaluation.documents} documents, analyzer={evaluation.analyzer}, "
        f"glossary={'on' if evaluation.glossary else 'off'})"
    )
    return "\n".join(lines)
