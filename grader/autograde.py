"""Autograde a class: find the submissions, run each in the sandbox, judge the probes
outside it, and record the grades in nbgrader's gradebook, two CSV files and feedback pages.

Points and test cells always come from the lesson sources, never from a submission, so
edited, deleted or re-pointed test cells change nothing; the submission's own test cells are
not run (its code is run, its checks are not trusted).
"""

import csv
import inspect
import json
import re
import shutil
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tqdm.auto import tqdm

from grader import build, casebook, feedback, sandbox
from grader.casebook import plain_case

MAX_BYTES = 20 * 1024 * 1024
MAX_CELLS = 2000
GRADES_FIELDS = ["student_id", "assignment_id", "score", "max_score", "status", "message"]
TESTS_FIELDS = ["student_id", "assignment_id", "grade_id", "score", "max_score", "message"]


@dataclass
class Submission:
    student_id: str
    assignment_id: str
    path: Path | None
    note: str = ""


@dataclass
class Outcome:
    submission: Submission
    status: str = "graded"
    message: str = ""
    tests: list = field(default_factory=list)  # [(grade_id, score, max_score, message)]
    cells: list = field(default_factory=list)  # [(cell, error, output)] for feedback
    seconds: float = 0.0

    @property
    def score(self):
        return sum(test[1] for test in self.tests)

    @property
    def max_score(self):
        return sum(test[2] for test in self.tests)


# ----------------------------------------------------------------------------- the course


@cache
def test_cells(slug):
    """[(grade_id, points)] of a lesson, from its source."""
    return [(grade_id, points) for grade_id, points, _ in build.source_cells(slug)]


@cache
def graded_functions(slug):
    return list(
        dict.fromkeys(grade_id.removeprefix("test_").removesuffix("_hidden") for grade_id, _ in test_cells(slug))
    )


def _names_used(code):
    names = set(code.co_names)
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            names |= _names_used(constant)
    return names


@cache
def probe_plan(slug):
    """[(function, [plain case, ...], {dependency: source})] for every graded function of a lesson.

    A graded function that calls another one of its lesson (random_search calls
    sample_log_uniform) is probed with that other one standing in as the formula of the
    specification, so that a mistake costs the points of its own function and no other."""
    plan = []
    functions = graded_functions(slug)
    for function in functions:
        cases = casebook.cases_for(f"test_{function}_hidden")
        used = _names_used(casebook.reference(function).__code__) & set(functions) - {function}
        stand_ins = {name: inspect.getsource(casebook.reference(name)) for name in sorted(used)}
        plan.append((function, [plain_case(case) for case in cases], stand_ins))
    return plan


# ----------------------------------------------------------------------------- finding work


def find_submissions(folder, assignments):
    """nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb layout and LMS-style
    <student>_<anything>_<assignment>.ipynb files; one entry per student and assignment."""
    folder = Path(folder)
    found = {}
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for slug in assignments:
            assignment_dir = student_dir / slug
            if not assignment_dir.is_dir():
                continue
            expected = assignment_dir / f"{slug}.ipynb"
            notebooks = sorted(assignment_dir.glob("*.ipynb"))
            if expected.is_file():
                found[student_dir.name, slug] = Submission(student_dir.name, slug, expected)
            elif len(notebooks) == 1:
                found[student_dir.name, slug] = Submission(
                    student_dir.name,
                    slug,
                    notebooks[0],
                    f"graded {notebooks[0].name}, the only notebook there (expected {slug}.ipynb)",
                )
            else:
                names = ", ".join(p.name for p in notebooks) or "no notebook"
                found[student_dir.name, slug] = Submission(
                    student_dir.name, slug, None, f"expected {slug}.ipynb, found {names}"
                )
    pattern = re.compile(
        r"^(?P<student>[^_]+)_(?:.*_)?(?P<slug>" + "|".join(map(re.escape, assignments)) + r")\.ipynb$"
    )
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        match = pattern.match(path.name)
        if match:
            found.setdefault((match["student"], match["slug"]), Submission(match["student"], match["slug"], path))
    return list(found.values())


def read_cells(path):
    """The code and markdown cells of a submission, or raise ValueError saying what is wrong."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("the file is empty")
    if size > MAX_BYTES:
        raise ValueError(
            f"the file is {size / 2**20:.0f} MB, more than the {MAX_BYTES // 2**20} MB a notebook may have"
        )
    raw = path.read_bytes()
    try:
        notebook = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"not a notebook: the file is not valid JSON ({str(error)[:80]})") from None
    if not isinstance(notebook, dict):
        raise ValueError("not a notebook: the JSON is not an object")
    if notebook.get("nbformat") != 4:
        raise ValueError(f"unsupported notebook format {notebook.get('nbformat')!r} (expected nbformat 4)")
    if not isinstance(notebook.get("cells"), list):
        raise ValueError("not a notebook: no list of cells")
    cells = notebook["cells"]
    if len(cells) > MAX_CELLS:
        raise ValueError(f"the notebook has {len(cells)} cells, more than the {MAX_CELLS} allowed")
    result = []
    for cell in cells:
        if not isinstance(cell, dict):
            raise ValueError("not a notebook: a cell is not an object")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if not isinstance(source, str):
            raise ValueError("not a notebook: a cell's source is not text")
        result.append({"type": cell.get("cell_type"), "source": source, "metadata": cell.get("metadata") or {}})
    return result


def runnable(cell):
    """Student code to run: code cells that are neither test cells nor experiment cells."""
    metadata = cell["metadata"] if isinstance(cell["metadata"], dict) else {}
    nbgrader = metadata.get("nbgrader") if isinstance(metadata.get("nbgrader"), dict) else {}
    tags = metadata.get("tags") if isinstance(metadata.get("tags"), list) else []
    return cell["type"] == "code" and not nbgrader.get("grade") and "experiment" not in tags


# ----------------------------------------------------------------------------- grading one


def grade_one(submission, *, limits):
    outcome = Outcome(submission)
    start = time.perf_counter()
    tests = test_cells(submission.assignment_id)
    try:
        if submission.path is None:
            raise FileNotFoundError(submission.note)
        cells = read_cells(submission.path)
    except (OSError, ValueError) as error:
        outcome.status = "missing" if isinstance(error, FileNotFoundError) else "invalid notebook"
        outcome.message = str(error)
        outcome.tests = [(grade_id, 0, points, f"not graded: {error}") for grade_id, points in tests]
        outcome.seconds = time.perf_counter() - start
        return outcome
    code = [(index, cell["source"]) for index, cell in enumerate(cells) if runnable(cell)]
    run = sandbox.run_submission(code, probe_plan(submission.assignment_id), limits=limits)
    outcome.cells = [(cell, run.cells.get(index)) for index, cell in enumerate(cells)]
    for grade_id, points in tests:
        problems = judge_test(submission.assignment_id, grade_id, run)
        outcome.tests.append(
            (grade_id, 0 if problems else points, points, " | ".join(problems[:3]) if problems else "passed")
        )
    notes = [submission.note] if submission.note else []
    notes += run.incidents
    errors = [
        (index, info["error"])
        for index, info in sorted(run.cells.items(), key=lambda item: str(item[0]))
        if info.get("error")
    ]
    if errors:
        index, text = errors[0]
        notes.append(f"{len(errors)} cell(s) raised errors, first cell {index}: {text.strip().splitlines()[-1][:160]}")
    if not run.finished and not run.probes:
        outcome.status = "crashed"
    outcome.message = "; ".join(notes)[:1000]
    outcome.seconds = time.perf_counter() - start
    return outcome


def judge_test(slug, grade_id, run):
    """Problems with one test cell, from the probe reports of its function."""
    function = grade_id.removeprefix("test_").removesuffix("_hidden")
    probed = run.probes.get(function)
    if probed is None:
        return [f"{function} was not checked: the notebook did not get that far"]
    if "problem" in probed:
        return [probed["problem"]]
    if probed["missing"]:
        return [f"{function} is not defined: was it renamed, deleted, or its cell not run?"]
    all_cases = casebook.cases_for(f"test_{function}_hidden")
    reports = dict(zip(map(id, all_cases), probed["reports"], strict=False))
    problems = []
    for case in casebook.cases_for(grade_id):
        report = reports.get(id(case))
        if not isinstance(report, dict):
            problems.append(f"{function} ({case.name}) was not checked")
        elif "timeout" in report:
            problems.append(f"{function} ({case.name}) ran longer than {report['timeout']} s")
        else:
            try:
                problems += casebook.judge_report(case, report)
            except Exception as error:  # a malformed report is the student's process's doing
                problems.append(f"{function} ({case.name}): unreadable result ({type(error).__name__})")
    return list(dict.fromkeys(problems))


# ----------------------------------------------------------------------------- the class


def prepare_course(course_dir, slugs):
    """An nbgrader course with the sources and gradebook (made once, reused after)."""
    if not (course_dir / "gradebook.db").exists() or any(not (course_dir / "release" / s).exists() for s in slugs):
        build.release(course_dir, course_dir / "student-notebooks", slugs)
    return course_dir


def record_in_gradebook(gradebook, outcome):
    """Every test cell's score is written, so a failed re-grade resets the old scores."""
    s = outcome.submission
    gradebook.update_or_create_student(s.student_id)
    gradebook.update_or_create_submission(s.assignment_id, s.student_id)
    for grade_id, score, _, _ in outcome.tests:
        grade = gradebook.find_grade(grade_id, s.assignment_id, s.assignment_id, s.student_id)
        grade.auto_score = score
        grade.needs_manual_grade = grade.manual_score is not None  # as nbgrader's own autograde leaves it
    gradebook.db.commit()


def keep_for_formgrader(course_dir, outcome):
    """Copy a readable submission into the course's submitted/ and autograded/ folders: nbgrader's
    formgrader lists a student's submission only when both exist (the scores are in the gradebook)."""
    s = outcome.submission
    if s.path is None or outcome.status in ("missing", "invalid notebook"):
        return
    for step in ("submitted", "autograded"):
        target = Path(course_dir) / step / s.student_id / s.assignment_id / f"{s.assignment_id}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s.path, target)


def safe_name(text):
    return re.sub(r"[^\w.-]", "_", text)[:100] or "_"


def autograde(submissions_dir, out_dir, *, jobs=2, limits=None, slugs=None, progress=True, log=print):
    slugs = slugs or build.lesson_slugs()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    run_log = out_dir / "run.log"

    def note(line):
        log(line)
        with open(run_log, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

    note(f"sandbox: {sandbox.isolation()}; limits: {limits or sandbox.Limits()}; jobs: {jobs}")
    course_dir = prepare_course(out_dir / "course", slugs)
    submissions = find_submissions(submissions_dir, slugs)
    note(f"{len(submissions)} submissions found in {submissions_dir}")
    from nbgrader.api import Gradebook

    warnings.filterwarnings("ignore", module="nbgrader")  # SQLAlchemy notices from nbgrader's own code
    warnings.filterwarnings("ignore", message=".*not in session.*")

    outcomes = []
    with (
        Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        def task(submission):
            return grade_one(submission, limits=limits or sandbox.Limits())

        futures = {pool.submit(task, s): s for s in submissions}
        bar = tqdm(as_completed(futures), total=len(futures), desc="grading", unit="nb", disable=not progress)
        for future in bar:
            try:
                outcome = future.result()
            except Exception as error:  # a grader bug must not stop the class: record it
                outcome = Outcome(futures[future], status="grader error", message=f"{type(error).__name__}: {error}")
                outcome.tests = [
                    (g, 0, p, "not graded: grader error") for g, p in test_cells(futures[future].assignment_id)
                ]
            record_in_gradebook(gradebook, outcome)
            keep_for_formgrader(course_dir, outcome)
            feedback.write(
                outcome,
                out_dir
                / "feedback"
                / safe_name(outcome.submission.student_id)
                / f"{outcome.submission.assignment_id}.html",
            )
            outcomes.append(outcome)
    outcomes.sort(key=lambda o: (o.submission.student_id, o.submission.assignment_id))
    write_csvs(outcomes, out_dir)
    write_timings(outcomes, out_dir)
    problems = sum(o.status != "graded" for o in outcomes)
    note(f"{len(outcomes)} submissions graded, {problems} with a problem status; grades.csv, tests.csv, feedback/")
    return outcomes


def write_csvs(outcomes, out_dir):
    with open(out_dir / "grades.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADES_FIELDS)
        for o in outcomes:
            s = o.submission
            writer.writerow([s.student_id, s.assignment_id, o.score, o.max_score, o.status, o.message])
    with open(out_dir / "tests.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TESTS_FIELDS)
        for o in outcomes:
            for grade_id, score, points, message in o.tests:
                writer.writerow([o.submission.student_id, o.submission.assignment_id, grade_id, score, points, message])


def write_timings(outcomes, out_dir):
    rows = [
        {
            "student_id": o.submission.student_id,
            "assignment_id": o.submission.assignment_id,
            "seconds": round(o.seconds, 3),
            "status": o.status,
        }
        for o in outcomes
    ]
    (out_dir / "timings.json").write_text(json.dumps(rows, indent=1))
