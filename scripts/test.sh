#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up, lint, tests, then the relevance evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check hakemisto tests scripts
.venv/bin/python -m pytest "$@"
if .venv/bin/hakemisto eval-search --help >/dev/null 2>&1; then
  .venv/bin/hakemisto eval-search
fi
