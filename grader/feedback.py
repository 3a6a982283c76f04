"""Feedback pages: the score table, then the student's notebook with each test cell's verdict
and each cell's error. Only the student's own text and the grader's messages appear: hidden
tests never run in the student's process, so no hidden code can reach a page.

Every student string goes through textsafe.clean_text before html.escape, so no byte of it can
break the page's encoding. Rendering markdown is the one costly step a student controls (a small
table can expand into 65 000 cells), so each page has a budget for it; notes beyond the budget
are shown as escaped plain text, and the whole page is capped in size."""

import html
import time
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from grader.textsafe import clean_text

MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")  # raw HTML in a student's text is escaped

MARKDOWN_CELL_LIMIT = 20_000  # characters of one note that markdown-it may render
MARKDOWN_PAGE_CHARACTERS = 300_000  # rendered HTML of all notes on a page
MARKDOWN_PAGE_SECONDS = 1.0  # time markdown-it may spend on one page
TABLE_CELLS_LIMIT = 10_000  # markdown-it fills every table row up to the header's width: bound the expansion
PLAIN_LIMIT = 5_000  # characters shown of a note shown as plain text
SOURCE_LIMIT = 20_000
OUTPUT_LIMIT = 5_000
MESSAGE_LIMIT = 2_000
PAGE_LIMIT = 3 * 2**20  # characters of the notebook part of a page

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.pass{background:#e8f5e9}.fail{background:#ffebee}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.error{background:#fff3e0}.md{border-left:3px solid #ddd;padding-left:.8rem}"""


@dataclass
class MarkdownBudget:
    """What one page may still spend on rendering notes, and how many were shown as plain text."""

    seconds: float = MARKDOWN_PAGE_SECONDS
    characters: int = MARKDOWN_PAGE_CHARACTERS
    spent_seconds: float = 0.0
    spent_characters: int = 0
    shown_plain: int = 0


def escaped(value, limit=None):
    """Student text as HTML text: cleaned (always valid UTF-8, no control characters), then escaped."""
    return html.escape(clean_text(value, limit))


def points(value):
    """A score for the page; a value that is not a number is shown as text rather than failing."""
    try:
        return f"{value:g}"
    except (TypeError, ValueError):
        return escaped(value, 20)


def table_cells_bound(text):
    """An upper bound on the table cells markdown-it can make of a text: widest row times rows."""
    lines = text.split("\n")
    return (max(line.count("|") for line in lines) + 1) * len(lines)


def affordable(text, budget):
    return (
        len(text) <= MARKDOWN_CELL_LIMIT
        and budget.spent_characters < budget.characters
        and budget.spent_seconds < budget.seconds
        and table_cells_bound(text) <= TABLE_CELLS_LIMIT
    )


def markdown_html(source, budget):
    """A note as HTML while the page's budget lasts, otherwise as escaped plain text (counted in the budget)."""
    text = clean_text(source)
    if affordable(text, budget):
        start = time.perf_counter()
        try:
            rendered = MARKDOWN.render(text)
        except Exception:  # a markdown-it failure on odd input must not cost the student the page
            rendered = None
        budget.spent_seconds += time.perf_counter() - start
        if rendered is not None and budget.spent_characters + len(rendered) <= budget.characters:
            budget.spent_characters += len(rendered)
            return f"<div class='md'>{rendered}</div>"
    budget.shown_plain += 1
    return f"<pre class='md'>{escaped(text, PLAIN_LIMIT)}</pre>"


def _test_rows(outcome):
    rows = []
    for grade_id, score, max_score, message in outcome.tests:
        css = "pass" if score == max_score and max_score else "fail"
        rows.append(
            f"<tr class='{css}'><td>{escaped(grade_id, 200)}</td><td>{points(score)} / {points(max_score)}</td>"
            f"<td>{escaped(message, MESSAGE_LIMIT)}</td></tr>"
        )
    return "\n".join(rows)


def _grade_id(cell):
    """The grade id of a test cell as a string, or None; metadata is the student's and may be anything."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) and nbgrader.get("grade") else None
    return grade_id if isinstance(grade_id, str) else None


def _code_cell(cell, run, verdicts):
    parts = [f"<pre>{escaped(cell.get('source'), SOURCE_LIMIT)}</pre>"]
    grade_id = _grade_id(cell)
    if grade_id in verdicts:
        score, max_score, message = verdicts[grade_id]
        css = "pass" if score == max_score else "fail"
        parts.append(
            f"<p class='{css}'>{escaped(grade_id, 200)}: {points(score)} / {points(max_score)}"
            f" — {escaped(message, MESSAGE_LIMIT)}</p>"
        )
    if isinstance(run, dict) and run.get("output"):
        parts.append(f"<pre>{escaped(run['output'], OUTPUT_LIMIT)}</pre>")
    if isinstance(run, dict) and run.get("error"):
        parts.append(f"<pre class='error'>{escaped(run['error'], OUTPUT_LIMIT)}</pre>")
    return "\n".join(parts)


def _cells(outcome, budget):
    """The notebook as HTML, cut with a note once it passes PAGE_LIMIT characters."""
    verdicts = {grade_id: (score, max_score, message) for grade_id, score, max_score, message in outcome.tests}
    parts, size = [], 0
    for shown, (cell, run) in enumerate(outcome.cells):
        if size > PAGE_LIMIT:
            parts.append(
                f"<p class='error'>{len(outcome.cells) - shown} more cells are not shown: "
                f"this page reached its size limit of {PAGE_LIMIT // 2**20} MB.</p>"
            )
            break
        if cell.get("type") == "markdown":
            part = markdown_html(cell.get("source"), budget)
        elif cell.get("type") == "code":
            part = _code_cell(cell, run, verdicts)
        else:
            continue
        parts.append(part)
        size += len(part)
    return "\n".join(parts)


def _plain_notes_notice(budget):
    if not budget.shown_plain:
        return ""
    return (
        f"<p class='error'>{budget.shown_plain} of your notes (markdown cells) were too large or too many to format "
        "and are shown as plain text.</p>"
    )


def render(outcome):
    s = outcome.submission
    title = escaped(f"{clean_text(s.assignment_id, 200)} — feedback for {clean_text(s.student_id, 200)}")
    budget = MarkdownBudget()
    notebook = _cells(outcome, budget)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<style>{STYLE}</style></head><body><h1>{title}</h1>
<p><b>Score: {points(outcome.score)} / {points(outcome.max_score)}</b> — status: {escaped(outcome.status, 200)}</p>
<p>{escaped(outcome.message, MESSAGE_LIMIT)}</p>
<table><tr><th>test</th><th>points</th><th>result</th></tr>{_test_rows(outcome)}</table>
<h2>Your notebook as graded</h2>
<p>Cells tagged <code>experiment</code> (figures) are not run when grading.</p>
{_plain_notes_notice(budget)}
{notebook}
</body></html>"""


def write(outcome, path):
    """Write the page as UTF-8. Everything on it was cleaned, so its content cannot make this fail."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(outcome).encode("utf-8", errors="replace"))
