# The contract's Make targets (shared/spec/cli-contract.md). Everything installs through
# scripts/setup.sh, so a clean clone needs nothing but Python 3.11 and the package registries.
VENV ?= .venv
PY := $(VENV)/bin/python
ZWGK := $(VENV)/bin/zwgk
WS ?= workspace
OUT ?= out
PORT ?= 7860

.PHONY: setup demo test lint audit audit-update serve bench eval lock clean

setup:
	@bash scripts/setup.sh

# the demo's units land in the workspace `make serve` opens: run `make demo`, then `make serve`
demo: setup
	@WS=$(WS) PORT=$(PORT) bash scripts/demo.sh

test: setup
	@$(VENV)/bin/ruff check .
	@# exit 2 = no advisory data reachable (no online service, no snapshot in ../shared/audit): said loudly, not
	@# fatal, since the snapshot may not be committed here (docs/reliability.md); a known fixable vulnerability (1) fails
	@bash scripts/audit.sh || { rc=$$?; [ $$rc -eq 2 ] || exit $$rc; \
	  echo "警告：依赖审计未能进行——没有可用的漏洞数据（见 docs/reliability.md“依赖审计”）" >&2; }
	@$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup
	@$(VENV)/bin/ruff check .

audit: setup
	@bash scripts/audit.sh

# Re-extract the advisory snapshot (audit/pypa-advisory-db, or AUDIT_SNAPSHOT=DIR) for the current pins
# from a git copy of the public pypa/advisory-database repository: make audit-update ADVISORY_DB=DIR
audit-update: setup
	@test -n "$(ADVISORY_DB)" || { echo "用法：make audit-update ADVISORY_DB=<pypa/advisory-database 的 git 副本>" >&2; exit 2; }
	@bash scripts/audit.sh --update "$(ADVISORY_DB)"

serve: setup
	@$(ZWGK) serve --workspace $(WS) --host 127.0.0.1 --port $(PORT)

bench: setup
	@$(PY) -m bench

eval: setup
	@$(ZWGK) eval eval/samples --out eval/out/samples
	@$(ZWGK) eval eval/real --out eval/out/real

# Re-resolve the pinned dependency set from requirements.in (needs the package registries).
lock:
	@bash scripts/lock.sh

clean:
	rm -rf $(VENV) $(WS) $(OUT) .setup-stamp
