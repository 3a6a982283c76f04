"""A summary of a graded run: score distributions, pass rate per test, named mistakes,
slowest and failed submissions. Reads grades.csv, tests.csv and timings.json of a run."""

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def named_mistakes(tests):
    """How often each named mistake appears in the test messages (one count per test cell)."""
    counts = Counter()
    for row in tests:
        for part in row["message"].split(" | "):
            if " -- " in part:
                counts[part.split(" -- ", 1)[1]] += 1
    return counts


def write_report(run_dir):
    run_dir = Path(run_dir)
    grades, tests = _rows(run_dir / "grades.csv"), _rows(run_dir / "tests.csv")
    timings = json.loads((run_dir / "timings.json").read_text()) if (run_dir / "timings.json").exists() else []
    by_assignment = defaultdict(list)
    for row in grades:
        if float(row["max_score"]):
            by_assignment[row["assignment_id"]].append(float(row["score"]) / float(row["max_score"]))
    figure_path = run_dir / "scores.png"
    if by_assignment:
        columns = min(5, len(by_assignment))
        rows_needed = -(-len(by_assignment) // columns)
        figure, axes = plt.subplots(rows_needed, columns, figsize=(3.2 * columns, 2.6 * rows_needed), squeeze=False)
        for ax in axes.flat[len(by_assignment) :]:
            ax.axis("off")
        for ax, (slug, fractions) in zip(axes.flat, sorted(by_assignment.items()), strict=False):
            ax.hist([100 * f for f in fractions], bins=10, range=(0, 100), color="#4c72b0")
            ax.set_title(slug, fontsize=9)
            ax.set_xlabel("score (%)")
            ax.set_ylabel("submissions")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        figure.tight_layout()
        figure.savefig(figure_path, dpi=80)
        plt.close(figure)
    passed = defaultdict(lambda: [0, 0])
    for row in tests:
        key = (row["assignment_id"], row["grade_id"])
        passed[key][1] += 1
        passed[key][0] += float(row["score"]) == float(row["max_score"])
    lines = [
        f"# Grading report: {run_dir}",
        "",
        f"![score distribution per assignment]({figure_path.name})",
        "",
        "## Pass rate per test",
        "",
        "| assignment | test | passed | rate |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {g} | {p}/{n} | {100 * p / n:.0f}% |" for (a, g), (p, n) in sorted(passed.items())]
    lines += ["", "## Named mistakes", "", "| mistake | test cells |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in named_mistakes(tests).most_common()]
    lines += ["", "## Slowest submissions", "", "| student | assignment | seconds |", "|---|---|---|"]
    lines += [
        f"| {t['student_id']} | {t['assignment_id']} | {t['seconds']:.1f} |"
        for t in sorted(timings, key=lambda t: -t["seconds"])[:8]
    ]
    lines += [
        "",
        "## Submissions with a problem",
        "",
        "| student | assignment | status | message |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r['student_id']} | {r['assignment_id']} | {r['status']} | {r['message'][:160]} |"
        for r in grades
        if r["status"] != "graded" or r["message"]
    ]
    report = run_dir / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
