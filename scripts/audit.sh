#!/usr/bin/env bash
# make audit: the pinned set (requirements.lock + requirements-torch.txt) against known vulnerabilities.
#   exit 0  nothing known, or only vulnerabilities without a fixed release (printed as warnings)
#   exit 1  a known vulnerability that has a fixed release: CI fails
#   exit 2  the audit could not be done (no online data and no usable snapshot)
# Source: pip-audit on PyPI's vulnerability service when it answers, else the dated snapshot of the PyPA
# advisory database (audit/pypa-advisory-db, or shared/audit/pypa-advisory-db beside the checkout).
# Options: --offline (snapshot only), --snapshot DIR, --update GITDIR (re-extract), REQFILE...
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" -m scripts.supply_chain.audit "$@"
