"""Scoring extraction output against gold files, exactly by the rules of shared/gold/README.md.

lang / region / twin: accuracy; twin also as precision (a predicted link that is wrong) and recall (a
gold link not found). title: token_set_ratio ≥ 90. funders / programmes / regions: set P/R/F1.
amounts: eur within 0.5 %, each gold amount matched once; matched amounts score role and region
(exact) and, where the gold project is named, project (token_set_ratio ≥ 85). contacts: name match
(case-insensitive rapidfuzz ratio ≥ 90 after whitespace normalisation), F1 over names, plus phone,
e-mail and title accuracy on matched contacts. persons: set F1 with the same name match. projects:
soft recall and precision with token_set_ratio ≥ 85 (names in the gold's optional
``projects_optional`` are neither required nor penalised).

A field a gold record does not have (older gold: no ``title``, ``regions``, amount ``role``…) is not
scored for that record, so the seed gold keeps scoring what it always did.
All counts are micro-averaged over documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from hakemisto.core.errors import InputError

SET_FIELDS = ("funders", "programmes", "regions")
EXACT_FIELDS = ("lang", "region", "twin")
FIELDS = ("funders", "programmes", "amounts", "contacts", "persons", "regions", "twin_links")
ACCURACIES = (*EXACT_FIELDS, "title", "phone", "email", "contact_title", "amount_role", "amount_region",
              "amount_project")
TITLE_MIN = 90
PROJECT_MIN = 85
HELDOUT = "heldout"


def is_heldout(*paths: Path | str | None) -> bool:
    """True when a path is, or lies under, a directory named ``heldout``: held-out pages are scored,
    never studied, so an eval command shows only numbers for them (no names, titles, sentences)."""
    for p in paths:
        if p is None:
            continue
        path = Path(p)
        if HELDOUT in path.parts or HELDOUT in path.resolve().parts:
            return True
    return False


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
        default_factory=lambda: {f: Accuracy() for f in ACCURACIES}
    )
    projects_recall: Accuracy = field(default_factory=Accuracy)
    projects_precision: Accuracy = field(default_factory=Accuracy)
    documents: int = 0
    missing: list[str] = field(default_factory=list)

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        """Scores as JSON; ``details=False`` (a held-out split) gives the documents without output
        as a count, not their names."""
        return {
            "documents": self.documents,
            "missing": self.missing if details else len(self.missing),
            "fields": {
                f: {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for f, c in self.fields.items()
            },
            "accuracy": {f: round(a.value, 4) for f, a in self.accuracy.items()},
            "projects_recall": round(self.projects_recall.value, 4),
            "projects_precision": round(self.projects_precision.value, 4),
            "twin_precision": round(self.fields["twin_links"].precision, 4),
            "twin_recall": round(self.fields["twin_links"].recall, 4),
        }

    def headline(self) -> dict[str, float]:
        """The figures the acceptance targets and the CI baseline are stated in."""
        f, a = self.fields, self.accuracy
        return {
            "region_acc": a["region"].value, "regions_f1": f["regions"].f1, "title_acc": a["title"].value,
            "lang_acc": a["lang"].value,
            "funders_f1": f["funders"].f1, "programmes_f1": f["programmes"].f1, "amounts_f1": f["amounts"].f1,
            "amount_role_acc": a["amount_role"].value, "amount_region_acc": a["amount_region"].value,
            "amount_project_acc": a["amount_project"].value,
            "contacts_f1": f["contacts"].f1, "persons_f1": f["persons"].f1,
            "phone_acc": a["phone"].value, "email_acc": a["email"].value,
            "contact_title_acc": a["contact_title"].value,
            "projects_recall": self.projects_recall.value, "projects_precision": self.projects_precision.value,
            "twin_precision": f["twin_links"].precision, "twin_recall": f["twin_links"].recall,
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


def _soft(a: Any, b: Any, minimum: int) -> bool:
    return fuzz.token_set_ratio(_norm(a), _norm(b)) >= minimum


def _title_ok(gold: Any, pred: Any) -> bool:
    """Contact titles: both absent, or the same words (token_set_ratio ≥ 90, case-insensitive)."""
    if not gold or not pred:
        return not gold and not pred
    return _soft(gold, pred, TITLE_MIN)


def score_document(report: Report, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> None:
    report.documents += 1
    for f in EXACT_FIELDS:
        report.accuracy[f].add(gold.get(f) == pred.get(f))
    g_twin, p_twin = gold.get("twin"), pred.get("twin")
    twins = report.fields["twin_links"]
    twins.add(int(bool(p_twin) and p_twin == g_twin), int(bool(p_twin) and p_twin != g_twin),
              int(bool(g_twin) and p_twin != g_twin))
    if "title" in gold:
        report.accuracy["title"].add(_soft(gold.get("title") or "", pred.get("title") or "", TITLE_MIN))
    for f in SET_FIELDS:
        if f not in gold:
            continue
        g, p = set(gold.get(f) or ()), set(pred.get(f) or ())
        report.fields[f].add(len(g & p), len(p - g), len(g - p))
    g_amounts, p_amounts = list(gold.get("amounts") or ()), list(pred.get("amounts") or ())
    pairs = _match(g_amounts, p_amounts,
                   lambda g, p: abs(float(p["eur"]) - float(g["eur"])) <= 0.005 * abs(float(g["eur"])))
    report.fields["amounts"].add(len(pairs), len(p_amounts) - len(pairs), len(g_amounts) - len(pairs))
    for g, p in pairs:
        if "role" in g:
            report.accuracy["amount_role"].add(g.get("role") == p.get("role"))
        if "region" in g:
            report.accuracy["amount_region"].add(g.get("region") == p.get("region"))
        if g.get("project"):
            report.accuracy["amount_project"].add(bool(p.get("project"))
                                                  and _soft(g["project"], p["project"], PROJECT_MIN))
    g_contacts, p_contacts = list(gold.get("contacts") or ()), list(pred.get("contacts") or ())
    pairs = _match(g_contacts, p_contacts, lambda g, p: names_match(g["name"], p["name"]))
    report.fields["contacts"].add(len(pairs), len(p_contacts) - len(pairs), len(g_contacts) - len(pairs))
    for g, p in pairs:
        report.accuracy["phone"].add(_norm_phone(g.get("phone")) == _norm_phone(p.get("phone")))
        report.accuracy["email"].add(_norm_email(g.get("email")) == _norm_email(p.get("email")))
        if "title" in g:
            report.accuracy["contact_title"].add(_title_ok(g.get("title"), p.get("title")))
    g_persons, p_persons = list(gold.get("persons") or ()), list(pred.get("persons") or ())
    pairs = _match(g_persons, p_persons, names_match)
    report.fields["persons"].add(len(pairs), len(p_persons) - len(pairs), len(g_persons) - len(pairs))
    g_projects = [str(g) for g in gold.get("projects") or ()]
    optional = [str(g) for g in gold.get("projects_optional") or ()]
    p_projects = [str(p) for p in pred.get("projects") or ()]
    for g in g_projects:
        report.projects_recall.add(any(_soft(g, p, PROJECT_MIN) for p in p_projects))
    for p in p_projects:
        if any(_soft(g, p, PROJECT_MIN) for g in g_projects):
            report.projects_precision.add(True)
        elif not any(_soft(o, p, PROJECT_MIN) for o in optional):
            report.projects_precision.add(False)


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


SPLITS = ("dev", "heldout")


def page_splits(root: Path) -> dict[str, tuple[Path, Path]]:
    """A page-set root (``tests/pages``: ``dev/`` and ``heldout/``, each with ``gold/`` and ``docs/``) or
    one split directory → ``{split: (gold_dir, docs_dir)}``; empty when ``root`` is neither."""
    if (root / "gold").is_dir() and (root / "docs").is_dir():
        return {root.name: (root / "gold", root / "docs")}
    return {name: (root / name / "gold", root / name / "docs") for name in SPLITS
            if (root / name / "gold").is_dir() and (root / name / "docs").is_dir()}


def score(gold: Mapping[str, Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]]) -> Report:
    """Score predicted records against gold records (paired by file stem); gold without output counts as missed."""
    report = Report()
    preds = {doc_key(p): p for p in predicted}
    for key, g in gold.items():
        if key not in preds:
            report.missing.append(key)
        score_document(report, g, preds.get(key, {"doc": key}))
    return report


def format_report(report: Report, details: bool = True) -> str:
    """The per-field table; ``details=False`` (a held-out split) names no document."""
    missing = ", ".join(report.missing) if details else f"{len(report.missing)} documents"
    lines = [f"documents: {report.documents}" + (f"  (no output for: {missing})" if report.missing else "")]
    lines.append(f"{'field':<20} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for f, c in report.fields.items():
        lines.append(f"{f:<20} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  {c.tp:3d} {c.fp:3d} {c.fn:3d}")
    pr, pp = report.projects_recall, report.projects_precision
    lines.append(f"{'projects':<20} {pp.value:6.3f} {pr.value:6.3f}"
                 f"          (soft, token_set_ratio ≥ {PROJECT_MIN}; R {pr.right}/{pr.total}, P {pp.right}/{pp.total})")
    for f, a in report.accuracy.items():
        lines.append(f"{f + ' acc.':<20} {a.value:6.3f}  ({a.right}/{a.total})")
    return "\n".join(lines)


def format_side_by_side(reports: Mapping[str, Report]) -> str:
    """Headline figures of several page sets in columns (dev next to heldout)."""
    names = list(reports)
    heads = {n: r.headline() for n, r in reports.items()}
    lines = [f"{'figure':<20}" + "".join(f"{n:>10}" for n in names),
             f"{'documents':<20}" + "".join(f"{reports[n].documents:>10}" for n in names)]
    for key in next(iter(heads.values())):
        lines.append(f"{key:<20}" + "".join(f"{heads[n][key]:>10.3f}" for n in names))
    return "\n".join(lines)
