"""grader.intake on folders built to fool it: links, hard links, names that collide or escape,
names that are not UTF-8, every LMS layout, resubmissions, and stray files. Every file must get
exactly one row saying what was done with it and why."""

import csv
import os
import sys
import unicodedata

import pytest

from grader.intake import (
    GRADED,
    SKIPPED,
    SUPERSEDED,
    ZIP_REASON,
    Submission,
    display,
    scan,
    student_key,
    summary,
    write_intake_csv,
)

SLUGS = ["01_mini_batch_gradient_descent", "03_momentum", "05_adam"]
NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
LONG_A = "a" * 100 + "x" * 50
LONG_B = "a" * 100 + "y" * 50
JOSE_NFC = unicodedata.normalize("NFC", "josé")
JOSE_NFD = unicodedata.normalize("NFD", "josé")

# Every path the scan opens or lists, while a test records them (audit hooks cannot be removed,
# so the hook stays installed and only records when this is a list).
OPENED = {"paths": None}


def _record(event, args):
    if OPENED["paths"] is not None and event in ("open", "os.scandir", "os.listdir") and args:
        path = args[0]
        if isinstance(path, bytes | str):
            OPENED["paths"].append(os.fsencode(path))


sys.addaudithook(_record)


def put(root, relative, text=NOTEBOOK, mtime=None):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def build_class(root, outside):
    """A submissions folder with every case; outside holds what links point at."""
    secret = put(outside, "secret.ipynb")
    # nbgrader layout
    put(root, "alice/05_adam/05_adam.ipynb")
    put(root, "alice/05_adam/timestamp.txt", "2024-03-01 10:00:00.000000 UTC\n")
    put(root, "alice/05_adam/notes.txt", "my notes")
    put(root, "alice/05_adam/.ipynb_checkpoints/05_adam-checkpoint.ipynb")
    put(root, "alice/03_momentum/my_momentum.ipynb")
    put(root, "alice/99_unknown/99_unknown.ipynb")
    put(root, "alice/readme.md", "hello")
    put(root, "carol/05_adam/first.ipynb")
    put(root, "carol/05_adam/second.ipynb")
    (root / "dave" / "05_adam").mkdir(parents=True)
    # links: a file link to Alice's notebook, a folder link to Alice, a link out of the folder
    (root / "mallory" / "05_adam").mkdir(parents=True)
    os.symlink("../../alice/05_adam/05_adam.ipynb", root / "mallory/05_adam/05_adam.ipynb")
    os.symlink("alice", root / "zed")
    (root / "oscar" / "05_adam").mkdir(parents=True)
    os.symlink(secret, root / "oscar/05_adam/05_adam.ipynb")
    os.symlink(secret, root / "oscar_03_momentum.ipynb")
    os.symlink(outside, root / "peggy")
    # a hard link: Trudy's notebook is the same file as Victor's
    put(root, "victor/05_adam/05_adam.ipynb")
    (root / "trudy" / "05_adam").mkdir(parents=True)
    os.link(root / "victor/05_adam/05_adam.ipynb", root / "trudy/05_adam/05_adam.ipynb")
    # names that collide or escape
    put(root, "bob smith/05_adam/05_adam.ipynb")
    put(root, "bob_smith/05_adam/05_adam.ipynb")
    put(root, f"{LONG_A}/05_adam/05_adam.ipynb")
    put(root, f"{LONG_B}/05_adam/05_adam.ipynb")
    put(root, ".._05_adam.ipynb")
    put(root, "_05_adam.ipynb")
    put(root, "..._05_adam.ipynb")
    put(root, "evil\nname_05_adam.ipynb")
    os.mkfifo(root / "alice/05_adam/pipe")  # reading it would hang the scan
    put(root, "=HYPERLINK(x)_03_momentum.ipynb")
    os.mkdir(os.fsencode(root) + b"/jos\xe9")
    put(root, os.fsdecode(b"jos\xe9/05_adam/05_adam.ipynb"))
    put(root, f"{JOSE_NFC}/05_adam/05_adam.ipynb")
    put(root, f"{JOSE_NFD}/05_adam/05_adam.ipynb")
    put(root, "eve/05_adam/05_adam.ipynb")
    put(root, "eve /05_adam/05_adam.ipynb")
    put(root, "eve/03_momentum/03_momentum.ipynb")
    put(root, "eve /03_momentum/03_momentum.ipynb")
    put(root, "eve (2)/01_mini_batch_gradient_descent/01_mini_batch_gradient_descent.ipynb")
    # Canvas: a first try, a late resubmission (-1), and a namesake with another user id
    put(root, "doejane_22222_7777777_05_adam.ipynb", mtime=2_000_000_000)
    put(root, "doejane_LATE_22222_7777778_05_adam-1.ipynb", mtime=1_000_000_000)
    put(root, "doejane_33333_7777779_05_adam.ipynb")
    put(root, "smithjo_44444_7777780_homework.ipynb")
    # Moodle
    put(root, "Jane Doe_1234_assignsubmission_file_/05_adam.ipynb")
    put(root, "Jane Doe_1234_assignsubmission_file_/05_adam_v2.ipynb", mtime=2_000_000_000)
    put(root, "Jane Doe_1234_assignsubmission_file_/05_adam_old.ipynb", mtime=1_000_000_000)
    put(root, "Jane Doe_1234_assignsubmission_onlinetext_/onlinetext.html", "<p>hi</p>")
    # Blackboard: two attempts and the receipt
    put(root, "05_adam_jdoe_attempt_2024-03-01-10-00-00_05_adam.ipynb", mtime=2_000_000_000)
    put(root, "05_adam_jdoe_attempt_2024-03-02-09-30-00_my work.ipynb", mtime=1_000_000_000)
    put(root, "05_adam_jdoe_attempt_2024-03-02-09-30-00.txt", "receipt")
    # Gradescope: metadata for 1 (one submitter) and 2 (a group); 3 has no entry
    put(root, "submission_metadata.yml", GRADESCOPE_YAML)
    put(root, "submission_1/05_adam.ipynb")
    put(root, "submission_2/my_05_adam.ipynb")
    put(root, "submission_3/05_adam.ipynb")
    put(root, "submission_3/helper.py", "x = 1")
    # plain names, a browser's duplicate, an unknown assignment
    put(root, "john_smith_05_adam.ipynb")
    put(root, "john_doe_05_adam.ipynb")
    put(root, "kim_05_adam.ipynb", mtime=2_000_000_000)
    put(root, "kim_05_adam (1).ipynb", mtime=1_000_000_000)
    put(root, "kim_99_nothing.ipynb")
    # stray files
    put(root, ".DS_Store", "junk")
    put(root, "notes.txt", "teacher's notes")
    put(root, "class.zip", "PK")
    put(root, "__MACOSX/._alice", "junk")


GRADESCOPE_YAML = """\
submission_1:
  :submitters:
  - :name: Ann Lee
    :sid: '111'
    :email: ann@example.edu
  :created_at: 2024-03-03 12:00:00.000000000 -08:00
  :score: 10.0
submission_2:
  :submitters:
  - :name: Ben Kay
    :email: ben@example.edu
  - :name: Cy Dee
    :sid: '333'
"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    base = tmp_path_factory.mktemp("intake")
    root, outside = base / "submitted", base / "outside"
    root.mkdir()
    build_class(root, outside)
    OPENED["paths"] = []
    try:
        intake = scan(root, SLUGS)
    finally:
        opened, OPENED["paths"] = OPENED["paths"], None
    rows = {row.path: row for row in intake.rows}
    submissions = {(s.student_id, s.assignment_id): s for s in intake.submissions}
    return root, outside, intake, rows, submissions, opened


def files_on_disk(root):
    """Every file and link below root, as bytes paths relative to it, links not followed."""
    found = []
    for parent, folders, files in os.walk(os.fsencode(root), followlinks=False):
        relative = os.path.relpath(parent, os.fsencode(root))
        for name in files + [f for f in folders if os.path.islink(os.path.join(parent, f))]:
            found.append(os.path.normpath(os.path.join(relative, name)))
    return found


def row(rows, path, decision, student_id=None, assignment_id=None, reason=None):
    """The row of path, checked; returns it for further checks."""
    got = rows[path]
    assert got.decision == decision, got
    if student_id is not None:
        assert got.student_id == student_id, got
    if assignment_id is not None:
        assert got.assignment_id == assignment_id, got
    if reason is not None:
        assert reason in got.reason, got
    return got


# ----------------------------------------------------------------------------- student_key


TRICKY_IDS = [
    "alice", "bob smith", "bob_smith", "", ".", "..", "...", "/", "a/b", "a%2Fb", "a%2fb", "%", "%-",
    "a\x00b", "line\nbreak", "tab\t", " x", "x ", "-rf", "a.b", "a.", JOSE_NFC, JOSE_NFD, "\udce9",
    "bob (2)", LONG_A, LONG_B, "é" * 200, "\u202egnp.exe", "CON", "a" * 120, "a" * 121,
]  # fmt: skip


def test_student_key_keeps_plain_ids_readable():
    for plain in ("alice", "bob smith", "bob_smith", "bob (2)", "jane.doe@example.edu", JOSE_NFC):
        assert student_key(plain) == plain


def test_student_key_is_injective_and_path_safe():
    keys = [student_key(student_id) for student_id in TRICKY_IDS]
    assert len(set(keys)) == len(TRICKY_IDS)
    for key in keys:
        assert key not in ("", ".", "..") and not key.startswith((".", "-", " "))
        assert "/" not in key and "\x00" not in key and "\\" not in key
        assert not any(unicodedata.category(char) in ("Cc", "Cs", "Cf") for char in key)
        assert len(key.encode("utf-8")) <= 120  # encodes: valid UTF-8
    assert student_key(LONG_A)[:40] == student_key(LONG_B)[:40] == "a" * 40  # still readable
    assert student_key("..") == "%2E%2E" and student_key("a/b") == "a%2Fb" and student_key("%") == "%25"


def test_student_key_is_injective_over_every_id_found(scanned):
    *_, intake, _, _, _ = scanned
    ids = {s.student_id for s in intake.submissions}
    assert len({student_key(i) for i in ids}) == len(ids)
    assert {"bob smith", "bob_smith", LONG_A, LONG_B} <= ids


# ----------------------------------------------------------------------------- accounting


def test_every_file_and_link_has_exactly_one_row(scanned):
    root, _, intake, rows, _, _ = scanned
    assert display(b"jos\xe9/a\nb") == "jos\\xe9/a\\nb"  # raw bytes shown, controls escaped
    on_disk = sorted(display(p) for p in files_on_disk(root))
    assert sorted(r.path for r in intake.rows) == on_disk
    assert len(rows) == len(intake.rows)
    assert {r.decision for r in intake.rows} == {GRADED, SUPERSEDED, SKIPPED}
    assert all(r.reason for r in intake.rows)


def test_every_graded_row_is_a_submission_and_back(scanned):
    root, _, intake, rows, _, _ = scanned
    graded = {r.path for r in intake.rows if r.decision == GRADED}
    paths = {os.fsencode(s.path.relative_to(root)) for s in intake.submissions if s.path}
    assert {display(p) for p in paths} == graded
    assert all(isinstance(s, Submission) for s in intake.submissions)


def test_summary_and_csv(scanned, tmp_path):
    _, _, intake, _, _, _ = scanned
    counts = [sum(r.decision == d for r in intake.rows) for d in (GRADED, SUPERSEDED, SKIPPED)]
    expected = f"{len(intake.rows)} files: {counts[0]} graded, {counts[1]} superseded, {counts[2]} skipped"
    assert summary(intake) == expected
    write_intake_csv(intake, tmp_path / "intake.csv")
    with open(tmp_path / "intake.csv", newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["path", "student_id", "assignment_id", "decision", "reason"]
    assert len(lines) == len(intake.rows) + 1
    assert not any(cell.startswith(("=", "+", "@")) for line in lines[1:] for cell in line)
    hyperlink = next(line for line in lines if "HYPERLINK" in line[0])
    assert hyperlink[0].startswith("'=") and hyperlink[1] == "'=HYPERLINK(x)"


# ----------------------------------------------------------------------------- links


def test_a_symlinked_notebook_is_skipped_and_gives_nobody_a_grade(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, "mallory/05_adam/05_adam.ipynb", SKIPPED, "mallory", "05_adam", "symbolic link")
    mallory = submissions["mallory", "05_adam"]
    assert mallory.path is None and "symbolic link" in mallory.note


def test_a_symlinked_folder_is_skipped_not_entered(scanned):
    _, _, intake, rows, _, _ = scanned
    row(rows, "zed", SKIPPED, reason="symbolic link (to alice)")
    row(rows, "peggy", SKIPPED, reason="never followed")
    assert not any(r.path.startswith(("zed/", "peggy/")) for r in intake.rows)
    assert "zed" not in {s.student_id for s in intake.submissions}


def test_links_out_of_the_folder_are_never_read(scanned):
    _, outside, _, rows, submissions, opened = scanned
    row(rows, "oscar/05_adam/05_adam.ipynb", SKIPPED, "oscar", reason="symbolic link")
    row(rows, "oscar_03_momentum.ipynb", SKIPPED, reason="symbolic link")
    assert submissions["oscar", "05_adam"].path is None
    assert ("oscar", "03_momentum") not in submissions
    assert opened, "the audit hook saw the scan"
    assert not any(os.path.realpath(p).startswith(os.path.realpath(os.fsencode(outside))) for p in opened)
    assert not any(b"mallory/05_adam/05_adam.ipynb" in p or b"/zed" in p or b"/peggy" in p for p in opened)


def test_hard_links_are_skipped_on_both_sides(scanned):
    _, _, _, rows, submissions, _ = scanned
    for student in ("victor", "trudy"):
        row(rows, f"{student}/05_adam/05_adam.ipynb", SKIPPED, student, "05_adam", "hard link")
        assert submissions[student, "05_adam"].path is None
        assert "hard link" in submissions[student, "05_adam"].note


# ----------------------------------------------------------------------------- names


def test_names_that_could_escape_are_no_students(scanned):
    _, _, intake, rows, _, _ = scanned
    row(rows, ".._05_adam.ipynb", SKIPPED, "", reason="not a usable student id")
    row(rows, "_05_adam.ipynb", SKIPPED, "", reason="not a usable student id")
    row(rows, "..._05_adam.ipynb", GRADED, "...", "05_adam")
    assert not {"", ".", ".."} & {s.student_id for s in intake.submissions}
    assert student_key("...") == "%2E.%2E"
    row(rows, "evil\\nname_05_adam.ipynb", GRADED, "evil\ufffdname", "05_adam", "control characters")
    row(rows, "alice/05_adam/pipe", SKIPPED, "alice", reason="not a regular file")


def test_bob_smith_and_bob_underscore_smith_stay_two_students(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, "bob smith/05_adam/05_adam.ipynb", GRADED, "bob smith", "05_adam")
    row(rows, "bob_smith/05_adam/05_adam.ipynb", GRADED, "bob_smith", "05_adam")
    assert student_key("bob smith") != student_key("bob_smith")


def test_long_ids_sharing_their_first_100_characters_stay_apart(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, f"{LONG_A}/05_adam/05_adam.ipynb", GRADED, LONG_A)
    row(rows, f"{LONG_B}/05_adam/05_adam.ipynb", GRADED, LONG_B)
    assert student_key(LONG_A) != student_key(LONG_B)


def test_a_latin1_folder_name_is_read_as_latin1(scanned):
    _, _, _, rows, submissions, _ = scanned
    latin = row(rows, "jos\\xe9/05_adam/05_adam.ipynb", GRADED, assignment_id="05_adam", reason="read as Latin-1")
    assert latin.student_id.startswith(JOSE_NFC)
    submission = submissions[latin.student_id, "05_adam"]
    assert "not UTF-8; read as Latin-1" in submission.note
    assert submission.path.read_text(encoding="utf-8") == NOTEBOOK  # the path still opens the raw name
    latin.student_id.encode("utf-8")


def test_names_that_normalise_alike_are_kept_apart(scanned):
    _, _, _, rows, submissions, _ = scanned
    # josé three ways: Latin-1 bytes, NFC and NFD UTF-8; one keeps the id, the others get (2), (3)
    jose = [r for path, r in rows.items() if path.startswith("jos") and path.endswith("05_adam.ipynb")]
    assert sorted(r.student_id for r in jose) == [JOSE_NFC, f"{JOSE_NFC} (2)", f"{JOSE_NFC} (3)"]
    assert all(r.decision == GRADED for r in jose)
    assert sum("kept apart as" in r.reason for r in jose) == 2
    row(rows, "eve/05_adam/05_adam.ipynb", GRADED, "eve")
    row(rows, "eve /05_adam/05_adam.ipynb", GRADED, "eve (3)", reason="id collides with 'eve' after normalisation")
    assert "kept apart as 'eve (3)'" in submissions["eve (3)", "05_adam"].note
    # the same folder keeps the same id in every assignment, and never takes a real student's id
    row(rows, "eve /03_momentum/03_momentum.ipynb", GRADED, "eve (3)")
    row(rows, "eve (2)/01_mini_batch_gradient_descent/01_mini_batch_gradient_descent.ipynb", GRADED, "eve (2)")


# ----------------------------------------------------------------------------- nbgrader


def test_nbgrader_layout(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, "alice/05_adam/05_adam.ipynb", GRADED, "alice", "05_adam", "nbgrader")
    assert submissions["alice", "05_adam"].submitted_at == "2024-03-01 10:00:00.000000 UTC"
    row(rows, "alice/05_adam/timestamp.txt", SKIPPED, "alice", "05_adam", "submission time")
    row(rows, "alice/05_adam/notes.txt", SKIPPED, "alice", "05_adam", "not a notebook")
    row(rows, "alice/05_adam/.ipynb_checkpoints/05_adam-checkpoint.ipynb", SKIPPED, reason="checkpoint")
    row(rows, "alice/03_momentum/my_momentum.ipynb", GRADED, "alice", "03_momentum")
    assert "the only notebook there" in submissions["alice", "03_momentum"].note
    row(rows, "alice/99_unknown/99_unknown.ipynb", SKIPPED, reason="is not an assignment")
    row(rows, "alice/readme.md", SKIPPED, "alice", reason="not a notebook")


def test_nbgrader_missing_work_is_a_submission_without_path(scanned):
    _, _, _, rows, submissions, _ = scanned
    carol = submissions["carol", "05_adam"]
    assert carol.path is None and "first.ipynb" in carol.note and "second.ipynb" in carol.note
    row(rows, "carol/05_adam/first.ipynb", SKIPPED, "carol", "05_adam", "unclear")
    dave = submissions["dave", "05_adam"]
    assert dave.path is None and "found no notebook" in dave.note


# ----------------------------------------------------------------------------- LMS layouts


def test_canvas_resubmission_late_marker_and_namesake(scanned):
    _, _, _, rows, submissions, _ = scanned
    late = row(rows, "doejane_LATE_22222_7777778_05_adam-1.ipynb", GRADED, "doejane", "05_adam", "Canvas")
    assert "late" in late.reason and "resubmission 1" in late.reason
    first = row(rows, "doejane_22222_7777777_05_adam.ipynb", SUPERSEDED, "doejane", "05_adam")
    assert "doejane_LATE_22222_7777778_05_adam-1.ipynb" in first.reason  # despite its newer file time
    assert submissions["doejane", "05_adam"].late is True
    row(rows, "doejane_33333_7777779_05_adam.ipynb", GRADED, "doejane (2)", reason="kept apart")
    assert submissions["doejane (2)", "05_adam"].late is False
    row(rows, "smithjo_44444_7777780_homework.ipynb", SKIPPED, reason="names no assignment")


def test_moodle_folder(scanned):
    _, _, _, rows, submissions, _ = scanned
    folder = "Jane Doe_1234_assignsubmission_file_"
    row(rows, f"{folder}/05_adam_v2.ipynb", GRADED, "Jane Doe", "05_adam", "Moodle")
    row(rows, f"{folder}/05_adam.ipynb", SUPERSEDED, "Jane Doe", reason="05_adam_v2.ipynb (a newer file time)")
    row(rows, f"{folder}/05_adam_old.ipynb", SUPERSEDED, "Jane Doe")
    row(rows, "Jane Doe_1234_assignsubmission_onlinetext_/onlinetext.html", SKIPPED, "Jane Doe")
    assert submissions["Jane Doe", "05_adam"].path.name == "05_adam_v2.ipynb"


def test_blackboard_attempts(scanned):
    _, _, _, rows, submissions, _ = scanned
    later = "05_adam_jdoe_attempt_2024-03-02-09-30-00_my work.ipynb"
    row(rows, later, GRADED, "jdoe", "05_adam", "Blackboard")
    row(rows, "05_adam_jdoe_attempt_2024-03-01-10-00-00_05_adam.ipynb", SUPERSEDED, "jdoe", reason="later submission")
    row(rows, "05_adam_jdoe_attempt_2024-03-02-09-30-00.txt", SKIPPED, reason="not a notebook")
    assert submissions["jdoe", "05_adam"].submitted_at == "2024-03-02 09:30:00"


def test_gradescope_export_with_metadata(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, "submission_metadata.yml", SKIPPED, reason="read the submitters of 2 submissions")
    row(rows, "submission_1/05_adam.ipynb", GRADED, "ann@example.edu", "05_adam", "Gradescope")
    assert submissions["ann@example.edu", "05_adam"].submitted_at.startswith("2024-03-03")
    group = row(rows, "submission_2/my_05_adam.ipynb", GRADED, "ben@example.edu; 333", "05_adam")
    assert "group submission" in group.reason
    assert submissions["ben@example.edu", "05_adam"].path == submissions["333", "05_adam"].path
    row(rows, "submission_3/05_adam.ipynb", GRADED, "submission_3", "05_adam")
    row(rows, "submission_3/helper.py", SKIPPED, "submission_3", reason="not a notebook")


def test_plain_names(scanned):
    _, _, _, rows, submissions, _ = scanned
    row(rows, "john_smith_05_adam.ipynb", GRADED, "john_smith", "05_adam")
    row(rows, "john_doe_05_adam.ipynb", GRADED, "john_doe", "05_adam")
    row(rows, "kim_05_adam (1).ipynb", GRADED, "kim", "05_adam", "resubmission 1")
    row(rows, "kim_05_adam.ipynb", SUPERSEDED, "kim", reason="kim_05_adam (1).ipynb")
    row(rows, "kim_99_nothing.ipynb", SKIPPED, reason="known assignment")


def test_stray_files(scanned):
    _, _, _, rows, _, _ = scanned
    row(rows, ".DS_Store", SKIPPED, reason="operating-system metadata")
    row(rows, "notes.txt", SKIPPED, reason="not a notebook")
    row(rows, "class.zip", SKIPPED, reason=ZIP_REASON)
    row(rows, "__MACOSX/._alice", SKIPPED, reason="archive-metadata")


# ----------------------------------------------------------------------------- edges


def test_a_zip_as_the_folder_is_listed_not_opened(tmp_path):
    archive = put(tmp_path, "class.zip", "PK")
    intake = scan(archive, SLUGS)
    assert intake.submissions == []
    assert [(r.path, r.decision, r.reason) for r in intake.rows] == [("class.zip", SKIPPED, ZIP_REASON)]


def test_an_unlistable_folder_gets_a_row(tmp_path, monkeypatch):
    put(tmp_path, "amy/05_adam/05_adam.ipynb")
    real_scandir = os.scandir

    def scandir(path):  # a folder without read permission (chmod 0 does not stop root)
        if os.fsencode(path).endswith(b"amy/05_adam"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    intake = scan(tmp_path, SLUGS)
    assert [(r.path, r.decision) for r in intake.rows] == [("amy/05_adam/", SKIPPED)]
    assert "could not list" in intake.rows[0].reason
    assert intake.submissions[0].path is None


def test_deep_nesting_does_not_break_the_scan(tmp_path):
    deep = tmp_path / "amy" / "/".join(["d"] * 60)
    put(deep, "x.ipynb")
    intake = scan(tmp_path, SLUGS)
    assert len(intake.rows) == 1 and intake.rows[0].decision == SKIPPED
