"""One student cannot break the class: every attack of tests/hostile_class.py graded in one run
beside correct classmates. The run completes with every file, every classmate gets full marks and
the same page as when graded alone, and no attack earns more than its own functions deserve."""

import csv
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time

import pytest
from markdown_it import MarkdownIt
from support.hostile_class import SLUG, make_hostile_class

from grader import sandbox
from grader.autograde import autograde
from grader.intake import student_key
from grader.sandbox import Limits

LIMITS = Limits(cell_timeout=2, probe_timeout=2)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _grade(submitted, out):
    return autograde(submitted, out, jobs=2, limits=LIMITS, slugs=[SLUG], progress=False, log=lambda *_: None)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    attacks, classmates = make_hostile_class(root / "submitted")
    for student in classmates:  # the classmates graded alone: the pages they must still get
        shutil.copytree(root / "submitted" / student, root / "alone" / student)
    _grade(root / "alone", root / "alone-out")
    start = time.monotonic()
    outcomes = _grade(root / "submitted", root / "out")
    seconds = time.monotonic() - start
    print(f"\nhostile class: {len(outcomes)} submissions ({len(attacks)} attacks) graded in {seconds:.1f} s")
    for o in sorted(outcomes, key=lambda o: o.submission.student_id):
        print(f"  {o.submission.student_id[:40]!r:44} {o.score:g}/{o.max_score:g} {o.status:13} {o.seconds:5.1f} s "
              f"{o.message[:90]}")
    by_id = {o.submission.student_id: o for o in outcomes}
    return root, attacks, classmates, by_id


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_the_sandbox_has_a_control_group_per_submission():
    assert sandbox.resource_control().startswith("cgroup"), sandbox.resource_control()


def test_the_run_completes_with_every_file(hostile):
    root, attacks, classmates, by_id = hostile
    for name in ("grades.csv", "tests.csv", "intake.csv", "timings.json", "run.log"):
        assert (root / "out" / name).is_file(), name
    grades = list(csv.DictReader(open(root / "out" / "grades.csv", encoding="utf-8")))
    assert len(grades) == len(by_id) and len({(r["student_id"], r["assignment_id"]) for r in grades}) == len(grades)
    for student in classmates + [a.student_id for a in attacks]:
        assert student in by_id, f"{student!r} has no row"


def test_every_classmate_has_full_marks_and_the_page_it_gets_alone(hostile):
    root, _, classmates, by_id = hostile
    for student in classmates:
        outcome = by_id[student]
        assert (outcome.score, outcome.status) == (outcome.max_score, "graded"), (student, outcome.message)
        page = root / "out" / "feedback" / student / f"{SLUG}.html"
        alone = root / "alone-out" / "feedback" / student / f"{SLUG}.html"
        assert page.read_text(encoding="utf-8") == alone.read_text(encoding="utf-8"), student


def test_no_attack_earns_a_point(hostile):
    _, attacks, _, by_id = hostile
    too_much = [
        f"{a.student_id!r} ({a.what}): {by_id[a.student_id].score} > {a.most}"
        for a in attacks
        if by_id[a.student_id].score > a.most
    ]
    assert not too_much, "\n".join(too_much)


def test_forged_reports_earn_exactly_what_the_functions_deserve(hostile):
    _, attacks, _, by_id = hostile
    for student in ("forger", "lookup", "decoder-bomb"):
        attack = next(a for a in attacks if a.student_id == student)
        assert by_id[student].score == attack.most, (student, by_id[student].message)
    assert by_id["forger"].status == "needs-review"
    assert "modified its argument" in " ".join(t[3] for t in by_id["forger"].tests)


def test_no_submission_holds_a_slot_or_memory_beyond_its_budget(hostile):
    _, _, _, by_id = hostile
    for student, outcome in by_id.items():
        assert outcome.seconds <= LIMITS.total_seconds() + 15, (student, outcome.seconds)
        assert outcome.memory_peak_mb <= LIMITS.memory_mb + 1, (student, outcome.memory_peak_mb)
    # the grader itself never decoded the 4 GB report
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 3 * 2**20, "the grader's own memory grew past 3 GB"


def test_links_are_skipped_and_every_file_is_accounted_for(hostile):
    root, _, _, by_id = hostile
    rows = list(csv.DictReader(open(root / "out" / "intake.csv", encoding="utf-8")))
    decisions = {row["path"]: row for row in rows}
    assert decisions["zed"]["decision"] == "skipped"
    assert decisions[f"mallory/{SLUG}/{SLUG}.ipynb"]["decision"] == "skipped"
    assert decisions[f"hardy/{SLUG}/{SLUG}.ipynb"]["decision"] == "skipped"
    assert decisions[f".._{SLUG}.ipynb"]["decision"] == "skipped"
    assert by_id["mallory"].score == 0 and by_id["hardy"].score == 0
    on_disk = []
    for folder, dirs, files in os.walk(root / "submitted"):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path) or name in files:
                on_disk.append(os.path.relpath(path, root / "submitted"))
    assert len(rows) == len(on_disk)


def test_pages_stay_inside_the_feedback_folder_and_apart(hostile):
    root, _, _, by_id = hostile
    feedback = (root / "out" / "feedback").resolve()
    pages = [p for p in feedback.rglob("*.html")]
    assert len(pages) == len(by_id), "one page per student"
    for student in by_id:
        page = (feedback / student_key(student) / f"{SLUG}.html").resolve()
        assert page.is_relative_to(feedback) and page.is_file(), student
    for path in (root / "out").rglob("*"):
        assert path.resolve().is_relative_to((root / "out").resolve()), path
    assert len({student_key(s) for s in by_id}) == len(by_id)


def test_outputs_are_inert(hostile):
    root, _, _, _ = hostile
    for name in ("grades.csv", "tests.csv", "intake.csv"):
        for row in _rows(root / "out" / name)[1:]:
            for cell in row:
                assert not CONTROL.search(cell), (name, cell)
                if cell.startswith(DANGEROUS_START):
                    float(cell)  # only plain numbers may start with a sign
    for page in (root / "out" / "feedback").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text and not CONTROL.search(text), page
        assert len(text) < 4 * 2**20, page


def test_slow_markdown_does_not_slow_the_page(hostile):
    root, _, _, by_id = hostile
    page = root / "out" / "feedback" / "slow-page" / f"{SLUG}.html"
    assert page.stat().st_size < 4 * 2**20
    assert by_id["slow-page"].score == by_id["slow-page"].max_score


def test_the_report_command_works_on_the_hostile_run(hostile):
    root, _, _, _ = hostile
    done = subprocess.run([sys.executable, "-m", "grader", "report", str(root / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = MarkdownIt("commonmark").enable("table").render((root / "out" / "report.md").read_text(encoding="utf-8"))
    assert "<script" not in html and "<a " not in html
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    assert all(not heading.startswith(("Fake", "x")) for heading in headings), headings


def test_results_are_written_per_student(hostile):
    root, _, _, by_id = hostile
    for student, outcome in by_id.items():
        record = json.loads((root / "out" / "results" / student_key(student) / f"{SLUG}.json").read_text())
        assert record["student_id"] == student and record["score"] == outcome.score
