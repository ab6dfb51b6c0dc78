# The two quick-start commands are `make run` and `make test`; both install what they need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint format lock serve worker messages messages-update demo install clean bench \
	bench-micro bench-explain bench-profile coverage-check

# The environment is rebuilt only when the lock file changes. pip installs uv alone,
# pinned with its hashes as the lock file gives them; uv then makes the environment
# exactly the lock file (hashes checked) and compiles it to bytecode, as pip does, so
# that no process compiles the libraries again when it starts.
$(VENV)/.installed: requirements-dev.lock
	@test -x $(PYTHON) || "$$(scripts/find-python)" -m venv $(VENV)
	awk '/^uv==/ {keep = 1; print; next} keep && /^ / {print; next} {keep = 0}' \
		requirements-dev.lock > $(VENV)/uv-requirement.txt
	$(PYTHON) -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(PYTHON) --require-hashes requirements-dev.lock
	@touch $@

install: $(VENV)/.installed

# Compiled catalogues are built here from the committed .po files, with Python only.
messages: export DJANGO_DEBUG ?= true
messages: install
	$(MANAGE) compile_catalogues

# After changing interface strings: add them to the .po files (needs GNU gettext),
# then translate the new entries and run `make messages`.
messages-update: export DJANGO_DEBUG ?= true
messages-update: install
	$(MANAGE) makemessages -l sv -l da --no-location --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=tests

# The development server and the background task worker run side by side.
run: export DJANGO_DEBUG ?= true
run: install messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) apply_retention
	@echo "Open http://127.0.0.1:8000 and sign in with one of the addresses above."
	$(MANAGE) db_worker --interval 2 & worker=$$!; \
	$(MANAGE) dispatch_reminders --every 60 & reminders=$$!; \
	$(MANAGE) close_evaluations --every 300 & closing=$$!; \
	$(MANAGE) announce_versions --every 300 & announcing=$$!; \
	trap 'kill $$worker $$reminders $$closing $$announcing 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

demo: export DJANGO_DEBUG ?= true
demo: install messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo

# Two test processes (pytest-xdist), one per core of the machines we build on; each
# gets its own test database, and a worker that runs out of tests takes some of the
# other's (worksteal), so neither waits at the end. TEST_WORKERS=0 runs everything
# in this process.
# Branch coverage is gathered from both and printed per app at the end
# (TEST_COVERAGE=0 leaves it out), and so are the ten slowest tests.
TEST_WORKERS ?= 2
TEST_COVERAGE ?= 1
COVERAGE_ARGS := $(if $(filter 1,$(TEST_COVERAGE)),--cov --cov-report=,--no-cov)
test: export DJANGO_DEBUG ?= true
test: install messages
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(COVERAGE_ARGS) --durations=10 $(PYTEST_ARGS)
	$(if $(filter 1,$(TEST_COVERAGE)),$(PYTHON) scripts/coverage-by-app)

# mypy loads the settings (django-stubs), which need a secret key or debug mode.
# The floor for branch coverage (fail_under in pyproject.toml), after `make test`.
coverage-check: install
	$(PYTHON) scripts/coverage-by-app --check

lint: export DJANGO_DEBUG ?= true
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --no-header \
		--python $(PYTHON) --python-version 3.12 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --no-header \
		--python $(PYTHON) --python-version 3.12 -o requirements-dev.lock

# Threaded workers: in two full runs of the national benchmark (docs/performance.md)
# two gthread workers of four threads served 1.0-1.5 times what two sync workers did.
serve: export WEB_CONCURRENCY ?= 2
serve: export WEB_WORKER_CLASS ?= gthread
serve: export WEB_THREADS ?= 4
# With two database roles the owner migrates: DATABASE_OWNER_URL (docs/deployment.md).
serve: install messages
	DJANGO_DEBUG=false $(MANAGE) check --deploy
	DJANGO_DEBUG=false $(MANAGE) collectstatic --no-input
	$(if $(DATABASE_OWNER_URL),DATABASE_URL="$$DATABASE_OWNER_URL") DJANGO_DEBUG=false \
		$(MANAGE) migrate --no-input
	DJANGO_DEBUG=false $(BIN)/gunicorn config.wsgi --bind $${BIND:-127.0.0.1:8000} \
		--logger-class core.logging.RedactingGunicornLogger \
		--workers $$WEB_CONCURRENCY --worker-class $$WEB_WORKER_CLASS \
		--threads $$WEB_THREADS --access-logfile -

worker: install messages
	$(MANAGE) db_worker

clean:
	rm -rf $(VENV) staticfiles

# Figures, not tests: see bench/ and docs/performance.md. `make bench` seeds the
# national dataset into PostgreSQL (once), then measures every main page under
# gunicorn with wrk; BENCH_SECONDS=2 BENCH_ROUNDS=5 make bench is a quick run.
AS_ROOT = $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
bench: install messages
	@command -v wrk >/dev/null || $(AS_ROOT) sh -c \
		'apt-get install -y wrk || (apt-get update && apt-get install -y wrk)'
	$(PYTHON) bench/national.py $(BENCH_ARGS)

# The main query of each list page, with EXPLAIN (ANALYZE, BUFFERS).
bench-explain: install messages
	$(PYTHON) bench/explain.py

# Where each page's time goes, in-process on the small dataset (seeded into
# PostgreSQL once, as for `make bench`): the median and the shares of SQL, ORM
# Python, templates and the rest; BENCH_ARGS="--top 5" adds each page's five
# functions with the most own time.
bench-profile: install messages
	$(PYTHON) bench/profile_pages.py $(BENCH_ARGS)

# Micro-benchmarks of single pages, the identifier guard, Word import and member
# import, on SQLite.
bench-micro: install
	$(PYTHON) bench/value_base_page.py
	$(PYTHON) bench/guard.py
	$(PYTHON) bench/insights_page.py
	$(PYTHON) bench/word_import.py
	$(PYTHON) bench/member_import.py
