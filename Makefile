# Cuttings: the commands a newcomer needs.
#   make serve  - set up everything and serve the archive with demo data on http://127.0.0.1:8000
#   make test   - everything CI runs (installs what it needs, including Debian chromium and
#                 postgresql): the suite on SQLite, then again on PostgreSQL
#   make bench  - speed figures (ingest and search) against a baseline from the same run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export ARCHIVE_DATA_DIR ?= $(CURDIR)/var

AXE_VERSION := 4.14.1
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: serve setup demo test test-postgres lint format bench browser-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_knowledge
	$(MANAGE) ingest demo/
	$(MANAGE) rebuild_index --noinput --verbosity 0
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) check_index

serve: setup
	@echo "Cuttings is at http://$(HOST):$(PORT)/  (admin: $(BIN)/python manage.py createsuperuser)"
	$(BIN)/gunicorn archive.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core for the accessibility checks of the browser tests (npm, into .cache, not committed).
$(AXE):
	npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.installed browser-deps $(AXE) lint
	ARCHIVE_DATA_DIR=$$(mktemp -d) $(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-postgres

# The suite again on a throw-away PostgreSQL server from Debian's packages (installed when
# missing), started and removed by .ci/with-postgres. Browser tests and the slow tests are
# left to the SQLite run: the slow ones drive real processes that always use SQLite.
test-postgres: $(VENV)/.installed
	ARCHIVE_DATA_DIR=$$(mktemp -d) bash .ci/with-postgres $(BIN)/python -m pytest -m "not browser and not slow"

bench: $(VENV)/.installed
	ARCHIVE_DATA_DIR=$$(mktemp -d) $(MANAGE) bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .cache
