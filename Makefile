# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint fuzz audit clean

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

# The production deploy check (`check --deploy`) runs in pytest: tests/cli/test_cli.py.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy peerwork
	$(BIN)/lint-imports
	$(BIN)/bandit -q -r peerwork -c pyproject.toml --severity-level medium
	$(BIN)/python -m peerwork.manage makemigrations --check --dry-run
	$(BIN)/python -m tests.interop.mwsuite.runner --prepare
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy peerwork
	$(BIN)/lint-imports
	$(BIN)/bandit -q -r peerwork -c pyproject.toml --severity-level medium

# Fuzz the REST API against its own OpenAPI document with fresh random examples
# (the suite replays a fixed set); add DATABASE_URL=... to fuzz on PostgreSQL.
fuzz: $(VENV)/.installed-dev
	PEERWORK_FUZZ_EXAMPLES=$${PEERWORK_FUZZ_EXAMPLES:-300} $(BIN)/python -m pytest -q \
		tests/api/test_schemathesis.py $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies. pip-audit asks PyPI's advisory data, so
# it needs the network and is no part of `make test`; it is installed on first use.
audit: $(VENV)/.installed-dev
	@$(BIN)/python -m pip show pip-audit >/dev/null 2>&1 || { \
		echo "make audit: installing pip-audit into $(VENV) (first use; needs the network)"; \
		$(BIN)/python -m pip install --quiet 'pip-audit>=2.7,<3'; }
	$(BIN)/pip-audit --skip-editable $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) var
