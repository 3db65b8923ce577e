# The two set-up commands of the README: `make run` and `make test`.
# Both bootstrap .venv from nothing with a Python 3.11 or 3.12
# (durable_rules, used by the rules engine, does not import on 3.13).

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PYTHON ?= $(shell for c in python3.12 python3.11 python3; do \
	$$c -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))' 2>/dev/null \
	&& { command -v $$c; break; }; done)

.PHONY: run test lint typecheck unit fixtures bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "need Python 3.11 or 3.12 on PATH" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/reviewer serve --demo --host 127.0.0.1 --port $${PORT:-5000}

lint: $(STAMP)
	$(BIN)/ruff check reviewer web tests bench fixtures
	$(BIN)/ruff format --check reviewer web tests bench fixtures

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck unit

fixtures: $(STAMP)
	$(BIN)/python fixtures/make_binary_fixtures.py

bench: $(STAMP)
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
