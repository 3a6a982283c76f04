"""The student package (`make student`, grader/student_package.py) and the course outside a clone.

- The wheel holds `coursekit` alone: its modules, the visible checks and the digits with their
  provenance; nothing of solutions/, grader/ or the hidden check cases. Its METADATA declares lower
  bounds only and the Pythons tested here. The bundle holds the ten student notebooks, the student
  README and the wheel.
- Every student notebook opens with the Colab and Binder links and the install cell that release
  writes from student/pyproject.toml; the cell does nothing where coursekit imports.
- The wheel is installed into a fresh virtual environment of every CPython 3.10 to 3.13 found on this
  machine (those not found are named, loudly; the running one is always there), each by another of
  the ways a student gets it: the README's `pip install`, the notebooks' install cell in a bare
  environment (from the wheel's URL; from PyPI's name when the URL fails), Binder's requirements.txt
  and postBuild. The oldest Python gets exactly the lower bounds of the dependencies. In each, every
  student notebook's set-up cells run (the code cells before its first answer cell; in the capstone,
  before its first experiment), then the visible checks of the reference answers, with the given
  cells they use (experiments left out): the `solutions` package is copied beside that run only
  (PYTHONPATH, COURSE_EARLIER=solutions), never into the wheel or the environment.
"""

import ast
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from grader import casebook, course, release, student_package

MINORS = ("3.10", "3.11", "3.12", "3.13")  # the CPythons the wheel supports (requires-python)
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
# How each Python gets coursekit: the install cell of the notebooks in a bare environment, as on Colab
# (the running Python, always there); then, for the others in turn, the README's pip command, Binder's
# binder/ folder, and the install cell when the wheel's URL fails, so that it uses the package's name
# (found here with --find-links, as pip would find it on PyPI).
OTHER_ROUTES = ("pip", "binder", "install cell, PyPI name")
PROJECT = tomllib.loads((student_package.STUDENT / "pyproject.toml").read_text())["project"]
DEPENDENCIES = [Requirement(text) for text in PROJECT["dependencies"]]
STEP_SECONDS = 900


# ----------------------------------------------------------------------------- the Pythons found


def _version_of(executable):
    try:
        run = subprocess.run([str(executable), "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def find_interpreters():
    """{minor: (executable, full version)} of the CPythons MINORS found: the running one, pyenv's
    (~/.pyenv/versions/3.X.*, newest patch first), then python3.X on PATH."""
    found = {RUNNING: (sys.executable, platform.python_version())} if RUNNING in MINORS else {}
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for minor in MINORS:
        candidates = sorted(pyenv.glob(f"{minor}.*/bin/python{minor}"), key=lambda p: Version(p.parts[-3]),
                            reverse=True) if pyenv.is_dir() else []
        candidates += [Path(path) for path in [shutil.which(f"python{minor}")] if path]
        for candidate in candidates:
            if minor in found:
                break
            version = _version_of(candidate)
            if version and version.rsplit(".", 1)[0] == minor:
                found[minor] = (str(candidate), version)
    return dict(sorted(found.items(), key=lambda item: Version(item[0])))


INTERPRETERS = find_interpreters()
MISSING = [minor for minor in MINORS if minor not in INTERPRETERS]
_others = iter(OTHER_ROUTES)
ROUTES = {minor: "install cell" if minor == RUNNING else next(_others, "pip") for minor in INTERPRETERS}


def test_every_python_from_3_10_to_3_13_is_tested_or_named():
    for minor, (executable, version) in INTERPRETERS.items():
        print(f"student package: Python {version} ({executable}) is tested: {ROUTES[minor]}")
    if MISSING:
        message = (f"student package: Python {', '.join(MISSING)} NOT FOUND on this machine, NOT TESTED "
                   f"(looked for ~/.pyenv/versions/3.X.* and python3.X on PATH)")
        print(message)
        warnings.warn(message, stacklevel=1)
    assert RUNNING in INTERPRETERS, f"the running Python {RUNNING} is always tested; the wheel supports {MINORS}"


# ----------------------------------------------------------------------------- the wheel and the bundle


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, bundle), built once for this file in a folder of its own."""
    start = time.perf_counter()
    wheel, bundle = student_package.build(tmp_path_factory.mktemp("student"))
    print(f"built {wheel.name} ({wheel.stat().st_size:,} bytes) and {bundle.name} in "
          f"{time.perf_counter() - start:.1f} s")
    return wheel, bundle


def test_the_wheel_holds_coursekit_its_visible_checks_and_the_digits_and_nothing_else(built):
    wheel, _ = built
    assert wheel.name == student_package.wheel_name()
    dist_info = f"{wheel.name.split('-py3')[0]}.dist-info"
    expected = {f"coursekit/{path.name}" for path in (course.ROOT / "coursekit").glob("*.py")}
    expected |= {"coursekit/data/visible_checks.json", "coursekit/datasets/digits.csv.gz",
                 "coursekit/datasets/README.md"}
    expected |= {f"{dist_info}/{name}" for name in ("METADATA", "WHEEL", "top_level.txt", "RECORD")}
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert names == expected, f"extra: {sorted(names - expected)}; missing: {sorted(expected - names)}"
        for name in ("coursekit/data/visible_checks.json", "coursekit/datasets/digits.csv.gz"):
            origin = course.ROOT / ("coursekit/data" if name.endswith(".json") else "datasets") / Path(name).name
            assert archive.read(name) == origin.read_bytes(), f"{name} differs from the repository's copy"
        sources = {name: archive.read(name).decode() for name in names if name.endswith(".py")}
        assert archive.read(f"{dist_info}/top_level.txt").decode().split() == ["coursekit"]
    for name, source in sources.items():  # coursekit never imports grader; solutions only in earlier.load, lazily
        for node in ast.walk(ast.parse(source)):
            imported = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                        else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("grader", "solutions") for n in imported), (name, imported)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("solutions"):
                assert name == "coursekit/earlier.py", f"{name} names the solutions package"


def test_the_visible_checks_in_the_wheel_are_the_visible_cases_only(built):
    with zipfile.ZipFile(built[0]) as archive:
        checks = json.loads(archive.read("coursekit/data/visible_checks.json"))
    visible, hidden = {}, 0
    for lesson in casebook.lessons().values():
        for case in lesson.CASES:
            visible[case.function] = visible.get(case.function, 0) + case.visible
            hidden += not case.visible
    assert hidden > 0 and {name: len(entries) for name, entries in checks.items()} == {
        name: count for name, count in visible.items() if count
    }


def test_the_wheel_declares_lower_bounds_and_the_pythons_tested(built):
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    fields = [tuple(line.split(": ", 1)) for line in metadata.split("\n\n")[0].splitlines() if ": " in line]
    requires = [Requirement(value) for key, value in fields if key == "Requires-Dist"]
    assert sorted(r.name for r in requires) == ["ipywidgets", "matplotlib", "numpy", "tqdm"]
    for requirement in requires:
        (specifier,) = requirement.specifier
        assert specifier.operator == ">=", f"{requirement}: a lower bound only, so it fits what a student has"
    python = SpecifierSet(dict(fields)["Requires-Python"])
    assert [minor for minor in MINORS if f"{minor}.0" in python] == list(MINORS)
    assert "3.9.18" not in python and "3.14.0" not in python, f"requires-python {python} is what is tested"
    assert dict(fields)["Name"] == PROJECT["name"] and "Requires-Dist: solutions" not in metadata
    root = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["project"]
    assert dict(fields)["Version"] == root["version"], "the student package has the course's version"


def test_the_bundle_holds_the_notebooks_the_student_readme_and_the_wheel(built):
    wheel, bundle = built
    folder = student_package.BUNDLE_FOLDER
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        notebooks = sorted(course.NOTEBOOKS.glob("*.ipynb"))
        assert len(notebooks) == 10
        assert sorted(names) == sorted([f"{folder}/README.md", f"{folder}/{wheel.name}"]
                                       + [f"{folder}/{path.name}" for path in notebooks])
        for path in notebooks:
            assert archive.read(f"{folder}/{path.name}") == path.read_bytes()
        assert archive.read(f"{folder}/{wheel.name}") == wheel.read_bytes()
        readme = archive.read(f"{folder}/README.md").decode()
    assert f"pip install ./{wheel.name}" in readme, "the README names the wheel it ships"
    for words in ("conda", "Colab", "Binder", "nbgrader submit", "nbgrader fetch_assignment", "file name"):
        assert words in readme, words


def test_binder_installs_the_wheels_dependencies_and_builds_the_wheel():
    binder = course.ROOT / "binder"
    lines = [line.split("#")[0].strip() for line in (binder / "requirements.txt").read_text().splitlines()]
    wanted = {str(Requirement(line)) for line in lines if line and not line.startswith("setuptools")}
    assert wanted == {str(r) for r in DEPENDENCIES}, "binder/requirements.txt: the wheel's dependencies"
    assert os.access(binder / "postBuild", os.X_OK)
    runtime = (binder / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime) and runtime.removeprefix("python-") in MINORS


def test_the_readme_tells_students_how_to_install_open_check_and_submit():
    readme = (course.ROOT / "README.md").read_text()
    section = readme.split("## For students\n", 1)[1].split("\n## ", 1)[0]
    for words in (f"pip install ./{student_package.wheel_name()}", "conda create", "Colab", "Binder", "jupyter lab",
                  "Check your work", "nbgrader fetch_assignment 05_adam", "nbgrader submit 05_adam", "LMS",
                  "`NN_slug.ipynb`", "make student"):
        assert words in section, words


# ----------------------------------------------------------------------------- the notebooks' first cells


def test_every_student_notebook_opens_with_the_links_and_the_install_cell():
    links = release.student_links()
    for path in sorted(course.NOTEBOOKS.glob("*.ipynb")):
        slug = path.stem
        notebook = nbformat.read(path, as_version=4)
        title = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
        assert f"[Open in Colab]({links.colab(slug)})" in title.source, slug
        assert f"[Open in Binder]({links.binder(slug)})" in title.source, slug
        first = next(cell for cell in notebook.cells if cell.cell_type == "code")
        assert first.id == release.INSTALL_CELL_ID and first.source == release.install_cell_source(links), slug
    assert links.colab("05_adam") == ("https://colab.research.google.com/github/" + links.github
                                      + f"/blob/{links.branch}/notebooks/05_adam.ipynb")
    assert links.binder("05_adam").endswith(f"/{links.branch}?labpath=notebooks%2F05_adam.ipynb")
    assert links.install_sources[0].endswith(student_package.wheel_name())
    assert links.install_sources[1] == f"{PROJECT['name']}=={PROJECT['version']}"


def test_the_install_cell_does_nothing_where_coursekit_imports(monkeypatch):
    """A local student, the grader's sandbox: coursekit imports, so pip is never run."""

    def no_pip(*args, **kwargs):
        raise AssertionError(f"the install cell ran {args}")

    monkeypatch.setattr(subprocess, "run", no_pip)
    notebook = nbformat.read(course.NOTEBOOKS / "05_adam.ipynb", as_version=4)
    namespace = {}
    exec(next(cell for cell in notebook.cells if cell.cell_type == "code").source, namespace)
    assert namespace["coursekit"].__file__.startswith(str(course.ROOT))


def test_release_takes_another_repository_and_wheel_url():
    links = release.student_links("https://github.com/someone/their-course/", "file:///tmp/x.whl")
    assert links.colab("01_x").startswith("https://colab.research.google.com/github/someone/their-course/blob/")
    assert links.install_sources[0] == "file:///tmp/x.whl"
    with pytest.raises(ValueError, match="github.com/OWNER/REPO"):
        release.student_links("https://gitlab.com/someone/their-course")


# ----------------------------------------------------------------------------- every Python found

DRIVER = r'''
"""Run in a fresh environment: each notebook's set-up cells, then the visible checks of the reference."""
import contextlib, importlib, importlib.util, io, json, sys, traceback

job = json.load(open(sys.argv[1]))
report = {"missing_before": importlib.util.find_spec("coursekit") is None, "notebooks": {}}
for notebook in job["notebooks"]:
    namespace, entry, output = {"__name__": "__main__"}, {"set_up": 0, "checks": [], "error": None}, io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            for source in notebook["set_up"]:
                exec(compile(source, notebook["slug"] + " set-up cell", "exec"), namespace)
                entry["set_up"] += 1
            if notebook["module"]:  # the reference answers, where the answer cells are
                module = importlib.import_module(notebook["module"])
                namespace.update({name: value for name, value in vars(module).items()
                                  if callable(value) and getattr(value, "__module__", None) == module.__name__})
            for grade_id, source in notebook["checks"]:  # given cells (grade_id None) and visible checks
                exec(compile(source, grade_id or notebook["slug"] + " given cell", "exec"), namespace)
                if grade_id:
                    entry["checks"].append(grade_id)
    except BaseException:
        entry["error"] = traceback.format_exc()[-3000:]
    entry["output"] = output.getvalue()[-20000:]
    report["notebooks"][notebook["slug"]] = entry
import coursekit, coursekit.data, ipywidgets, matplotlib, numpy, tqdm
report["coursekit"] = coursekit.__file__
report["data_dir"] = str(coursekit.data.DATA_DIR)
report["python"] = "%d.%d.%d" % sys.version_info[:3]
report["versions"] = {m.__name__: m.__version__ for m in (numpy, matplotlib, ipywidgets, tqdm)}
print("REPORT " + json.dumps(report))
'''


def is_answer(cell):
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def is_experiment(cell):
    return "experiment" in cell.metadata.get("tags", [])


def set_up_cells(notebook):
    """The code cells before the first answer cell (in the capstone, which has none: before its first
    experiment, the long training runs)."""
    end = (is_answer if any(map(is_answer, notebook.cells)) else is_experiment)
    cells = []
    for cell in notebook.cells:
        if end(cell):
            break
        if cell.cell_type == "code":
            cells.append(cell.source)
    return cells


def visible_check_cells(notebook, functions):
    """[(grade id or None, source)] after the set-up: the visible test cells of the reference functions
    (grade id test_<function>) and the given cells they may use (code that is neither an answer, a test
    nor an experiment, as the grader runs it), in the notebook's order."""
    checks, started = [], False
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        started = started or is_answer(cell)
        if not started or cell.cell_type != "code" or is_answer(cell) or is_experiment(cell):
            continue
        if not grading.get("grade"):
            checks.append((None, cell.source))
        elif grading.get("grade_id") in {f"test_{name}" for name in functions}:
            checks.append((grading["grade_id"], cell.source))
    return checks


def reference_functions(slug):
    import importlib
    import inspect

    try:
        module = importlib.import_module(f"solutions.{slug[3:]}")
    except ModuleNotFoundError:
        return None, []
    return module.__name__, [name for name, f in inspect.getmembers(module, inspect.isfunction)
                             if f.__module__ == module.__name__]


def job_for(install_cell):
    """The driver's job: every student notebook, its install cell replaced by `install_cell` (if given)."""
    notebooks = []
    for path in sorted(course.NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cells = set_up_cells(notebook)
        assert cells and cells[0] == release.install_cell_source(release.student_links()), path.name
        if install_cell:
            cells[0] = install_cell
        module, functions = reference_functions(path.stem)
        notebooks.append({"slug": path.stem, "set_up": cells, "module": module,
                          "checks": visible_check_cells(notebook, functions)})
    return {"notebooks": notebooks}


def clean_env(**extra):
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "COURSE_DATA_DIR", "COURSE_NOTEBOOKS")}
    return {**env, "PYTHONNOUSERSITE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1", **extra}


def run(command, log, **kwargs):
    start = time.perf_counter()
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=STEP_SECONDS,
                          **kwargs)
    log.append(f"$ {' '.join(map(str, command))}  ({time.perf_counter() - start:.1f} s, exit {done.returncode})")
    if done.returncode != 0:
        raise AssertionError("\n".join(log) + f"\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def try_in_a_fresh_environment(minor, executable, wheel, work, floors):
    """Make a virtual environment of `executable`, give it coursekit by ROUTES[minor], run the driver.
    Returns (report, log, seconds)."""
    start, log = time.perf_counter(), []
    work.mkdir(parents=True)
    venv = work / "venv"
    python = venv / "bin" / "python"
    run([executable, "-m", "venv", venv], log, env=clean_env())
    pip = [python, "-m", "pip", "install", "--quiet"]
    if floors:  # the dependencies' lower bounds exactly: the wheel must not ask for more
        run([*pip, *[str(r).replace(">=", "==") for r in DEPENDENCIES]], log, env=clean_env())
    route, env, install_cell = ROUTES[minor], clean_env(), None
    if route == "pip":
        run([*pip, wheel], log, env=env)
    elif route == "binder":
        run([*pip, "-r", course.ROOT / "binder" / "requirements.txt"], log, env=env)
        run(["bash", course.ROOT / "binder" / "postBuild"], log, env={**env, "KERNEL_PYTHON_PREFIX": str(venv)},
            cwd=course.ROOT)
    else:  # the notebooks' install cell, pointed at the wheel built here
        by_name = route.endswith("PyPI name")
        url = (wheel.parent / "nowhere" / wheel.name).as_uri() if by_name else wheel.as_uri()
        links = release.student_links(wheel_url=url)
        install_cell = release.install_cell_source(links)
        if by_name:  # the URL fails; the name is found beside the wheel, as it would be on PyPI
            env = clean_env(PIP_FIND_LINKS=str(wheel.parent))
    references = work / "references"  # the reference answers, for this run only
    shutil.copytree(course.ROOT / "solutions", references / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "job.json").write_text(json.dumps(job_for(install_cell)))
    (work / "driver.py").write_text(DRIVER)
    notebooks = work / "notebooks"  # the working folder: no coursekit/ or solutions/ beside it
    notebooks.mkdir()
    done = run([python, work / "driver.py", work / "job.json"], log, cwd=notebooks,
               env={**env, "PYTHONPATH": str(references), "COURSE_EARLIER": "solutions"})
    report = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("REPORT "))[7:])
    return report, log, time.perf_counter() - start


@pytest.fixture(scope="module")
def fresh_environments(built, tmp_path_factory):
    """{minor: (report, log, seconds)} for every Python found, two at a time (two cores)."""
    wheel, _ = built
    root = tmp_path_factory.mktemp("environments")
    oldest = next(iter(INTERPRETERS))
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {minor: pool.submit(try_in_a_fresh_environment, minor, executable, wheel,
                                      root / minor, minor == oldest)
                   for minor, (executable, _) in INTERPRETERS.items()}
        results = {}
        for minor, future in futures.items():
            try:
                results[minor] = future.result()
            except AssertionError as error:
                results[minor] = error
    print(f"fresh environments of Python {', '.join(INTERPRETERS)}: {time.perf_counter() - start:.1f} s")
    return results


@pytest.mark.parametrize("minor", list(INTERPRETERS))
def test_set_up_cells_and_visible_checks_run_from_the_wheel(fresh_environments, minor):
    result = fresh_environments[minor]
    if isinstance(result, AssertionError):
        raise result
    report, log, seconds = result
    executable, version = INTERPRETERS[minor]
    print(f"Python {version} ({ROUTES[minor]}): {seconds:.1f} s, {report['versions']}\n  " + "\n  ".join(log))
    assert report["python"] == version
    site = Path(report["coursekit"]).resolve().parent.parent
    assert site.name == "site-packages" and "venv" in site.parts, f"coursekit from {report['coursekit']}"
    assert Path(report["data_dir"]) == Path(report["coursekit"]).parent / "datasets"
    assert report["missing_before"] == ROUTES[minor].startswith("install cell"), "a bare environment for the cell"
    if minor == next(iter(INTERPRETERS)):
        got = {name: Version(value) for name, value in report["versions"].items()}
        floors = {r.name: Version(next(iter(r.specifier)).version) for r in DEPENDENCIES}
        assert got == floors, f"the oldest Python runs on the lower bounds exactly: {got} != {floors}"
    problems, checked = [], 0
    for slug, entry in report["notebooks"].items():
        if entry["error"]:
            problems.append(f"{slug}: {entry['error']}")
            continue
        module, functions = reference_functions(slug)
        notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
        sources = {grade_id: source for grade_id, source in visible_check_cells(notebook, functions) if grade_id}
        assert entry["checks"] == list(sources), f"{slug}: the visible checks that ran"
        for grade_id in entry["checks"]:
            checked += 1
            says = sources[grade_id].startswith("check(")  # a check() cell prints a success line
            if says and f"✓ {grade_id.removeprefix('test_')}:" not in entry["output"]:
                problems.append(f"{slug}: {grade_id} printed no success line: {entry['output'][-500:]}")
        if functions and not entry["checks"]:
            problems.append(f"{slug}: no visible check ran")
    assert not problems, "\n".join(problems)
    print(f"{checked} visible checks of the reference answers passed")
    assert "images, per digit" in report["notebooks"]["10_capstone"]["output"], "the capstone loads the digits"
