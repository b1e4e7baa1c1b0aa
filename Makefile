# Khronika: `make demo` runs a node with a demo network; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export KHRONIKA_HOME ?= var

.PHONY: setup demo serve test test-sqlite test-postgres lint format browser-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/khronika init
	$(BIN)/khronika demo-data
	$(BIN)/khronika serve --port 8000

serve: setup
	$(BIN)/khronika serve --port 8000

browser-deps:
	@scripts/ensure-chromium.sh

test: setup browser-deps
	@scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy khronika

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info
