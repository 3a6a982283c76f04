"""Find the submissions in a folder and account for every file in it.

scan() walks the folder without ever following a link, recognises nbgrader's layout and the
downloads of Canvas, Moodle, Blackboard and Gradescope (and plain <student>_<assignment>.ipynb
names), and returns the submissions to grade together with one row per file or link saying what
was done with it and why. student_key() turns any student id into a file name that is safe and
different for every id, for feedback pages and course folders.
"""

import csv
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from grader.textsafe import csv_cell

GRADED, SUPERSEDED, SKIPPED = "graded", "superseded", "skipped"
INTAKE_FIELDS = ["path", "student_id", "assignment_id", "decision", "reason"]
KEY_MAX_BYTES = 120
HASH_CHARS = 16  # 64 bits of sha256: no two long ids in a class will ever share a key
SMALL_FILE_MAX_BYTES = 1 << 20  # timestamp.txt and submission_metadata.yml; anything bigger is not metadata
ZIP_REASON = "zip archives are not unpacked here; unzip it first"
GRADESCOPE_METADATA = b"submission_metadata.yml"

# Invisible characters that reorder or hide text: an id must not look like another one.
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
KEY_SAFE = set("_-@+() .")  # besides letters and digits; space, '.' and '-' only inside a key

CANVAS = re.compile(r"(?P<login>[^\W_]+)_(?:(?P<late>LATE|late)_)?(?P<user>\d+)_(?P<file>\d+)_(?P<original>.+)")
BLACKBOARD = re.compile(r"(?P<head>.+)_attempt_(?P<time>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(?P<original>.+))?")
MOODLE = re.compile(r"(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_")
GRADESCOPE = re.compile(r"submission_\d+")
BROWSER_COPY = re.compile(r"(?P<stem>.*?) \((?P<number>\d{1,4})\)")  # "kim_05_adam (1)"
CANVAS_COPY = re.compile(r"(?P<stem>.*?)-(?P<number>\d{1,4})")  # "05_adam-1"


# ----------------------------------------------------------------------------- records


@dataclass
class Submission:
    """One student's notebook for one assignment; path is None when nothing gradable was found
    (the note says why, in words meant for the student)."""

    student_id: str
    assignment_id: str
    path: Path | None
    note: str = ""
    submitted_at: str | None = None
    late: bool = False


@dataclass
class IntakeRow:
    """What was done with one file or link of the submissions folder, and why."""

    path: str
    student_id: str
    assignment_id: str
    decision: str
    reason: str


@dataclass
class Intake:
    submissions: list[Submission]
    rows: list[IntakeRow]


@dataclass(frozen=True)
class Entry:
    """One thing found on disk, as lstat saw it; rel is the raw path below the scanned folder."""

    rel: bytes
    kind: str  # file, dir, symlink, other, unlistable
    mtime_ns: int = 0
    links: int = 1
    error: str = ""


@dataclass(frozen=True)
class Student:
    """Who a file belongs to. Two files are one student's only when their identities are equal
    (the raw on-disk name, plus the LMS's user number where it has one); student_id is the text."""

    identity: str
    student_id: str
    source: str  # the on-disk name, for messages
    note: str = ""


@dataclass
class Candidate:
    """A notebook that may be graded for a student and assignment (rel None: nothing usable found)."""

    student: Student
    assignment_id: str
    rel: bytes | None
    layout: str
    note: str = ""
    resubmission: int = 0
    submitted_at: str | None = None
    late: bool = False
    mtime_ns: int = 0


@dataclass
class Mark:
    """A row whose student id is not final yet (ids kept apart are renamed at the end)."""

    rel: bytes
    decision: str
    reason: str
    student: Student | None = None
    assignment_id: str = ""


@dataclass
class Findings:
    candidates: list[Candidate] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    def add(self, other):
        self.candidates += other.candidates
        self.marks += other.marks
        return self


@dataclass
class Folder:
    """The scanned folder: its raw path, its tree (parent rel -> entries) and the assignment slugs."""

    root: bytes
    tree: dict
    slugs: tuple
    gradescope: dict = field(default_factory=dict)  # "submission_<id>" -> (people, created_at)
    gradescope_reason: str = ""  # the row of submission_metadata.yml


# ----------------------------------------------------------------------------- names


def student_key(student_id: str) -> str:
    """A file or folder name for a student id: different ids give different keys.

    Letters, digits and a few harmless signs stay as they are (alice, bob smith, bob_smith);
    everything else, '%' included, is percent-encoded from its UTF-8 bytes, so the key decodes
    back to the id. A leading '.', '-' or space and a trailing '.' or space are encoded too (no
    '.', '..', hidden or option-like names). A key longer than KEY_MAX_BYTES keeps a prefix and
    ends in '%-' and a short sha256 of the whole id; '%-' never occurs in a short key."""
    last = len(student_id) - 1
    pieces = [_key_piece(char, index == 0, index == last) for index, char in enumerate(student_id)]
    key = "".join(pieces)
    if student_id and len(key.encode()) <= KEY_MAX_BYTES:
        return key
    digest = hashlib.sha256(student_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return _prefix_within(pieces, KEY_MAX_BYTES - 2 - HASH_CHARS) + "%-" + digest


def _key_piece(char, first, last):
    plain = char.isalnum() or char in KEY_SAFE
    if char in " .-" and first or char in " ." and last:
        plain = False
    if plain:
        return char
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _prefix_within(pieces, budget):
    """The longest run of whole pieces (never half an escape) within budget bytes."""
    taken, used = [], 0
    for piece in pieces:
        used += len(piece.encode())
        if used > budget:
            break
        taken.append(piece)
    return "".join(taken)


def _is_control(char):
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS


def display(raw: bytes) -> str:
    """A raw file-system name as printable text: UTF-8 as is, other bytes as \\xNN, controls escaped."""
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(char.encode("unicode_escape").decode() if _is_control(char) else char for char in text)


def decode_name(raw: bytes) -> tuple[str, str]:
    """The text of a file-system name and the codec that gave it: UTF-8 when valid, else
    Windows-1252 (what most Latin-1 unzips mean), else Latin-1, which decodes any bytes."""
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise AssertionError("Latin-1 decodes every byte")


def clean_student_id(text: str) -> str:
    """NFC (a macOS zip spells é as e + accent), controls replaced by U+FFFD, outer whitespace stripped."""
    text = "".join("\ufffd" if _is_control(char) else char for char in text)
    return unicodedata.normalize("NFC", text).strip()


def make_student(text, codec, what, identity=None):
    """The Student named by text (decoded with codec from a `what`), or the reason it is no id."""
    student_id = clean_student_id(text)
    source = display(text.encode(codec, "surrogatepass"))
    if student_id in ("", ".", ".."):
        return f"{source!r} is not a usable student id"
    notes = [f"{what} was not UTF-8; read as Latin-1"] if codec != "utf-8" else []
    if any(_is_control(char) for char in text):
        notes.append("control characters in the name were replaced")
    identity = identity if identity is not None else os.fsdecode(text.encode(codec, "surrogateescape"))
    return Student(identity, student_id, source, "; ".join(notes))


def find_slug(text, slugs):
    """The one assignment slug that text names (case aside, not glued to letters or digits), or None."""
    spans = {}
    for slug in slugs:
        pattern = r"(?<![^\W_])" + re.escape(slug) + r"(?![^\W_])"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            spans[match.span()] = slug
    # 05_adam inside a longer slug that also matched is not a second assignment
    outer = {slug for span, slug in spans.items() if not any(_inside(span, other) for other in spans)}
    return outer.pop() if len(outer) == 1 else None


def _inside(span, other):
    return span != other and other[0] <= span[0] and span[1] <= other[1]


def split_copy_number(stem, pattern=BROWSER_COPY):
    """("kim_05_adam", 1) for "kim_05_adam (1)": the number of a browser's or Canvas's later copy."""
    match = pattern.fullmatch(stem)
    return (match["stem"], int(match["number"])) if match else (stem, 0)


# ----------------------------------------------------------------------------- the disk


def walk(root: bytes) -> list[Entry]:
    """Everything below root, by lstat: links are listed, never followed; folders that cannot be
    listed are entries of kind unlistable. Iterative, so no depth breaks it."""
    entries, pending = [], [(b"", None)]
    while pending:
        rel, index = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as error:
            if index is None:
                raise
            entries[index] = Entry(rel, "unlistable", error=f"could not list this folder: {error.strerror}")
            continue
        for child in children:
            name = os.fsencode(child.name)
            entries.append(_entry(os.path.join(rel, name) if rel else name, child))
            if entries[-1].kind == "dir":
                pending.append((entries[-1].rel, len(entries) - 1))
    return entries


def _entry(rel, child):
    try:
        info = child.stat(follow_symlinks=False)
    except OSError as error:
        return Entry(rel, "other", error=f"could not be read: {error.strerror}")
    kinds = [(stat.S_ISLNK, "symlink"), (stat.S_ISDIR, "dir"), (stat.S_ISREG, "file")]
    kind = next((name for test, name in kinds if test(info.st_mode)), "other")
    return Entry(rel, kind, info.st_mtime_ns, info.st_nlink)


def read_regular_file(path, max_bytes: int = SMALL_FILE_MAX_BYTES) -> bytes:
    """The bytes of an ordinary file, refusing links, hard links, devices and pipes and anything
    bigger than max_bytes. O_NOFOLLOW: a file swapped for a link after the scan is refused too."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            raise ValueError("not an ordinary file")
        if info.st_size > max_bytes:
            raise ValueError(f"larger than {max_bytes} bytes")
        chunks, size = [], 0
        while chunk := os.read(descriptor, max_bytes + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise ValueError(f"larger than {max_bytes} bytes")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def unusable(entry: Entry, root: bytes) -> str:
    """Why an entry must not be read at all, or "" for an ordinary file or folder."""
    if entry.kind == "symlink":
        try:
            target = display(os.readlink(os.path.join(root, entry.rel)))[:200]
        except OSError:
            target = "?"
        return f"symbolic link (to {target}): links are never followed"
    if entry.kind == "file" and entry.links > 1:
        return "hard link: the same file is also at another path"
    if entry.kind in ("other", "unlistable"):
        return entry.error or "not a regular file (a device, pipe or socket)"
    return ""


def stray_reason(name: bytes) -> str:
    """Why a file that no layout uses is not graded, in the words a teacher would want."""
    lower = name.lower()
    if lower.endswith(b".zip"):
        return ZIP_REASON
    if lower in (b".ds_store", b"thumbs.db", b"desktop.ini") or name.startswith(b"._"):
        return "operating-system metadata, not a submission"
    if lower.endswith(b".ipynb"):
        return "a notebook outside any recognised layout"
    return "not a notebook (only .ipynb files are graded)"


def folder_reason(name: bytes) -> str:
    """Why a whole folder is not read, for the folders nobody submits."""
    if name == b".ipynb_checkpoints":
        return "Jupyter's checkpoint copies, not a submission"
    if name == b"__MACOSX" or name.startswith(b"."):
        return "hidden or archive-metadata folder, not a submission"
    return ""


def skip_tree(folder: Folder, rel: bytes, reason: str, student=None, assignment_id="") -> Findings:
    """Skipped rows for every file and link below the folder rel (a link says it is a link).
    Iterative: an archive nested a thousand folders deep must not break the scan."""
    found, pending = Findings(), [rel]
    while pending:
        for entry in folder.tree.get(pending.pop(), []):
            if entry.kind == "dir":
                pending.append(entry.rel)
            else:
                why = unusable(entry, folder.root) or reason
                found.marks.append(Mark(entry.rel, SKIPPED, why, student, assignment_id))
    return found


def skip(entry, folder, reason, student=None, assignment_id=""):
    """One skipped entry: a folder with everything below it, or a file; a link says it is a link."""
    if entry.kind == "dir":
        return skip_tree(folder, entry.rel, reason, student, assignment_id)
    return Findings(marks=[Mark(entry.rel, SKIPPED, unusable(entry, folder.root) or reason, student, assignment_id)])


# ----------------------------------------------------------------------------- nbgrader


def nbgrader_student(entry, folder) -> Findings:
    """<student>/<assignment>/<assignment>.ipynb: one folder per student, one per assignment in it."""
    student = make_student(*decode_name(os.path.basename(entry.rel)), "folder name")
    if isinstance(student, str):
        return skip_tree(folder, entry.rel, student)
    found = Findings()
    for child in folder.tree.get(entry.rel, []):
        name = os.path.basename(child.rel)
        slug = name.decode("utf-8", "replace")
        if slug in folder.slugs and child.kind == "dir":
            found.add(nbgrader_assignment(child, student, slug, folder))
        elif slug in folder.slugs:
            reason = unusable(child, folder.root) or "a file where the assignment's folder should be"
            found.marks.append(Mark(child.rel, SKIPPED, reason, student, slug))
            note = f"the {slug} folder was not read: {reason}"
            found.candidates.append(Candidate(student, slug, None, "nbgrader layout", note))
        elif child.kind == "dir":
            why = folder_reason(name) or f"{display(name)!r} is not an assignment"
            found.add(skip_tree(folder, child.rel, why, student))
        else:
            expected = f"{display(os.path.basename(entry.rel))}/<assignment>/<assignment>.ipynb"
            found.add(skip(child, folder, stray_reason(name) + f"; only {expected} is read here", student))
    return found


def nbgrader_assignment(entry, student, slug, folder) -> Findings:
    """The assignment folder: <slug>.ipynb, else its only notebook; timestamp.txt gives the time."""
    found, notebooks, refused, stamp = Findings(), [], [], None
    for child in folder.tree.get(entry.rel, []):
        name = os.path.basename(child.rel)
        if reason := unusable(child, folder.root):
            found.marks.append(Mark(child.rel, SKIPPED, reason, student, slug))
            if name.lower().endswith(b".ipynb"):
                refused.append(f"{display(name)} ({reason.split(':')[0].split(' (')[0]}, not read)")
        elif child.kind == "dir":
            why = folder_reason(name) or "inside a subfolder of the submission"
            found.add(skip_tree(folder, child.rel, why, student, slug))
        elif name == b"timestamp.txt":
            stamp = child
        elif name.lower().endswith(b".ipynb") and not name.startswith(b"._"):
            notebooks.append(child)
        else:
            found.marks.append(Mark(child.rel, SKIPPED, stray_reason(name), student, slug))
    submitted_at = read_timestamp(stamp, folder, student, slug, found) if stamp else None
    return found.add(choose_nbgrader_notebook(notebooks, refused, student, slug, submitted_at))


def read_timestamp(entry, folder, student, slug, found):
    """nbgrader's timestamp.txt: the submission time as text, or None when unreadable."""
    try:
        text = read_regular_file(os.path.join(folder.root, entry.rel), 4096).decode("utf-8", "replace")
        submitted_at = clean_student_id(text.strip().splitlines()[0] if text.strip() else "")[:64] or None
        reason = f"nbgrader's submission time ({submitted_at}), read for {slug}; not graded itself"
    except (OSError, ValueError) as error:
        why = getattr(error, "strerror", None) or error
        submitted_at, reason = None, f"nbgrader's submission time, unreadable: {why}"
    found.marks.append(Mark(entry.rel, SKIPPED, reason, student, slug))
    return submitted_at


def choose_nbgrader_notebook(notebooks, refused, student, slug, submitted_at) -> Findings:
    """<slug>.ipynb wins; else the only notebook (with a note); else nothing, naming what was there."""
    expected = f"{slug}.ipynb".encode()
    chosen = next((n for n in notebooks if os.path.basename(n.rel) == expected), None)
    note = ""
    if chosen is None and len(notebooks) == 1:
        chosen = notebooks[0]
        note = f"graded {display(os.path.basename(chosen.rel))}, the only notebook there (expected {slug}.ipynb)"
    found = Findings()
    for notebook in notebooks:
        if notebook is not chosen:
            reason = (
                f"not graded: {slug}.ipynb is this assignment's notebook"
                if chosen
                else (f"several notebooks and none named {slug}.ipynb: which one to grade is unclear")
            )
            found.marks.append(Mark(notebook.rel, SKIPPED, reason, student, slug))
    if chosen is None:
        names = ", ".join([display(os.path.basename(n.rel)) for n in notebooks] + refused) or "no notebook"
        note = f"expected {slug}.ipynb, found {names}"
        found.candidates.append(Candidate(student, slug, None, "nbgrader layout", note))
    else:
        graded = Candidate(student, slug, chosen.rel, "nbgrader layout", note, submitted_at=submitted_at)
        graded.mtime_ns = chosen.mtime_ns
        found.candidates.append(graded)
    return found


# ----------------------------------------------------------------------------- LMS downloads


def moodle_folder(entry, folder, match) -> Findings:
    """<Full Name>_<id>_assignsubmission_file_/<file>.ipynb; the file name names the assignment."""
    _, codec = decode_name(os.path.basename(entry.rel))
    identity = f"moodle\0{match['id']}\0{os.fsdecode(match['name'].encode(codec, 'surrogateescape'))}"
    student = make_student(match["name"], codec, "folder name", identity)
    return notebooks_in_folder(entry, folder, student, "Moodle folder")


def gradescope_folder(entry, folder) -> Findings:
    """submission_<id>/<file>.ipynb, for each submitter named in submission_metadata.yml."""
    submission = os.path.basename(entry.rel).decode()
    people, created_at = folder.gradescope.get(submission, ([], None))
    students = [make_student(person, "utf-8", "name", f"gradescope\0{person}") for person in people]
    students = [s for s in students if not isinstance(s, str)] or [make_student(submission, "utf-8", "folder name")]
    found = Findings()
    for student in students:
        found.add(notebooks_in_folder(entry, folder, student, "Gradescope export", created_at))
    if len(students) > 1:
        for candidate in found.candidates:
            others = ", ".join(s.student_id for s in students if s is not candidate.student)
            candidate.note = "; ".join(filter(None, [candidate.note, f"group submission with {others}"]))
    return found


def notebooks_in_folder(entry, folder, student, layout, submitted_at=None) -> Findings:
    """The notebooks directly in one student's LMS folder, each for the assignment its name names."""
    if isinstance(student, str):
        return skip_tree(folder, entry.rel, student)
    found = Findings()
    for child in folder.tree.get(entry.rel, []):
        name = os.path.basename(child.rel)
        if unusable(child, folder.root) or child.kind == "dir" or not name.lower().endswith(b".ipynb"):
            found.add(skip(child, folder, folder_reason(name) or stray_reason(name), student))
            continue
        text, _ = decode_name(name)
        stem, copy = split_copy_number(text[: -len(".ipynb")])
        slug = find_slug(stem, folder.slugs)
        if slug is None:
            found.marks.append(Mark(child.rel, SKIPPED, "the file name names no assignment (or several)", student))
            continue
        found.candidates.append(
            Candidate(student, slug, child.rel, layout, "", copy, submitted_at, mtime_ns=child.mtime_ns)
        )
    return found


def lms_file(entry, folder) -> Findings:
    """A notebook at the top: Blackboard, Canvas, then plain <student>_<assignment>.ipynb names."""
    text, codec = decode_name(os.path.basename(entry.rel))
    stem = text[: -len(".ipynb")]
    for parse in (parse_blackboard, parse_canvas, parse_plain):
        parsed = parse(stem, codec, folder.slugs)
        if parsed is not None:
            break
    if isinstance(parsed, Candidate):
        parsed.rel, parsed.mtime_ns = entry.rel, entry.mtime_ns
        return Findings(candidates=[parsed])
    return Findings(marks=[Mark(entry.rel, SKIPPED, parsed)])


def parse_blackboard(stem, codec, slugs):
    """<assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>[_<file>]; None when not Blackboard's,
    a reason text when Blackboard's but unusable."""
    match = BLACKBOARD.fullmatch(stem)
    if not match:
        return None
    head = match["head"]
    slug = next((s for s in sorted(slugs, key=len, reverse=True) if head.lower().startswith(s.lower() + "_")), None)
    user = head[len(slug) + 1 :] if slug else head.rsplit("_", 1)[-1]
    slug = slug or find_slug(head[: -len(user)], slugs) or find_slug(match["original"] or "", slugs)
    if slug is None:
        return "Blackboard download whose names name no assignment (or several)"
    student = make_student(user, codec, "file name")
    if isinstance(student, str):
        return student
    day, clock = match["time"][:10], match["time"][11:].replace("-", ":")
    return Candidate(student, slug, None, "Blackboard download", submitted_at=f"{day} {clock}")


def parse_canvas(stem, codec, slugs):
    """<login>[_LATE]_<userid>_<fileid>_<original name>[-N]; the original name names the assignment."""
    match = CANVAS.fullmatch(stem)
    if not match:
        return None
    original, copy = split_copy_number(match["original"], CANVAS_COPY)
    original, browser_copy = split_copy_number(original)
    slug = find_slug(original, slugs)
    if slug is None:
        return "Canvas download whose original file name names no assignment (or several)"
    identity = f"canvas\0{match['user']}\0{match['login']}"
    student = make_student(match["login"], codec, "file name", identity)
    if isinstance(student, str):
        return student
    late = match["late"] is not None
    note = "marked late by Canvas" if late else ""
    return Candidate(student, slug, None, "Canvas download", note, copy or browser_copy, late=late)


def parse_plain(stem, codec, slugs):
    """<student>_<assignment>.ipynb; the student may hold underscores (john_smith_05_adam) and
    the name may end in a browser's copy number (kim_05_adam (1))."""
    stem, copy = split_copy_number(stem)
    slug = next((s for s in sorted(slugs, key=len, reverse=True) if stem.lower().endswith("_" + s.lower())), None)
    if slug is None:
        return "the name is not <student>_<assignment>.ipynb for a known assignment"
    student = make_student(stem[: -len(slug) - 1], codec, "file name")
    if isinstance(student, str):
        return student
    return Candidate(student, slug, None, "plain file name", resubmission=copy)


def gradescope_metadata(folder) -> tuple[dict, str]:
    """{"submission_<id>": ([person, ...], created_at)} from submission_metadata.yml, and the row's reason.
    A person is the submitter's email, else school id, else name."""
    entry = next((e for e in folder.tree.get(b"", []) if e.rel == GRADESCOPE_METADATA), None)
    if entry is None or unusable(entry, folder.root) or entry.kind != "file":
        return {}, ""
    try:
        import yaml  # PyYAML comes with Jupyter; safe_load builds no objects from tags
    except ImportError:
        return {}, "Gradescope metadata; PyYAML is not installed, so ids stay submission_<id>"
    try:
        data = yaml.safe_load(read_regular_file(os.path.join(folder.root, entry.rel)))
    except (OSError, ValueError, yaml.YAMLError) as error:
        return {}, f"Gradescope metadata, unreadable ({str(error)[:120]}); ids stay submission_<id>"
    records = data if isinstance(data, dict) else {}
    result = {key: people_of(value) for key, value in records.items() if isinstance(key, str)}
    return result, f"Gradescope metadata: read the submitters of {len(result)} submissions; not graded itself"


def people_of(record):
    """([person, ...], created_at) of one Gradescope submission record (keys may start with ':')."""
    record = {str(k).lstrip(":"): v for k, v in record.items()} if isinstance(record, dict) else {}
    people = []
    for submitter in record.get("submitters") or []:
        submitter = {str(k).lstrip(":"): v for k, v in submitter.items()} if isinstance(submitter, dict) else {}
        person = next((str(submitter[k]) for k in ("email", "sid", "name") if submitter.get(k)), None)
        if person:
            people.append(person)
    created_at = record.get("created_at")
    return people, clean_student_id(str(created_at))[:64] if created_at else None


def top_level(entry, folder) -> Findings:
    """Route one entry of the scanned folder to the layout its name says."""
    name = os.path.basename(entry.rel)
    text, _ = decode_name(name)
    if unusable(entry, folder.root):
        return skip(entry, folder, "")
    if entry.kind == "dir":
        if reason := folder_reason(name):
            return skip_tree(folder, entry.rel, reason)
        if GRADESCOPE.fullmatch(text):
            return gradescope_folder(entry, folder)
        if match := MOODLE.fullmatch(text):
            return moodle_folder(entry, folder, match)
        return nbgrader_student(entry, folder)
    if name == GRADESCOPE_METADATA:
        return Findings(marks=[Mark(entry.rel, SKIPPED, folder.gradescope_reason)])
    if name.lower().endswith(b".ipynb") and not name.startswith(b"._"):
        return lms_file(entry, folder)
    return Findings(marks=[Mark(entry.rel, SKIPPED, stray_reason(name))])


# ----------------------------------------------------------------------------- deciding


def kept_apart_ids(candidates) -> dict:
    """{(identity, assignment): (student_id, note)}: different on-disk names that clean to the
    same id for one assignment stay different students; the second gets "<id> (2)", and so on,
    and keeps that id in every assignment where it collides again."""
    taken, renamed = {c.student.student_id for c in candidates}, {}
    groups = {}
    for c in candidates:
        groups.setdefault((c.student.student_id, c.assignment_id), {}).setdefault(c.student.identity, c.student)
    final = {}
    for (student_id, slug), students in sorted(groups.items()):
        ordered = sorted(students.values(), key=lambda s: s.identity)
        final[ordered[0].identity, slug] = (student_id, "")
        for student in ordered[1:]:
            new_id = renamed.get(student.identity) or free_id(student_id, taken)
            renamed[student.identity] = new_id
            taken.add(new_id)
            note = f"id collides with {ordered[0].source!r} after normalisation; kept apart as {new_id!r}"
            final[student.identity, slug] = (new_id, note)
    return final


def free_id(student_id, taken):
    """The first of "<id> (2)", "<id> (3)", ... that no student has."""
    number = 2
    while f"{student_id} ({number})" in taken:
        number += 1
    return f"{student_id} ({number})"


def latest_last(candidate):
    """Sort key: resubmission number, then the LMS's time, then the file's time, then the name."""
    return candidate.resubmission, candidate.submitted_at or "", candidate.mtime_ns, candidate.rel


def why_later(winner, loser):
    if winner.resubmission != loser.resubmission:
        return "a higher resubmission number"
    if (winner.submitted_at or "") != (loser.submitted_at or ""):
        return "a later submission time"
    if winner.mtime_ns != loser.mtime_ns:
        return "a newer file time"
    return "the same time; the last name in order was taken"


def describe(candidate, collision_note):
    """The row reason of a graded notebook: its layout and everything noted on the way."""
    parts = [candidate.layout, candidate.student.note, candidate.note, collision_note]
    if candidate.resubmission:
        parts.append(f"resubmission {candidate.resubmission}")
    if candidate.submitted_at:
        parts.append(f"submitted {candidate.submitted_at}")
    return "; ".join(filter(None, parts))


def resolve(findings, folder, final) -> tuple[list[Submission], list[Mark]]:
    """One submission per student and assignment: the latest notebook (resubmission number, then
    LMS time, then file time) is graded, the others superseded; nothing usable gives path None.
    final is kept_apart_ids(findings.candidates)."""
    groups = {}
    for c in findings.candidates:
        groups.setdefault((c.student.identity, c.assignment_id), []).append(c)
    submissions, marks = [], list(findings.marks)
    for key, group in groups.items():
        student_id, collision = final[key]
        present = sorted((c for c in group if c.rel), key=latest_last)
        if not present:
            notes = [group[0].student.note, collision, *dict.fromkeys(c.note for c in group)]
            submissions.append(Submission(student_id, key[1], None, "; ".join(filter(None, notes))))
            continue
        winner = present[-1]
        note = "; ".join(filter(None, [winner.student.note, winner.note, collision]))
        path = Path(os.fsdecode(os.path.join(folder.root, winner.rel)))
        submissions.append(Submission(student_id, key[1], path, note, winner.submitted_at, winner.late))
        marks.append(Mark(winner.rel, GRADED, describe(winner, collision), winner.student, key[1]))
        for loser in present[:-1]:
            reason = f"superseded by {display(winner.rel)} ({why_later(winner, loser)})"
            marks.append(Mark(loser.rel, SUPERSEDED, reason, loser.student, key[1]))
    submissions.sort(key=lambda s: (s.student_id, s.assignment_id))
    return submissions, marks


def final_rows(entries, marks, final) -> list[IntakeRow]:
    """Exactly one row per file, link or unlistable folder. A group submission's notebook, graded
    for each submitter, is one row naming them all; anything no layout claimed says so."""
    by_rel = {}
    for mark in marks:
        by_rel.setdefault(mark.rel, []).append(mark)
    rows = []
    for entry in sorted(entries, key=lambda e: e.rel):
        if entry.kind == "dir":
            continue
        found = by_rel.get(entry.rel) or [Mark(entry.rel, SKIPPED, "not part of any recognised layout")]
        order = [GRADED, SUPERSEDED, SKIPPED]
        best = min(found, key=lambda m: order.index(m.decision))
        ids = dict.fromkeys(final_id(m, final) for m in found if m.decision == best.decision)
        path = display(entry.rel) + ("/" if entry.kind == "unlistable" else "")
        rows.append(IntakeRow(path, "; ".join(filter(None, ids)), best.assignment_id, best.decision, best.reason))
    return rows


def final_id(mark, final):
    if mark.student is None:
        return ""
    return final.get((mark.student.identity, mark.assignment_id), (mark.student.student_id, ""))[0]


# ----------------------------------------------------------------------------- the API


def scan(folder, assignments) -> Intake:
    """The submissions in folder for the given assignment slugs, and one row per file or link.

    Links (to files or folders) and hard-linked files are never read; names that are not UTF-8
    are read as Latin-1; ids that clean to the same text are kept apart."""
    root = os.fsencode(folder)
    info = os.lstat(root)
    if stat.S_ISREG(info.st_mode) and root.lower().endswith(b".zip"):
        return Intake([], [IntakeRow(display(os.path.basename(root)), "", "", SKIPPED, ZIP_REASON)])
    if not stat.S_ISDIR(os.stat(root).st_mode):  # the folder the teacher named may itself be a link
        raise NotADirectoryError(f"not a folder: {display(root)}")
    entries = walk(root)
    tree = {}
    for entry in entries:
        tree.setdefault(os.path.dirname(entry.rel), []).append(entry)
    place = Folder(root, tree, tuple(assignments))
    place.gradescope, place.gradescope_reason = gradescope_metadata(place)
    place.gradescope_reason = place.gradescope_reason or "Gradescope metadata, not used"
    findings = Findings()
    for entry in tree.get(b"", []):
        findings.add(top_level(entry, place))
    final = kept_apart_ids(findings.candidates)
    submissions, marks = resolve(findings, place, final)
    return Intake(submissions, final_rows(entries, marks, final))


def write_intake_csv(intake: Intake, path) -> None:
    """intake.csv: path, student_id, assignment_id, decision, reason; one line per file."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INTAKE_FIELDS)
        for row in intake.rows:
            writer.writerow([csv_cell(getattr(row, name)) for name in INTAKE_FIELDS])


def summary(intake: Intake) -> str:
    """ "12 files: 7 graded, 2 superseded, 3 skipped"."""
    counts = {decision: 0 for decision in (GRADED, SUPERSEDED, SKIPPED)}
    for row in intake.rows:
        counts[row.decision] += 1
    return f"{len(intake.rows)} files: " + ", ".join(f"{count} {decision}" for decision, count in counts.items())


# ----------------------------------------------------------------------------- a .zip as the folder

ZIP_MAX_BYTES = 4 << 30  # unpacked, in all
ZIP_MAX_ENTRIES = 100_000


def unsafe_zip_member(info):
    """Why a member of a zip must not be unpacked, or "" (absolute or escaping names, links, devices)."""
    name = info.filename
    parts = Path(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        return "its name leads outside the folder"
    mode = info.external_attr >> 16
    if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "a link or special file inside the zip"
    return ""


def unpack_if_zip(path, dest):
    """The folder to scan: `path` itself, or a .zip unpacked into `dest` (made anew) with only its
    ordinary files and folders, within ZIP_MAX_BYTES and ZIP_MAX_ENTRIES. Members left out are
    listed in dest/.zip-members-left-out.txt, which intake then reports like any other file."""
    import shutil
    import zipfile

    path = Path(path)
    if not (path.is_file() and zipfile.is_zipfile(path)):
        return path
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    left_out, total = [], 0
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        for number, info in enumerate(members):
            why = unsafe_zip_member(info)
            total += info.file_size
            if not why and number >= ZIP_MAX_ENTRIES:
                why = f"the zip has more than {ZIP_MAX_ENTRIES} members"
            if not why and total > ZIP_MAX_BYTES:
                why = f"the zip unpacks to more than {ZIP_MAX_BYTES >> 30} GB"
            if why:
                left_out.append(f"{display(info.filename.encode(errors='replace'))}: {why}")
                continue
            archive.extract(info, dest)
    if left_out:
        (dest / ".zip-members-left-out.txt").write_text("\n".join(left_out) + "\n", encoding="utf-8")
    return dest
