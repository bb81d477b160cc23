# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1:8000

.PHONY: run test setup install messages migrate demo lint format bench clean

# The background worker (notification e-mails, the dossier) runs beside the
# server and stops with it; the demo's e-mails go to the console.
run: setup demo  ## Serve the demo on http://127.0.0.1:8000 (SQLite under var/)
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

# Both cores: one pytest-xdist worker per core, tests of a module kept together.
PYTEST_ARGS ?= -n auto --dist loadfile

# The suite builds its own test database: it never migrates the one DATABASE_URL names.
test: install messages  ## Run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

setup: install messages migrate

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e ".[dev]"
	touch $@

# Compiles locale/*/LC_MESSAGES/django.po with Babel (pure Python: no gettext needed).
messages: install
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432) and gunicorn:
# recreates the databases emu_bench_demo and emu_bench_national, prints BENCH lines.
bench: install messages
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) var/db.sqlite3 var/static
