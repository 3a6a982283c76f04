"""Feedback pages: the student's results first (score, status, one line per graded function),
then their notebook as graded, with each test cell's verdict and each cell's error. Only the
student's own text and the grader's messages appear: hidden tests never run in the student's
process, so no hidden code can reach a page.

Math in notes ($...$, $$...$$) is shown as MathML, readable offline with no script: it is taken
out before markdown-it sees it (so `_` and `*` in a formula stay math) and put back as markup
rebuilt from an allow-list (latex2mathml copies \\text{...} and \\href{...} through raw).
A formula that does not convert is shown as its escaped TeX.

Every student string goes through textsafe.clean_text before html.escape, so no byte of it can
break the page's encoding. Rendering markdown is the one costly step a student controls (a small
table can expand into 65 000 cells), so each page has a budget for it; notes beyond the budget
are shown as escaped plain text, and the whole page is capped in size."""

import html
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from latex2mathml.converter import convert_to_element
from markdown_it import MarkdownIt

from coursekit import grade_ids
from grader.intake import read_regular_file, student_key
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
MATH_LIMIT = 2_000  # characters of one formula converted to MathML; a longer one is shown as TeX
RECEIPT_LIMIT = 4_096  # bytes of timestamp.txt or submission_secret.txt copied for release_feedback
RELEASE_FEEDBACK_RECEIPTS = ("timestamp.txt", "submission_secret.txt")  # what release_feedback reads beside a page

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.pass{background:#e8f5e9}.fail{background:#ffebee}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.error{background:#fff3e0}.md{border-left:3px solid #ddd;padding-left:.8rem}
.results li{margin:.2rem 0;padding:.2rem .4rem}.tex{font-family:monospace}"""

# What is math in a note, as Jupyter finds it: code spans and escaped dollars are passed over first.
MATH_SPANS = re.compile(
    r"""\\\$                                                  # an escaped dollar: text
    | (?P<code>`+)[\s\S]*?(?P=code)                        # a code span or fence: its dollars are code
    | \$\$(?P<display>[\s\S]+?)\$\$                          # display math
    | \$(?P<inline>(?!\s)(?:\\.|[^$\\\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)  # inline math, within a paragraph
    """,
    re.VERBOSE,
)
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")  # markdown-it escapes < > in text and attributes: tags split cleanly
MATHML_TAGS = frozenset(
    "math mrow mi mn mo mtext ms mspace msub msup msubsup mfrac msqrt mroot mover munder munderover mtable mtr "
    "mtd mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none".split()
)
MATHML_ATTRIBUTES = frozenset(
    "display mathvariant mathsize mathcolor mathbackground accent accentunder stretchy fence separator form "
    "largeop movablelimits symmetric lspace rspace minsize maxsize width height depth voffset linethickness "
    "linebreak notation displaystyle scriptlevel columnalign columnlines columnspacing rowlines rowspacing "
    "frame framespacing align".split()
)


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


def math_text(text):
    """Text of a MathML element, escaped once: latex2mathml keeps symbols as character references
    (&#x003B2;) beside the student's raw text, so both are decoded first."""
    return html.escape(html.unescape(text or ""), quote=False)


def mathml_markup(element):
    """latex2mathml's element tree as markup, rebuilt from the allow-lists; raise on an unknown tag."""
    if element.tag not in MATHML_TAGS:
        raise ValueError(f"unexpected MathML element {element.tag!r}")
    attributes = "".join(
        f' {name}="{html.escape(str(value))}"' for name, value in element.attrib.items() if name in MATHML_ATTRIBUTES
    )
    inner = math_text(element.text) + "".join(mathml_markup(child) + math_text(child.tail) for child in element)
    return f"<{element.tag}{attributes}>{inner}</{element.tag}>"


def tex_as_text(tex, display):
    """A formula that was not converted, as its TeX, escaped (quotes too: it may sit in an attribute)."""
    return f"<span class='tex'>{html.escape(tex)}</span>" if display is not None else html.escape(tex)


def formula_html(tex, display, deadline):
    """MathML of one formula, or its TeX as text when too long, too late or not convertible."""
    if len(tex) > MATH_LIMIT or time.perf_counter() > deadline:
        return tex_as_text(tex, display)
    try:
        return mathml_markup(convert_to_element(tex, display="block" if display else "inline"))
    except Exception:  # latex2mathml's own errors, RecursionError on deep nesting: show the TeX
        return tex_as_text(tex, display)


def protect_math(text):
    """(text with each formula replaced by a placeholder markdown-it leaves alone, [(tex, display)], placeholder
    pattern). The placeholder carries a fresh nonce, so a student cannot write one."""
    nonce = secrets.token_hex(6)
    while nonce in text:
        nonce = secrets.token_hex(6)
    formulas = []

    def placeholder(match):
        if match.group("display") is None and match.group("inline") is None:
            return match.group(0)
        display = match.group("display") is not None
        formulas.append((match.group("display") if display else match.group("inline"), display))
        return f"M{nonce}N{len(formulas) - 1}Z"

    return MATH_SPANS.sub(placeholder, text), formulas, re.compile(rf"M{nonce}N(\d+)Z")


def restore_math(rendered, formulas, pattern, deadline):
    """Put each formula back: MathML in text, escaped TeX inside a tag (a link's address, say)."""

    def in_text(match):
        return formula_html(*formulas[int(match.group(1))], deadline)

    def in_tag(match):
        return tex_as_text(formulas[int(match.group(1))][0], None)

    pieces = TAG_OR_TEXT.split(rendered)  # text at even indices, tags at odd ones
    return "".join(pattern.sub(in_tag if index % 2 else in_text, piece) for index, piece in enumerate(pieces))


def render_note(text, deadline):
    """A note as HTML, its math as MathML."""
    protected, formulas, pattern = protect_math(text)
    rendered = MARKDOWN.render(protected)
    return restore_math(rendered, formulas, pattern, deadline) if formulas else rendered


def markdown_html(source, budget):
    """A note as HTML while the page's budget lasts, otherwise as escaped plain text (counted in the budget)."""
    text = clean_text(source)
    if affordable(text, budget):
        start = time.perf_counter()
        try:
            rendered = render_note(text, deadline=start + budget.seconds - budget.spent_seconds)
        except Exception:  # a markdown-it failure on odd input must not cost the student the page
            rendered = None
        budget.spent_seconds += time.perf_counter() - start
        if rendered is not None and budget.spent_characters + len(rendered) <= budget.characters:
            budget.spent_characters += len(rendered)
            return f"<div class='md'>{rendered}</div>"
    budget.shown_plain += 1
    return f"<pre class='md'>{escaped(text, PLAIN_LIMIT)}</pre>"


def function_of(grade_id):
    """The graded function a test cell checks: test_adam_update and test_adam_update_hidden check adam_update."""
    return grade_ids.function_of(clean_text(grade_id, 200))


def total(values):
    try:
        return sum(values)
    except TypeError:
        return "?"  # not numbers: shown as text by points()


def function_results(tests):
    """[(function, score, max_score, message)]: a function's visible and hidden test cells as one line,
    in the order of the tests; the message is its failures' messages, or "passed"."""
    grouped = {}
    for grade_id, score, max_score, message in tests:
        grouped.setdefault(function_of(grade_id), []).append((score, max_score, clean_text(message, MESSAGE_LIMIT)))
    results = []
    for function, rows in grouped.items():
        failures = [message for _, _, message in rows if message != "passed"]
        message = " | ".join(dict.fromkeys(failures)) or "passed"
        results.append((function, total(row[0] for row in rows), total(row[1] for row in rows), message))
    return results


def _result_lines(outcome):
    lines = []
    for function, score, max_score, message in function_results(outcome.tests):
        css = "pass" if score == max_score and max_score else "fail"
        lines.append(
            f"<li class='{css}'><b>{escaped(function)}: {points(score)}/{points(max_score)}</b>"
            f" — {escaped(message, 2 * MESSAGE_LIMIT)}</li>"
        )
    return "\n".join(lines)


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


def _message(outcome):
    return f"<p>{escaped(outcome.message, MESSAGE_LIMIT)}</p>" if outcome.message else ""


def render(outcome):
    s = outcome.submission
    title = escaped(f"{clean_text(s.assignment_id, 200)} — feedback for {clean_text(s.student_id, 200)}")
    budget = MarkdownBudget()
    notebook = _cells(outcome, budget)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<style>{STYLE}</style></head><body><h1>{title}</h1>
<section class='results'>
<p><b>Score: {points(outcome.score)}/{points(outcome.max_score)}</b> — status: {escaped(outcome.status, 200)}</p>
<ul>
{_result_lines(outcome)}
</ul>
{_message(outcome)}
</section>
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


# ----------------------------------------------------------------------------- nbgrader's release_feedback


def course_feedback_path(course_dir, student_id, assignment_id, notebook_name):
    """Where `nbgrader release_feedback` looks for a page: feedback/<student>/<assignment>/<notebook>.html."""
    return Path(course_dir) / "feedback" / student_id / assignment_id / f"{notebook_name}.html"


def safe_name(name):
    """A name nbgrader may use as it is for a folder or file: student_key leaves it unchanged."""
    return isinstance(name, str) and bool(name) and student_key(name) == name


def write_course_feedback(course_dir, outcome, notebook_name):
    """Write the page where release_feedback finds it (atomically: it copies every *.html it sees);
    None for a student id or notebook name that is not a safe file name."""
    s = outcome.submission
    if not (safe_name(s.student_id) and safe_name(s.assignment_id) and safe_name(notebook_name)):
        return None
    path = course_feedback_path(course_dir, s.student_id, s.assignment_id, notebook_name)
    partial = path.with_name(f".{path.name}.partial")
    write(outcome, partial)
    os.replace(partial, path)
    return path


def submission_receipts(submission):
    """{name: bytes} of timestamp.txt and submission_secret.txt, which `nbgrader submit` puts beside the
    notebook and `collect` keeps; None when either is missing (not submitted through the exchange)."""
    if submission.path is None:
        return None
    folder = Path(submission.path).parent
    try:
        return {name: read_regular_file(folder / name, RECEIPT_LIMIT) for name in RELEASE_FEEDBACK_RECEIPTS}
    except (OSError, ValueError):
        return None


def keep_for_release_feedback(course_dir, outcome, notebook_name=None):
    """Make a freshly graded submission deliverable by `nbgrader release_feedback` / `fetch_feedback`.

    release_feedback names the released page md5(submission_secret + notebook name) and fetch_feedback
    finds it with the secret kept in the student's own cache, so the page needs the secret that came
    with the submission: the receipts are copied beside the page (and into autograded/, as nbgrader's
    own autograde does), before the page, since release_feedback stops at a page without them.
    Returns the page's path, or None when the submission did not come through the exchange."""
    s = outcome.submission
    receipts = submission_receipts(s)
    notebook_name = notebook_name or (Path(s.path).stem if s.path else None)
    if receipts is None or not (safe_name(s.student_id) and safe_name(s.assignment_id) and safe_name(notebook_name)):
        return None
    for step in ("autograded", "feedback"):
        folder = Path(course_dir) / step / s.student_id / s.assignment_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in receipts.items():
            (folder / name).write_bytes(data)
    return write_course_feedback(course_dir, outcome, notebook_name)
