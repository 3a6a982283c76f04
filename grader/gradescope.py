"""A Gradescope autograder for one lesson: `python -m grader gradescope SLUG --out autograder.zip`.

Follows Gradescope's autograder specification (gradescope-autograders.readthedocs.io, "specs"):
the zip holds `setup.sh` and an executable `run_autograder` at its root, next to the course;
Gradescope unpacks it into /autograder/source, runs setup.sh once as root when it builds the
image, copies run_autograder to /autograder/run_autograder and runs it for every submission,
in /autograder, with the student's files in /autograder/submission. run_autograder must leave
/autograder/results/results.json: {"score", "output", "tests": [{"name", "score", "max_score",
"output", "visibility"}]}. Its own standard output is shown to instructors only.

`python -m grader.gradescope results GRADE_JSON RESULTS_JSON` turns grade-one's document into
results.json; run_autograder calls it, and it writes a results.json whatever happened before.
"""

import argparse
import json
import stat
import sys
import zipfile
from pathlib import Path

from grader import course

# What the zip carries, besides the two scripts. solutions/ is needed by the grader to compute the
# expected outputs: it stays outside the sandbox, which mounts only the student-side allow-list
# (grader/student_env.py: the allowed packages, coursekit and datasets). lessons/: the grader reads
# points and test cells from the sources. pyproject.toml, README.md (its readme) and the constraints:
# what setup.sh's pip install needs.
COURSE_FOLDERS = ("grader", "coursekit", "solutions", "lessons", "datasets")
COURSE_FILES = ("pyproject.toml", "README.md", "requirements/constraints.txt")
LEFT_OUT_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", ".venv", "build", "dist"}
LEFT_OUT_SUFFIXES = (".pyc", ".pyo", ".egg-info")
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # one date for every member: the same course gives the same zip
VENV = "/opt/course-venv"  # where setup.sh installs the course; run_autograder's default interpreter

HIDDEN_VISIBILITY = "after_published"  # shown when the instructor publishes the grades


# ----------------------------------------------------------------------------- the zip


def course_files(root=course.ROOT):
    """The course's files the autograder needs, relative to root, without caches or build outputs."""
    files = [Path(name) for name in COURSE_FILES]
    for folder in COURSE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not path.is_symlink() and not _left_out(relative):
                files.append(relative)
    return files


def _left_out(relative):
    return any(part in LEFT_OUT_PARTS or part.endswith(LEFT_OUT_SUFFIXES) for part in relative.parts)


def setup_script():
    """setup.sh: run once, as root, when Gradescope builds the image (Ubuntu 22.04 by default)."""
    return f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image; this zip is unpacked
# in /autograder/source.
set -euo pipefail
SOURCE=/autograder/source
VENV={VENV}
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# bubblewrap: the sandbox every submission runs in (grader/sandbox.py); util-linux: prlimit, setpriv.
apt-get install -y -qq bubblewrap util-linux
# The course needs Python 3.11 (pyproject.toml): Ubuntu 22.04 has it; other releases get it from deadsnakes.
if ! apt-get install -y -qq python3.11 python3.11-venv; then
    apt-get install -y -qq software-properties-common
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update -qq
    apt-get install -y -qq python3.11 python3.11-venv
fi
python3.11 -m venv "$VENV"
# Every package at the version the course pins (requirements/constraints.txt). Editable, so that
# the grader finds lessons/ and solutions/ next to itself in /autograder/source.
"$VENV/bin/pip" install --quiet --disable-pip-version-check -c "$SOURCE/requirements/constraints.txt" -e "$SOURCE"
"$VENV/bin/python" -m grader grade-one --help >/dev/null
# Student code must never run next to solutions/ without the sandbox: a container that does not
# allow bubblewrap's namespaces fails the build here, loudly, instead of grading unprotected.
ISOLATION=$(cd "$SOURCE" && "$VENV/bin/python" -c "from grader import sandbox; print(sandbox.isolation())")
if [ "$ISOLATION" != "bubblewrap" ]; then
    echo "this image cannot run the grader's sandbox ($ISOLATION): refusing to build the autograder" >&2
    exit 1
fi
"""


def run_script(slug, timeout):
    """run_autograder: grade the submission's notebook and write results/results.json."""
    return f"""#!/usr/bin/env bash
# Gradescope runs this for every submission, as root, in /autograder. It grades the student's
# notebook for {slug} in the sandbox and writes results/results.json. AUTOGRADER_ROOT and
# COURSE_PYTHON let it run elsewhere (the course's tests do).
set -uo pipefail
LESSON={slug}
TIMEOUT={timeout:g}
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{COURSE_PYTHON:-{VENV}/bin/python}}"
SOURCE="$ROOT/source"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The notebook: $LESSON.ipynb, else the only .ipynb in the submission (links are not followed).
NOTEBOOK="$SUBMISSION/$LESSON.ipynb"
NOTE=""
if [ ! -e "$NOTEBOOK" ]; then
    mapfile -d '' FOUND < <(find "$SUBMISSION" -type f -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print0)
    if [ "${{#FOUND[@]}}" -eq 1 ]; then
        NOTEBOOK="${{FOUND[0]}}"
    elif [ "${{#FOUND[@]}}" -eq 0 ]; then
        NOTE="No notebook was found in your submission: upload $LESSON.ipynb."
    else
        NOTE="Your submission has ${{#FOUND[@]}} notebooks: name the one to grade $LESSON.ipynb."
    fi
fi

# From the source folder, with it first on the path: this zip's grader, lessons and solutions.
cd "$SOURCE"
export PYTHONPATH="$SOURCE"
"$PYTHON" -m grader grade-one "$NOTEBOOK" --lesson "$LESSON" --json --timeout "$TIMEOUT" >"$WORK/grade.json"
GRADED=$?
if ! "$PYTHON" -m grader.gradescope results "$WORK/grade.json" "$RESULTS/results.json" \\
        --exit-code "$GRADED" --note "$NOTE"; then
    # Gradescope needs a results.json whatever happened (the reason is in this output, for instructors).
    FAILED='{{"score": 0, "output": "The autograder failed before grading this submission.", "tests": []}}'
    printf '%s\\n' "$FAILED" >"$RESULTS/results.json"
fi
echo "results: $RESULTS/results.json"
"""


def _member(name, mode):
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.external_attr = (stat.S_IFREG | mode) << 16  # Unix mode: run_autograder must stay executable
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def build_zip(slug, out, *, timeout=10.0, root=course.ROOT):
    """Write the autograder zip of one lesson to out; returns its member names."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        # the scripts at the root of the archive, not under a folder, as Gradescope requires
        archive.writestr(_member("setup.sh", 0o755), setup_script())
        archive.writestr(_member("run_autograder", 0o755), run_script(slug, timeout))
        for relative in course_files(root):
            archive.writestr(_member(relative.as_posix(), 0o644), (root / relative).read_bytes())
        return archive.namelist()


# ----------------------------------------------------------------------------- results.json


def gradescope_test(test):
    """One test of results.json from one test of grade-one's document."""
    return {
        "name": test["grade_id"],
        "score": test["score"],
        "max_score": test["max_score"],
        "output": test["message"],
        "visibility": "visible" if test["visible"] else HIDDEN_VISIBILITY,
    }


def overall_output(document, note):
    """The text about the whole submission, shown to the student."""
    lines = [note] if note else []
    lines.append(f"{document['score']:g} of {document['max_score']:g} points ({document['status']}).")
    if document["status"] == "needs-review":
        lines.append("The grader asks your instructor to look at this submission.")
    if document["message"]:
        lines.append(document["message"])
    manual = sum(test["max_score"] for test in document["tests"] if test["manual"])
    if manual:
        lines.append(f"{manual:g} more point(s) are graded by hand, outside this autograder.")
    return "\n".join(lines)


def results_document(document, note=""):
    """results.json from grade-one's document. Hand-graded cells are left to Gradescope's manual grading."""
    tests = [test for test in document["tests"] if not test["manual"]]
    return {
        "score": sum(test["score"] for test in tests),
        "output": overall_output(document, note),
        "tests": [gradescope_test(test) for test in tests],
    }


def failed_results(note, exit_code):
    """results.json when grade-one gave no document: no points, and a word for the student."""
    why = "The autograder could not grade this submission; your instructor can see why."
    return {"score": 0, "output": "\n".join(filter(None, [note, why, f"(grade-one exit code {exit_code})"])),
            "tests": []}


def read_document(path):
    """grade-one's document, or None when it wrote none (or something else)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) and "tests" in document else None


def write_results(grade_json, results_json, *, exit_code=0, note=""):
    document = read_document(grade_json) if exit_code == 0 else None
    results = results_document(document, note) if document else failed_results(note, exit_code)
    Path(results_json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    results = commands.add_parser("results", help="grade-one's JSON document -> Gradescope's results.json")
    results.add_argument("grade_json", type=Path)
    results.add_argument("results_json", type=Path)
    results.add_argument("--exit-code", type=int, default=0, help="grade-one's exit code")
    results.add_argument("--note", default="", help="a sentence for the student, before the rest")
    args = parser.parse_args(argv)
    written = write_results(args.grade_json, args.results_json, exit_code=args.exit_code, note=args.note)
    print(f"score {written['score']:g}; {len(written['tests'])} tests in {args.results_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
