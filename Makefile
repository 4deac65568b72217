# giamsat: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: help install system-deps demo test lint typecheck bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml plugins/workplace/pyproject.toml plugins/residence/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -e plugins/workplace -e plugins/residence
	touch $(STAMP)

install: $(STAMP)  ## create .venv with giamsat, both channel plugins and the test tools

system-deps:  ## Debian packages the browser and multi-process tests drive (chromium, nginx)
	@command -v chromium >/dev/null && command -v nginx >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light; }

demo: install  ## set up and run the demo on SQLite: Hà Nội tree, both channels, the 2022 pack
	$(BIN)/giamsat demo --port $(PORT)

test: install system-deps lint  ## set up, lint, and run the whole test suite (SQLite and PostgreSQL)
	$(BIN)/python -m pytest

lint: install  ## ruff and mypy
	$(BIN)/ruff check platform tests plugins bench
	$(BIN)/ruff format --check platform tests plugins bench
	$(BIN)/mypy

bench: install  ## run the benchmarks; figures go to bench/results/
	$(BIN)/python bench/rules_throughput.py

clean:  ## remove the virtualenv and demo database
	rm -rf $(VENV) var
