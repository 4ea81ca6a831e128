"""Apply the written funder rule "RRP money is NextGenerationEU/RRF money" to every page-set gold file.

Issue 12 (and the funder table of shared/gold/README.md: Suomen kestävän kasvun ohjelma is the
Finnish plan of the EU recovery facility) says RRP / Suomen kestävän kasvun ohjelma money implies the
funder ``NextGenerationEU/RRF``. The two writers applied it unevenly (28 dev gold files list ``RRP``,
11 omitted the funder). This script is the one mechanical correction: a gold record whose
``programmes`` hold ``RRP`` gets ``NextGenerationEU/RRF`` in ``funders`` if it is missing. It is applied
to dev and heldout alike and prints only counts per split (never heldout content). Idempotent.

Usage: python3 scripts/gold_rrp_funder.py [--dry-run]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "tests" / "pages"
FUNDER = "NextGenerationEU/RRF"


def _dump(record: dict, original: str) -> str:
    """Re-serialise in the file's own layout (indent 1, 2 or none; trailing newline kept)."""
    for indent in (2, 1, None):
        text = json.dumps(json.loads(original), indent=indent, ensure_ascii=False)
        if text == original.rstrip("\n"):
            return json.dumps(record, indent=indent, ensure_ascii=False) + original[len(text):]
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    dry = "--dry-run" in argv
    for split in ("dev", "heldout"):
        changed = total = 0
        for path in sorted((PAGES / split / "gold").glob("*.json")):
            original = path.read_text(encoding="utf-8")
            record = json.loads(original)
            total += 1
            if "RRP" in record.get("programmes", []) and FUNDER not in record.get("funders", []):
                record["funders"] = [*record.get("funders", []), FUNDER]
                changed += 1
                if not dry:
                    path.write_text(_dump(record, original), encoding="utf-8")
        print(f"{split}: {changed} of {total} gold files {'would get' if dry else 'got'} {FUNDER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
