# Joined Up: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
SCSS := $(wildcard cop/static_src/scss/*.scss) cop/static_src/build.mjs

.PHONY: run serve test test-fast install assets migrate demo bench soak lint format check audit clean

run: install assets migrate demo serve ## install, migrate, load demo data, serve on :8000

serve:
	@echo "Joined Up on http://$(HOST):$(PORT)/ (HTTP and websockets over ASGI)"
	$(MANAGE) runserver $(HOST):$(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

assets: cop/static/build/main.css

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

cop/static/build/main.css: node_modules/.installed $(SCSS)
	npm run --silent build

migrate: install
	$(MANAGE) migrate --noinput

demo: install
	$(MANAGE) load_demo_data

# Two workers (pytest-xdist): this project's machines have two cores.
PYTEST_ARGS ?= -n 2

test: install assets ## the whole suite (set DATABASE_URL / REDIS_URL for the real services)
	DJANGO_SETTINGS_MODULE=cop.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test-fast: install assets
	DJANGO_SETTINGS_MODULE=cop.settings.test $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

bench: install assets ## benchmarks on PostgreSQL; prints a JSON report
	$(BIN)/python -m bench $(BENCH_ARGS)

SOAK_ARGS ?=
soak: install assets ## production shape (2 ASGI processes, Celery worker and beat) under simulated members; JSON + summary
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

audit: install ## pip-audit the installed packages: fails on a known vulnerability
	$(BIN)/python .ci/audit_deps.py

clean:
	rm -rf $(VENV) node_modules cop/static/build staticfiles var
