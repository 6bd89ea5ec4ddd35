# The two commands: `make demo` serves the API with demo data; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The lock files are written by uv, pinned here and installed into the venv only by `make lock`.
UV_VERSION := 0.13.8
LOCK_OPTIONS := --generate-hashes --python-version 3.11 --universal --quiet \
	--custom-compile-command "make lock"
# Versions already locked are kept; `make lock LOCK_ARGS=--upgrade` takes the newest releases.
LOCK_ARGS ?=

.PHONY: demo test lint openapi bench fuzz lock clean

# Every dependency from the hashed lock file, then the project itself without dependencies.
$(STAMP): pyproject.toml requirements-test.lock
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is needed" && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/plased serve --demo

lint: $(STAMP)
	$(BIN)/ruff check src tests migrations bench
	$(BIN)/ruff format --check src tests migrations bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# A longer fuzzing of the served OpenAPI document than `make test` runs (tests/contract/test_fuzz.py):
# FUZZ_EXAMPLES valid and as many invalid requests per operation; on PostgreSQL with
# PLASED_TEST_DATABASE_URL set, as for `make test`.
FUZZ_EXAMPLES ?= 100
fuzz: $(STAMP)
	PLASED_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider tests/contract/test_fuzz.py

openapi: $(STAMP)
	$(BIN)/plased export-openapi

bench: $(STAMP)
	$(BIN)/python -m bench

# Run after changing a dependency in pyproject.toml (tests/core/test_lock.py fails until then),
# or with LOCK_ARGS=--upgrade to take newer releases: requirements.lock for the image,
# requirements-test.lock for development and CI.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTIONS) $(LOCK_ARGS) \
		--output-file requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_OPTIONS) $(LOCK_ARGS) \
		--output-file requirements-test.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache plased.db plased.db-wal plased.db-shm
