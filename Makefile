# Two commands on a fresh machine with Python 3.11 and make:
#   make demo   set up .venv (pinned) and run the main job
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Small matrices everywhere: BLAS threads only contend on 2 cores (kernels inherit this).
export OPENBLAS_NUM_THREADS := 1
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: demo test sandbox-tool lint notebooks checks solutions compare execute benchmark lab clean constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[test]'
	touch $@

# The grader's sandbox uses Debian's bubblewrap; without it, resource limits only (and it says so).
sandbox-tool:
	@command -v bwrap >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; } || \
	  echo "bubblewrap could not be installed: the grader will use resource limits only"

demo: $(VENV)/.installed sandbox-tool
	$(BIN)/python -m grader demo

compare: $(VENV)/.installed
	$(BIN)/python -m grader compare

test: $(VENV)/.installed-test sandbox-tool
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Regenerate everything that is generated (CI fails when the committed copies differ):
# lessons/ -> solutions/ -> the visible checks (expected outputs of the reference) -> notebooks/.
solutions: $(VENV)/.installed
	$(BIN)/python -m grader build-solutions

checks: $(VENV)/.installed solutions
	$(BIN)/python -m grader build-checks

notebooks: $(VENV)/.installed checks
	$(BIN)/python -m grader release

execute: $(VENV)/.installed
	$(BIN)/python -m grader execute

# The pins resolve together on this Python (asks the package index; installs nothing).
constraints: $(BIN)/python
	$(BIN)/pip install --dry-run --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test]'

benchmark: $(VENV)/.installed
	$(BIN)/python scripts/benchmark_grading.py --dask

# JupyterLab on the student notebooks. As root (containers, CI machines) it needs --allow-root;
# more options with LAB_ARGS, e.g. make lab LAB_ARGS=--no-browser
lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/

clean:
	rm -rf build grading-output artifacts
