# Thin wrappers around the project's tools. `make run` and `make test` set up everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
TOOLS := $(CURDIR)/.tools
UV := $(TOOLS)/bin/uv
PY := $(UV) run --frozen
STAMP := .venv/.synced

# Fragments under mk/ add their own targets and append to these lists.
TEST_TARGETS :=
PY_TEST_PREREQS :=
LINT_TARGETS :=
BENCH_TARGETS :=

include $(wildcard mk/*.mk)

.PHONY: help bootstrap run dev test test-python lint bench clean

help:  ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(UV):
	@python3 -m venv $(TOOLS)
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'

$(STAMP): $(UV) uv.lock pyproject.toml $(wildcard services/*/pyproject.toml) operator/pyproject.toml
	$(UV) sync --frozen --all-packages
	@touch $(STAMP)

bootstrap: $(STAMP)  ## install the Python workspace (uv, dependencies)

run: $(STAMP) $(RUN_PREREQS)  ## start the whole platform on embedded defaults and print the URLs
	$(PY) python scripts/run_platform.py

dev: $(STAMP) $(RUN_PREREQS)  ## as run, with the web app on Vite's development server (hot reload)
	$(PY) python scripts/run_platform.py --dev-frontend

# Test files run on this many processes at once (pytest-xdist; each file stays on one).
PYTEST_WORKERS ?= 2

test-python: $(STAMP) $(PY_TEST_PREREQS)  ## Python tests of every service, chart and operator
	$(PY) pytest -m "not bench" -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: test-python $(TEST_TARGETS)  ## everything CI runs

lint: $(STAMP) $(LINT_TARGETS)  ## ruff, ruff format --check, mypy
	$(PY) ruff check .
	$(PY) ruff format --check .
	$(PY) mypy services/common/src services/api/src services/ai_coach/src services/worker/src operator/src services/testkit/src scripts

bench: $(STAMP) $(BENCH_TARGETS)  ## benchmarks (figures go to docs/benchmarks.md)
	$(PY) pytest -m bench -p no:cacheprovider -s tests/bench $(wildcard services/*/tests/bench)

clean:  ## remove caches and the local data directory
	rm -rf .pytest_cache .mypy_cache .ruff_cache data test-output
