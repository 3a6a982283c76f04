"""grader.roster and grader.export on a small class written by hand: every export format's exact
rows, the roster's matching rules, and the `python -m grader export` command."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from grader.export import export, read_cell
from grader.roster import Roster, RosterEntry, read_roster

ROOT = Path(__file__).resolve().parents[1]

# As autograde writes it (ids through csv_cell: "=evil" became "'=evil"), with the columns being
# added (submitted_at, late_by, raw_score, penalty) in the middle, which must not matter.
GRADES = """\
student_id,assignment_id,submitted_at,late_by,raw_score,penalty,score,max_score,status,message
s001,03_momentum,2025-03-01 10:00,0,4,0,4,4,graded,
s001,05_adam,2025-03-08 10:00,0,2.5,0,2.5,6,needs-review,cell 3 wrote to the channel
JOSE@UNI.EDU,03_momentum,2025-03-02 09:00,3600,3.75,0.75,3,4,graded,
JOSE@UNI.EDU,05_adam,,,0,0,0,6,missing,expected 05_adam.ipynb
'=evil,03_momentum,,,0,0,0,4,crashed,the kernel died
zed,05_adam,,,6,0,6,6,graded,
"""

# A byte-order mark, an extra column, spaces around cells, and a name with a comma and accents.
ROSTER = """\ufeffstudent_id , name , email,lms_id,section,notes
 s001 ,Ana Lima,ana@uni.edu,1001,A,
s002,"Núñez, José",jose@uni.edu,jnunez,B,transfer
=evil,Eve,eve@uni.edu,,A,
s004,Bo Chen,bo@uni.edu,1004,B,
"""

ASSIGNMENTS = ["03_momentum", "05_adam"]


@pytest.fixture
def run(tmp_path):
    """(run folder with grades.csv, roster path)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "grades.csv").write_text(GRADES, encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return run_dir, roster


def rows_of(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def exported(run, fmt, tmp_path, **options):
    run_dir, roster = run
    out = tmp_path / f"{fmt}.csv"
    report = export(run_dir, fmt, read_roster(roster), out, **options)
    return report, rows_of(out), out


# ----------------------------------------------------------------------------- the formats


def test_canvas_rows_points_possible_and_byte_order_mark(run, tmp_path):
    report, rows, out = exported(run, "canvas", tmp_path)
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *ASSIGNMENTS],
        ["Points Possible", "", "", "", "", "4", "6"],
        ["Ana Lima", "1001", "s001", "ana@uni.edu", "A", "4", "2.5"],
        ["Núñez, José", "", "s002", "jnunez", "B", "3", ""],
        ["Eve", "", "'=evil", "eve@uni.edu", "A", "0", ""],
        ["Bo Chen", "1004", "s004", "bo@uni.edu", "B", "", ""],
        ["zed", "", "zed", "zed", "", "", "6"],
    ]
    assert out.read_bytes().startswith(b"\xef\xbb\xbfStudent,ID,")
    assert b'"N\xc3\xba\xc3\xb1ez, Jos\xc3\xa9"' in out.read_bytes()
    assert report.rows_written == 5
    assert report.not_on_roster == ["zed"]
    assert report.without_grades == ["s004"]
    assert report.ambiguous == []
    assert any("'zed' is not on the roster" in w for w in report.warnings)
    assert any("needs-review" in w and "'s001' 05_adam" in w for w in report.warnings)
    assert any(w.startswith("5 empty score cell(s)") and "Canvas" in w for w in report.warnings)


def test_canvas_missing_as_zero(run, tmp_path):
    _, rows, _ = exported(run, "canvas", tmp_path, missing_as_zero=True)
    assert [row[5:] for row in rows[2:]] == [["4", "2.5"], ["3", "0"], ["0", "0"], ["0", "0"], ["0", "6"]]


def test_moodle_identifier_is_the_email_and_unknown_users_are_left_out(run, tmp_path):
    report, rows, out = exported(run, "moodle", tmp_path)
    assert rows == [
        ["Email address", *ASSIGNMENTS],
        ["ana@uni.edu", "4", "2.5"],
        ["jose@uni.edu", "3", ""],
        ["eve@uni.edu", "0", ""],
        ["bo@uni.edu", "", ""],
    ]
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert report.rows_written == 4
    assert report.not_on_roster == ["zed"]
    assert any(w.startswith("left out of the Moodle file") and "'zed'" in w for w in report.warnings)


def test_moodle_identifier_is_the_id_number_when_an_email_is_missing(run, tmp_path):
    run_dir, roster = run
    roster.write_text(ROSTER.replace("eve@uni.edu", ""), encoding="utf-8")
    _, rows, _ = exported((run_dir, roster), "moodle", tmp_path)
    assert [row[0] for row in rows] == ["ID number", "s001", "s002", "'=evil", "s004"]


def test_gradescope_rows(run, tmp_path):
    report, rows, out = exported(run, "gradescope", tmp_path)
    assert rows == [
        ["Name", "Email", "SID", *ASSIGNMENTS],
        ["Ana Lima", "ana@uni.edu", "s001", "4", "2.5"],
        ["Núñez, José", "jose@uni.edu", "s002", "3", ""],
        ["Eve", "eve@uni.edu", "'=evil", "0", ""],
        ["Bo Chen", "bo@uni.edu", "s004", "", ""],
        ["zed", "", "zed", "", "6"],
    ]
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert report.rows_written == 5


def test_plain_csv_rows(run, tmp_path):
    report, rows, _ = exported(run, "csv", tmp_path)
    assert rows == [
        ["student_id", "name", "email", "section", *ASSIGNMENTS],
        ["s001", "Ana Lima", "ana@uni.edu", "A", "4", "2.5"],
        ["s002", "Núñez, José", "jose@uni.edu", "B", "3", ""],
        ["'=evil", "Eve", "eve@uni.edu", "A", "0", ""],
        ["s004", "Bo Chen", "bo@uni.edu", "B", "", ""],
        ["zed", "", "", "", "", "6"],
    ]
    assert not any("empty score cell" in w for w in report.warnings)


def test_grader_error_and_conflicting_scores_leave_the_cell_empty(run, tmp_path):
    run_dir, roster = run
    with open(run_dir / "grades.csv", "a", encoding="utf-8") as handle:
        handle.write("1004,05_adam,,,0,0,0,6,grader error,RuntimeError: boom\n")  # Bo, by lms_id
        handle.write("1001,03_momentum,,,1,0,1,4,graded,\n")  # Ana again, by lms_id, another score
    report, rows, _ = exported(run, "csv", tmp_path, missing_as_zero=True)
    assert rows[1] == ["s001", "Ana Lima", "ana@uni.edu", "A", "", "2.5"]
    assert rows[4] == ["s004", "Bo Chen", "bo@uni.edu", "B", "0", ""]
    assert any("'s001', 03_momentum: different scores 1.0, 4.0" in w for w in report.warnings)
    assert any("'s004', 05_adam: status 'grader error'" in w for w in report.warnings)


def test_an_id_matching_two_students_is_in_no_row(run, tmp_path):
    run_dir, roster = run
    roster.write_text(ROSTER + "s005,Zed,zed@uni.edu,,C,\ns006,zed,,,C,\n", encoding="utf-8")
    report, rows, _ = exported((run_dir, roster), "csv", tmp_path)
    assert report.ambiguous == ["zed"] and report.not_on_roster == []
    assert [row[0] for row in rows[1:]] == ["s001", "s002", "'=evil", "s004", "s005", "s006"]
    assert all(row[5] == "" for row in rows[1:] if row[0] != "s001")


def test_grades_csv_without_a_needed_column_is_refused(run, tmp_path):
    run_dir, roster = run
    (run_dir / "grades.csv").write_text("student_id,assignment_id,score\ns001,03_momentum,4\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no max_score, status column"):
        export(run_dir, "csv", read_roster(roster), tmp_path / "out.csv")


def test_read_cell_undoes_only_the_formula_guard():
    assert read_cell("'=evil") == "=evil"
    assert read_cell("'-1.5") == "'-1.5"  # csv_cell leaves "-1.5" alone: this quote is the text's own
    assert read_cell("o'brien") == "o'brien"


# ----------------------------------------------------------------------------- the roster


def test_read_roster_strips_ignores_extra_columns_and_tolerates_the_byte_order_mark(run):
    roster = read_roster(run[1])
    assert roster.students[0] == RosterEntry("s001", "Ana Lima", "ana@uni.edu", "1001", "A")
    assert [s.student_id for s in roster.students] == ["s001", "s002", "=evil", "s004"]


def test_match_by_student_id_lms_id_email_and_name(run):
    roster = read_roster(run[1])
    assert roster.match("s001").student_id == "s001"
    assert roster.match("1001").student_id == "s001"  # lms id (Canvas user number)
    assert roster.match("jnunez").student_id == "s002"  # lms id (Canvas login)
    assert roster.match("ANA@Uni.EDU").student_id == "s001"  # email, any case
    assert roster.match("  ana   LIMA ").student_id == "s001"  # name, any case and spacing
    assert roster.match("núñez,   JOSÉ").student_id == "s002"
    assert roster.match("Nu\u0301n\u0303ez, Jose\u0301").student_id == "s002"  # decomposed accents (macOS)
    assert roster.match("nobody") is None and not roster.ambiguous("nobody")
    assert roster.match("Ana") is None  # part of a name is not a name
    assert roster.match("") is None


def test_an_identifier_naming_two_students_matches_nobody():
    roster = Roster([
        RosterEntry("s1", "Sam Lee", "sam1@uni.edu"),
        RosterEntry("s2", "Sam  Lee", "sam2@uni.edu"),
        RosterEntry("s3", "Kim Park", lms_id="s4"),
        RosterEntry("s4", "Jo Park"),
        RosterEntry("s5", "Al Roy", "al@uni.edu", lms_id="al@uni.edu"),
    ])
    assert roster.match("sam lee") is None and roster.ambiguous("sam lee")  # one field, two students
    assert roster.match("s4") is None and roster.ambiguous("s4")  # s3's lms_id is s4's student_id
    assert roster.match("sam1@uni.edu").student_id == "s1"
    assert roster.match("AL@uni.edu").student_id == "s5"  # two fields of one student: no ambiguity
    assert not roster.ambiguous("al@uni.edu")


def test_read_roster_refuses_a_duplicate_id_naming_the_lines(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("student_id,name\ns1,A\ns2,B\n\ns1,C\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"roster.csv, line 5: student_id 's1' is already on line 2"):
        read_roster(path)


def test_read_roster_refuses_a_file_without_a_student_id_column_or_not_utf8(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name\ns1,A\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1: no student_id column"):
        read_roster(path)
    path.write_text("student_id,name\ns1,\n,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: no student_id"):
        read_roster(path)
    path.write_bytes("student_id,name\ns1,José\n".encode("cp1252"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_roster(path)


# ----------------------------------------------------------------------------- the command


def test_cli_export(run, tmp_path):
    run_dir, roster = run
    out = tmp_path / "canvas-cli.csv"
    command = [sys.executable, "-m", "grader", "export", str(run_dir), "--format", "canvas"]
    done = subprocess.run(
        [*command, "--roster", str(roster), "--out", str(out), "--missing-as-zero"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"canvas: 5 student rows in {out}" in done.stdout
    assert "not on the roster: 'zed'" in done.stdout
    assert "on the roster without any grade: 's004'" in done.stdout
    assert rows_of(out)[5] == ["Bo Chen", "1004", "s004", "bo@uni.edu", "B", "0", "0"]

    roster.write_text("name\nAna\n", encoding="utf-8")
    failed = subprocess.run(
        [*command, "--roster", str(roster), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 1 and "no student_id column" in failed.stderr
