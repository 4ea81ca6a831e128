"""Scoring extraction output against gold files, exactly by the rules of shared/gold/README.md.

lang / region / twin: accuracy. funders / programmes: set P/R/F1 over ids. amounts: eur within 0.5 %,
each gold amount matched once. contacts: name match (case-insensitive rapidfuzz ratio ≥ 90 after
whitespace normalisation), F1 over names, plus phone and e-mail accuracy on matched contacts.
persons: set F1 with the same name match. projects: recall with token_set_ratio ≥ 85.
All counts are micro-averaged over documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .errors import InputError

SET_FIELDS = ("funders", "programmes")
EXACT_FIELDS = ("lang", "region", "twin")
FIELDS = ("funders", "programmes", "amounts", "contacts", "persons")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    accuracy: dict[str, Accuracy] = field(
        default_factory=lambda: {f: Accuracy() for f in (*EXACT_FIELDS, "phone", "email")}
    )
    projects_recall: Accuracy = field(default_factory=Accuracy)
    documents: int = 0
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "missing": self.missing,
            "fields": {
                f: {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for f, c in self.fields.items()
            },
            "accuracy": {f: round(a.value, 4) for f, a in self.accuracy.items()},
            "projects_recall": round(self.projects_recall.value, 4),
        }


def _norm(name: str) -> str:
    return " ".join(str(name).lower().split())


def names_match(a: str, b: str) -> bool:
    return fuzz.ratio(_norm(a), _norm(b)) >= 90


def _match(gold: Sequence[Any], pred: Sequence[Any], same: Callable[[Any, Any], bool]) -> list[tuple[Any, Any]]:
    """Greedy one-to-one matching; each gold item matches at most once."""
    used: set[int] = set()
    pairs = []
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and same(g, p):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def _norm_phone(value: Any) -> str | None:
    return "".join(ch for ch in str(value) if ch.isdigit() or ch == "+") if value else None


def _norm_email(value: Any) -> str | None:
    return str(value).strip().lower() if value else None


def score_document(report: Report, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> None:
    report.documents += 1
    for f in EXACT_FIELDS:
        report.accuracy[f].add(gold.get(f) == pred.get(f))
    for f in SET_FIELDS:
        g, p = set(gold.get(f) or ()), set(pred.get(f) or ())
        report.fields[f].add(len(g & p), len(p - g), len(g - p))
    g_amounts, p_amounts = list(gold.get("amounts") or ()), list(pred.get("amounts") or ())
    pairs = _match(g_amounts, p_amounts,
                   lambda g, p: abs(float(p["eur"]) - float(g["eur"])) <= 0.005 * abs(float(g["eur"])))
    report.fields["amounts"].add(len(pairs), len(p_amounts) - len(pairs), len(g_amounts) - len(pairs))
    g_contacts, p_contacts = list(gold.get("contacts") or ()), list(pred.get("contacts") or ())
    pairs = _match(g_contacts, p_contacts, lambda g, p: names_match(g["name"], p["name"]))
    report.fields["contacts"].add(len(pairs), len(p_contacts) - len(pairs), len(g_contacts) - len(pairs))
    for g, p in pairs:
        report.accuracy["phone"].add(_norm_phone(g.get("phone")) == _norm_phone(p.get("phone")))
        report.accuracy["email"].add(_norm_email(g.get("email")) == _norm_email(p.get("email")))
    g_persons, p_persons = list(gold.get("persons") or ()), list(pred.get("persons") or ())
    pairs = _match(g_persons, p_persons, names_match)
    report.fields["persons"].add(len(pairs), len(p_persons) - len(pairs), len(g_persons) - len(pairs))
    p_projects = list(pred.get("projects") or ())
    for g in gold.get("projects") or ():
        report.projects_recall.add(any(fuzz.token_set_ratio(str(g), str(p)) >= 85 for p in p_projects))


def doc_key(record: Mapping[str, Any]) -> str:
    """Records are paired by the document's file stem ('000_a2e82ce6035f6e98')."""
    return Path(str(record.get("doc", ""))).stem


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: not a directory of gold JSON files")
    gold = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not valid JSON ({exc}); fix or remove the file") from None
        gold[doc_key(record) or path.stem] = record
    if not gold:
        raise InputError(f"{gold_dir}: no *.json gold files found")
    return gold


def score(gold: Mapping[str, Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]]) -> Report:
    """Score predicted records against gold records (paired by file stem); gold without output counts as missed."""
    report = Report()
    preds = {doc_key(p): p for p in predicted}
    for key, g in gold.items():
        if key not in preds:
            report.missing.append(key)
        score_document(report, g, preds.get(key, {"doc": key}))
    return report


def format_report(report: Report) -> str:
    lines = [f"documents: {report.documents}" + (f"  (no output for: {', '.join(report.missing)})"
                                                  if report.missing else "")]
    lines.append(f"{'field':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for f, c in report.fields.items():
        lines.append(f"{f:<12} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  {c.tp:3d} {c.fp:3d} {c.fn:3d}")
    for f, a in report.accuracy.items():
        lines.append(f"{f + ' acc.':<12} {a.value:6.3f}  ({a.right}/{a.total})")
    lines.append(f"{'projects R':<12} {report.projects_recall.value:6.3f}  (soft, token_set_ratio ≥ 85)")
    return "\n".join(lines)
