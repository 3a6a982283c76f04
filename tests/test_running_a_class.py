"""Running a real class: regrades that touch only whom they name, reruns that grade only what
changed, a killed run that a rerun finishes, late work, a roster, and a .zip download."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta

import nbformat
import pytest

from grader.autograde import ClassOptions, autograde
from grader.intake import student_key
from grader.lateness import LatePolicy, assess, parse_share, parse_time
from grader.sample_class import _solution_notebook, points
from grader.sandbox import Limits

SLUG = "05_adam"
LIMITS = Limits(cell_timeout=3, probe_timeout=3)
FULL = points(SLUG)


def _grade(submitted, out, **options):
    log = []
    outcomes = autograde(submitted, out, jobs=2, limits=LIMITS, slugs=[SLUG], options=ClassOptions(**options),
                         progress=False, log=log.append)
    return outcomes, log


def _wrong_notebook():
    notebook = _solution_notebook(SLUG)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "adam_update":
            cell.source = cell.source.replace("v_hat = new_v", "v_hat = 2 * new_v")
    return notebook


def _put(root, student, notebook, timestamp=None):
    folder = root / student / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{SLUG}.ipynb")
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp)


@pytest.fixture
def small_class(tmp_path):
    root = tmp_path / "submitted"
    for student in ("ann", "bob", "cy"):
        _put(root, student, _solution_notebook(SLUG))
    return root


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_a_one_student_regrade_replaces_only_that_students_rows(small_class, tmp_path):
    out = tmp_path / "out"
    _grade(small_class, out)
    before = {name: _lines(out / name) for name in ("grades.csv", "tests.csv")}
    timings_before = json.loads((out / "timings.json").read_text())
    _put(small_class, "bob", _wrong_notebook())
    _put(small_class, "cy", _wrong_notebook())  # changed too, but not named: must stay as it was
    outcomes, _ = _grade(small_class, out, students=("bob",))
    assert [o.submission.student_id for o in outcomes] == ["bob"] and outcomes[0].score < FULL
    for name, old in before.items():
        new = _lines(out / name)
        assert [line for line in new if not line.startswith("bob,")] == [l for l in old if not l.startswith("bob,")]
        assert [line for line in new if line.startswith("bob,")] != [l for l in old if l.startswith("bob,")]
    timings = json.loads((out / "timings.json").read_text())
    assert [t for t in timings if t["student_id"] != "bob"] == [t for t in timings_before if t["student_id"] != "bob"]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'course' / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(SLUG, "cy").score == FULL  # not regraded: still the old grade
        assert gradebook.find_submission(SLUG, "bob").score == outcomes[0].score


def test_a_rerun_grades_only_what_changed(small_class, tmp_path):
    out = tmp_path / "out"
    _grade(small_class, out)
    first = (out / "grades.csv").read_bytes()
    outcomes, log = _grade(small_class, out)
    assert "0 submissions graded, 3 unchanged results reused" in log[-1]
    assert (out / "grades.csv").read_bytes() == first
    _put(small_class, "ann", _wrong_notebook())
    start = time.monotonic()
    outcomes, log = _grade(small_class, out)
    print(f"\nincremental rerun, one of three changed: {time.monotonic() - start:.1f} s; {log[-1]}")
    assert "1 submissions graded, 2 unchanged results reused" in log[-1]
    assert {o.submission.student_id: o.score for o in outcomes}["ann"] < FULL


def test_a_killed_run_leaves_a_consistent_folder_that_a_rerun_finishes(tmp_path):
    root = tmp_path / "submitted"
    for n in range(6):
        _put(root, f"s{n}", _solution_notebook(SLUG))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "autograde", str(root), "--out", str(out), "--jobs", "1",
               "--timeout", "3", "--lessons", SLUG]
    process = subprocess.Popen(command, cwd=os.path.dirname(os.path.dirname(__file__)), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "results").glob("*/*.json"))) < 2:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((out / "results").glob("*/*.json")))
    assert 2 <= done_before < 6, done_before
    for record in (out / "results").glob("*/*.json"):
        json.loads(record.read_text())  # every record whole: written atomically
    outcomes, log = _grade(root, out)
    assert f"{6 - done_before} submissions graded, {done_before} unchanged results reused" in log[-1]
    rows = _rows(out / "grades.csv")
    assert sorted(r["student_id"] for r in rows) == [f"s{n}" for n in range(6)]
    assert all(float(r["score"]) == FULL for r in rows)


def test_late_work_is_penalised_by_the_day_and_capped(tmp_path):
    root = tmp_path / "submitted"
    deadline = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)
    stamps = {"early": deadline - timedelta(hours=1), "day": deadline + timedelta(hours=3),
              "week": deadline + timedelta(days=6, minutes=1)}
    for student, moment in stamps.items():
        _put(root, student, _solution_notebook(SLUG), moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    _put(root, "override", _solution_notebook(SLUG), (deadline - timedelta(days=1)).isoformat())
    options = dict(deadlines={SLUG: deadline}, late_policy=LatePolicy(parse_share("10%/day"), parse_share("50%")),
                   timestamps={("override", SLUG): deadline + timedelta(days=2, seconds=1)})
    _grade(root, tmp_path / "out", **options)
    rows = {r["student_id"]: r for r in _rows(tmp_path / "out" / "grades.csv")}
    assert list(next(iter(rows.values())))[-4:] == ["submitted_at", "late_by", "raw_score", "penalty"]
    assert (rows["early"]["late_by"], float(rows["early"]["penalty"]), float(rows["early"]["score"])) == ("", 0, FULL)
    assert rows["day"]["late_by"] == "3:00:00" and float(rows["day"]["penalty"]) == 0.1
    assert float(rows["day"]["score"]) == pytest.approx(FULL * 0.9) and float(rows["day"]["raw_score"]) == FULL
    assert float(rows["week"]["penalty"]) == 0.5 and rows["week"]["late_by"].startswith("6 days")
    assert float(rows["override"]["penalty"]) == pytest.approx(0.3)  # the timestamps file wins over the folder's
    assert rows["day"]["submitted_at"].startswith("2026-11-21T02:59")


def test_lateness_rules():
    deadline = parse_time("2026-11-20T12:00:00+01:00")
    policy = LatePolicy(0.25, 0.6)
    assert assess(parse_time("2026-11-20 11:00:00"), deadline, policy).penalty == 0  # UTC: exactly on time
    assert assess(parse_time("2026-11-20 11:00:01"), deadline, policy).penalty == 0.25
    assert assess(parse_time("2026-11-23 11:00:01"), deadline, policy).penalty == 0.6
    unknown = assess(None, deadline, policy, marked_late=True)
    assert unknown.penalty == 0 and "unknown" in unknown.late_by and unknown.needs_review
    assert parse_time("2026-11-20-10-30-00") == datetime(2026, 11, 20, 10, 30, tzinfo=UTC)  # Blackboard's names
    with pytest.raises(ValueError):
        parse_share("ten percent")


def test_a_zip_download_is_graded_like_its_folder_and_unsafe_members_are_accounted_for(small_class, tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(small_class.rglob("*.ipynb")):
            handle.write(path, path.relative_to(small_class))
        handle.writestr("../escape.ipynb", "{}")
        link = zipfile.ZipInfo("ann/link.ipynb")
        link.external_attr = 0o120777 << 16
        handle.writestr(link, "/etc/passwd")
    outcomes, _ = _grade(archive, tmp_path / "out")
    assert sorted((o.submission.student_id, o.score) for o in outcomes) == [("ann", FULL), ("bob", FULL), ("cy", FULL)]
    assert not (tmp_path / "escape.ipynb").exists() and not (tmp_path / "out" / "escape.ipynb").exists()
    left_out = (tmp_path / "out" / ".unpacked" / ".zip-members-left-out.txt").read_text()
    assert "../escape.ipynb" in left_out and "ann/link.ipynb" in left_out
    rows = _rows(tmp_path / "out" / "intake.csv")
    assert any(r["path"] == ".zip-members-left-out.txt" and r["decision"] == "skipped" for r in rows)


def test_a_roster_maps_lms_ids_adds_missing_rows_and_flags_strangers(tmp_path):
    from grader.roster import read_roster

    root = tmp_path / "submitted"
    root.mkdir()
    nbformat.write(_solution_notebook(SLUG), root / f"doejane_22222_7777777_{SLUG}.ipynb")  # Canvas login doejane
    nbformat.write(_solution_notebook(SLUG), root / f"stranger_11111_8888888_{SLUG}.ipynb")
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("student_id,name,email,lms_id,section\n"
                          "s001,Jane Doe,jane@example.edu,doejane,A\n"
                          "s002,Kim Lee,kim@example.edu,leekim,B\n")
    _grade(root, tmp_path / "out", roster=read_roster(roster_csv))
    rows = {r["student_id"]: r for r in _rows(tmp_path / "out" / "grades.csv")}
    assert set(rows) == {"s001", "s002", "stranger"}
    assert float(rows["s001"]["score"]) == FULL and "submitted as doejane" in rows["s001"]["message"]
    assert rows["s002"]["status"] == "missing" and float(rows["s002"]["score"]) == 0
    assert float(rows["stranger"]["score"]) == FULL and "not on the roster" in rows["stranger"]["message"]
    assert (tmp_path / "out" / "feedback" / student_key("s001") / f"{SLUG}.html").exists()


def test_records_hold_everything_the_class_files_are_made_from(small_class, tmp_path):
    _grade(small_class, tmp_path / "out")
    shutil.copy(tmp_path / "out" / "grades.csv", tmp_path / "grades-first.csv")
    (tmp_path / "out" / "grades.csv").unlink()
    _grade(small_class, tmp_path / "out")  # everything reused: the class files come from the records alone
    assert (tmp_path / "out" / "grades.csv").read_bytes() == (tmp_path / "grades-first.csv").read_bytes()


def test_the_gradebook_can_live_at_any_database_url(small_class, tmp_path):
    """--db-url reaches nbgrader's gradebook (a PostgreSQL URL for a large course; SQLite elsewhere here)."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    outcomes = autograde(small_class, tmp_path / "out", jobs=2, limits=LIMITS, slugs=[SLUG], db_url=url,
                         progress=False, log=lambda *_: None)
    assert not (tmp_path / "out" / "course" / "gradebook.db").exists()
    with Gradebook(url) as gradebook:
        assert {s.student.id for s in gradebook.assignment_submissions(SLUG)} == {"ann", "bob", "cy"}
        assert gradebook.find_submission(SLUG, "ann").score == FULL == outcomes[0].score
    assert f"c.CourseDirectory.db_url = {url!r}" in (tmp_path / "out" / "course" / "nbgrader_config.py").read_text()


def test_a_course_released_before_its_lessons_graded_cells_changed_is_released_again(tmp_path):
    """A question or test cell added to a lesson after the course was released: the next run releases
    that lesson again, so that the gradebook has an entry for every grade (nbgrader's MissingEntry
    otherwise sends every row to review)."""
    from nbgrader.api import Gradebook

    from grader.autograde import prepare_course
    from grader.release import graded_cells, released_cells, released_cells_path

    slug, course = "02_exponentially_weighted_averages", tmp_path / "course"
    prepare_course(course, [slug])
    assert released_cells(course, slug) == graded_cells(slug)
    released_cells_path(course, slug).write_text("[]")  # as if released before the lesson's question
    notes = []
    prepare_course(course, [slug], note=notes.append)
    assert notes == [] and released_cells(course, slug) == graded_cells(slug)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        cells = {cell.name for cell in gradebook.find_notebook(slug, slug).grade_cells}
    assert "test_predict_ewa_start" in cells, cells
