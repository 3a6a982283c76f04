"""A summary of a graded run: score distributions, pass rate per test, named mistakes,
slowest and failed submissions. Reads grades.csv, tests.csv and timings.json of a run.

Student ids, statuses and messages carry text the students chose: every such string reaches
report.md through textsafe.markdown_text, and reading tolerates any content in the run folder
(odd bytes, missing columns, non-numbers), so the report is always written and always inert."""

import csv
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from grader.textsafe import clean_text, markdown_text

MAX_PANELS = 30  # the course has ten lessons; more assignments than this is not a run of this course
MAX_MISTAKES = 50
MESSAGE_LIMIT = 160


def _rows(path):
    """The rows of a CSV file as dicts of strings ('' for a missing value); [] when there is no file.
    Reading stops at a row the csv module rejects (such as an over-long field)."""
    rows = []
    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                rows.append({key: value if isinstance(value, str) else "" for key, value in row.items()})
    except (OSError, csv.Error):
        pass
    return rows


def _number(text):
    """A finite float from a CSV cell, or None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _timings(path):
    """[(student_id, assignment_id, seconds)] from timings.json, skipping anything malformed."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    timings = []
    for entry in entries:
        seconds = _number(entry.get("seconds")) if isinstance(entry, dict) else None
        if seconds is not None:
            timings.append((entry.get("student_id"), entry.get("assignment_id"), seconds))
    return timings


def named_mistakes(tests):
    """How often each named mistake appears in the test messages (one count per test cell)."""
    counts = Counter()
    for row in tests:
        for part in row.get("message", "").split(" | "):
            if " -- " in part:
                counts[part.split(" -- ", 1)[1]] += 1
    return counts


def score_fractions(grades):
    """{assignment_id: [score / max_score, ...]} of the rows whose numbers make sense."""
    by_assignment = defaultdict(list)
    for row in grades:
        score, max_score = _number(row.get("score")), _number(row.get("max_score"))
        if score is not None and max_score:
            by_assignment[row.get("assignment_id", "")].append(score / max_score)
    return by_assignment


def write_figure(by_assignment, figure_path):
    """A histogram of scores per assignment (at most MAX_PANELS); False when there is nothing to draw."""
    panels = sorted(by_assignment.items())[:MAX_PANELS]
    if not panels:
        return False
    columns = min(5, len(panels))
    rows_needed = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows_needed, columns, figsize=(3.2 * columns, 2.6 * rows_needed), squeeze=False)
    for ax in axes.flat[len(panels) :]:
        ax.axis("off")
    for ax, (slug, fractions) in zip(axes.flat, panels, strict=False):
        ax.hist([100 * f for f in fractions], bins=10, range=(0, 100), color="#4c72b0")
        ax.set_title(clean_text(slug, 40), fontsize=9, parse_math=False)  # a "$" in an id is not mathtext
        ax.set_xlabel("score (%)")
        ax.set_ylabel("submissions")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    figure.savefig(figure_path, dpi=80)
    plt.close(figure)
    return True


def pass_rates(tests):
    """{(assignment_id, grade_id): [passed, total]} of the rows whose numbers make sense."""
    passed = defaultdict(lambda: [0, 0])
    for row in tests:
        score, max_score = _number(row.get("score")), _number(row.get("max_score"))
        if score is None or max_score is None:
            continue
        key = (row.get("assignment_id", ""), row.get("grade_id", ""))
        passed[key][1] += 1
        passed[key][0] += score == max_score
    return passed


def table_lines(grades, tests, timings):
    """The report's tables in markdown; every cell that came from the run folder is escaped."""
    m = markdown_text
    lines = ["## Pass rate per test", "", "| assignment | test | passed | rate |", "|---|---|---|---|"]
    lines += [
        f"| {m(a)} | {m(g)} | {p}/{n} | {100 * p / n:.0f}% |" for (a, g), (p, n) in sorted(pass_rates(tests).items())
    ]
    lines += ["", "## Named mistakes", "", "| mistake | test cells |", "|---|---|"]
    lines += [f"| {m(name)} | {count} |" for name, count in named_mistakes(tests).most_common(MAX_MISTAKES)]
    lines += ["", "## Slowest submissions", "", "| student | assignment | seconds |", "|---|---|---|"]
    lines += [f"| {m(s)} | {m(a)} | {seconds:.1f} |" for s, a, seconds in sorted(timings, key=lambda t: -t[2])[:8]]
    lines += [
        "",
        "## Submissions with a problem",
        "",
        "| student | assignment | status | message |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {m(r.get('student_id'))} | {m(r.get('assignment_id'))} | {m(r.get('status'))} "
        f"| {m(r.get('message'), MESSAGE_LIMIT)} |"
        for r in grades
        if r.get("status") != "graded" or r.get("message")
    ]
    return lines


def write_report(run_dir):
    run_dir = Path(run_dir)
    grades, tests = _rows(run_dir / "grades.csv"), _rows(run_dir / "tests.csv")
    figure_path = run_dir / "scores.png"
    lines = [f"# Grading report: {markdown_text(run_dir, 500)}", ""]
    if write_figure(score_fractions(grades), figure_path):
        lines += [f"![score distribution per assignment]({figure_path.name})", ""]
    lines += table_lines(grades, tests, _timings(run_dir / "timings.json"))
    report = run_dir / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
