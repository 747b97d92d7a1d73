#!/usr/bin/env bash
# make setup: system packages (CJK fonts, Chromium for UI tests, PostgreSQL server binaries for the
# review-store tests: the tests start their own throw-away cluster), the .venv, pinned dependencies.
# Idempotent: a stamp of the pin files, pyproject and this script skips the pip work when nothing changed.
# Python packages: torch by its pin (requirements-torch.txt), then everything else from requirements.lock
# with --require-hashes, then the project itself; pip check must pass.
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

# the project's own bytecode, compiled here as pip compiles the dependencies': where PYTHONDONTWRITEBYTECODE is set
# (CI images often set it) every command would compile ~150 modules again at start. Up-to-date files are skipped.
"$VENV/bin/python" -m compileall -q -j 0 assistant core eval indicators ingestion prompts review zwgk >/dev/null \
  || log "warning: compiling the project's bytecode failed (commands still run, only start slower)"

stamp="$VENV/.setup-stamp"
want=$(cat requirements-torch.txt requirements.lock pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
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
# torch first, by its pin and without its dependencies: the CPU build on local disk, outside the hashed
# lock (requirements-torch.txt says why). Its dependencies come from the lock with hashes: installed
# here unhashed, they would already be present, and pip never re-checks what is installed.
log "installing $(grep -E '^torch==' requirements-torch.txt) (CPU build)"
pip_install --no-deps -r requirements-torch.txt
# --no-deps: the lock is the whole closure (pip-compile's), so nothing is resolved or fetched beyond it
# (resolving would also trip pip's hash mode on extras, e.g. gradio's plain uvicorn against
# uvicorn[standard]==...); pip check below proves the installed set complete and consistent.
log "installing pinned dependencies (requirements.lock, hash-checked)"
pip_install --require-hashes --no-deps -r requirements.lock
# the project itself: no dependencies of its own to fetch, and its build backend (setuptools) is the
# locked one rather than an unpinned copy in an isolated build environment (whose chatter pip used to hide)
PYTHONWARNINGS="ignore:Editable installation" pip_install --no-deps --no-build-isolation -e .
"${PIP[@]}" check >&2 || { log "pip check failed: the installed set is inconsistent"; exit 1; }
echo "$want" > "$stamp"
log "ready: $VENV/bin/zwgk"
