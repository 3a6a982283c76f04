"""Nothing a student's process can read reveals a graded function: a "scavenger" submission for
every lesson, whose graded functions look for their own source in every readable file of the
sandbox (and for compiled reference modules) and run what they find, scores 0 in every lesson —
graded from the editable install and from a fresh, non-editable `pip install .`. A control run
that mounts the reference solutions into the sandbox proves the scavenger finds them when they
are there."""

import csv
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

from grader import autograde as autograder
from grader import course, questions, sandbox, student_env
from grader.autograde import autograde, graded_functions
from grader.sandbox import Limits

LIMITS = Limits(cell_timeout=20, probe_timeout=5)
SLUGS = [slug for slug in course.lesson_slugs() if graded_functions(slug)]

# One cell: read every readable text or compiled Python file once, keep each graded function's source.
SCAVENGE = r'''
import importlib.util, marshal, os, re
WANTED = {wanted!r}
FOUND = {{}}
TEXT = (".py", ".json", ".ipynb", ".txt", ".md", ".pth", ".cfg", ".toml", ".yml", ".html", ".csv")
def _look(text):
    for name in WANTED:
        if name in FOUND:
            continue
        match = re.search(r"^def " + name + r"\(.*?(?=^\S|\Z)", text, re.S | re.M)
        if match and "_run_found" not in match.group(0):
            FOUND[name] = match.group(0)
def _look_compiled(path):
    try:
        code = marshal.loads(open(path, "rb").read()[16:])
    except Exception:
        return
    scope = {{"__name__": "found"}}
    try:
        exec(code, scope)
    except Exception:
        return
    for name in WANTED:
        if name not in FOUND and callable(scope.get(name)):
            FOUND[name] = scope[name]
for top in ("/job", "/home", "/tmp", "/sandbox", "/root", "/work", "/opt", "/srv", "/var", "/usr", "/etc", "/"):
    for folder, dirs, files in os.walk(top):
        if folder.startswith(("/proc", "/sys", "/dev")):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".pyc"):
                _look_compiled(path)
            elif name.endswith(TEXT) or "solution" in name:
                try:
                    with open(path, errors="ignore") as handle:
                        _look(handle.read(5_000_000))
                except OSError:
                    pass
        if len(FOUND) == len(WANTED):
            break
print("found:", sorted(FOUND))
def _run_found(name, args, kwargs):
    found = FOUND[name]
    if callable(found):
        return found(*args, **kwargs)
    scope = {{}}
    exec("import math\nimport numpy as np\n" + found, scope)
    return scope[name](*args, **kwargs)
'''


def _scavenger(slug):
    """The lesson's student notebook with a scavenging cell and every graded function replaced."""
    notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    functions = graded_functions(slug)
    first = None
    for index, cell in enumerate(notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in functions:
            cell.source = f"def {grade_id}(*args, **kwargs):\n    return _run_found({grade_id!r}, args, kwargs)\n"
            first = index if first is None else first
    notebook.cells.insert(first, nbformat.v4.new_code_cell(SCAVENGE.format(wanted=functions)))
    return notebook


def _write_class(root):
    for slug in SLUGS:
        path = root / f"scavenger-{slug[:2]}" / slug / f"{slug}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(_scavenger(slug), path)
    return root


def _scores(grades_csv):
    with open(grades_csv, newline="", encoding="utf-8") as handle:
        return {row["assignment_id"]: float(row["score"]) for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def scavengers(tmp_path_factory):
    return _write_class(tmp_path_factory.mktemp("scavengers") / "submitted")


def test_the_scavenger_finds_answers_that_are_mounted(scavengers, tmp_path, monkeypatch):
    """Control: with the reference solutions mounted, the same scavenger earns points."""
    leaked = student_env.Mount(course.ROOT / "solutions", "/sandbox/leaked/solutions")
    usual = student_env.mounts()
    monkeypatch.setattr(student_env, "mounts", lambda: [*usual, leaked])
    slug = "05_adam"
    outcomes = autograde(scavengers, tmp_path, jobs=2, limits=LIMITS, slugs=[slug], progress=False, log=lambda *_: 0)
    # every function's points; the questions' keys stay in the lesson sources, which no sandbox mounts
    asked = sum(points for grade_id, points in autograder.test_cells(slug) if questions.question_of(slug, grade_id))
    assert asked > 0 and outcomes[0].score == outcomes[0].max_score - asked > 0, outcomes[0].message


def test_the_scavenger_scores_nothing_from_the_editable_install(scavengers, tmp_path):
    assert sandbox.isolation() == "bubblewrap"
    outcomes = autograde(scavengers, tmp_path, jobs=2, limits=LIMITS, slugs=SLUGS, progress=False, log=lambda *_: 0)
    scores = {o.submission.assignment_id: o.score for o in outcomes}
    print("\nscavenger, editable install:", scores)
    assert set(scores) == set(SLUGS) and not any(scores.values()), scores


def _non_editable_venv(root):
    """A fresh virtual environment with the course installed by `pip install .` (not editable); its
    dependencies come from the project's environment through a .pth file, so no download is needed."""
    venv.EnvBuilder(with_pip=False).create(root)  # pip and setuptools come from the project's environment
    python = root / "bin" / "python"
    site_packages = Path(
        subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True)
        .strip()
    )
    ours = Path(next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_relative_to(sys.prefix)))
    (site_packages / "zz_project_dependencies.pth").write_text(f"{ours}\n")
    source = root / "source"  # a copy: pip builds in the source folder, and the checkout stays as it is
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(course.ROOT / name, source / name)
    for name in ("solutions", "coursekit", "grader"):
        shutil.copytree(course.ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", str(source)],
        check=True,
        cwd=root,
    )
    installed = subprocess.check_output(
        [python, "-c", "import solutions, grader; print(solutions.__file__)"], text=True, cwd=root
    )
    assert installed.startswith(str(site_packages)), installed
    return python


def test_the_scavenger_scores_nothing_from_a_non_editable_install(scavengers, tmp_path):
    python = _non_editable_venv(tmp_path / "venv")
    out = tmp_path / "out"
    done = subprocess.run(  # from the checkout, as an instructor runs it
        [python, "-m", "grader", "autograde", str(scavengers), "--out", str(out), "--jobs", "2",
         "--timeout", "20", "--lessons", *SLUGS],
        cwd=course.ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    scores = _scores(out / "grades.csv")
    print("\nscavenger, non-editable install:", scores)
    assert set(scores) == set(SLUGS) and not any(scores.values()), scores
