#!/usr/bin/env bash
# make setup: system packages (CJK fonts, Chromium for UI tests, PostgreSQL server binaries for the
# review-store tests: the tests start their own throw-away cluster), the .venv, pinned dependencies.
# Idempotent: a stamp of the lock file, pyproject and this script skips the pip work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
APT_PACKAGES=(fonts-noto-cjk fonts-wqy-microhei chromium chromium-driver postgresql)

log() { printf '[setup] %s\n' "$*" >&2; }

# --- system packages (Debian) -------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "WARNING: missing Debian packages ${missing[*]} (need root): CJK rendering, browser and PostgreSQL tests will fail"
  fi
fi

# --- virtual environment --------------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { log "Python >= 3.11 is required ($PYTHON is $("$PYTHON" --version))"; exit 2; }
[ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }

stamp="$VENV/.setup-stamp"
want=$(cat requirements.lock pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
pip_install() {  # pip, minus this machine's harmless "Location ... is ignored" index warnings
  local log
  log=$(mktemp)
  if ! "${PIP[@]}" install "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  grep -v "is ignored: it is neither a file nor a directory" "$log" >&2 || true
  rm -f "$log"
}
# torch first, pinned: the CPU build on local disk. Unpinned, sentence-transformers pulls CUDA wheels.
"$VENV/bin/python" -c 'import torch' 2>/dev/null || { log "installing torch==2.13.0 (CPU)"; pip_install torch==2.13.0; }
log "installing pinned dependencies (requirements.lock)"
pip_install -r requirements.lock
pip_install --no-deps -e .
echo "$want" > "$stamp"
log "ready: $VENV/bin/zwgk"
