"""The one boundary student text crosses into the grader's files (CSV, feedback HTML, report.md).

Student ids, cell sources, outputs, error messages and test messages quoting names the student
chose are all untrusted. Everything here accepts any value, never raises, and returns text that
encodes as UTF-8 and cannot become live in a spreadsheet, a terminal, or a markdown renderer.

What `clean_text` does with odd characters (one rule for every output):
  - bytes are decoded as UTF-8, invalid sequences become U+FFFD;
  - surrogate pairs are joined, lone surrogates become U+FFFD;
  - "\\r\\n" and a lone "\\r" become "\\n" (printed progress bars stay readable);
  - ANSI/terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL") are removed whole;
  - NUL is removed;
  - every other control character (C0 except "\\n" and "\\t", DEL, C1 U+0080-U+009F) and the
    bidi overrides/isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD, so the reader can
    see that something was there.
"""

import math
import numbers
import re

REPLACEMENT = "\ufffd"

# Only complete sequences are removed; a stray ESC is left to _CONTROL, so no text can be swallowed.
_ANSI_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\n\t\u2028\u2029]+")  # after clean_text, the only characters that break a line

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection");
# the fullwidth forms are included because some spreadsheets normalise them on input.
_FORMULA_STARTS = tuple("=+-@\uff1d\uff0b\uff0d\uff20")
# A plain decimal number, optionally negative, is data, not a formula: "-1.5" stays numeric.
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
CSV_CELL_LIMIT = 4000  # far below a spreadsheet's 32767 characters per cell

# Markdown: every character that can open inline syntax (code, emphasis, strikethrough, math,
# links, images, HTML, entities, emoji, autolinks, table columns) is backslash-escaped; CommonMark
# and GitHub render any escaped ASCII punctuation as the character itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~$\[\]!<>&|#:@])")
_MARKDOWN_LINE_START = re.compile(r"^([-+=]|\d+[.)])")  # list items, setext underlines
_WWW_AUTOLINK = re.compile(r"(?i)(www)\.")  # GitHub links a bare www.example.com
MARKDOWN_LIMIT = 200


def _as_text(value):
    """Any value as a str: None is empty, bytes are decoded, an object whose str() fails is named."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    try:
        text = str(value)
    except Exception:  # a hostile __str__ must not stop the grader
        return f"<unprintable {type(value).__name__}>"
    return text if isinstance(text, str) else ""


def _without_surrogates(text):
    """Valid surrogate pairs joined into their character, lone surrogates replaced by U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")


def truncate(text, limit):
    """At most `limit` characters of `text`, then a marker saying how many were cut."""
    if limit is None or len(text) <= limit:
        return text
    return f"{text[: max(limit, 0)]}… [{len(text) - max(limit, 0)} more characters cut]"


def clean_text(value, limit=None):
    """Any value as text that is safe to write anywhere (see the module docstring for the rules).

    `limit` truncates the cleaned text to that many characters plus a marker; None keeps it all."""
    try:
        text = _without_surrogates(_as_text(value))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _ANSI_SEQUENCE.sub("", text).replace("\x00", "")
        text = _CONTROL.sub(REPLACEMENT, text)
        return truncate(text, limit)
    except Exception:  # never expected; the guarantee is that nothing here raises
        return REPLACEMENT


def fold_lines(text):
    """Line breaks and tabs as single spaces: one line of text, for a cell or a table."""
    return _LINE_BREAKS.sub(" ", text)


def is_plain_number(text):
    """True for decimal numbers like "3", "-1.5", "2e-3": data a spreadsheet reads as a number."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def csv_cell(value, limit=CSV_CELL_LIMIT):
    """Text for one CSV cell that a spreadsheet shows as text and never runs as a formula.

    Cleaned, folded to one line, and prefixed with a single quote when its first non-blank
    character is `=`, `+`, `-` or `@` (a leading tab or CR is folded to a space first, so
    "\\t=x" is caught too). The one exception is a plain negative number such as "-1.5",
    which is a legitimate value and stays as it is; "+1" is still prefixed."""
    text = fold_lines(clean_text(value, limit))
    if text.lstrip().startswith(_FORMULA_STARTS) and not is_plain_number(text):
        return "'" + text
    return text


def csv_number(value):
    """A score or point count for a CSV cell: a real number stays a number, anything else is text."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value if math.isfinite(value) else str(value)
    return csv_cell(value)


def markdown_text(value, limit=MARKDOWN_LIMIT):
    """Text that renders as itself inside a markdown table cell (markdown-it, GitHub) and can
    never open an HTML tag, a link, an image, a heading, code, emphasis or a new table column."""
    text = fold_lines(clean_text(value, limit)).strip()
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _WWW_AUTOLINK.sub(r"\1\\.", text)
    return _MARKDOWN_LINE_START.sub(lambda match: match[0][:-1] + "\\" + match[0][-1], text)
