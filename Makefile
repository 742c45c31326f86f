# InnoPortal: `make up` runs the whole system, `make test` runs every test. Both install into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser prometheus up test test-fast bench asyncapi clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and CJK fonts for the browser tests (apt, only when missing).
browser:
	scripts/ensure-browser.sh

# Debian's Prometheus, promtool and blackbox exporter for tests/e2e/test_prometheus.py (apt, only
# when missing).
prometheus:
	scripts/ensure-prometheus.sh

up: install
	$(BIN)/innoportal up

test: install browser prometheus
	$(BIN)/pytest -q -p no:cacheprovider

test-fast: install browser prometheus
	$(BIN)/pytest -q -m "not slow"

bench: install
	$(BIN)/python -m bench.kernel

asyncapi: install
	$(BIN)/innoportal asyncapi

clean:
	rm -rf var .pytest_cache
