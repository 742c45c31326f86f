# InnoPortal: `make up` runs the whole system, `make test` runs every test. Both install into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser prometheus up test test-fast chaos bench asyncapi clean

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

# The chaos suite whole (tests/chaos): the short run of `make test`, then the long runs (minutes
# of faults, SQLite and a private PostgreSQL), each printing its figure; then the fuzzer with five
# times the cases of `make test`.
chaos: install
	INNOPORTAL_CHAOS=1 $(BIN)/pytest -q -p no:cacheprovider -rs tests/chaos
	INNOPORTAL_FUZZ_EXAMPLES=200 $(BIN)/pytest -q -p no:cacheprovider tests/component/fuzz

bench: install
	$(BIN)/python -m bench.kernel

# From a wish's HTTP 201 to its alerts at an SMTP sink, beside bare nats-py + aiosmtplib.
.PHONY: bench-e2e
bench-e2e: install
	$(BIN)/python -m bench.e2e

asyncapi: install
	$(BIN)/innoportal asyncapi

clean:
	rm -rf var .pytest_cache
