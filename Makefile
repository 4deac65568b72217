# giamsat: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: help install system-deps demo test lint audit typecheck bench clean i18n frontend contract-tools openapi

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml plugins/workplace/pyproject.toml plugins/residence/pyproject.toml plugins/staff/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -e plugins/workplace -e plugins/residence -e plugins/staff
	touch $(STAMP)

LOCALES := platform/giamsat/locale
MO      := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po))

# The compiled catalogues are build output (not in git): every install compiles them.
$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -D messages -l $* -i $< -o $@

install: $(STAMP) $(MO)  ## create .venv with giamsat, both channel plugins and the test tools

i18n: $(STAMP)  ## extract the pages' texts into the catalogues; translate the new ones, then `make install`
	mkdir -p var
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header -o var/messages.pot platform
	$(BIN)/pybabel -q update -D messages -i var/messages.pot -d $(LOCALES) --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(MAKE) install

openapi: install  ## write docs/openapi.json from the app (a test fails when it drifts from the served one)
	$(BIN)/python -m giamsat.web.openapi > docs/openapi.json

CONTRACT := tests/contract
$(CONTRACT)/node_modules/.package-lock.json: $(CONTRACT)/package.json $(CONTRACT)/package-lock.json
	cd $(CONTRACT) && npm ci --no-audit --no-fund --loglevel=error

contract-tools:  ## the API contract tests' npm tools (Redocly, Spectral, openapi-typescript, tsc), when npm is here
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(CONTRACT)/node_modules/.package-lock.json \
	  || echo "npm ci failed: the OpenAPI lint and TypeScript client tests will be skipped"; \
	else echo "npm not found: the OpenAPI lint and TypeScript client tests will be skipped"; fi

system-deps:  ## Debian packages the browser, multi-process and document tests and the load bench drive (chromium, nginx, LibreOffice, poppler, wrk)
	@command -v chromium >/dev/null && command -v nginx >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light; }
	@# LibreOffice Writer without its GUI (about 200 MB) makes the PDF export and the PDFs the document tests read;
	@# Liberation Serif stands in, metric for metric, for the Times New Roman of ND30.
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  libreoffice-writer-nogui poppler-utils fonts-liberation; }
	@# wrk measures the health endpoint's ceiling in bench/pages_under_load.py, beside the bench's own client.
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

demo: install  ## set up and run the demo on SQLite: Hà Nội tree, both channels, the 2022 pack
	$(BIN)/giamsat demo --port $(PORT)

test: install system-deps contract-tools lint audit  ## set up, lint, audit, run the whole suite (SQLite and PostgreSQL)
	$(BIN)/python -m pytest

frontend:  ## rebuild the vendored design system, font, htmx and axe-core from npm (needs npm)
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

lint: install  ## ruff and mypy
	$(BIN)/ruff check platform tests plugins bench tools
	$(BIN)/ruff format --check platform tests plugins bench tools
	$(BIN)/mypy

audit: install  ## pip-audit the installed dependencies (allow-list: tools/pip-audit-allowlist.toml)
	$(BIN)/python tools/audit_dependencies.py

bench: install  ## run the benchmarks; figures go to bench/results/
	$(BIN)/python bench/rules_throughput.py

clean:  ## remove the virtualenv and demo database
	rm -rf $(VENV) var
