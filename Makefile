# ECS vs EKS cost advisor: developer entry points.  Needs python3 >= 3.11 on PATH.
# `make test` builds .venv on first use and reinstalls it whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PRICE_DATA := ../shared/aws-price-data

.DEFAULT_GOAL := test
.PHONY: venv run test lint snapshot bench bench-quick screenshots readme-figures notebooks notebook-outputs

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: $(PYTHON) is older than 3.11 (found $$($(PYTHON) --version 2>&1))" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

# Settings (no file watcher, no usage statistics, no Deploy button) are in .streamlit/config.toml.
# One user on their own machine: the app may refresh the prices (off by default on a shared deployment).
run: venv
	ADVISOR_PRICE_REFRESH=on $(BIN)/streamlit run app.py

# Open the notebooks in JupyterLab (a dev extra); `make notebook-outputs` saves them with fresh outputs,
# which tests/test_notebooks.py checks.
notebooks: venv
	$(BIN)/jupyter lab notebooks/

notebook-outputs: venv
	$(BIN)/python -m scripts.notebooks

# Rewrite README.md's figure blocks (<!-- figures:... -->) from the model; tests/test_readme_figures.py checks them.
readme-figures: venv
	$(BIN)/python -m scripts.readme_figures

# Rewrite the README's screenshots (docs/screenshots/) with the real-browser tests; `make test` writes
# its screenshots to a temporary directory and leaves the work tree as it was.
screenshots: venv
	ADVISOR_REFRESH_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser

test: venv
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check .

# Rebuild the bundled price snapshot from the downloaded Price List files: every region of offers/.
snapshot: venv
	$(BIN)/advisor prices import $(PRICE_DATA)/offers \
		--spot-advisor $(PRICE_DATA)/spot/spot_advisor_linux_allregions_2025-06-28.json \
		--instance-info $(PRICE_DATA)/instance-info \
		--ecs-fee-feed $(PRICE_DATA)/fargate/ecs_pricing_page_feed_2025-10-27_allregions.csv \
		--data-transfer $(PRICE_DATA)/network/datatransfer_pricing_page_2025-06-05_allregions.csv \
		--ec2-reference $(PRICE_DATA)/ec2/ec2_linux_ondemand_28regions_2026-02-07.csv \
		--output pricing/data/snapshot

# Runs every bench/*.py script in turn.
bench: venv
	@set -e; found=0; \
	for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done; \
	[ "$$found" = 1 ] || echo "no bench/*.py scripts yet"

# The ratios issue 15's targets name, in about 3 minutes on a 2-core machine (see README, Measurements):
# one run each, the 10,000 draws with 8 baseline points, 20 packing workloads.
bench-quick: venv
	@echo "== estimate: 1,000 vs 10 services (target <= 2x)"; $(BIN)/python bench/estimate_bench.py --repeats 1
	@echo "== command line: start-up, sweep, simulate (targets 1.5x, 3x, 3x)"; $(BIN)/python bench/cli_bench.py --quick
	@echo "== analysis: 10,000 Monte Carlo draws (target: 5x faster than the README's 229 s)"; \
		$(BIN)/python bench/analysis_bench.py --quick
	@echo "== packing quality (target: median cost / lower bound <= 1.03, never above the cheap baselines)"; $(BIN)/python bench/packing_bench.py --workloads 20
