"""A synthetic class for the demo, the end-to-end tests and the benchmark.

Every submission comes with what a fair grader must give it: the expected score (from the
lesson's points) and the expected status. Kinds: correct, blank, classic mistakes (one
function wrong), hostile code next to correct solutions, and broken files.
"""

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursekit import grade_ids
from grader import course
from grader.autograde import graded_functions, test_cells


@dataclass
class Expected:
    student_id: str
    assignment_id: str
    kind: str
    score: float
    status: str = "graded"


# One classic mistake per lesson, as a text change of the reference solution:
# (lesson, function whose tests must fail, text in the solution, replacement, label).
# (lesson, answer cell, key as written, the wrong answer, what the wrong reasoning is)
MISCONCEPTIONS = [
    ("02_exponentially_weighted_averages", "predict_ewa_start", "v2 = 7.5", "v2 = 5.0", "v_2 read after one step"),
]

MISTAKES = [
    (
        "01_mini_batch_gradient_descent",
        "random_mini_batches",
        "for start in range(0, m, mini_batch_size)",
        "for start in range(0, m - mini_batch_size + 1, mini_batch_size)",
        "last partial mini-batch dropped",
    ),
    (
        "02_exponentially_weighted_averages",
        "ewa_bias_corrected",
        "return v / (1 - beta**t)",
        "return v",
        "no bias correction",
    ),
    (
        "03_momentum",
        "momentum_update",
        "beta * v[key] + (1 - beta) * grads[key]",
        "(1 - beta) * grads[key]",
        "momentum history ignored",
    ),
    (
        "04_rmsprop",
        "rmsprop_update",
        'np.sqrt(new_s["d" + key]) + epsilon',
        'np.sqrt(new_s["d" + key] + epsilon)',
        "epsilon inside the square root",
    ),
    (
        "05_adam",
        "adam_update",
        'v_hat = new_v["d" + key] / (1 - beta1**t)\n        s_hat = new_s["d" + key] / (1 - beta2**t)',
        'v_hat = new_v["d" + key]\n        s_hat = new_s["d" + key]',
        "Adam without bias correction",
    ),
    (
        "06_learning_rate_decay",
        "step_decay",
        "drop ** np.floor(epoch_num / epochs_per_drop)",
        "drop ** (epoch_num / epochs_per_drop)",
        "smooth instead of a staircase",
    ),
    (
        "07_hyperparameter_tuning",
        "sample_log_uniform",
        "10 ** rng.uniform(np.log10(low), np.log10(high), size)",
        "rng.uniform(low, high, size)",
        "uniform instead of log-uniform",
    ),
    (
        "08_batch_normalization",
        "batchnorm_forward",
        "var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)",
        "var = Z.var(axis=1, ddof=1, keepdims=True)",
        "unbiased variance",
    ),
    (
        "09_softmax_regression",
        "softmax_cross_entropy",
        "return float(-(Y * log_softmax).sum() / Z.shape[1])",
        "return float(-(Y * log_softmax).sum())",
        "cost summed instead of averaged",
    ),
]

# Hostile code put in a cell of its own after the (correct) solutions of lesson 05.
HOSTILE = {
    "infinite_loop": "while True:\n    pass",
    "swallows_interrupt": """
import time
while True:
    try:
        time.sleep(0.01)
    except BaseException:
        pass""",
    "sys_exit": "import sys\nsys.exit(0)",
    "os_exit": "import os\nos._exit(0)",
    "kills_itself": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    "memory_bomb": "hog = []\nwhile True:\n    hog.append(bytearray(100_000_000))",
    "fork_bomb": """
import os, time
for _ in range(10_000):
    try:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
    except OSError:
        break""",
    "output_flood": "import os\nfor _ in range(200_000):\n    print('x' * 1000)\n    os.write(1, b'y' * 1000)",
    "slow_code": "import time\ntime.sleep(60)",
    "patches_allclose": """
import builtins
import numpy as np
import numpy.testing
np.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
builtins.AssertionError = type('Nope', (Exception,), {})""",
    "input_transformer": """
ip = get_ipython()
ip.input_transformers_post.append(lambda lines: ['pass\\n'])
ip.set_custom_exc((BaseException,), lambda *a, **k: None)""",
    "reads_course_files": """
import glob
found = glob.glob('/work/**/*.py', recursive=True) + glob.glob('/**/gradebook.db', recursive=True)
print(found[:5])
import solutions""",
    "writes_gradebook": """
import glob
for path in glob.glob('/**/gradebook.db', recursive=True):
    open(path, 'w').write('owned')""",
    "stderr_and_warnings": """
import sys, warnings
import numpy as np
print('a harmless note', file=sys.stderr)
warnings.warn('a harmless warning')
np.log(np.zeros(1))""",
    "network": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)",
}

# Hostile cells that are stopped for time twice, or kill their process, and so are skipped: the
# functions still earn their points, and a person is asked to look (status needs-review).
NEEDS_REVIEW = {
    "infinite_loop",
    "swallows_interrupt",
    "os_exit",
    "kills_itself",
    "slow_code",
    "reads_course_files",
    "writes_gradebook",
}

# Replaces adam_update with one whose results claim to equal anything.
ALWAYS_EQUAL = """
class AlwaysEqual(dict):
    def __eq__(self, other):
        return True
    __hash__ = None

def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return AlwaysEqual(), AlwaysEqual(), AlwaysEqual()
"""


def points(slug, function=None):
    return sum(
        p
        for grade_id, p in test_cells(slug)
        if function is None or grade_ids.function_of(grade_id) == function
    )


def _solution_notebook(slug):
    notebook = course.read_lesson(slug)
    for cell in notebook.cells:  # a student's filled-in copy holds no hidden tests
        if "### BEGIN HIDDEN TESTS" in cell.source:
            head, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
            cell.source = head + rest.partition("### END HIDDEN TESTS")[2]
    return notebook


def _write(notebook, root, student, slug, name=None):
    path = Path(root) / student / slug / (name or f"{slug}.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _with_cell_after_solutions(notebook, source):
    notebook = copy.deepcopy(notebook)
    last_solution = max(
        i for i, c in enumerate(notebook.cells) if "nbgrader" in c.metadata and c.metadata["nbgrader"].get("solution")
    )
    notebook.cells.insert(last_solution + 1, nbformat.v4.new_code_cell(source))
    return notebook


def make_class(root, slugs=None):
    """Write the class into root (nbgrader's submitted layout); returns [Expected]."""
    slugs = slugs or course.lesson_slugs()
    root = Path(root)
    expected = []
    graded_slugs = [s for s in slugs if points(s)]
    for slug in slugs:  # one correct and one blank submission per lesson
        _write(_solution_notebook(slug), root, f"correct-{slug[:2]}", slug)
        expected.append(Expected(f"correct-{slug[:2]}", slug, "correct", points(slug)))
        release = course.ROOT / "notebooks" / f"{slug}.ipynb"
        _write(nbformat.read(release, as_version=4), root, f"blank-{slug[:2]}", slug)
        expected.append(Expected(f"blank-{slug[:2]}", slug, "blank", 0))
    for slug, function, old, new, label in MISTAKES:
        if slug not in slugs:
            continue
        notebook = _solution_notebook(slug)
        cells = [c for c in notebook.cells if old in c.source and c.metadata.get("nbgrader", {}).get("solution")]
        if len(cells) != 1:
            raise RuntimeError(f"mistake {label!r}: the text to change is not in exactly one solution cell of {slug}")
        cells[0].source = cells[0].source.replace(old, new)
        student = f"mistake-{slug[:2]}"
        _write(notebook, root, student, slug)
        expected.append(Expected(student, slug, f"mistake: {label}", points(slug) - points(slug, function)))
    for slug, question, old, new, label in MISCONCEPTIONS:  # a wrong answer to a predict-then-check question
        if slug not in slugs:
            continue
        notebook = _solution_notebook(slug)
        cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == question]
        if len(cells) != 1 or old not in cells[0].source:
            raise RuntimeError(f"misconception {label!r}: {old!r} is not in the answer cell {question} of {slug}")
        cells[0].source = cells[0].source.replace(old, new)
        student = f"misconception-{slug[:2]}"
        _write(notebook, root, student, slug)
        expected.append(Expected(student, slug, f"misconception: {label}", points(slug) - points(slug, question)))
    carrier = "05_adam" if "05_adam" in slugs else graded_slugs[0]
    full = points(carrier)
    for name, source in HOSTILE.items():
        _write(_with_cell_after_solutions(_solution_notebook(carrier), source), root, f"hostile-{name}", carrier)
        status = "needs-review" if name in NEEDS_REVIEW else "graded"
        expected.append(Expected(f"hostile-{name}", carrier, f"hostile: {name}", full, status))
    if carrier == "05_adam":
        _write(
            _with_cell_after_solutions(_solution_notebook(carrier), ALWAYS_EQUAL), root, "hostile-always-equal", carrier
        )
        expected.append(
            Expected(
                "hostile-always-equal", carrier, "hostile: __eq__ always True", full - points(carrier, "adam_update")
            )
        )
    expected += _tampered(root, carrier, full)
    expected += _broken(root, carrier)
    return expected


def _tampered(root, slug, full):
    cases = []
    notebook = _solution_notebook(slug)
    edited = copy.deepcopy(notebook)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "pass"
            cell.metadata["nbgrader"]["points"] = 100
    _write(edited, root, "tamper-edited-tests", slug)
    cases.append(Expected("tamper-edited-tests", slug, "edited test cells and points", full))
    deleted = copy.deepcopy(notebook)
    deleted.cells = [c for c in deleted.cells if not c.metadata.get("nbgrader", {}).get("grade")][::-1]
    _write(deleted, root, "tamper-deleted-reordered", slug)
    # reversed cells: every function is still defined before the probes run
    cases.append(Expected("tamper-deleted-reordered", slug, "deleted and reordered cells", full))
    renamed = _solution_notebook(slug)
    function = graded_functions(slug)[0]  # a function judged on check cases, the same one every run
    for cell in renamed.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and f"def {function}(" in cell.source:
            cell.source = cell.source.replace(f"def {function}(", f"def my_{function}(")
    _write(renamed, root, "tamper-renamed", slug)
    cases.append(Expected("tamper-renamed", slug, "renamed function", full - points(slug, function)))
    extra = _with_cell_after_solutions(notebook, "print('an extra cell')\nx = 1")
    extra.cells.append(nbformat.v4.new_markdown_cell("my notes"))
    _write(extra, root, "tamper-extra-cells", slug)
    cases.append(Expected("tamper-extra-cells", slug, "extra cells", full))
    _write(notebook, root, "ünïcode stüdent ✓", slug)
    cases.append(Expected("ünïcode stüdent ✓", slug, "unicode and spaces in the name", full))
    return cases


def _broken(root, slug):
    def put(student, data, name=None):
        path = Path(root) / student / slug / (name or f"{slug}.ipynb")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    nb3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    many = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1") for _ in range(10_000)])
    put("broken-empty", b"")
    put("broken-invalid-json", b'{"cells": [')
    put("broken-nbformat3", json.dumps(nb3).encode())
    put("broken-binary", bytes(range(256)) * 64)
    put("broken-huge", b"{" + b" " * (100 * 2**20) + b"}")
    put("broken-10000-cells", nbformat.writes(many).encode())
    Path(root, "broken-missing", slug).mkdir(parents=True, exist_ok=True)
    (Path(root) / "broken-missing" / slug / "notes.txt").write_text("forgot the notebook")
    nbformat.write(_solution_notebook(slug), Path(root) / "broken-missing" / slug / "notes.txt.bak")
    wrong = Path(root) / "wrong-file-name" / slug / "my homework (final).ipynb"
    wrong.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(_solution_notebook(slug), wrong)
    lms = Path(root) / f"lmsstudent_12345_678901_{slug}.ipynb"  # a Canvas download
    nbformat.write(_solution_notebook(slug), lms)
    full = points(slug)
    return [
        Expected("broken-empty", slug, "empty file", 0, "invalid notebook"),
        Expected("broken-invalid-json", slug, "invalid JSON", 0, "invalid notebook"),
        Expected("broken-nbformat3", slug, "wrong nbformat", 0, "invalid notebook"),
        Expected("broken-binary", slug, "binary garbage", 0, "invalid notebook"),
        Expected("broken-huge", slug, "100 MB file", 0, "invalid notebook"),
        Expected("broken-10000-cells", slug, "10,000 cells", 0, "invalid notebook"),
        Expected("broken-missing", slug, "missing notebook", 0, "missing"),
        Expected("wrong-file-name", slug, "wrong file name (graded anyway)", full),
        Expected("lmsstudent", slug, "Canvas-style file name", full),
    ]
