# Two commands on a fresh machine with Python 3.11 and make:
#   make demo   set up .venv (pinned) and run the main job
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: demo test lint notebooks checks compare execute benchmark lab clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python -m grader demo

compare: $(VENV)/.installed
	$(BIN)/python -m grader compare

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Regenerate everything that is generated (CI fails when the committed copies differ).
checks: $(VENV)/.installed
	$(BIN)/python -m grader build-checks

notebooks: $(VENV)/.installed checks
	$(BIN)/python -m grader release

execute: $(VENV)/.installed
	$(BIN)/python -m grader execute

benchmark: $(VENV)/.installed
	$(BIN)/python scripts/benchmark_grading.py

lab: $(VENV)/.installed
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf build grading-output artifacts
