"""Score extraction against a gold directory (thin wrapper over `hakemisto eval-extract`).

Usage: .venv/bin/python scripts/eval_extract.py ../shared/gold/seeds corpus/seeds [--json]
"""

from __future__ import annotations

import sys

from hakemisto.cli import main

if __name__ == "__main__":
    sys.exit(main(["eval-extract", *sys.argv[1:]]))
