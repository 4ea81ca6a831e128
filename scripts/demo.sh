#!/usr/bin/env bash
# The main job: set up, build the index from corpus/, answer a planner's question.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
H=.venv/bin/hakemisto
$H ingest corpus/
echo
echo '$ hakemisto search "RRP hoitotakuu"'
$H search "RRP hoitotakuu" --limit 5
if $H report --help >/dev/null 2>&1; then
  echo
  echo '$ hakemisto report --programme RRP'
  $H report --programme RRP
fi
