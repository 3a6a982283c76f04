"""A run's grades as one row per student and one column per assignment, in the import format
of an LMS gradebook (Canvas, Moodle, Gradescope) or as a plain table (csv).

run_dir/grades.csv is read by column name (student_id, assignment_id, score, max_score, status;
other columns are ignored) and its ids are matched to the roster (grader.roster): a submission
filed under a Canvas login, a Moodle full name or a Gradescope email lands on the roster's
student. Rostered students come first, in the roster's order, each with a row even without any
grade; ids that match nobody follow under their own id (except in Moodle's file, see
moodle_table). An id that matches several roster students is in no row: under its own id the
LMS could still hand its grade to one of them. The report names both kinds. Assignments are columns in sorted order.

What a cell holds (`score` in grades.csv is the final score):
- graded, needs-review, crashed, invalid notebook: the score; needs-review scores are listed in
  the warnings, since a person meant to look at them;
- missing, or no row at all: empty (0 with missing_as_zero): the student handed nothing in;
- grader error, a status this module does not know, or a score that is not a number: empty and
  a warning; a failure of the grader is never exported as a 0;
- two different scores for one roster student and assignment (two ids matched one student):
  empty and a warning.

An empty cell does NOT leave the LMS's grade untouched in Canvas or Moodle: both read it as "no
grade" and remove a grade they already hold for that student and assignment (see
canvas_table and moodle_table). The report counts the empty cells of each LMS export and says so.

Text cells go through textsafe.csv_cell (names and ids cannot run as spreadsheet formulas),
scores through csv_number. Files are UTF-8; Canvas's has a byte-order mark (see canvas_table).
"""

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

from grader.roster import Roster, RosterEntry
from grader.textsafe import csv_cell, csv_number

SCORED = frozenset({"graded", "needs-review", "crashed", "invalid notebook"})
MISSING = "missing"
NEEDS_REVIEW = "needs-review"
REQUIRED_COLUMNS = ("student_id", "assignment_id", "score", "max_score", "status")


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GradeRow:
    """One row of grades.csv, as the values autograde gave csv_cell and csv_number."""

    student_id: str
    assignment_id: str
    score: float | None  # None: not a number
    max_score: float | None
    status: str


@dataclass
class StudentRow:
    """One student row of an export: a roster student, or an id from grades.csv that matches
    nobody on the roster (entry None)."""

    student_id: str  # the roster's student_id, or the id from grades.csv
    entry: RosterEntry | None
    scores: dict  # {assignment_id: score or None for an empty cell}
    graded: bool  # the autograder scored at least one of the student's submissions


@dataclass
class Gradebook:
    """What every export format writes, in its own columns."""

    assignments: list[str]
    points: dict  # {assignment_id: max score or None}
    students: list[StudentRow]
    warnings: list[str]
    ambiguous: list[str]  # ids that match several roster students: in no row


@dataclass
class Table:
    """The rows of one export file: head rows, then one row per written student."""

    head: list[list]
    body: list[list]
    written: list[StudentRow]
    warnings: list[str]


@dataclass
class ExportReport:
    out_file: Path
    fmt: str
    rows_written: int  # student rows (the header and Canvas's Points Possible row not counted)
    not_on_roster: list[str]  # ids from grades.csv that match no roster student
    without_grades: list[str]  # roster student_ids the autograder scored nothing for
    ambiguous: list[str]  # ids from grades.csv that match several roster students: left out
    warnings: list[str]


# ----------------------------------------------------------------------------- reading grades.csv


def read_cell(text: str) -> str:
    """The text csv_cell was given for a cell it wrote: its formula guard, a leading quote, removed
    ("'=x" was "=x"). A quote csv_cell would not have added is the text's own."""
    if text.startswith("'") and csv_cell(text[1:]) == text:
        return text[1:]
    return text


def read_number(text) -> float | None:
    """A finite number from a CSV cell, or None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def read_grades(run_dir) -> list[GradeRow]:
    """The rows of run_dir/grades.csv, read by column name; rows without ids are skipped."""
    path = Path(run_dir) / "grades.csv"
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            absent = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
            if absent:
                raise ValueError(f"{path}: no {', '.join(absent)} column (a grades.csv written by autograde?)")
            rows = [{key: value or "" for key, value in row.items() if isinstance(key, str)} for row in reader]
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    grades = [
        GradeRow(
            read_cell(row["student_id"]),
            read_cell(row["assignment_id"]),
            read_number(row["score"]),
            read_number(row["max_score"]),
            read_cell(row["status"]).strip(),
        )
        for row in rows
    ]
    return [row for row in grades if row.student_id and row.assignment_id]


# ----------------------------------------------------------------------------- one gradebook for every format


def cell_value(rows, missing_as_zero) -> tuple[float | None, str]:
    """(the score of one student and assignment or None, the problem when one keeps it empty)."""
    scores = {row.score for row in rows if row.status in SCORED and row.score is not None}
    if len(scores) == 1:
        return scores.pop(), ""
    if len(scores) > 1:
        return None, f"different scores {', '.join(map(str, sorted(scores)))} for one student"
    unscored = [row for row in rows if row.status != MISSING]
    if not unscored:  # a missing notebook, or no submission at all
        return (0.0 if missing_as_zero else None), ""
    row = unscored[0]
    if row.status in SCORED:
        return None, f"status {row.status!r} without a numeric score"
    return None, f"status {row.status!r}"


def max_points(grades, assignments) -> tuple[dict, list[str]]:
    """({assignment: its max score or None}, warnings where rows disagree on it)."""
    points, warnings = {}, []
    for assignment in assignments:
        values = {row.max_score for row in grades if row.assignment_id == assignment and row.max_score is not None}
        points[assignment] = max(values) if values else None
        if len(values) > 1:
            warnings.append(f"{assignment}: rows disagree on the max score ({sorted(values)}); using the largest")
    return points, warnings


def student_row(student_id, entry, rows, assignments, missing_as_zero, warnings) -> StudentRow:
    """One student's row from all the grades.csv rows of the ids that resolved to them."""
    scores = {}
    for assignment in assignments:
        value, problem = cell_value([row for row in rows if row.assignment_id == assignment], missing_as_zero)
        scores[assignment] = value
        if problem:
            warnings.append(f"{student_id!r}, {assignment}: {problem}; cell left empty")
    graded = any(row.status in SCORED and row.score is not None for row in rows)
    return StudentRow(student_id, entry, scores, graded)


def gradebook(grades, roster: Roster, missing_as_zero=False) -> Gradebook:
    """Every roster student in roster order, then every id of grades.csv that is not on the roster."""
    assignments = sorted({row.assignment_id for row in grades})
    points, warnings = max_points(grades, assignments)
    rostered, unrostered, ambiguous = {}, {}, []
    for grader_id in sorted({row.student_id for row in grades}):
        entry = roster.match(grader_id)
        rows = [row for row in grades if row.student_id == grader_id]
        if entry is not None:
            rostered.setdefault(entry.student_id, []).extend(rows)
            continue
        if roster.ambiguous(grader_id):
            ambiguous.append(grader_id)
            warnings.append(f"{grader_id!r} matches several roster students; left out (tell them apart in the roster)")
        else:
            unrostered[grader_id] = rows
            warnings.append(f"{grader_id!r} is not on the roster")
    students = [
        student_row(e.student_id, e, rostered.get(e.student_id, []), assignments, missing_as_zero, warnings)
        for e in roster.students
    ]
    students += [
        student_row(grader_id, None, rows, assignments, missing_as_zero, warnings)
        for grader_id, rows in unrostered.items()
    ]
    review = [f"{row.student_id!r} {row.assignment_id}" for row in grades if row.status == NEEDS_REVIEW]
    if review:
        warnings.append(f"{len(review)} score(s) marked needs-review, exported as the autograder gave them "
                        "(a person should check them): " + ", ".join(review))
    return Gradebook(assignments, points, students, warnings, ambiguous)


# ----------------------------------------------------------------------------- the formats


def score_cell(value) -> object:
    """A score as a plain number (3, not 3.0; float noise rounded away), or '' for an empty cell."""
    if value is None:
        return ""
    value = round(value, 6)
    return csv_number(int(value) if value.is_integer() else value)


def score_cells(student, assignments) -> list:
    return [score_cell(student.scores[assignment]) for assignment in assignments]


def is_number(text) -> bool:
    return text.isascii() and text.isdigit()


def canvas_identity(student) -> list[str]:
    """Student, ID, SIS User ID, SIS Login ID, Section of one Canvas row (before csv_cell).

    ID is Canvas's own user number, so the roster's lms_id goes there only when it is one (Canvas
    reads the cell as a number: a login such as "2019kim" would be read as user 2019). A lms_id
    that is not a number is a Canvas login and goes to SIS Login ID; otherwise SIS Login ID is
    the email (the login of most schools), else the student_id. SIS User ID is the student_id."""
    entry = student.entry
    if entry is None:
        return [student.student_id, "", student.student_id, student.student_id, ""]
    lms_number = entry.lms_id if is_number(entry.lms_id) else ""
    login = entry.lms_id if entry.lms_id and not lms_number else entry.email or entry.student_id
    return [entry.name or entry.student_id, lms_number, entry.student_id, login, entry.section]


def canvas_table(book: Gradebook) -> Table:
    """Canvas's gradebook import CSV (Grades > Import).

    Followed: Canvas's importer and exporter in instructure/canvas-lms (GradebookImporter,
    GradebookExporter) and the Instructor Guide "How do I import grades in the Gradebook?":
    - the header's first cell contains "Student", the second "ID"; "SIS User ID" and "SIS Login
      ID" may follow as a pair; the last student column must be "Section" (else Canvas refuses
      the file: "Invalid header row"); every later column is an assignment;
    - a row whose first cell contains "Points Possible" describes the assignments, not a student
      (Canvas's own export writes it second, with the other student cells empty);
    - a row's student is found by ID (Canvas's user number), then SIS User ID, then SIS Login ID
      (the login), then by the name in Student ("First Last" or "Last, First"); a student Canvas
      does not find is listed on its review page, to be matched by hand or ignored;
    - an assignment column is matched by "Title (canvas id)" or by the exact title; any other
      header creates a new assignment (with the Points Possible row's points), so name the
      Canvas assignments after the lesson slugs or edit this header before importing;
    - an empty cell over a grade Canvas already holds is a change: Canvas posts the empty grade
      and the grade is removed (its review page shows the change before anything is saved).
    A byte-order mark: Canvas's exporter writes one when the user's setting asks for it, its
    importer finds the header by what the cells contain (so the mark is harmless), and Excel
    needs it to show accented names."""
    head = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *map(csv_cell, book.assignments)],
        ["Points Possible", "", "", "", "", *[score_cell(book.points[a]) for a in book.assignments]],
    ]
    body = [[*map(csv_cell, canvas_identity(s)), *score_cells(s, book.assignments)] for s in book.students]
    return Table(head, body, book.students, [])


def moodle_table(book: Gradebook) -> Table:
    """Moodle's grade import from a CSV file (Grades > Import > CSV file).

    Followed: Moodle's gradeimport_csv (grade/import/csv/classes/load_data.php, grade/import/lib.php)
    and its own plain-text grade export, whose column names these are:
    - one column identifies the user; on the import page it is mapped ("Map from") to "Email
      address", "ID number", "Username" or the user id; every other column is mapped to a grade
      item ("05_adam" here) or to a new one;
    - the identifier is "Email address" when every roster student has an email, else "ID number"
      with the student_id (set it as the users' ID number in Moodle); a column with gaps would
      be worse than either: Moodle gives a row with an empty identifier to the row before it;
    - scores are plain numbers ("2.5"); an empty cell (or "-") is imported as "no grade", which
      removes a grade Moodle already holds for that item;
    - a user Moodle cannot find stops the WHOLE import ("user mapping error"), so ids that are
      not on the roster are left out of this file and named in the warnings."""
    rostered = [s for s in book.students if s.entry is not None]
    by_email = bool(rostered) and all(s.entry.email for s in rostered)
    head = [["Email address" if by_email else "ID number", *map(csv_cell, book.assignments)]]
    body = [
        [csv_cell(s.entry.email if by_email else s.entry.student_id), *score_cells(s, book.assignments)]
        for s in rostered
    ]
    left_out = [s.student_id for s in book.students if s.entry is None]
    warnings = [
        "left out of the Moodle file (not on the roster; Moodle would stop the whole import at an unknown user): "
        + ", ".join(map(repr, left_out))
    ] if left_out else []
    return Table(head, body, rostered, warnings)


def gradescope_table(book: Gradebook) -> Table:
    """Gradescope: Name, Email, SID, then one score column per assignment.

    Followed: Gradescope's guide "Adding Students and Staff" (a roster CSV has a header row, Name
    or First/Last Name and Email columns, unique emails, SID optional; save as UTF-8 for accented
    names) and the columns of its own score exports (First Name, Last Name, SID, Email, Sections,
    one column per assignment). Gradescope documents no per-assignment score import that we could
    find, nor what an empty cell does; its roster identifies students by Email, then SID. An id
    that is not on the roster goes in SID, and in Email too when it is an address (Gradescope's
    own submission ids are emails)."""
    head = [["Name", "Email", "SID", *map(csv_cell, book.assignments)]]
    body = []
    for s in book.students:
        if s.entry is not None:
            identity = [s.entry.name, s.entry.email, s.entry.student_id]
        else:
            identity = [s.student_id, s.student_id if "@" in s.student_id else "", s.student_id]
        body.append([*map(csv_cell, identity), *score_cells(s, book.assignments)])
    return Table(head, body, book.students, [])


def plain_table(book: Gradebook) -> Table:
    """A plain wide table: student_id, name, email, section, then one column per assignment."""
    head = [["student_id", "name", "email", "section", *map(csv_cell, book.assignments)]]
    body = []
    for s in book.students:
        e = s.entry or RosterEntry(s.student_id)
        body.append([*map(csv_cell, [e.student_id, e.name, e.email, e.section]), *score_cells(s, book.assignments)])
    return Table(head, body, book.students, [])


TABLES = {"canvas": canvas_table, "moodle": moodle_table, "gradescope": gradescope_table, "csv": plain_table}
FORMATS = tuple(TABLES)
BYTE_ORDER_MARK = {"canvas"}
EMPTY_CELLS = {
    "canvas": "Canvas reads an empty cell as 'no grade' and removes a grade it already holds there "
    "(its import review page shows these changes before saving)",
    "moodle": "Moodle imports an empty cell as 'no grade', removing a grade it already holds for that item",
    "gradescope": "Gradescope does not document what an empty cell does; check its preview before saving",
}


# ----------------------------------------------------------------------------- writing


def write_table(rows, out_file, byte_order_mark=False):
    """Write the whole file or nothing (a partial file is replaced into place at the end)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig" if byte_order_mark else "utf-8")
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    partial = out_file.with_name(f".{out_file.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, out_file)


def empty_cell_warning(fmt, table, assignments) -> list[str]:
    empty = sum(s.scores[a] is None for s in table.written for a in assignments)
    if not empty or fmt not in EMPTY_CELLS:
        return []
    return [f"{empty} empty score cell(s) (no score to export, or missing work without --missing-as-zero): "
            f"{EMPTY_CELLS[fmt]}"]


def export(run_dir, fmt, roster: Roster, out_file, *, missing_as_zero=False) -> ExportReport:
    """Write run_dir/grades.csv to out_file in the format fmt (one of FORMATS), one row per student.

    missing_as_zero writes 0 for a missing notebook or an assignment without any submission (never
    for a grader error). Raises ValueError for an unknown format or an unreadable grades.csv."""
    if fmt not in TABLES:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    book = gradebook(read_grades(run_dir), roster, missing_as_zero)
    table = TABLES[fmt](book)
    write_table(table.head + table.body, out_file, fmt in BYTE_ORDER_MARK)
    return ExportReport(
        out_file=Path(out_file),
        fmt=fmt,
        rows_written=len(table.body),
        not_on_roster=[s.student_id for s in book.students if s.entry is None],
        without_grades=[s.student_id for s in book.students if s.entry is not None and not s.graded],
        ambiguous=book.ambiguous,
        warnings=book.warnings + table.warnings + empty_cell_warning(fmt, table, book.assignments),
    )
