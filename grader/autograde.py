"""Autograde a class: find the submissions, run each in the sandbox, judge the probes
outside it, and record the grades in nbgrader's gradebook, two CSV files and feedback pages.

Points and test cells always come from the lesson sources, never from a submission, so
edited, deleted or re-pointed test cells change nothing; the submission's own test cells are
not run (its code is run, its checks are not trusted).
"""

import csv
import json
import os
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tqdm.auto import tqdm

from grader import build, casebook, feedback, sandbox
from grader.casebook import plain_case
from grader.intake import Submission, read_regular_file, scan, student_key, summary, write_intake_csv
from grader.textsafe import clean_text

MAX_BYTES = 20 * 1024 * 1024
MAX_CELLS = 2000
GRADES_FIELDS = ["student_id", "assignment_id", "score", "max_score", "status", "message"]
TESTS_FIELDS = ["student_id", "assignment_id", "grade_id", "score", "max_score", "message"]


@dataclass
class Outcome:
    submission: Submission
    status: str = "graded"
    message: str = ""
    tests: list = field(default_factory=list)  # [(grade_id, score, max_score, message)]
    cells: list = field(default_factory=list)  # [(cell, error, output)] for feedback
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of every process of the submission (0 where no control group counts it)
    memory_peak_mb: float = 0.0  # likewise

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
    """[(function, [plain case, ...], {dependency: replayed calls})] for every graded function of a lesson.

    A graded function that calls another one of its lesson (random_search calls
    sample_log_uniform) is probed with that other one standing in as specified, so that a
    mistake costs the points of its own function and no other. The stand-in replays the values
    the specified calls return (casebook.stand_in_calls): no reference code enters the sandbox."""
    plan = []
    functions = graded_functions(slug)
    for function in functions:
        cases = [plain_case(case) for case in casebook.cases_for(f"test_{function}_hidden")]
        used = _names_used(casebook.reference(function).__code__) & set(functions) - {function}
        stand_ins = {name: casebook.stand_in_calls(function, name, cases) for name in sorted(used)}
        plan.append((function, cases, stand_ins))
    return plan


# ----------------------------------------------------------------------------- reading a notebook


def read_cells(path):
    """The code and markdown cells of a submission, or raise ValueError saying what is wrong.
    The file is read without following links (a file swapped for a link after intake is refused)."""
    try:
        raw = read_regular_file(path, MAX_BYTES)
    except ValueError as error:
        if "larger than" in str(error):
            raise ValueError(f"the file is more than the {MAX_BYTES // 2**20} MB a notebook may have") from None
        raise ValueError(f"not read: {error}") from None
    if not raw:
        raise ValueError("the file is empty")
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
    notes += run.review + [incident for incident in run.incidents if incident not in run.review]
    errors = [
        (index, info["error"])
        for index, info in sorted(run.cells.items(), key=lambda item: str(item[0]))
        if info.get("error")
    ]
    if errors:
        index, text = errors[0]
        notes.append(f"{len(errors)} cell(s) raised errors, first cell {index}: {text.strip().splitlines()[-1][:160]}")
    if run.review:
        outcome.status = "needs-review"
    if not run.finished and not run.probes:
        outcome.status = "crashed"
    outcome.message = clean_text("; ".join(notes), 1000)
    outcome.seconds = time.perf_counter() - start
    outcome.cpu_seconds, outcome.memory_peak_mb = run.cpu_seconds, run.memory_peak_mb
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
    if student_key(s.student_id) != s.student_id:
        return  # nbgrader names the folder after the id itself: only ids that are safe file names get one
    for step in ("submitted", "autograded"):
        target = Path(course_dir) / step / s.student_id / s.assignment_id / f"{s.assignment_id}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_regular_file(s.path, MAX_BYTES))


def write_atomic(path, text):
    """Write a whole file or nothing: a grader killed meanwhile leaves the previous version."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def outcome_record(outcome):
    """What is kept of one student's grading, as plain data (results/<student>/<assignment>.json)."""
    s = outcome.submission
    return {
        "student_id": s.student_id,
        "assignment_id": s.assignment_id,
        "path": str(s.path) if s.path else None,
        "status": outcome.status,
        "message": outcome.message,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "tests": [list(test) for test in outcome.tests],
        "seconds": round(outcome.seconds, 3),
        "cpu_seconds": round(outcome.cpu_seconds, 3),
        "memory_peak_mb": round(outcome.memory_peak_mb, 1),
    }


def failed_outcome(submission, status, error):
    """The row of a student whose grading or recording failed: nobody else's grade depends on it."""
    outcome = Outcome(submission, status=status, message=clean_text(f"{type(error).__name__}: {error}", 500))
    outcome.tests = [(g, 0, p, f"not graded: {status}") for g, p in test_cells(submission.assignment_id)]
    return outcome


class ClassRecord:
    """Writes each student's results as they finish (gradebook, feedback page, results file) and the
    class CSVs now and then, atomically, so that a crash or a kill keeps what is done."""

    CSV_EVERY = 5.0  # seconds between rewrites of the class CSVs during a run

    def __init__(self, out_dir, course_dir, gradebook):
        self.out_dir, self.course_dir, self.gradebook = out_dir, course_dir, gradebook
        self.outcomes, self.csvs_written = [], 0.0

    def add(self, outcome):
        key = student_key(outcome.submission.student_id)
        write_atomic(self.out_dir / "results" / key / f"{outcome.submission.assignment_id}.json",
                     json.dumps(outcome_record(outcome), indent=1))
        try:
            record_in_gradebook(self.gradebook, outcome)
        except Exception as error:  # e.g. the database refused this id: this student's problem only
            self.gradebook.db.rollback()
            outcome.status = "needs-review"
            outcome.message = clean_text(f"not in the gradebook ({type(error).__name__}: {error}); " + outcome.message,
                                         1000)
        keep_for_formgrader(self.course_dir, outcome)
        feedback.write(outcome, self.out_dir / "feedback" / key / f"{outcome.submission.assignment_id}.html")
        self.outcomes.append(outcome)
        if time.monotonic() - self.csvs_written > self.CSV_EVERY:
            self.write_class_files()

    def write_class_files(self):
        self.outcomes.sort(key=lambda o: (o.submission.student_id, o.submission.assignment_id))
        with tempfile.TemporaryDirectory(dir=self.out_dir, prefix=".csv-") as staging:
            write_csvs(self.outcomes, Path(staging))
            write_timings(self.outcomes, Path(staging))
            for name in ("grades.csv", "tests.csv", "timings.json"):
                os.replace(Path(staging) / name, self.out_dir / name)
        self.csvs_written = time.monotonic()


def autograde(submissions_dir, out_dir, *, jobs=2, limits=None, slugs=None, progress=True, log=print):
    slugs = slugs or build.lesson_slugs()
    limits = limits or sandbox.Limits()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    run_log = out_dir / "run.log"

    def note(line):
        log(line)
        with open(run_log, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {clean_text(line)}\n")

    note(f"sandbox: {sandbox.isolation()}; per submission: {sandbox.resource_control()}; limits: {limits}; "
         f"jobs: {jobs}")
    course_dir = prepare_course(out_dir / "course", slugs)
    intake = scan(submissions_dir, slugs)
    write_intake_csv(intake, out_dir / "intake.csv")
    submissions = intake.submissions
    note(f"intake of {submissions_dir}: {summary(intake)} (every file's decision is in intake.csv)")
    from nbgrader.api import Gradebook

    warnings.filterwarnings("ignore", module="nbgrader")  # SQLAlchemy notices from nbgrader's own code
    warnings.filterwarnings("ignore", message=".*not in session.*")

    with (
        Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        record = ClassRecord(out_dir, course_dir, gradebook)
        futures = {pool.submit(grade_one, s, limits=limits): s for s in submissions}
        bar = tqdm(as_completed(futures), total=len(futures), desc="grading", unit="nb", disable=not progress)
        for future in bar:
            try:
                outcome = future.result()
            except Exception as error:  # a grader bug must not stop the class: record it
                outcome = failed_outcome(futures[future], "grader error", error)
            try:
                record.add(outcome)
            except Exception as error:  # nor may one student's odd results stop the others being written
                note(f"could not record {outcome.submission.student_id!r}: {type(error).__name__}: {error}")
                record.outcomes.append(failed_outcome(outcome.submission, "grader error", error))
        record.write_class_files()
    outcomes = record.outcomes
    problems = sum(o.status != "graded" for o in outcomes)
    note(f"{len(outcomes)} submissions graded, {problems} with a problem status; grades.csv, tests.csv, feedback/")
    return outcomes


def write_csvs(outcomes, out_dir):
    """grades.csv and tests.csv: every text cell through csv_cell (ids, statuses and messages carry
    names the student chose, which a spreadsheet would otherwise run as formulas); scores stay numbers."""
    from grader.textsafe import csv_cell, csv_number

    out_dir = Path(out_dir)
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADES_FIELDS)
        for o in outcomes:
            s = o.submission
            writer.writerow(
                [csv_cell(s.student_id), csv_cell(s.assignment_id), csv_number(o.score), csv_number(o.max_score)]
                + [csv_cell(o.status), csv_cell(o.message)]
            )
    with open(out_dir / "tests.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(TESTS_FIELDS)
        for o in outcomes:
            for grade_id, score, points, message in o.tests:
                writer.writerow(
                    [csv_cell(o.submission.student_id), csv_cell(o.submission.assignment_id), csv_cell(grade_id)]
                    + [csv_number(score), csv_number(points), csv_cell(message)]
                )


def write_timings(outcomes, out_dir):
    rows = [
        {
            "student_id": o.submission.student_id,
            "assignment_id": o.submission.assignment_id,
            "seconds": round(o.seconds, 3),
            "cpu_seconds": round(o.cpu_seconds, 3),
            "memory_peak_mb": round(o.memory_peak_mb, 1),
            "status": o.status,
        }
        for o in outcomes
    ]
    (out_dir / "timings.json").write_text(json.dumps(rows, indent=1))
