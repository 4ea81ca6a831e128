"""Search-quality evaluation: graded judgments over a fixed collection → nDCG@10 and recall@20.

Three query sets, each reported on its own:

- ``legacy``: the first 42 queries (``tests/relevance/queries.toml``) over the seeds plus the
  fictional pages in ``tests/relevance/docs`` — written together with the analyzers they gate.
- ``dev`` / ``heldout``: planner queries (``tests/pages/queries.toml``) over the realistic page set
  (``tests/pages/{dev,heldout}/docs``, both halves: the pages judged are pinned in
  ``tests/pages/collection.txt``). Queries split by a fixed hash rule (``query_split``); weights,
  boosts and the glossary are tuned on ``dev`` results only, ``heldout`` is only ever scored.

A collection is ingested into a temporary index through the real pipeline and queried through
``search.search`` (with each query's filters), so the figures measure what planners get. Analyzer
kind and glossary expansion are parameters, to compare; so are the collections' folders
(``Collections``: the repository's layout relative to the working directory by default).
"""

from __future__ import annotations

import hashlib
import math
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hakemisto.core.config import load_settings
from hakemisto.core.errors import InputError

NDCG_K = 10
RECALL_K = 20
SETS = ("legacy", "dev", "heldout")
_JSONL = {".jsonl", ".ndjson"}


@dataclass(frozen=True)
class Collections:
    """Where the judged collections are: parameters, relative to the current working directory by
    default (the repository's layout), never read from beside the installed package."""

    relevance_dir: Path = Path("tests/relevance")  # legacy queries.toml, docs/, baseline.json
    pages_dir: Path = Path("tests/pages")  # the page set: queries.toml, collection.txt, dev/, heldout/
    seeds_dir: Path = Path("corpus/seeds")  # the shipped seed pages (part of the legacy collection)

    @property
    def queries_file(self) -> Path:
        return self.relevance_dir / "queries.toml"

    @property
    def pages_queries(self) -> Path:
        return self.pages_dir / "queries.toml"

    @property
    def pages_collection(self) -> Path:
        return self.pages_dir / "collection.txt"


DEFAULT = Collections()


@dataclass(frozen=True)
class Judged:
    id: str
    text: str
    judgments: dict[str, int]
    note: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


def query_split(query_id: str) -> str:
    """'dev' (60 %) or 'heldout' (40 %) for a query id: the page-set rule, fixed once, never tuned."""
    return "dev" if int(hashlib.sha1(query_id.encode("utf-8")).hexdigest(), 16) % 10 < 6 else "heldout"


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
    name: str = "legacy"

    @property
    def ndcg(self) -> float:
        return sum(q.ndcg for q in self.queries) / len(self.queries) if self.queries else 0.0

    @property
    def recall(self) -> float:
        return sum(q.recall for q in self.queries) / len(self.queries) if self.queries else 0.0

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        """Figures as JSON; ``details=False`` (the held-out set) keeps each query's id and numbers but
        not its text or the documents it ranked."""
        return {
            "set": self.name,
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
                } if details else {"id": q.id, "ndcg": round(q.ndcg, 4), "recall": round(q.recall, 4)}
                for q in self.queries
            ],
        }


def collection_paths(where: Collections = DEFAULT) -> list[Path]:
    """The documents of the test collection: seeds plus fixture pages."""
    return sorted(where.seeds_dir.glob("*.txt")) + sorted((where.relevance_dir / "docs").glob("*.*"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the judged collection ({exc.strerror})") from None


def load_queries(path: Path = DEFAULT.queries_file) -> list[Judged]:
    data = tomllib.loads(_read(path))
    return [
        Judged(
            q["id"],
            q["text"],
            {str(k): int(v) for k, v in q.get("judgments", {}).items()},
            q.get("note", ""),
            dict(q.get("filters", {})),
        )
        for q in data["query"]
    ]


def load_set(name: str, where: Collections = DEFAULT) -> list[Judged]:
    """The queries of one set: 'legacy', 'dev' or 'heldout'."""
    if name == "legacy":
        return load_queries(where.queries_file)
    if name not in SETS:
        raise ValueError(f"unknown query set '{name}'; use one of {', '.join(SETS)}")
    return [q for q in load_queries(where.pages_queries) if query_split(q.id) == name]


def pages_paths(where: Collections = DEFAULT) -> list[Path]:
    """The realistic page set's files that the judgments cover (pinned in ``collection.txt``, so
    pages added later count only once someone has judged them)."""
    names = [line.strip() for line in _read(where.pages_collection).splitlines()]
    return [where.pages_dir / name for name in names if name and not name.startswith("#")]


def pages_keys(path: Path) -> list[str]:
    """Judgment keys of one page file: its stem, or each record id of a JSON Lines file."""
    if path.suffix not in _JSONL:
        return [path.stem]
    import json

    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            keys.append(str(record.get("id") or record.get("url")))
    return keys


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
    """Judgments name documents by file stem (a JSON Lines record by its id), whatever id the loader gave."""
    if path and Path(path).suffix in _JSONL:
        return doc_id
    return Path(path or doc_id).stem


def build_index(index_dir: Path, kind: str = "voikko", paths: list[Path] | None = None) -> int:
    """Ingest a collection (default: the legacy one) into ``index_dir`` through the real pipeline,
    with ``kind`` analyzers; returns the doc count."""
    from hakemisto.jobs.pipeline import ingest_paths

    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus", n_process=1,
                             analyzer=kind)
    report = ingest_paths([str(p) for p in (paths or collection_paths())], settings)
    if report.skipped:
        raise RuntimeError(f"relevance collection: skipped {[(s.path, s.reason) for s in report.skipped]}")
    return report.seen


def run_queries(index_dir: Path, queries: list[Judged], glossary: bool = True) -> list[QueryResult]:
    from hakemisto.search.engine import Filters, search

    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus")
    results = []
    for q in queries:
        found = search(settings, q.text, Filters(**q.filters), limit=RECALL_K, with_facets=False, glossary=glossary)
        ranked = [doc_key(h.path, h.id) for h in found.hits]
        results.append(QueryResult(q.id, q.text, ndcg_at(ranked, q.judgments), recall_at(ranked, q.judgments), ranked))
    return results


def evaluate(kind: str = "voikko", glossary: bool = True, queries: list[Judged] | None = None,
             where: Collections = DEFAULT) -> Evaluation:
    """Build a temporary index of the legacy collection with ``kind`` analyzers and score every query."""
    queries = queries if queries is not None else load_queries(where.queries_file)
    with tempfile.TemporaryDirectory(prefix="hakemisto-eval-") as tmp:
        index_dir = Path(tmp) / "index"
        documents = build_index(index_dir, kind, collection_paths(where))
        results = run_queries(index_dir, queries, glossary)
    return Evaluation(kind, glossary, documents, results)


def evaluate_sets(
    sets: tuple[str, ...] = SETS, kind: str = "voikko", glossary: bool = True, where: Collections = DEFAULT
) -> dict[str, Evaluation]:
    """Each named query set scored over its collection (the page set is indexed once for dev and heldout)."""
    out: dict[str, Evaluation] = {}
    if "legacy" in sets:
        legacy = evaluate(kind, glossary, where=where)
        legacy.name = "legacy"
        out["legacy"] = legacy
    page_sets = [name for name in sets if name in ("dev", "heldout")]
    if page_sets:
        with tempfile.TemporaryDirectory(prefix="hakemisto-eval-pages-") as tmp:
            index_dir = Path(tmp) / "index"
            documents = build_index(index_dir, kind, pages_paths(where))
            for name in page_sets:
                results = run_queries(index_dir, load_set(name, where), glossary)
                out[name] = Evaluation(kind, glossary, documents, results, name)
    return {name: out[name] for name in sets if name in out}


def format_sets(evaluations: dict[str, Evaluation], hidden: frozenset[str] = frozenset()) -> str:
    """Each set's per-query table, then one summary line per set; sets in ``hidden`` (held-out)
    show query ids and numbers only."""
    parts = [f"[{name}]\n{format_table(ev, details=name not in hidden)}" for name, ev in evaluations.items()]
    summary = [f"{'set':<8} {'queries':>7} {'docs':>5} {'nDCG@10':>8} {'R@20':>6}"]
    for name, ev in evaluations.items():
        summary.append(f"{name:<8} {len(ev.queries):>7} {ev.documents:>5} {ev.ndcg:8.3f} {ev.recall:6.3f}")
    return "\n\n".join([*parts, "\n".join(summary)])


def format_table(evaluation: Evaluation, details: bool = True) -> str:
    lines = [f"{'query':<5} {'nDCG@10':>7} {'R@20':>5}  " + ("text" if details else "(held out: no text)")]
    for q in evaluation.queries:
        lines.append(f"{q.id:<5} {q.ndcg:7.3f} {q.recall:5.2f}" + (f"  {q.text}" if details else ""))
    lines.append(
        f"{'all':<5} {evaluation.ndcg:7.3f} {evaluation.recall:5.2f}  "
        f"({len(evaluation.queries)} queries, {evaluation.documents} documents, analyzer={evaluation.analyzer}, "
        f"glossary={'on' if evaluation.glossary else 'off'})"
    )
    return "\n".join(lines)
