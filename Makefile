# Keukentafel — the two commands: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
KT := $(VENV)/bin/keukentafel
PYTHON ?= python3
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test setup deps-system deps-bench apt deps-python deps-npm lint clean bench bench-laad

# The embedded default: SQLite under instance/, DigiD stand-in, development mode (no SECRET_KEY needed).
RUN_ENV := KEUKENTAFEL_ENV=$${KEUKENTAFEL_ENV:-development} DIGID_STANDIN=$${DIGID_STANDIN:-1}

# The suite on every core (pytest-xdist), at most 4 workers: each holds PostgreSQL connections and a Chromium, and
# a large CI machine must stay under max_connections. PYTEST_WORKERS= runs it in one process.
PYTEST_WORKERS ?= -n auto --maxprocesses 4 --dist loadfile

run: setup
	$(RUN_ENV) $(KT) db upgrade
	$(RUN_ENV) $(KT) demo
	$(RUN_ENV) $(KT) serve --with-standins

test: setup
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PY) -m pytest $(PYTEST_WORKERS) tests
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== tests on $${TEST_DATABASE_URL%%://*} =="; \
		$(PY) -m pytest $(PYTEST_WORKERS) tests; \
	fi

setup: deps-system deps-python deps-npm

# Debian packages: Chromium for the browser tests, poppler for reading PDFs back, Pango for WeasyPrint.
deps-system:
	@$(MAKE) --no-print-directory apt PAKKETTEN="$(APT_PACKAGES)"

# The load benchmark's generator (wrk) comes from Debian too; only bench-laad needs it.
deps-bench:
	@$(MAKE) --no-print-directory apt PAKKETTEN="wrk"

apt:
	@missing=""; for p in $(PAKKETTEN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "apt-get install$$missing"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

deps-python: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps-npm: node_modules/.package-lock.json

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	for b in bench/*_bench.py; do [ "$$b" = bench/laad_bench.py ] || $(PY) $$b || exit 1; done

# The load benchmark on PostgreSQL from 10.000 to 5.000.000 zaken (about 45 minutes; BENCH_GROOTTES to choose).
bench-laad: setup deps-bench
	$(PY) bench/laad_bench.py

clean:
	rm -rf $(VENV) node_modules instance test-artifacts
