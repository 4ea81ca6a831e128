#!/usr/bin/env bash
# One-time (and idempotent) set-up: Debian packages, the project venv, Python dependencies.
# Called by scripts/demo.sh and scripts/test.sh; safe to run again (it skips what is done).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libvoikko1 voikko-fi chromium)
VENV=${HAKEMISTO_VENV:-.venv}
PYTHON=${PYTHON:-python3}

log() { echo "[setup] $*" >&2; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "WARNING: cannot install system packages here (need root and apt). Please install: ${missing[*]}"
    log "  libvoikko1 + voikko-fi: Finnish lemmas for the spaCy pipeline and the search analyzer"
    log "  chromium: only for the browser tests of the web page"
    log "continuing with what can work"
  fi
fi

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "hakemisto needs Python >= 3.11 (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV" || { apt-get install -y -qq python3-venv >/dev/null 2>&1 && "$PYTHON" -m venv "$VENV"; }
fi

stamp="$VENV/.hakemisto-deps"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python dependencies (spaCy, the Finnish pipeline, Whoosh, …) into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi
# Byte-compile the package: a cold `hakemisto search` compiled ~30 modules from source on every run
# where PYTHONDONTWRITEBYTECODE is set (this machine's shells), ~0.1 s (issue 17). Stale files are
# only ignored (Python checks the source's mtime), so this never serves old code.
"$VENV/bin/python" -m compileall -q hakemisto >/dev/null || log "WARNING: could not byte-compile hakemisto/"
log "ready: $VENV/bin/hakemisto"
