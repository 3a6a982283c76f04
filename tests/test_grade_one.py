"""Grading on submit: `python -m grader grade-one --json` (one notebook, one JSON document on stdout)
and the Gradescope autograder zip, whose run_autograder is run here in a simulated /autograder."""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader import autograde
from grader.sample_class import _solution_notebook

ROOT = Path(__file__).resolve().parents[1]
SLUG = "05_adam"
BROKEN = ("v_hat = new_v", "v_hat = 2 * new_v")  # adam_update's first moment, doubled
ADAM_UPDATE_POINTS = 1 + 3
FULL = sum(points for _, points in autograde.test_cells(SLUG))  # the lesson's points: functions and questions
# Before grades are returned a student sees the verdicts of the visible checks' twins only: not the
# hidden checks, nor the answers to the lesson's questions (test_predict_*).
VISIBLE = {"test_init_adam": True, "test_init_adam_hidden": False,
           "test_adam_update": True, "test_adam_update_hidden": False,
           **{grade_id: False for grade_id, _ in autograde.test_cells(SLUG) if grade_id.startswith("test_predict_")}}


def grade_one(notebook, *extra):
    """Run the CLI as a queue worker would; (exit code, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade-one", str(notebook), "--lesson", SLUG, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """{"correct": path, "wrong": path}: the reference solution, and a copy whose adam_update is broken."""
    folder = tmp_path_factory.mktemp("notebooks")
    correct = _solution_notebook(SLUG)
    nbformat.write(correct, folder / "correct.ipynb")
    cells = [c for c in correct.cells if BROKEN[0] in c.source and c.metadata.get("nbgrader", {}).get("solution")]
    assert len(cells) == 1, "the text to break is in exactly one solution cell"
    cells[0].source = cells[0].source.replace(*BROKEN)
    nbformat.write(correct, folder / "wrong.ipynb")
    return {"correct": folder / "correct.ipynb", "wrong": folder / "wrong.ipynb"}


@pytest.fixture(scope="module")
def documents(notebooks):
    """grade-one's parsed JSON document of each notebook (stdout must be that document and nothing else)."""
    result = {}
    for kind, path in notebooks.items():
        code, stdout, stderr = grade_one(path, "--json")
        assert code == 0, stderr
        result[kind] = json.loads(stdout)
    print("\nsample `grade-one --json` output (the wrong notebook):\n" + json.dumps(result["wrong"], indent=1))
    return result


def by_id(document):
    return {test["grade_id"]: test for test in document["tests"]}


# ----------------------------------------------------------------------------- grade-one


def test_grade_one_gives_full_marks_to_the_solution(documents):
    document = documents["correct"]
    assert (document["lesson"], document["score"], document["max_score"]) == (SLUG, FULL, FULL)
    assert document["status"] == "graded"
    assert {t["grade_id"]: t["visible"] for t in document["tests"]} == VISIBLE
    for test in document["tests"]:
        assert test["score"] == test["max_score"] > 0 and test["message"] == "passed"
        assert test["function"] == test["grade_id"].removeprefix("test_").removesuffix("_hidden")
        assert test["manual"] is False


def test_grade_one_takes_adam_updates_points_from_the_wrong_notebook(documents):
    document = documents["wrong"]
    assert (document["score"], document["max_score"]) == (FULL - ADAM_UPDATE_POINTS, FULL)
    assert document["status"] == "graded"
    tests = by_id(document)
    assert {grade_id: test["visible"] for grade_id, test in tests.items()} == VISIBLE
    for grade_id in ("test_adam_update", "test_adam_update_hidden"):
        test = tests[grade_id]
        assert test["score"] == 0 and test["function"] == "adam_update"
        assert "adam_update" in test["message"] and "expected" in test["message"]  # in words, with the numbers
    for grade_id in ("test_init_adam", "test_init_adam_hidden"):
        assert tests[grade_id]["score"] == tests[grade_id]["max_score"]


def test_grade_one_grades_a_missing_notebook_and_refuses_an_unknown_lesson(tmp_path):
    code, stdout, _ = grade_one(tmp_path / "absent.ipynb", "--json")
    document = json.loads(stdout)
    assert code == 0 and document["status"] == "missing" and document["score"] == 0
    assert all(test["message"].startswith("not graded") for test in document["tests"])
    done = subprocess.run([sys.executable, "-m", "grader", "grade-one", str(tmp_path / "absent.ipynb"),
                           "--lesson", "99_nothing", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == "" and "unknown lesson" in done.stderr


# ----------------------------------------------------------------------------- Gradescope


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "grader", "gradescope", SLUG, "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def unpack_with_modes(archive_path, dest):
    """Unzip as Gradescope does, keeping the Unix modes (zipfile's extract drops them)."""
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            path = Path(archive.extract(info, dest))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)


def run_on_gradescope(autograder_zip, notebook, root, name):
    """Lay out a simulated /autograder under root (the notebook at submission/<name>), run run_autograder
    there, return results.json."""
    unpack_with_modes(autograder_zip, root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")  # where Gradescope copies it
    (root / "results").mkdir()
    (root / "submission" / name).parent.mkdir(parents=True)
    shutil.copy(notebook, root / "submission" / name)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "COURSE_PYTHON": sys.executable}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_gradescope_zip_holds_the_scripts_and_the_course_without_build_outputs(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        setup = archive.read("setup.sh").decode()
    names = set(infos)
    for script in ("setup.sh", "run_autograder"):  # at the root of the archive, executable
        assert (infos[script].external_attr >> 16) & stat.S_IXUSR
    assert "bubblewrap" in setup and "requirements/constraints.txt" in setup and "-c " in setup
    needed = {"pyproject.toml", "README.md", "requirements/constraints.txt", "grader/autograde.py",
              "grader/gradescope.py", "coursekit/data/visible_checks.json", "solutions/adam.py",
              f"lessons/{SLUG}.py", "datasets/digits.csv.gz"}
    assert needed <= names
    for name in names:
        parts = name.split("/")
        assert not {".venv", "__pycache__", "build", "dist", "notebooks", "grading-output"} & set(parts), name
        assert not name.endswith((".pyc", ".pyo")) and ".egg-info" not in name, name


@pytest.mark.parametrize(
    "kind, name, score",
    [("correct", f"{SLUG}.ipynb", FULL),
     ("wrong", "homework/kim adam.ipynb", FULL - ADAM_UPDATE_POINTS)],  # the only .ipynb
)
def test_run_autograder_writes_gradescopes_results(autograder_zip, notebooks, tmp_path, kind, name, score):
    results = run_on_gradescope(autograder_zip, notebooks[kind], tmp_path, name)
    assert results["score"] == score
    assert f"{score} of {FULL} points" in results["output"]
    tests = {test["name"]: test for test in results["tests"]}
    assert set(tests) == set(VISIBLE)
    for name, visible in VISIBLE.items():
        assert tests[name]["visibility"] == ("visible" if visible else "after_published")
        assert set(tests[name]) == {"name", "score", "max_score", "output", "visibility"}
    assert sum(test["max_score"] for test in tests.values()) == FULL
    assert sum(test["score"] for test in tests.values()) == score
    adam = tests["test_adam_update"]
    assert (adam["score"] == adam["max_score"]) == (kind == "correct")
    assert adam["output"] == "passed" or "adam_update" in adam["output"]


def test_run_autograder_says_when_no_notebook_was_submitted(autograder_zip, tmp_path):
    unpack_with_modes(autograder_zip, tmp_path / "source")
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("no notebook here")
    env = {**os.environ, "AUTOGRADER_ROOT": str(tmp_path), "COURSE_PYTHON": sys.executable}
    done = subprocess.run([str(tmp_path / "source" / "run_autograder")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0 and results["output"].startswith(f"No notebook was found in your submission: "
                                                                  f"upload {SLUG}.ipynb.")
    assert len(results["tests"]) == len(VISIBLE)
