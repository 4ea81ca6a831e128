"""Amount → project attachment measured apart from project-name extraction.

``eval-extract``'s amount → project accuracy mixes two things: whether the extractor found the
project's name at all, and whether the attachment rules (``hakemisto.facts.attach``) put each sum on the
right one of the names found. This re-runs the attachment of every extracted sum twice — with the
names the extractor found, and with the gold's project names — and prints both accuracies, so a
change to the attachment rules can be judged on its own. Only numbers are printed for a split unless
``--errors`` is given (use that on dev only: held-out pages are scored, never studied).

    .venv/bin/python scripts/attach_oracle.py tests/pages/dev --errors
    .venv/bin/python scripts/attach_oracle.py tests/pages/heldout
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hakemisto.core.config import load_settings
from hakemisto.evaluation.evaluate import PROJECT_MIN, _match, _soft, doc_key, is_heldout, load_gold
from hakemisto.facts.attach import attach_amounts
from hakemisto.facts.entities import gold_record, sentences
from hakemisto.jobs.pipeline import extract_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path, help="a split directory holding docs/ and gold/")
    parser.add_argument("--errors", action="store_true", help="print every wrong attachment (dev only)")
    parser.add_argument("--show-heldout-details", action="store_true",
                        help="allow --errors on a split under a 'heldout' directory")
    args = parser.parse_args()
    if args.errors and is_heldout(args.split) and not args.show_heldout_details:
        parser.error(f"{args.split}: held-out split — --errors would print its sentences and project names; "
                     "numbers only (or --show-heldout-details)")
    gold = load_gold(args.split / "gold")
    docs, _skipped = extract_paths([args.split / "docs"], load_settings())
    totals = {"found": [0, 0], "gold names": [0, 0]}
    kinds: dict[str, dict[str, int]] = {"found": {}, "gold names": {}}
    for doc in docs:
        record = gold_record(doc)
        g = gold.get(doc_key(record))
        if g is None or doc.facts is None:
            continue
        facts = doc.facts
        regions = [s for s in facts.spans if s.label == "REGION"]
        gold_names = [str(n) for n in (g.get("projects") or ())]
        for label, names in (("found", list(facts.projects)), ("gold names", gold_names)):
            amounts = attach_amounts(doc.text, list(facts.amounts), sentences(doc.text), names, regions,
                                     facts.region, national=facts.region is None, title=doc.title)
            pred = [{"eur": a.eur, "project": a.project, "text": a.text, "role": a.role} for a in amounts]
            for ga, pa in _match(list(g.get("amounts") or ()), pred,
                                 lambda ga, pa: abs(float(pa["eur"]) - float(ga["eur"])) <= 0.005 * abs(float(ga["eur"]))):
                if not ga.get("project"):
                    continue
                ok = bool(pa["project"]) and _soft(ga["project"], pa["project"], PROJECT_MIN)
                totals[label][0] += ok
                totals[label][1] += 1
                if not ok:
                    kind = ("none" if not pa["project"] else "other project") + f", role {pa['role']}" \
                        + (", national page" if facts.region is None else "")
                    kinds[label][kind] = kinds[label].get(kind, 0) + 1
                if args.errors and not ok:
                    print(f"[{label}] {record['doc']}: {pa['text']!r} → {pa['project']!r}, gold {ga['project']!r}")
    for label, (right, total) in totals.items():
        print(f"amount→project with {label:<10} {right / total if total else 1:.3f} ({right}/{total})")
        for kind, n in sorted(kinds[label].items(), key=lambda k: -k[1]):
            print(f"    wrong: {kind}: {n}")


if __name__ == "__main__":
    main()
