# The two commands: `make run` and `make test`. CI runs `make test` (.ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Installs come from the hash-locked requirements.lock (`make lock` renews it), so two
# fresh machines run the same versions; the stamp changes with the lock and pyproject.toml.
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
TEST_DATA := $(CURDIR)/.test-data
PG_URL ?= postgres://postgres@127.0.0.1:5432/declassified

.PHONY: run test test-sqlite test-postgres lint bench screenshots clean setup lock cluster cluster-down

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Resolve pyproject.toml (with the test extra) again and write every pin with its hashes.
# uv resolves in seconds; it comes from the lock itself, or is bootstrapped on a new clone.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--custom-compile-command 'make lock' --quiet --output-file $(LOCK)

# node_modules holds OpenSeadragon, the document page's deep-zoom viewer (served as static files);
# scripts/ocr-deps.sh installs Tesseract and its language packs when they are missing.
setup: $(STAMP) node_modules/.installed
	bash scripts/ocr-deps.sh
	$(BIN)/declassified setup

# `serve` regenerates stale bulk data dumps in a background process once it listens.
run: setup
	$(BIN)/declassified serve

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(STAMP) node_modules/.installed
	$(BIN)/ruff check declassified tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	bash scripts/browser-deps.sh
	bash scripts/ocr-deps.sh
	bash scripts/cluster-deps.sh
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	rm -rf $(TEST_DATA) && mkdir -p $(TEST_DATA)
	DECLASSIFIED_DATA_DIR=$(TEST_DATA) DATABASE_URL=sqlite:///$(TEST_DATA)/test.sqlite3 \
		$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: $(STAMP)
	bash scripts/ensure-postgres.sh
	rm -rf $(TEST_DATA) && mkdir -p $(TEST_DATA)
	DECLASSIFIED_DATA_DIR=$(TEST_DATA) DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} \
		$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check declassified tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# A local cluster on this machine (docs/deployment.md): HAProxy on 8100 in front of two web
# nodes, a PostgreSQL primary and a streaming replica. `make cluster-down` removes it all.
cluster: $(STAMP) node_modules/.installed
	bash scripts/cluster-deps.sh
	bash scripts/ocr-deps.sh
	$(BIN)/python scripts/cluster.py up

cluster-down: $(STAMP)
	$(BIN)/python scripts/cluster.py down

# make bench [BENCH="search"] [SIZE=100000] [DB=sqlite,postgresql] [DURATION=60]: see docs/performance.md
bench: $(STAMP)
	bash scripts/ocr-deps.sh
	SIZE=$(SIZE) DB=$(DB) DURATION=$(DURATION) $(BIN)/python bench/run.py $(BENCH)

# docs/screenshots/*.png from a fresh archive (samples + a few FRUS volumes) served by `declassified serve`.
screenshots: $(STAMP)
	bash scripts/browser-deps.sh
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) $(TEST_DATA) *.egg-info node_modules
