# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/peerwork demo

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy peerwork
	$(BIN)/lint-imports
	$(BIN)/python -m peerwork.manage makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy peerwork
	$(BIN)/lint-imports

# Fuzz the REST API against its own OpenAPI document with fresh random examples
# (the suite replays a fixed set); add DATABASE_URL=... to fuzz on PostgreSQL.
fuzz: $(VENV)/.installed-dev
	PEERWORK_FUZZ_EXAMPLES=$${PEERWORK_FUZZ_EXAMPLES:-300} $(BIN)/python -m pytest -q \
		tests/api/test_schemathesis.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
