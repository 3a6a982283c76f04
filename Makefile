# Two commands on a fresh machine with Python 3.11, 3.12 or 3.13 and make:
#   make demo   set up .venv (pinned) and run the main job
#   make test   set up .venv with the test extras and run the whole suite
# Supported CPython: PY_MIN <= version < PY_BELOW, the same range as requires-python in pyproject.toml
# (tests/test_python_versions.py checks that the two agree and that the pins resolve on each).
PY_MIN := 3.11.0
PY_BELOW := 3.14
PY_RANGE := >=$(PY_MIN),<$(PY_BELOW) (3.11, 3.12 or 3.13)
# Exit status 0 when the interpreter running it is in the range (also runs on Python 2).
PY_IN_RANGE := import sys; v = sys.version_info[:3]; t = lambda s: tuple(map(int, s.split("."))); \
  sys.exit(not (t("$(PY_MIN)") <= v < t("$(PY_BELOW)")))
# Without PYTHON=... (command line or environment): the first of python3.11, python3.12, python3.13
# on PATH that runs and is in the range; python3.11 if none is (check-python then says why).
# Worked out once, and only when a rule needs it.
ifeq ($(origin PYTHON),undefined)
PYTHON_AUTO := 1
PYTHON = $(eval PYTHON := $(or $(shell for p in python3.11 python3.12 python3.13; do \
  $$p -c '$(PY_IN_RANGE)' >/dev/null 2>&1 && { echo $$p; break; }; done),python3.11))$(PYTHON)
endif
VENV := .venv
BIN := $(VENV)/bin
# Small matrices everywhere: BLAS threads only contend on 2 cores (kernels inherit this).
export OPENBLAS_NUM_THREADS := 1
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: demo test sandbox-tool lint notebooks checks solutions compare execute benchmark lab clean constraints check-python

# Stops at once, saying which Python was found and which are needed, before a .venv is made from it.
# make check-python [PYTHON=...] runs it alone.
PY_HINT = make PYTHON=/path/to/python3.12 $(or $(firstword $(filter-out check-python,$(MAKECMDGOALS))),demo)
check-python:
	@info=$$($(PYTHON) -c 'import sys; print("%d.%d.%d %s" % (sys.version_info[:3] + (sys.executable,)))' 2>&1) || { \
	  echo "ERROR: no working Python interpreter '$(PYTHON)'$(if $(PYTHON_AUTO), (nor python3.12, python3.13) on PATH):" >&2; \
	  printf '%s\n' "$$info" | head -n 4 | sed 's/^/    /' >&2; \
	  echo "This course needs CPython $(PY_RANGE). Install one, or pick it with: $(PY_HINT)" >&2; exit 1; }; \
	  ver=$${info%% *}; path=$${info#* }; \
	  if ! $(PYTHON) -c '$(PY_IN_RANGE)' >/dev/null 2>&1; then \
	    echo "ERROR: $(PYTHON) is Python $$ver ($$path); this course needs CPython $(PY_RANGE)." >&2; \
	    echo "Pick a supported interpreter with: $(PY_HINT)" >&2; exit 1; fi; \
	  echo "Using $(PYTHON): Python $$ver ($$path)$(if $(PYTHON_AUTO),$(if $(filter-out python3.11,$(PYTHON)), - python3.11 not found or not usable))"

$(BIN)/python: | check-python
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

# The student package, for students without a clone, Colab and Binder (grader/student_package.py):
# build/student/optimization_in_neural_networks_coursekit-<version>-py3-none-any.whl (coursekit, the visible
# checks and the digits; no solutions, grader or hidden cases) and build/student/optimization-in-neural-networks-
# student.zip (the student notebooks, student/README.md and the wheel).
.PHONY: student
student: $(VENV)/.installed
	$(BIN)/python -m grader.student_package

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

# The course as a website: build/book/index.html, the ten lessons as students get them (stubs, no
# answers) with the figures of a run of the reference answers; MathJax served by the site itself.
.PHONY: book
book: $(VENV)/.installed-test
	$(BIN)/python -m grader.book
