# The two commands of the README: `make run` (set up, demo data, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/studyapp_test
DEV    := STUDYAPP_ENV=development

.PHONY: install run test contracts test-sqlite test-postgres e2e-browser translations lint bench soak fuzz clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11, 5), "StudyApp needs Python >= 3.11.5 (set PYTHON=python3.12)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d studyapp/translations

# Development settings for this checkout, so that `studyapp …` works in a new
# shell after `. .venv/bin/activate` (studyapp reads ./.env; never overwritten).
.env: | $(BIN)/.installed
	$(BIN)/studyapp init --development

run: install .env
	$(DEV) $(BIN)/studyapp demo
	$(DEV) $(BIN)/studyapp run --host $(HOST) --port $(PORT)

# The layer contracts (.importlinter), then the whole suite on SQLite (with the
# browser tests), then again on PostgreSQL when a server answers on 127.0.0.1:5432.
test: install contracts e2e-browser test-sqlite test-postgres

contracts: install
	$(BIN)/lint-imports

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	@if $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		STUDYAPP_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not e2e"; \
	else echo "PostgreSQL does not answer on 127.0.0.1:5432: PostgreSQL run skipped"; fi

e2e-browser:
	sh scripts/ensure-chromium.sh

# The API against its OpenAPI document, every form, the converters and the
# importers with a larger budget than the suite's (FUZZ_EXAMPLES generated
# requests or files per operation, route, mode and role).
FUZZ_EXAMPLES ?= 100
fuzz: install
	STUDYAPP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/api/test_schemathesis.py -m slow -q
	STUDYAPP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q tests/security/test_form_fuzz.py \
		tests/content/convert/test_properties.py tests/orgadmin/test_import_properties.py

lint: install
	$(BIN)/ruff check studyapp tests

# The morning rush against a bare Flask "hello" (bench/rush.py; builds the
# county dataset with bench/generate.py on first use), then the other benchmarks.
# BENCH_DB=postgresql+psycopg://… adds a PostgreSQL run (a database made by
# bench/generate.py --db …).
BENCH_DB ?=
bench: install
	$(BIN)/python bench/rush.py --db sqlite:///instance/county.db $(if $(BENCH_DB),--db $(BENCH_DB))
	for f in bench/bench_*.py; do $(BIN)/python $$f; done

# A gunicorn worker's memory after 100,000 requests of the rush mix (bench/soak.py);
# with BENCH_DB (PostgreSQL) also on two nodes with Redis and the scheduler.
soak: install
	$(BIN)/python bench/soak.py --db sqlite:///instance/county.db
	$(if $(BENCH_DB),$(BIN)/python bench/soak.py --nodes 2 --db $(BENCH_DB))

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache
