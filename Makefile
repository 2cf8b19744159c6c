# Shelfmark: `make run` serves the demo site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# The dev settings build the site's address (WAGTAILADMIN_BASE_URL, the demo Site) from PORT.
DEV := DJANGO_SETTINGS_MODULE=config.settings.dev PORT=$(PORT)

.PHONY: run test lint format bench worker install clean-db

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	# Migrate, load the demo (once: a restart finds its fingerprint and loads nothing) and
	# queue again the work a killed worker left RUNNING, in one process.
	$(DEV) $(BIN)/python manage.py prepare_demo_site
	# The task worker (email, index updates) runs beside the server and stops with it.
	$(DEV) $(BIN)/python manage.py db_worker & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: $(STAMP)
	$(BIN)/python manage.py recover_stalled_tasks
	$(BIN)/python manage.py db_worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite runs on every core (pytest-xdist); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto
# pytest exits 5 when it collects nothing; that would be a broken suite, so it fails here.
test: lint
	$(BIN)/lint-imports
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)
