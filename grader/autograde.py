"""Autograde a class: find the submissions, run each in the sandbox, judge the probes
outside it, and record the grades in nbgrader's gradebook, two CSV files and feedback pages.

Points and test cells always come from the lesson sources, never from a submission, so
edited, deleted or re-pointed test cells change nothing; the submission's own test cells are
not run (its code is run, its checks are not trusted).
"""

import csv
import dataclasses
import hashlib
import json
import os
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from tqdm.auto import tqdm

from coursekit import checking, grade_ids
from grader import casebook, course, feedback, questions, release, sandbox
from grader.casebook import plain_case
from grader.cells import point_cells
from grader.intake import (
    Submission,
    read_regular_file,
    scan,
    student_key,
    summary,
    unpack_if_zip,
    write_intake_csv,
)
from grader.lateness import Lateness, LatePolicy
from grader.textsafe import clean_text, csv_cell, csv_number

MAX_BYTES = 20 * 1024 * 1024
MAX_CELLS = 2000
GRADES_FIELDS = ["student_id", "assignment_id", "score", "max_score", "status", "message"]
LATE_FIELDS = ["submitted_at", "late_by", "raw_score", "penalty"]
NOT_LATE = Lateness("", "", 0.0)
TESTS_FIELDS = ["student_id", "assignment_id", "grade_id", "score", "max_score", "message"]


class GradedCell(NamedTuple):
    """The verdict on one test cell."""

    grade_id: str
    score: float
    max_score: float
    message: str


class ProbePlan(NamedTuple):
    """What the sandbox checks of one graded function (sent as JSON: a list of three)."""

    function: str
    cases: list  # plain cases, in the order their reports come back
    stand_ins: dict  # {other graded function: its replayed calls}


@dataclass
class Outcome:
    submission: Submission
    status: str = "graded"
    message: str = ""
    tests: list = field(default_factory=list)  # [GradedCell]
    cells: list = field(default_factory=list)  # [(cell, error, output)] for feedback
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of every process of the submission (0 where no control group counts it)
    memory_peak_mb: float = 0.0  # likewise
    content_sha256: str = ""  # of the notebook graded: an unchanged one is not graded again
    course_version: str = ""  # of the lesson and the grader that judged it
    lateness: Lateness = NOT_LATE

    @property
    def raw_score(self):
        return sum(test[1] for test in self.tests)

    @property
    def score(self):
        """The raw score less the late penalty."""
        score = round(self.raw_score * (1 - self.lateness.penalty), 4)
        return int(score) if score == int(score) else score  # 7, not 7.0, in grades.csv

    @property
    def max_score(self):
        return sum(test[2] for test in self.tests)

    @property
    def row_status(self):
        """The status in grades.csv: a lateness a person must decide on asks for review, and a hand-graded
        cell not scored yet asks for manual grading."""
        if self.status != "graded":
            return self.status
        if self.lateness.needs_review:
            return "needs-review"
        if any(cell.message == AWAITING_MANUAL for cell in self.tests):
            return "needs-manual-grading"
        return self.status

    @property
    def row_message(self):
        late = self.lateness.needs_review or (
            f"late by {self.lateness.late_by}: -{self.lateness.penalty:.0%}" if self.lateness.penalty else ""
        )
        return "; ".join(filter(None, [late, self.message]))


# ----------------------------------------------------------------------------- the course


@cache
def test_cells(slug):
    """[(grade_id, points)] of every cell with points of a lesson, from its source."""
    return [(cell.grade_id, cell.points) for cell in point_cells(slug)]


@cache
def graded_functions(slug):
    """The functions a lesson's check cases judge, in notebook order."""
    return list(
        dict.fromkeys(grade_ids.function_of(cell.grade_id) for cell in point_cells(slug) if cell.kind == "cases")
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
        cases = [plain_case(case) for case in casebook.cases_for(grade_ids.hidden(function))]
        used = _names_used(casebook.reference(function).__code__) & set(functions) - {function}
        stand_ins = {name: casebook.stand_in_calls(function, name, cases) for name in sorted(used)}
        plan.append(ProbePlan(function, cases, stand_ins))
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
    is_test = nbgrader.get("grade") and not nbgrader.get("solution")  # a hand-graded code answer is student code
    return cell["type"] == "code" and not is_test and "experiment" not in tags


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
        outcome.tests = [GradedCell(grade_id, 0, points, f"not graded: {error}") for grade_id, points in tests]
        outcome.seconds = time.perf_counter() - start
        return outcome
    code = [(index, cell["source"]) for index, cell in enumerate(cells) if runnable(cell)]
    plain_asserts = {}
    for cell in point_cells(submission.assignment_id):  # a hidden part runs after the visible part alone
        if cell.kind == "asserts" and cell.hidden:
            plain_asserts[cell.visible_step] = cell.visible_source
        if cell.kind == "asserts":
            plain_asserts[cell.grade_id] = cell.source
    answers = {grade_id: key.names for grade_id, key in questions.answer_keys(submission.assignment_id).items()}
    run = sandbox.run_submission(code, probe_plan(submission.assignment_id), limits=limits, tests=plain_asserts,
                                 answers=answers)
    outcome.cells = [(cell, run.cells.get(index)) for index, cell in enumerate(cells)]
    outcome.tests = [judge_cell(submission.assignment_id, cell, run) for cell in point_cells(submission.assignment_id)]
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


AWAITING_MANUAL = "awaiting manual grading"
SCORED_BY_HAND = "scored by hand"


def judge_cell(slug, cell, run):
    """The verdict on one cell with points (see grader/cells.py for the four kinds)."""
    if cell.kind == "manual":
        return GradedCell(cell.grade_id, 0, cell.points, AWAITING_MANUAL)
    if cell.kind == "answer":
        grade_id = questions.question_of(slug, cell.grade_id)
        problems = questions.judge(questions.answer_keys(slug)[grade_id], run.answers.get(grade_id))
    elif cell.kind == "asserts":
        problems = judge_asserts(cell, run)
    else:
        problems = judge_test(cell.grade_id, run)
    return GradedCell(cell.grade_id, 0 if problems else cell.points, cell.points, " | ".join(problems[:3]) or "passed")


def judge_asserts(cell, run):
    """Problems with an instructor's test code: what it raised; for a failure in its hidden part, only the
    kind. A cell with a hidden part runs its visible part alone first, so that a visible assert that
    fails shows its message."""
    visible = run.tests.get(cell.visible_step) if cell.hidden else None
    result = visible if visible and visible.get("error") else run.tests.get(cell.grade_id)
    if result is None:
        return [f"{cell.grade_id} was not run: the notebook did not get that far"]
    if not result.get("error"):
        return []
    last = result["error"].strip().splitlines()[-1] if result["error"].strip() else "an error"
    if cell.hidden and result is not visible:
        kind = last.split(":", 1)[0].strip()[:80]
        return [f"{cell.grade_id}: a hidden check failed ({kind})"]
    return [f"{cell.grade_id} failed: {last[:300]}"]


def judge_test(grade_id, run):
    """Problems with one test cell, from the probe reports of its function."""
    function = grade_ids.function_of(grade_id)
    probed = run.probes.get(function)
    if probed is None:
        return [f"{function} was not checked: the notebook did not get that far"]
    if "problem" in probed:
        return [probed["problem"]]
    if probed["missing"]:
        return [f"{function} is not defined: was it renamed, deleted, or its cell not run?"]
    all_cases = casebook.cases_for(grade_ids.hidden(function))
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


def prepare_course(course_dir, slugs, db_url=None, note=lambda line: None):
    """An nbgrader course with the sources and gradebook, made once and reused after. A lesson whose
    cells with points changed since its release (a question or a test cell added, points changed) is
    released again, so that the gradebook has a place for every grade the grader writes; the course's
    nbgrader_config.py (its exchange) stays as it was. nbgrader refuses that once submissions of the
    lesson are in the gradebook: the run then goes on, its CSVs and pages are whole, and the rows that
    miss a gradebook entry ask for review (`note` says why)."""
    has_gradebook = db_url is not None or (course_dir / "gradebook.db").exists()
    if not has_gradebook:
        release.release(course_dir, course_dir / "student-notebooks", slugs, db_url=db_url)
        return course_dir
    config = course_dir / "nbgrader_config.py"
    kept = config.read_text(encoding="utf-8") if config.exists() else None
    for slug in [slug for slug in slugs if release.released_cells(course_dir, slug) != release.graded_cells(slug)]:
        try:
            release.release(course_dir, course_dir / "student-notebooks", [slug], db_url=db_url)
        except RuntimeError as error:
            note(f"{slug}: its cells with points changed since the course in {course_dir} was released, and "
                 f"nbgrader cannot change a gradebook that has submissions ({str(error).splitlines()[0][:120]}); "
                 "grades of the new cells reach the CSVs but not the gradebook: grade into a new --course folder")
        finally:
            if kept is not None:
                config.write_text(kept, encoding="utf-8")
    return course_dir


def record_in_gradebook(gradebook, outcome):
    """Every test cell's score is written, so a failed re-grade resets the old scores."""
    s = outcome.submission
    gradebook.update_or_create_student(s.student_id)
    submitted = {"timestamp": _naive_utc(s.submitted_at)} if s.submitted_at else {}  # formgrader compares it
    gradebook.update_or_create_submission(s.assignment_id, s.student_id, **submitted)
    for grade_id, score, _, message in outcome.tests:
        grade = gradebook.find_grade(grade_id, s.assignment_id, s.assignment_id, s.student_id)
        if message == AWAITING_MANUAL:  # a person scores it in the formgrader; never overwritten here
            grade.needs_manual_grade = grade.manual_score is None
            continue
        grade.auto_score = score
        grade.needs_manual_grade = grade.manual_score is not None  # as nbgrader's own autograde leaves it
    gradebook.db.commit()


def with_manual_scores(outcome, gradebook):
    """The outcome with the scores a person gave its hand-graded cells in the formgrader, if any yet."""
    s = outcome.submission
    cells = []
    for cell in outcome.tests:
        if cell.message in (AWAITING_MANUAL, SCORED_BY_HAND):
            try:
                grade = gradebook.find_grade(cell.grade_id, s.assignment_id, s.assignment_id, s.student_id)
                manual = grade.manual_score
            except Exception:  # noqa: BLE001 - not in this gradebook (yet): still awaiting
                manual = None
            if manual is not None:
                cell = GradedCell(cell.grade_id, float(manual), cell.max_score, SCORED_BY_HAND)
        cells.append(cell)
    outcome.tests = cells
    return outcome


def _naive_utc(text):
    """nbgrader keeps submission times as naive UTC datetimes."""
    from datetime import UTC

    from grader.lateness import parse_time

    try:
        return parse_time(text).astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


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
        "note": s.note,
        "status": outcome.status,
        "message": outcome.message,
        "raw_score": outcome.raw_score,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "tests": [list(test) for test in outcome.tests],
        "seconds": round(outcome.seconds, 3),
        "cpu_seconds": round(outcome.cpu_seconds, 3),
        "memory_peak_mb": round(outcome.memory_peak_mb, 1),
        "content_sha256": outcome.content_sha256,
        "course_version": outcome.course_version,
        "lateness": list(dataclasses.astuple(outcome.lateness)),
    }


def outcome_from_record(record):
    """An Outcome as it was recorded (its cells, only needed for its page, are not kept)."""
    path = Path(record["path"]) if record.get("path") else None
    submission = Submission(record["student_id"], record["assignment_id"], path, record.get("note", ""))
    return Outcome(
        submission,
        status=record["status"],
        message=record["message"],
        tests=[GradedCell(*test) for test in record["tests"]],
        seconds=record.get("seconds", 0.0),
        cpu_seconds=record.get("cpu_seconds", 0.0),
        memory_peak_mb=record.get("memory_peak_mb", 0.0),
        content_sha256=record.get("content_sha256", ""),
        course_version=record.get("course_version", ""),
        lateness=Lateness(*record["lateness"]) if record.get("lateness") else NOT_LATE,
    )


def failed_outcome(submission, status, error):
    """The row of a student whose grading or recording failed: nobody else's grade depends on it."""
    outcome = Outcome(submission, status=status, message=clean_text(f"{type(error).__name__}: {error}", 500))
    outcome.tests = [GradedCell(g, 0, p, f"not graded: {status}") for g, p in test_cells(submission.assignment_id)]
    return outcome


class ResultStore:
    """results/<student key>/<assignment>.json in a run folder: the one record of every grade, from
    which the class files are written. A regrade replaces only the records it grades."""

    def __init__(self, out_dir):
        self.folder = Path(out_dir) / "results"
        self._everyone = None  # {(student, assignment): Outcome}, read from disk once, then kept current by save()

    def path(self, student_id, assignment_id):
        return self.folder / student_key(student_id) / f"{assignment_id}.json"

    def load(self, student_id, assignment_id):
        try:
            return json.loads(self.path(student_id, assignment_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save(self, outcome):
        s = outcome.submission
        record = outcome_record(outcome)
        write_atomic(self.path(s.student_id, s.assignment_id), json.dumps(record, indent=1))
        if self._everyone is not None:
            self._everyone[s.student_id, s.assignment_id] = outcome_from_record(record)

    def all_outcomes(self):
        """Every record of the run folder, sorted (read from disk the first time only: a large class's
        class files are rewritten often while it is graded)."""
        if self._everyone is None:
            self._everyone = {}
            for path in sorted(self.folder.glob("*/*.json")):
                try:
                    outcome = outcome_from_record(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # a half-written or foreign file: the next run writes it again
                self._everyone[outcome.submission.student_id, outcome.submission.assignment_id] = outcome
        return [self._everyone[key] for key in sorted(self._everyone)]


class ClassRecord:
    """Writes each student's results as they finish (results file, gradebook, feedback page) and the
    class files now and then, atomically, from every record in the run folder, so that a crash or
    a kill keeps what is done and a regrade leaves every other row as it was."""

    CSV_EVERY = 5.0  # seconds between rewrites of the class files during a run

    def __init__(self, out_dir, course_dir, gradebook, store):
        self.out_dir, self.course_dir, self.gradebook, self.store = out_dir, course_dir, gradebook, store
        self.outcomes, self.csvs_written = [], 0.0

    def add(self, outcome, reused=False):
        """Record one student's outcome; a reused one (unchanged since it was graded) is only counted."""
        self.outcomes.append(outcome)
        if reused:
            return
        self.store.save(outcome)
        try:
            record_in_gradebook(self.gradebook, outcome)
        except Exception as error:  # e.g. the database refused this id: this student's problem only
            self.gradebook.db.rollback()
            outcome.status = "needs-review"
            outcome.message = clean_text(f"not in the gradebook ({type(error).__name__}: {error}); " + outcome.message,
                                         1000)
            self.store.save(outcome)
        keep_for_formgrader(self.course_dir, outcome)
        try:
            feedback.keep_for_release_feedback(self.course_dir, outcome)  # for nbgrader's release_feedback
        except OSError as error:
            outcome.message = clean_text(f"feedback not ready for release_feedback ({error}); {outcome.message}", 1000)
        page = self.out_dir / "feedback" / student_key(outcome.submission.student_id)
        feedback.write(outcome, page / f"{outcome.submission.assignment_id}.html")
        if time.monotonic() - self.csvs_written > self.CSV_EVERY:
            self.write_class_files()

    def write_class_files(self):
        everyone = [with_manual_scores(outcome, self.gradebook) for outcome in self.store.all_outcomes()]
        with tempfile.TemporaryDirectory(dir=self.out_dir, prefix=".csv-") as staging:
            write_csvs(everyone, Path(staging))
            write_timings(everyone, Path(staging))
            for name in ("grades.csv", "tests.csv", "timings.json"):
                os.replace(Path(staging) / name, self.out_dir / name)
        if (self.out_dir / "report.md").exists():  # a report written earlier must not go stale
            from grader.report import write_report

            write_report(self.out_dir)
        self.csvs_written = time.monotonic()
        return everyone


def course_version(slug, limits):
    """A digest of everything a verdict depends on: the lesson, the check cases, the grader, the
    helpers and the limits. A record made under another version is graded again."""
    numbers = {name: float(value) if value is not None else None for name, value in dataclasses.asdict(limits).items()}
    return _course_version(slug, json.dumps(numbers, sort_keys=True))  # 3 and 3.0 s are the same limit


@cache
def _course_version(slug, limits_text):
    digest = hashlib.sha256(limits_text.encode())
    sources = [course.LESSONS / f"{slug}.py", *sorted((course.ROOT / "grader").rglob("*.py"))]
    sources += sorted((course.ROOT / "coursekit").rglob("*.py")) + [checking.VISIBLE_CHECKS]
    for path in sources:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def content_digest(submission):
    if submission.path is None:
        return ""
    try:
        return hashlib.sha256(read_regular_file(submission.path, MAX_BYTES)).hexdigest()
    except (OSError, ValueError):
        return ""


def reusable(record, submission, digest, version):
    """A record still right for this submission: same notebook, same course version, a real grade."""
    return (
        record is not None
        and digest
        and record.get("content_sha256") == digest
        and record.get("course_version") == version
        and record.get("status") not in ("grader error", "missing")
        and record.get("note", "") == submission.note
    )


@dataclass
class ClassOptions:
    """What an instructor may ask of a run besides the folder: who, which lessons, the roster and late rules."""

    students: tuple = ()  # only these student ids (after the roster's mapping); () for everyone
    roster: object = None  # grader.roster.Roster
    deadlines: dict = field(default_factory=dict)  # {assignment_id: datetime}
    late_policy: object = None  # grader.lateness.LatePolicy
    timestamps: dict = field(default_factory=dict)  # {(student_id, assignment_id): datetime}
    reuse: bool = True  # keep results of notebooks unchanged since they were graded


def apply_roster(submissions, roster, slugs):
    """Submissions under their roster ids (flagged when on no roster line), plus a `missing` one for
    every rostered student without a submission of an assignment."""
    if roster is None:
        return submissions
    mapped = []
    for s in submissions:
        entry = roster.match(s.student_id)
        if entry is None:
            why = "ambiguous on the roster" if roster.ambiguous(s.student_id) else "not on the roster"
            s = dataclasses.replace(s, note="; ".join(filter(None, [s.note, why])))
        elif entry.student_id != s.student_id:
            s = dataclasses.replace(s, student_id=entry.student_id,
                                    note="; ".join(filter(None, [s.note, f"submitted as {s.student_id}"])))
        mapped.append(s)
    present = {(s.student_id, s.assignment_id) for s in mapped}
    for entry in roster.students:
        for slug in slugs:
            if (entry.student_id, slug) not in present:
                mapped.append(Submission(entry.student_id, slug, None, "no submission found for this student"))
    return mapped


def assess_lateness(submission, options):
    from grader.lateness import assess, parse_time

    moment = options.timestamps.get((submission.student_id, submission.assignment_id))
    if moment is None and submission.submitted_at:
        try:
            moment = parse_time(submission.submitted_at)
        except (ValueError, OverflowError):
            moment = None
    policy = options.late_policy or LatePolicy()
    return assess(moment, options.deadlines.get(submission.assignment_id), policy, submission.late)


def with_lateness(outcome, lateness):
    outcome.lateness = lateness
    return outcome


@contextmanager
def grading(fresh, limits, threads, scheduler, note):
    """(job, future) of every job (submission, digest, version) of fresh as it finishes: graded by a pool of threads
    here, or on the Dask cluster at scheduler (grader/cluster.py). Only results cross this seam: the recording
    stays with its one writer, autograde()."""
    if scheduler:
        from grader import cluster  # dask is imported by cluster runs only

        with cluster.grading(scheduler, fresh, limits, note) as finished:
            yield finished
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {pool.submit(grade_one, job[0], limits=limits): job for job in fresh}
        yield ((futures[future], future) for future in as_completed(futures))


def autograde(submissions_dir, out_dir, *, jobs=2, limits=None, slugs=None, options=None, course_dir=None,
              progress=True, log=print, scheduler=None, db_url=None):
    """Grade a folder (or a .zip) of submissions into out_dir; returns this run's outcomes.

    Records already in out_dir for other students or lessons are kept as they are; a submission
    unchanged since it was graded under the same course version is not graded again. With a
    scheduler address (tcp://HOST:PORT) the submissions are graded on that Dask cluster, and
    recorded here as they come back."""
    slugs = slugs or course.lesson_slugs()
    limits = limits or sandbox.Limits()
    options = options or ClassOptions()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    run_log = out_dir / "run.log"

    def note(line):
        log(line)
        with open(run_log, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {clean_text(line)}\n")

    note(f"sandbox: {sandbox.isolation()}; per submission: {sandbox.resource_control()}; limits: {limits}; "
         f"jobs: {jobs}")
    course_dir = prepare_course(Path(course_dir or out_dir / "course").resolve(), slugs, db_url, note)
    folder = unpack_if_zip(Path(submissions_dir), out_dir / ".unpacked")  # a .zip download is unpacked first
    intake = scan(folder, slugs)
    write_intake_csv(intake, out_dir / "intake.csv")
    note(f"intake of {submissions_dir}: {summary(intake)} (every file's decision is in intake.csv)")
    submissions = apply_roster(intake.submissions, options.roster, slugs)
    if options.students:
        submissions = [s for s in submissions if s.student_id in set(options.students)]
    from nbgrader.api import Gradebook

    warnings.filterwarnings("ignore", module="nbgrader")  # SQLAlchemy notices from nbgrader's own code
    warnings.filterwarnings("ignore", message=".*not in session.*")

    store, fresh, reused = ResultStore(out_dir), [], []
    for s in submissions:
        version, digest = course_version(s.assignment_id, limits), content_digest(s)
        record = store.load(s.student_id, s.assignment_id) if options.reuse else None
        if reusable(record, s, digest, version):
            reused.append((with_lateness(outcome_from_record(record), assess_lateness(s, options)), record))
        else:
            fresh.append((s, digest, version))
    with (
        Gradebook(db_url or f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook,
        grading(fresh, limits, jobs, scheduler, note) as finished,
    ):
        record = ClassRecord(out_dir, course_dir, gradebook, store)  # one store: every save reaches the class files
        for outcome, stored in reused:
            if outcome_record(outcome) != stored:
                store.save(outcome)  # the same grade, under deadlines changed since
            record.add(outcome, reused=True)
        bar = tqdm(finished, total=len(fresh), desc="grading", unit="nb", disable=not progress)
        for (submission, digest, version), future in bar:
            try:
                outcome = future.result()
            except Exception as error:  # a grader bug must not stop the class: record it
                outcome = failed_outcome(submission, "grader error", error)
            outcome.content_sha256, outcome.course_version = digest, version
            try:
                record.add(with_lateness(outcome, assess_lateness(submission, options)))
            except Exception as error:  # nor may one student's odd results stop the others being written
                note(f"could not record {submission.student_id!r}: {type(error).__name__}: {error}")
                record.outcomes.append(failed_outcome(submission, "grader error", error))
        everyone = record.write_class_files()
    outcomes = record.outcomes
    problems = sum(o.status != "graded" for o in outcomes)
    note(f"{len(fresh)} submissions graded, {len(reused)} unchanged results reused, {problems} with a problem "
         f"status; {len(everyone)} rows in grades.csv")
    return outcomes


def write_csvs(outcomes, out_dir):
    """grades.csv and tests.csv: every text cell through csv_cell (ids, statuses and messages carry
    names the student chose, which a spreadsheet would otherwise run as formulas); scores stay numbers."""
    out_dir = Path(out_dir)
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADES_FIELDS + LATE_FIELDS)
        for o in outcomes:
            s, late = o.submission, o.lateness
            writer.writerow(
                [csv_cell(s.student_id), csv_cell(s.assignment_id), csv_number(o.score), csv_number(o.max_score)]
                + [csv_cell(o.row_status), csv_cell(o.row_message), csv_cell(late.submitted_at), csv_cell(late.late_by)]
                + [csv_number(o.raw_score), csv_number(round(late.penalty, 4))]
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
            "status": o.row_status,
        }
        for o in outcomes
    ]
    (out_dir / "timings.json").write_text(json.dumps(rows, indent=1))
