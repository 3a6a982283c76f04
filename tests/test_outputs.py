"""Student text never becomes live in what the instructor opens: grades.csv and tests.csv in a
spreadsheet, feedback pages in a browser, report.md in a markdown viewer."""

import csv
import html
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from grader import feedback
from grader.autograde import Outcome, Submission, write_csvs
from grader.textsafe import clean_text, csv_cell, fold_lines, markdown_text

ROOT = Path(__file__).resolve().parents[1]
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![x](http://e/x.png)",
    "# Fake heading",
    "| col |",
    '=HYPERLINK("http://e")',
    "[link](javascript:alert(1)) <http://e> www.example.com http://e mail@e.com",
    "`code` **bold** _em_ ~~del~~ $x^2$",
    "&lt;b&gt; &amp; &#60;script&#62;",
    "a\\|b back\\",
    "- item",
    "1. item",
    "line\nbreak\r\n# heading\t=x",
    "\ud800 \x1b[31mred\x1b[0m \u202egnp.exe \x00 \x07",
]


# ----------------------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    "value, absent",
    [
        ("lone \ud800 and \udfff surrogates", ["\ud800", "\udfff"]),
        (b"invalid \xff\xfe utf-8 \xc3", []),
        ("\x1b[31mred\x1b[0m and a bell\x07 and \x7f and \x9b", ["\x1b", "\x07", "\x7f", "\x9b", "[31m"]),
        ("nul\x00byte", ["\x00"]),
        ("bidi \u202eexe.txt\u202c \u2066isolate\u2069", ["\u202e", "\u202c", "\u2066", "\u2069"]),
    ],
)
def test_clean_text_removes_what_cannot_be_written_safely(value, absent):
    cleaned = clean_text(value)
    cleaned.encode("utf-8")  # raises if a surrogate survived
    assert not UNSAFE_CHARACTERS.search(cleaned), repr(cleaned)
    for fragment in absent:
        assert fragment not in cleaned


def test_clean_text_keeps_ordinary_text_and_accepts_anything():
    assert clean_text("x = 1\n\tprint(x) → ✓ 😀") == "x = 1\n\tprint(x) → ✓ 😀"
    assert clean_text("\ud83d\ude00") == "😀"  # a surrogate pair is one character, not two lone halves
    assert clean_text(None) == "" and clean_text(3.5) == "3.5" and clean_text(b"\xff") == "\ufffd"

    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert "unprintable" in clean_text(Hostile())


def test_clean_text_truncates_with_a_marker():
    cleaned = clean_text("a" * 1000, limit=10)
    assert cleaned.startswith("a" * 10) and "990" in cleaned and len(cleaned) < 60


# ----------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("value", ["=1+1", "+1", "-cmd", "@SUM(A1)", "\t=x", "\r=x", " =x", "\uff1dcmd"])
def test_csv_cell_prefixes_formulas(value):
    assert csv_cell(value).startswith("'"), csv_cell(value)


@pytest.mark.parametrize("value", ["-1.5", "3", "-2e-3", "0.25", "test_adam_hidden", "passed"])
def test_csv_cell_leaves_numbers_and_plain_text_alone(value):
    assert csv_cell(value) == value


def _hostile_outcome():
    outcome = Outcome(
        Submission('=HYPERLINK("http://e","x")\x1b[31m', "05_adam", None),
        status="-status\x07",
        message="@SUM(A1)\r\n=1+1\t\u202e\ud800",
    )
    outcome.tests = [
        ("test_adam", 0, 2, "=cmd|' /C calc'!A0"),
        ("test_adam_hidden", -1.5, 3, "+1\nsecond line"),
        ("\t=grade", 2, 2, "passed"),
    ]
    return outcome


def _cells_are_inert(rows):
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            if cell.startswith("-"):
                float(cell)  # only a number may start with a minus
            assert not UNSAFE_CHARACTERS.search(cell) and "\n" not in cell and "\t" not in cell, row


def test_write_csvs_writes_inert_cells_and_numeric_scores(tmp_path):
    write_csvs([_hostile_outcome()], tmp_path)
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as handle:
        grades = list(csv.reader(handle))
    with open(tmp_path / "tests.csv", newline="", encoding="utf-8") as handle:
        tests = list(csv.reader(handle))
    assert len(grades) == 2 and len(tests) == 4
    _cells_are_inert(grades[1:] + tests[1:])
    assert grades[1][0].startswith("'=HYPERLINK") and grades[1][4].startswith("'-status")
    assert float(grades[1][2]) == 0.5 and float(grades[1][3]) == 7
    assert [row[3] for row in tests[1:]] == ["0", "-1.5", "2"]  # scores stay numbers, a negative one too


# ----------------------------------------------------------------------------- markdown


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_as_the_literal_text(value):
    page = MarkdownIt("commonmark").enable("table").render(f"| h |\n|---|\n| {markdown_text(value)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", page, flags=re.S)
    assert len(cells) == 1, page
    assert html.unescape(cells[0]) == fold_lines(clean_text(value)).strip()
    assert not re.search(r"<(?!/?(?:table|thead|tbody|tr|th|td)>)", cells[0]), cells[0]  # no tag inside the cell


# ----------------------------------------------------------------------------- feedback


def _big_table(seed):
    """A 1.6 KB table that markdown-it expands into 65 000 cells (rows are filled to the header's width)."""
    columns = 256
    return f"## table {seed}\n\n|" + "h|" * columns + "\n|" + "-|" * columns + "\n" + "x\n" * 256


def _notes(sources):
    return [({"type": "markdown", "source": source, "metadata": {}}, None) for source in sources]


def test_feedback_survives_hostile_cells_within_the_budget(tmp_path):
    tables = [_big_table(seed) for seed in range(150)]
    start, rendered = time.perf_counter(), 0
    for table in tables:  # unbudgeted, stopped once it has clearly taken seconds
        feedback.MARKDOWN.render(table)
        rendered += 1
        if time.perf_counter() - start > 2.0:
            break
    unbudgeted = (time.perf_counter() - start) / rendered * len(tables)
    assert rendered < len(tables) and unbudgeted > 5, f"the attack got cheap ({unbudgeted:.1f} s): make it bigger"

    outcome = _hostile_outcome()
    outcome.submission.student_id = "<script>alert(1)</script>\ud800"
    outcome.cells = _notes(["# notes \ud800 <script>alert(1)</script> <img src=x onerror=alert(1)>", *tables])
    outcome.cells.append(
        (
            {"type": "code", "source": "print('\ud800</pre><script>x</script>')", "metadata": {}},
            {"output": "\x1b[31m<img src=x onerror=alert(1)>\ud800\x00", "error": "\udfff\x1b]8;;http://e\x07"},
        )
    )
    path = tmp_path / "page.html"
    start = time.perf_counter()
    feedback.write(outcome, path)
    seconds = time.perf_counter() - start
    page = path.read_bytes().decode("utf-8")  # strict: the page is valid UTF-8
    assert seconds < 3, f"writing the page took {seconds:.1f} s"
    assert len(page) < feedback.PAGE_LIMIT + 100_000
    assert "<script" not in page and "<img" not in page and "\x1b" not in page and "\x00" not in page
    assert page.count("shown as plain text") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text


def test_feedback_caps_the_page_size(tmp_path):
    outcome = _hostile_outcome()
    outcome.cells = [
        ({"type": "code", "source": "<" * 20_000, "metadata": {}}, {"output": "&" * 5_000, "error": ""})
    ] * 2000
    path = tmp_path / "page.html"
    feedback.write(outcome, path)
    page = path.read_text(encoding="utf-8")
    assert len(page) < feedback.PAGE_LIMIT + 200_000 and "more cells are not shown" in page


def test_markdown_budget_stops_rendering_by_size_and_by_time():
    note = "Some *notes* with `code` and a [link](https://example.org).\n\n" * 250  # about 15 KB
    by_size = feedback.MarkdownBudget()
    parts = [feedback.markdown_html(note, by_size) for _ in range(60)]
    rendered = sum(part.startswith("<div class='md'>") for part in parts)
    assert 5 < rendered < 60 and by_size.shown_plain == 60 - rendered
    assert by_size.spent_characters <= feedback.MARKDOWN_PAGE_CHARACTERS

    by_time = feedback.MarkdownBudget(seconds=0.001)
    parts = [feedback.markdown_html(note, by_time) for _ in range(20)]
    assert sum(part.startswith("<div class='md'>") for part in parts) <= 2 and by_time.shown_plain >= 18


def test_feedback_still_renders_ordinary_markdown():
    budget = feedback.MarkdownBudget()
    part = feedback.markdown_html("# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n*why*", budget)
    assert "<h1>Notes</h1>" in part and "<table>" in part and "<em>why</em>" in part and not budget.shown_plain


# ----------------------------------------------------------------------------- report


def test_report_of_a_hostile_run_is_inert(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    outcomes = []
    for index, student in enumerate(HOSTILE):
        outcome = Outcome(Submission(student, "05_adam", None), status=HOSTILE[-1 - index], message=student)
        outcome.tests = [("test_adam", index % 2, 1, f"adam (case) -- {student} | adam (other) -- {HOSTILE[0]}")]
        outcomes.append(outcome)
    write_csvs(outcomes, run)
    (run / "timings.json").write_text(
        '[{"student_id": "<script>alert(1)</script>", "assignment_id": "![x](http://e/x.png)", "seconds": 9.5},'
        ' {"student_id": "no seconds"}, 7]',
        encoding="utf-8",
    )
    with open(run / "grades.csv", "ab") as handle:  # odd bytes the CSV reader must tolerate
        handle.write(b'\xff\xfe,05_adam,zero,"",\xc3,<img src=x>\n')

    result = subprocess.run(
        [sys.executable, "-m", "grader", "report", str(run)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    page = MarkdownIt("commonmark").enable("table").render((run / "report.md").read_text(encoding="utf-8"))
    assert "<script" not in page and "<a " not in page
    assert re.findall(r"<img[^>]*>", page) == ['<img src="scores.png" alt="score distribution per assignment" />']
    headings = re.findall(r"<h[1-6]>(.*?)</h[1-6]>", page)
    assert headings == [
        html.escape(f"Grading report: {run}"),
        "Pass rate per test",
        "Named mistakes",
        "Slowest submissions",
        "Submissions with a problem",
    ]
    for text in ["<script>alert(1)</script>", "![x](http://e/x.png)", "# Fake heading", "| col |", "=HYPERLINK("]:
        assert html.escape(text, quote=False) in page.replace("&quot;", '"'), text  # shown literally
