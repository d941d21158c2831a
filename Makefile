# Asset Library. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_USER ?= demo
DEMO_PASSWORD ?= demo-pass-123

.PHONY: install node-deps system-deps run serve test test-sqlite lint worker beat seed-bench bench clean

$(BIN)/.installed: requirements.txt clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	# The client package for generation modules (clients/python), as a module would install it.
	$(BIN)/pip install -q --no-deps -e clients/python
	touch $@

install: $(BIN)/.installed

# axe-core for the accessibility browser tests and ESLint for the page scripts, exactly as
# package-lock.json pins them (npm ci starts from an empty node_modules/). Only `make test`
# (and `make lint`) need them; `make run` does not.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed for the tests (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

# Debian packages the media pipeline uses. Best effort: without them, metadata that
# needs ffprobe stays empty (with a warning) and the browser tests skip (fail in CI).
system-deps:
	@missing=""; \
	command -v ffprobe >/dev/null || missing="$$missing ffmpeg"; \
	ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || missing="$$missing libmagic1"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "warning: could not install$$missing"; \
	  else echo "warning: please install$$missing (Debian packages)"; fi; \
	fi

run: install system-deps
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty --username $(DEMO_USER) --password $(DEMO_PASSWORD)
	$(BIN)/python manage.py seed_demo_sharing --username $(DEMO_USER) --password $(DEMO_PASSWORD)
	@echo ""
	@echo "  Asset Library: http://$(HOST):$(PORT)/library/"
	@echo "  Demo login:    $(DEMO_USER) / $(DEMO_PASSWORD)   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Teammate:      alex / $(DEMO_PASSWORD)   (shares \"Brand refresh\" with $(DEMO_USER))"
	@echo "  API token:     $$($(BIN)/python manage.py create_api_token $(DEMO_USER))"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install node-deps
	$(BIN)/ruff check .
	node_modules/.bin/eslint asset_library/static
	$(BIN)/lint-imports --no-logo
	$(BIN)/python manage.py makemigrations --check --dry-run -v1

# The whole suite on the configured database (SQLite unless DATABASE_URL is set). When
# that is PostgreSQL, the database-level tests run again on SQLite, which must also work.
test: lint node-deps
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then $(MAKE) --no-print-directory test-sqlite; fi

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -q -n 2 -m "not browser and not redis and not postgres and not schemathesis"

worker: install
	$(BIN)/celery -A config worker -l info --concurrency 2

beat: install
	$(BIN)/celery -A config beat -l info

# Benchmarks: PostgreSQL only, by hand. See the README's Benchmarks section.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/asset_library_bench
seed-bench: install
	DATABASE_URL=$(BENCH_DB) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=$(BENCH_DB) $(BIN)/python manage.py seed_bulk --assets 1000000 --owners 20 --batch 100000

bench: install
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/search.py
	DATABASE_URL=$(BENCH_DB) CELERY_BROKER_URL=redis://127.0.0.1:6379/13 $(BIN)/python bench/ingest.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/trash.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/bulk_update.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/stats.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/zip.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/upload_memory.py

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 node_modules
