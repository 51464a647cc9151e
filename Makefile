# Mustaqil: `make run` serves the demo, `make test` checks everything.
# A fresh machine needs only Python >= 3.12 (3.13 preferred, see .python-version).

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
SYSTEM_PYTHON := $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000

APPS := common accounts beneficiaries training enterprises payroll daycare wellbeing reports

.PHONY: run test setup venv messages makemessages lint format bench clean backup restore

$(VENV)/.installed: requirements.txt
	@if [ -z "$(SYSTEM_PYTHON)" ]; then echo "Mustaqil needs Python 3.12 or newer (3.13 preferred)."; exit 1; fi
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

# Translations are committed compiled too, so a machine without gettext still runs.
messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then DEBUG=1 $(MANAGE) compilemessages --ignore=.venv -v 0; \
	else echo "gettext not installed: using the committed .mo files"; fi

# Each app keeps its own catalogue in <app>/locale; locale/ holds templates/ and config/.
makemessages: venv
	@for app in $(APPS); do mkdir -p $$app/locale; \
	  (cd $$app && DEBUG=1 DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=.. ../$(PY) -P -m django \
	    makemessages -l ru -l uz --no-location --no-wrap -v 0) || exit 1; done
	DEBUG=1 $(MANAGE) makemessages -l ru -l uz --no-location --no-wrap -v 0 \
	  $(foreach app,$(APPS),--ignore=$(app)/*) --ignore=.venv/* --ignore=tests/* --ignore=bench/*

# A development machine's own settings; production sets the real environment instead.
.env:
	@printf '# Local development settings, not committed (see README, Configuration).\nDEBUG=1\n' > .env

setup: venv .env messages
	DEBUG=1 $(MANAGE) migrate --no-input -v 0

run: setup
	DEBUG=1 $(MANAGE) seed_demo --if-empty
	DEBUG=1 $(MANAGE) schedule_jobs
	@echo ""
	@echo "Mustaqil on http://$(HOST):$(PORT)/  — demo logins (password: demo):"
	@echo "  director (programme manager), caseworker (Samarkand), caseworker2 (Tashkent),"
	@echo "  trainer, manager (enterprise manager), auditor"
	@echo "  The background worker (manage.py db_worker) runs beside the server and stops with it;"
	@echo "  it also runs the scheduled nightly and morning jobs (README, Scheduled work)."
	@echo ""
	@DEBUG=1 $(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: venv messages lint
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DEBUG=1 $(MANAGE) check
	$(PY) -m pytest $(PYTEST_ARGS)

# A consistent copy while the application runs (README, "Backups"); BACKUP_DIR and
# BACKUP_KEEP say where and how many.
backup: venv
	$(MANAGE) backup

# Replaces the whole database: stop the application first. `make restore FILE=backups/…`
restore: venv
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=backups/mustaqil-….sqlite3"; exit 1; fi
	$(MANAGE) restore "$(FILE)"

bench: venv
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts
