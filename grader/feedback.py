"""Feedback pages: the score table, then the student's notebook with each test cell's verdict
and each cell's error. Only the student's own text and the grader's messages appear: hidden
tests never run in the student's process, so no hidden code can reach a page."""

import html
from pathlib import Path

from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")  # raw HTML in a student's text is escaped

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.pass{background:#e8f5e9}.fail{background:#ffebee}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.error{background:#fff3e0}.md{border-left:3px solid #ddd;padding-left:.8rem}"""


def _test_rows(outcome):
    rows = []
    for grade_id, score, points, message in outcome.tests:
        css = "pass" if score == points and points else "fail"
        rows.append(
            f"<tr class='{css}'><td>{html.escape(grade_id)}</td><td>{score:g} / {points:g}</td>"
            f"<td>{html.escape(message)}</td></tr>"
        )
    return "\n".join(rows)


def _cells(outcome):
    verdicts = {grade_id: (score, points, message) for grade_id, score, points, message in outcome.tests}
    parts = []
    for cell, run in outcome.cells:
        if cell["type"] == "markdown":
            parts.append(f"<div class='md'>{MARKDOWN.render(cell['source'][:20000])}</div>")
            continue
        source = html.escape(cell["source"][:20000])
        if cell["type"] != "code":
            continue
        parts.append(f"<pre>{source}</pre>")
        nbgrader = cell["metadata"].get("nbgrader") if isinstance(cell["metadata"], dict) else None
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) and nbgrader.get("grade") else None
        if grade_id in verdicts:
            score, points, message = verdicts[grade_id]
            css = "pass" if score == points else "fail"
            parts.append(
                f"<p class='{css}'>{html.escape(grade_id)}: {score:g} / {points:g} — {html.escape(message)}</p>"
            )
        if run and run.get("output"):
            parts.append(f"<pre>{html.escape(run['output'][:5000])}</pre>")
        if run and run.get("error"):
            parts.append(f"<pre class='error'>{html.escape(run['error'][:5000])}</pre>")
    return "\n".join(parts)


def render(outcome):
    s = outcome.submission
    title = f"{s.assignment_id} — feedback for {s.student_id}"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>
<p><b>Score: {outcome.score:g} / {outcome.max_score:g}</b> — status: {html.escape(outcome.status)}</p>
<p>{html.escape(outcome.message)}</p>
<table><tr><th>test</th><th>points</th><th>result</th></tr>{_test_rows(outcome)}</table>
<h2>Your notebook as graded</h2>
<p>Cells tagged <code>experiment</code> (figures) are not run when grading.</p>
{_cells(outcome)}
</body></html>"""


def write(outcome, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(outcome), encoding="utf-8")
