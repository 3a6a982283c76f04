"""End to end: the autograder on a synthetic class with correct, blank, wrong, hostile and
broken submissions, each with the score and status a fair grader must give."""

import csv
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest

from grader import sandbox
from grader.autograde import autograde
from grader.sample_class import make_class
from grader.sandbox import Limits

LIMITS = Limits(cell_timeout=3, probe_timeout=3)


@contextmanager
def every_core_busy():
    """Busy loops on every core, started and ended here: a loaded machine, as a new user's may be."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The demo class, graded with the demo's limits while busy loops keep every core loaded."""
    root = tmp_path_factory.mktemp("class")
    expected = make_class(root / "submitted")
    with every_core_busy():
        outcomes = autograde(
            root / "submitted", root / "out", jobs=2, limits=LIMITS, progress=False, log=lambda *_: None
        )
    return root, expected, {(o.submission.student_id, o.submission.assignment_id): o for o in outcomes}


def test_the_sandbox_is_bubblewrap():
    assert sandbox.isolation() == "bubblewrap", "the Makefile installs Debian's bubblewrap; see grader/sandbox.py"


def test_every_submission_gets_exactly_one_row(graded_class):
    root, expected, outcomes = graded_class
    assert len(expected) >= 50 and len({e.student_id for e in expected}) >= 30
    assert set(outcomes) == {(e.student_id, e.assignment_id) for e in expected}
    with open(root / "out" / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(expected)
    assert list(rows[0]) == ["student_id", "assignment_id", "score", "max_score", "status", "message",
                             "submitted_at", "late_by", "raw_score", "penalty"]


def test_each_submission_gets_the_fair_score_and_status(graded_class):
    _, expected, outcomes = graded_class
    wrong = []
    for e in expected:
        o = outcomes[e.student_id, e.assignment_id]
        if (o.score, o.status) != (e.score, e.status):
            wrong.append(
                f"{e.student_id} ({e.kind}): got {o.score} {o.status!r} [{o.message}], expected {e.score} {e.status!r}"
            )
    assert not wrong, "\n".join(wrong)


def test_mistakes_are_named_in_the_test_messages(graded_class):
    root, _, _ = graded_class
    with open(root / "out" / "tests.csv", newline="", encoding="utf-8") as handle:
        messages = [row["message"] for row in csv.DictReader(handle) if row["student_id"].startswith("mistake-")]
    named = [m for m in messages if " -- " in m]
    assert len(named) >= 5, messages


def test_feedback_exists_and_never_shows_hidden_tests(graded_class):
    root, expected, _ = graded_class
    pages = list((root / "out" / "feedback").rglob("*.html"))
    assert len(pages) == len(expected)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "check_hidden" not in text and "HIDDEN TESTS" not in text and "grader.hidden" not in text


def test_gradebook_holds_the_scores(graded_class):
    from nbgrader.api import Gradebook

    root, _, outcomes = graded_class
    with Gradebook(f"sqlite:///{root / 'out' / 'course' / 'gradebook.db'}") as gradebook:
        correct = gradebook.find_submission("05_adam", "correct-05")
        assert correct.score == outcomes["correct-05", "05_adam"].score > 0
        assert gradebook.find_submission("05_adam", "blank-05").score == 0


def test_regrading_is_idempotent_and_a_failing_regrade_resets_scores(tmp_path):
    from nbgrader.api import Gradebook

    make_class(tmp_path / "all", ["05_adam"])
    submitted = tmp_path / "submitted"
    shutil.copytree(tmp_path / "all" / "correct-05", submitted / "student")
    first = autograde(
        submitted, tmp_path / "out", jobs=1, limits=LIMITS, slugs=["05_adam"], progress=False, log=lambda *_: None
    )
    grades_first = (tmp_path / "out" / "grades.csv").read_text()
    autograde(
        submitted, tmp_path / "out", jobs=1, limits=LIMITS, slugs=["05_adam"], progress=False, log=lambda *_: None
    )
    assert (tmp_path / "out" / "grades.csv").read_text() == grades_first
    assert first[0].score == first[0].max_score > 0
    (submitted / "student" / "05_adam" / "05_adam.ipynb").write_text("{broken")
    again = autograde(
        submitted, tmp_path / "out", jobs=1, limits=LIMITS, slugs=["05_adam"], progress=False, log=lambda *_: None
    )
    assert again[0].score == 0 and again[0].status == "invalid notebook"
    with Gradebook(f"sqlite:///{tmp_path / 'out' / 'course' / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission("05_adam", "student").score == 0


def test_the_sandbox_hides_course_files_and_the_network():
    probe_code = (
        "import os, socket, importlib.util\n"
        f"print('checkout visible:', os.path.exists({str(sandbox.ROOT)!r}))\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError as e:\n    print('network:', type(e).__name__)\n"
        "for name in ('solutions', 'grader', 'nbgrader', 'pytest', 'torch', 'jupyterlab', 'numpy', 'matplotlib',\n"
        "             'IPython', 'ipywidgets', 'tqdm', 'coursekit'):\n"
        "    print(name, 'importable:', importlib.util.find_spec(name) is not None)\n"
    )
    result = sandbox.run_submission([(0, probe_code)], [], limits=LIMITS)
    output = result.cells[0]["output"]
    assert "checkout visible: False" in output and "network: " in output, output
    for hidden in ("solutions", "grader", "nbgrader", "pytest", "torch", "jupyterlab"):
        assert f"{hidden} importable: False" in output, output
    for allowed in ("numpy", "matplotlib", "IPython", "ipywidgets", "tqdm", "coursekit"):
        assert f"{allowed} importable: True" in output, output


def test_feedback_escapes_what_the_student_wrote():
    from grader.autograde import Outcome, Submission
    from grader.feedback import render

    outcome = Outcome(Submission("<b>eve</b>", "05_adam", None), message="<img src=x onerror=alert(1)>")
    outcome.cells = [
        ({"type": "markdown", "source": "# notes <script>alert(1)</script>", "metadata": {}}, None),
        ({"type": "code", "source": "print('</pre><script>x</script>')", "metadata": {}},
         {"output": "<i>", "error": None}),
    ]
    page = render(outcome)
    assert "<script>" not in page and "<img" not in page and "<b>eve" not in page and "<i>" not in page
