"""The class roster: who is in the course, and how an id from a submission names one of them.

A roster is a CSV file with the header `student_id,name,email,lms_id,section` (only student_id is
required; other columns are ignored). It is read as UTF-8, with or without a byte-order mark,
and every cell and header is stripped of surrounding spaces and put in Unicode NFC, as intake
does with the ids it reads from file names (a macOS zip spells é as e + accent).

`lms_id` is the id the LMS knows the student by: a Canvas user number or login, a Moodle id...
Roster.match maps what a submission was filed under (a Canvas login, a Moodle full name, a
Gradescope email) to the roster's entry, so that grades reach the roster's student_id.
"""

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROSTER_FIELDS = ("student_id", "name", "email", "lms_id", "section")


@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster; empty strings where the roster has no value."""

    student_id: str
    name: str = ""
    email: str = ""
    lms_id: str = ""
    section: str = ""


# ----------------------------------------------------------------------------- the keys ids are compared by


def exact_key(text: str) -> str:
    """Ids are compared as written, once in NFC and without surrounding spaces."""
    return unicodedata.normalize("NFC", text).strip()


def email_key(text: str) -> str:
    """Mail systems treat addresses without regard to case, and so do LMS logins."""
    return exact_key(text).casefold()


def name_key(text: str) -> str:
    """Names are compared without regard to case or to how many spaces separate the words."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


# (field, key) in the order an identifier is tried against them
MATCH_KEYS = (("student_id", exact_key), ("lms_id", exact_key), ("email", email_key), ("name", name_key))


def _index(students, field_name, key):
    """{key of a field's value: [entries with that value]}, without empty values."""
    index = {}
    for entry in students:
        value = key(getattr(entry, field_name))
        if value:
            index.setdefault(value, []).append(entry)
    return index


@dataclass
class Roster:
    """The students of a course, in the roster's order.

    match() tries an identifier against student_id, lms_id, email (any case) and name (any case
    and spacing), in that order. An identifier that names two different students, whether
    through one field (two students called "Sam Lee") or through two (one student's lms_id is
    another's student_id), names nobody: a grade given to the wrong student is worse than one
    left for a person to place, so match() returns None and ambiguous() says why."""

    students: list[RosterEntry]
    _indexes: list = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self._indexes = [_index(self.students, name, key) for name, key in MATCH_KEYS]

    def candidates(self, identifier: str) -> list[RosterEntry]:
        """Every roster student the identifier names, by any field, in the order of MATCH_KEYS."""
        found = {}
        for (_, key), index in zip(MATCH_KEYS, self._indexes, strict=True):
            for entry in index.get(key(identifier), []):
                found.setdefault(entry.student_id, entry)
        return list(found.values())

    def match(self, identifier: str) -> RosterEntry | None:
        """The one student the identifier names, or None (nobody, or several)."""
        found = self.candidates(identifier)
        return found[0] if len(found) == 1 else None

    def ambiguous(self, identifier: str) -> bool:
        """True when the identifier names several students (and so matches none)."""
        return len(self.candidates(identifier)) > 1


# ----------------------------------------------------------------------------- reading the file


def _cell(row, column):
    return exact_key(row[column]) if column is not None and column < len(row) else ""


def read_roster(path) -> Roster:
    """The roster in a CSV file, or a ValueError naming the file and line of what is wrong
    (not UTF-8, no header, no student_id column, a row without a student_id, a student_id twice)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            rows = [(reader.line_num, row) for row in reader]  # line_num: the line the row ends on
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; save the roster as 'CSV UTF-8'") from None
    except csv.Error as error:
        raise ValueError(f"{path}: not a readable CSV file ({error})") from None
    if not rows:
        raise ValueError(f"{path}, line 1: empty file; expected the header {','.join(ROSTER_FIELDS)}")
    header = [exact_key(name).lower() for name in rows[0][1]]
    columns = {name: header.index(name) if name in header else None for name in ROSTER_FIELDS}
    if columns["student_id"] is None:
        raise ValueError(f"{path}, line 1: no student_id column (the header is {','.join(header)!r})")
    students, first_line = [], {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        entry = RosterEntry(**{name: _cell(row, column) for name, column in columns.items()})
        if not entry.student_id:
            raise ValueError(f"{path}, line {line}: no student_id")
        if entry.student_id in first_line:
            earlier = first_line[entry.student_id]
            raise ValueError(f"{path}, line {line}: student_id {entry.student_id!r} is already on line {earlier}")
        first_line[entry.student_id] = line
        students.append(entry)
    return Roster(students)
