#!/usr/bin/env bash
# make lock: re-resolve requirements.in into requirements.lock, every pin with its sha256 hashes
# (pip-compile --generate-hashes), in a throw-away venv with a pinned pip-tools.
#
#   scripts/lock.sh             keeps the current pins where they still fit requirements.in
#   UPGRADE=1 scripts/lock.sh   takes the newest versions that fit
#   UPGRADE_PACKAGE=NAME[==V]   moves one package (repeat with spaces: "a b==1.2")
#
# torch is resolved with the rest (so its dependencies are locked and hashed) but left out of the lock
# (--unsafe-package torch): requirements-torch.txt says why. The lock tool itself never enters .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PIP_TOOLS_VERSION=7.7.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --disable-pip-version-check "pip-tools==$PIP_TOOLS_VERSION" >"$tmp/pip.log" 2>&1 \
  || { cat "$tmp/pip.log" >&2; exit 1; }

args=(--quiet --generate-hashes --unsafe-package torch --no-strip-extras --no-emit-index-url
      --no-emit-find-links --resolver backtracking --output-file "$tmp/requirements.lock")
# --no-strip-extras: pins keep the extras that pulled packages in (uvicorn[standard]); pip-tools 8 changes the default
[ "${UPGRADE:-0}" = 1 ] && args+=(--upgrade)
for p in ${UPGRADE_PACKAGE:-}; do args+=(--upgrade-package "$p"); done
# pip-compile prefers the pins already in its output file
[ -f requirements.lock ] && cp requirements.lock "$tmp/requirements.lock"

# its closing warning about torch is expected (see above): dropped, like the one it writes into the file
CUSTOM_COMPILE_COMMAND="make lock" "$tmp/venv/bin/pip-compile" "${args[@]}" requirements.in 2>"$tmp/stderr" \
  || { cat "$tmp/stderr" >&2; exit 1; }
grep -v -e "may be rejected by pip install" -e "is ignored: it is neither a file nor a directory" "$tmp/stderr" >&2 || true

# pip-compile ends with a warning that torch is not pinned; requirements-torch.txt pins it instead.
python3 - "$tmp/requirements.lock" <<'PY'
import re
import sys
from pathlib import Path

text = Path(sys.argv[1]).read_text()
text = re.sub(r"\n*# WARNING: The following packages were not pinned.*\Z", "\n", text, flags=re.S)
note = (
    "# Installed by scripts/setup.sh with pip install --require-hashes, after torch (requirements-torch.txt:\n"
    "# the CPU build on local disk, which no PyPI hash can match). Regenerate with make lock, never by hand.\n"
)
Path("requirements.lock").write_text(note + text)
PY
echo "requirements.lock: $(grep -c '^[A-Za-z0-9]' requirements.lock) pins with hashes (+ torch from requirements-torch.txt)" >&2
