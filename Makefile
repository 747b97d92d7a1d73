# The contract's Make targets (shared/spec/cli-contract.md). Everything installs through
# scripts/setup.sh, so a clean clone needs nothing but Python 3.11 and the package registries.
VENV ?= .venv
PY := $(VENV)/bin/python
ZWGK := $(VENV)/bin/zwgk
WS ?= workspace
OUT ?= out
PORT ?= 7860

.PHONY: setup demo test lint audit serve bench eval lock clean

setup:
	@bash scripts/setup.sh

# the demo's units land in the workspace `make serve` opens: run `make demo`, then `make serve`
demo: setup
	@WS=$(WS) PORT=$(PORT) bash scripts/demo.sh

test: setup
	@$(VENV)/bin/ruff check .
	@bash scripts/audit.sh
	@$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup
	@$(VENV)/bin/ruff check .

audit: setup
	@bash scripts/audit.sh

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
