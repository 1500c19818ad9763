# Spotify charts lake: `make demo` runs the whole pipeline locally, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
# The uv that .venv is bootstrapped with (and that wrote uv.lock).
UV_VERSION ?= 0.13.9
VENV ?= .venv
BIN := $(VENV)/bin
CHECKOV_VENV ?= .venv-checkov
# The Glue 6.0 lane: Python 3.13 and Spark 4.1.1 with Spark's defaults (ANSI on), as on Glue 6.0.
GLUE6_VENV ?= .venv-glue6
GLUE6_PYTHON ?=
# The Lambda runs Python 3.13 too (docs/decisions/0093), and the notebook runs on either Glue.
GLUE6_TESTS ?= tests/glue_jobs tests/ingest_lambda tests/cli/test_cli_bad_input.py tests/cli/test_local_filesystem.py tests/notebooks
LAKE ?= lake
HOURS ?= 48
SCALE ?= year
STACK ?= spotify-charts-lake
REGION ?= $(AWS_REGION)
DEPLOY_ARGS ?=
ARTIFACTS_BUCKET ?=
export SPARK_LOCAL_IP ?= 127.0.0.1

.PHONY: help venv lock check-java demo demo-identity test test-glue6 lint typecheck unit lint-cfn clean package deploy deploy-dry-run bench fake-api explore report

help: ## List the targets
	@grep -hE '^[a-z][a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Every venv is installed from a lock (uv.lock; tools/checkov/uv.lock): `--locked` stops when
# pyproject.toml changed and the lock did not (run `make lock`). `--inexact` keeps the pip and uv
# that .venv was bootstrapped with; the other venvs hold exactly what their lock says.
$(VENV)/.installed: pyproject.toml uv.lock | $(BIN)/python
	UV_PROJECT_ENVIRONMENT=$(abspath $(VENV)) $(BIN)/uv sync --quiet --locked --inexact --python $(BIN)/python --group dev
	@touch $@

$(CHECKOV_VENV)/.installed: tools/checkov/pyproject.toml tools/checkov/uv.lock | $(BIN)/python
	UV_PROJECT_ENVIRONMENT=$(abspath $(CHECKOV_VENV)) $(BIN)/uv sync --quiet --locked --project tools/checkov --python $(PYTHON)
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install the project with its dev tools (from uv.lock)

lock: | $(BIN)/python ## Update the locks after editing dependencies (uv.lock, tools/checkov/uv.lock); UPGRADE=1 moves every unpinned package to its newest version
	$(BIN)/uv lock $(if $(UPGRADE),--upgrade)
	$(BIN)/uv lock --project tools/checkov $(if $(UPGRADE),--upgrade)

# Python 3.13: GLUE6_PYTHON, else python3.13 on PATH, pyenv's 3.13.x, or uv's own (each is run,
# so a pyenv shim of a version that is not active does not count).
$(GLUE6_VENV)/.installed: pyproject.toml uv.lock | $(BIN)/python
	@py="$(GLUE6_PYTHON)"; \
	if [ -z "$$py" ]; then \
		for candidate in python3.13 "$$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13 \
				"$$($(BIN)/uv python find 3.13 2>/dev/null)"; do \
			if "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then \
				py="$$candidate"; break; \
			fi; \
		done; \
	fi; \
	[ -n "$$py" ] || { echo "The Glue 6.0 lane needs Python 3.13, not found: run 'uv python install 3.13' or 'pyenv install 3.13', or set GLUE6_PYTHON=/path/to/python3.13" >&2; exit 1; }; \
	echo "$(GLUE6_VENV): $$py"; \
	UV_PROJECT_ENVIRONMENT=$(abspath $(GLUE6_VENV)) $(BIN)/uv sync --quiet --locked --python "$$py" --no-default-groups --group glue6
	@touch $@

check-java: ## Check that Java 17 (for local Spark) is installed
	@command -v java >/dev/null 2>&1 || { \
		echo "Java 17 is needed to run Spark locally and was not found: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless; macOS: brew install openjdk@17; others: Temurin 17 from https://adoptium.net) and put its java on PATH" >&2; \
		exit 2; }
	@java -version 2>&1 | head -1 | grep -qE '"17(\.|")' || { \
		echo "Spark 3.5 (as on Glue 5.1) needs Java 17, found: $$(java -version 2>&1 | head -1): install openjdk-17-jdk-headless (or Temurin 17) and select it (update-alternatives --config java, or JAVA_HOME)" >&2; \
		exit 2; }

DEMO_QUERIES ?= current_top_10 biggest_climbers_24h longest_run_at_number_1 new_entries_today

demo: check-java venv ## Run the whole pipeline locally: fake API, ingest, Glue job, crawl, queries, report (LAKE=lake HOURS=48)
	@echo "== 1/5 ingest: $(HOURS) simulated hours from the fake Spotify API through the Lambda's code"
	$(BIN)/spotify-etl ingest --lake $(LAKE) --hours $(HOURS)
	@echo "== 2/5 transform: the Glue job on local Spark"
	$(BIN)/spotify-etl transform --lake $(LAKE)
	@echo "== 3/5 crawl: the curated tables into the local catalog"
	$(BIN)/spotify-etl crawl --lake $(LAKE)
	@echo "== 4/5 named Athena queries, run on DuckDB"
	@for name in $(DEMO_QUERIES); do \
		echo; echo "-- $$name: $$(grep -m1 -E '^--' athena/queries/$$name.sql | sed 's/^-- *//')"; \
		$(BIN)/spotify-etl query --lake $(LAKE) --named $$name || exit 1; \
	done
	@echo; echo "== 5/5 report"
	$(BIN)/spotify-etl report --lake $(LAKE)
	@echo; echo "Done. Ask your own question: $(BIN)/spotify-etl query --lake $(LAKE) \"SELECT ...\" (see docs/queries.md)"

# The check of a change that must not change any output: `make demo`'s ingest and transform from
# BASE and from the work tree, each into a lake of its own, the lakes compared file by file.
BASE ?= main

demo-identity: check-java venv ## Run make demo's pipeline from BASE (main) and from the work tree; fail unless both lakes are identical
	$(BIN)/python -m tools.demo_identity --base $(BASE) --hours $(HOURS)

lint: venv ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv ## mypy
	$(BIN)/mypy ingest_lambda glue_jobs spotify_etl deploy benchmarks tools

unit: check-java venv $(CHECKOV_VENV)/.installed ## Run the test suite
	$(BIN)/pytest

# The template checks (cfn-lint, checkov, named queries in sync) run inside pytest: tests/cloudformation.
test: check-java lint typecheck unit ## Lint, type-check and run every test, template checks included (the CI gate)

# GLUE51_PYTHON lets the lane run the same job on Spark 3.5.6 and compare the outputs.
test-glue6: check-java venv $(GLUE6_VENV)/.installed ## The Glue 6.0 lane: the Glue job's, Lambda's, raw-contract, bad-input and notebook tests on Spark 4.1.1 / Python 3.13 (ANSI on)
	GLUE51_PYTHON=$(abspath $(BIN)/python) $(GLUE6_VENV)/bin/pytest $(GLUE6_TESTS)

lint-cfn: venv $(CHECKOV_VENV)/.installed ## cfn-lint and checkov on cloudformation/, named queries up to date
	$(BIN)/python -m deploy.named_queries --check
	$(BIN)/cfn-lint cloudformation/*.yaml
	$(CHECKOV_VENV)/bin/checkov --skip-download --quiet --compact -d cloudformation

package: venv ## Build the Lambda zip, Glue package and script into build/deploy; regenerate named queries
	$(BIN)/python -m deploy.named_queries
	$(BIN)/python -m deploy.package

deploy-dry-run: package ## Print what `make deploy` would upload and deploy, calling no AWS API
	$(BIN)/python -m deploy.deploy --skip-build --dry-run --stack-name $(STACK) --region "$(REGION)" $(if $(ARTIFACTS_BUCKET),--artifacts-bucket $(ARTIFACTS_BUCKET)) $(DEPLOY_ARGS)

deploy: package ## Deploy to AWS: make deploy REGION=eu-west-1 DEPLOY_ARGS='--parameter PlaylistIds=<id>'
	$(BIN)/python -m deploy.deploy --skip-build --stack-name $(STACK) --region "$(REGION)" $(if $(ARTIFACTS_BUCKET),--artifacts-bucket $(ARTIFACTS_BUCKET)) $(DEPLOY_ARGS)

explore: check-java venv ## Run the exploration notebook on the local lake (executed copy in $(LAKE)/notebooks/)
	$(BIN)/python notebooks/run_local.py --lake $(LAKE)

report: venv ## Write the HTML chart report of the local lake ($(LAKE)/reports/)
	$(BIN)/spotify-etl report --lake $(LAKE)

bench: check-java venv ## Benchmarks at a day/week/month/year of hourly history (SCALE=year; about 30 min on two idle cores)
	$(BIN)/python -m benchmarks.run --scale $(SCALE)

fake-api: venv ## Run the fake Spotify Web API in the foreground (PROFILE=extended|dev-2026)
	$(BIN)/spotify-etl fake-api --profile $(or $(PROFILE),extended)

clean: ## Remove the local lake (keeping $(LAKE)/.secrets) and build outputs (not the venvs)
	@if [ -d $(LAKE) ]; then find $(LAKE) -mindepth 1 -maxdepth 1 ! -name .secrets -exec rm -rf {} +; fi
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
