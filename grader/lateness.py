"""Late work: deadlines per assignment, submission times, and a penalty rule.

A deadline or a time without a time zone is read as UTC (nbgrader writes its timestamps in UTC).
The penalty is a share of the raw score per day started after the deadline (`10%/day`: one
second late costs 10 %, a day and a second 20 %), capped (`--late-cap 50%`). A submission the
LMS marked late but whose time is unknown gets no penalty and is left for a person to decide.
"""

import csv
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dateutil import parser as date_parser

DAY = 86_400.0


@dataclass(frozen=True)
class LatePolicy:
    rate_per_day: float = 0.0  # share of the raw score lost per day started
    cap: float = 1.0  # the most that can be lost

    def penalty(self, late_seconds):
        if late_seconds <= 0:
            return 0.0
        return min(self.cap, self.rate_per_day * math.ceil(late_seconds / DAY))


@dataclass(frozen=True)
class Lateness:
    submitted_at: str  # ISO 8601 in UTC, or "" when unknown
    late_by: str  # "", or e.g. "1 day 2:03:04", or "unknown (marked late by the LMS)"
    penalty: float  # share of the raw score taken off
    needs_review: str = ""  # why a person should decide, if anyone should


def parse_share(text):
    """'10%', '10%/day', '0.1' -> 0.1."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(%?)\s*(?:/\s*day)?\s*", text or "")
    if not match:
        raise ValueError(f"not a share: {text!r} (write e.g. 10%/day, or 0.1)")
    value = float(match[1]) / (100 if match[2] else 1)
    if not 0 <= value <= 1:
        raise ValueError(f"a share must be between 0 and 100%: {text!r}")
    return value


def parse_time(text):
    """A timezone-aware datetime from ISO 8601, nbgrader's timestamp.txt or an LMS name's time."""
    text = (text or "").strip()
    if not text:
        return None
    lms = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)", text)  # Blackboard's names
    moment = datetime(*map(int, lms.groups())) if lms else date_parser.parse(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_table(path, key_columns, value_column):
    """{(key, ...): value} from a CSV with a header (UTF-8, BOM tolerated)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in (*key_columns, value_column) if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: needs the columns {', '.join(missing)}")
        return {tuple(row[c].strip() for c in key_columns): row[value_column].strip() for row in reader}


def read_deadlines(path):
    """{assignment_id: deadline} from a CSV `assignment_id,deadline`."""
    return {key[0]: parse_time(value) for key, value in read_table(path, ["assignment_id"], "deadline").items()}


def read_timestamps(path):
    """{(student_id, assignment_id): time} from a CSV `student_id,assignment_id,submitted_at`."""
    table = read_table(path, ["student_id", "assignment_id"], "submitted_at")
    return {key: parse_time(value) for key, value in table.items()}


def describe_delay(seconds):
    days, rest = divmod(int(round(seconds)), int(DAY))
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{days} day{'s' if days != 1 else ''} {clock}" if days else clock


def assess(submitted_at, deadline, policy, marked_late=False):
    """The lateness of one submission (times are datetimes or None)."""
    stamp = submitted_at.astimezone(UTC).isoformat() if submitted_at else ""
    if deadline is None:
        return Lateness(stamp, "", 0.0)
    if submitted_at is None:
        if marked_late:
            why = "marked late by the LMS, but its time is unknown: no penalty applied"
            return Lateness("", "unknown (marked late by the LMS)", 0.0, why)
        return Lateness("", "", 0.0)
    late = (submitted_at - deadline).total_seconds()
    if late <= 0:
        return Lateness(stamp, "", 0.0)
    return Lateness(stamp, describe_delay(late), policy.penalty(late))
